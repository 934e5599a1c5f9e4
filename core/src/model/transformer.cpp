#include "model/transformer.h"

#include <cmath>

namespace lodestone {

TransformerImpl::TransformerImpl(int width, int layers, int heads, int mlpWidth, Activation activation,
                                 double layerNormEps)
    : m_width(width)
    , m_layers(layers)
{
    resblocks = register_module("resblocks", torch::nn::ModuleList());
    for (int i = 0; i < layers; ++i)
        resblocks->push_back(ResidualAttentionBlock(width, heads, mlpWidth, activation, layerNormEps));
}

torch::Tensor TransformerImpl::forward(torch::Tensor x, bool causal)
{
    for (const auto &block : *resblocks)
        x = block->as<ResidualAttentionBlockImpl>()->forward(x, causal);
    return x;
}

void TransformerImpl::initializeParameters()
{
    torch::NoGradGuard noGrad;
    const double attnStd = std::pow(m_width, -0.5);
    const double projStd = attnStd * std::pow(2.0 * std::max(m_layers, 1), -0.5);
    const double fcStd = std::pow(2.0 * m_width, -0.5);
    for (const auto &module : *resblocks) {
        auto *block = module->as<ResidualAttentionBlockImpl>();
        torch::nn::init::normal_(block->attn->in_proj_weight, 0.0, attnStd);
        block->attn->in_proj_bias.zero_();
        torch::nn::init::normal_(block->attn->out_proj->weight, 0.0, projStd);
        block->attn->out_proj->bias.zero_();
        torch::nn::init::normal_(block->mlp->c_fc->weight, 0.0, fcStd);
        torch::nn::init::normal_(block->mlp->c_proj->weight, 0.0, projStd);
    }
}

} // namespace lodestone
