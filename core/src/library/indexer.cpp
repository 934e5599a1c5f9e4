#include "library/indexer.h"

#include "image/exif.h"
#include "io/fileio.h"
#include "library/contenthash.h"
#include "library/library_p.h"
#include "library/scanner.h"
#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/image.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace lodestone::detail {

namespace {

// Larger files are refused without being read: no photo is this big, and each decode thread holds one file.
constexpr uint64_t MaxPhotoBytes = uint64_t(512) << 20;

using Clock = std::chrono::steady_clock;

// A file to read: new, changed, failed before, or without this model's embedding.
struct Candidate {
    const ScannedFile *file = nullptr;
    const PhotoState *row = nullptr; // its catalog row; null when new
};

// What a decode thread learnt about one candidate.
struct Result {
    enum class Kind {
        Embed,   // decoded and preprocessed: `pixels` wait for the encoder
        Failed,  // `photo.error` says why
        Moved,   // a new path with the content of a catalogued file that disappeared: row `movedFrom`
        Touched, // modified time changed, content (hash) did not, embedding present: nothing to redo
    };
    Kind kind = Kind::Failed;
    const Candidate *candidate = nullptr;
    Photo photo;
    FloatArray pixels; // [3, R, R]
    int64_t movedFrom = 0;
};

// Catalogued photos that disappeared, by content hash, for decode threads to claim when a new path turns out
// to hold the same bytes.
class MoveClaims {
public:
    void add(const std::string &hash, int64_t id) { m_byHash[hash].push_back(id); }
    int64_t claim(const std::string &hash)
    {
        std::lock_guard lock(m_mutex);
        auto it = m_byHash.find(hash);
        if (it == m_byHash.end() || it->second.empty())
            return 0;
        const int64_t id = it->second.back();
        it->second.pop_back();
        m_claimed.insert(id);
        return id;
    }
    bool claimed(int64_t id) const
    {
        std::lock_guard lock(m_mutex);
        return m_claimed.count(id) != 0;
    }

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::vector<int64_t>> m_byHash;
    std::unordered_set<int64_t> m_claimed;
};

struct DecodeContext {
    DecodeOptions decode;
    PreprocessConfig preprocess;
    MoveClaims *claims = nullptr;
};

std::string fileName(const std::string &path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The frame size from a JPEG's SOFn segment: with reduced decoding the decoded image is smaller than the
// photo.
bool jpegFrameSize(const std::vector<uint8_t> &b, int &width, int &height)
{
    if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return false;
    size_t pos = 2;
    while (pos + 4 <= b.size()) {
        if (b[pos] != 0xFF) {
            ++pos;
            continue;
        }
        const uint8_t marker = b[pos + 1];
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            pos += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return false;
        const size_t length = (size_t(b[pos + 2]) << 8) | b[pos + 3];
        if (length < 2)
            return false;
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            if (pos + 9 > b.size())
                return false;
            height = (int(b[pos + 5]) << 8) | b[pos + 6];
            width = (int(b[pos + 7]) << 8) | b[pos + 8];
            return width > 0 && height > 0;
        }
        pos += 2 + length;
    }
    return false;
}

// EXIF "YYYY:MM:DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SS"; empty when malformed or all zeros (unknown).
std::string isoDate(const std::string &exif)
{
    if (exif.size() < 19)
        return {};
    static const char pattern[] = "dddd:dd:dd dd:dd:dd";
    for (size_t i = 0; i < 19; ++i) {
        const bool digit = exif[i] >= '0' && exif[i] <= '9';
        if (pattern[i] == 'd' ? !digit : exif[i] != pattern[i])
            return {};
    }
    if (exif.compare(0, 10, "0000:00:00") == 0)
        return {};
    std::string out = exif.substr(0, 19);
    out[4] = '-';
    out[7] = '-';
    out[10] = 'T';
    return out;
}

Result processCandidate(const Candidate &candidate, const DecodeContext &context)
{
    Result result;
    result.candidate = &candidate;
    Photo &photo = result.photo;
    photo.path = candidate.file->path;
    photo.sizeBytes = candidate.file->sizeBytes;
    photo.modifiedNs = candidate.file->modifiedNs;
    const PhotoState *row = candidate.row;
    try {
        if (uint64_t(photo.sizeBytes) > MaxPhotoBytes)
            throw Error("file of " + std::to_string(photo.sizeBytes) + " bytes is over the limit of " +
                        std::to_string(MaxPhotoBytes) + " bytes for a photo");
        const std::vector<uint8_t> bytes = readFileBytes(photo.path, MaxPhotoBytes);
        photo.contentHash = contentHash(bytes.data(), bytes.size());
        if (row && row->status == PhotoStatus::Ok && row->embedded && row->contentHash == photo.contentHash) {
            result.kind = Result::Kind::Touched;
            return result;
        }
        if (!row) {
            if (const int64_t id = context.claims->claim(photo.contentHash)) {
                result.kind = Result::Kind::Moved;
                result.movedFrom = id;
                return result;
            }
        }
        const Image8 image =
            decodeImageBytes(bytes.data(), bytes.size(), fileName(photo.path), context.decode);
        const ExifInfo exif = readExif(bytes.data(), bytes.size());
        photo.width = image.width;
        photo.height = image.height;
        int width = 0;
        int height = 0;
        if (context.decode.reducedDecodeMinSide > 0 && jpegFrameSize(bytes, width, height)) {
            const bool turned = context.decode.applyExifOrientation && exif.orientation >= 5;
            photo.width = turned ? height : width;
            photo.height = turned ? width : height;
        }
        photo.takenAt = isoDate(exif.dateTimeOriginal);
        result.pixels = preprocessImage(image, context.preprocess);
        photo.status = PhotoStatus::Ok;
        result.kind = Result::Kind::Embed;
    } catch (const std::exception &e) {
        result.kind = Result::Kind::Failed;
        photo.status = PhotoStatus::Failed;
        photo.error = e.what();
        photo.width = photo.height = 0;
        photo.takenAt.clear();
    }
    return result;
}

// Decode threads working through the candidates ahead of the encoder. Results wait in a bounded queue, so
// memory stays at a few batches of pixels (plus one file per thread) whatever the photos' sizes.
class DecodePool {
public:
    DecodePool(const std::vector<Candidate> &candidates, const DecodeContext &context, int threads,
               size_t capacity)
        : m_candidates(candidates)
        , m_context(context)
        , m_capacity(std::max<size_t>(1, capacity))
    {
        threads = std::max(1, std::min<int>(threads, int(candidates.size())));
        m_running = threads;
        for (int i = 0; i < threads; ++i)
            m_threads.emplace_back([this] { work(); });
    }
    DecodePool(const DecodePool &) = delete;
    DecodePool &operator=(const DecodePool &) = delete;
    ~DecodePool()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_notFull.notify_all();
        for (std::thread &t : m_threads)
            t.join();
    }

