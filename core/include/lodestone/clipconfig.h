#pragma once

#include "lodestone/image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

enum class Activation { QuickGelu, Gelu };

enum class ImageTower { VisionTransformer, Convolutional };

// The image tower. A Vision Transformer: patches of patchSize pixels, `layers` residual attention blocks
// of `width` channels and `heads` heads, MLP hidden size mlpWidth. A convolutional tower (small models
// from scratch): `layers` stride-2 stages ending in `width` channels; patchSize, heads and mlpWidth unused.
struct VisionConfig {
    ImageTower tower = ImageTower::VisionTransformer;
    int imageSize = 224;
    int patchSize = 32;
    int width = 768;
    int layers = 12;
    int heads = 12;
    int mlpWidth = 3072;
};

// The causal text transformer.
struct TextConfig {
    int contextLength = 77;
    int vocabSize = 49408;
    int width = 512;
    int layers = 12;
    int heads = 8;
    int mlpWidth = 2048;
    int32_t endToken = 49407; // the text is pooled at the first end-of-text token
};

// Everything that fixes a model's architecture and input recipe. Plain value type.
struct ClipConfig {
    std::string name = "ViT-B/32"; // the preset it came from, or a description
    int embedDim = 512;
    VisionConfig vision;
    TextConfig text;
    Activation activation = Activation::QuickGelu;
    float layerNormEps = 1e-5f;
    PreprocessConfig preprocess;

    // The OpenAI shapes "ViT-B/32", "ViT-B/16", "ViT-L/14", "ViT-L/14@336", and small shapes for training
    // from scratch on a CPU: "tiny" and "small" (ViTs), "tiny-conv" (a convolutional image tower, several
    // times cheaper per image). Throws Error for an unknown name.
    static ClipConfig preset(const std::string &name);
    static std::vector<std::string> presetNames();

    // Throws Error naming the first inconsistent field (e.g. width not divisible by heads).
    void validate() const;

    int visionGrid() const { return vision.imageSize / vision.patchSize; } // ViT only
    std::string toJson() const;                                            // pretty-printed JSON object
    static ClipConfig fromJson(const std::string &json); // throws Error on missing/invalid fields
};

} // namespace lodestone
