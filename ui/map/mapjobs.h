#pragma once

// The work behind the map view, as plain functions that run on a worker thread: each opens its own catalog
// connection (Library is one object per thread) and shares nothing with the UI thread but its arguments and
// its result. Both throw Error (the caller catches at the worker boundary).

#include "lodestone/embeddingmap.h"
#include "lodestone/floatarray.h"
#include "lodestone/library.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace lodestone {
class ClipModel;
}

namespace lodestone::ui {

struct MapRequest {
    std::string libraryFolder;
    std::string modelId;
    std::shared_ptr<const ClipModel> model;
    MapOptions options;
    int clusters = 0; // 0: automatic (best silhouette)
    uint64_t seed = 1;
};

struct PhotoFile {
    std::string path;
    std::string contentHash;
};

// A computed map: the projection, the clusters and their names, and what probes need to be placed into it.
struct MapData {
    std::vector<int64_t> photoIds;         // [N], id order
    FloatArray embeddings;                 // [N, D] (kept for placing probes)
    EmbeddingMap map;                      // positions [N, 2]
    std::vector<int> clusters;             // [N]
    std::vector<std::string> clusterNames; // [K]: the best vocabulary name of each cluster ("" for none)
    std::unordered_map<int64_t, PhotoFile> files; // every embedded photo's file, for thumbnails
    bool cancelled = false;
};

// Embeddings of the model, projection (computeMap), clusters (kmeans) and names (nameClusters over the
// default vocabulary). Fewer than two embedded photos give an empty result (photoIds empty), not an error.
// `cancel` is checked between iterations: when set, the result comes back marked cancelled.
MapData computeLibraryMap(const MapRequest &request, const MapProgressCallback &progress,
                          const std::atomic<bool> *cancel);

struct ProbeRequest {
    std::string libraryFolder;
    std::string modelId;
    std::shared_ptr<const ClipModel> model;
    std::shared_ptr<const MapData> map; // the map the probe is placed into
    std::string expression;
    int neighbours = 8; // nearest photos listed
    int refineIterations = 30;
};

struct ProbePlacement {
    std::string expression;
    float fromX = 0, fromY = 0;    // the first term (weight 1)
    float toX = 0, toY = 0;        // the whole expression
    std::vector<SearchHit> photos; // nearest photos, best first
};

// lodestone::probe for the expression, then its first term and its result placed into the map (placePoints).
ProbePlacement computeProbe(const ProbeRequest &request);

} // namespace lodestone::ui
