#include "model/selfattention.h"

#include "model/torchcompat.h"

namespace lodestone {

SelfAttentionImpl::SelfAttentionImpl(int width, int heads)
    : m_heads(heads)
{
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * width, width}));
    in_proj_bias = register_parameter("in_proj_bias", torch::zeros({3 * width}));
    out_proj = register_module("out_proj", torch::nn::Linear(width, width));
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor &x, bool causal)
{
    const int64_t batch = x.size(0), length = x.size(1), width = x.size(2);
    const int64_t headWidth = width / m_heads;
    // [B, L, 3W] -> [3, B, H, L, Dh]
    auto qkv = torch::nn::functional::linear(x, in_proj_weight, in_proj_bias)
                   .view({batch, length, 3, m_heads, headWidth})
                   .permute({2, 0, 3, 1, 4});
    auto attended = compat::scaledDotProductAttention(qkv[0], qkv[1], qkv[2], causal);
    return out_proj(attended.transpose(1, 2).reshape({batch, length, width}));
}

} // namespace lodestone
