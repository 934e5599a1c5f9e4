#include "io/modelimport.h"

#include "io/fileio.h"
#include "lodestone/error.h"
#include "lodestone/safetensors.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <set>

namespace lodestone {

namespace fs = std::filesystem;

namespace {

bool isIgnorableBuffer(const std::string &name)
{
    // Buffers that some exporters write but that are not weights: HF's position_ids, OpenAI's JIT leftovers.
    const std::string positionIds = "position_ids";
    return (name.size() >= positionIds.size() &&
            name.compare(name.size() - positionIds.size(), positionIds.size(), positionIds) == 0) ||
           name == "input_resolution" || name == "context_length" || name == "vocab_size";
}

bool startsWith(const std::string &s, const std::string &prefix)
{
    return s.rfind(prefix, 0) == 0;
}

std::string shapeString(c10::IntArrayRef sizes)
{
    std::string s = "[";
    for (size_t i = 0; i < sizes.size(); ++i)
        s += (i ? "," : "") + std::to_string(sizes[i]);
    return s + "]";
}

// Hands out the file's tensors as float32 Torch tensors and remembers which were used, so that leftovers
// can be reported as unexpected.
class WeightReader {
public:
    explicit WeightReader(const SafetensorsFile &file)
        : m_file(file)
    {}

    bool has(const std::string &name) const { return m_file.find(name) != nullptr; }

    torch::Tensor take(const std::string &name)
    {
        const TensorView *view = m_file.find(name);
        if (!view)
            throw Error("missing tensor '" + name + "'");
        c10::ScalarType type;
        switch (view->dtype) {
        case DType::F32:
            type = torch::kFloat32;
            break;
        case DType::F16:
            type = torch::kFloat16;
            break;
        case DType::BF16:
            type = torch::kBFloat16;
            break;
        default:
            throw Error("tensor '" + name + "' has dtype " + dtypeName(view->dtype) +
                        ", expected F32, F16 or BF16");
        }
        m_used.insert(name);
        // from_blob does not copy; the conversion (with copy=true) detaches us from the mapping.
        auto blob = torch::from_blob(const_cast<uint8_t *>(view->data), view->shape, torch::dtype(type));
        return blob.to(torch::kFloat32, /*non_blocking=*/false, /*copy=*/true);
    }