    // The next result in arrival order; nullopt when every candidate is done.
    std::optional<Result> next()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [this] { return !m_queue.empty() || m_running == 0; });
        if (m_queue.empty())
            return std::nullopt;
        Result r = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        m_notFull.notify_one();
        return r;
    }

private:
    void work()
    {
        for (;;) {
            const size_t i = m_next.fetch_add(1);
            if (i >= m_candidates.size())
                break;
            {
                std::lock_guard lock(m_mutex);
                if (m_stop)
                    break;
            }
            Result r = processCandidate(m_candidates[i], m_context);
            std::unique_lock lock(m_mutex);
            m_notFull.wait(lock, [this] { return m_stop || m_queue.size() < m_capacity; });
            if (m_stop)
                break;
            m_queue.push_back(std::move(r));
            lock.unlock();
            m_notEmpty.notify_one();
        }
        std::lock_guard lock(m_mutex);
        if (--m_running == 0)
            m_notEmpty.notify_all();
    }

    const std::vector<Candidate> &m_candidates;
    const DecodeContext &m_context;
    const size_t m_capacity;
    std::atomic<size_t> m_next{0};
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<Result> m_queue;
    int m_running = 0;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

// Progress of one phase: rate and remaining time from the phase's start.
class PhaseProgress {
public:
    PhaseProgress(const IndexProgressCallback &callback, std::string phase, int64_t total)
        : m_callback(callback)
        , m_start(Clock::now())
    {
        m_state.phase = std::move(phase);
        m_state.total = total;
    }
    void report(int64_t done, const std::string &currentPath)
    {
        if (!m_callback)
            return;
        m_state.done = done;
        m_state.currentPath = currentPath;
        const double seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
        m_state.perSecond = seconds > 0 ? double(done) / seconds : 0;
        m_state.etaSeconds = (m_state.total > 0 && m_state.perSecond > 0)
                                 ? double(m_state.total - done) / m_state.perSecond
                                 : (m_state.total > 0 && done >= m_state.total ? 0 : -1);
        m_callback(m_state);
    }

private:
    const IndexProgressCallback &m_callback;
    Clock::time_point m_start;
    IndexProgress m_state;
};

} // namespace

