#include "model/residualattentionblock.h"

namespace lodestone {

ResidualAttentionBlockImpl::ResidualAttentionBlockImpl(int width, int heads, int mlpWidth,
                                                       Activation activation, double layerNormEps)
{
    const auto norm = torch::nn::LayerNormOptions({width}).eps(layerNormEps);
    attn = register_module("attn", SelfAttention(width, heads));
    ln_1 = register_module("ln_1", torch::nn::LayerNorm(norm));
    mlp = register_module("mlp", Mlp(width, mlpWidth, activation));
    ln_2 = register_module("ln_2", torch::nn::LayerNorm(norm));
}

torch::Tensor ResidualAttentionBlockImpl::forward(torch::Tensor x, bool causal)
{
    x = x + attn(ln_1(x), causal);
    return x + mlp(ln_2(x));
}

} // namespace lodestone
