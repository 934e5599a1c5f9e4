#include "map/mapjobs.h"

#include "lodestone/error.h"
#include "lodestone/query.h"

#include <algorithm>

namespace lodestone::ui {

MapData computeLibraryMap(const MapRequest &request, const MapProgressCallback &progress,
                          const std::atomic<bool> *cancel)
{
    if (!request.model)
        throw Error("no model is loaded");
    const Library library = Library::open(request.libraryFolder);
    MapData data;
    data.embeddings = library.embeddings(request.modelId, &data.photoIds);
    const int64_t n = int64_t(data.photoIds.size());
    if (n < 2) {
        data.photoIds.clear();
        return data;
    }
    for (const Photo &photo : library.photos())
        data.files[photo.id] = {photo.path, photo.contentHash};

    MapOptions options = request.options;
    options.seed = request.seed;
    data.map = computeMap(data.embeddings, options, progress, cancel);
    if (data.map.cancelled || (cancel && *cancel)) {
        data.cancelled = true;
        return data;
    }

    KMeansOptions kmeansOptions;
    kmeansOptions.seed = request.seed;
    kmeansOptions.clusters = int(std::min<int64_t>(request.clusters, n));
    const KMeansResult clusters = kmeans(data.embeddings, kmeansOptions, progress, cancel);
    if (clusters.cancelled || (cancel && *cancel)) {
        data.cancelled = true;
        return data;
    }
    data.clusters = clusters.assignment;
    const int k = int(clusters.centroids.dim(0));

    const ModelEmbedder embedder(*request.model);
    const std::vector<std::string> &vocabulary = defaultVocabulary();
    const FloatArray vocabularyVecs = vocabularyVectors(library, request.modelId, vocabulary, embedder);
    const auto names = nameClusters(data.embeddings, data.clusters, k, vocabularyVecs, vocabulary, 1);
    data.clusterNames.resize(size_t(k));
    for (int c = 0; c < k; ++c)
        if (!names[size_t(c)].empty())
            data.clusterNames[size_t(c)] = names[size_t(c)].front().text;
    return data;
}

ProbePlacement computeProbe(const ProbeRequest &request)
{
    if (!request.model)
        throw Error("no model is loaded");
    if (!request.map || request.map->photoIds.empty())
        throw Error("no map to place the probe into");
    const Library library = Library::open(request.libraryFolder);
    const ModelEmbedder embedder(*request.model);
    ProbePlacement placement;
    placement.expression = request.expression;
    const ProbeResult result =
        probe(library, request.modelId, request.expression, embedder, request.neighbours);
    placement.photos = result.photos;

    std::vector<QueryTerm> terms = parseQuery(request.expression);
    QueryTerm first = terms.front();
    first.weight = 1;
    const std::vector<float> firstVector = queryVector({first}, embedder, &library, request.modelId);

    const int64_t d = request.map->embeddings.dim(1);
    if (int64_t(firstVector.size()) != d || int64_t(result.vector.size()) != d)
        throw Error("the probe's vectors do not match the map's embeddings");
    FloatArray rows({2, d});
    std::copy(firstVector.begin(), firstVector.end(), rows.row(0));
    std::copy(result.vector.begin(), result.vector.end(), rows.row(1));
    PlacementOptions options;
    options.refineIterations = request.map->map.method == MapMethod::Pca ? 0 : request.refineIterations;
    const FloatArray placed = placePoints(request.map->map, request.map->embeddings, rows, options);
    placement.fromX = placed.row(0)[0];
    placement.fromY = placed.row(0)[1];
    placement.toX = placed.row(1)[0];
    placement.toY = placed.row(1)[1];
    return placement;
}

} // namespace lodestone::ui
