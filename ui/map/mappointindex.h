#pragma once

#include <QPointF>
#include <QRectF>

#include <vector>

namespace lodestone::ui {

// A uniform grid over 2D points for the hover and click lookups of the map: the nearest point to the cursor
// and the points in a rectangle, without scanning every point on each mouse move. Plain value type.
class MapPointIndex {
public:
    MapPointIndex() = default;
    // Indexes `points` (map coordinates); about `perCell` points per occupied cell on average.
    explicit MapPointIndex(std::vector<QPointF> points, int perCell = 8);

    bool isEmpty() const { return m_points.empty(); }

    // The index of the point nearest to `at` when distances are measured in pixels: a map unit along x is
    // `pixelsPerX` pixels, along y `pixelsPerY`. Only points within `radiusPixels` count; -1 when none.
    int nearest(QPointF at, double pixelsPerX, double pixelsPerY, double radiusPixels) const;
    // The indices of the points inside `rect` (map coordinates, normalised), ascending.
    std::vector<int> inside(const QRectF &rect) const;

private:
    int cellX(double x) const;
    int cellY(double y) const;

    std::vector<QPointF> m_points;
    QRectF m_bounds;
    int m_columns = 0, m_rows = 0;
    double m_cellWidth = 1, m_cellHeight = 1;
    std::vector<int> m_cellStart; // [columns * rows + 1]: offsets into m_order
    std::vector<int> m_order;     // point indices sorted by cell
};

} // namespace lodestone::ui
