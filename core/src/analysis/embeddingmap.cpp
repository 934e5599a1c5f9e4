#include "lodestone/embeddingmap.h"

#include "analysis/tsne.h"
#include "analysis/umap.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

namespace lodestone {

namespace {
// Principal components the neighbour search of large sets runs along (then re-ranked exactly).
constexpr int64_t kReducedDimensions = 64;

std::string toLower(const std::string &text)
{
    std::string lower;
    for (char c : text)
        lower += char(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}
} // namespace

MapMethod parseMapMethod(const std::string &name)
{
    const std::string lower = toLower(name);
    if (lower == "pca")
        return MapMethod::Pca;
    if (lower == "tsne" || lower == "t-sne")
        return MapMethod::Tsne;
    if (lower == "umap")
        return MapMethod::Umap;
    throw Error("unknown map method '" + name + "' (pca, tsne or umap)");
}

TsneRepulsion parseTsneRepulsion(const std::string &name)
{
    const std::string lower = toLower(name);
    if (lower == "auto")
        return TsneRepulsion::Auto;
    if (lower == "bh" || lower == "barnes-hut")
        return TsneRepulsion::BarnesHut;
    if (lower == "fft")
        return TsneRepulsion::Fft;
    throw Error("unknown t-SNE repulsion '" + name + "' (auto, bh or fft)");
}

std::string tsneRepulsionName(TsneRepulsion repulsion)
{
    switch (repulsion) {
    case TsneRepulsion::Auto:
        return "auto";
    case TsneRepulsion::BarnesHut:
        return "bh";
    case TsneRepulsion::Fft:
        return "fft";
    }
    return "?";
}

std::string mapMethodName(MapMethod method)
{
    switch (method) {
    case MapMethod::Pca:
        return "pca";
    case MapMethod::Tsne:
        return "tsne";
    case MapMethod::Umap:
        return "umap";
    }
    return "?";
}

EmbeddingMap computeMap(const FloatArray &points, const MapOptions &options,
                        const MapProgressCallback &progress, const std::atomic<bool> *cancel)
{
    const auto start = std::chrono::steady_clock::now();
    if (points.rank() != 2 || points.dim(0) < 2 || points.dim(1) < 2)
        throw Error("map: expected [N, D] points with N >= 2 and D >= 2, got " + points.shapeString());
    for (float v : points.data)
        if (!std::isfinite(v))
            throw Error("map: the points hold a NaN or infinite value");
    EmbeddingMap map;
    map.method = options.method;
    map.options = options;
    // One decomposition serves both: the first two components, and for t-SNE and UMAP the first
    // kReducedDimensions, along which the neighbour graph of a large set is searched.
    const int64_t d = points.dim(1);
    const Pca reduction =
        fitPca(points, int(std::min<int64_t>(d, options.method == MapMethod::Pca ? 2 : kReducedDimensions)),
               options.threads);
    map.pca = reduction;
    map.pca.components = FloatArray({2, d});
    std::copy_n(reduction.components.data.begin(), size_t(2 * d), map.pca.components.data.begin());
    map.pca.variances.resize(2);
    switch (options.method) {
    case MapMethod::Pca:
        map.positions = map.pca.project(points);
        break;
    case MapMethod::Tsne:
        detail::tsneLayout(points, map, reduction, progress, cancel);
        break;
    case MapMethod::Umap:
        detail::umapLayout(points, map, reduction, progress, cancel);
        break;
    }
    map.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return map;
}

} // namespace lodestone
