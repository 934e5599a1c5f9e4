#include "lodestone/error.h"
#include "lodestone/npy.h"
#include "lodestone/query.h"
#include "query/embeddedtext.h"
#include "query/querytext.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <numeric>

namespace lodestone {

namespace {

constexpr size_t vocabularyBatch = 256; // texts per embedTexts call, which bounds the memory it needs

std::string hex64(uint64_t value)
{
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

// A model id as a file name component: anything but [A-Za-z0-9._-] becomes '_'.
std::string fileSafe(const std::string &text)
{
    std::string out = text.empty() ? std::string("unnamed") : text;
    for (char &c : out)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-'))
            c = '_';
    return out;
}

} // namespace

const std::vector<std::string> &defaultVocabulary()
{
    // Parsed once, on first use; C++ makes the initialisation of a function-local static thread-safe.
    static const std::vector<std::string> vocabulary = query::contentLines(embedded::vocabularyText());
    return vocabulary;
}

FloatArray vocabularyVectors(const Library &library, const std::string &modelId,
                             const std::vector<std::string> &vocabulary, const Embedder &embedder)
{
    const int64_t v = int64_t(vocabulary.size());
    const int64_t d = embedder.dim();
    // The key covers every entry and its boundaries (entries joined by '\n', which none contains).
    std::string joined;
    for (const std::string &text : vocabulary)
        joined.append(text).push_back('\n');
    const uint64_t hash = XXH3_64bits(joined.data(), joined.size());
    const std::filesystem::path cacheDir = std::filesystem::path(library.folder()) / "cache";
    const std::filesystem::path cacheFile =
        cacheDir / ("vocabulary-" + fileSafe(modelId) + "-" + hex64(hash) + ".npy");

    std::error_code ec;
    if (std::filesystem::is_regular_file(cacheFile, ec)) {
        // A cache that cannot be read or has another shape is only a missed shortcut: embed again.
        try {
            FloatArray cached = readNpy(cacheFile.string());
            if (cached.shape == std::vector<int64_t>{v, d})
                return cached;
        } catch (const Error &) {
        }
    }

    FloatArray vectors({v, d});
    for (size_t from = 0; from < vocabulary.size(); from += vocabularyBatch) {
        const size_t to = std::min(vocabulary.size(), from + vocabularyBatch);
        const std::vector<std::string> batch(vocabulary.begin() + std::ptrdiff_t(from),
                                             vocabulary.begin() + std::ptrdiff_t(to));
        FloatArray rows;
        try {
            rows = embedder.embedTexts(batch);
        } catch (...) {
            rethrowWithContext("embedding the vocabulary");
        }
        if (rows.rank() != 2 || rows.dim(0) != int64_t(batch.size()) || rows.dim(1) != d)
            throw Error("embedding the vocabulary: the embedder returned " + rows.shapeString() + " for " +
                        std::to_string(batch.size()) + " texts of dimension " + std::to_string(d));
        std::copy(rows.data.begin(), rows.data.end(), vectors.row(int64_t(from)));
    }
    normalizeRows(vectors);

    // Saving is an optimisation too: a read-only library folder still answers, it just embeds again.
    // writeNpy's temporary file is named per process, so threads of one process take turns.
    static std::mutex writing;
    try {
        const std::lock_guard<std::mutex> lock(writing);
        std::filesystem::create_directories(cacheDir);
        writeNpy(cacheFile.string(), vectors);
    } catch (const std::exception &) {
    }
    return vectors;
}

std::vector<TextHit> nearestTexts(const std::vector<float> &query, const FloatArray &vectors,
                                  const std::vector<std::string> &texts, int k)
{
    if (vectors.rank() != 2 || vectors.dim(0) != int64_t(texts.size()))
        throw Error("nearest texts: " + std::to_string(texts.size()) + " texts but vectors of shape " +
                    vectors.shapeString());
    if (vectors.dim(1) != int64_t(query.size()))
        throw Error("nearest texts: a query of dimension " + std::to_string(query.size()) +
                    " against vectors of shape " + vectors.shapeString());
    const size_t n = texts.size();
    const size_t count = std::min(n, size_t(std::max(k, 0)));
    std::vector<float> scores(n);
    for (size_t i = 0; i < n; ++i)
        scores[i] = query::dot(query.data(), vectors.row(int64_t(i)), int64_t(query.size()));
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    // Best first; equal scores keep the vocabulary's order, so the answer is deterministic.
    std::partial_sort(
        order.begin(), order.begin() + std::ptrdiff_t(count), order.end(),
        [&](size_t a, size_t b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); });
    std::vector<TextHit> hits;
    hits.reserve(count);
    for (size_t i = 0; i < count; ++i)
        hits.push_back({texts[order[i]], scores[order[i]]});
    return hits;
}

} // namespace lodestone
