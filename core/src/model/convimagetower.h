#pragma once

#include "lodestone/clipconfig.h"

#include <torch/torch.h>

namespace lodestone {

// A small convolutional image tower for models trained from scratch on a CPU: `layers` stages of a
// stride-2 3x3 convolution, GroupNorm and GELU halve the image each time; the final feature map is
// flattened (keeping where things are, which counts and spatial relations need), projected to `width`,
// normalised (ln_post) and projected to the embedding (proj). Parameters live under `visual.` like the ViT's.
class ConvImageTowerImpl : public torch::nn::Module {
public:
    explicit ConvImageTowerImpl(const ClipConfig &config);
    torch::Tensor forward(const torch::Tensor &pixels); // [B, 3, R, R] -> [B, D]
    void initializeParameters();

    torch::nn::ModuleList stages{nullptr};
    torch::nn::Linear flatten_proj{nullptr};
    torch::nn::LayerNorm ln_post{nullptr};
    torch::Tensor proj;
};
TORCH_MODULE(ConvImageTower);

} // namespace lodestone
