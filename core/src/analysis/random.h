#pragma once

// A small, fast pseudo-random generator whose sequence is fixed by the seed on every platform and standard
// library (std::uniform_int_distribution and friends are implementation-defined, so maps would differ
// between Debian and the GPU machine's toolchain): xoshiro256** seeded through splitmix64.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace lodestone::detail {

class Random {
public:
    explicit Random(uint64_t seed)
    {
        for (uint64_t &s : m_state) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }

    uint64_t next()
    {
        const uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, 1), 53 bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }

    // Uniform in [0, n) for n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
    uint64_t below(uint64_t n) { return uint64_t((__uint128_t(next()) * n) >> 64); }

    // Standard normal (Box–Muller, one of the pair).
    double normal()
    {
        const double u = 1.0 - uniform(); // (0, 1]
        const double v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_state[4];
};

// `m` distinct indices of [0, n) drawn with `seed` (all of them when m >= n), ascending.
inline std::vector<int64_t> sampleIndices(int64_t n, int64_t m, uint64_t seed)
{
    std::vector<int64_t> indices(static_cast<size_t>(std::max<int64_t>(n, 0)));
    std::iota(indices.begin(), indices.end(), int64_t(0));
    if (m < n) {
        Random random(seed);
        for (int64_t i = 0; i < m; ++i)
            std::swap(indices[size_t(i)], indices[size_t(i + int64_t(random.below(uint64_t(n - i))))]);
        indices.resize(size_t(std::max<int64_t>(m, 0)));
        std::sort(indices.begin(), indices.end());
    }
    return indices;
}

} // namespace lodestone::detail
