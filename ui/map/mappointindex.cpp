#include "map/mappointindex.h"

#include <algorithm>
#include <cmath>

namespace lodestone::ui {

MapPointIndex::MapPointIndex(std::vector<QPointF> points, int perCell)
    : m_points(std::move(points))
{
    if (m_points.empty())
        return;
    double minX = m_points[0].x(), maxX = minX, minY = m_points[0].y(), maxY = minY;
    for (const QPointF &p : m_points) {
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    }
    const double width = std::max(maxX - minX, 1e-9), height = std::max(maxY - minY, 1e-9);
    m_bounds = QRectF(minX, minY, width, height);
    // Square-ish cells in map units, about perCell points per cell.
    const double cells = std::max(1.0, double(m_points.size()) / std::max(1, perCell));
    const double side = std::sqrt(width * height / cells);
    m_columns = std::clamp(int(std::ceil(width / side)), 1, 2048);
    m_rows = std::clamp(int(std::ceil(height / side)), 1, 2048);
    m_cellWidth = width / m_columns;
    m_cellHeight = height / m_rows;

    std::vector<int> cellOf(m_points.size());
    m_cellStart.assign(size_t(m_columns) * size_t(m_rows) + 1, 0);
    for (size_t i = 0; i < m_points.size(); ++i) {
        cellOf[i] = cellY(m_points[i].y()) * m_columns + cellX(m_points[i].x());
        ++m_cellStart[size_t(cellOf[i]) + 1];
    }
    for (size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    m_order.resize(m_points.size());
    std::vector<int> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (size_t i = 0; i < m_points.size(); ++i)
        m_order[size_t(fill[size_t(cellOf[i])]++)] = int(i);
}

int MapPointIndex::cellX(double x) const
{
    return std::clamp(int((x - m_bounds.left()) / m_cellWidth), 0, m_columns - 1);
}

int MapPointIndex::cellY(double y) const
{
    return std::clamp(int((y - m_bounds.top()) / m_cellHeight), 0, m_rows - 1);
}

int MapPointIndex::nearest(QPointF at, double pixelsPerX, double pixelsPerY, double radiusPixels) const
{
    if (m_points.empty() || pixelsPerX <= 0 || pixelsPerY <= 0)
        return -1;
    const double rx = radiusPixels / pixelsPerX, ry = radiusPixels / pixelsPerY;
    if (at.x() + rx < m_bounds.left() || at.x() - rx > m_bounds.right() || at.y() + ry < m_bounds.top() ||
        at.y() - ry > m_bounds.bottom())
        return -1;
    const int x0 = cellX(at.x() - rx), x1 = cellX(at.x() + rx);
    const int y0 = cellY(at.y() - ry), y1 = cellY(at.y() + ry);
    int best = -1;
    double bestDistance = radiusPixels * radiusPixels;
    for (int cy = y0; cy <= y1; ++cy)
        for (int cx = x0; cx <= x1; ++cx) {
            const size_t cell = size_t(cy) * size_t(m_columns) + size_t(cx);
            for (int k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                const int i = m_order[size_t(k)];
                const double dx = (m_points[size_t(i)].x() - at.x()) * pixelsPerX;
                const double dy = (m_points[size_t(i)].y() - at.y()) * pixelsPerY;
                const double d = dx * dx + dy * dy;
                if (d < bestDistance || (d == bestDistance && (best < 0 || i < best))) {
                    bestDistance = d;
                    best = i;
                }
            }
        }
    return best;
}

std::vector<int> MapPointIndex::inside(const QRectF &rect) const
{
    std::vector<int> out;
    if (m_points.empty() || !rect.intersects(m_bounds.adjusted(-1e-9, -1e-9, 1e-9, 1e-9)))
        return out;
    const int x0 = cellX(rect.left()), x1 = cellX(rect.right());
    const int y0 = cellY(rect.top()), y1 = cellY(rect.bottom());
    for (int cy = y0; cy <= y1; ++cy)
        for (int cx = x0; cx <= x1; ++cx) {
            const size_t cell = size_t(cy) * size_t(m_columns) + size_t(cx);
            for (int k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                const QPointF &p = m_points[size_t(m_order[size_t(k)])];
                if (p.x() >= rect.left() && p.x() <= rect.right() && p.y() >= rect.top() &&
                    p.y() <= rect.bottom())
                    out.push_back(m_order[size_t(k)]);
            }
        }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace lodestone::ui
