#pragma once

// t-SNE internals shared with placement.

#include "analysis/neighbours.h"
#include "lodestone/embeddingmap.h"

#include <atomic>
#include <vector>

namespace lodestone::detail {

// Conditional affinities p_j|i ∝ exp(-β·d_j²) over one point's k neighbour distances (ascending), with β
// found by bisection so that the entropy of p is log(perplexity). Writes k values summing to 1 into `p`.
void conditionalAffinities(const float *distances, int k, double perplexity, double *p);

// Barnes–Hut t-SNE of `points` [N, D]: positions [N, 2] (the PCA initialisation in `pca`, already fitted).
// The neighbour graph of large sets is searched along the principal components in `reduction`. Sets
// iterations, cancelled and the resolved options in `map`.
void tsneLayout(const FloatArray &points, EmbeddingMap &map, const Pca &reduction,
                const MapProgressCallback &progress, const std::atomic<bool> *cancel);

} // namespace lodestone::detail
