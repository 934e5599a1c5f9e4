#pragma once

// The repulsive t-SNE forces of all points at once, by interpolation on a regular grid and convolution with
// the kernel through FFTs (Linderman et al. 2019, "Fast interpolation-based t-SNE", FIt-SNE): O(N) per
// iteration in the points, plus O(M² log M) in the grid's side M, which grows with the layout's extent,
// not with N. Barnes–Hut's quadtree costs O(N log N) and far more per point.

#include <vector>

namespace lodestone::detail {

struct Repulsion {
    std::vector<double> forces; // [N, 2] interleaved: Σ_j q_ij²·(y_i - y_j)
    double z = 0;               // Σ_{i≠j} q_ij, with q_ij = 1 / (1 + |y_i - y_j|²)
};

// Positions [N, 2] interleaved x, y. The square around the points is cut into boxes of side at least 1
// (50 to 400 a side), each with 3×3 interpolation nodes, FIt-SNE's defaults. The forces err by a few per
// cent where points are sparse (the unit test compares with the exact sums), and the layouts are as
// trustworthy as Barnes–Hut's (bench/README.md). Deterministic, for any number of `threads`.
Repulsion fftRepulsion(const std::vector<double> &positions, int threads);

} // namespace lodestone::detail
