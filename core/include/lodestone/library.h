#pragma once

#include "lodestone/floatarray.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lodestone {

class ClipModel;

// A model's identity: a hex hash of its weights (every parameter and buffer, in name order) and its
// preprocessing recipe. Two models with the same identity embed every photo identically; a library keeps
// embeddings per identity, so switching models never mixes spaces. Reads all weights once (about a second
// for ViT-B/32 on a CPU).
std::string modelIdentity(const ClipModel &model);

enum class PhotoStatus {
    Ok,         // decoded and embedded (with at least one model)
    Failed,     // looked like a photo but could not be read or decoded: `error` says why
    Unsupported // not a format Lodestone reads (by extension), listed so people see what was skipped
};

// One file the scanner found, as the catalog records it.
struct Photo {
    int64_t id = 0;
    std::string path; // absolute, lexically normal; non-UTF-8 bytes replaced by U+FFFD (and then Failed)
    int64_t sizeBytes = 0;
    int64_t modifiedNs = 0;  // modification time, nanoseconds since the Unix epoch
    std::string contentHash; // hex XXH3-128 of the file's bytes; empty when they could not be read
    int width = 0;           // pixels after EXIF orientation; 0 when unknown
    int height = 0;
    std::string takenAt; // EXIF DateTimeOriginal as "YYYY-MM-DDTHH:MM:SS"; empty when absent
    PhotoStatus status = PhotoStatus::Ok;
    std::string error; // why it failed or is unsupported; empty when Ok
};

struct IndexOptions {
    int decodeThreads = 0; // worker threads reading, hashing, decoding and preprocessing; 0 = one per core
    int batchSize = 32;    // photos per encoder batch, and per catalog transaction
    // Decode JPEGs far larger than the model input at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling), the
    // shorter side staying at least the model's input size. Several times faster on camera-size photos.
    bool reducedDecode = true;
    int64_t maxPixels = int64_t(1) << 28; // larger images (by their header) are recorded as Failed
};

struct IndexProgress {
    std::string phase;       // "scanning", then "embedding"
    int64_t done = 0;        // files finished in this phase
    int64_t total = 0;       // files in this phase; 0 while unknown (scanning)
    double perSecond = 0;    // files per second in this phase so far
    double etaSeconds = -1;  // -1 while unknown
    std::string currentPath; // the latest file finished
};

struct IndexFailure {
    std::string path;
    std::string error;
};

struct IndexSummary {
    int64_t indexed = 0;     // embedded by this run: new, changed, or not yet embedded with this model
    int64_t unchanged = 0;   // already in the catalog with this model's embedding: not read again
    int64_t moved = 0;       // found at a new path with known content: path updated, not re-embedded
    int64_t removed = 0;     // gone from disk: dropped from the catalog and the index
    int64_t failed = 0;      // recorded with a reason (see errors)
    int64_t unsupported = 0; // files of formats Lodestone does not read
    std::vector<IndexFailure> errors; // one per failed file of this run
    bool cancelled = false;           // stopped by the cancel flag; everything committed so far stays
    double seconds = 0;
};

using IndexProgressCallback = std::function<void(const IndexProgress &)>;

// A model a library has embedded photos with.
struct ModelRecord {
    std::string id;        // modelIdentity()
    std::string path;      // as given when indexing, so that search can load it again
    std::string vocabPath; // LoadOptions::vocabPath used with it, often empty
    std::string name;      // the config's name, e.g. "ViT-B/32"
    int dim = 0;
    int64_t embedded = 0; // photos with an embedding of this model
    int64_t lastUsedNs = 0;
};

struct SearchHit {
    int64_t photoId = 0;
    std::string path;
    float score = 0; // cosine similarity (inner product of normalised vectors)
};

// The latest zero-shot classification of a library's photos with one model.
struct PhotoLabel {
    int64_t photoId = 0;
    int labelIndex =
        -1; // into Classification::labels; -1 = "none of these" (best probability below threshold)
    float probability = 0;            // of the best label
    std::vector<float> probabilities; // softmax over all labels, in label order
};

struct Classification {
    std::vector<std::string> labels;
    std::vector<std::string> templates; // empty: labels used as typed
    float threshold = 0;
    std::vector<PhotoLabel> photos; // in photo id order
};

// A photo library: a folder holding a SQLite catalog (WAL) and ANN index files, and the photo folders it
// watches. The catalog is the truth; an index file that disagrees with it is rebuilt from it.
//
// One Library object per thread (it owns a SQLite connection); several may be open on the same folder at
// once, e.g. a UI thread reading while a worker indexes.
class Library {
public:
    // Opens the library in `folder`, creating the folder and its catalog when absent. Throws Error when the
    // folder holds something that is not a Lodestone catalog, or one of a newer schema.
    static Library open(const std::string &folder);

    Library(Library &&) noexcept;
    Library &operator=(Library &&) noexcept;
    ~Library();

    const std::string &folder() const;

    // Photo folders, or single photo files (a photo dropped on its own). Paths are made absolute; adding one
    // twice is a no-op; anything else throws Error. Removing a folder drops its photos (and their
    // embeddings) from the catalog; no file on disk is touched.
    void addFolder(const std::string &path);
    void removeFolder(const std::string &path);
    std::vector<std::string> folders() const;

    // Adds `folders` (may be empty), then scans all the library's folders and brings the catalog and the
    // model's embeddings and ANN index up to date: new and changed files are decoded and embedded, unchanged
    // ones cost a stat, moved ones are recognised by content hash, deleted ones leave. Decoding runs on
    // worker threads ahead of the encoder; each batch commits in one transaction, so a run killed at any
    // moment leaves a consistent catalog and the next run resumes. Per-file failures are recorded, never
    // thrown. Throws Error only for what stops the whole run (library unwritable, model failing).
    IndexSummary index(const ClipModel &model, const std::string &modelPath,
                       const std::vector<std::string> &folders, const IndexOptions &options = {},
                       const IndexProgressCallback &progress = {}, const std::atomic<bool> *cancel = nullptr,
                       const std::string &vocabPath = {});

    // Models this library has embeddings of, most recently used first.
    std::vector<ModelRecord> models() const;
    // The most recently used model; nullopt when nothing was ever indexed.
    std::optional<ModelRecord> defaultModel() const;

    std::vector<Photo> photos() const; // all catalogued files, in id order
    std::optional<Photo> photo(int64_t id) const;
    std::optional<Photo> photoByPath(const std::string &path) const;

    // All embeddings of a model, L2-normalised rows [N, D], with the photo ids in the same order (id order).
    FloatArray embeddings(const std::string &modelId, std::vector<int64_t> *photoIds) const;
    // One photo's embedding; nullopt when it has none with this model.
    std::optional<std::vector<float>> embedding(const std::string &modelId, int64_t photoId) const;

    // The k photos nearest to a normalised query vector (by inner product), best first. Exact search when the
    // model has fewer than exactSearchLimit() embeddings or `exact` is set; otherwise the hnswlib index,
    // which is loaded (or rebuilt when it disagrees with the catalog) on first use.
    std::vector<SearchHit> search(const std::string &modelId, const std::vector<float> &query, int k,
                                  bool exact = false) const;
    static constexpr int64_t exactSearchLimit() { return 20000; }

    // Stores a classification as the model's latest (replacing the previous one), in one transaction.
    void storeClassification(const std::string &modelId, const Classification &classification);
    std::optional<Classification> classification(const std::string &modelId) const;

    struct Impl;

private:
    explicit Library(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lodestone
