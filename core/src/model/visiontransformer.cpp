#include "model/visiontransformer.h"

#include <cmath>

namespace lodestone {

VisionTransformerImpl::VisionTransformerImpl(const ClipConfig &config)
{
    const VisionConfig &v = config.vision;
    const auto norm = torch::nn::LayerNormOptions({v.width}).eps(config.layerNormEps);
    conv1 = register_module(
        "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, v.width, /*kernel_size=*/v.patchSize)
                                       .stride(v.patchSize)
                                       .bias(false)));
    class_embedding = register_parameter("class_embedding", torch::zeros({v.width}));
    const int64_t tokens = int64_t(config.visionGrid()) * config.visionGrid() + 1;
    positional_embedding =
        register_parameter("positional_embedding", torch::zeros({tokens, int64_t(v.width)}));
    ln_pre = register_module("ln_pre", torch::nn::LayerNorm(norm));
    transformer = register_module("transformer", Transformer(v.width, v.layers, v.heads, v.mlpWidth,
                                                             config.activation, config.layerNormEps));
    ln_post = register_module("ln_post", torch::nn::LayerNorm(norm));
    proj = register_parameter("proj", torch::zeros({int64_t(v.width), int64_t(config.embedDim)}));
}

torch::Tensor VisionTransformerImpl::forward(const torch::Tensor &pixels)
{
    auto x = conv1(pixels);           // [B, W, g, g]
    x = x.flatten(2).transpose(1, 2); // [B, g*g, W]
    auto cls = class_embedding.to(x.dtype()).expand({x.size(0), 1, x.size(2)});
    x = torch::cat({cls, x}, 1) + positional_embedding.to(x.dtype());
    x = ln_pre(x);
    x = transformer(x, /*causal=*/false);
    x = ln_post(x.select(1, 0));
    return torch::matmul(x, proj);
}

void VisionTransformerImpl::initializeParameters()
{
    torch::NoGradGuard noGrad;
    const double scale = std::pow(class_embedding.size(0), -0.5);
    class_embedding.normal_(0.0, scale);
    positional_embedding.normal_(0.0, scale);
    proj.normal_(0.0, scale);
    transformer->initializeParameters();
}

} // namespace lodestone
