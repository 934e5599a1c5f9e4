#include "analysis/umap.h"

#include "analysis/parallel.h"
#include "analysis/random.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lodestone::detail {

namespace {

constexpr int kProgressEvery = 5; // epochs between progress reports

// The symmetric fuzzy graph as directed edges (each undirected edge twice, once from either end, as
// umap-learn samples them), with weights.
struct FuzzyGraph {
    std::vector<int32_t> head, tail;
    std::vector<float> weight;
};

FuzzyGraph fuzzyUnion(const NeighbourGraph &graph, int threads)
{
    const int64_t n = graph.n;
    const int k = graph.k;
    std::vector<double> memberships(size_t(n * k));
    parallelFor(n, 256, threads, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            fuzzyMemberships(graph.distancesOf(i), k, &memberships[size_t(i * k)]);
    });

    // Row i of the union: row i of the membership matrix A merged with row i of its transpose, both sorted by
    // column; w = a + b - a·b.
    std::vector<int64_t> transposeStart(size_t(n + 1), 0);
    for (int32_t j : graph.indices)
        ++transposeStart[size_t(j) + 1];
    for (int64_t i = 0; i < n; ++i)
        transposeStart[size_t(i + 1)] += transposeStart[size_t(i)];
    std::vector<int32_t> transposeColumns(graph.indices.size());
    std::vector<double> transposeValues(graph.indices.size());
    {
        std::vector<int64_t> fill(transposeStart.begin(), transposeStart.end() - 1);
        for (int64_t i = 0; i < n; ++i)
            for (int m = 0; m < k; ++m) {
                const int32_t j = graph.indices[size_t(i * k + m)];
                transposeColumns[size_t(fill[size_t(j)])] = int32_t(i);
                transposeValues[size_t(fill[size_t(j)]++)] = memberships[size_t(i * k + m)];
            }
    }
    FuzzyGraph fuzzy;
    std::vector<std::pair<int32_t, double>> row;
    for (int64_t i = 0; i < n; ++i) {
        row.clear();
        for (int m = 0; m < k; ++m)
            row.push_back({graph.indices[size_t(i * k + m)], memberships[size_t(i * k + m)]});
        std::sort(row.begin(), row.end());
        size_t a = 0;
        int64_t b = transposeStart[size_t(i)];
        const int64_t bEnd = transposeStart[size_t(i + 1)];
        while (a < row.size() || b < bEnd) {
            int32_t column;
            double w;
            if (b >= bEnd || (a < row.size() && row[a].first < transposeColumns[size_t(b)])) {
                column = row[a].first;
                w = row[a++].second;
            } else if (a >= row.size() || transposeColumns[size_t(b)] < row[a].first) {
                column = transposeColumns[size_t(b)];
                w = transposeValues[size_t(b++)];
            } else {
                const double x = row[a++].second, y = transposeValues[size_t(b++)];
                column = transposeColumns[size_t(b - 1)];
                w = x + y - x * y;
            }
            if (w > 0 && column != int32_t(i)) {
                fuzzy.head.push_back(int32_t(i));
                fuzzy.tail.push_back(column);
                fuzzy.weight.push_back(float(w));
            }
        }
    }
    return fuzzy;
}

inline float clip4(float v)
{
    return std::clamp(v, -4.0f, 4.0f);
}

} // namespace

void fuzzyMemberships(const float *distances, int k, double *memberships)
{
    const double target = std::log2(double(k + 1));
    double rho = 0, mean = 0;
    for (int m = 0; m < k; ++m) {
        mean += distances[m];
        if (rho == 0 && distances[m] > 0)
            rho = distances[m];
    }
    mean /= double(std::max(k, 1));
    double lo = 0, hi = std::numeric_limits<double>::infinity(), sigma = 1;
    for (int iteration = 0; iteration < 64; ++iteration) {
        double sum = 0;
        for (int m = 0; m < k; ++m) {
            const double d = distances[m] - rho;
            sum += d > 0 ? std::exp(-d / sigma) : 1.0;
        }
        if (std::abs(sum - target) < 1e-5)
            break;
        if (sum > target) {
            hi = sigma;
            sigma = 0.5 * (lo + hi);
        } else {
            lo = sigma;
            sigma = std::isinf(hi) ? sigma * 2 : 0.5 * (lo + hi);
        }
    }
    // umap-learn's floor on σ (MIN_K_DIST_SCALE): no point is infinitely far from its neighbours.
    sigma = std::max(sigma, 1e-3 * mean);
    for (int m = 0; m < k; ++m) {
        const double d = distances[m] - rho;
        memberships[m] = (d <= 0 || sigma == 0) ? 1.0 : std::exp(-d / sigma);
    }
}

