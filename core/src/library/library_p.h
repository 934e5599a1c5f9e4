#pragma once

// The private side of Library: its state, and the ANN index files that the indexer and search share.
// Tests include this to reach the index files and the exact-search threshold.

#include "library/annindex.h"
#include "library/catalog.h"
#include "lodestone/library.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lodestone {

struct Library::Impl {
    std::string folder; // absolute
    detail::Catalog catalog;

    // Per model id, what search last read, valid while the model's catalog version is unchanged.
    struct ExactCache {
        int64_t version = -1;
        FloatArray vectors;
        std::vector<int64_t> ids;
    };
    struct AnnCache {
        int64_t version = -1;
        std::optional<detail::AnnIndex> index;
    };
    std::map<std::string, ExactCache> exact;
    std::map<std::string, AnnCache> ann;
};

namespace detail {

// Library::search uses the ANN index from this many embeddings on (Library::exactSearchLimit() unless a
// test lowers it). Process-wide.
int64_t exactSearchThreshold();
void setExactSearchThreshold(int64_t limit);

// A folder as the catalog keeps it: absolute, lexically normal, without a trailing slash.
std::string normalizeFolderPath(const std::string &path);

// The index file of a model at a catalog version: <library>/index/<modelId>-<version>.hnsw. The version in
// the name ties the file to the embeddings it was built from: a run killed after re-embedding a photo
// leaves a file of an older version, which is then never taken for current.
std::string annIndexPath(const std::string &libraryFolder, const std::string &modelId, int64_t version);
// Deletes the model's index files of every version but `keepVersion` (-1: all of them).
void removeAnnIndexFiles(const std::string &libraryFolder, const std::string &modelId, int64_t keepVersion);

struct AnnState {
    AnnIndex index;
    int64_t version = 0;
    bool rebuilt = false; // the file was missing, damaged or disagreed with the catalog
};
// The model's ANN index for the catalog as it is now: the file of the current version when it loads and its
// ids equal the catalog's embedded photo ids; otherwise rebuilt from the catalog and saved. Throws Error.
AnnState openAnnIndex(Catalog &catalog, const std::string &libraryFolder, const ModelRow &model);
// Brings the file up to date after an indexing run that took the model from `fromVersion` to the current
// version only by adding (or replacing) `added` and dropping `removed`: the file of `fromVersion` is
// updated when it is intact (far cheaper than a rebuild), else the index is rebuilt. Throws Error.
void updateAnnIndex(Catalog &catalog, const std::string &libraryFolder, const ModelRow &model,
                    int64_t fromVersion, const std::vector<int64_t> &added,
                    const std::vector<int64_t> &removed);

} // namespace detail

} // namespace lodestone
