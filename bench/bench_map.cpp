// bench_map: times the embedding map's projections (PCA, t-SNE, UMAP), k-means and placement on clustered
// synthetic embeddings, and measures each projection's trustworthiness and kNN preservation. Figures go to
// bench/README.md ("Embedding map").
//
// The data: a two-level Gaussian mixture with low-dimensional structure inside each component, on the unit
// sphere, like a photo collection's CLIP embeddings (topics, sub-topics within them, and a few directions of
// variation within each): `--topics` centres drawn from N(0, I); each with `--subtopics` sub-centres at
// centre + 0.8·N(0, I); each point a sub-centre + B·z + 0.3·N(0, I) with z ~ N(0, I_8) and B a [D, 8]
// Gaussian basis of the sub-topic; every vector scaled by 1/√D and L2-normalised. Sub-topic sizes follow a
// Zipf law (1/rank), shuffled over the topics.

#include "lodestone/embeddingmap.h"
#include "lodestone/error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace lodestone;

namespace {

struct Args {
    int64_t points = 10000;
    int dim = 512;
    int topics = 12;
    int subtopics = 4;
    std::vector<std::string> methods = {"pca", "tsne", "umap"};
    int threads = 0;
    int64_t qualitySample = 1000;
    int qualityK = 10;
    bool kmeans = true;
    int tsneIterations = -1;
    int umapEpochs = -1;
    std::string pngPrefix;
    uint64_t seed = 1;
};

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Box–Muller on std::mt19937_64 (whose sequence the standard fixes), so the data are the same everywhere.
struct Normal {
    std::mt19937_64 engine;
    explicit Normal(uint64_t seed)
        : engine(seed)
    {}
    double operator()()
    {
        const double u = (double(engine() >> 11) + 1.0) * 0x1.0p-53, v = double(engine() >> 11) * 0x1.0p-53;
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }
};

FloatArray makeData(const Args &a, std::vector<int> *topicOf)
{
    constexpr int kLatent = 8;
    Normal normal(a.seed);
    const int subs = a.topics * a.subtopics;
    const double scale = 1.0 / std::sqrt(double(a.dim));
    std::vector<double> centres(static_cast<size_t>(subs) * size_t(a.dim));
    std::vector<double> bases(static_cast<size_t>(subs) * size_t(a.dim) * kLatent);
    for (int t = 0; t < a.topics; ++t) {
        std::vector<double> topic(static_cast<size_t>(a.dim));
        for (double &v : topic)
            v = normal() * scale;
        for (int s = 0; s < a.subtopics; ++s)
            for (int j = 0; j < a.dim; ++j)
                centres[size_t((t * a.subtopics + s) * a.dim + j)] =
                    topic[size_t(j)] + 0.8 * normal() * scale;
    }
    for (double &b : bases)
        b = normal() * scale;
    std::vector<double> weights(static_cast<size_t>(subs));
    for (int s = 0; s < subs; ++s)
        weights[size_t(s)] = 1.0 / (1 + s);
    std::shuffle(weights.begin(), weights.end(), normal.engine);
    double total = 0;
    for (double w : weights)
        total += w;
    FloatArray points({a.points, a.dim});
    topicOf->clear();
    int64_t row = 0;
    double z[kLatent];
    for (int s = 0; s < subs; ++s) {
        const int64_t count =
            s + 1 == subs ? a.points - row : int64_t(double(a.points) * weights[size_t(s)] / total);
        const double *basis = &bases[size_t(s) * size_t(a.dim) * kLatent];
        for (int64_t i = 0; i < count && row < a.points; ++i, ++row) {
            for (double &v : z)
                v = normal();
            float *p = points.row(row);
            for (int j = 0; j < a.dim; ++j) {
                double v = centres[size_t(s * a.dim + j)] + 0.3 * normal() * scale;
                for (int l = 0; l < kLatent; ++l)
                    v += basis[size_t(j * kLatent + l)] * z[l];
                p[j] = float(v);
            }
            topicOf->push_back(s / a.subtopics);
        }
    }
    normalizeRows(points);
    return points;
}

std::vector<std::string> split(const std::string &s)
{
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        out.push_back(item);
    return out;
}

Args parse(int argc, char **argv)
{
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw Error("missing value after " + flag);
            return argv[++i];
        };
        if (flag == "--points")
            a.points = std::stoll(value());
        else if (flag == "--dim")
            a.dim = std::stoi(value());
        else if (flag == "--topics")
            a.topics = std::stoi(value());
        else if (flag == "--subtopics")
            a.subtopics = std::stoi(value());
        else if (flag == "--methods")
            a.methods = split(value());
        else if (flag == "--threads")
            a.threads = std::stoi(value());
        else if (flag == "--quality-sample")
            a.qualitySample = std::stoll(value());
        else if (flag == "--no-kmeans")
            a.kmeans = false;
        else if (flag == "--tsne-iterations")
            a.tsneIterations = std::stoi(value());
        else if (flag == "--umap-epochs")
            a.umapEpochs = std::stoi(value());
        else if (flag == "--png")
            a.pngPrefix = value();
        else if (flag == "--seed")
            a.seed = std::stoull(value());
        else
            throw Error(
                "unknown option " + flag +
                " (--points N --dim D --topics T --subtopics S --methods pca,tsne,tsne-bh,tsne-fft,umap "
                "--threads N "
                "--quality-sample N --no-kmeans --tsne-iterations N --umap-epochs N --png PREFIX --seed S)");
    }
    return a;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        const Args a = parse(argc, argv);
        auto start = std::chrono::steady_clock::now();
        std::vector<int> topics;
        const FloatArray points = makeData(a, &topics);
        std::printf("data: %lld points, %d dimensions, %d topics x %d sub-topics, made in %.1f s\n",
                    (long long)a.points, a.dim, a.topics, a.subtopics, seconds(start));

        std::vector<int> clusters(static_cast<size_t>(a.points), 0);
        std::vector<std::string> clusterNames;
        if (a.kmeans) {
            start = std::chrono::steady_clock::now();
            KMeansOptions options;
            options.threads = a.threads;
            const KMeansResult result = kmeans(points, options);
            std::printf("k-means (automatic K): K = %lld, silhouette %.3f, %d final iterations, %.1f s\n",
                        (long long)result.centroids.dim(0), result.silhouette, result.iterations,
                        seconds(start));
            clusters = result.assignment;
            for (int64_t c = 0; c < result.centroids.dim(0); ++c)
                clusterNames.push_back("cluster " + std::to_string(c));
        }

        for (const std::string &name : a.methods) {
            MapOptions options;
            // "tsne-bh" and "tsne-fft" choose t-SNE's repulsion; plain "tsne" leaves it to the size.
            const size_t dash = name.find('-');
            options.method = parseMapMethod(name.substr(0, dash));
            if (dash != std::string::npos)
                options.tsne.repulsion = parseTsneRepulsion(name.substr(dash + 1));
            options.threads = a.threads;
            options.seed = a.seed;
            if (a.tsneIterations >= 0)
                options.tsne.iterations = a.tsneIterations;
            if (a.umapEpochs >= 0)
                options.umap.epochs = a.umapEpochs;
            std::map<std::string, double> phaseStart;
            std::string phase;
            start = std::chrono::steady_clock::now();
            std::vector<std::pair<std::string, double>> phases;
            auto t0 = start;
            const EmbeddingMap map = computeMap(points, options, [&](const MapProgress &p) {
                if (p.phase != phase) {
                    const auto now = std::chrono::steady_clock::now();
                    phases.push_back(
                        {phase.empty() ? "pca" : phase, std::chrono::duration<double>(now - t0).count()});
                    t0 = now;
                    phase = p.phase;
                }
            });
            phases.push_back({phase.empty() ? "pca" : phase, seconds(t0)});
            const double total = seconds(start);
            start = std::chrono::steady_clock::now();
            const MapQuality q = mapQuality(points, map.positions, a.qualityK, a.qualitySample, 1, a.threads);
            const double qualitySeconds = seconds(start);
            std::printf("%s: %.1f s (", name.c_str(), total);
            for (size_t i = 0; i < phases.size(); ++i)
                std::printf("%s%s %.1f", i ? ", " : "", phases[i].first.c_str(), phases[i].second);
            std::printf("); trustworthiness(%d) %.4f, kNN preservation %.3f on %lld points (%.1f s); %d "
                        "iterations%s\n",
                        q.k, q.trustworthiness, q.neighbourPreservation, (long long)q.sampled, qualitySeconds,
                        map.iterations,
                        map.method == MapMethod::Tsne
                            ? (", " + tsneRepulsionName(map.options.tsne.repulsion) + " repulsion").c_str()
                            : "");
            if (!a.pngPrefix.empty()) {
                MapPicture picture;
                picture.positions = map.positions;
                picture.clusters = a.kmeans ? clusters : topics;
                picture.clusterNames = clusterNames;
                picture.title = name + ", " + std::to_string(a.points) + " synthetic 512-d points";
                picture.width = 1200;
                picture.height = 900;
                writeMapPng(picture, a.pngPrefix + name + ".png");
            }
            std::fflush(stdout);
        }
        return 0;
    } catch (const std::exception &e) {
        std::cerr << "bench_map: " << e.what() << "\n";
        return 1;
    }
}
