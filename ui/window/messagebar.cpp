#include "window/messagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace lodestone::ui {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_detailsButton(new QPushButton(tr("Details…"), this))
    , m_actionButton(new QPushButton(this))
{
    m_actionButton->setObjectName(QStringLiteral("messageAction"));
    m_actionButton->hide();
    connect(m_actionButton, &QPushButton::clicked, this, [this] {
        const std::function<void()> action = m_action;
        hide();
        if (action)
            action();
    });
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("messageText"));
    auto *close = new QToolButton(this);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_actionButton);
    layout->addWidget(m_detailsButton);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    connect(m_detailsButton, &QPushButton::clicked, this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("Details"), m_text->text(),
                                    QMessageBox::Close, window());
        box->setDetailedText(m_details);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        box->show();
    });
    hide();
}

void MessageBar::showMessage(const QString &text, Level level, const QString &details)
{
    m_level = level;
    m_text->setText(text);
    m_details = details;
    m_detailsButton->setVisible(!details.isEmpty());
    m_action = {};
    m_actionButton->hide();
    const QStyle::StandardPixmap icon = level == Level::Error     ? QStyle::SP_MessageBoxCritical
                                        : level == Level::Warning ? QStyle::SP_MessageBoxWarning
                                                                  : QStyle::SP_MessageBoxInformation;
    const int extent = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(extent, extent));
    QPalette p = palette();
    p.setColor(QPalette::Window, level == Level::Error     ? QColor(250, 226, 226)
                                 : level == Level::Warning ? QColor(252, 240, 210)
                                                           : QColor(222, 236, 250));
    p.setColor(QPalette::WindowText, QColor(30, 30, 30));
    setPalette(p);
    show();
}

void MessageBar::setAction(const QString &text, std::function<void()> action)
{
    m_action = std::move(action);
    m_actionButton->setText(text);
    m_actionButton->show();
}

QString MessageBar::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace lodestone::ui
