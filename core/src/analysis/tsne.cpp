#include "analysis/tsne.h"

#include "analysis/fftrepulsion.h"
#include "analysis/parallel.h"
#include "analysis/quadtree.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lodestone::detail {

namespace {

constexpr int64_t kForceGrain = 512; // points per task in the gradient
constexpr int kProgressEvery = 10;   // iterations between progress reports

// Joint affinities P as a symmetric sparse matrix in compressed rows: p_ij = (p_j|i + p_i|j) / 2N.
struct SparseAffinities {
    std::vector<int64_t> rowStart; // [N + 1]
    std::vector<int32_t> columns;
    std::vector<double> values;
};

SparseAffinities jointAffinities(const NeighbourGraph &graph, double perplexity, int threads)
{
    const int64_t n = graph.n;
    const int k = graph.k;
    std::vector<double> conditional(size_t(n * k));
    parallelFor(n, 256, threads, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            conditionalAffinities(graph.distancesOf(i), k, perplexity, &conditional[size_t(i * k)]);
    });

    // Row i of the sum is row i of the conditional matrix merged with column i of it (its transpose), both
    // sorted by column.
    std::vector<int64_t> transposeStart(size_t(n + 1), 0);
    for (int32_t j : graph.indices)
        ++transposeStart[size_t(j) + 1];
    for (int64_t i = 0; i < n; ++i)
        transposeStart[size_t(i + 1)] += transposeStart[size_t(i)];
    std::vector<int32_t> transposeColumns(graph.indices.size());
    std::vector<double> transposeValues(graph.indices.size());
    {
        std::vector<int64_t> fill(transposeStart.begin(), transposeStart.end() - 1);
        for (int64_t i = 0; i < n; ++i) // rows in order: each transposed row comes out sorted by column
            for (int m = 0; m < k; ++m) {
                const int32_t j = graph.indices[size_t(i * k + m)];
                transposeColumns[size_t(fill[size_t(j)])] = int32_t(i);
                transposeValues[size_t(fill[size_t(j)]++)] = conditional[size_t(i * k + m)];
            }
    }

    SparseAffinities p;
    p.rowStart.assign(size_t(n + 1), 0);
    p.columns.reserve(size_t(2 * n * k));
    p.values.reserve(size_t(2 * n * k));
    const double scale = 1.0 / (2.0 * double(n));
    std::vector<std::pair<int32_t, double>> row;
    for (int64_t i = 0; i < n; ++i) {
        row.clear();
        for (int m = 0; m < k; ++m)
            row.push_back({graph.indices[size_t(i * k + m)], conditional[size_t(i * k + m)]});
        std::sort(row.begin(), row.end());
        size_t a = 0;
        int64_t b = transposeStart[size_t(i)];
        const int64_t bEnd = transposeStart[size_t(i + 1)];
        while (a < row.size() || b < bEnd) {
            int32_t column;
            double value = 0;
            if (b >= bEnd || (a < row.size() && row[a].first < transposeColumns[size_t(b)])) {
                column = row[a].first;
                value = row[a++].second;
            } else if (a >= row.size() || transposeColumns[size_t(b)] < row[a].first) {
                column = transposeColumns[size_t(b)];
                value = transposeValues[size_t(b++)];
            } else {
                column = row[a].first;
                value = row[a++].second + transposeValues[size_t(b++)];
            }
            p.columns.push_back(column);
            p.values.push_back(value * scale);
        }
        p.rowStart[size_t(i + 1)] = int64_t(p.columns.size());
    }
    return p;
}

// Spreads the low 16 bits of v to the even bits.
uint64_t spreadBits(uint64_t v)
{
    v &= 0xffff;
    v = (v | (v << 8)) & 0x00ff00ffULL;
    v = (v | (v << 4)) & 0x0f0f0f0fULL;
    v = (v | (v << 2)) & 0x33333333ULL;
    v = (v | (v << 1)) & 0x55555555ULL;
    return v;
}

