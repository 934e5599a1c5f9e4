#include "model/clipmodule.h"

#include <cmath>

namespace lodestone {

ClipModuleImpl::ClipModuleImpl(const ClipConfig &config)
{
    config.validate();
    if (config.vision.tower == ImageTower::Convolutional)
        convVisual = register_module("visual", ConvImageTower(config));
    else
        visual = register_module("visual", VisionTransformer(config));
    // OpenAI keeps the text tower's parts at the top level of the checkpoint; registering the parts of one
    // TextTransformer here (the same tensors, not copies) gives the same names.
    text = TextTransformer(config);
    register_module("token_embedding", text->token_embedding);
    register_parameter("positional_embedding", text->positional_embedding);
    register_module("transformer", text->transformer);
    register_module("ln_final", text->ln_final);
    register_parameter("text_projection", text->text_projection);
    logit_scale = register_parameter("logit_scale", torch::full({}, std::log(1.0 / 0.07)));
}

torch::Tensor ClipModuleImpl::encodeImage(const torch::Tensor &pixels)
{
    return convVisual ? convVisual(pixels) : visual(pixels);
}

torch::nn::Module &ClipModuleImpl::imageTower()
{
    return convVisual ? static_cast<torch::nn::Module &>(*convVisual)
                      : static_cast<torch::nn::Module &>(*visual);
}

torch::Tensor ClipModuleImpl::encodeText(const torch::Tensor &tokens)
{
    return text(tokens);
}

void ClipModuleImpl::initializeParameters()
{
    if (convVisual)
        convVisual->initializeParameters();
    else
        visual->initializeParameters();
    text->initializeParameters();
    torch::NoGradGuard noGrad;
    logit_scale.fill_(std::log(1.0 / 0.07));
}

} // namespace lodestone
