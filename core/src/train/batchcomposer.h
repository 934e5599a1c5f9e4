#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

// Hard-negative batch composition: batches made of groups of mutually confusable samples, so that the
// contrastive loss must separate near-misses instead of easy strangers. Deterministic for a seed.

// For each sample, the other samples whose caption differs from its own in exactly one word
// ("two small blue squares" / "two large blue squares"); identical captions are not partners.
// At most `maxPartners` per sample.
std::vector<std::vector<size_t>> oneWordOffPartners(const std::vector<std::string> &captions,
                                                    size_t maxPartners = 16);

// For each row of the L2-normalised [N, D] `features`, its `k` nearest other rows by cosine similarity,
// nearest first, skipping rows with the same caption id (identical captions are positives, not negatives).
std::vector<std::vector<size_t>> nearestNeighbourPartners(const torch::Tensor &features,
                                                          const std::vector<int64_t> &captionIds, int64_t k);

// Greedy grouping: samples in seeded random order each start a group with up to groupSize-1 of their
// still-free partners; groups are shuffled and packed in order into batches of batchSize (a group stays
// together unless it straddles a batch boundary; a trailing partial batch is dropped). Every sample
// appears at most once.
std::vector<std::vector<size_t>> composeBatches(const std::vector<std::vector<size_t>> &partners,
                                                size_t batchSize, size_t groupSize, uint64_t seed);

} // namespace lodestone
