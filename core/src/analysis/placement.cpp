#include "lodestone/embeddingmap.h"

#include "analysis/neighbours.h"
#include "analysis/parallel.h"
#include "analysis/quadtree.h"
#include "analysis/random.h"
#include "analysis/tsne.h"
#include "analysis/umap.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace lodestone {

namespace {

constexpr int64_t kPlacementGrain = 16;

// Gradient steps of one point's t-SNE cost KL(p || q) with the map fixed, q_j = w_j / Σ_map w, w = 1 / (1 +
// d²): ∂C/∂y = 2·[Σ_j p_j·w_j·(y - y_j) - Σ_map w²·(y - y_m) / Σ_map w], the second sum through the map's
// quadtree. Each step is scaled by the attraction's curvature, 2·Σ p_j·w_j, and damped by half.
void refineTsne(double &x, double &y, const int32_t *neighbours, const double *p, int k,
                const FloatArray &positions, const detail::QuadTree &tree, double theta, int iterations)
{
    for (int it = 0; it < iterations; ++it) {
        double ax = 0, ay = 0, curvature = 0;
        for (int m = 0; m < k; ++m) {
            const double dx = x - positions.row(neighbours[m])[0], dy = y - positions.row(neighbours[m])[1];
            const double w = 1.0 / (1.0 + dx * dx + dy * dy);
            ax += p[m] * w * dx;
            ay += p[m] * w * dy;
            curvature += p[m] * w;
        }
        double rx = 0, ry = 0, z = 0;
        tree.repulsion(x, y, theta, /*inTree=*/false, rx, ry, z);
        const double gx = 2 * (ax - rx / std::max(z, 1e-300));
        const double gy = 2 * (ay - ry / std::max(z, 1e-300));
        const double step = 0.5 / (2 * std::max(curvature, 1e-12));
        x -= step * gx;
        y -= step * gy;
    }
}

// UMAP's own optimisation of new points (umap-learn's transform): SGD on the edges to the point's neighbours,
// sampled in proportion to their memberships, with negative samples from the map; the map does not move.
void refineUmap(float &x, float &y, const int32_t *neighbours, const double *memberships, int k,
                const FloatArray &positions, const UmapOptions &options, int epochs, detail::Random &random)
{
    double maxWeight = 0;
    for (int m = 0; m < k; ++m)
        maxWeight = std::max(maxWeight, memberships[m]);
    std::vector<double> every(static_cast<size_t>(k)), next(static_cast<size_t>(k));
    for (int m = 0; m < k; ++m) {
        every[size_t(m)] = memberships[m] > 0 ? maxWeight / memberships[m] : 1e300;
        next[size_t(m)] = every[size_t(m)];
    }
    const int64_t n = positions.dim(0);
    const float a = options.a, b = options.b;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        // A quarter of the map's learning rate, as umap-learn's transform uses.
        const float alpha = 0.25f * options.learningRate * (1.0f - float(epoch) / float(epochs));
        for (int m = 0; m < k; ++m) {
            if (next[size_t(m)] > double(epoch))
                continue;
            const float dx = x - positions.row(neighbours[m])[0], dy = y - positions.row(neighbours[m])[1];
            const float d2 = dx * dx + dy * dy;
            if (d2 > 0) {
                const float powB = std::exp(b * std::log(d2));
                const float c = -2.0f * a * b * (powB / d2) / (a * powB + 1.0f);
                x += std::clamp(c * dx, -4.0f, 4.0f) * alpha;
                y += std::clamp(c * dy, -4.0f, 4.0f) * alpha;
            }
            next[size_t(m)] += every[size_t(m)];
            for (int s = 0; s < options.negativeSampleRate; ++s) {
                const int64_t j = int64_t(random.below(uint64_t(n)));
                const float ex = x - positions.row(j)[0], ey = y - positions.row(j)[1];
                const float e2 = ex * ex + ey * ey;
                if (e2 <= 0)
                    continue;
                const float powB = std::exp(b * std::log(e2));
                const float c = 2.0f * options.repulsionStrength * b / ((0.001f + e2) * (a * powB + 1.0f));
                x += std::clamp(c * ex, -4.0f, 4.0f) * alpha;
                y += std::clamp(c * ey, -4.0f, 4.0f) * alpha;
            }
        }
    }
}

} // namespace

