#include "lodestone/clipmodel.h"

#include "io/fileio.h"
#include "io/modelimport.h"
#include "lodestone/error.h"
#include "lodestone/safetensors.h"
#include "model/clipmodel_p.h"
#include "model/device.h"
#include "model/torchcompat.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace lodestone {

void ClipModel::Impl::moveTo(const torch::Device &target)
{
    module->to(target);
    device = target;
    info.device = target.str();
}

ClipModel::ClipModel(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
    m_impl->module->eval();
    int64_t count = 0;
    for (const auto &p : m_impl->module->parameters())
        count += p.numel();
    m_impl->info.parameterCount = count;
}

ClipModel::ClipModel(const ClipConfig &config, const std::string &device, uint64_t seed)
    : ClipModel([&] {
        auto impl = std::make_unique<Impl>();
        impl->config = config;
        torch::manual_seed(seed);
        impl->module = ClipModule(config);
        impl->module->initializeParameters();
        impl->info.format = "new";
        impl->moveTo(resolveDevice(device));
        return impl;
    }())
{}

ClipModel ClipModel::load(const std::string &path, const LoadOptions &options)
{
    const torch::Device device = resolveDevice(options.device);
    ImportedModel imported = importModel(path, options);
    auto impl = std::make_unique<Impl>();
    impl->config = imported.config;
    impl->module = imported.module;
    impl->tokenizer = std::move(imported.tokenizer);
    impl->info.path = path;
    impl->info.format = imported.format;
    impl->moveTo(device);
    return ClipModel(std::move(impl));
}

ClipModel::ClipModel(ClipModel &&) noexcept = default;
ClipModel &ClipModel::operator=(ClipModel &&) noexcept = default;
ClipModel::~ClipModel() = default;

const ClipConfig &ClipModel::config() const
{
    return m_impl->config;
}
const ModelInfo &ClipModel::info() const
{
    return m_impl->info;
}
ClipModel::Impl &ClipModel::impl()
{
    return *m_impl;
}
const ClipModel::Impl &ClipModel::impl() const
{
    return *m_impl;
}

float ClipModel::logitScale() const
{
    return m_impl->module->logit_scale.detach().exp().item<float>();
}

bool ClipModel::hasTokenizer() const
{
    return m_impl->tokenizer.has_value();
}

const ClipTokenizer &ClipModel::tokenizer() const
{
    if (!m_impl->tokenizer)
        throw Error("model '" + m_impl->info.path + "' has no tokenizer (give one with --vocab)");
    return *m_impl->tokenizer;
}

void ClipModel::setTokenizer(ClipTokenizer tokenizer)
{
    if (tokenizer.vocabSize() > m_impl->config.text.vocabSize)
        throw Error("tokenizer has " + std::to_string(tokenizer.vocabSize()) + " tokens, the model only " +
                    std::to_string(m_impl->config.text.vocabSize));
    m_impl->config.text.endToken = tokenizer.endToken();
    m_impl->module->text->setEndToken(tokenizer.endToken());
    m_impl->tokenizer = std::move(tokenizer);
}

namespace {

// Runs `encode` on row batches of `input` [N, ...] and gathers the [n, D] results into one [N, D] array.
template <typename Encode>
FloatArray encodeInBatches(int64_t rows, int batchSize, int embedDim, Encode &&encode)
{
    FloatArray out({rows, int64_t(embedDim)});
    batchSize = std::max(1, batchSize);
    for (int64_t start = 0; start < rows; start += batchSize) {
        const int64_t count = std::min<int64_t>(batchSize, rows - start);
        torch::Tensor features = encode(start, count).to(torch::kCPU, torch::kFloat32).contiguous();
        std::memcpy(out.row(start), features.data_ptr<float>(),
                    size_t(count) * size_t(embedDim) * sizeof(float));
    }
    return out;
}

} // namespace

FloatArray ClipModel::encodeImage(const FloatArray &pixels, int batchSize) const
{
    const int size = m_impl->config.vision.imageSize;
    if (pixels.rank() != 4 || pixels.dim(1) != 3 || pixels.dim(2) != size || pixels.dim(3) != size)
        throw Error("encodeImage: pixels have shape " + pixels.shapeString() + ", expected [N,3," +
                    std::to_string(size) + "," + std::to_string(size) + "]");
    torch::NoGradGuard noGrad;
    const bool cuda = m_impl->device.is_cuda();
    compat::CudaAutocastGuard autocast(cuda);
    return encodeInBatches(pixels.dim(0), batchSize, embedDim(), [&](int64_t start, int64_t count) {
        auto batch =
            torch::from_blob(const_cast<float *>(pixels.row(start)), {count, 3, size, size}, torch::kFloat32);
        return m_impl->module->encodeImage(batch.to(m_impl->device, /*non_blocking=*/false, /*copy=*/cuda));
    });
}

