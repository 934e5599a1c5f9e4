#include "grid/photodelegate.h"

#include "grid/photogridmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace lodestone::ui {

namespace {

constexpr int Margin = 4;

void drawBadge(QPainter *painter, const QRect &anchor, const QString &text, const QColor &background,
               Qt::Alignment corner)
{
    const QFontMetrics metrics(painter->font());
    QRect badge(0, 0, metrics.horizontalAdvance(text) + 8, metrics.height() + 2);
    if (corner & Qt::AlignLeft)
        badge.moveLeft(anchor.left() + 3);
    else
        badge.moveRight(anchor.right() - 3);
    if (corner & Qt::AlignTop)
        badge.moveTop(anchor.top() + 3);
    else
        badge.moveBottom(anchor.bottom() - 3);
    badge = badge.intersected(anchor.adjusted(2, 2, -2, -2));
    painter->setPen(Qt::NoPen);
    painter->setBrush(background);
    painter->drawRoundedRect(badge, 4, 4);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, metrics.elidedText(text, Qt::ElideRight, badge.width() - 6));
}

} // namespace

PhotoDelegate::PhotoDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void PhotoDelegate::setCellSize(int pixels)
{
    m_cellSize = pixels;
}

QSize PhotoDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return {m_cellSize + 2 * Margin, m_cellSize + 2 * Margin + option.fontMetrics.height() + 2};
}

void PhotoDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    if (selected || (option.state & QStyle::State_MouseOver)) {
        QColor highlight = palette.color(QPalette::Highlight);
        if (!selected)
            highlight.setAlpha(60);
        painter->setPen(Qt::NoPen);
        painter->setBrush(highlight);
        painter->drawRoundedRect(option.rect.adjusted(1, 1, -1, -1), 6, 6);
    }

    const QRect square(option.rect.left() + Margin, option.rect.top() + Margin, m_cellSize, m_cellSize);
    const QVariant decoration = index.data(Qt::DecorationRole);
    QRect picture = square;
    if (decoration.canConvert<QPixmap>()) {
        const QPixmap pixmap = decoration.value<QPixmap>();
        const QSize fitted = pixmap.size().scaled(square.size(), Qt::KeepAspectRatio);
        picture = QRect(QPoint(0, 0), fitted);
        picture.moveCenter(square.center());
        painter->drawPixmap(picture, pixmap);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(QPalette::Midlight));
        painter->drawRoundedRect(square.adjusted(6, 6, -6, -6), 4, 4);
        if (index.data(PhotoGridModel::ThumbnailFailedRole).toBool()) {
            painter->setPen(palette.color(QPalette::PlaceholderText));
            painter->drawText(square, Qt::AlignCenter | Qt::TextWordWrap, tr("Cannot show\nthis photo"));
        }
    }

    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    if (const QVariant score = index.data(PhotoGridModel::ScoreRole); score.isValid())
        drawBadge(painter, picture, QString::number(score.toDouble(), 'f', 3), QColor(30, 30, 30, 190),
                  Qt::AlignTop | Qt::AlignLeft);
    if (const QVariant labelIndex = index.data(PhotoGridModel::LabelIndexRole); labelIndex.isValid()) {
        const QString text =
            labelIndex.toInt() < 0
                ? tr("none of these")
                : tr("%1 %2%")
                      .arg(index.data(PhotoGridModel::LabelRole).toString())
                      .arg(qRound(index.data(PhotoGridModel::ConfidenceRole).toDouble() * 100));
        // One hue per label, so that classes read at a glance.
        const QColor colour = labelIndex.toInt() < 0
                                  ? QColor(110, 110, 110, 210)
                                  : QColor::fromHsv((labelIndex.toInt() * 67) % 360, 170, 170, 220);
        drawBadge(painter, picture, text, colour, Qt::AlignBottom | Qt::AlignLeft);
    }

    painter->setFont(option.font);
    painter->setPen(palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect nameRect(option.rect.left() + Margin, square.bottom() + 2, m_cellSize,
                         option.fontMetrics.height());
    painter->drawText(nameRect, Qt::AlignHCenter | Qt::AlignVCenter,
                      option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle,
                                                    nameRect.width()));
    painter->restore();
}

} // namespace lodestone::ui