void umapLayout(const FloatArray &points, EmbeddingMap &map, const Pca &reduction,
                const MapProgressCallback &progress, const std::atomic<bool> *cancel)
{
    UmapOptions &options = map.options.umap;
    const int64_t n = points.dim(0);
    const int threads = resolveThreads(map.options.threads);
    if (options.neighbours < 2 || !(options.minDist >= 0) || !(options.spread > 0) || options.epochs < 0 ||
        !(options.learningRate > 0) || options.negativeSampleRate < 0 || !(options.repulsionStrength >= 0))
        throw Error("UMAP: invalid options");
    if (options.a <= 0 || options.b <= 0)
        std::tie(options.a, options.b) = fitUmapCurve(options.minDist, options.spread);
    if (options.epochs == 0)
        options.epochs = n <= 10000 ? 500 : 200;
    auto cancelled = [&] { return cancel && cancel->load(); };

    const int k = int(std::min<int64_t>(options.neighbours - 1, n - 1));
    const NeighbourGraph graph = nearestNeighbours(
        points, k, {map.options.seed, threads, kExactNeighbourLimit, &reduction, 0}, progress, cancel);
    if (graph.n == 0) {
        map.cancelled = true;
        return;
    }
    if (progress)
        progress({"affinities", 0, 1});
    FuzzyGraph fuzzy = fuzzyUnion(graph, threads);
    if (progress)
        progress({"affinities", 1, 1});

    // Edges too weak to be sampled once in all the epochs are dropped; the others are sampled every
    // max/weight epochs, with negativeSampleRate negative samples each time.
    const int epochs = options.epochs;
    float maxWeight = 0;
    for (float w : fuzzy.weight)
        maxWeight = std::max(maxWeight, w);
    std::vector<int32_t> head, tail;
    std::vector<double> epochsPerSample, nextSample, epochsPerNegative, nextNegative;
    for (size_t e = 0; e < fuzzy.weight.size(); ++e) {
        if (fuzzy.weight[e] < maxWeight / float(epochs))
            continue;
        head.push_back(fuzzy.head[e]);
        tail.push_back(fuzzy.tail[e]);
        const double every = double(maxWeight) / double(fuzzy.weight[e]);
        epochsPerSample.push_back(every);
        nextSample.push_back(every);
        const double everyNegative = options.negativeSampleRate > 0 ? every / options.negativeSampleRate
                                                                    : std::numeric_limits<double>::infinity();
        epochsPerNegative.push_back(everyNegative);
        nextNegative.push_back(everyNegative);
    }
    fuzzy = {};

    // PCA initialisation scaled to [0, 10] along each axis (umap-learn's scaling of any initialisation), with
    // a little noise so that no two points coincide.
    Random random(map.options.seed);
    std::vector<float> y(size_t(2 * n));
    {
        const FloatArray pcaPositions = map.pca.project(points);
        for (int axis = 0; axis < 2; ++axis) {
            float lo = std::numeric_limits<float>::infinity(), hi = -lo;
            for (int64_t i = 0; i < n; ++i) {
                lo = std::min(lo, pcaPositions.row(i)[axis]);
                hi = std::max(hi, pcaPositions.row(i)[axis]);
            }
            const float scale = hi > lo ? 10.0f / (hi - lo) : 1.0f;
            for (int64_t i = 0; i < n; ++i)
                y[size_t(2 * i + axis)] =
                    (pcaPositions.row(i)[axis] - lo) * scale + float(1e-4 * random.normal());
        }
    }

    const float a = options.a, b = options.b, gamma = options.repulsionStrength;
    const size_t edges = head.size();
    int epoch = 0;
    for (; epoch < epochs; ++epoch) {
        if (cancelled())
            break;
        const float alpha = options.learningRate * (1.0f - float(epoch) / float(epochs));
        for (size_t e = 0; e < edges; ++e) {
            if (nextSample[e] > double(epoch))
                continue;
            float *current = &y[size_t(2 * head[e])];
            float *other = &y[size_t(2 * tail[e])];
            float dx = current[0] - other[0], dy = current[1] - other[1];
            float d2 = dx * dx + dy * dy;
            if (d2 > 0) {
                // -2ab·d^(2(b-1)) / (1 + a·d^(2b)), with one log and one exp instead of two pows.
                const float powB = std::exp(b * std::log(d2));
                const float coefficient = -2.0f * a * b * (powB / d2) / (a * powB + 1.0f);
                const float gx = clip4(coefficient * dx) * alpha, gy = clip4(coefficient * dy) * alpha;
                current[0] += gx;
                current[1] += gy;
                other[0] -= gx;
                other[1] -= gy;
            }
            nextSample[e] += epochsPerSample[e];

            const int negatives = int((double(epoch) - nextNegative[e]) / epochsPerNegative[e]);
            for (int s = 0; s < negatives; ++s) {
                const int64_t j = int64_t(random.below(uint64_t(n)));
                if (j == head[e])
                    continue;
                const float *far = &y[size_t(2 * j)];
                dx = current[0] - far[0];
                dy = current[1] - far[1];
                d2 = dx * dx + dy * dy;
                if (d2 > 0) {
                    const float powB = std::exp(b * std::log(d2));
                    const float coefficient = 2.0f * gamma * b / ((0.001f + d2) * (a * powB + 1.0f));
                    current[0] += clip4(coefficient * dx) * alpha;
                    current[1] += clip4(coefficient * dy) * alpha;
                } else {
                    current[0] += 4.0f * alpha;
                    current[1] += 4.0f * alpha;
                }
            }
            nextNegative[e] += negatives * epochsPerNegative[e];
        }
        if (progress && (epoch + 1) % kProgressEvery == 0)
            progress({"layout", epoch + 1, epochs});
    }
    map.iterations = epoch;
    map.cancelled = epoch < epochs;
    map.positions = FloatArray({n, 2});
    for (int64_t i = 0; i < 2 * n; ++i)
        map.positions.data[size_t(i)] = y[size_t(i)];
}

} // namespace lodestone::detail

