#include "lodestone/library.h"

#include "library/indexer.h"
#include "library/library_p.h"
#include "library/scanner.h"
#include "lodestone/clipmodel.h"
#include "lodestone/error.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace lodestone {

namespace detail {

namespace {

std::atomic<int64_t> g_exactSearchThreshold{Library::exactSearchLimit()};

constexpr const char *IndexSuffix = ".hnsw";

// Everything from one read snapshot: a version and the embeddings it stands for.
AnnState buildFromCatalog(Catalog &catalog, const ModelRow &model)
{
    std::vector<int64_t> ids;
    FloatArray vectors;
    int64_t version = 0;
    {
        Catalog::Transaction snapshot(catalog, /*write=*/false);
        version = catalog.modelVersion(model.rowId);
        vectors = catalog.embeddings(model.rowId, model.record.dim, &ids);
        snapshot.commit();
    }
    AnnState state{AnnIndex(model.record.dim), version, true};
    if (!ids.empty())
        state.index.add(ids, vectors);
    return state;
}

void save(const AnnState &state, const std::string &libraryFolder, const std::string &modelId)
{
    const std::string path = annIndexPath(libraryFolder, modelId, state.version);
    try {
        fs::create_directories(fs::path(path).parent_path());
    } catch (...) {
        rethrowWithContext("saving the ANN index '" + path + "'");
    }
    state.index.save(path);
    removeAnnIndexFiles(libraryFolder, modelId, state.version);
}

} // namespace

int64_t exactSearchThreshold()
{
    return g_exactSearchThreshold.load();
}

void setExactSearchThreshold(int64_t limit)
{
    g_exactSearchThreshold.store(limit);
}

std::string normalizeFolderPath(const std::string &path)
{
    if (path.empty())
        throw Error("empty folder path");
    std::string normal = fs::absolute(fs::path(path)).lexically_normal().string();
    while (normal.size() > 1 && normal.back() == '/')
        normal.pop_back();
    return normal;
}

std::string annIndexPath(const std::string &libraryFolder, const std::string &modelId, int64_t version)
{
    return libraryFolder + "/index/" + modelId + "-" + std::to_string(version) + IndexSuffix;
}

void removeAnnIndexFiles(const std::string &libraryFolder, const std::string &modelId, int64_t keepVersion)
{
    const fs::path dir = fs::path(libraryFolder) / "index";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return;
    const std::string prefix = modelId + "-";
    const std::string keep =
        keepVersion >= 0 ? prefix + std::to_string(keepVersion) + IndexSuffix : std::string();
    std::vector<fs::path> stale;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        // Older versions, and temporary files of interrupted saves.
        if (name.starts_with(prefix) && name != keep && name.find(IndexSuffix) != std::string::npos)
            stale.push_back(entry.path());
    }
    for (const fs::path &path : stale)
        fs::remove(path, ec); // best effort: a leftover file is never taken for current
}

AnnState openAnnIndex(Catalog &catalog, const std::string &libraryFolder, const ModelRow &model)
{
    int64_t version = 0;
    std::vector<int64_t> ids;
    {
        Catalog::Transaction snapshot(catalog, /*write=*/false);
        version = catalog.modelVersion(model.rowId);
        ids = catalog.embeddedIds(model.rowId);
        snapshot.commit();
    }
    try {
        AnnIndex index =
            AnnIndex::load(annIndexPath(libraryFolder, model.record.id, version), model.record.dim);
        if (index.ids() == ids)
            return {std::move(index), version, false};
    } catch (const std::exception &) {
        // Missing or damaged: rebuilt below.
    }
    AnnState state = buildFromCatalog(catalog, model);
    save(state, libraryFolder, model.record.id);
    return state;
}

