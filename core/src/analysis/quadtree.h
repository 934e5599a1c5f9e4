#pragma once

// The Barnes–Hut quadtree of a 2D layout: repulsive t-SNE forces of all points on one, in O(log N) per point.

#include <cstdint>
#include <vector>

namespace lodestone::detail {

class QuadTree {
public:
    // Builds the tree over positions [N, 2] given as interleaved x, y. Coincident points share a leaf.
    explicit QuadTree(const std::vector<double> &positions);

    // For a point at (x, y), accumulates Σ_j q_j into z and Σ_j q_j²·((x, y) - y_j) into (fx, fy) over the
    // tree's points j, where q_j = 1 / (1 + |(x, y) - y_j|²). A cell of side s at distance r from the point
    // is taken as one body at its centre of mass when s < theta·r. `inTree`: the point is one of the
    // tree's own, and leaves it out of the sums.
    void repulsion(double x, double y, double theta, bool inTree, double &fx, double &fy, double &z) const;

private:
    struct Node {
        double cx = 0, cy = 0, half = 0; // the square cell: centre and half its side
        double comX = 0, comY = 0;       // centre of mass of the points below
        int64_t count = 0;
        int32_t firstChild = -1; // four consecutive nodes; -1 for a leaf
        int32_t point = -1;      // a leaf's (first) point
    };
    // What the traversal reads, packed into 32 bytes (two per cache line).
    struct Cell {
        double comX, comY;
        float side2; // the cell's side, squared
        int32_t count;
        int32_t firstChild;
        int32_t padding;
    };
    void insert(int32_t point, double x, double y);

    std::vector<Node> m_nodes;
    std::vector<Cell> m_cells;
    const std::vector<double> &m_positions;
};

} // namespace lodestone::detail
