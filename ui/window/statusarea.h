#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace lodestone::ui {

// The status bar's job area: what is running, its progress, and a button that cancels it.
class StatusArea : public QWidget {
    Q_OBJECT
public:
    explicit StatusArea(QWidget *parent = nullptr);

    // A running job; total 0 shows a busy bar. `cancellable` shows the cancel button.
    void showProgress(const QString &text, qint64 done, qint64 total, bool cancellable = true);
    void showIdle(const QString &text);
    QString text() const;
    bool isBusy() const;

Q_SIGNALS:
    void cancelRequested();

private:
    QLabel *m_text;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
};

} // namespace lodestone::ui
