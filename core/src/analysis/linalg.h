#pragma once

// Dense kernels for the analysis code: dot products of many rows against many rows (the core of PCA's
// covariance, k-means, exact neighbours, silhouettes, trustworthiness) and a symmetric eigensolver.

#include "lodestone/floatarray.h"

#include <cstdint>
#include <vector>

namespace lodestone::detail {

// out[i·nb + j] = Σ_k a[i·d + k]·b[j·d + k] for the row-major blocks a [na, d] and b [nb, d]. Uses AVX2/FMA
// when the CPU has it (results then differ from the portable path in the last bits, never between runs).
void dotProducts(const float *a, int64_t na, const float *b, int64_t nb, int64_t d, float *out);

// Tests: turns the AVX2 kernel off (false) or back on; returns the previous setting.
bool allowAvx2(bool allowed);

float dot(const float *a, const float *b, int64_t d);
// Σ_k (a[k] - b[k])², with the same kernel choice as dotProducts.
float squaredDistance(const float *a, const float *b, int64_t d);

// The rows `indices` of [N, D] rows, in that order.
FloatArray gatherRows(const FloatArray &rows, const std::vector<int64_t> &indices);

// Squared L2 norm of each row of [N, D] rows.
std::vector<float> squaredNorms(const FloatArray &rows);

// Eigen-decomposition of the symmetric n×n matrix `matrix` (row-major; only symmetric input is valid) by
// Householder tridiagonalisation and the implicit QL method (EISPACK tred2/tql2, as in JAMA). Returns the
// eigenvalues in decreasing order; `matrix` is overwritten with the eigenvectors as rows, in that order.
std::vector<double> symmetricEigen(std::vector<double> &matrix, int n);

} // namespace lodestone::detail
