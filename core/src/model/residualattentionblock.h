#pragma once

#include "model/mlp.h"
#include "model/selfattention.h"

#include <torch/torch.h>

namespace lodestone {

// Pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). [B, L, W] in and out.
class ResidualAttentionBlockImpl : public torch::nn::Module {
public:
    ResidualAttentionBlockImpl(int width, int heads, int mlpWidth, Activation activation,
                               double layerNormEps);
    torch::Tensor forward(torch::Tensor x, bool causal);

    SelfAttention attn{nullptr};
    torch::nn::LayerNorm ln_1{nullptr};
    Mlp mlp{nullptr};
    torch::nn::LayerNorm ln_2{nullptr};
};
TORCH_MODULE(ResidualAttentionBlock);

} // namespace lodestone