Indexer::Indexer(Catalog &catalog, std::string libraryFolder, const ClipModel &model, ModelRecord record,
                 const IndexOptions &options, const IndexProgressCallback &progress,
                 const std::atomic<bool> *cancel)
    : m_catalog(catalog)
    , m_libraryFolder(std::move(libraryFolder))
    , m_model(model)
    , m_record(std::move(record))
    , m_options(options)
    , m_progress(progress)
    , m_cancel(cancel)
{}

IndexSummary Indexer::run()
{
    const Clock::time_point start = Clock::now();
    IndexSummary summary;
    auto cancelled = [this] { return m_cancel && m_cancel->load(); };
    const int batchSize = std::max(1, m_options.batchSize);
    const int dim = m_model.embedDim();
    m_record.dim = dim;
    const int64_t modelRow = m_catalog.upsertModel(m_record);
    const int64_t startVersion = m_catalog.modelVersion(modelRow);

    // Every change to this model's embeddings goes through the transactions below; anything else moving its
    // version (another process indexing at the same time) means the in-memory account of this run's
    // changes does not describe the ANN index file, which is then checked against the catalog instead.
    int64_t expectedVersion = startVersion;
    bool foreignChanges = false;
    auto checkVersion = [&] {
        if (m_catalog.modelVersion(modelRow) != expectedVersion)
            foreignChanges = true;
    };
    auto noteVersion = [&] { expectedVersion = m_catalog.modelVersion(modelRow); };

    // 1. Scan.
    PhaseProgress scanning(m_progress, "scanning", 0);
    scanning.report(0, {});
    const ScanResult scan = scanFolders(
        m_catalog.folders(), [&](int64_t found, const std::string &path) { scanning.report(found, path); },
        m_cancel);
    for (const IndexFailure &problem : scan.problems)
        summary.errors.push_back(problem);
    summary.failed += int64_t(scan.problems.size());
    if (scan.cancelled) {
        summary.cancelled = true;
        summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return summary;
    }

    // 2. Compare with the catalog.
    const std::vector<PhotoState> rows = m_catalog.photoStates(modelRow);
    std::unordered_map<std::string, size_t> rowByPath;
    rowByPath.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        rowByPath.emplace(rows[i].path, i);
    std::vector<bool> seen(rows.size(), false);
    std::vector<Candidate> candidates;
    std::vector<const ScannedFile *> scanRecords; // unsupported or unreadable by name, written now
    std::vector<std::pair<int64_t, int64_t>> folderChanges;
    for (const ScannedFile &file : scan.files) {
        const PhotoState *row = nullptr;
        if (auto it = rowByPath.find(file.path); it != rowByPath.end()) {
            row = &rows[it->second];
            seen[it->second] = true;
            if (row->folderId != file.folderId)
                folderChanges.emplace_back(row->id, file.folderId);
        }
        const bool sameFile = row && row->sizeBytes == file.sizeBytes && row->modifiedNs == file.modifiedNs;
        switch (file.status) {
        case PhotoStatus::Unsupported:
            ++summary.unsupported;
            if (!sameFile || row->status != PhotoStatus::Unsupported)
                scanRecords.push_back(&file);
            break;
        case PhotoStatus::Failed:
            ++summary.failed;
            summary.errors.push_back({file.path, file.error});
            scanRecords.push_back(&file);
            break;
        case PhotoStatus::Ok:
            // Unchanged costs the stat only. Failed files are tried again (see indexer.h).
            if (sameFile && row->status == PhotoStatus::Ok && row->embedded)
                ++summary.unchanged;
            else
                candidates.push_back({&file, row});
            break;
        }
    }
    // Catalogued files not found: gone, or moved (claimed below by content). Those beneath a directory
    // that could not be read are kept.
    MoveClaims claims;
    std::vector<const PhotoState *> missing;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (seen[i])
            continue;
        const PhotoState &row = rows[i];
        if (std::any_of(scan.unreadable.begin(), scan.unreadable.end(),
                        [&](const std::string &dir) { return pathInside(row.path, dir); }))
            continue;
        missing.push_back(&row);
        // Only a photo embedded with this model is worth claiming: anything else needs decoding anyway.
        if (row.status == PhotoStatus::Ok && row.embedded && !row.contentHash.empty())
            claims.add(row.contentHash, row.id);
    }

    if (!scanRecords.empty() || !folderChanges.empty()) {
        Catalog::Transaction transaction(m_catalog);
        for (const auto &[id, folderId] : folderChanges)
            m_catalog.setPhotoFolder(id, folderId);
        for (const ScannedFile *file : scanRecords) {
            Photo photo;
            photo.path = file->path;
            photo.sizeBytes = file->sizeBytes;
            photo.modifiedNs = file->modifiedNs;
            photo.status = file->status;
            photo.error = file->error;
            if (auto it = rowByPath.find(file->path); it != rowByPath.end()) {
                photo.id = rows[it->second].id;
                photo.contentHash = rows[it->second].contentHash;
                m_catalog.updatePhoto(photo, file->folderId);
            } else {
                m_catalog.insertPhoto(photo, file->folderId);
            }
        }
        transaction.commit();
    }

    // 3. and 4. Decode on worker threads, encode and commit here, one transaction per batch.
    std::vector<int64_t> added;
    std::vector<int64_t> removed;
    PhaseProgress embedding(m_progress, "embedding", int64_t(candidates.size()));
    embedding.report(0, {});
    if (!candidates.empty() && !cancelled()) {
        DecodeContext context;
        context.decode.maxPixels = m_options.maxPixels;
        context.decode.reducedDecodeMinSide =
            m_options.reducedDecode ? m_model.config().preprocess.imageSize : 0;
        context.preprocess = m_model.config().preprocess;
        context.claims = &claims;
        const int threads = m_options.decodeThreads > 0
                                ? m_options.decodeThreads
                                : int(std::max(1u, std::thread::hardware_concurrency()));
        DecodePool pool(candidates, context, threads, size_t(3 * batchSize));
        const int64_t imageSize = context.preprocess.imageSize;
        int64_t done = 0;
        std::vector<Result> pending;
        int pendingEmbeds = 0;

        auto commit = [&] {
            std::vector<Result *> embeds;
            for (Result &r : pending)
                if (r.kind == Result::Kind::Embed)
                    embeds.push_back(&r);
            FloatArray features;
            if (!embeds.empty()) {
                FloatArray pixels({int64_t(embeds.size()), 3, imageSize, imageSize});
                for (size_t i = 0; i < embeds.size(); ++i)
                    std::memcpy(pixels.row(int64_t(i)), embeds[i]->pixels.data.data(),
                                size_t(pixels.rowSize()) * sizeof(float));
                try {
                    features = m_model.encodeImage(pixels, batchSize);
                } catch (...) {
                    rethrowWithContext("encoding a batch of " + std::to_string(embeds.size()) + " photos");
                }
                normalizeRows(features);
            }
            Catalog::Transaction transaction(m_catalog);
            checkVersion();
            int64_t row = 0;
            for (Result &r : pending) {
                const PhotoState *existing = r.candidate->row;
                const int64_t folderId = r.candidate->file->folderId;
                switch (r.kind) {
                case Result::Kind::Embed: {
                    int64_t id = 0;
                    if (existing) {
                        id = r.photo.id = existing->id;
                        // New content: other models' embeddings describe the old one.
                        if (existing->contentHash != r.photo.contentHash)
                            m_catalog.dropOtherEmbeddings(id, modelRow);
                        m_catalog.updatePhoto(r.photo, folderId);
                    } else {
                        id = m_catalog.insertPhoto(r.photo, folderId);
                    }
                    m_catalog.putEmbedding(modelRow, id, features.row(row++), dim);
                    added.push_back(id);
                    ++summary.indexed;
                    break;
                }
                case Result::Kind::Failed:
                    if (existing) {
                        r.photo.id = existing->id;
                        if (r.photo.contentHash.empty()) {
                            // Not read: the content is unknown, so its embeddings stay for now.
                            r.photo.contentHash = existing->contentHash;
                        } else if (r.photo.contentHash != existing->contentHash) {
                            if (existing->embedded)
                                removed.push_back(existing->id);
                            m_catalog.dropOtherEmbeddings(existing->id, /*keepModelRowId=*/0);
                        }
                        m_catalog.updatePhoto(r.photo, folderId);
                    } else {
                        m_catalog.insertPhoto(r.photo, folderId);
                    }
                    ++summary.failed;
                    summary.errors.push_back({r.photo.path, r.photo.error});
                    break;
                case Result::Kind::Moved:
                    m_catalog.movePhoto(r.movedFrom, r.photo.path, folderId, r.photo.sizeBytes,
                                        r.photo.modifiedNs);
                    ++summary.moved;
                    break;
                case Result::Kind::Touched:
                    m_catalog.updateFileStat(existing->id, r.photo.sizeBytes, r.photo.modifiedNs);
                    ++summary.unchanged;
                    break;
                }
            }
            if (!embeds.empty())
                m_catalog.bumpModelVersion(modelRow);
            noteVersion();
            transaction.commit();
            done += int64_t(pending.size());
            const std::string last = pending.back().photo.path;
            pending.clear();
            pendingEmbeds = 0;
            embedding.report(done, last);
        };

        // Failures and moves ride along with the next batch of embeddings; a long run of them is committed
        // on its own so that progress (and a resumed run) still moves.
        while (std::optional<Result> result = pool.next()) {
            pendingEmbeds += result->kind == Result::Kind::Embed ? 1 : 0;
            pending.push_back(std::move(*result));
            if (pendingEmbeds >= batchSize || int(pending.size()) >= 4 * batchSize) {
                commit();
                if (cancelled())
                    break;
            }
        }
        if (!pending.empty() && !cancelled())
            commit();
        if (cancelled())
            summary.cancelled = true;
    } else if (cancelled()) {
        summary.cancelled = true;
    }

    // 5. Drop what is gone (not on a cancelled run: an unclaimed row may still be a move not yet seen).
    if (!summary.cancelled) {
        std::vector<int64_t> gone;
        for (const PhotoState *row : missing) {
            if (claims.claimed(row->id))
                continue;
            gone.push_back(row->id);
            if (row->embedded)
                removed.push_back(row->id);
        }
        if (!gone.empty()) {
            Catalog::Transaction transaction(m_catalog);
            checkVersion();
            m_catalog.deletePhotos(gone);
            noteVersion();
            transaction.commit();
        }
        summary.removed = int64_t(gone.size());
    }

    // 6. The ANN index file, when the model has enough embeddings for search to use one.
    try {
        std::optional<ModelRow> model = m_catalog.model(m_record.id);
        if (!model)
            throw Error("the model's catalog row disappeared");
        if (model->record.embedded < exactSearchThreshold()) {
            removeAnnIndexFiles(m_libraryFolder, m_record.id, -1);
        } else if (!foreignChanges && model->version == expectedVersion) {
            updateAnnIndex(m_catalog, m_libraryFolder, *model, startVersion, added, removed);
        } else {
            openAnnIndex(m_catalog, m_libraryFolder, *model);
        }
    } catch (...) {
        rethrowWithContext("updating the ANN index of model " + m_record.id);
    }

    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary;
}

} // namespace lodestone::detail
