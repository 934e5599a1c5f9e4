#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

// Whole file into memory; throws Error naming the file (with the OS reason) when it cannot be read.
// `maxBytes` bounds what a caller is willing to hold: larger files are refused, naming the limit.
std::vector<uint8_t> readFileBytes(const std::string &path, uint64_t maxBytes = uint64_t(1) << 32);
std::string readFileText(const std::string &path, uint64_t maxBytes = uint64_t(1) << 30);

// Writes `bytes` to `path` atomically: a temporary file beside it, flushed, then renamed over it,
// so a reader (or a killed run) never sees half a file. Throws Error naming the file.
void writeFileAtomically(const std::string &path, const void *bytes, size_t size);

} // namespace lodestone
