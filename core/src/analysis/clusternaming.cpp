#include "lodestone/embeddingmap.h"

#include "analysis/linalg.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lodestone {

std::vector<std::vector<ClusterName>> nameClusters(const FloatArray &points,
                                                   const std::vector<int> &assignment, int clusters,
                                                   const FloatArray &textVectors,
                                                   const std::vector<std::string> &texts, int count)
{
    if (points.rank() != 2 || textVectors.rank() != 2)
        throw Error("naming clusters: expected [N, D] points and [T, D] text vectors, got " +
                    points.shapeString() + " and " + textVectors.shapeString());
    const int64_t n = points.dim(0), d = points.dim(1), t = textVectors.dim(0);
    if (textVectors.dim(1) != d)
        throw Error("naming clusters: text vectors of dimension " + std::to_string(textVectors.dim(1)) +
                    " for points of dimension " + std::to_string(d));
    if (int64_t(texts.size()) != t)
        throw Error("naming clusters: " + std::to_string(texts.size()) + " texts for " + std::to_string(t) +
                    " text vectors");
    if (int64_t(assignment.size()) != n)
        throw Error("naming clusters: " + std::to_string(assignment.size()) + " cluster labels for " +
                    std::to_string(n) + " points");
    if (clusters < 0)
        throw Error("naming clusters: negative number of clusters");

    std::vector<double> mean(size_t(d), 0.0), sums(size_t(clusters) * size_t(d), 0.0);
    std::vector<int64_t> sizes(size_t(clusters), 0);
    for (int64_t i = 0; i < n; ++i) {
        const int c = assignment[size_t(i)];
        if (c < 0 || c >= clusters)
            throw Error("naming clusters: label " + std::to_string(c) + " outside [0, " +
                        std::to_string(clusters) + ")");
        ++sizes[size_t(c)];
        const float *p = points.row(i);
        for (int64_t j = 0; j < d; ++j) {
            mean[size_t(j)] += p[j];
            sums[size_t(c * d + j)] += p[j];
        }
    }
    for (double &m : mean)
        m /= double(std::max<int64_t>(n, 1));

    FloatArray texts01 = textVectors;
    normalizeRows(texts01);

    std::vector<std::vector<ClusterName>> names(static_cast<size_t>(clusters));
    std::vector<float> direction(static_cast<size_t>(d)), scores(static_cast<size_t>(t));
    for (int c = 0; c < clusters; ++c) {
        if (sizes[size_t(c)] == 0 || t == 0)
            continue;
        double norm = 0, centroidNorm = 0;
        for (int64_t j = 0; j < d; ++j) {
            const double centroid = sums[size_t(c * d + j)] / double(sizes[size_t(c)]);
            const double diff = centroid - mean[size_t(j)];
            norm += diff * diff;
            centroidNorm += centroid * centroid;
        }
        // A cluster at the overall mean (one cluster, or a balanced one) has nothing to tell it apart:
        // its own direction names it then.
        const bool useDifference = norm > 1e-12 * std::max(1.0, centroidNorm);
        const double scale = 1.0 / std::sqrt(std::max(useDifference ? norm : centroidNorm, 1e-30));
        for (int64_t j = 0; j < d; ++j) {
            const double centroid = sums[size_t(c * d + j)] / double(sizes[size_t(c)]);
            direction[size_t(j)] = float((useDifference ? centroid - mean[size_t(j)] : centroid) * scale);
        }
        detail::dotProducts(direction.data(), 1, texts01.data.data(), t, d, scores.data());
        std::vector<int64_t> order(static_cast<size_t>(t));
        std::iota(order.begin(), order.end(), int64_t(0));
        const int64_t top = std::min<int64_t>(std::max(count, 0), t);
        std::partial_sort(order.begin(), order.begin() + top, order.end(), [&](int64_t a, int64_t b) {
            return scores[size_t(a)] > scores[size_t(b)] || (scores[size_t(a)] == scores[size_t(b)] && a < b);
        });
        for (int64_t r = 0; r < top; ++r)
            names[size_t(c)].push_back({texts[size_t(order[size_t(r)])], scores[size_t(order[size_t(r)])]});
    }
    return names;
}

} // namespace lodestone
