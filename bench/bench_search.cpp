// Search over the ANN index (hnswlib HNSW, inner product) against exact search, on synthetic unit vectors:
// build time and memory, search latency (one query at a time, k = 10) and recall@10 against exact search
// for several efSearch values, exact-search latency, optionally save/load times and the cost of changes.
//
// usage: bench_search [--n 100000] [--dim 512] [--data uniform|lowrank] [--rank 32] [--noise 0.3]
//                     [--queries 200] [--ef 64,128,256] [--m 32] [--ef-construction 200]
//                     [--save DIR] [--churn 0] [--seed 1]
//   --data uniform  normal coordinates, normalised: uniform on the sphere, no neighbourhood structure at
//                   all, the hardest case for any ANN method.
//   --data lowrank  normalise(A z / sqrt(rank) + noise * e), z ~ N(0, I_rank), e ~ N(0, I_dim), A a fixed
//                   random dim x rank matrix: full-dimensional vectors of low intrinsic dimension, like
//                   real image embeddings. Queries come from the same distribution as the data.
//   --churn C       afterwards, times C replacements (existing ids, new vectors), C additions into the
//                   slots of C removed ids, and C plain additions, each as one add() call.
// Prints one JSON object with the figures.

#include "library/annindex.h"

#include "lodestone/floatarray.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace lodestone;
using lodestone::detail::AnnIndex;
using lodestone::detail::NeighbourHit;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Resident memory of this process in bytes (VmRSS in /proc/self/status).
int64_t residentBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoll(line.substr(6)) * 1024;
    return 0;
}

struct DataOptions {
    std::string kind = "lowrank";
    int dim = 512;
    int rank = 32;
    float noise = 0.3f;
};

FloatArray makeVectors(int64_t n, const DataOptions &options, uint32_t seed)
{
    const int d = options.dim;
    FloatArray a({n, d});
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    if (options.kind == "uniform") {
        for (float &x : a.data)
            x = normal(rng);
    } else {
        const int r = options.rank;
        std::mt19937 fixed(12345); // the same A for data and queries
        std::vector<float> basis(size_t(d) * size_t(r));
        for (float &x : basis)
            x = normal(fixed) / std::sqrt(float(r));
        std::vector<float> z(static_cast<size_t>(r));
        for (int64_t i = 0; i < n; ++i) {
            for (float &x : z)
                x = normal(rng);
            float *row = a.row(i);
            for (int j = 0; j < d; ++j) {
                const float *aj = basis.data() + size_t(j) * size_t(r);
                float s = 0;
                for (int k = 0; k < r; ++k)
                    s += aj[k] * z[size_t(k)];
                row[j] = s + options.noise * normal(rng);
            }
        }
    }
    normalizeRows(a);
    return a;
}

std::vector<int> parseList(const std::string &text)
{
    std::vector<int> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        values.push_back(std::stoi(item));
    return values;
}

struct Latency {
    double p50 = 0, p99 = 0, mean = 0; // milliseconds
};

Latency summarise(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    Latency l;
    l.p50 = ms[ms.size() / 2];
    l.p99 = ms[std::min(ms.size() - 1, size_t(std::ceil(0.99 * double(ms.size()))) - 1)];
    for (double v : ms)
        l.mean += v;
    l.mean /= double(ms.size());
    return l;
}

} // namespace