void updateAnnIndex(Catalog &catalog, const std::string &libraryFolder, const ModelRow &model,
                    int64_t fromVersion, const std::vector<int64_t> &added,
                    const std::vector<int64_t> &removed)
{
    const std::string id = model.record.id;
    const int dim = model.record.dim;
    int64_t version = 0;
    std::vector<int64_t> ids;
    std::vector<int64_t> addIds;
    FloatArray addVectors;
    {
        Catalog::Transaction snapshot(catalog, /*write=*/false);
        version = catalog.modelVersion(model.rowId);
        ids = catalog.embeddedIds(model.rowId);
        if (version == fromVersion && fs::exists(annIndexPath(libraryFolder, id, version))) {
            snapshot.commit();
            return; // nothing changed; search checks the file when it loads it
        }
        std::vector<std::vector<float>> rows;
        for (int64_t photo : std::set<int64_t>(added.begin(), added.end())) {
            if (std::optional<std::vector<float>> v = catalog.embedding(model.rowId, photo)) {
                addIds.push_back(photo);
                rows.push_back(std::move(*v));
            }
        }
        addVectors = FloatArray({int64_t(rows.size()), int64_t(dim)});
        for (size_t i = 0; i < rows.size(); ++i) {
            if (int64_t(rows[i].size()) != dim)
                throw Error("embedding of photo " + std::to_string(addIds[i]) + " has " +
                            std::to_string(rows[i].size()) + " values, expected " + std::to_string(dim));
            std::copy(rows[i].begin(), rows[i].end(), addVectors.row(int64_t(i)));
        }
        snapshot.commit();
    }
    try {
        AnnIndex index = AnnIndex::load(annIndexPath(libraryFolder, id, fromVersion), dim);
        index.remove(removed);
        if (!addIds.empty())
            index.add(addIds, addVectors);
        if (index.ids() == ids) {
            save(AnnState{std::move(index), version, false}, libraryFolder, id);
            return;
        }
    } catch (const std::exception &) {
        // No file of the run's starting version (a first run, or below the threshold until now): rebuilt.
    }
    save(buildFromCatalog(catalog, model), libraryFolder, id);
}

} // namespace detail

