#include "lodestone/embeddingmap.h"

#include "analysis/linalg.h"
#include "analysis/parallel.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cmath>

namespace lodestone {

namespace {

// Rows of the data per block of the covariance: the float sums inside a block stay short, and blocks are
// added up in double.
constexpr int64_t kCovarianceBlock = 512;
// Rows of the covariance one task computes.
constexpr int64_t kCovarianceTaskRows = 32;

void checkMatrix(const FloatArray &points, const char *what)
{
    if (points.rank() != 2)
        throw Error(std::string(what) + ": expected a [N, D] array, got " + points.shapeString());
}

} // namespace

Pca fitPca(const FloatArray &points, int components, int threads)
{
    checkMatrix(points, "PCA");
    const int64_t n = points.dim(0), d = points.dim(1);
    if (n < 2)
        throw Error("PCA: needs at least 2 points, got " + std::to_string(n));
    if (components < 1 || components > d)
        throw Error("PCA: " + std::to_string(components) + " components asked of " + std::to_string(d) +
                    "-dimensional points");

    std::vector<double> mean(size_t(d), 0.0);
    for (int64_t i = 0; i < n; ++i) {
        const float *r = points.row(i);
        for (int64_t j = 0; j < d; ++j)
            mean[size_t(j)] += r[j];
    }
    for (double &m : mean)
        m /= double(n);

    // The centred data, transposed block by block: block b holds rows [b·B, b·B + B) as a [D, B] matrix, so
    // that one covariance entry of the block is a dot product of two contiguous rows.
    const int64_t blocks = (n + kCovarianceBlock - 1) / kCovarianceBlock;
    std::vector<float> transposed(size_t(blocks * kCovarianceBlock * d), 0.0f);
    detail::parallelFor(blocks, 1, threads, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            float *t = transposed.data() + b * kCovarianceBlock * d;
            const int64_t rows = std::min(kCovarianceBlock, n - b * kCovarianceBlock);
            for (int64_t r = 0; r < rows; ++r) {
                const float *p = points.row(b * kCovarianceBlock + r);
                for (int64_t j = 0; j < d; ++j)
                    t[j * kCovarianceBlock + r] = float(double(p[j]) - mean[size_t(j)]);
            }
        }
    });

    // Upper triangle of the scatter matrix, each task a band of rows over all blocks (deterministic sums).
    std::vector<double> scatter(size_t(d * d), 0.0);
    detail::parallelFor(d, kCovarianceTaskRows, threads, [&](int64_t i0, int64_t i1) {
        std::vector<float> tile(size_t((i1 - i0) * (d - i0)));
        for (int64_t b = 0; b < blocks; ++b) {
            const float *t = transposed.data() + b * kCovarianceBlock * d;
            detail::dotProducts(t + i0 * kCovarianceBlock, i1 - i0, t + i0 * kCovarianceBlock, d - i0,
                                kCovarianceBlock, tile.data());
            for (int64_t i = i0; i < i1; ++i)
                for (int64_t j = i; j < d; ++j)
                    scatter[size_t(i * d + j)] += tile[size_t((i - i0) * (d - i0) + (j - i0))];
        }
    });
    transposed = {};
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = 0; j < i; ++j)
            scatter[size_t(i * d + j)] = scatter[size_t(j * d + i)];
    double trace = 0;
    for (int64_t i = 0; i < d; ++i)
        trace += scatter[size_t(i * d + i)];

    const std::vector<double> eigenvalues = detail::symmetricEigen(scatter, int(d));

    Pca pca;
    pca.mean.assign(mean.begin(), mean.end());
    pca.components = FloatArray({components, d});
    pca.totalVariance = trace / double(n - 1);
    for (int c = 0; c < components; ++c) {
        const double *v = &scatter[size_t(c * d)];
        int64_t largest = 0;
        for (int64_t j = 1; j < d; ++j)
            if (std::abs(v[j]) > std::abs(v[largest]))
                largest = j;
        const double sign = v[largest] < 0 ? -1.0 : 1.0;
        float *out = pca.components.row(c);
        for (int64_t j = 0; j < d; ++j)
            out[j] = float(sign * v[j]);
        pca.variances.push_back(std::max(0.0, eigenvalues[size_t(c)]) / double(n - 1));
    }
    return pca;
}

FloatArray Pca::project(const FloatArray &points) const
{
    checkMatrix(points, "PCA projection");
    const int64_t d = int64_t(mean.size());
    if (points.dim(1) != d)
        throw Error("PCA projection: points of dimension " + std::to_string(points.dim(1)) +
                    ", fitted on dimension " + std::to_string(d));
    const int64_t n = points.dim(0), c = components.dim(0);
    FloatArray out({n, c});
    std::vector<float> centred(static_cast<size_t>(d));
    for (int64_t i = 0; i < n; ++i) {
        const float *p = points.row(i);
        for (int64_t j = 0; j < d; ++j)
            centred[size_t(j)] = p[j] - mean[size_t(j)];
        detail::dotProducts(centred.data(), 1, components.data.data(), c, d, out.row(i));
    }
    return out;
}

} // namespace lodestone
