#include "model/convimagetower.h"

#include <cmath>

namespace lodestone {

namespace {

// Channels of stage i: width/4, width/2, then width for the rest.
int stageChannels(int width, int stage)
{
    return stage == 0 ? std::max(8, width / 4) : stage == 1 ? std::max(8, width / 2) : width;
}

} // namespace

ConvImageTowerImpl::ConvImageTowerImpl(const ClipConfig &config)
{
    const VisionConfig &v = config.vision;
    stages = register_module("stages", torch::nn::ModuleList());
    int channels = 3;
    for (int i = 0; i < v.layers; ++i) {
        const int out = stageChannels(v.width, i);
        torch::nn::Sequential stage(
            torch::nn::Conv2d(
                torch::nn::Conv2dOptions(channels, out, /*kernel_size=*/3).stride(2).padding(1)),
            torch::nn::GroupNorm(torch::nn::GroupNormOptions(/*num_groups=*/std::min(8, out), out)),
            torch::nn::GELU());
        stages->push_back(stage);
        channels = out;
    }
    const int side = v.imageSize >> v.layers;
    flatten_proj = register_module("flatten_proj", torch::nn::Linear(channels * side * side, v.width));
    ln_post = register_module(
        "ln_post", torch::nn::LayerNorm(torch::nn::LayerNormOptions({v.width}).eps(config.layerNormEps)));
    proj = register_parameter("proj", torch::zeros({int64_t(v.width), int64_t(config.embedDim)}));
}

torch::Tensor ConvImageTowerImpl::forward(const torch::Tensor &pixels)
{
    auto x = pixels;
    for (const auto &stage : *stages)
        x = stage->as<torch::nn::SequentialImpl>()->forward(x);
    x = ln_post(flatten_proj(x.flatten(1)));
    return torch::matmul(x, proj.to(x.dtype()));
}

void ConvImageTowerImpl::initializeParameters()
{
    torch::NoGradGuard noGrad;
    proj.normal_(0.0, std::pow(proj.size(0), -0.5));
}

} // namespace lodestone