Library::Library(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

Library::Library(Library &&) noexcept = default;
Library &Library::operator=(Library &&) noexcept = default;
Library::~Library() = default;

Library Library::open(const std::string &folder)
{
    std::string absolute;
    try {
        absolute = detail::normalizeFolderPath(folder);
        fs::create_directories(absolute);
    } catch (...) {
        rethrowWithContext("opening library '" + folder + "'");
    }
    auto impl = std::unique_ptr<Impl>(new Impl{absolute, detail::Catalog(absolute + "/catalog.db"), {}, {}});
    return Library(std::move(impl));
}

const std::string &Library::folder() const
{
    return m_impl->folder;
}

void Library::addFolder(const std::string &path)
{
    try {
        const std::string normal = detail::normalizeFolderPath(path);
        std::error_code ec;
        if (!fs::exists(normal, ec))
            throw Error("no such file or directory");
        if (!fs::is_directory(normal, ec) &&
            !(fs::is_regular_file(normal, ec) && detail::isPhotoFile(normal)))
            throw Error("not a directory or a photo of a format Lodestone reads");
        m_impl->catalog.addFolder(normal);
    } catch (...) {
        rethrowWithContext("adding folder '" + path + "' to library '" + m_impl->folder + "'");
    }
}

void Library::removeFolder(const std::string &path)
{
    try {
        m_impl->catalog.removeFolder(detail::normalizeFolderPath(path));
    } catch (...) {
        rethrowWithContext("removing folder '" + path + "' from library '" + m_impl->folder + "'");
    }
}

std::vector<std::string> Library::folders() const
{
    std::vector<std::string> out;
    for (const detail::FolderRow &f : m_impl->catalog.folders())
        out.push_back(f.path);
    return out;
}

IndexSummary Library::index(const ClipModel &model, const std::string &modelPath,
                            const std::vector<std::string> &folders, const IndexOptions &options,
                            const IndexProgressCallback &progress, const std::atomic<bool> *cancel,
                            const std::string &vocabPath)
{
    for (const std::string &folder : folders)
        addFolder(folder);
    try {
        ModelRecord record;
        record.id = modelIdentity(model);
        record.path = modelPath.empty() ? model.info().path : modelPath;
        record.vocabPath = vocabPath;
        record.name = model.config().name;
        record.dim = model.embedDim();
        detail::Indexer indexer(m_impl->catalog, m_impl->folder, model, record, options, progress, cancel);
        return indexer.run();
    } catch (...) {
        rethrowWithContext("indexing library '" + m_impl->folder + "'");
    }
}

std::vector<ModelRecord> Library::models() const
{
    return m_impl->catalog.models();
}

std::optional<ModelRecord> Library::defaultModel() const
{
    std::vector<ModelRecord> all = models();
    if (all.empty())
        return std::nullopt;
    return all.front();
}

std::vector<Photo> Library::photos() const
{
    return m_impl->catalog.photos();
}

std::optional<Photo> Library::photo(int64_t id) const
{
    return m_impl->catalog.photo(id);
}

std::optional<Photo> Library::photoByPath(const std::string &path) const
{
    return m_impl->catalog.photoByPath(path);
}

FloatArray Library::embeddings(const std::string &modelId, std::vector<int64_t> *photoIds) const
{
    const std::optional<detail::ModelRow> model = m_impl->catalog.model(modelId);
    if (!model) {
        if (photoIds)
            photoIds->clear();
        return FloatArray({0, 0});
    }
    return m_impl->catalog.embeddings(model->rowId, model->record.dim, photoIds);
}

std::optional<std::vector<float>> Library::embedding(const std::string &modelId, int64_t photoId) const
{
    const std::optional<detail::ModelRow> model = m_impl->catalog.model(modelId);
    if (!model)
        return std::nullopt;
    return m_impl->catalog.embedding(model->rowId, photoId);
}

std::vector<SearchHit> Library::search(const std::string &modelId, const std::vector<float> &query, int k,
                                       bool exact) const
{
    try {
        detail::Catalog &catalog = m_impl->catalog;
        const std::optional<detail::ModelRow> model = catalog.model(modelId);
        if (!model)
            throw Error("no embeddings of model " + modelId + " (index the library with it first)");
        if (int64_t(query.size()) != model->record.dim)
            throw Error("query has " + std::to_string(query.size()) + " dimensions, the model's embeddings " +
                        std::to_string(model->record.dim));
        if (k <= 0 || model->record.embedded == 0)
            return {};

        std::vector<detail::NeighbourHit> hits;
        const bool small = model->record.embedded < detail::exactSearchThreshold();
        if (exact || small) {
            Impl::ExactCache fresh;
            Impl::ExactCache &cache = small ? m_impl->exact[modelId] : fresh; // large ones are not kept
            if (cache.version != model->version) {
                detail::Catalog::Transaction snapshot(catalog, /*write=*/false);
                cache.version = catalog.modelVersion(model->rowId);
                cache.vectors = catalog.embeddings(model->rowId, model->record.dim, &cache.ids);
                snapshot.commit();
            }
            hits = detail::exactSearch(cache.vectors, cache.ids, query.data(), k);
        } else {
            Impl::AnnCache &cache = m_impl->ann[modelId];
            if (!cache.index || cache.version != model->version) {
                cache.index.reset();
                detail::AnnState state = detail::openAnnIndex(catalog, m_impl->folder, *model);
                cache.version = state.version;
                cache.index.emplace(std::move(state.index));
                cache.index->setEfSearch(detail::efSearchForSize(cache.index->size()));
            }
            hits = cache.index->search(query.data(), k);
        }

        std::vector<SearchHit> out;
        out.reserve(hits.size());
        for (const detail::NeighbourHit &hit : hits) {
            // A photo deleted since the vectors were read is left out.
            if (std::optional<Photo> photo = catalog.photo(hit.id))
                out.push_back({hit.id, photo->path, hit.score});
        }
        return out;
    } catch (...) {
        rethrowWithContext("searching library '" + m_impl->folder + "'");
    }
}

void Library::storeClassification(const std::string &modelId, const Classification &classification)
{
    try {
        const std::optional<detail::ModelRow> model = m_impl->catalog.model(modelId);
        if (!model)
            throw Error("no model " + modelId + " in the library");
        m_impl->catalog.storeClassification(model->rowId, classification);
    } catch (...) {
        rethrowWithContext("storing a classification in library '" + m_impl->folder + "'");
    }
}

std::optional<Classification> Library::classification(const std::string &modelId) const
{
    const std::optional<detail::ModelRow> model = m_impl->catalog.model(modelId);
    if (!model)
        return std::nullopt;
    return m_impl->catalog.classification(model->rowId);
}

} // namespace lodestone
