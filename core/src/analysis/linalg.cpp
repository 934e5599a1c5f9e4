#include "analysis/linalg.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LODESTONE_HAVE_AVX2_KERNEL 1
#endif

namespace lodestone::detail {

namespace {

// b rows are visited in blocks that stay in L2 while all rows of a stream past them.
constexpr int64_t kBlockRows = 64;

// Portable kernel: GCC/Clang vector extensions (SSE2 or NEON registers).
typedef float V4 __attribute__((vector_size(16)));

inline float sum4(V4 v)
{
    return (v[0] + v[2]) + (v[1] + v[3]);
}

inline V4 load4(const float *p)
{
    V4 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

void dotProductsPortable(const float *a, int64_t na, const float *b, int64_t nb, int64_t d, float *out)
{
    const int64_t d4 = d / 4 * 4;
    for (int64_t jb = 0; jb < nb; jb += kBlockRows) {
        const int64_t je = std::min(nb, jb + kBlockRows);
        for (int64_t i = 0; i < na; i += 2) {
            const bool two = i + 1 < na;
            const float *a0 = a + i * d;
            const float *a1 = two ? a0 + d : a0;
            for (int64_t j = jb; j < je; j += 2) {
                const bool twoB = j + 1 < je;
                const float *b0 = b + j * d;
                const float *b1 = twoB ? b0 + d : b0;
                V4 s00 = {}, s01 = {}, s10 = {}, s11 = {};
                for (int64_t k = 0; k < d4; k += 4) {
                    const V4 x0 = load4(a0 + k), x1 = load4(a1 + k);
                    const V4 y0 = load4(b0 + k), y1 = load4(b1 + k);
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                }
                float t00 = sum4(s00), t01 = sum4(s01), t10 = sum4(s10), t11 = sum4(s11);
                for (int64_t k = d4; k < d; ++k) {
                    t00 += a0[k] * b0[k];
                    t01 += a0[k] * b1[k];
                    t10 += a1[k] * b0[k];
                    t11 += a1[k] * b1[k];
                }
                out[i * nb + j] = t00;
                if (twoB)
                    out[i * nb + j + 1] = t01;
                if (two) {
                    out[(i + 1) * nb + j] = t10;
                    if (twoB)
                        out[(i + 1) * nb + j + 1] = t11;
                }
            }
        }
    }
}

#ifdef LODESTONE_HAVE_AVX2_KERNEL
__attribute__((target("avx2,fma"))) inline float hsum8(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

// A 4×2 tile of dot products per step: 8 accumulators, 6 loads per 8 FMAs.
__attribute__((target("avx2,fma"))) void dotProductsAvx2(const float *a, int64_t na, const float *b,
                                                         int64_t nb, int64_t d, float *out)
{
    const int64_t d8 = d / 8 * 8;
    for (int64_t jb = 0; jb < nb; jb += kBlockRows) {
        const int64_t je = std::min(nb, jb + kBlockRows);
        for (int64_t i = 0; i < na; i += 4) {
            const int rowsA = int(std::min<int64_t>(4, na - i));
            const float *ar[4];
            for (int r = 0; r < 4; ++r)
                ar[r] = a + (i + std::min(r, rowsA - 1)) * d;
            for (int64_t j = jb; j < je; j += 2) {
                const bool twoB = j + 1 < je;
                const float *b0 = b + j * d;
                const float *b1 = twoB ? b0 + d : b0;
                __m256 s[4][2];
                for (int r = 0; r < 4; ++r)
                    s[r][0] = s[r][1] = _mm256_setzero_ps();
                for (int64_t k = 0; k < d8; k += 8) {
                    const __m256 y0 = _mm256_loadu_ps(b0 + k), y1 = _mm256_loadu_ps(b1 + k);
                    for (int r = 0; r < 4; ++r) {
                        const __m256 x = _mm256_loadu_ps(ar[r] + k);
                        s[r][0] = _mm256_fmadd_ps(x, y0, s[r][0]);
                        s[r][1] = _mm256_fmadd_ps(x, y1, s[r][1]);
                    }
                }
                for (int r = 0; r < rowsA; ++r) {
                    float t0 = hsum8(s[r][0]), t1 = hsum8(s[r][1]);
                    for (int64_t k = d8; k < d; ++k) {
                        t0 += ar[r][k] * b0[k];
                        t1 += ar[r][k] * b1[k];
                    }
                    out[(i + r) * nb + j] = t0;
                    if (twoB)
                        out[(i + r) * nb + j + 1] = t1;
                }
            }
        }
    }
}

std::atomic<bool> g_avx2Allowed{true};

__attribute__((target("avx2,fma"))) float squaredDistanceAvx2(const float *a, const float *b, int64_t d)
{
    const int64_t d16 = d / 16 * 16;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    for (int64_t k = 0; k < d16; k += 16) {
        const __m256 x0 = _mm256_sub_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k));
        const __m256 x1 = _mm256_sub_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8));
        s0 = _mm256_fmadd_ps(x0, x0, s0);
        s1 = _mm256_fmadd_ps(x1, x1, s1);
    }
    float sum = hsum8(_mm256_add_ps(s0, s1));
    for (int64_t k = d16; k < d; ++k)
        sum += (a[k] - b[k]) * (a[k] - b[k]);
    return sum;
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has && g_avx2Allowed;
}
#endif

} // namespace

