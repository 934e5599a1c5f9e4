#pragma once

#include "model/residualattentionblock.h"

#include <torch/torch.h>

namespace lodestone {

// A stack of residual attention blocks, named `resblocks.N` as in OpenAI's checkpoints.
class TransformerImpl : public torch::nn::Module {
public:
    TransformerImpl(int width, int layers, int heads, int mlpWidth, Activation activation,
                    double layerNormEps);
    torch::Tensor forward(torch::Tensor x, bool causal);

    // Re-initialises the blocks as CLIP does for training from scratch (std scaled by width and depth).
    void initializeParameters();

    torch::nn::ModuleList resblocks{nullptr};

private:
    int m_width;
    int m_layers;
};
TORCH_MODULE(Transformer);

} // namespace lodestone
