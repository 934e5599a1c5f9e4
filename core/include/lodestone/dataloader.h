#pragma once

#include "lodestone/augment.h"
#include "lodestone/dataset.h"
#include "lodestone/floatarray.h"
#include "lodestone/image.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lodestone {

struct LoaderOptions {
    int batchSize = 64;      // the global batch size (all ranks together)
    int workers = 2;         // decoding threads; 0 = decode in next() on the caller's thread
    int prefetchBatches = 4; // batches prepared ahead of the one next() returns (at least 1)
    bool shuffle = true;     // else dataset order
    bool dropLast = true;    // drop the last, short global batch of a shuffled or ordered epoch
    uint64_t seed = 0;       // shuffling and augmentation
    PreprocessConfig preprocess;
    AugmentOptions augment;
    DecodeOptions decode;
    // Data parallelism: every rank builds the same global batches and takes its contiguous slice of each,
    // samples [size * rank / worldSize, size * (rank + 1) / worldSize).
    int rank = 0;
    int worldSize = 1;
};

// One batch, in the order its indices were given. Samples whose image failed to decode are left out, so a
// batch may be smaller than asked, even empty: every rank still receives every batchInEpoch, which keeps
// data-parallel ranks in step.
struct Batch {
    FloatArray pixels;                 // [n, 3, R, R]
    std::vector<std::string> captions; // n captions, possibly rewritten by augmentation (flips)
    std::vector<size_t> indices;       // n dataset indices
    int epoch = 0;
    int64_t batchInEpoch = 0; // position in the epoch's batch list (what startEpoch's firstBatch takes)
    std::vector<size_t> failedIndices; // dataset indices left out of this batch
};

struct LoaderStats {
    int64_t decoded = 0;
    int64_t failed = 0;
    std::vector<ReadFailure> failures; // the first 100
};

// Decodes and augments batches of a CaptionDataset on worker threads, `prefetchBatches` ahead of the
// consumer, with memory bounded by that many batches. Deterministic: the batch list depends only on
// (seed, epoch, dataset size, options) and each sample's view on sampleSeed(seed, epoch, index), so any
// worker count and any resumption point give the same batches with the same pixels, in order.
// A sample that cannot be read or decoded is counted, recorded and left out of its batch; it is never
// thrown out of next(). One consumer thread; the methods are not to be called concurrently.
class DataLoader {
public:
    // The dataset must outlive the loader. Throws Error on invalid options (batch size < 1, rank outside
    // [0, worldSize), a global batch smaller than worldSize).
    DataLoader(const CaptionDataset &dataset, LoaderOptions options);
    ~DataLoader(); // stops and joins the workers; work in progress is abandoned
    DataLoader(const DataLoader &) = delete;
    DataLoader &operator=(const DataLoader &) = delete;

    // Begins an epoch, abandoning what is left of the previous one. `batches` gives an explicit
    // composition (global batches of dataset indices, e.g. hard-negative batches; used as given, whatever
    // shuffle and dropLast say); else the indices are shuffled with (seed, epoch) and cut into batchSize
    // batches. Starts at `firstBatch` (to resume exactly where a run stopped). Throws Error on an index
    // outside the dataset or firstBatch outside [0, batchesPerEpoch()].
    void startEpoch(int epoch, std::vector<std::vector<size_t>> batches = {}, int64_t firstBatch = 0);

    // The next batch of the epoch, blocking while workers prepare it; nullopt at the end of the epoch.
    // Throws Error when no epoch has been started.
    std::optional<Batch> next();

    // Batches in the current epoch (from its explicit composition), or in a shuffled epoch before any
    // startEpoch.
    int64_t batchesPerEpoch() const;

    // Counts since construction. Thread-safe.
    LoaderStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lodestone