void dotProducts(const float *a, int64_t na, const float *b, int64_t nb, int64_t d, float *out)
{
    if (na <= 0 || nb <= 0)
        return;
#ifdef LODESTONE_HAVE_AVX2_KERNEL
    if (cpuHasAvx2()) {
        dotProductsAvx2(a, na, b, nb, d, out);
        return;
    }
#endif
    dotProductsPortable(a, na, b, nb, d, out);
}

bool allowAvx2(bool allowed)
{
#ifdef LODESTONE_HAVE_AVX2_KERNEL
    return g_avx2Allowed.exchange(allowed);
#else
    return allowed && false;
#endif
}

float squaredDistance(const float *a, const float *b, int64_t d)
{
#ifdef LODESTONE_HAVE_AVX2_KERNEL
    if (cpuHasAvx2())
        return squaredDistanceAvx2(a, b, d);
#endif
    const int64_t d4 = d / 4 * 4;
    V4 s = {};
    for (int64_t k = 0; k < d4; k += 4) {
        const V4 x = load4(a + k) - load4(b + k);
        s += x * x;
    }
    float sum = sum4(s);
    for (int64_t k = d4; k < d; ++k)
        sum += (a[k] - b[k]) * (a[k] - b[k]);
    return sum;
}

float dot(const float *a, const float *b, int64_t d)
{
    float out = 0;
    dotProducts(a, 1, b, 1, d, &out);
    return out;
}

FloatArray gatherRows(const FloatArray &rows, const std::vector<int64_t> &indices)
{
    const int64_t d = rows.dim(1);
    FloatArray out({int64_t(indices.size()), d});
    for (size_t i = 0; i < indices.size(); ++i)
        std::copy_n(rows.row(indices[i]), d, out.row(int64_t(i)));
    return out;
}

