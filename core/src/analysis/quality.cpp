#include "lodestone/embeddingmap.h"

#include "analysis/linalg.h"
#include "analysis/parallel.h"
#include "analysis/random.h"
#include "lodestone/error.h"

#include <algorithm>
#include <numeric>

namespace lodestone {

namespace {
constexpr int64_t kSampleGrain = 16; // sampled points per task
} // namespace

MapQuality mapQuality(const FloatArray &points, const FloatArray &positions, int k, int64_t sampleSize,
                      uint64_t seed, int threads)
{
    if (points.rank() != 2 || positions.rank() != 2 || positions.dim(1) != 2 ||
        points.dim(0) != positions.dim(0))
        throw Error("map quality: expected [N, D] points and [N, 2] positions, got " + points.shapeString() +
                    " and " + positions.shapeString());
    const int64_t n = points.dim(0), d = points.dim(1);
    if (k < 1 || 2 * int64_t(k) >= n)
        throw Error("map quality: k = " + std::to_string(k) +
                    " needs 1 <= k < N/2 (N = " + std::to_string(n) + ")");
    if (sampleSize < 1)
        throw Error("map quality: the sample size must be positive");

    const std::vector<int64_t> sample = detail::sampleIndices(n, sampleSize, seed);
    const int64_t s = int64_t(sample.size());
    const std::vector<float> norms = detail::squaredNorms(points);
    const int64_t chunks = (s + kSampleGrain - 1) / kSampleGrain;
    std::vector<double> penalty(size_t(chunks), 0.0), kept(size_t(chunks), 0.0);
    using Entry = std::pair<float, int64_t>; // squared distance, index: ties broken by index

    detail::parallelFor(s, kSampleGrain, threads, [&](int64_t begin, int64_t end) {
        const FloatArray rows =
            detail::gatherRows(points, std::vector<int64_t>(sample.begin() + begin, sample.begin() + end));
        std::vector<float> dots(size_t((end - begin) * n));
        detail::dotProducts(rows.data.data(), end - begin, points.data.data(), n, d, dots.data());
        std::vector<Entry> high(static_cast<size_t>(n)), low(static_cast<size_t>(n));
        double chunkPenalty = 0, chunkKept = 0;
        for (int64_t r = begin; r < end; ++r) {
            const int64_t i = sample[size_t(r)];
            const float xi = positions.row(i)[0], yi = positions.row(i)[1];
            for (int64_t j = 0; j < n; ++j) {
                high[size_t(j)] = {std::max(0.0f, norms[size_t(i)] + norms[size_t(j)] -
                                                      2 * dots[size_t((r - begin) * n + j)]),
                                   j};
                const float dx = positions.row(j)[0] - xi, dy = positions.row(j)[1] - yi;
                low[size_t(j)] = {dx * dx + dy * dy, j};
            }
            // The point itself comes first in both orders.
            high[size_t(i)].first = -1;
            low[size_t(i)].first = -1;
            std::vector<Entry> highOrder = high;
            std::nth_element(highOrder.begin(), highOrder.begin() + k, highOrder.end());
            std::nth_element(low.begin(), low.begin() + k, low.end());
            std::vector<int64_t> highSet;
            for (int m = 0; m <= k; ++m)
                if (highOrder[size_t(m)].second != i)
                    highSet.push_back(highOrder[size_t(m)].second);
            std::sort(highSet.begin(), highSet.end());
            for (int m = 0; m <= k; ++m) {
                const int64_t j = low[size_t(m)].second;
                if (j == i)
                    continue;
                if (std::binary_search(highSet.begin(), highSet.end(), j)) {
                    chunkKept += 1;
                    continue;
                }
                // Rank of j among i's neighbours in D dimensions (1 = nearest).
                int64_t rank = 0;
                const Entry key = high[size_t(j)];
                for (int64_t m2 = 0; m2 < n; ++m2)
                    rank += high[size_t(m2)] < key;
                chunkPenalty += double(rank - k); // rank counts the point itself, which comes first
            }
        }
        penalty[size_t(begin / kSampleGrain)] = chunkPenalty;
        kept[size_t(begin / kSampleGrain)] = chunkKept;
    });

    MapQuality quality;
    quality.k = k;
    quality.sampled = s;
    const double totalPenalty = std::accumulate(penalty.begin(), penalty.end(), 0.0);
    const double totalKept = std::accumulate(kept.begin(), kept.end(), 0.0);
    quality.trustworthiness = 1.0 - 2.0 / (double(s) * k * (2.0 * double(n) - 3.0 * k - 1.0)) * totalPenalty;
    quality.neighbourPreservation = totalKept / (double(s) * k);
    return quality;
}

} // namespace lodestone
