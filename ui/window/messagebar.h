#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace lodestone::ui {

// A non-modal message across the top of the window (what went wrong and why), with optional details and a
// close button. Nothing waits on it; a newer message replaces it.
class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Level { Information, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, Level level = Level::Error, const QString &details = {});
    QString text() const;
    Level level() const { return m_level; }

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_detailsButton;
    QString m_details;
    Level m_level = Level::Information;
};

} // namespace lodestone::ui
