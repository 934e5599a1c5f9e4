#include "analysis/quadtree.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lodestone::detail {

namespace {
// Deeper than this, points share a leaf even when they differ (cells of 2^-48 of the layout's extent).
constexpr int kMaxDepth = 48;
} // namespace

QuadTree::QuadTree(const std::vector<double> &positions)
    : m_positions(positions)
{
    const int64_t n = int64_t(positions.size() / 2);
    double minX = std::numeric_limits<double>::infinity(), minY = minX;
    double maxX = -minX, maxY = -minX;
    for (int64_t i = 0; i < n; ++i) {
        minX = std::min(minX, positions[size_t(2 * i)]);
        maxX = std::max(maxX, positions[size_t(2 * i)]);
        minY = std::min(minY, positions[size_t(2 * i + 1)]);
        maxY = std::max(maxY, positions[size_t(2 * i + 1)]);
    }
    Node root;
    if (n > 0) {
        root.cx = 0.5 * (minX + maxX);
        root.cy = 0.5 * (minY + maxY);
        root.half = 0.5 * std::max(maxX - minX, maxY - minY) * (1 + 1e-9) + 1e-12;
    }
    m_nodes.reserve(size_t(2 * n + 1));
    m_nodes.push_back(root);
    for (int64_t i = 0; i < n; ++i)
        insert(int32_t(i), positions[size_t(2 * i)], positions[size_t(2 * i + 1)]);
    m_cells.resize(m_nodes.size());
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const Node &nd = m_nodes[i];
        m_cells[i] = {nd.comX, nd.comY, float(4 * nd.half * nd.half), int32_t(nd.count), nd.firstChild, 0};
    }
    m_nodes = {};
}

void QuadTree::insert(int32_t point, double x, double y)
{
    int32_t node = 0;
    for (int depth = 0;; ++depth) {
        Node *nd = &m_nodes[size_t(node)];
        if (nd->firstChild < 0) {
            if (nd->count == 0) {
                nd->point = point;
                nd->count = 1;
                nd->comX = x;
                nd->comY = y;
                return;
            }
            const bool coincident =
                m_positions[size_t(2 * nd->point)] == x && m_positions[size_t(2 * nd->point + 1)] == y;
            if (coincident || depth >= kMaxDepth) {
                nd->comX += (x - nd->comX) / double(nd->count + 1);
                nd->comY += (y - nd->comY) / double(nd->count + 1);
                ++nd->count;
                return;
            }
            // Split: the leaf's points (one, or several coincident ones) move to the child that holds them.
            const int32_t first = int32_t(m_nodes.size());
            const Node parent = *nd;
            for (int q = 0; q < 4; ++q) {
                Node child;
                child.half = 0.5 * parent.half;
                child.cx = parent.cx + ((q & 1) ? child.half : -child.half);
                child.cy = parent.cy + ((q & 2) ? child.half : -child.half);
                m_nodes.push_back(child);
            }
            const int q = (parent.comX >= parent.cx ? 1 : 0) | (parent.comY >= parent.cy ? 2 : 0);
            Node &moved = m_nodes[size_t(first + q)];
            moved.count = parent.count;
            moved.comX = parent.comX;
            moved.comY = parent.comY;
            moved.point = parent.point;
            nd = &m_nodes[size_t(node)];
            nd->firstChild = first;
            nd->point = -1;
        }
        nd->comX += (x - nd->comX) / double(nd->count + 1);
        nd->comY += (y - nd->comY) / double(nd->count + 1);
        ++nd->count;
        node = nd->firstChild + ((x >= nd->cx ? 1 : 0) | (y >= nd->cy ? 2 : 0));
    }
}

void QuadTree::repulsion(double x, double y, double theta, bool inTree, double &fx, double &fy,
                         double &z) const
{
    const double theta2 = theta * theta;
    const Cell *cells = m_cells.data();
    int32_t stack[4 * kMaxDepth + 8];
    int top = 0;
    stack[top++] = 0;
    double sumZ = 0, sumX = 0, sumY = 0;
    while (top > 0) {
        const Cell &cell = cells[stack[--top]];
        if (cell.count == 0)
            continue;
        const double dx = x - cell.comX, dy = y - cell.comY;
        const double d2 = dx * dx + dy * dy;
        if (cell.firstChild < 0 || double(cell.side2) < theta2 * d2) {
            if (d2 == 0) {
                // Coincident points: q = 1 and no force; the point itself is not its own neighbour.
                sumZ += double(cell.count - (inTree ? 1 : 0));
                continue;
            }
            const double q = 1.0 / (1.0 + d2);
            const double nq = double(cell.count) * q;
            sumZ += nq;
            sumX += nq * q * dx;
            sumY += nq * q * dy;
        } else {
            stack[top++] = cell.firstChild + 3;
            stack[top++] = cell.firstChild + 2;
            stack[top++] = cell.firstChild + 1;
            stack[top++] = cell.firstChild;
        }
    }
    z += sumZ;
    fx += sumX;
    fy += sumY;
}

} // namespace lodestone::detail