std::vector<float> squaredNorms(const FloatArray &rows)
{
    const int64_t n = rows.dim(0), d = rows.dim(1);
    std::vector<float> norms(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        norms[size_t(i)] = dot(rows.row(i), rows.row(i), d);
    return norms;
}

std::vector<double> symmetricEigen(std::vector<double> &matrix, int n)
{
    // V holds the accumulated transformations, column j the j-th eigenvector at the end. It is stored
    // transposed (v(r, c) is matrix[c·n + r]; the input is symmetric, so that is still the input) because
    // the inner loops of tred2 and tql2 run down V's columns: contiguous this way.
    std::vector<double> &W = matrix;
    auto v = [&](int r, int c) -> double & { return W[size_t(c) * size_t(n) + size_t(r)]; };
    std::vector<double> d(static_cast<size_t>(n)), e(static_cast<size_t>(n));
    if (n == 0)
        return d;

    // tred2: Householder reduction to tridiagonal form.
    for (int j = 0; j < n; ++j)
        d[j] = v(n - 1, j);
    for (int i = n - 1; i > 0; --i) {
        double scale = 0, h = 0;
        for (int k = 0; k < i; ++k)
            scale += std::abs(d[k]);
        if (scale == 0) {
            e[i] = d[i - 1];
            for (int j = 0; j < i; ++j) {
                d[j] = v(i - 1, j);
                v(i, j) = 0;
                v(j, i) = 0;
            }
        } else {
            for (int k = 0; k < i; ++k) {
                d[k] /= scale;
                h += d[k] * d[k];
            }
            double f = d[i - 1];
            double g = std::sqrt(h);
            if (f > 0)
                g = -g;
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for (int j = 0; j < i; ++j)
                e[j] = 0;
            for (int j = 0; j < i; ++j) {
                f = d[j];
                v(j, i) = f;
                g = e[j] + v(j, j) * f;
                for (int k = j + 1; k <= i - 1; ++k) {
                    g += v(k, j) * d[k];
                    e[k] += v(k, j) * f;
                }
                e[j] = g;
            }
            f = 0;
            for (int j = 0; j < i; ++j) {
                e[j] /= h;
                f += e[j] * d[j];
            }
            const double hh = f / (h + h);
            for (int j = 0; j < i; ++j)
                e[j] -= hh * d[j];
            for (int j = 0; j < i; ++j) {
                f = d[j];
                g = e[j];
                for (int k = j; k <= i - 1; ++k)
                    v(k, j) -= (f * e[k] + g * d[k]);
                d[j] = v(i - 1, j);
                v(i, j) = 0;
            }
        }
        d[i] = h;
    }
    for (int i = 0; i < n - 1; ++i) {
        v(n - 1, i) = v(i, i);
        v(i, i) = 1;
        const double h = d[i + 1];
        if (h != 0) {
            for (int k = 0; k <= i; ++k)
                d[k] = v(k, i + 1) / h;
            for (int j = 0; j <= i; ++j) {
                double g = 0;
                for (int k = 0; k <= i; ++k)
                    g += v(k, i + 1) * v(k, j);
                for (int k = 0; k <= i; ++k)
                    v(k, j) -= g * d[k];
            }
        }
        for (int k = 0; k <= i; ++k)
            v(k, i + 1) = 0;
    }
    for (int j = 0; j < n; ++j) {
        d[j] = v(n - 1, j);
        v(n - 1, j) = 0;
    }
    v(n - 1, n - 1) = 1;
    e[0] = 0;

    // tql2: the implicit QL method on the tridiagonal matrix; its rotations act on rows of W (V's columns).
    for (int i = 1; i < n; ++i)
        e[i - 1] = e[i];
    e[n - 1] = 0;
    double f = 0, tst1 = 0;
    const double eps = std::ldexp(1.0, -52);
    for (int l = 0; l < n; ++l) {
        tst1 = std::max(tst1, std::abs(d[l]) + std::abs(e[l]));
        int m = l;
        while (m < n && std::abs(e[m]) > eps * tst1)
            ++m;
        if (m == n)
            m = n - 1; // e[n-1] is 0; reached only through rounding
        if (m > l) {
            for (int iter = 0; iter < 100; ++iter) {
                double g = d[l];
                double p = (d[l + 1] - g) / (2.0 * e[l]);
                double r = std::hypot(p, 1.0);
                if (p < 0)
                    r = -r;
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                const double dl1 = d[l + 1];
                double h = g - d[l];
                for (int i = l + 2; i < n; ++i)
                    d[i] -= h;
                f += h;
                p = d[m];
                double c = 1, c2 = 1, c3 = 1;
                const double el1 = e[l + 1];
                double s = 0, s2 = 0;
                for (int i = m - 1; i >= l; --i) {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = std::hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    double *wi = &W[size_t(i) * size_t(n)];
                    double *wi1 = wi + n;
                    for (int k = 0; k < n; ++k) {
                        const double t = wi1[k];
                        wi1[k] = s * wi[k] + c * t;
                        wi[k] = c * wi[k] - s * t;
                    }
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                if (std::abs(e[l]) <= eps * tst1)
                    break;
            }
        }
        d[l] += f;
        e[l] = 0;
    }

    // Decreasing eigenvalues, eigenvectors as rows.
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return d[x] > d[y]; });
    std::vector<double> values(static_cast<size_t>(n)), sorted(W.size());
    for (int i = 0; i < n; ++i) {
        values[i] = d[order[i]];
        std::copy_n(&W[size_t(order[i]) * size_t(n)], n, &sorted[size_t(i) * size_t(n)]);
    }
    W = std::move(sorted);
    return values;
}

} // namespace lodestone::detail