FloatArray placePoints(const EmbeddingMap &map, const FloatArray &mapPoints, const FloatArray &newPoints,
                       const PlacementOptions &options)
{
    if (mapPoints.rank() != 2 || newPoints.rank() != 2 || map.positions.rank() != 2 ||
        mapPoints.dim(0) != map.positions.dim(0) || newPoints.dim(1) != mapPoints.dim(1))
        throw Error("placing points: expected the map's [N, D] points and [M, D] new points, got " +
                    mapPoints.shapeString() + " for a map of " + map.positions.shapeString() + " and " +
                    newPoints.shapeString());
    if (options.neighbours < 1 || options.refineIterations < 0)
        throw Error("placing points: invalid options");
    if (map.method == MapMethod::Pca)
        return map.pca.project(newPoints);

    const int64_t n = mapPoints.dim(0), m = newPoints.dim(0);
    const int k = int(std::min<int64_t>(options.neighbours, n));
    const int threads = detail::resolveThreads(options.threads);
    const detail::NeighbourGraph graph = detail::nearestNeighboursOf(mapPoints, newPoints, k, threads);
    const bool tsne = map.method == MapMethod::Tsne;
    std::vector<double> treePositions;
    if (tsne && options.refineIterations > 0) {
        treePositions.resize(size_t(2 * n));
        for (int64_t i = 0; i < 2 * n; ++i)
            treePositions[size_t(i)] = map.positions.data[size_t(i)];
    }
    const detail::QuadTree tree(treePositions); // empty unless refining a t-SNE map
    UmapOptions umapOptions = map.options.umap;
    if (umapOptions.a <= 0 || umapOptions.b <= 0)
        std::tie(umapOptions.a, umapOptions.b) = fitUmapCurve(umapOptions.minDist, umapOptions.spread);

    FloatArray placed({m, 2});
    detail::parallelFor(m, kPlacementGrain, threads, [&](int64_t begin, int64_t end) {
        std::vector<double> weights(static_cast<size_t>(k));
        for (int64_t i = begin; i < end; ++i) {
            const int32_t *neighbours = graph.neighbours(i);
            if (tsne)
                detail::conditionalAffinities(graph.distancesOf(i), k, std::max(1.0, k / 3.0),
                                              weights.data());
            else
                detail::fuzzyMemberships(graph.distancesOf(i), k, weights.data());
            double sum = 0, x = 0, y = 0;
            for (int j = 0; j < k; ++j) {
                sum += weights[size_t(j)];
                x += weights[size_t(j)] * map.positions.row(neighbours[j])[0];
                y += weights[size_t(j)] * map.positions.row(neighbours[j])[1];
            }
            x /= sum;
            y /= sum;
            if (options.refineIterations > 0) {
                if (tsne) {
                    for (double &w : weights)
                        w /= sum;
                    refineTsne(x, y, neighbours, weights.data(), k, map.positions, tree,
                               map.options.tsne.theta, options.refineIterations);
                } else {
                    float fx = float(x), fy = float(y);
                    detail::Random random(map.options.seed * 0x9e3779b97f4a7c15ULL + uint64_t(i));
                    refineUmap(fx, fy, neighbours, weights.data(), k, map.positions, umapOptions,
                               options.refineIterations, random);
                    x = fx;
                    y = fy;
                }
            }
            placed.row(i)[0] = float(x);
            placed.row(i)[1] = float(y);
        }
    });
    return placed;
}

} // namespace lodestone
