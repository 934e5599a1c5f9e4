#pragma once

#include "lodestone/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace lodestone {

// Membership of a torch.distributed (c10d) process group for data-parallel training: Gloo for CPU
// tensors, NCCL for CUDA tensors (where the LibTorch build has it). Rank 0 hosts the TCPStore the ranks
// meet at. Every collective waits at most `timeoutSeconds`: a peer that died or hangs makes it throw
// Error (naming the operation, this rank and the likely cause) instead of blocking forever.
// Collectives must be called by all ranks in the same order; one thread per process.
class Distributed {
public:
    // Joins the group (blocks until all worldSize ranks have joined or the timeout has passed).
    // `device` is where the tensors given to the collectives live. Throws Error on a bad configuration,
    // a rendezvous that fails or times out, or a build without a backend for the device.
    Distributed(const DistributedConfig &config, torch::Device device);
    ~Distributed();
    Distributed(const Distributed &) = delete;
    Distributed &operator=(const Distributed &) = delete;

    int rank() const;
    int worldSize() const;
    const char *backendName() const; // "gloo" or "nccl"

    // In place, over all ranks: the element-wise sum / maximum.
    void allReduceSum(torch::Tensor &tensor, const char *what);
    void allReduceMax(torch::Tensor &tensor, const char *what);
    // In place: rank `root`'s tensor on every rank (same shape and dtype everywhere).
    void broadcast(torch::Tensor &tensor, int root, const char *what);
    // Every rank's `local` (same shape on all ranks) concatenated along dimension 0, in rank order:
    // [worldSize * n, ...]. No gradient.
    torch::Tensor allGather(const torch::Tensor &local, const char *what);
    void barrier(const char *what);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// All-gather with gradient: `local` [n, ...] (n <= capacity) is padded to `capacity` rows and gathered
// into [worldSize * capacity, ...], rank r's rows at [r * capacity, r * capacity + n_r). The backward sums
// the gradient of the gathered tensor over all ranks and hands each rank the slice of its own rows, so
// that a loss computed on every rank from the gathered features gives every rank's features the gradient
// of the sum of all ranks' losses (torch.distributed.nn.functional.all_gather). Every rank must run the
// backward (it is a collective) whenever one does.
torch::Tensor allGatherWithGradient(Distributed &group, const torch::Tensor &local, int64_t capacity);

// Sums the gradients of `parameters` over all ranks, in buckets of about `bucketBytes` (flattened float32),
// and returns the sum of `localLoss` over the ranks, carried in the last bucket. A parameter whose
// gradient is undefined on every rank stays undefined (as a parameter the loss did not reach would in a
// single process); one undefined on some ranks counts as zero there.
double allReduceGradients(Distributed &group, const std::vector<torch::Tensor> &parameters, double localLoss,
                          size_t bucketBytes = size_t(25) << 20);

// Rank 0's values of `parameters` on every rank (bucketed broadcast), so that all ranks start equal.
void broadcastParameters(Distributed &group, const std::vector<torch::Tensor> &parameters,
                         size_t bucketBytes = size_t(25) << 20);

// Throws Error when the ranks' parameters differ (compares an exact checksum of the values).
void verifyParametersInSync(Distributed &group, const std::vector<torch::Tensor> &parameters);

} // namespace lodestone
