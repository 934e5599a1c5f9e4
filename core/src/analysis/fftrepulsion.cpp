#include "analysis/fftrepulsion.h"

#include "analysis/parallel.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace lodestone::detail {

namespace {

constexpr int kNodesPerBox = 3;     // interpolation nodes a box side (FIt-SNE's default)
constexpr int kMinBoxes = 50;       // boxes a side, at least
constexpr int kMaxBoxes = 400;      // and at most: wider layouts get wider boxes (a 2 400² kernel, 46 MB)
constexpr double kMinBoxSide = 1.0; // layout units, as FIt-SNE: q changes on the scale of 1
constexpr int kCharges = 4;         // what is spread: 1, x, y and x² + y² of each point
constexpr int64_t kPointGrain = 2048;

// The smallest number ≥ n with no prime factor above 5: FFT sizes that transform fast.
int smoothAtLeast(int n)
{
    for (;; ++n) {
        int rest = n;
        for (int factor : {2, 3, 5})
            while (rest % factor == 0)
                rest /= factor;
        if (rest == 1)
            return n;
    }
}

// The Lagrange basis polynomials of the nodes (l + ½) / p of the unit interval, at t in [0, 1].
std::array<double, kNodesPerBox> lagrangeWeights(double t)
{
    std::array<double, kNodesPerBox> w{};
    for (int k = 0; k < kNodesPerBox; ++k) {
        const double tk = (k + 0.5) / kNodesPerBox;
        double value = 1;
        for (int l = 0; l < kNodesPerBox; ++l)
            if (l != k) {
                const double tl = (l + 0.5) / kNodesPerBox;
                value *= (t - tl) / (tk - tl);
            }
        w[size_t(k)] = value;
    }
    return w;
}

} // namespace

