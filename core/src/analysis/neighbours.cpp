#include "analysis/neighbours.h"

#include "analysis/linalg.h"
#include "analysis/parallel.h"
#include "lodestone/error.h"

#include <algorithm>
#include <assert.h>
#include <atomic>
#include <cassert>
#include <cmath>
#include <deque>
#include <fstream>
#include <iostream>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <stdexcept>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#include <x86intrin.h>
#endif

// hnswlib 0.6 (Debian 12's) defines functions and variables in its headers without `inline`, so a second
// translation unit including it (the library's ANN index does) breaks the link with duplicate symbols. Here
// it goes into an unnamed namespace: its entities become this file's own, whatever the other includes. The
// standard headers it includes are all included above, so their include guards keep them out of the
// namespace.
namespace {
#include <hnswlib/hnswlib.h>
} // namespace

namespace lodestone::detail {

namespace {

// Squared Euclidean distance for hnswlib through the library's dot-product kernels (AVX2 when the CPU has
// it, chosen at run time, where hnswlib picks its kernel at compile time).
float hnswDistance(const void *a, const void *b, const void *dimension)
{
    const int64_t d = int64_t(*static_cast<const size_t *>(dimension));
    return detail::squaredDistance(static_cast<const float *>(a), static_cast<const float *>(b), d);
}

class EuclideanSpace : public hnswlib::SpaceInterface<float> {
public:
    explicit EuclideanSpace(size_t dim)
        : m_dim(dim)
    {}
    size_t get_data_size() override { return m_dim * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return hnswDistance; }
    void *get_dist_func_param() override { return &m_dim; }

private:
    size_t m_dim;
};

constexpr int64_t kQueryBlock = 32;  // query rows per task
constexpr int64_t kBaseBlock = 2048; // base rows per dot-product call
// HNSW parameters: degree 16, and beams wide enough for a recall near 1 on clustered 512-d embeddings.
constexpr int kHnswM = 16;
constexpr int kHnswEfConstruction = 100;
constexpr int kHnswMinEfSearch = 64;
constexpr int64_t kProgressEvery = 2000;

using Candidate = std::pair<float, int32_t>; // squared distance, index: compared lexicographically

// Exact k nearest rows of `base` to the query rows [q0, q1) of `queries`, skipping index q0 + r for query
// row r when `excludeSelf`. Writes squared distances and indices, nearest first, to rows r·k of the outputs
// (-1 where fewer than k exist).
void exactBlock(const FloatArray &base, const std::vector<float> &baseNorms, const FloatArray &queries,
                int64_t q0, int64_t q1, int k, bool excludeSelf, int32_t *indices, float *squaredDistances)
{
    const int64_t n = base.dim(0), d = base.dim(1), rows = q1 - q0;
    std::vector<std::priority_queue<Candidate>> heaps(static_cast<size_t>(rows));
    std::vector<float> dots(size_t(rows * kBaseBlock));
    for (int64_t b0 = 0; b0 < n; b0 += kBaseBlock) {
        const int64_t b1 = std::min(n, b0 + kBaseBlock), width = b1 - b0;
        dotProducts(queries.row(q0), rows, base.row(b0), width, d, dots.data());
        for (int64_t r = 0; r < rows; ++r) {
            const float qNorm = dot(queries.row(q0 + r), queries.row(q0 + r), d);
            auto &heap = heaps[size_t(r)];
            // Distances first, in a loop the compiler vectorises; then most candidates lose to the current
            // k-th in one comparison.
            float *distances = &dots[size_t(r * width)];
            const float *norms = &baseNorms[size_t(b0)];
            for (int64_t j = 0; j < width; ++j)
                distances[j] = std::max(0.0f, qNorm + norms[j] - 2 * distances[j]);
            float worst = int(heap.size()) < k ? std::numeric_limits<float>::infinity() : heap.top().first;
            for (int64_t j = b0; j < b1; ++j) {
                const float distance = distances[j - b0];
                if (distance > worst || (excludeSelf && j == q0 + r))
                    continue;
                const Candidate c{distance, int32_t(j)};
                if (int(heap.size()) < k) {
                    heap.push(c);
                } else if (c < heap.top()) {
                    heap.pop();
                    heap.push(c);
                } else {
                    continue;
                }
                if (int(heap.size()) == k)
                    worst = heap.top().first;
            }
        }
    }
    for (int64_t r = 0; r < rows; ++r) {
        auto &heap = heaps[size_t(r)];
        for (int slot = k - 1; slot >= int(heap.size()); --slot) {
            indices[r * k + slot] = -1;
            squaredDistances[r * k + slot] = 0;
        }
        for (int slot = int(heap.size()) - 1; slot >= 0; --slot) {
            indices[r * k + slot] = heap.top().second;
            squaredDistances[r * k + slot] = heap.top().first;
            heap.pop();
        }
    }
}

// exactBlock into rows [q0, q1) of a graph, with Euclidean distances.
void exactBlock(const FloatArray &base, const std::vector<float> &baseNorms, const FloatArray &queries,
                int64_t q0, int64_t q1, bool excludeSelf, NeighbourGraph &graph)
{
    const int k = graph.k;
    exactBlock(base, baseNorms, queries, q0, q1, k, excludeSelf, &graph.indices[size_t(q0 * k)],
               &graph.distances[size_t(q0 * k)]);
    for (int64_t e = q0 * k; e < q1 * k; ++e)
        graph.distances[size_t(e)] = std::sqrt(graph.distances[size_t(e)]);
}

// Sorts candidate indices by their exact distance to point i and keeps the k nearest in row i of the graph.
void rerank(const FloatArray &points, int64_t i, const int32_t *candidates, int count, NeighbourGraph &graph,
            std::vector<Candidate> &scratch)
{
    scratch.clear();
    const int64_t d = points.dim(1);
    constexpr int kAhead = 4; // rows are fetched from memory at random: start on later ones early
    for (int m = 0; m < count; ++m) {
        if (m + kAhead < count && candidates[m + kAhead] >= 0) {
            const char *next = reinterpret_cast<const char *>(points.row(candidates[m + kAhead]));
            for (int64_t byte = 0; byte < d * int64_t(sizeof(float)); byte += 64)
                __builtin_prefetch(next + byte);
        }
        if (candidates[m] >= 0 && candidates[m] != i)
            scratch.push_back({squaredDistance(points.row(i), points.row(candidates[m]), d), candidates[m]});
    }
    std::sort(scratch.begin(), scratch.end());
    const int k = graph.k;
    for (int m = 0; m < k && m < int(scratch.size()); ++m) {
        graph.indices[size_t(i * k + m)] = scratch[size_t(m)].second;
        graph.distances[size_t(i * k + m)] = std::sqrt(std::max(0.0f, scratch[size_t(m)].first));
    }
}

NeighbourGraph emptyGraph(int64_t n, int k)
{
    NeighbourGraph graph;
    graph.n = n;
    graph.k = k;
    graph.indices.assign(size_t(n * k), -1);
    graph.distances.assign(size_t(n * k), 0.0f);
    return graph;
}

} // namespace

NeighbourGraph nearestNeighbours(const FloatArray &points, int k, const NeighbourSearch &search,
                                 const MapProgressCallback &progress, const std::atomic<bool> *cancel)
{
    const int64_t n = points.dim(0);
    if (k < 1 || k >= n)
        throw Error("nearest neighbours: " + std::to_string(k) + " neighbours asked among " +
                    std::to_string(n) + " points");
    if (n > INT32_MAX)
        throw Error("nearest neighbours: too many points");
    const int threads = resolveThreads(search.threads);
    NeighbourGraph graph = emptyGraph(n, k);
    auto report = [&](int64_t done) {
        if (progress)
            progress({"neighbours", done, n});
    };
    auto cancelled = [&] { return cancel && cancel->load(); };
    report(0);

    if (n <= search.exactLimit) {
        const std::vector<float> norms = squaredNorms(points);
        parallelFor(n, kQueryBlock, threads, [&](int64_t q0, int64_t q1) {
            if (!cancelled())
                exactBlock(points, norms, points, q0, q1, /*excludeSelf=*/true, graph);
        });
        if (cancelled())
            return {};
        report(n);
        return graph;
    }

    // Candidates from the reduced space (when given), then re-ranked by their exact distances.
    const FloatArray reduced = search.reduction ? search.reduction->project(points) : FloatArray();
    const FloatArray &space = search.reduction ? reduced : points;
    const int candidates =
        int(std::min<int64_t>(n - 1, search.candidates > 0 ? search.candidates : std::max(3 * k, 64)));

    if (n <= search.hnswLimit) {
        // Brute force among the reduced vectors: N²·r multiply-adds, but at the speed of dense products.
        const std::vector<float> norms = squaredNorms(space);
        parallelFor(n, kQueryBlock, threads, [&](int64_t q0, int64_t q1) {
            if (cancelled())
                return;
            std::vector<int32_t> found(size_t((q1 - q0) * candidates));
            std::vector<float> distances(found.size());
            exactBlock(space, norms, space, q0, q1, candidates, /*excludeSelf=*/true, found.data(),
                       distances.data());
            std::vector<Candidate> scratch;
            for (int64_t i = q0; i < q1; ++i)
                rerank(points, i, &found[size_t((i - q0) * candidates)], candidates, graph, scratch);
        });
        if (cancelled())
            return {};
        report(n);
        return graph;
    }

    // Built on one thread: HNSW's graph depends on the order of insertion, which threads would make vary.
    EuclideanSpace hnswSpace(static_cast<size_t>(space.dim(1)));
    auto index = std::make_unique<hnswlib::HierarchicalNSW<float>>(
        &hnswSpace, size_t(n), size_t(kHnswM), size_t(kHnswEfConstruction), size_t(search.seed));
    for (int64_t i = 0; i < n; ++i) {
        index->addPoint(space.row(i), size_t(i));
        if ((i + 1) % kProgressEvery == 0) {
            if (cancelled())
                return {};
            report((i + 1) / 2);
        }
    }
    index->setEf(size_t(std::max(kHnswMinEfSearch, candidates + 1)));
    parallelFor(n, kQueryBlock, threads, [&](int64_t q0, int64_t q1) {
        if (cancelled())
            return;
        std::vector<int32_t> found;
        std::vector<Candidate> scratch;
        for (int64_t i = q0; i < q1; ++i) {
            auto result = index->searchKnn(space.row(i), size_t(candidates + 1));
            found.clear();
            for (; !result.empty(); result.pop())
                found.push_back(int32_t(result.top().second));
            rerank(points, i, found.data(), int(found.size()), graph, scratch);
        }
    });
    if (cancelled())
        return {};
    // A point HNSW found fewer than k others for (rare; tiny or degenerate sets) gets its row completed
    // exactly.
    const std::vector<float> norms = squaredNorms(points);
    for (int64_t i = 0; i < n; ++i)
        if (graph.indices[size_t(i * k + k - 1)] < 0)
            exactBlock(points, norms, points, i, i + 1, /*excludeSelf=*/true, graph);
    report(n);
    return graph;
}

NeighbourGraph nearestNeighboursOf(const FloatArray &base, const FloatArray &queries, int k, int threads)
{
    const int64_t n = base.dim(0), m = queries.dim(0);
    if (k < 1 || k > n)
        throw Error("nearest neighbours: " + std::to_string(k) + " neighbours asked among " +
                    std::to_string(n) + " points");
    if (queries.dim(1) != base.dim(1))
        throw Error("nearest neighbours: queries of dimension " + std::to_string(queries.dim(1)) +
                    " against points of dimension " + std::to_string(base.dim(1)));
    NeighbourGraph graph = emptyGraph(m, k);
    const std::vector<float> norms = squaredNorms(base);
    parallelFor(m, kQueryBlock, threads, [&](int64_t q0, int64_t q1) {
        exactBlock(base, norms, queries, q0, q1, /*excludeSelf=*/false, graph);
    });
    return graph;
}

} // namespace lodestone::detail
