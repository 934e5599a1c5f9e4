#include "window/statusarea.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace lodestone::ui {

StatusArea::StatusArea(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    m_text->setObjectName(QStringLiteral("statusText"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &StatusArea::cancelRequested);
    showIdle({});
}

void StatusArea::showProgress(const QString &text, qint64 done, qint64 total, bool cancellable)
{
    m_text->setText(text);
    // QProgressBar holds ints: scale large counts down to per-mille.
    m_progress->setRange(0, total > 0 ? 1000 : 0);
    m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
    m_progress->show();
    m_cancel->setVisible(cancellable);
}

void StatusArea::showIdle(const QString &text)
{
    m_text->setText(text);
    m_progress->hide();
    m_cancel->hide();
}

QString StatusArea::text() const
{
    return m_text->text();
}

bool StatusArea::isBusy() const
{
    return !m_progress->isHidden();
}

} // namespace lodestone::ui
