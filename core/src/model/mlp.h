#pragma once

#include "lodestone/clipconfig.h"

#include <torch/torch.h>

namespace lodestone {

// The block's feed-forward part: c_fc, QuickGELU (x * sigmoid(1.702 x), OpenAI's models) or GELU, c_proj.
class MlpImpl : public torch::nn::Module {
public:
    MlpImpl(int width, int hiddenWidth, Activation activation);
    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::Linear c_fc{nullptr};
    torch::nn::Linear c_proj{nullptr};

private:
    Activation m_activation;
};
TORCH_MODULE(Mlp);

} // namespace lodestone
