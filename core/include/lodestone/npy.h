#pragma once

#include "lodestone/floatarray.h"

#include <string>

namespace lodestone {

// Reads a NumPy .npy file (format 1.0-3.0) holding little-endian float32, float16 or float64 in C order;
// the values come back as float32. Throws Error naming the file on anything else or on a malformed file.
FloatArray readNpy(const std::string &path);

// Writes `array` as a NumPy format 1.0 file of little-endian float32 in C order, atomically
// (temporary file, then rename). Throws Error naming the file when it cannot be written.
void writeNpy(const std::string &path, const FloatArray &array);

} // namespace lodestone
