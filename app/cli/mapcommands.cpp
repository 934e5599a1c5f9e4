// lodestone-cli map: a library's photos in 2D (PCA, t-SNE or UMAP), clustered and named, with texts and
// vector-arithmetic probes placed in the same map; a CSV, a JSON summary on stdout and optionally a PNG.

#include "commands.h"
#include "libraryaccess.h"

#include "lodestone/clipmodel.h"
#include "lodestone/embeddingmap.h"
#include "lodestone/error.h"
#include "lodestone/library.h"
#include "lodestone/query.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

namespace lodestone::cli {

namespace {

std::atomic<bool> g_mapInterrupted{false};
extern "C" void onMapInterrupt(int)
{
    g_mapInterrupted = true;
}

struct MapCommandOptions {
    std::string library;
    std::string model;
    std::string device = "auto";
    std::string vocab;
    std::string method = "umap";
    std::string clusters = "auto";
    std::vector<std::string> probes;
    std::vector<std::string> texts;
    bool centreModalities = false;
    std::string out;
    std::string png;
    int names = 3;
    int refine = 30; // optimisation steps (t-SNE) or epochs (UMAP) when placing probes
    int64_t qualitySample = 1000;
    int threads = 0;
    uint64_t seed = 1;
    double perplexity = 30;
    std::string tsneRepulsion = "auto";
    int neighbours = 15;
    float minDist = 0.1f;
    int iterations = 0; // 0: the method's default (t-SNE iterations, UMAP epochs)
};

// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Subtracts `mean` from each row, then normalises: the centring of one modality applied to new vectors.
FloatArray centredWith(FloatArray rows, const std::vector<double> &mean)
{
    for (int64_t i = 0; i < rows.dim(0); ++i)
        for (int64_t j = 0; j < rows.dim(1); ++j)
            rows.row(i)[j] = float(rows.row(i)[j] - mean[size_t(j)]);
    normalizeRows(rows);
    return rows;
}

std::vector<double> meanRow(const FloatArray &rows)
{
    std::vector<double> mean(static_cast<size_t>(rows.dim(1)), 0.0);
    for (int64_t i = 0; i < rows.dim(0); ++i)
        for (int64_t j = 0; j < rows.dim(1); ++j)
            mean[size_t(j)] += rows.row(i)[j] / double(rows.dim(0));
    return mean;
}

FloatArray stackRows(const FloatArray &a, const FloatArray &b)
{
    FloatArray out({a.dim(0) + b.dim(0), a.dim(1)});
    std::copy(a.data.begin(), a.data.end(), out.data.begin());
    std::copy(b.data.begin(), b.data.end(), out.data.begin() + std::ptrdiff_t(a.data.size()));
    return out;
}

FloatArray rowsOf(const std::vector<std::vector<float>> &vectors, int64_t dim)
{
    FloatArray out({int64_t(vectors.size()), dim});
    for (size_t i = 0; i < vectors.size(); ++i)
        std::copy(vectors[i].begin(), vectors[i].end(), out.row(int64_t(i)));
    return out;
}

// One progress line on stderr per phase change or per second.
class MapProgressPrinter {
public:
    void operator()(const MapProgress &p)
    {
        const auto now = std::chrono::steady_clock::now();
        if (p.phase == m_phase && now - m_last < std::chrono::seconds(1) && p.done != p.total)
            return;
        m_phase = p.phase;
        m_last = now;
        std::cerr << p.phase << ": " << p.done << "/" << p.total << std::endl;
    }

private:
    std::string m_phase;
    std::chrono::steady_clock::time_point m_last;
};

nlohmann::json namesJson(const std::vector<ClusterName> &names)
{
    nlohmann::json out = nlohmann::json::array();
    for (const ClusterName &n : names)
        out.push_back({{"text", n.text}, {"score", n.score}});
    return out;
}

void runMap(const MapCommandOptions &o)
{
    const auto start = std::chrono::steady_clock::now();
    MapOptions mapOptions;
    mapOptions.method = parseMapMethod(o.method);
    mapOptions.seed = o.seed;
    mapOptions.threads = o.threads;
    mapOptions.tsne.perplexity = o.perplexity;
    mapOptions.tsne.repulsion = parseTsneRepulsion(o.tsneRepulsion);
    mapOptions.umap.neighbours = o.neighbours;
    mapOptions.umap.minDist = o.minDist;
    if (o.iterations > 0) {
        mapOptions.tsne.iterations = o.iterations;
        mapOptions.umap.epochs = o.iterations;
    }
    KMeansOptions kmeansOptions;
    kmeansOptions.seed = o.seed;
    kmeansOptions.threads = o.threads;
    if (o.clusters != "auto") {
        try {
            kmeansOptions.clusters = std::stoi(o.clusters);
        } catch (const std::exception &) {
            kmeansOptions.clusters = 0;
        }
        if (kmeansOptions.clusters < 1)
            throw Error("--clusters: expected 'auto' or a positive number, got '" + o.clusters + "'");
    }
    if (o.centreModalities && o.texts.size() < 2)
        throw Error("--centre-modalities needs at least two --text (the text modality's mean)");

    const Library lib = Library::open(o.library);
    const auto [model, modelId] = loadLibraryModel(lib, o.model, o.vocab, o.device);
    const ModelEmbedder embedder(model);

    std::vector<int64_t> ids;
    const FloatArray images = lib.embeddings(modelId, &ids);
    const int64_t n = images.rank() == 2 ? images.dim(0) : 0;
    if (n < 2)
        throw Error("library '" + lib.folder() + "' has " + std::to_string(n) +
                    " embedded photos: a map needs 2");
    if (kmeansOptions.clusters > n)
        throw Error("--clusters " + std::to_string(kmeansOptions.clusters) + " with only " +
                    std::to_string(n) + " photos");
    const int64_t d = images.dim(1);
    std::map<int64_t, std::string> paths;
    for (const Photo &photo : lib.photos())
        paths[photo.id] = photo.path;

    // Texts drawn in the map with the photos, each modality centred first when asked.
    const FloatArray texts = o.texts.empty() ? FloatArray({0, d}) : embedder.embedTexts(o.texts);
    std::optional<ModalityGap> gap;
    if (!o.texts.empty())
        gap = modalityGap(images, texts);
    const std::vector<double> imageMean = meanRow(images),
                              textMean = o.texts.empty() ? imageMean : meanRow(texts);
    FloatArray mapPoints = o.centreModalities
                               ? stackRows(centredWith(images, imageMean), centredWith(texts, textMean))
                               : stackRows(images, texts);

    g_mapInterrupted = false;
    std::signal(SIGINT, onMapInterrupt);
    std::signal(SIGTERM, onMapInterrupt);
    MapProgressPrinter printer;
    const EmbeddingMap map = computeMap(mapPoints, mapOptions, std::ref(printer), &g_mapInterrupted);
    std::cerr << mapMethodName(map.method) << ": " << mapPoints.dim(0) << " points in " << map.seconds
              << " s\n";
    if (map.cancelled)
        throw Error("map interrupted");
    const KMeansResult clusters = kmeans(images, kmeansOptions, std::ref(printer), &g_mapInterrupted);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (clusters.cancelled)
        throw Error("map interrupted");
    const int k = int(clusters.centroids.dim(0));
    std::cerr << "clusters: " << k << " (silhouette " << clusters.silhouette << ")\n";

    // Names from the vocabulary, and from the user's labels when the photos were classified.
    const std::vector<std::string> &vocabulary = defaultVocabulary();
    const FloatArray vocabularyVecs = vocabularyVectors(lib, modelId, vocabulary, embedder);
    const auto names =
        nameClusters(images, clusters.assignment, k, vocabularyVecs, vocabulary, std::max(1, o.names));
    const std::optional<Classification> classification = lib.classification(modelId);
    std::vector<std::vector<ClusterName>> labelNames;
    std::map<int64_t, std::string> photoLabels;
    if (classification && !classification->labels.empty()) {
        const FloatArray labelVecs =
            labelVectors(classification->labels, classification->templates, embedder);
        labelNames = nameClusters(images, clusters.assignment, k, labelVecs, classification->labels,
                                  std::max(1, o.names));
        for (const PhotoLabel &p : classification->photos)
            if (p.labelIndex >= 0 && p.labelIndex < int(classification->labels.size()))
                photoLabels[p.photoId] = classification->labels[size_t(p.labelIndex)];
    }

    // Probes: the arrow from the first term to the whole expression, both placed into the map.
    struct Probe {
        std::string expression;
        std::vector<float> result, first;
        bool firstIsText = true;
    };
    std::vector<Probe> probes;
    for (const std::string &expression : o.probes) {
        Probe p;
        p.expression = expression;
        std::vector<QueryTerm> terms = parseQuery(expression);
        p.result = queryVector(terms, embedder, &lib, modelId);
        QueryTerm first = terms.front();
        first.weight = 1;
        p.first = queryVector({first}, embedder, &lib, modelId);
        p.firstIsText = first.kind == QueryTerm::Kind::Text;
        probes.push_back(std::move(p));
    }
    FloatArray placed({0, 2});
    if (!probes.empty()) {
        std::vector<std::vector<float>> results, firsts;
        for (const Probe &p : probes) {
            results.push_back(p.result);
            firsts.push_back(p.first);
        }
        FloatArray resultRows = rowsOf(results, d), firstRows = rowsOf(firsts, d);
        if (o.centreModalities) {
            // A probe's result is compared with photos: centred as images; its first term as its own kind.
            resultRows = centredWith(resultRows, imageMean);
            for (size_t i = 0; i < probes.size(); ++i) {
                const FloatArray one =
                    centredWith(rowsOf({probes[i].first}, d), probes[i].firstIsText ? textMean : imageMean);
                std::copy(one.data.begin(), one.data.end(), firstRows.row(int64_t(i)));
            }
        }
        PlacementOptions placement;
        placement.threads = o.threads;
        placement.refineIterations = o.refine;
        placed = placePoints(map, mapPoints, stackRows(firstRows, resultRows), placement);
    }
    const int64_t p = int64_t(probes.size());

    // The CSV: photos, then texts and probes marked by their path column.
    {
        const std::string tmp = o.out + ".tmp";
        std::ofstream csv(tmp, std::ios::binary);
        if (!csv)
            throw Error("cannot write '" + o.out + "'");
        csv << "path,x,y,cluster,cluster_name,label\n";
        auto row = [&](const std::string &path, float x, float y, int cluster, const std::string &name,
                       const std::string &label) {
            csv << csvField(path) << ',' << x << ',' << y << ',' << cluster << ',' << csvField(name) << ','
                << csvField(label) << '\n';
        };
        for (int64_t i = 0; i < n; ++i) {
            const int c = clusters.assignment[size_t(i)];
            const auto label = photoLabels.find(ids[size_t(i)]);
            row(paths[ids[size_t(i)]], map.positions.row(i)[0], map.positions.row(i)[1], c,
                names[size_t(c)].empty() ? std::string() : names[size_t(c)][0].text,
                label == photoLabels.end() ? std::string() : label->second);
        }
        for (size_t t = 0; t < o.texts.size(); ++t)
            row("text:" + o.texts[t], map.positions.row(n + int64_t(t))[0],
                map.positions.row(n + int64_t(t))[1], -1, "", "text");
        for (int64_t i = 0; i < p; ++i) {
            row("probe-start:" + probes[size_t(i)].expression, placed.row(i)[0], placed.row(i)[1], -1, "",
                "probe-start");
            row("probe:" + probes[size_t(i)].expression, placed.row(p + i)[0], placed.row(p + i)[1], -1, "",
                "probe");
        }
        csv.close();
        if (!csv)
            throw Error("writing '" + o.out + "' failed");
        if (std::rename(tmp.c_str(), o.out.c_str()) != 0)
            throw Error("cannot write '" + o.out + "'");
    }

    if (!o.png.empty()) {
        MapPicture picture;
        picture.positions = FloatArray({n, 2});
        std::copy_n(map.positions.data.begin(), size_t(2 * n), picture.positions.data.begin());
        picture.clusters = clusters.assignment;
        for (int c = 0; c < k; ++c)
            picture.clusterNames.push_back(names[size_t(c)].empty() ? std::string()
                                                                    : names[size_t(c)][0].text);
        for (size_t t = 0; t < o.texts.size(); ++t)
            picture.markers.push_back(
                {map.positions.row(n + int64_t(t))[0], map.positions.row(n + int64_t(t))[1], o.texts[t]});
        for (int64_t i = 0; i < p; ++i)
            picture.arrows.push_back({placed.row(i)[0], placed.row(i)[1], placed.row(p + i)[0],
                                      placed.row(p + i)[1], probes[size_t(i)].expression});
        picture.title = mapMethodName(map.method) + " map of " + std::to_string(n) + " photos, " +
                        std::to_string(k) + " clusters";
        writeMapPng(picture, o.png);
    }

    nlohmann::json summary = {{"method", mapMethodName(map.method)},
                              {"photos", n},
                              {"texts", o.texts.size()},
                              {"out", o.out},
                              {"map_seconds", map.seconds},
                              {"iterations", map.iterations},
                              {"silhouette", clusters.silhouette}};
    if (map.method == MapMethod::Tsne)
        summary["tsne_repulsion"] = tsneRepulsionName(map.options.tsne.repulsion);
    if (!o.png.empty())
        summary["png"] = o.png;
    nlohmann::json clusterJson = nlohmann::json::array();
    for (int c = 0; c < k; ++c) {
        nlohmann::json entry = {
            {"cluster", c}, {"size", clusters.sizes[size_t(c)]}, {"names", namesJson(names[size_t(c)])}};
        if (!labelNames.empty())
            entry["labels"] = namesJson(labelNames[size_t(c)]);
        clusterJson.push_back(entry);
    }
    summary["clusters"] = clusterJson;
    if (o.qualitySample > 0 && mapPoints.dim(0) > 20) {
        const MapQuality q = mapQuality(mapPoints, map.positions, 10, o.qualitySample, o.seed, o.threads);
        summary["quality"] = {{"k", q.k},
                              {"sampled", q.sampled},
                              {"trustworthiness", q.trustworthiness},
                              {"knn_preservation", q.neighbourPreservation}};
    }
    if (gap) {
        summary["modality_gap"] = {{"distance", gap->distance}, {"cosine", gap->cosine}};
        if (o.centreModalities)
            summary["modality_gap"]["centred_distance"] =
                modalityGap(centredWith(images, imageMean), centredWith(texts, textMean)).distance;
    }
    nlohmann::json probeJson = nlohmann::json::array();
    for (int64_t i = 0; i < p; ++i)
        probeJson.push_back({{"expression", probes[size_t(i)].expression},
                             {"from", {placed.row(i)[0], placed.row(i)[1]}},
                             {"to", {placed.row(p + i)[0], placed.row(p + i)[1]}}});
    if (p > 0)
        summary["probes"] = probeJson;
    summary["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << dumpJson(summary) << "\n";
}

} // namespace

void addMapCommands(CLI::App &app)
{
    auto o = std::make_shared<MapCommandOptions>();
    auto *cmd = app.add_subcommand(
        "map",
        "the library's photos in 2D, clustered and named, with texts and probes placed in the same map: "
        "a CSV (path,x,y,cluster,cluster_name,label), a JSON summary on stdout, optionally a PNG");
    cmd->add_option("--library", o->library, "library folder")->required();
    cmd->add_option("--model", o->model, "model (default: the one the library was indexed with)");
    cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_option("--vocab", o->vocab, "tokenizer: .gz merges, vocab.json or a folder");
    cmd->add_option("--method", o->method, "pca, tsne or umap")
        ->capture_default_str()
        ->check(CLI::IsMember({"pca", "tsne", "t-sne", "umap"}, CLI::ignore_case));
    cmd->add_option("--clusters", o->clusters, "number of k-means clusters, or auto (best silhouette)")
        ->capture_default_str();
    cmd->add_option("--probe", o->probes,
                    "an expression such as 'dog - puppy + cat', drawn as an arrow from its first term to its "
                    "result (repeat for more)");
    cmd->add_option("--text", o->texts, "a text to draw in the map with the photos (repeat for more)");
    cmd->add_flag("--centre-modalities", o->centreModalities,
                  "centre photos and texts each on their own mean before mapping (removes the modality gap)");
    cmd->add_option("--out", o->out, "the CSV to write")->required();
    cmd->add_option("--png", o->png, "also draw the map into this PNG");
    cmd->add_option("--names", o->names, "names per cluster in the summary")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option(
           "--refine", o->refine,
           "t-SNE steps or UMAP epochs refining each probe's place after the neighbour average (0: none)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--quality-sample", o->qualitySample,
                    "points trustworthiness and kNN preservation are measured on (0: skip)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--perplexity", o->perplexity, "t-SNE perplexity")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option(
           "--tsne-repulsion", o->tsneRepulsion,
           "t-SNE repulsion: bh (Barnes-Hut quadtree), fft (grid interpolation, for large sets) or auto "
           "(fft from 40 000 photos)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "bh", "barnes-hut", "fft"}, CLI::ignore_case));
    cmd->add_option("--neighbours", o->neighbours, "UMAP neighbours")
        ->capture_default_str()
        ->check(CLI::Range(2, 200));
    cmd->add_option("--min-dist", o->minDist, "UMAP min_dist")
        ->capture_default_str()
        ->check(CLI::Range(0.0f, 10.0f));
    cmd->add_option("--iterations", o->iterations, "t-SNE iterations or UMAP epochs (default: the method's)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--threads", o->threads, "threads (0: one per core)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", o->seed, "seed of the map and the clusters")->capture_default_str();
    cmd->callback([o] { runMap(*o); });
}

} // namespace lodestone::cli
