#include "model/mlp.h"

namespace lodestone {

MlpImpl::MlpImpl(int width, int hiddenWidth, Activation activation)
    : m_activation(activation)
{
    c_fc = register_module("c_fc", torch::nn::Linear(width, hiddenWidth));
    c_proj = register_module("c_proj", torch::nn::Linear(hiddenWidth, width));
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x)
{
    auto h = c_fc(x);
    h = m_activation == Activation::QuickGelu ? h * torch::sigmoid(1.702 * h) : torch::gelu(h);
    return c_proj(h);
}

} // namespace lodestone
