#include "lodestone/embeddingmap.h"

#include "lodestone/error.h"

#include <cmath>

namespace lodestone {

namespace {

// Mean of the L2-normalised rows (rows of norm 0 count as 0).
std::vector<double> meanOfNormalised(const FloatArray &rows)
{
    const int64_t n = rows.dim(0), d = rows.dim(1);
    std::vector<double> mean(static_cast<size_t>(d), 0.0);
    for (int64_t i = 0; i < n; ++i) {
        const float *r = rows.row(i);
        double norm = 0;
        for (int64_t j = 0; j < d; ++j)
            norm += double(r[j]) * r[j];
        if (norm <= 0)
            continue;
        const double inv = 1.0 / std::sqrt(norm);
        for (int64_t j = 0; j < d; ++j)
            mean[size_t(j)] += r[j] * inv;
    }
    for (double &m : mean)
        m /= double(n);
    return mean;
}

} // namespace

ModalityGap modalityGap(const FloatArray &images, const FloatArray &texts)
{
    if (images.rank() != 2 || texts.rank() != 2 || images.dim(0) < 1 || texts.dim(0) < 1 ||
        images.dim(1) != texts.dim(1))
        throw Error("modality gap: expected non-empty [N, D] image and [M, D] text rows, got " +
                    images.shapeString() + " and " + texts.shapeString());
    const std::vector<double> a = meanOfNormalised(images), b = meanOfNormalised(texts);
    double diff = 0, dot = 0, na = 0, nb = 0;
    for (size_t j = 0; j < a.size(); ++j) {
        diff += (a[j] - b[j]) * (a[j] - b[j]);
        dot += a[j] * b[j];
        na += a[j] * a[j];
        nb += b[j] * b[j];
    }
    ModalityGap gap;
    gap.distance = std::sqrt(diff);
    gap.cosine = na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
    return gap;
}

void centreRows(FloatArray &rows)
{
    if (rows.rank() != 2)
        throw Error("centring rows: expected a [N, D] array, got " + rows.shapeString());
    const int64_t n = rows.dim(0), d = rows.dim(1);
    if (n == 0)
        return;
    std::vector<double> mean(static_cast<size_t>(d), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < d; ++j)
            mean[size_t(j)] += rows.row(i)[j];
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < d; ++j)
            rows.row(i)[j] = float(rows.row(i)[j] - mean[size_t(j)] / double(n));
    normalizeRows(rows);
}

} // namespace lodestone