// The points in Z-order of their positions: visited in that order, consecutive points walk nearly the same
// part of the quadtree and touch nearly the same neighbours, which keeps them in cache.
void spatialOrder(const std::vector<double> &y, std::vector<int32_t> &order)
{
    const int64_t n = int64_t(y.size() / 2);
    double minX = y[0], maxX = y[0], minY = y[1], maxY = y[1];
    for (int64_t i = 1; i < n; ++i) {
        minX = std::min(minX, y[size_t(2 * i)]);
        maxX = std::max(maxX, y[size_t(2 * i)]);
        minY = std::min(minY, y[size_t(2 * i + 1)]);
        maxY = std::max(maxY, y[size_t(2 * i + 1)]);
    }
    const double scale = 65535.0 / std::max({maxX - minX, maxY - minY, 1e-300});
    std::vector<std::pair<uint64_t, int32_t>> keyed(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const uint64_t qx = uint64_t((y[size_t(2 * i)] - minX) * scale);
        const uint64_t qy = uint64_t((y[size_t(2 * i + 1)] - minY) * scale);
        keyed[size_t(i)] = {spreadBits(qx) | (spreadBits(qy) << 1), int32_t(i)};
    }
    std::sort(keyed.begin(), keyed.end());
    order.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i)
        order[size_t(i)] = keyed[size_t(i)].second;
}

} // namespace

void conditionalAffinities(const float *distances, int k, double perplexity, double *p)
{
    // Squared distances shifted by the smallest: the same p, without underflow for far-away points.
    const double nearest = double(distances[0]) * double(distances[0]);
    const double target = std::log(perplexity);
    double beta = 1.0, lo = 0.0, hi = std::numeric_limits<double>::infinity();
    for (int iteration = 0; iteration < 200; ++iteration) {
        double sum = 0, weighted = 0;
        for (int m = 0; m < k; ++m) {
            const double d2 = double(distances[m]) * double(distances[m]) - nearest;
            p[m] = std::exp(-beta * d2);
            sum += p[m];
            weighted += d2 * p[m];
        }
        // Entropy of p / sum: log(sum) + β·E[d²].
        const double entropy = std::log(sum) + beta * weighted / sum;
        if (std::abs(entropy - target) < 1e-5)
            break;
        if (entropy > target) {
            lo = beta;
            beta = std::isinf(hi) ? beta * 2 : 0.5 * (beta + hi);
        } else {
            hi = beta;
            beta = 0.5 * (beta + lo);
        }
    }
    double sum = 0;
    for (int m = 0; m < k; ++m)
        sum += p[m];
    for (int m = 0; m < k; ++m)
        p[m] /= sum;
}

