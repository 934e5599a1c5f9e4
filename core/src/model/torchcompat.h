#pragma once

// The one place where LibTorch versions differ for us: Debian's 1.13 (CPU) and CUDA builds of 2.x.
// Everything else in the project uses these helpers instead of version checks of its own.

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace c10d {
class ProcessGroup;
class Backend;
} // namespace c10d

namespace lodestone::compat {

constexpr bool kTorch2 = TORCH_VERSION_MAJOR >= 2;

// What a c10d process group's collectives are called on: since LibTorch 2.0 ProcessGroupGloo and
// ProcessGroupNCCL are Backends of a ProcessGroup; in 1.13 they are ProcessGroups themselves. The two
// share the collective API (allreduce, allgather, broadcast returning a Work).
#if TORCH_VERSION_MAJOR >= 2
using CollectiveBackend = c10d::Backend;
#else
using CollectiveBackend = c10d::ProcessGroup;
#endif

// Attention over [B, H, L, Dh] queries, keys and values; `causal` masks future positions. LibTorch 2.x
// has a fused kernel (flash / memory-efficient attention on CUDA); 1.13 gets the plain formulation.
inline torch::Tensor scaledDotProductAttention(const torch::Tensor &q, const torch::Tensor &k,
                                               const torch::Tensor &v, bool causal)
{
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, /*dropout_p=*/0.0,
                                            /*is_causal=*/causal);
#else
    auto scores = torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(double(q.size(-1))));
    if (causal) {
        const int64_t n = q.size(-2);
        auto future = torch::ones({n, n}, torch::dtype(torch::kBool).device(q.device())).triu(1);
        scores = scores.masked_fill(future, -std::numeric_limits<float>::infinity());
    }
    return torch::matmul(torch::softmax(scores, -1), v);
#endif
}

// bf16 autocast on CUDA for the guard's lifetime (a no-op when `enabled` is false).
class CudaAutocastGuard {
public:
    explicit CudaAutocastGuard(bool enabled)
        : m_enabled(enabled)
    {
        if (!m_enabled)
            return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        m_wasEnabled = at::autocast::is_autocast_enabled(at::kCUDA);
        m_previousDtype = at::autocast::get_autocast_dtype(at::kCUDA);
        at::autocast::set_autocast_enabled(at::kCUDA, true);
        at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
#else
        m_wasEnabled = at::autocast::is_enabled();
        m_previousDtype = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_enabled(true);
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
#endif
        at::autocast::increment_nesting();
    }
    ~CudaAutocastGuard()
    {
        if (!m_enabled)
            return;
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_enabled(at::kCUDA, m_wasEnabled);
        at::autocast::set_autocast_dtype(at::kCUDA, m_previousDtype);
#else
        at::autocast::set_enabled(m_wasEnabled);
        at::autocast::set_autocast_gpu_dtype(m_previousDtype);
#endif
    }
    CudaAutocastGuard(const CudaAutocastGuard &) = delete;
    CudaAutocastGuard &operator=(const CudaAutocastGuard &) = delete;

private:
    bool m_enabled;
    bool m_wasEnabled = false;
    at::ScalarType m_previousDtype = at::kFloat;
};

} // namespace lodestone::compat
