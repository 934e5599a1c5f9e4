#pragma once

#include <torch/torch.h>

namespace lodestone {

enum class LossKind { InfoNce, Sigmoid };

struct LossOptions {
    LossKind kind = LossKind::InfoNce;
    // HN-NCE (Radenovic et al. 2023): negatives reweighted by exp(beta * logit), normalised so the
    // weights of a row's negatives average 1. beta = 0 is plain InfoNCE. InfoNCE only.
    double hardNegativeBeta = 0.0;
};

// The contrastive loss of a batch of N matching image and text features ([N, D] each, raw: they are
// L2-normalised here so that gradients flow through the normalisation). logitScale is the scalar
// multiplier (exp of the learnable log scale); logitBias is used by the sigmoid loss only.
//  - InfoNCE: cross-entropy from images to texts and from texts to images over the logit-scaled cosine
//    similarities, averaged (symmetric by construction).
//  - Sigmoid (SigLIP): -mean_i sum_j log sigmoid(z_ij * (scale * cos_ij + bias)), z = +1 on the diagonal,
//    -1 elsewhere.
// `positives` (optional, [N, N] bool with a true diagonal) marks further matching pairs, e.g. photos
// with identical captions: they become shared targets instead of false negatives.
torch::Tensor contrastiveLoss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                              const torch::Tensor &logitScale, const torch::Tensor &logitBias,
                              const LossOptions &options, const torch::Tensor &positives = {});

// The share of contrastiveLoss(imageFeatures, textFeatures, ...) that belongs to rows [begin, end) of the
// batch, for data parallelism: each rank computes its own rows against all N columns of the gathered
// features ([end - begin, N] logits, memory linear in N). For InfoNCE a row is its image-to-text and its
// text-to-image term, for the sigmoid loss its image's N pairs; each divided by N. Summed over a partition of
// [0, N) the shares give contrastiveLoss, and their gradients its gradient.
torch::Tensor contrastiveLossRows(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                                  int64_t begin, int64_t end, const torch::Tensor &logitScale,
                                  const torch::Tensor &logitBias, const LossOptions &options,
                                  const torch::Tensor &positives = {});

} // namespace lodestone
