#pragma once

#include <QFrame>

#include <functional>

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
    // Adds a button to the message shown (until the next one): what the user can do about it.
    void setAction(const QString &text, std::function<void()> action);
    QString text() const;
    Level level() const { return m_level; }

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_detailsButton;
    QPushButton *m_actionButton;
    std::function<void()> m_action;
    QString m_details;
    Level m_level = Level::Information;
};

} // namespace lodestone::ui