void tsneLayout(const FloatArray &points, EmbeddingMap &map, const Pca &reduction,
                const MapProgressCallback &progress, const std::atomic<bool> *cancel)
{
    TsneOptions &options = map.options.tsne;
    const int64_t n = points.dim(0);
    const int threads = resolveThreads(map.options.threads);
    if (!(options.perplexity > 0) || options.iterations < 0 || !(options.theta > 0) ||
        options.exaggerationIterations < 0 || !(options.earlyExaggeration > 0) || !(options.exaggeration > 0))
        throw Error("t-SNE: invalid options");
    auto cancelled = [&] { return cancel && cancel->load(); };

    // Small sets: the perplexity has to fit in the neighbours there are.
    const double perplexity = std::min(options.perplexity, std::max(1.0, double(n - 1) / 3.0));
    const int k = int(std::min<int64_t>(n - 1, int64_t(std::floor(3 * perplexity))));
    const NeighbourGraph graph =
        nearestNeighbours(points, std::max(1, k),
                          {map.options.seed, threads, kExactNeighbourLimit, &reduction, 0}, progress, cancel);
    if (graph.n == 0) {
        map.cancelled = true;
        return;
    }
    if (progress)
        progress({"affinities", 0, 1});
    const SparseAffinities p = jointAffinities(graph, perplexity, threads);
    if (progress)
        progress({"affinities", 1, 1});
    if (options.repulsion == TsneRepulsion::Auto)
        options.repulsion = n >= kTsneFftFrom ? TsneRepulsion::Fft : TsneRepulsion::BarnesHut;
    if (options.learningRate <= 0)
        options.learningRate = std::max(double(n) / options.earlyExaggeration, 200.0);

    // PCA initialisation, scaled to a standard deviation of 1e-4 along x (openTSNE, Kobak & Linderman 2021).
    std::vector<double> y(size_t(2 * n));
    {
        const FloatArray pcaPositions = map.pca.project(points);
        double mean = 0, sq = 0;
        for (int64_t i = 0; i < n; ++i)
            mean += pcaPositions.row(i)[0];
        mean /= double(n);
        for (int64_t i = 0; i < n; ++i)
            sq += (pcaPositions.row(i)[0] - mean) * (pcaPositions.row(i)[0] - mean);
        const double sd = std::sqrt(sq / double(std::max<int64_t>(n - 1, 1)));
        const double scale = sd > 0 ? 1e-4 / sd : 1.0;
        for (int64_t i = 0; i < n; ++i) {
            y[size_t(2 * i)] = pcaPositions.row(i)[0] * scale;
            y[size_t(2 * i + 1)] = pcaPositions.row(i)[1] * scale;
        }
    }

    std::vector<double> gradient(size_t(2 * n)), update(size_t(2 * n), 0.0), gains(size_t(2 * n), 1.0);
    std::vector<double> repulsive(size_t(2 * n));
    const int64_t chunks = (n + kForceGrain - 1) / kForceGrain;
    std::vector<double> zPartial(static_cast<size_t>(chunks));
    std::vector<int32_t> order;
    int iteration = 0;
    for (; iteration < options.iterations; ++iteration) {
        if (cancelled())
            break;
        const bool early = iteration < options.exaggerationIterations;
        const double exaggeration = early ? options.earlyExaggeration : options.exaggeration;
        const double momentum = early ? 0.5 : 0.8;

        // Attraction along the neighbour graph.
        parallelFor(n, kForceGrain, threads, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const double yi0 = y[size_t(2 * i)], yi1 = y[size_t(2 * i + 1)];
                double ax = 0, ay = 0;
                for (int64_t e = p.rowStart[size_t(i)]; e < p.rowStart[size_t(i + 1)]; ++e) {
                    const int32_t j = p.columns[size_t(e)];
                    const double dx = yi0 - y[size_t(2 * j)], dy = yi1 - y[size_t(2 * j + 1)];
                    const double pq = p.values[size_t(e)] / (1.0 + dx * dx + dy * dy);
                    ax += pq * dx;
                    ay += pq * dy;
                }
                gradient[size_t(2 * i)] = exaggeration * ax;
                gradient[size_t(2 * i + 1)] = exaggeration * ay;
            }
        });
        // Repulsion from everything, unnormalised, and the normaliser z = Σ_{i≠j} q_ij.
        double z = 0;
        if (options.repulsion == TsneRepulsion::Fft) {
            Repulsion repulsion = fftRepulsion(y, threads);
            repulsive.swap(repulsion.forces);
            z = repulsion.z;
        } else {
            const QuadTree tree(y);
            spatialOrder(y, order);
            parallelFor(n, kForceGrain, threads, [&](int64_t begin, int64_t end) {
                double zChunk = 0;
                for (int64_t position = begin; position < end; ++position) {
                    const int64_t i = order[size_t(position)];
                    double rx = 0, ry = 0;
                    tree.repulsion(y[size_t(2 * i)], y[size_t(2 * i + 1)], options.theta, /*inTree=*/true, rx,
                                   ry, zChunk);
                    repulsive[size_t(2 * i)] = rx;
                    repulsive[size_t(2 * i + 1)] = ry;
                }
                zPartial[size_t(begin / kForceGrain)] = zChunk;
            });
            for (double part : zPartial)
                z += part;
        }
        z = std::max(z, std::numeric_limits<double>::min());

        double meanX = 0, meanY = 0;
        for (int64_t i = 0; i < 2 * n; ++i) {
            const double g = gradient[size_t(i)] - repulsive[size_t(i)] / z;
            double &gain = gains[size_t(i)];
            gain = (g > 0) != (update[size_t(i)] > 0) ? gain + 0.2 : gain * 0.8;
            gain = std::max(gain, 0.01);
            update[size_t(i)] = momentum * update[size_t(i)] - options.learningRate * gain * g;
            y[size_t(i)] += update[size_t(i)];
            (i % 2 ? meanY : meanX) += y[size_t(i)];
        }
        meanX /= double(n);
        meanY /= double(n);
        for (int64_t i = 0; i < n; ++i) {
            y[size_t(2 * i)] -= meanX;
            y[size_t(2 * i + 1)] -= meanY;
        }
        if (progress && (iteration + 1) % kProgressEvery == 0)
            progress({"layout", iteration + 1, options.iterations});
    }
    map.iterations = iteration;
    map.cancelled = iteration < options.iterations;
    map.positions = FloatArray({n, 2});
    for (int64_t i = 0; i < 2 * n; ++i)
        map.positions.data[size_t(i)] = float(y[size_t(i)]);
}

} // namespace lodestone::detail
