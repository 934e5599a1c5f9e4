#pragma once

#include "library/catalogsnapshot.h"

#include "lodestone/library.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QThread;

namespace lodestone {
class ClipModel;
}

namespace lodestone::ui {

class IndexWorker;

// The model a controller embeds with, as the window shows it.
struct ModelSummary {
    QString path;
    QString id;   // modelIdentity()
    QString name; // e.g. "ViT-B/32"
    QString device;
    int dim = 0;
    qint64 parameterCount = 0;
};

struct ScoredPhoto {
    int64_t photoId = 0;
    float score = 0; // cosine similarity with the query
};

// The results of one search: every photo that has an embedding with the current model, scored.
struct SearchResults {
    QString expression;
    std::vector<ScoredPhoto> scores; // in photo id order
};

struct ClassifyRequest {
    QStringList labels;
    QString templates = QStringLiteral("default"); // "default", "none" or a file of templates
    float threshold = 0;                           // best probability below it: "none of these"
    std::vector<int64_t> photoIds;                 // empty: every embedded photo
};

// The desktop program's one link to the core: owns the library folder and the model, runs indexing on a
// worker thread and queries on a small thread pool, and reports back by signals on the UI thread. No
// method blocks on the model or on a full catalog read. UI thread only.
class LibraryController : public QObject {
    Q_OBJECT
public:
    // Opens (or creates) the library in `libraryFolder`. Throws Error when it is not a Lodestone library.
    explicit LibraryController(const QString &libraryFolder, QObject *parent = nullptr);
    // Cancels indexing and waits for running jobs.
    ~LibraryController() override;

    QString libraryFolder() const { return m_folder; }
    const Library &library() const { return *m_library; } // the UI thread's catalog connection

    // Settings the next model load and indexing run use.
    void setDevice(const QString &device) { m_device = device; }
    void setBatchSize(int batchSize) { m_batchSize = batchSize; }

    // --- model ---
    // Loads a model folder or file in the background; modelLoaded() or modelFailed() follows. The previous
    // model stays in use until the new one is ready. `vocabPath` as LoadOptions::vocabPath.
    void loadModel(const QString &path, const QString &vocabPath = {});
    // Loads the library's most recently used model, if it has one; returns whether it started a load.
    bool loadDefaultModel();
    bool hasModel() const { return m_model != nullptr; }
    bool isLoadingModel() const { return m_loadingModel; }
    const ModelSummary &modelSummary() const { return m_modelSummary; }
    std::shared_ptr<const ClipModel> model() const { return m_model; }

    // --- folders and indexing ---
    // Adds folders or single photos to the library and indexes them in the background (when a model is
    // loaded; otherwise they are indexed as soon as one is). Returns the paths that could not be added,
    // each with its reason; the rest are added.
    QStringList addFolders(const QStringList &paths);
    // Drops a folder's photos from the library (never from disk). Waits for a running index to stop.
    void removeFolder(const QString &path);
    void startIndexing(); // rescans every folder; queued after a running one
    void cancelIndexing();
    bool isIndexing() const { return m_indexThread != nullptr; }

    // --- catalog ---
    // Reads a fresh snapshot off the UI thread; snapshotReady() follows. Requests while one is being read are
    // coalesced into one more read.
    void refreshSnapshot();
    std::shared_ptr<const CatalogSnapshot> snapshot() const { return m_snapshot; }
    // The current model's latest classification; null when there is none.
    std::shared_ptr<const Classification> classification() const { return m_classification; }

    // --- queries (the latest request of each kind wins; older results are dropped) ---
    // Ranks every embedded photo by a query expression (see lodestone::parseQuery): searchFinished() or
    // searchFailed() with the reason (a malformed expression says where).
    void search(const QString &expression);
    // Zero-shot classification, stored as the model's latest: classificationFinished() or classifyFailed().
    void classify(const ClassifyRequest &request);
    // The k photos nearest to a photo (itself excluded). `done`, or `failed` with the reason, runs on the UI
    // thread while `context` lives.
    void findNeighbours(int64_t photoId, int k, QObject *context,
                        std::function<void(std::vector<SearchHit>)> done,
                        std::function<void(const QString &)> failed = {});

    // Waits until every background job has finished (tests and shutdown).
    void waitForIdle();

Q_SIGNALS:
    void modelLoading(const QString &path);
    void modelLoaded();
    void modelFailed(const QString &message);
    void indexingStarted();
    void indexProgressed(const QString &phase, qint64 done, qint64 total, double perSecond, double etaSeconds,
                         const QString &currentPath);
    void indexFinished(const lodestone::IndexSummary &summary);
    void indexFailed(const QString &message);
    void snapshotReady();
    void searchFinished(std::shared_ptr<const lodestone::ui::SearchResults> results);
    void searchFailed(const QString &expression, const QString &message);
    void classificationFinished();
    void classifyFailed(const QString &message);
    // A problem that is not tied to one request (a folder that cannot be added, a failed catalog read).
    void errorOccurred(const QString &message);

private:
    struct EmbeddingTable;
    std::shared_ptr<const EmbeddingTable> embeddingTable(const std::string &modelId) const;
    void invalidateEmbeddings();
    void onIndexFinished();
    template <typename Result>
    void runInPool(std::function<Result()> work, std::function<void(Result)> done,
                   std::function<void(const QString &)> failed);

    QString m_folder;
    std::unique_ptr<Library> m_library;
    QString m_device = QStringLiteral("auto");
    int m_batchSize = 32;

    std::shared_ptr<const ClipModel> m_model;
    ModelSummary m_modelSummary;
    QString m_modelVocabPath;
    bool m_loadingModel = false;

    QThread *m_indexThread = nullptr;
    IndexWorker *m_indexWorker = nullptr;
    bool m_indexAgain = false;
    QTimer m_refreshDuringIndex;
    qint64 m_lastProgressDone = -1;

    std::shared_ptr<const CatalogSnapshot> m_snapshot;
    bool m_readingSnapshot = false;
    bool m_snapshotAgain = false;
    std::shared_ptr<const Classification> m_classification;
    quint64 m_classificationVersion = 0; // counts classifications stored by this controller

    quint64 m_searchSerial = 0;
    quint64 m_classifySerial = 0;

    // Embeddings of the current model for scoring, loaded on first search and dropped when indexing changes
    // them; shared with pool threads.
    mutable std::mutex m_embeddingsMutex;
    mutable std::shared_ptr<const EmbeddingTable> m_embeddings;

    QThreadPool m_pool; // queries and catalog reads
};

} // namespace lodestone::ui
