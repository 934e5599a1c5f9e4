#include "lodestone/clipconfig.h"

#include "lodestone/error.h"

#include <nlohmann/json.hpp>

#include <limits>

namespace lodestone {

namespace {

// OpenAI's ViT shapes: heads = width / 64, MLP ratio 4.
ClipConfig openAiVit(const std::string &name, int embedDim, int imageSize, int patch, int visionWidth,
                     int visionLayers, int textWidth, int textLayers)
{
    ClipConfig c;
    c.name = name;
    c.embedDim = embedDim;
    c.vision = {ImageTower::VisionTransformer,
                imageSize,
                patch,
                visionWidth,
                visionLayers,
                visionWidth / 64,
                visionWidth * 4};
    c.text.width = textWidth;
    c.text.layers = textLayers;
    c.text.heads = textWidth / 64;
    c.text.mlpWidth = textWidth * 4;
    c.preprocess.imageSize = imageSize;
    return c;
}

ClipConfig smallVit(const std::string &name, int embedDim, int imageSize, int patch, int width,
                    int visionLayers, int textWidth, int textLayers, int heads)
{
    ClipConfig c;
    c.name = name;
    c.embedDim = embedDim;
    c.vision = {ImageTower::VisionTransformer, imageSize, patch, width, visionLayers, heads, width * 4};
    c.text = {/*contextLength=*/32,
              /*vocabSize=*/49408,  textWidth, textLayers, heads, textWidth * 4, 49407};
    c.activation = Activation::Gelu;
    c.preprocess.imageSize = imageSize;
    return c;
}

// An integer field of the config JSON. nlohmann's own conversion would cast 1e300 or 2.5 to int (undefined
// for 1e300); a field must be an integer in an int's range.
int intField(const nlohmann::json &object, const char *key)
{
    const nlohmann::json &value = object.at(key);
    const bool fits =
        (value.is_number_unsigned() && value.get<uint64_t>() <= uint64_t(std::numeric_limits<int>::max())) ||
        (value.is_number_integer() && !value.is_number_unsigned() &&
         value.get<int64_t>() >= std::numeric_limits<int>::min() &&
         value.get<int64_t>() <= std::numeric_limits<int>::max());
    if (!fits)
        throw Error(std::string("'") + key + "' is " + value.dump() + ", not an integer");
    return value.get<int>();
}

} // namespace

ClipConfig ClipConfig::preset(const std::string &name)
{
    if (name == "ViT-B/32")
        return openAiVit(name, 512, 224, 32, 768, 12, 512, 12);
    if (name == "ViT-B/16")
        return openAiVit(name, 512, 224, 16, 768, 12, 512, 12);
    if (name == "ViT-L/14")
        return openAiVit(name, 768, 224, 14, 1024, 24, 768, 12);
    if (name == "ViT-L/14@336")
        return openAiVit(name, 768, 336, 14, 1024, 24, 768, 12);
    // From-scratch shapes sized for a CPU: 64 px images, short contexts. The vocabulary size is replaced by
    // the tokenizer's when a model is made.
    if (name == "tiny")
        return smallVit(name, 128, 64, 8, 128, 4, 128, 3, 4);
    if (name == "small")
        return smallVit(name, 256, 96, 8, 256, 6, 256, 4, 4);
    if (name == "tiny-conv") {
        ClipConfig c = smallVit(name, 128, 64, 8, 128, 4, 128, 3, 4);
        c.vision.tower = ImageTower::Convolutional; // 64 -> 32 -> 16 -> 8 -> 4 pixels, 128 channels
        return c;
    }
    std::string known;
    for (const std::string &n : presetNames())
        known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown model preset '" + name + "' (known: " + known + ")");
}

std::vector<std::string> ClipConfig::presetNames()
{
    return {"ViT-B/32", "ViT-B/16", "ViT-L/14", "ViT-L/14@336", "tiny", "small", "tiny-conv"};
}

void ClipConfig::validate() const
{
    auto require = [this](bool ok, const std::string &what) {
        if (!ok)
            throw Error("model config '" + name + "': " + what);
    };
    require(embedDim > 0, "embed_dim must be positive");
    if (vision.tower == ImageTower::Convolutional)
        require(vision.layers >= 1 && vision.layers <= 8 && vision.imageSize % (1 << vision.layers) == 0,
                "image size " + std::to_string(vision.imageSize) + " is not divisible by 2^" +
                    std::to_string(vision.layers) + " (the convolutional stages)");
    else
        require(vision.patchSize > 0 && vision.imageSize > 0 && vision.imageSize % vision.patchSize == 0,
                "image size " + std::to_string(vision.imageSize) + " is not a multiple of the patch size " +
                    std::to_string(vision.patchSize));
    require(vision.width > 0 && vision.heads > 0 && vision.width % vision.heads == 0,
            "vision width " + std::to_string(vision.width) + " is not divisible by its " +
                std::to_string(vision.heads) + " heads");
    require(vision.layers >= 0 && vision.mlpWidth > 0, "vision layers/MLP width must be positive");
    require(text.width > 0 && text.heads > 0 && text.width % text.heads == 0,
            "text width " + std::to_string(text.width) + " is not divisible by its " +
                std::to_string(text.heads) + " heads");
    require(text.layers >= 0 && text.mlpWidth > 0, "text layers/MLP width must be positive");
    require(text.contextLength >= 2, "context length must be at least 2");
    require(text.vocabSize > 0 && text.endToken >= 0 && text.endToken < text.vocabSize,
            "end token " + std::to_string(text.endToken) + " outside the vocabulary of " +
                std::to_string(text.vocabSize));
    require(preprocess.imageSize == vision.imageSize,
            "preprocessing size " + std::to_string(preprocess.imageSize) +
                " differs from the image tower's " + std::to_string(vision.imageSize));
    for (float s : preprocess.std)
        require(s > 0, "preprocessing std must be positive");
}

std::string ClipConfig::toJson() const
{
    nlohmann::json j;
    j["name"] = name;
    j["embed_dim"] = embedDim;
    j["activation"] = activation == Activation::QuickGelu ? "quick_gelu" : "gelu";
    j["layer_norm_eps"] = layerNormEps;
    j["vision"] = {{"tower", vision.tower == ImageTower::Convolutional ? "conv" : "vit"},
                   {"image_size", vision.imageSize},
                   {"patch_size", vision.patchSize},
                   {"width", vision.width},
                   {"layers", vision.layers},
                   {"heads", vision.heads},
                   {"mlp_width", vision.mlpWidth}};
    j["text"] = {{"context_length", text.contextLength},
                 {"vocab_size", text.vocabSize},
                 {"width", text.width},
                 {"layers", text.layers},
                 {"heads", text.heads},
                 {"mlp_width", text.mlpWidth},
                 {"end_token", text.endToken}};
    j["preprocess"] = {
        {"image_size", preprocess.imageSize}, {"mean", preprocess.mean}, {"std", preprocess.std}};
    return j.dump(2);
}

ClipConfig ClipConfig::fromJson(const std::string &text)
{
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        ClipConfig c;
        c.name = j.at("name").get<std::string>();
        c.embedDim = intField(j, "embed_dim");
        const std::string act = j.at("activation").get<std::string>();
        if (act != "quick_gelu" && act != "gelu")
            throw Error("unknown activation '" + act + "'");
        c.activation = act == "quick_gelu" ? Activation::QuickGelu : Activation::Gelu;
        c.layerNormEps = j.value("layer_norm_eps", 1e-5f);
        const auto &v = j.at("vision");
        const std::string tower = v.value("tower", std::string("vit"));
        if (tower != "vit" && tower != "conv")
            throw Error("unknown image tower '" + tower + "'");
        c.vision = {tower == "conv" ? ImageTower::Convolutional : ImageTower::VisionTransformer,
                    intField(v, "image_size"),
                    intField(v, "patch_size"),
                    intField(v, "width"),
                    intField(v, "layers"),
                    intField(v, "heads"),
                    intField(v, "mlp_width")};
        const auto &t = j.at("text");
        c.text = {intField(t, "context_length"), intField(t, "vocab_size"), intField(t, "width"),
                  intField(t, "layers"),         intField(t, "heads"),      intField(t, "mlp_width"),
                  intField(t, "end_token")};
        const auto &p = j.at("preprocess");
        c.preprocess.imageSize = intField(p, "image_size");
        c.preprocess.mean = p.at("mean").get<std::array<float, 3>>();
        c.preprocess.std = p.at("std").get<std::array<float, 3>>();
        c.validate();
        return c;
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("model config: ") + e.what());
    }
}

} // namespace lodestone
