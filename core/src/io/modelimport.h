#pragma once

#include "lodestone/clipmodel.h"
#include "model/clipmodule.h"

#include <optional>
#include <string>

namespace lodestone {

class SafetensorsFile;

// A model read from disk, still on the CPU.
struct ImportedModel {
    ClipConfig config;
    std::string format; // as ModelInfo::format
    ClipModule module{nullptr};
    std::optional<ClipTokenizer> tokenizer;
};

// Detects the layout of `path` (see ClipModel::load) and reads it. Throws Error naming the file.
ImportedModel importModel(const std::string &path, const LoadOptions &options);

// Infers the architecture of OpenAI-named weights from their shapes, as the reference `build_model` does.
ClipConfig inferOpenAiConfig(const SafetensorsFile &file);

// Refuses, before a module is built, a config that needs more parameters than `file` holds values: every
// parameter is copied from one value of the file, so such a file cannot fit, and building the module first
// would allocate whatever a few bytes of config.json ask for. Also validates the config. Throws Error.
void requireWeightsFor(const ClipConfig &config, const SafetensorsFile &file);

// Copies OpenAI-named weights into `module`, checking that every parameter is present with its shape and a
// float dtype, and that nothing unexpected is left over. Throws Error naming the tensor.
void loadOpenAiWeights(ClipModule &module, const SafetensorsFile &file);

} // namespace lodestone
