#pragma once

#include "lodestone/clipconfig.h"
#include "model/transformer.h"

#include <torch/torch.h>

namespace lodestone {

// CLIP's text tower: token and positional embeddings, a causal transformer, ln_final, the features at
// the first end-of-text token, then text_projection [W, D]. Parameter names follow OpenAI's top-level
// keys (token_embedding, positional_embedding, transformer, ln_final, text_projection).
class TextTransformerImpl : public torch::nn::Module {
public:
    TextTransformerImpl(const ClipConfig &config);
    // tokens: [B, L] int64 with L <= context length, each row holding an end token (padding after it is
    // ignored thanks to the causal mask). Returns [B, D], projected, not normalised.
    torch::Tensor forward(const torch::Tensor &tokens);
    void initializeParameters();
    void setEndToken(int32_t endToken) { m_endToken = endToken; }

    torch::nn::Embedding token_embedding{nullptr};
    torch::Tensor positional_embedding;
    Transformer transformer{nullptr};
    torch::nn::LayerNorm ln_final{nullptr};
    torch::Tensor text_projection;

private:
    int32_t m_endToken;
};
TORCH_MODULE(TextTransformer);

} // namespace lodestone
