#pragma once

#include <torch/torch.h>

namespace lodestone {

// Multi-head self-attention with OpenAI CLIP's parameter layout: a packed `in_proj_weight` [3W, W] and
// `in_proj_bias` [3W] for queries, keys and values, then `out_proj`. Input and output are [B, L, W].
class SelfAttentionImpl : public torch::nn::Module {
public:
    SelfAttentionImpl(int width, int heads);
    torch::Tensor forward(const torch::Tensor &x, bool causal);

    torch::Tensor in_proj_weight;
    torch::Tensor in_proj_bias;
    torch::nn::Linear out_proj{nullptr};

private:
    int m_heads;
};
TORCH_MODULE(SelfAttention);

} // namespace lodestone