namespace lodestone {

std::pair<float, float> fitUmapCurve(float minDist, float spread)
{
    if (!(spread > 0) || !(minDist >= 0))
        throw Error("UMAP: minDist must be >= 0 and spread > 0");
    // Levenberg–Marquardt on the 300 points, from (a, b) = (1, 1) as scipy's curve_fit starts.
    constexpr int kPoints = 300;
    std::vector<double> xs(kPoints), targets(kPoints);
    for (int i = 0; i < kPoints; ++i) {
        xs[size_t(i)] = 3.0 * spread * i / (kPoints - 1);
        targets[size_t(i)] = xs[size_t(i)] < minDist ? 1.0 : std::exp(-(xs[size_t(i)] - minDist) / spread);
    }
    auto cost = [&](double a, double b) {
        double c = 0;
        for (int i = 0; i < kPoints; ++i) {
            const double u = xs[size_t(i)] > 0 ? std::pow(xs[size_t(i)], 2 * b) : 0.0;
            const double r = 1.0 / (1.0 + a * u) - targets[size_t(i)];
            c += r * r;
        }
        return c;
    };
    double a = 1, b = 1, lambda = 1e-3;
    double current = cost(a, b);
    for (int iteration = 0; iteration < 500; ++iteration) {
        double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
        for (int i = 0; i < kPoints; ++i) {
            const double x = xs[size_t(i)];
            if (x <= 0)
                continue;
            const double u = std::pow(x, 2 * b);
            const double f = 1.0 / (1.0 + a * u);
            const double r = f - targets[size_t(i)];
            const double da = -u * f * f;
            const double db = -a * u * 2 * std::log(x) * f * f;
            jaa += da * da;
            jab += da * db;
            jbb += db * db;
            ga += da * r;
            gb += db * r;
        }
        bool improved = false;
        for (int attempt = 0; attempt < 30 && !improved; ++attempt) {
            const double maa = jaa * (1 + lambda), mbb = jbb * (1 + lambda);
            const double det = maa * mbb - jab * jab;
            if (det == 0) {
                lambda *= 10;
                continue;
            }
            const double stepA = -(mbb * ga - jab * gb) / det;
            const double stepB = -(maa * gb - jab * ga) / det;
            const double trial = cost(a + stepA, b + stepB);
            if (trial < current && a + stepA > 0 && b + stepB > 0) {
                const double change = current - trial;
                a += stepA;
                b += stepB;
                current = trial;
                lambda = std::max(lambda / 10, 1e-12);
                improved = true;
                if (change < 1e-15 * std::max(current, 1e-300))
                    iteration = 1 << 20;
            } else {
                lambda *= 10;
            }
        }
        if (!improved)
            break;
    }
    return {float(a), float(b)};
}

} // namespace lodestone