    void checkNothingLeft() const
    {
        std::vector<std::string> unexpected;
        for (const TensorView &view : m_file.tensors())
            if (!m_used.count(view.name) && !isIgnorableBuffer(view.name))
                unexpected.push_back(view.name);
        if (unexpected.empty())
            return;
        std::string list;
        for (size_t i = 0; i < unexpected.size() && i < 5; ++i)
            list += (i ? ", '" : "'") + unexpected[i] + "'";
        if (unexpected.size() > 5)
            list += " and " + std::to_string(unexpected.size() - 5) + " more";
        throw Error("unexpected tensor" + std::string(unexpected.size() > 1 ? "s " : " ") + list);
    }

private:
    const SafetensorsFile &m_file;
    std::set<std::string> m_used;
};

// Fills every parameter of `module` from `source(openAiName)`, checking shapes.
template <typename Source>
void fillParameters(ClipModule &module, Source &&source)
{
    torch::NoGradGuard noGrad;
    for (auto &item : module->named_parameters()) {
        torch::Tensor value = source(item.key());
        torch::Tensor &parameter = item.value();
        if (value.sizes() != parameter.sizes())
            throw Error("tensor for '" + item.key() + "' has shape " + shapeString(value.sizes()) +
                        ", expected " + shapeString(parameter.sizes()));
        parameter.copy_(value);
    }
}

// ---- OpenAI / OpenCLIP names ------------------------------------------------------------------------

int countLayers(const SafetensorsFile &file, const std::string &prefix)
{
    std::set<int> layers;
    for (const TensorView &view : file.tensors()) {
        if (!startsWith(view.name, prefix))
            continue;
        const std::string rest = view.name.substr(prefix.size());
        const size_t dot = rest.find('.');
        try {
            layers.insert(std::stoi(rest.substr(0, dot)));
        } catch (const std::exception &) {
            throw Error("tensor '" + view.name + "' has no layer number after '" + prefix + "'");
        }
    }
    if (!layers.empty() && (*layers.begin() != 0 || *layers.rbegin() != int(layers.size()) - 1))
        throw Error("layers under '" + prefix + "' are not numbered 0.." + std::to_string(layers.size() - 1));
    return int(layers.size());
}

// The largest width, vocabulary, context or patch inferred from a shape: far beyond any CLIP's, and small
// enough that the products taken from it (4 * width for the MLP) stay inside an int.
constexpr int64_t MaxInferredDimension = int64_t(1) << 24;

// Dimension `i` of a tensor as a setting of the config.
int dimension(const TensorView &view, size_t i)
{
    const int64_t d = view.shape.at(i);
    if (d > MaxInferredDimension)
        throw Error("tensor '" + view.name + "' has shape " + view.shapeString() +
                    ", a dimension over the limit of " + std::to_string(MaxInferredDimension));
    return int(d);
}

const TensorView &requireShape(const SafetensorsFile &file, const std::string &name, size_t rank)
{
    const TensorView *view = file.find(name);
    if (!view)
        throw Error("cannot infer the architecture: tensor '" + name + "' is missing");
    if (view->shape.size() != rank)
        throw Error("tensor '" + name + "' has shape " + view->shapeString() + ", expected " +
                    std::to_string(rank) + " dimensions");
    return *view;
}

} // namespace

ClipConfig inferOpenAiConfig(const SafetensorsFile &file)
{
    if (file.find("visual.layer1.0.conv1.weight"))
        throw Error(
            "this is a ResNet (ModifiedResNet) CLIP; only Vision Transformer image towers are supported");
    ClipConfig c;
    c.name = "inferred";
    const TensorView &conv = requireShape(file, "visual.conv1.weight", 4);
    const TensorView &visualPositions = requireShape(file, "visual.positional_embedding", 2);
    const TensorView &textProjection = requireShape(file, "text_projection", 2);
    const TensorView &tokenEmbedding = requireShape(file, "token_embedding.weight", 2);
    const TensorView &textPositions = requireShape(file, "positional_embedding", 2);

    c.vision.width = dimension(conv, 0);
    c.vision.patchSize = dimension(conv, 3);
    const int64_t grid = std::lround(std::sqrt(double(std::max<int64_t>(visualPositions.shape[0] - 1, 0))));
    if (grid * grid + 1 != visualPositions.shape[0])
        throw Error("tensor 'visual.positional_embedding' has " + std::to_string(visualPositions.shape[0]) +
                    " positions, not a square grid plus the class token");
    if (grid * c.vision.patchSize > std::numeric_limits<int>::max())
        throw Error("tensors 'visual.conv1.weight' and 'visual.positional_embedding' give an image size of " +
                    std::to_string(grid * c.vision.patchSize) + " pixels, too large for a model");
    c.vision.imageSize = int(grid * c.vision.patchSize);
    c.vision.layers = countLayers(file, "visual.transformer.resblocks.");
    c.vision.heads = std::max(1, c.vision.width / 64);
    c.vision.mlpWidth = c.vision.width * 4;
    if (const TensorView *fc = file.find("visual.transformer.resblocks.0.mlp.c_fc.weight"))
        c.vision.mlpWidth = dimension(*fc, 0);

    c.embedDim = dimension(textProjection, 1);
    c.text.vocabSize = dimension(tokenEmbedding, 0);
    c.text.width = dimension(tokenEmbedding, 1);
    c.text.contextLength = dimension(textPositions, 0);
    c.text.layers = countLayers(file, "transformer.resblocks.");
    c.text.heads = std::max(1, c.text.width / 64);
    c.text.mlpWidth = c.text.width * 4;
    if (const TensorView *fc = file.find("transformer.resblocks.0.mlp.c_fc.weight"))
        c.text.mlpWidth = dimension(*fc, 0);
    c.text.endToken = c.text.vocabSize - 1; // CLIP's end-of-text token is the last id
    c.activation = Activation::QuickGelu;   // OpenAI's models
    c.preprocess.imageSize = c.vision.imageSize;
    return c;
}

namespace {

// A lower bound on the parameters of a model of `c` (embeddings, projections, the blocks' matrices; biases
// and norms left out), in double: a config may hold any int, and only the comparison matters.
double minimumParameters(const ClipConfig &c)
{
    const auto blocks = [](double layers, double width, double mlpWidth) {
        return layers * (4 * width * width + 2 * width * mlpWidth);
    };
    const VisionConfig &v = c.vision;
    const TextConfig &t = c.text;
    double n = double(t.vocabSize) * t.width + double(t.contextLength) * t.width +
               blocks(t.layers, t.width, t.mlpWidth) + double(t.width) * c.embedDim;
    n += double(v.width) * c.embedDim;
    if (v.tower == ImageTower::VisionTransformer) {
        const double grid = double(v.imageSize / v.patchSize);
        n += double(v.width) * 3 * v.patchSize * v.patchSize + (grid * grid + 1) * v.width +
             blocks(v.layers, v.width, v.mlpWidth);
    } else {
        const double side = double(v.imageSize >> v.layers);
        n += side * side * v.width; // the projection of the last stage's flattened map
        if (v.layers >= 2)
            n += 9.0 * std::max(8, v.width / 4) * std::max(8, v.width / 2); // the second stage's kernels
    }
    return n;
}

} // namespace

void requireWeightsFor(const ClipConfig &config, const SafetensorsFile &file)
{
    config.validate();
    double values = 0;
    for (const TensorView &view : file.tensors())
        values += double(view.numel());
    const double needed = minimumParameters(config);
    if (needed > values) {
        char text[96];
        std::snprintf(text, sizeof text, "at least %.4g parameters, but the weights hold only %.4g values",
                      needed, values);
        throw Error("the model config ('" + config.name + "') needs " + text);
    }
}

void loadOpenAiWeights(ClipModule &module, const SafetensorsFile &file)
{
    WeightReader reader(file);
    fillParameters(module, [&](const std::string &name) { return reader.take(name); });
    reader.checkNothingLeft();
}

namespace {

// ---- Hugging Face transformers names ------------------------------------------------------------------

// The HF name of a block parameter, given the OpenAI name's part after "resblocks.N.".
std::string hfBlockName(const std::string &rest)
{
    static const std::pair<const char *, const char *> renames[] = {
        {"attn.out_proj.", "self_attn.out_proj."},
        {"ln_1.", "layer_norm1."},
        {"ln_2.", "layer_norm2."},
        {"mlp.c_fc.", "mlp.fc1."},
        {"mlp.c_proj.", "mlp.fc2."},
    };
    for (const auto &[from, to] : renames)
        if (startsWith(rest, from))
            return to + rest.substr(std::string(from).size());
    throw Error("no Hugging Face name for block parameter '" + rest + "'");
}

torch::Tensor takeHuggingFace(WeightReader &reader, const std::string &name)
{
    auto blockTensor = [&](const std::string &prefix, const std::string &hfPrefix) {
        const std::string rest = name.substr(prefix.size());
        const size_t dot = rest.find('.');
        const std::string layer = hfPrefix + rest.substr(0, dot) + ".";
        const std::string param = rest.substr(dot + 1);
        if (param == "attn.in_proj_weight" || param == "attn.in_proj_bias") {
            // HF splits OpenAI's packed projection into q, k and v.
            const std::string kind = param == "attn.in_proj_weight" ? "weight" : "bias";
            return torch::cat({reader.take(layer + "self_attn.q_proj." + kind),
                               reader.take(layer + "self_attn.k_proj." + kind),
                               reader.take(layer + "self_attn.v_proj." + kind)});
        }
        return reader.take(layer + hfBlockName(param));
    };
    if (startsWith(name, "visual.transformer.resblocks."))
        return blockTensor("visual.transformer.resblocks.", "vision_model.encoder.layers.");
    if (startsWith(name, "transformer.resblocks."))
        return blockTensor("transformer.resblocks.", "text_model.encoder.layers.");
    // HF stores projections as Linear weights [D, W], OpenAI as matrices [W, D].
    if (name == "visual.proj")
        return reader.take("visual_projection.weight").t();
    if (name == "text_projection")
        return reader.take("text_projection.weight").t();

    static const std::pair<const char *, const char *> renames[] = {
        {"visual.class_embedding", "vision_model.embeddings.class_embedding"},
        {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"},
        {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"},
        {"visual.ln_pre.", "vision_model.pre_layrnorm."}, // sic: transformers' spelling
        {"visual.ln_post.", "vision_model.post_layernorm."},
        {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
        {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
        {"ln_final.", "text_model.final_layer_norm."},
        {"logit_scale", "logit_scale"},
    };
    for (const auto &[from, to] : renames)
        if (startsWith(name, from))
            return reader.take(to + name.substr(std::string(from).size()));
    throw Error("no Hugging Face name for parameter '" + name + "'");
}

// An integer setting of a config object, `fallback` when it is absent. nlohmann's own conversion would cast
// 1e300 or 2.5 to int (undefined for 1e300); a setting must be an integer in an int's range.
int intSetting(const nlohmann::json &object, const char *key, int fallback)
{
    const auto it = object.find(key);
    if (it == object.end())
        return fallback;
    const bool fits =
        (it->is_number_unsigned() && it->get<uint64_t>() <= uint64_t(std::numeric_limits<int>::max())) ||
        (it->is_number_integer() && !it->is_number_unsigned() &&
         it->get<int64_t>() >= std::numeric_limits<int>::min() &&
         it->get<int64_t>() <= std::numeric_limits<int>::max());
    if (!fits)
        throw Error(std::string("'") + key + "' is " + it->dump() + ", not an integer setting");
    return it->get<int>();
}

Activation parseActivation(const std::string &name)
{
    if (name == "quick_gelu")
        return Activation::QuickGelu;
    if (name == "gelu")
        return Activation::Gelu;
    throw Error("unsupported hidden_act '" + name + "' (expected quick_gelu or gelu)");
}

nlohmann::json readJson(const std::string &path)
{
    try {
        return nlohmann::json::parse(readFileText(path, 16u << 20));
    } catch (const nlohmann::json::exception &e) {
        throw Error("'" + path + "' is not valid JSON: " + e.what());
    }
}

// Defaults are those of transformers' CLIPTextConfig / CLIPVisionConfig.
ClipConfig huggingFaceConfig(const std::string &folder)
{
    const std::string path = folder + "/config.json";
    const nlohmann::json j = readJson(path);
    ClipConfig c;
    try {
        c.name = j.value("_name_or_path", std::string("huggingface"));
        if (c.name.empty())
            c.name = "huggingface";
        c.embedDim = intSetting(j, "projection_dim", 512);
        const nlohmann::json t = j.value("text_config", nlohmann::json::object());
        const nlohmann::json v = j.value("vision_config", nlohmann::json::object());
        c.text.width = intSetting(t, "hidden_size", 512);
        c.text.mlpWidth = intSetting(t, "intermediate_size", 2048);
        c.text.heads = intSetting(t, "num_attention_heads", 8);
        c.text.layers = intSetting(t, "num_hidden_layers", 12);
        c.text.contextLength = intSetting(t, "max_position_embeddings", 77);
        c.text.vocabSize = intSetting(t, "vocab_size", 49408);
        c.text.endToken = c.text.vocabSize - 1; // replaced by the tokenizer's when there is one
        c.vision.width = intSetting(v, "hidden_size", 768);
        c.vision.mlpWidth = intSetting(v, "intermediate_size", 3072);
        c.vision.heads = intSetting(v, "num_attention_heads", 12);
        c.vision.layers = intSetting(v, "num_hidden_layers", 12);
        c.vision.imageSize = intSetting(v, "image_size", 224);
        c.vision.patchSize = intSetting(v, "patch_size", 32);
        const std::string textAct = t.value("hidden_act", std::string("quick_gelu"));
        const std::string visionAct = v.value("hidden_act", std::string("quick_gelu"));
        if (textAct != visionAct)
            throw Error("different activations in the towers ('" + textAct + "', '" + visionAct +
                        "') are not supported");
        c.activation = parseActivation(textAct);
        c.layerNormEps = t.value("layer_norm_eps", 1e-5f);
        c.preprocess.imageSize = c.vision.imageSize;
    } catch (const nlohmann::json::exception &e) {
        throw Error("'" + path + "': " + e.what());
    } catch (...) {
        rethrowWithContext("'" + path + "'");
    }

    const std::string preprocessorPath = folder + "/preprocessor_config.json";
    if (fs::exists(preprocessorPath)) {
        const nlohmann::json p = readJson(preprocessorPath);
        try {
            if (p.contains("image_mean"))
                c.preprocess.mean = p["image_mean"].get<std::array<float, 3>>();
            if (p.contains("image_std"))
                c.preprocess.std = p["image_std"].get<std::array<float, 3>>();
        } catch (const nlohmann::json::exception &e) {
            throw Error("'" + preprocessorPath + "': " + e.what());
        }
    }
    return c;
}

// OpenCLIP's open_clip_config.json adds what shapes cannot tell: the activation, head counts, mean/std.
void applyOpenClipConfig(ClipConfig &c, const std::string &path)
{
    const nlohmann::json j = readJson(path);
    try {
        const nlohmann::json model = j.value("model_cfg", nlohmann::json::object());
        c.activation = model.value("quick_gelu", false) ? Activation::QuickGelu : Activation::Gelu;
        const nlohmann::json vision = model.value("vision_cfg", nlohmann::json::object());
        const nlohmann::json text = model.value("text_cfg", nlohmann::json::object());
        const int headWidth = intSetting(vision, "head_width", 64);
        if (headWidth <= 0)
            throw Error("'head_width' is " + std::to_string(headWidth) + ", not a positive width");
        c.vision.heads = std::max(1, c.vision.width / headWidth);
        c.text.heads = intSetting(text, "heads", c.text.heads);
        const nlohmann::json pre = j.value("preprocess_cfg", nlohmann::json::object());
        if (pre.contains("mean"))
            c.preprocess.mean = pre["mean"].get<std::array<float, 3>>();
        if (pre.contains("std"))
            c.preprocess.std = pre["std"].get<std::array<float, 3>>();
        c.name = "openclip";
    } catch (const nlohmann::json::exception &e) {
        throw Error("'" + path + "': " + e.what());
    } catch (...) {
        rethrowWithContext("'" + path + "'");
    }
}

std::optional<ClipTokenizer> tokenizerFrom(const std::string &vocabPath)
{
    if (vocabPath.empty())
        return std::nullopt;
    const fs::path p(vocabPath);
    if (fs::is_directory(p))
        return ClipTokenizer::fromFolder(vocabPath);
    if (p.extension() == ".gz")
        return ClipTokenizer::fromBpeMergesGz(vocabPath);
    if (p.extension() == ".json")
        return ClipTokenizer::fromVocabAndMerges(vocabPath, (p.parent_path() / "merges.txt").string());
    if (p.filename() == "merges.txt")
        return ClipTokenizer::fromVocabAndMerges((p.parent_path() / "vocab.json").string(), vocabPath);
    throw Error("'" + vocabPath +
                "' is not a tokenizer (expected a .gz merges file, vocab.json, merges.txt or a folder)");
}

bool folderHasTokenizer(const std::string &folder)
{
    return (fs::exists(folder + "/vocab.json") && fs::exists(folder + "/merges.txt")) ||
           fs::exists(folder + "/bpe_simple_vocab_16e6.txt.gz");
}

ImportedModel importOpenAiNamed(const std::string &weightsPath, const std::string &openClipConfigPath,
                                const std::string &format)
{
    ImportedModel m;
    m.format = format;
    const SafetensorsFile file = SafetensorsFile::open(weightsPath);
    try {
        m.config = inferOpenAiConfig(file);
        if (!openClipConfigPath.empty())
            applyOpenClipConfig(m.config, openClipConfigPath);
        requireWeightsFor(m.config, file);
        m.module = ClipModule(m.config);
        loadOpenAiWeights(m.module, file);
    } catch (...) {
        rethrowWithContext("loading '" + weightsPath + "'");
    }
    return m;
}

ImportedModel importHuggingFace(const std::string &folder)
{
    ImportedModel m;
    m.format = "huggingface";
    m.config = huggingFaceConfig(folder);
    const std::string weightsPath = folder + "/model.safetensors";
    const SafetensorsFile file = SafetensorsFile::open(weightsPath);
    try {
        requireWeightsFor(m.config, file);
        m.module = ClipModule(m.config);
        WeightReader reader(file);
        fillParameters(m.module, [&](const std::string &name) { return takeHuggingFace(reader, name); });
        reader.checkNothingLeft();
    } catch (...) {
        rethrowWithContext("loading '" + weightsPath + "'");
    }
    return m;
}

ImportedModel importLodestone(const std::string &folder)
{
    ImportedModel m;
    m.format = "lodestone";
    const std::string metaPath = folder + "/lodestone.json";
    const nlohmann::json meta = readJson(metaPath);
    try {
        if (meta.value("format", std::string()) != "lodestone-checkpoint")
            throw Error("not a Lodestone checkpoint (format field)");
        m.config = ClipConfig::fromJson(meta.at("config").dump());
    } catch (const nlohmann::json::exception &e) {
        throw Error("'" + metaPath + "': " + e.what());
    } catch (...) {
        rethrowWithContext("'" + metaPath + "'");
    }
    const std::string weightsPath = folder + "/model.safetensors";
    const SafetensorsFile file = SafetensorsFile::open(weightsPath);
    try {
        requireWeightsFor(m.config, file);
        m.module = ClipModule(m.config);
        loadOpenAiWeights(m.module, file);
    } catch (...) {
        rethrowWithContext("loading '" + weightsPath + "'");
    }
    return m;
}

} // namespace

ImportedModel importModel(const std::string &path, const LoadOptions &options)
{
    std::error_code ec;
    const fs::path p(path);
    if (!fs::exists(p, ec))
        throw Error("model '" + path + "' does not exist");

    ImportedModel m;
    std::string tokenizerFolder;
    if (fs::is_regular_file(p)) {
        if (p.extension() != ".safetensors")
            throw Error("model '" + path +
                        "' is a file but not .safetensors (give a model folder or OpenAI-named weights)");
        m = importOpenAiNamed(path, "", "openai-safetensors");
    } else if (fs::exists(p / "lodestone.json")) {
        m = importLodestone(path);
        tokenizerFolder = path;
    } else if (fs::exists(p / "open_clip_config.json")) {
        const fs::path weights = fs::exists(p / "open_clip_model.safetensors")
                                     ? p / "open_clip_model.safetensors"
                                     : p / "model.safetensors";
        if (!fs::exists(weights))
            throw Error("OpenCLIP folder '" + path + "' has no open_clip_model.safetensors");
        m = importOpenAiNamed(weights.string(), (p / "open_clip_config.json").string(), "openclip");
        tokenizerFolder = path;
    } else if (fs::exists(p / "config.json") && fs::exists(p / "model.safetensors")) {
        m = importHuggingFace(path);
        tokenizerFolder = path;
    } else {
        throw Error(
            "'" + path +
            "' is not a model folder: expected lodestone.json, open_clip_config.json, or config.json with "
            "model.safetensors");
    }

    if (!options.vocabPath.empty())
        m.tokenizer = tokenizerFrom(options.vocabPath);
    else if (!tokenizerFolder.empty() && folderHasTokenizer(tokenizerFolder))
        m.tokenizer = ClipTokenizer::fromFolder(tokenizerFolder);
    if (m.tokenizer) {
        if (m.tokenizer->vocabSize() > m.config.text.vocabSize)
            throw Error("tokenizer for '" + path + "' has " + std::to_string(m.tokenizer->vocabSize()) +
                        " tokens but the model's vocabulary has " + std::to_string(m.config.text.vocabSize));
        m.config.text.endToken = m.tokenizer->endToken();
        m.module->text->setEndToken(m.config.text.endToken);
    }
    return m;
}

} // namespace lodestone
