#pragma once

// UMAP internals shared with placement.

#include "analysis/neighbours.h"
#include "lodestone/embeddingmap.h"

#include <atomic>
#include <vector>

namespace lodestone::detail {

// Fuzzy memberships of one point's k neighbours (distances ascending) as umap-learn's smooth kNN distances
// compute them: exp(-(d - ρ) / σ), ρ the distance to the nearest neighbour, σ found by bisection so that the
// memberships sum to log2(k + 1) (k + 1 counts the point itself).
void fuzzyMemberships(const float *distances, int k, double *memberships);

// UMAP of `points` [N, D]: positions [N, 2] (the PCA initialisation in `pca`, already fitted). The
// neighbour graph of large sets is searched along the principal components in `reduction`. Sets
// iterations (epochs), cancelled and the resolved options in `map`.
void umapLayout(const FloatArray &points, EmbeddingMap &map, const Pca &reduction,
                const MapProgressCallback &progress, const std::atomic<bool> *cancel);

} // namespace lodestone::detail
