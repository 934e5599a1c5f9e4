#pragma once

#include "lodestone/clipconfig.h"
#include "model/transformer.h"

#include <torch/torch.h>

namespace lodestone {

// CLIP's image tower: conv1 cuts [B, 3, R, R] pixels into patches, a class token and positional
// embeddings are added, ln_pre, the transformer, ln_post on the class token, then `proj` [W, D].
// Parameter names follow OpenAI's `visual.*` keys.
class VisionTransformerImpl : public torch::nn::Module {
public:
    VisionTransformerImpl(const ClipConfig &config);
    torch::Tensor forward(const torch::Tensor &pixels); // -> [B, D], projected, not normalised
    void initializeParameters();

    torch::nn::Conv2d conv1{nullptr};
    torch::Tensor class_embedding;
    torch::Tensor positional_embedding;
    torch::nn::LayerNorm ln_pre{nullptr};
    Transformer transformer{nullptr};
    torch::nn::LayerNorm ln_post{nullptr};
    torch::Tensor proj;
};
TORCH_MODULE(VisionTransformer);

} // namespace lodestone