FloatArray ClipModel::encodeTokens(const std::vector<std::vector<int32_t>> &tokens, int batchSize) const
{
    const TextConfig &text = m_impl->config.text;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const auto &seq = tokens[i];
        if (seq.empty() || int(seq.size()) > text.contextLength)
            throw Error("encodeText: token sequence " + std::to_string(i) + " has " +
                        std::to_string(seq.size()) + " tokens, expected 1.." +
                        std::to_string(text.contextLength));
        bool hasEnd = false;
        for (int32_t id : seq) {
            if (id < 0 || id >= text.vocabSize)
                throw Error("encodeText: token id " + std::to_string(id) + " outside the vocabulary of " +
                            std::to_string(text.vocabSize));
            hasEnd = hasEnd || id == text.endToken;
        }
        if (!hasEnd)
            throw Error("encodeText: token sequence " + std::to_string(i) + " has no end-of-text token (" +
                        std::to_string(text.endToken) + ")");
    }
    torch::NoGradGuard noGrad;
    compat::CudaAutocastGuard autocast(m_impl->device.is_cuda());
    return encodeInBatches(int64_t(tokens.size()), batchSize, embedDim(), [&](int64_t start, int64_t count) {
        // Pad to the longest sequence of the batch only: the causal mask keeps padding out of the features.
        size_t length = 0;
        for (int64_t i = start; i < start + count; ++i)
            length = std::max(length, tokens[size_t(i)].size());
        auto batch = torch::zeros({count, int64_t(length)}, torch::kInt64);
        auto access = batch.accessor<int64_t, 2>();
        for (int64_t i = 0; i < count; ++i) {
            const auto &seq = tokens[size_t(start + i)];
            for (size_t j = 0; j < seq.size(); ++j)
                access[i][int64_t(j)] = seq[j];
        }
        return m_impl->module->encodeText(batch.to(m_impl->device));
    });
}

FloatArray ClipModel::encodeText(const std::vector<std::string> &texts, int batchSize) const
{
    const ClipTokenizer &tok = tokenizer();
    std::vector<std::vector<int32_t>> tokens;
    tokens.reserve(texts.size());
    for (const std::string &text : texts)
        tokens.push_back(tok.tokenize(text, m_impl->config.text.contextLength));
    return encodeTokens(tokens, batchSize);
}

void ClipModel::save(const std::string &folder, const std::string &provenanceJson) const
{
    namespace fs = std::filesystem;
    try {
        fs::create_directories(folder);
        std::vector<TensorToWrite> tensors;
        for (const auto &item : m_impl->module->named_parameters()) {
            torch::Tensor t = item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
            TensorToWrite w;
            w.name = item.key();
            w.dtype = DType::F32;
            w.shape.assign(t.sizes().begin(), t.sizes().end());
            const auto *bytes = reinterpret_cast<const uint8_t *>(t.data_ptr<float>());
            w.bytes.assign(bytes, bytes + t.numel() * sizeof(float));
            tensors.push_back(std::move(w));
        }
        writeSafetensors(folder + "/model.safetensors", tensors, {{"format", "pt"}});
        if (m_impl->tokenizer)
            m_impl->tokenizer->save(folder);

        nlohmann::json meta;
        meta["format"] = "lodestone-checkpoint";
        meta["version"] = 1;
        meta["config"] = nlohmann::json::parse(m_impl->config.toJson());
        meta["tokenizer"] = m_impl->tokenizer ? "vocab.json + merges.txt" : "none";
        meta["provenance"] = nlohmann::json::parse(provenanceJson);
        meta["lodestone_version"] = LODESTONE_VERSION;
        const std::string text = meta.dump(2) + "\n";
        // Written last: a folder without lodestone.json is not taken for a checkpoint.
        writeFileAtomically(folder + "/lodestone.json", text.data(), text.size());
    } catch (...) {
        rethrowWithContext("saving the model to '" + folder + "'");
    }
}

} // namespace lodestone
