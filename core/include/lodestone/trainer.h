#pragma once

#include "lodestone/augment.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lodestone {

enum class ContrastiveLoss { InfoNce, Sigmoid };

// How batches are composed. Hard-negative composition puts groups of confusable samples into one batch
// so that the loss has to tell them apart.
enum class BatchComposition {
    Random,     // plain in-batch negatives
    OneWordOff, // groups of captions that differ in exactly one word ("a red circle" / "a blue circle")
    Neighbours, // groups of nearest neighbours in the current image embedding space, refreshed each epoch
};

// Data parallelism over torch.distributed (c10d): worldSize processes ("ranks"), each with its own device,
// train one model. Every rank reads its own slice of each global batch, the loss is computed over the
// global batch, gradients are summed over the ranks before every step; only rank 0 writes to the run folder.
struct DistributedConfig {
    int rank = 0;
    int worldSize = 1;                    // ranks in the group
    bool joinGroup = false;               // form a process group even of one rank (set by a launcher)
    int localRank = 0;                    // the rank's index on its machine: with CUDA it uses cuda:localRank
    std::string masterAddr = "127.0.0.1"; // where rank 0 hosts the rendezvous (a c10d TCPStore)
    int masterPort = 29500;
    double timeoutSeconds =
        60; // a collective that waits longer (a dead or hung rank) ends the run with Error

    // From RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT as torchrun sets them: a launched
    // process joins a group, of one rank too (as DDP does under `torchrun --nproc-per-node 1`); a single
    // process without a group when WORLD_SIZE is unset. Throws Error on malformed or inconsistent values.
    static DistributedConfig fromEnvironment();

    bool parallel() const { return joinGroup || worldSize > 1; }
};

// Everything a training run needs. Plain settings with defaults that suit the small presets on a CPU.
struct TrainConfig {
    std::vector<std::string> dataSpecs; // caption sources (CaptionDataset::fromSpec), mixed
    std::string outDir;                 // the run folder: checkpoints/, metrics.jsonl, model/ at the end
    std::string init;                   // fine-tune from this model (any layout ClipModel::load takes)
    std::string arch = "tiny";          // preset for a model made from scratch
    std::string vocab;       // CLIP tokenizer files for a new model; empty: learn a BPE from the captions
    int bpeVocabSize = 1024; // size of that learned vocabulary
    std::string device = "auto";

    int64_t steps = 0; // stop after this many optimiser steps (0: use epochs or the time limit)
    int epochs = 0;    // or after this many passes over the data
    double timeLimitMinutes =
        0; // or when this much time has passed (the schedule is sized from the measured speed)

    int batchSize = 128; // the global batch: all ranks together (the same run with 1 or N processes)
    int subBatch = 0;    // > 0: gradient caching with sub-batches of this size (same gradients, less memory)
    uint64_t seed = 0;
    bool resume = false; // continue the run in outDir exactly where its last checkpoint left it

    double learningRate = 5e-4;
    double weightDecay = 0.2;
    double beta1 = 0.9, beta2 = 0.98, epsilon = 1e-6;
    int64_t warmupSteps = 100;
    double gradientClip = 1.0; // max global L2 norm; 0 disables

    ContrastiveLoss loss = ContrastiveLoss::InfoNce;
    double hardNegativeBeta = 0.0; // HN-NCE reweighting of negatives (0: off)
    BatchComposition composition = BatchComposition::Random;
    int hardNegativeGroup = 4; // samples per confusable group in a composed batch

    bool lockImageTower = false; // fine-tuning: keep the image tower's weights
    bool lockTextTower = false;
    double wiseAlpha = 1.0; // weight-space ensembling with the initial weights: (1-a) init + a fine-tuned

    AugmentOptions augment;
    int workers = 2;
    int64_t checkpointEverySteps = 500;
    double checkpointEveryMinutes = 5.0;
    int64_t logEverySteps = 10;
    // Held-out recall during training: every this many steps (0: off) the model embeds a fixed subset of
    // the data's test split (shapes: sources only; other data has none, and evaluation is then off with a
    // note on stderr) and reports recall@1 and @5. Read-only on the weights and the random state: the run
    // trains exactly as without it. Only rank 0 evaluates.
    int64_t evalEverySteps = 0;
    int evalSamples = 256; // photos in that subset, drawn once from the seed (fewer in a smaller split)

    DistributedConfig distributed; // data parallelism (worldSize > 1)
};

struct TrainProgress {
    int64_t step = 0;
    int64_t totalSteps = 0;
    int epoch = 0;
    double loss = 0;
    double logitScale = 0;
    double learningRate = 0;
    double samplesPerSecond = 0;
    // Share of this run's time the training thread spent waiting for the loader's next batch: near 0
    // when the model is the bottleneck, near 1 when decoding and augmentation are (more --workers).
    double inputWaitFraction = 0;
    double etaSeconds = 0;
    int64_t skippedSteps = 0; // non-finite losses, not trained on
    int64_t failedImages = 0; // images that could not be decoded, left out of their batches
    // Held-out recall at this step (TrainConfig::evalEverySteps), the mean of image->text and text->image,
    // in [0, 1]; -1 at steps without an evaluation.
    double recallAt1 = -1;
    double recallAt5 = -1;
    bool evaluated() const { return recallAt1 >= 0; }
};

struct TrainResult {
    std::string modelDir; // a Lodestone checkpoint folder ready for ClipModel::load
    int64_t steps = 0;
    double finalLoss = 0;
    int64_t skippedSteps = 0;
    int64_t failedImages = 0;
    bool cancelled = false;
    double seconds = 0;
    double samplesPerSecond = 0;
    double inputWaitFraction = 0; // as TrainProgress's, over the whole run
};

// Contrastive training of a CLIP dual encoder, from scratch or from an imported model. run() is
// synchronous: it reports through `progress` (on the calling thread) and stops between steps when
// `cancel` becomes true, leaving a checkpoint to resume from. Throws Error on bad configuration or data.
class Trainer {
public:
    explicit Trainer(TrainConfig config);
    ~Trainer();

    TrainResult run(const std::function<void(const TrainProgress &)> &progress = {},
                    const std::atomic<bool> *cancel = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lodestone
