#include "train/gradientcache.h"

namespace lodestone {

namespace {

bool anyTrainable(torch::nn::Module &module)
{
    for (const auto &p : module.parameters())
        if (p.requires_grad())
            return true;
    return false;
}

bool textTrainable(ClipModuleImpl &module)
{
    return module.text->token_embedding->weight.requires_grad() ||
           module.text->positional_embedding.requires_grad() || anyTrainable(*module.text->transformer) ||
           anyTrainable(*module.text->ln_final) || module.text->text_projection.requires_grad();
}

// Features of `input` split into chunks of `subBatch` rows, without gradients.
template <typename Encode>
torch::Tensor encodeChunksWithoutGrad(const torch::Tensor &input, int64_t subBatch, Encode &&encode)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (int64_t start = 0; start < input.size(0); start += subBatch)
        parts.push_back(encode(input.slice(0, start, std::min(input.size(0), start + subBatch))));
    return torch::cat(parts);
}

template <typename Encode>
void backwardChunks(const torch::Tensor &input, const torch::Tensor &featureGrad, int64_t subBatch,
                    Encode &&encode)
{
    for (int64_t start = 0; start < input.size(0); start += subBatch) {
        const int64_t end = std::min(input.size(0), start + subBatch);
        auto features = encode(input.slice(0, start, end));
        features.backward(featureGrad.slice(0, start, end).to(features.dtype()));
    }
}

} // namespace

torch::Tensor contrastiveBackward(ClipModuleImpl &module, const torch::Tensor &pixels,
                                  const torch::Tensor &tokens, int64_t subBatch, const BatchLoss &loss)
{
    const int64_t n = pixels.size(0);
    const bool trainImage = anyTrainable(module.imageTower());
    const bool trainText = textTrainable(module);
    auto encodeImage = [&](const torch::Tensor &x) { return module.encodeImage(x); };
    auto encodeText = [&](const torch::Tensor &x) { return module.encodeText(x); };

    if (subBatch <= 0 || subBatch >= n) {
        torch::Tensor imageFeatures, textFeatures;
        {
            torch::AutoGradMode mode(trainImage);
            imageFeatures = encodeImage(pixels);
        }
        {
            torch::AutoGradMode mode(trainText);
            textFeatures = encodeText(tokens);
        }
        auto value = loss(imageFeatures, textFeatures);
        value.backward();
        return value.detach();
    }

    // 1. Embed every sub-batch without gradients and make the cached features leaves of a small graph.
    auto imageCache =
        encodeChunksWithoutGrad(pixels, subBatch, encodeImage).detach().requires_grad_(trainImage);
    auto textCache = encodeChunksWithoutGrad(tokens, subBatch, encodeText).detach().requires_grad_(trainText);
    // 2. The loss over the whole batch: gradients for the features (and for the logit scale/bias).
    auto value = loss(imageCache, textCache);
    value.backward();
    // 3. Re-run each sub-batch with gradients, feeding it its slice of the feature gradient.
    if (trainImage)
        backwardChunks(pixels, imageCache.grad(), subBatch, encodeImage);
    if (trainText)
        backwardChunks(tokens, textCache.grad(), subBatch, encodeText);
    return value.detach();
}

} // namespace lodestone
