#pragma once

// The private side of ClipModel, for core code that needs the Torch module (import, training).

#include "lodestone/clipmodel.h"
#include "model/clipmodule.h"

#include <optional>

namespace lodestone {

struct ClipModel::Impl {
    ClipConfig config;
    ModelInfo info;
    ClipModule module{nullptr};
    torch::Device device{torch::kCPU};
    std::optional<ClipTokenizer> tokenizer;

    // Moves the module to `device` and records it in `info`.
    void moveTo(const torch::Device &target);
};

} // namespace lodestone
