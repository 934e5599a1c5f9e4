#pragma once

#include <QLineEdit>
#include <QTimer>

namespace lodestone::ui {

// The search field: a prompt or a query expression (`"beach" + image:/p.jpg - "people"`). Typing settles
// for a moment before queryChanged() fires (Enter fires at once); a photo dropped on it asks for an image
// search (imageDropped()).
class SearchField : public QLineEdit {
    Q_OBJECT
public:
    explicit SearchField(QWidget *parent = nullptr);

    // Sets the text and fires queryChanged() at once (a search started from elsewhere).
    void setQuery(const QString &query);

Q_SIGNALS:
    void queryChanged(const QString &query); // trimmed; empty when cleared
    void imageDropped(const QString &path);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void fire();
    QTimer m_settle;
    QString m_lastFired;
};

} // namespace lodestone::ui
