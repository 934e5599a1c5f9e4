#pragma once

// What the library commands (index, search, classify, probe, export, map) share.

#include "lodestone/clipmodel.h"
#include "lodestone/library.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace lodestone::cli {

// JSON on one line; paths come from disk, so invalid UTF-8 is replaced rather than thrown on.
std::string dumpJson(const nlohmann::json &value);

// The model to ask a library with: `modelPath`, or else the one the library was last indexed with; and its
// identity. Throws Error when the library has no embeddings of it (never indexed, or the weights changed).
std::pair<ClipModel, std::string> loadLibraryModel(const Library &library, const std::string &modelPath,
                                                   const std::string &vocabPath, const std::string &device);

} // namespace lodestone::cli