Repulsion fftRepulsion(const std::vector<double> &positions, int threads)
{
    const int64_t n = int64_t(positions.size() / 2);
    Repulsion result;
    result.forces.assign(positions.size(), 0.0);
    if (n < 2)
        return result;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : positions) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const double extent = hi - lo;
    if (!(extent > 0)) { // every point in one place: q = 1 between all, and no force
        result.z = double(n) * double(n - 1);
        return result;
    }
    // Coordinates are taken about the square's centre: the charges x² + y² stay small, and the sums that
    // make z (which cancel in part) keep their precision.
    const double centre = 0.5 * (lo + hi);
    const int boxes =
        smoothAtLeast(int(std::clamp(std::ceil(extent / kMinBoxSide), double(kMinBoxes), double(kMaxBoxes))));
    const double boxSide = extent / boxes;
    const int64_t nodes = int64_t(boxes) * kNodesPerBox; // a side
    const double spacing = boxSide / kNodesPerBox;
    // Zero-padded to twice the side, the FFT's circular convolution is the linear one on the nodes.
    const int64_t padded = 2 * nodes;

    // Each point's box and interpolation weights along x and y.
    std::vector<int32_t> firstNode(size_t(2 * n));
    std::vector<std::array<double, kNodesPerBox>> weights(size_t(2 * n));
    parallelFor(n, kPointGrain, threads, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            for (int axis = 0; axis < 2; ++axis) {
                const double t = (positions[size_t(2 * i + axis)] - lo) / boxSide;
                const int box = std::min(int(t), boxes - 1);
                firstNode[size_t(2 * i + axis)] = box * kNodesPerBox;
                weights[size_t(2 * i + axis)] = lagrangeWeights(t - box);
            }
    });

    // Spread the charges onto the nodes: one charge per task, the points in order, so the sums are the same
    // whatever the number of threads.
    torch::Tensor grid = torch::zeros({kCharges, nodes, nodes}, torch::kDouble);
    double *gridData = grid.data_ptr<double>();
    parallelFor(kCharges, 1, threads, [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            double *plane = gridData + c * nodes * nodes;
            for (int64_t i = 0; i < n; ++i) {
                const double x = positions[size_t(2 * i)] - centre, y = positions[size_t(2 * i + 1)] - centre;
                const double charge = c == 0 ? 1.0 : c == 1 ? x : c == 2 ? y : x * x + y * y;
                const auto &wx = weights[size_t(2 * i)], &wy = weights[size_t(2 * i + 1)];
                const int64_t row0 = firstNode[size_t(2 * i)], col0 = firstNode[size_t(2 * i + 1)];
                for (int a = 0; a < kNodesPerBox; ++a)
                    for (int b = 0; b < kNodesPerBox; ++b)
                        plane[(row0 + a) * nodes + col0 + b] += wx[size_t(a)] * wy[size_t(b)] * charge;
            }
        }
    });

    // The kernel q² = 1 / (1 + d²)² at every node offset, negative offsets wrapped to the far end.
    torch::Tensor kernel = torch::empty({padded, padded}, torch::kDouble);
    double *kernelData = kernel.data_ptr<double>();
    parallelFor(padded, 64, threads, [&](int64_t begin, int64_t end) {
        for (int64_t a = begin; a < end; ++a) {
            const double da = double(a < nodes ? a : a - padded) * spacing;
            for (int64_t b = 0; b < padded; ++b) {
                const double db = double(b < nodes ? b : b - padded) * spacing;
                const double q = 1.0 / (1.0 + da * da + db * db);
                kernelData[a * padded + b] = q * q;
            }
        }
    });
    // The convolution as a product of transforms. The grid fills only the first half of the padded rows
    // and columns, and only that quarter of the result is wanted, so the row transforms run on the nodes'
    // rows alone, in both directions (a quarter of the work saved against plain 2D transforms).
    const torch::Tensor spectrum =
        torch::fft::fft(torch::fft::rfft(grid, padded, /*dim=*/-1), padded, /*dim=*/-2) *
        torch::fft::rfft2(kernel);
    const torch::Tensor potentials =
        torch::fft::irfft(torch::fft::ifft(spectrum, c10::nullopt, /*dim=*/-2).narrow(-2, 0, nodes), padded,
                          /*dim=*/-1)
            .narrow(-1, 0, nodes)
            .contiguous();
    const double *potential = potentials.data_ptr<double>();

    // Interpolate the potentials back at the points.
    const int64_t chunks = (n + kPointGrain - 1) / kPointGrain;
    std::vector<double> zPartial(size_t(chunks), 0.0);
    parallelFor(n, kPointGrain, threads, [&](int64_t begin, int64_t end) {
        double z = 0;
        for (int64_t i = begin; i < end; ++i) {
            const auto &wx = weights[size_t(2 * i)], &wy = weights[size_t(2 * i + 1)];
            const int64_t row0 = firstNode[size_t(2 * i)], col0 = firstNode[size_t(2 * i + 1)];
            std::array<double, kCharges> phi{};
            for (int c = 0; c < kCharges; ++c) {
                const double *plane = potential + c * nodes * nodes;
                double sum = 0;
                for (int a = 0; a < kNodesPerBox; ++a)
                    for (int b = 0; b < kNodesPerBox; ++b)
                        sum += wx[size_t(a)] * wy[size_t(b)] * plane[(row0 + a) * nodes + col0 + b];
                phi[size_t(c)] = sum;
            }
            const double x = positions[size_t(2 * i)] - centre, y = positions[size_t(2 * i + 1)] - centre;
            // Σ_j q²(y_i - y_j) = y_i Σ_j q² - Σ_j q² y_j; the point's own term is zero either way.
            result.forces[size_t(2 * i)] = x * phi[0] - phi[1];
            result.forces[size_t(2 * i + 1)] = y * phi[0] - phi[2];
            // Σ_j q = Σ_j q²(1 + |y_i - y_j|²), less the point's own q = 1.
            z += (1 + x * x + y * y) * phi[0] - 2 * (x * phi[1] + y * phi[2]) + phi[3] - 1;
        }
        zPartial[size_t(begin / kPointGrain)] = z;
    });
    for (double part : zPartial)
        result.z += part;
    return result;
}

} // namespace lodestone::detail
