#include "model/texttransformer.h"

#include <cmath>

namespace lodestone {

TextTransformerImpl::TextTransformerImpl(const ClipConfig &config)
    : m_endToken(config.text.endToken)
{
    const TextConfig &t = config.text;
    token_embedding = register_module("token_embedding", torch::nn::Embedding(t.vocabSize, t.width));
    positional_embedding = register_parameter("positional_embedding",
                                              torch::zeros({int64_t(t.contextLength), int64_t(t.width)}));
    transformer = register_module("transformer", Transformer(t.width, t.layers, t.heads, t.mlpWidth,
                                                             config.activation, config.layerNormEps));
    ln_final = register_module(
        "ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({t.width}).eps(config.layerNormEps)));
    text_projection =
        register_parameter("text_projection", torch::zeros({int64_t(t.width), int64_t(config.embedDim)}));
}

torch::Tensor TextTransformerImpl::forward(const torch::Tensor &tokens)
{
    const int64_t length = tokens.size(1);
    auto x = token_embedding(tokens) + positional_embedding.slice(0, 0, length);
    x = transformer(x, /*causal=*/true);
    x = ln_final(x);
    // The first end-of-text position of each row (argmax returns the first of equal maxima).
    auto endPositions = (tokens == m_endToken).to(torch::kInt).argmax(-1);
    auto pooled = x.index({torch::arange(x.size(0), tokens.options()), endPositions});
    return torch::matmul(pooled, text_projection.to(pooled.dtype()));
}

void TextTransformerImpl::initializeParameters()
{
    torch::NoGradGuard noGrad;
    token_embedding->weight.normal_(0.0, 0.02);
    positional_embedding.normal_(0.0, 0.01);
    text_projection.normal_(0.0, std::pow(text_projection.size(0), -0.5));
    transformer->initializeParameters();
}

} // namespace lodestone
