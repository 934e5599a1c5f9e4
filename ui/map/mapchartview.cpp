#include "map/mapchartview.h"

#include <QMouseEvent>
#include <QRubberBand>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>

namespace lodestone::ui {

MapChartView::MapChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
    , m_band(new QRubberBand(QRubberBand::Rectangle, viewport()))
{
    setRubberBand(QChartView::NoRubberBand);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setDragMode(QGraphicsView::NoDrag);
}

void MapChartView::setAxes(QValueAxis *x, QValueAxis *y)
{
    m_x = x;
    m_y = y;
}

void MapChartView::setPoints(std::vector<QPointF> points)
{
    m_index = MapPointIndex(std::move(points));
    m_hovered = -1;
}

void MapChartView::setFullRange(const QRectF &range)
{
    m_fullRange = range;
    resetZoom();
}

void MapChartView::resetZoom()
{
    if (!m_fullRange.isNull())
        setRange(m_fullRange);
}

QRectF MapChartView::visibleRange() const
{
    if (!m_x || !m_y)
        return {};
    return QRectF(QPointF(m_x->min(), m_y->min()), QPointF(m_x->max(), m_y->max()));
}

void MapChartView::setRange(const QRectF &range)
{
    if (!m_x || !m_y || !(range.width() > 0) || !(range.height() > 0))
        return;
    m_x->setRange(range.left(), range.right());
    m_y->setRange(range.top(), range.bottom());
    Q_EMIT visibleRangeChanged();
}

QRectF MapChartView::plotRectInViewport() const
{
    const QRectF plot = chart()->plotArea();
    const QPolygonF polygon = mapFromScene(chart()->mapToScene(plot));
    return polygon.boundingRect();
}

QPointF MapChartView::mapToMap(QPointF viewportPos) const
{
    const QRectF plot = plotRectInViewport();
    const QRectF range = visibleRange();
    if (plot.width() <= 0 || plot.height() <= 0)
        return {};
    return {range.left() + (viewportPos.x() - plot.left()) / plot.width() * range.width(),
            range.top() + (plot.bottom() - viewportPos.y()) / plot.height() * range.height()};
}

QPointF MapChartView::mapFromMap(QPointF mapPos) const
{
    const QRectF plot = plotRectInViewport();
    const QRectF range = visibleRange();
    if (range.width() <= 0 || range.height() <= 0)
        return {};
    return {plot.left() + (mapPos.x() - range.left()) / range.width() * plot.width(),
            plot.bottom() - (mapPos.y() - range.top()) / range.height() * plot.height()};
}

int MapChartView::pointAt(QPointF viewportPos) const
{
    const QRectF plot = plotRectInViewport();
    const QRectF range = visibleRange();
    if (!plot.contains(viewportPos) || range.width() <= 0 || range.height() <= 0)
        return -1;
    return m_index.nearest(mapToMap(viewportPos), plot.width() / range.width(),
                           plot.height() / range.height(), pickRadius());
}

void MapChartView::wheelEvent(QWheelEvent *event)
{
    const QRectF range = visibleRange();
    if (range.isNull()) {
        event->ignore();
        return;
    }
    // One notch (120) zooms in by 1.25, about the point under the cursor.
    const double factor = std::pow(1.25, -event->angleDelta().y() / 120.0);
    const QPointF centre = mapToMap(event->position());
    setRange(QRectF(QPointF(centre.x() - (centre.x() - range.left()) * factor,
                            centre.y() - (centre.y() - range.top()) * factor),
                    QSizeF(range.width() * factor, range.height() * factor)));
    event->accept();
}

void MapChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_drag = Drag::Pending;
    m_dragModifiers = event->modifiers();
    m_pressPos = m_lastPos = event->position().toPoint();
    event->accept();
}

void MapChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::Pending && (pos - m_pressPos).manhattanLength() >= 4) {
        if (m_dragModifiers & Qt::ShiftModifier)
            m_drag = Drag::Select;
        else if (m_dragModifiers & Qt::ControlModifier)
            m_drag = Drag::Zoom;
        else
            m_drag = Drag::Pan;
        if (m_drag != Drag::Pan)
            m_band->show();
    }
    switch (m_drag) {
    case Drag::Pan: {
        const QPointF from = mapToMap(m_lastPos), to = mapToMap(pos);
        setRange(visibleRange().translated(from - to));
        m_lastPos = pos;
        break;
    }
    case Drag::Zoom:
    case Drag::Select:
        m_band->setGeometry(QRect(m_pressPos, pos).normalized());
        break;
    case Drag::None: {
        const int hovered = pointAt(event->position());
        if (hovered != m_hovered) {
            m_hovered = hovered;
            Q_EMIT pointHovered(hovered, event->globalPosition().toPoint());
        }
        break;
    }
    case Drag::Pending:
        break;
    }
    event->accept();
}

void MapChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_drag == Drag::None) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    const Drag drag = m_drag;
    m_drag = Drag::None;
    m_band->hide();
    const QPoint pos = event->position().toPoint();
    const QRectF mapRect = QRectF(mapToMap(m_pressPos), mapToMap(pos)).normalized();
    switch (drag) {
    case Drag::Pending: {
        const int index = pointAt(event->position());
        if (index >= 0)
            Q_EMIT pointClicked(index);
        break;
    }
    case Drag::Zoom:
        if (mapRect.width() > 0 && mapRect.height() > 0)
            setRange(mapRect);
        break;
    case Drag::Select:
        Q_EMIT pointsSelected(m_index.inside(mapRect));
        break;
    case Drag::Pan:
    case Drag::None:
        break;
    }
    event->accept();
}

void MapChartView::leaveEvent(QEvent *event)
{
    if (m_hovered >= 0) {
        m_hovered = -1;
        Q_EMIT pointHovered(-1, {});
    }
    QChartView::leaveEvent(event);
}

} // namespace lodestone::ui
