#pragma once

#include "model/clipmodule.h"

#include <torch/torch.h>

#include <functional>

namespace lodestone {

// loss(imageFeatures [N, D], textFeatures [N, D]) -> scalar, differentiable in the features.
using BatchLoss = std::function<torch::Tensor(const torch::Tensor &, const torch::Tensor &)>;

// One forward/backward of a contrastive batch: accumulates into the parameters' .grad exactly the
// gradients of loss(encodeImage(pixels), encodeText(tokens)).backward() and returns the loss (detached).
//
// With 0 < subBatch < N it uses gradient caching (Gao et al. 2021) so memory holds the activations of
// one sub-batch only: all sub-batches are embedded without gradients, the loss over the whole batch is
// back-propagated to the cached features, then each sub-batch is re-run with gradients and given its
// slice of the feature gradient. The model must be deterministic (no dropout), which CLIP is.
// A tower whose parameters are all frozen is run without gradients only.
torch::Tensor contrastiveBackward(ClipModuleImpl &module, const torch::Tensor &pixels,
                                  const torch::Tensor &tokens, int64_t subBatch, const BatchLoss &loss);

} // namespace lodestone
