#pragma once

#include "lodestone/clipconfig.h"
#include "model/convimagetower.h"
#include "model/texttransformer.h"
#include "model/visiontransformer.h"

#include <torch/torch.h>

namespace lodestone {

// The dual encoder as a Torch module. Its parameter names are exactly OpenAI's checkpoint keys
// (`visual.conv1.weight`, `transformer.resblocks.0.attn.in_proj_weight`, `text_projection`, `logit_scale`),
// so OpenAI/OpenCLIP weights load by name and our own checkpoints use the same names.
class ClipModuleImpl : public torch::nn::Module {
public:
    explicit ClipModuleImpl(const ClipConfig &config);

    torch::Tensor encodeImage(const torch::Tensor &pixels); // [B, 3, R, R] float -> [B, D]
    torch::Tensor encodeText(const torch::Tensor &tokens);  // [B, L] int64 -> [B, D]
    // CLIP's initialisation for training from scratch (the constructor leaves Torch's defaults).
    void initializeParameters();
    // The image tower's module, whichever kind it is.
    torch::nn::Module &imageTower();

    // The image tower registered as `visual`: a ViT, or (small from-scratch presets) a convolutional one.
    VisionTransformer visual{nullptr};
    ConvImageTower convVisual{nullptr};
    TextTransformer text{nullptr};
    torch::Tensor logit_scale; // log of the scale applied to cosine similarities
};
TORCH_MODULE(ClipModule);

} // namespace lodestone
