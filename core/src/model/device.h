#pragma once

#include <torch/torch.h>

#include <string>

namespace lodestone {

// "auto" (CUDA when LibTorch has it, else CPU), "cpu", "cuda" or "cuda:N". Throws Error for an unknown
// name or for CUDA on a build or machine without it.
torch::Device resolveDevice(const std::string &name);

} // namespace lodestone
