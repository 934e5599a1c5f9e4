#pragma once

// The approximate nearest-neighbour index behind Library::search: hnswlib's HNSW graph over L2-normalised
// vectors with the inner-product space, labelled by photo id. Private to the core (hnswlib types stay here).

#include "lodestone/floatarray.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lodestone::detail {

struct NeighbourHit {
    int64_t id = 0;
    float score = 0; // inner product (cosine similarity for normalised vectors)
};

// AnnIndex::Parameters. Defined outside the class: a nested struct with default member initialisers
// cannot be a default argument (`= {}`) of its enclosing class's members (CWG 1397; GCC and Clang refuse it).
// The defaults reach recall@10 0.9965 against exact search on 100 000 512-d vectors of intrinsic dimension 32
// (M 16 reached 0.95 there; bench/README.md, "Search").
struct AnnIndexParameters {
    int m = 32;               // graph degree (links per node; twice that on the bottom layer)
    int efConstruction = 200; // build-time beam width
    int efSearch = 128;       // query-time beam width (raised to k when smaller)
};

// Thread-safety: const members may run concurrently with each other (many searches at once, or a save);
// add, remove, setEfSearch and assignment need the index to themselves.
class AnnIndex {
public:
    using Parameters = AnnIndexParameters;

    explicit AnnIndex(int dim, Parameters parameters = {});
    // Reads an index saved by save(). Throws Error naming the file when it is missing, truncated, of another
    // dimension or otherwise damaged (the caller then rebuilds from the catalog). M and efConstruction are
    // the file's; efSearch is taken from `parameters`.
    static AnnIndex load(const std::string &path, int dim, Parameters parameters = {});
    AnnIndex(AnnIndex &&) noexcept;
    AnnIndex &operator=(AnnIndex &&) noexcept;
    ~AnnIndex();

    // Writes the index atomically (path + ".tmp", flushed to disk, then renamed). Throws Error naming the
    // file.
    void save(const std::string &path) const;

    int dim() const;
    int64_t size() const;             // live (not deleted) vectors
    std::vector<int64_t> ids() const; // live ids, ascending

    // Adds rows of `vectors` [N, dim] under `ids`, growing capacity as needed (amortised doubling). An id
    // already present (live or deleted) gets its vector replaced and is live again. Uses several threads
    // for large batches. Vectors should be L2-normalised (scores are plain inner products). Throws Error on a
    // shape mismatch or a non-finite value, before changing anything.
    void add(const std::vector<int64_t> &ids, const FloatArray &vectors);
    // Marks ids deleted (absent ones are ignored); their slots are reused by later adds.
    void remove(const std::vector<int64_t> &ids);

    // The k live vectors with the largest inner product with `query` (dim floats), best first.
    std::vector<NeighbourHit> search(const float *query, int k) const;
    void setEfSearch(int ef);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Exact search: the k rows of `vectors` [N, D] with the largest inner product with `query`, best first,
// labelled by `ids` (the rows' ids, same order).
std::vector<NeighbourHit> exactSearch(const FloatArray &vectors, const std::vector<int64_t> &ids,
                                      const float *query, int k);

// The efSearch a library's index searches with, by its number of vectors: the default (128) up to 100 000,
// then twice as wide for every ten times as many vectors, at most 512. Measured on 512-d vectors of intrinsic
// dimension 32 (bench/README.md, "Search"): efSearch 128 keeps recall@10 at 0.9965 at 100 000 but reaches
// only 0.961 at 1 000 000, where 256 (what this gives there) restores 0.9965 at 4.2 ms a query on two cores.
int efSearchForSize(int64_t vectors);

} // namespace lodestone::detail
