#pragma once

#include "lodestone/clipconfig.h"
#include "lodestone/floatarray.h"
#include "lodestone/tokenizer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lodestone {

struct LoadOptions {
    std::string device = "auto"; // auto | cpu | cuda | cuda:N
    // Tokenizer for a bare .safetensors file (or to override a folder's): a `bpe_simple_vocab_16e6.txt.gz`,
    // a `vocab.json` with `merges.txt` beside it, or a folder holding either.
    std::string vocabPath;
};

// Where a model came from, for the UI and for provenance.
struct ModelInfo {
    std::string path;
    std::string format; // "huggingface", "openclip", "openai-safetensors", "lodestone"
    std::string device; // "cpu", "cuda:0"
    int64_t parameterCount = 0;
};

// A CLIP dual encoder: a Vision Transformer image tower and a causal text transformer projecting into one
// embedding space, with the tokenizer and preprocessing recipe it was trained with.
//
// Inference methods are const and may be called from several threads at once; they run under
// NoGradGuard, with bf16 autocast on CUDA. Torch types stay behind the pimpl.
class ClipModel {
public:
    // A new model with CLIP's random initialisation (seeded), e.g. for training from scratch.
    explicit ClipModel(const ClipConfig &config, const std::string &device = "auto", uint64_t seed = 0);

    // Loads any of the model layouts ARCHITECTURE.md lists: a Hugging Face CLIP folder, an OpenCLIP folder,
    // a bare OpenAI-named .safetensors file (architecture inferred from the tensor shapes), or a Lodestone
    // checkpoint folder. F32/F16/BF16 weights. Throws Error naming the file and the fault: missing,
    // unexpected, mis-shaped or mis-typed tensors, malformed files, unknown layouts.
    static ClipModel load(const std::string &path, const LoadOptions &options = {});

    ClipModel(ClipModel &&) noexcept;
    ClipModel &operator=(ClipModel &&) noexcept;
    ~ClipModel();

    const ClipConfig &config() const;
    const ModelInfo &info() const;
    int embedDim() const { return config().embedDim; }
    float logitScale() const; // exp(logit_scale): the factor applied to cosine similarities

    bool hasTokenizer() const;
    const ClipTokenizer &tokenizer() const; // throws Error when the model came without one
    void setTokenizer(ClipTokenizer tokenizer);

    // Preprocessed pixels [N, 3, R, R] (see preprocessImage) -> image features [N, D], projected and not
    // normalised. Runs in batches of `batchSize`. Throws Error on a shape mismatch.
    FloatArray encodeImage(const FloatArray &pixels, int batchSize = 64) const;
    // Token id sequences (start/end tokens included, as ClipTokenizer::tokenize makes them, at most the
    // context length each) -> text features [N, D], projected and not normalised.
    FloatArray encodeTokens(const std::vector<std::vector<int32_t>> &tokens, int batchSize = 256) const;
    // Tokenizes and encodes texts; throws Error when the model has no tokenizer.
    FloatArray encodeText(const std::vector<std::string> &texts, int batchSize = 256) const;

    // Writes a Lodestone checkpoint folder (model.safetensors in F32 with OpenAI key names, lodestone.json
    // with config and provenance, the tokenizer files), each file atomically. Throws Error.
    void save(const std::string &folder, const std::string &provenanceJson = "{}") const;

    struct Impl;
    Impl &impl(); // for the trainer and other core internals (see model/clipmodel_p.h)
    const Impl &impl() const;

private:
    explicit ClipModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lodestone