int main(int argc, char **argv)
{
    int64_t n = 100000;
    int queryCount = 200;
    std::vector<int> efs{64, 128, 256};
    AnnIndex::Parameters parameters;
    DataOptions data;
    std::string saveDir;
    int64_t churn = 0;
    uint32_t seed = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--n")
            n = std::stoll(value());
        else if (arg == "--dim")
            data.dim = std::stoi(value());
        else if (arg == "--data")
            data.kind = value();
        else if (arg == "--rank")
            data.rank = std::stoi(value());
        else if (arg == "--noise")
            data.noise = std::stof(value());
        else if (arg == "--queries")
            queryCount = std::stoi(value());
        else if (arg == "--ef")
            efs = parseList(value());
        else if (arg == "--m")
            parameters.m = std::stoi(value());
        else if (arg == "--ef-construction")
            parameters.efConstruction = std::stoi(value());
        else if (arg == "--save")
            saveDir = value();
        else if (arg == "--churn")
            churn = std::stoll(value());
        else if (arg == "--seed")
            seed = uint32_t(std::stoul(value()));
        else {
            std::fprintf(stderr, "usage: see the comment at the top of bench/bench_search.cpp\n");
            return 2;
        }
    }
    if (data.kind != "uniform" && data.kind != "lowrank") {
        std::fprintf(stderr, "--data must be uniform or lowrank\n");
        return 2;
    }

    auto start = Clock::now();
    const FloatArray vectors = makeVectors(n, data, seed);
    const FloatArray queries = makeVectors(queryCount, data, seed + 1000003);
    std::vector<int64_t> ids(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        ids[size_t(i)] = i;
    const double generateSeconds = secondsSince(start);
    std::fprintf(stderr, "generated %lld vectors in %.1f s\n", (long long)n, generateSeconds);

    const int64_t rssBefore = residentBytes();
    AnnIndex index(data.dim, parameters);
    start = Clock::now();
    index.add(ids, vectors);
    const double buildSeconds = secondsSince(start);
    const int64_t indexBytes = residentBytes() - rssBefore;
    std::fprintf(stderr, "built in %.1f s\n", buildSeconds);

    // Exact search: the ground truth and its latency.
    std::vector<std::vector<NeighbourHit>> truth;
    std::vector<double> exactMs;
    for (int q = 0; q < queryCount; ++q) {
        start = Clock::now();
        truth.push_back(lodestone::detail::exactSearch(vectors, ids, queries.row(q), 10));
        exactMs.push_back(secondsSince(start) * 1e3);
    }
    const Latency exact = summarise(exactMs);

    std::ostringstream rows;
    for (size_t e = 0; e < efs.size(); ++e) {
        index.setEfSearch(efs[e]);
        index.search(queries.row(0), 10); // warm
        std::vector<double> ms;
        double found = 0;
        for (int q = 0; q < queryCount; ++q) {
            start = Clock::now();
            const auto hits = index.search(queries.row(q), 10);
            ms.push_back(secondsSince(start) * 1e3);
            std::set<int64_t> returned;
            for (const NeighbourHit &hit : hits)
                returned.insert(hit.id);
            for (const NeighbourHit &hit : truth[size_t(q)])
                found += double(returned.count(hit.id));
        }
        const Latency l = summarise(ms);
        const double recall = found / (10.0 * queryCount);
        rows << (e ? ",\n    " : "    ") << "{\"ef\": " << efs[e] << ", \"recall_at_10\": " << recall
             << ", \"p50_ms\": " << l.p50 << ", \"p99_ms\": " << l.p99 << ", \"mean_ms\": " << l.mean << "}";
        std::fprintf(stderr, "ef %d: recall@10 %.4f, p50 %.3f ms, p99 %.3f ms\n", efs[e], recall, l.p50,
                     l.p99);
    }

    std::ostringstream saved;
    if (!saveDir.empty()) {
        const std::string path = saveDir + "/bench_search_" + std::to_string(::getpid()) + ".ann";
        start = Clock::now();
        index.save(path);
        const double saveSeconds = secondsSince(start);
        const auto fileBytes = std::filesystem::file_size(path);
        start = Clock::now();
        const AnnIndex loaded = AnnIndex::load(path, data.dim, parameters);
        const double loadSeconds = secondsSince(start);
        std::filesystem::remove(path);
        saved << ",\n  \"file_bytes\": " << fileBytes << ", \"save_s\": " << saveSeconds
              << ", \"load_s\": " << loadSeconds << ", \"loaded_size\": " << loaded.size();
    }

    std::ostringstream churned;
    if (churn > 0 && churn * 2 <= n) {
        index.setEfSearch(parameters.efSearch);
        const FloatArray fresh = makeVectors(3 * churn, data, seed + 2000003);
        auto rows = [&](int64_t first) {
            FloatArray part({churn, data.dim});
            std::copy(fresh.row(first), fresh.row(first) + churn * data.dim, part.data.begin());
            return part;
        };
        auto idRange = [&](int64_t first) {
            std::vector<int64_t> range(static_cast<size_t>(churn));
            for (int64_t i = 0; i < churn; ++i)
                range[size_t(i)] = first + i;
            return range;
        };
        start = Clock::now();
        index.add(idRange(0), rows(0));
        const double replaceMs = secondsSince(start) * 1e3 / double(churn);
        index.remove(idRange(churn));
        start = Clock::now();
        index.add(idRange(n), rows(churn));
        const double reuseMs = secondsSince(start) * 1e3 / double(churn);
        start = Clock::now();
        index.add(idRange(n + churn), rows(2 * churn));
        const double insertMs = secondsSince(start) * 1e3 / double(churn);
        churned << ",\n  \"churn\": " << churn << ", \"replace_ms_each\": " << replaceMs
                << ", \"reuse_slot_ms_each\": " << reuseMs << ", \"insert_ms_each\": " << insertMs;
        std::fprintf(stderr, "churn %lld: replace %.2f ms, reuse slot %.2f ms, insert %.2f ms each\n",
                     (long long)churn, replaceMs, reuseMs, insertMs);
    }

    std::printf(
        "{\n  \"n\": %lld, \"dim\": %d, \"data\": \"%s\", \"rank\": %d, \"noise\": %g, \"queries\": %d,\n"
        "  \"m\": %d, \"ef_construction\": %d, \"threads\": %u,\n"
        "  \"build_s\": %.2f, \"index_rss_bytes\": %lld, \"bytes_per_vector\": %.0f,\n"
        "  \"exact_p50_ms\": %.3f, \"exact_p99_ms\": %.3f%s%s,\n  \"search\": [\n%s\n  ]\n}\n",
        (long long)n, data.dim, data.kind.c_str(), data.kind == "uniform" ? 0 : data.rank,
        data.kind == "uniform" ? 0.0 : double(data.noise), queryCount, parameters.m,
        parameters.efConstruction, std::max(1u, std::thread::hardware_concurrency()), buildSeconds,
        (long long)indexBytes, double(indexBytes) / double(n), exact.p50, exact.p99, saved.str().c_str(),
        churned.str().c_str(), rows.str().c_str());
    return 0;
}
