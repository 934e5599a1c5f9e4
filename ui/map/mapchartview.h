#pragma once

#include "map/mappointindex.h"

#include <QChartView>
#include <QPoint>
#include <QPointF>
#include <QRectF>

#include <vector>

class QRubberBand;
class QValueAxis;

namespace lodestone::ui {

// The map's chart view: zoom with the wheel (about the cursor) or by dragging a rectangle with Ctrl held,
// pan by dragging, select by dragging a rectangle with Shift held or by clicking a point; reports the point
// under the cursor. Works in map coordinates through the chart's two value axes, with a grid lookup
// (MapPointIndex) rather than a scan of every point. UI thread only.
class MapChartView : public QChartView {
    Q_OBJECT
public:
    explicit MapChartView(QChart *chart, QWidget *parent = nullptr);

    // The axes the view zooms and pans (the chart's bottom and left value axes).
    void setAxes(QValueAxis *x, QValueAxis *y);
    // The points the lookups find, in map coordinates; their indices are what the signals report.
    void setPoints(std::vector<QPointF> points);
    // The range "reset zoom" returns to; also applied now.
    void setFullRange(const QRectF &range);
    void resetZoom();
    QRectF visibleRange() const;

    // Conversions between viewport pixels and map coordinates (through the plot area and the axes).
    QPointF mapToMap(QPointF viewportPos) const;
    QPointF mapFromMap(QPointF mapPos) const;

    static constexpr double pickRadius() { return 8; } // pixels

Q_SIGNALS:
    void pointClicked(int index);
    void pointsSelected(const std::vector<int> &indices); // a Shift-drag rectangle
    // The point under the cursor (-1 when none) and the cursor in global coordinates.
    void pointHovered(int index, QPoint globalPos);
    void visibleRangeChanged();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    enum class Drag { None, Pending, Pan, Zoom, Select };
    void setRange(const QRectF &range);
    QRectF plotRectInViewport() const;
    int pointAt(QPointF viewportPos) const;

    QValueAxis *m_x = nullptr, *m_y = nullptr;
    MapPointIndex m_index;
    QRectF m_fullRange;
    Drag m_drag = Drag::None;
    Qt::KeyboardModifiers m_dragModifiers;
    QPoint m_pressPos, m_lastPos;
    QRubberBand *m_band = nullptr;
    int m_hovered = -1;
};

} // namespace lodestone::ui
