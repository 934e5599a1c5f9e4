#pragma once

// k-nearest-neighbour graphs for t-SNE, UMAP, placement and the quality measures: exact (blocked dot
// products) for small sets, hnswlib's HNSW graph for large ones.

#include "lodestone/embeddingmap.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace lodestone::detail {

struct NeighbourGraph {
    int64_t n = 0;                // rows
    int k = 0;                    // neighbours per row
    std::vector<int32_t> indices; // [n·k]: row i's neighbours, nearest first
    std::vector<float> distances; // [n·k]: their Euclidean distances

    const int32_t *neighbours(int64_t i) const { return indices.data() + i * k; }
    const float *distancesOf(int64_t i) const { return distances.data() + i * k; }
};

// Up to this many points, neighbours are found exactly (N²·D/2 multiply-adds: 16 G at 8 000 × 512).
constexpr int64_t kExactNeighbourLimit = 8000;
// Up to this many points, candidates are found by brute force in the reduced space (N²·64 multiply-adds);
// beyond, an HNSW graph finds them sooner (70 000 points, 2 cores: 54 s either way for 270 candidates, 19 s
// against 26 s for 64).
constexpr int64_t kHnswNeighbourLimit = 40000;

struct NeighbourSearch {
    uint64_t seed = 1; // HNSW's level generator
    int threads = 0;
    int64_t exactLimit = kExactNeighbourLimit;
    // Above exactLimit, the HNSW graph is built on the points' coordinates along these principal components
    // (null: on the points themselves): distances several times cheaper and a graph that stays in cache.
    // Each point's `candidates` nearest in that space are then re-ranked by their exact distances.
    const Pca *reduction = nullptr;
    int candidates = 0; // 0: max(3k, 64)
    // Above this many points the candidates come from an HNSW graph (built on one thread, so that it is the
    // same on every run; searched on many) instead of brute force in the reduced space.
    int64_t hnswLimit = kHnswNeighbourLimit;
};

// The k nearest other rows of each row of `points` [N, D] (k < N), ties broken by index, with Euclidean
// distances. Exact for N <= exactLimit; otherwise each point's nearest candidates in the reduced space (brute
// force, or HNSW above hnswLimit) re-ranked by exact distance. The same on every run and for any number of
// threads. Reports the phase "neighbours". Returns an empty graph (n = 0) when cancelled.
NeighbourGraph nearestNeighbours(const FloatArray &points, int k, const NeighbourSearch &search = {},
                                 const MapProgressCallback &progress = {},
                                 const std::atomic<bool> *cancel = nullptr);

// The k nearest rows of `base` [N, D] to each row of `queries` [M, D], exactly (M·N·D multiply-adds).
NeighbourGraph nearestNeighboursOf(const FloatArray &base, const FloatArray &queries, int k, int threads);

} // namespace lodestone::detail
