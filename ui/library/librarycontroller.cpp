#include "library/librarycontroller.h"

#include "library/indexworker.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/query.h"

#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <unordered_map>

namespace lodestone::ui {

// The current model's normalised embeddings [N, D] and their photo ids, for scoring every photo at once.
struct LibraryController::EmbeddingTable {
    std::string modelId;
    FloatArray vectors;
    std::vector<int64_t> photoIds;
};

namespace {

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

LibraryController::LibraryController(const QString &libraryFolder, QObject *parent)
    : QObject(parent)
    , m_folder(libraryFolder)
    , m_library(std::make_unique<Library>(Library::open(libraryFolder.toStdString())))
{
    // Two threads: a search stays responsive while a catalog snapshot or a classification runs.
    m_pool.setMaxThreadCount(2);
    m_refreshDuringIndex.setInterval(1000);
    connect(&m_refreshDuringIndex, &QTimer::timeout, this, [this] {
        if (m_lastProgressDone < 0)
            return;
        m_lastProgressDone = -1;
        invalidateEmbeddings();
        refreshSnapshot();
    });
}

LibraryController::~LibraryController()
{
    m_refreshDuringIndex.stop();
    if (m_indexWorker)
        m_indexWorker->cancel();
    if (m_indexThread) {
        m_indexThread->quit();
        m_indexThread->wait();
        delete m_indexWorker;
    }
    m_pool.waitForDone();
}

template <typename Result>
void LibraryController::runInPool(std::function<Result()> work, std::function<void(Result)> done,
                                  std::function<void(const QString &)> failed)
{
    // Exceptions stop here, at the worker boundary, and come back as a message on the UI thread.
    QPointer<LibraryController> self(this);
    (void)QtConcurrent::run(&m_pool, [self, work = std::move(work), done = std::move(done),
                                      failed = std::move(failed)]() mutable {
        std::optional<Result> result;
        QString error;
        try {
            result.emplace(work());
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [result = std::move(result), error, done = std::move(done),
             failed = std::move(failed)]() mutable {
                if (result)
                    done(std::move(*result));
                else
                    failed(error);
            },
            Qt::QueuedConnection);
    });
}

// --- model ---

void LibraryController::loadModel(const QString &path, const QString &vocabPath)
{
    struct Loaded {
        std::shared_ptr<const ClipModel> model;
        std::string id;
    };
    m_loadingModel = true;
    Q_EMIT modelLoading(path);
    const std::string device = m_device.toStdString();
    runInPool<std::shared_ptr<Loaded>>(
        [path, vocabPath, device] {
            LoadOptions options;
            options.device = device;
            options.vocabPath = vocabPath.toStdString();
            auto loaded = std::make_shared<Loaded>();
            auto model = std::make_shared<ClipModel>(ClipModel::load(path.toStdString(), options));
            if (!model->hasTokenizer())
                throw Error("model '" + path.toStdString() +
                            "' has no tokenizer: text search and labels need one (give its vocabulary)");
            loaded->id = modelIdentity(*model);
            loaded->model = std::move(model);
            return loaded;
        },
        [this, path, vocabPath](std::shared_ptr<Loaded> loaded) {
            m_loadingModel = false;
            m_model = loaded->model;
            m_classification.reset(); // the next snapshot brings this model's; reads in flight are stale
            ++m_classificationVersion;
            m_modelVocabPath = vocabPath;
            const ClipModel &model = *m_model;
            m_modelSummary = ModelSummary{path,
                                          fromStd(loaded->id),
                                          fromStd(model.config().name),
                                          fromStd(model.info().device),
                                          model.embedDim(),
                                          model.info().parameterCount};
            invalidateEmbeddings();
            refreshSnapshot();
            Q_EMIT modelLoaded();
            if (!m_library->folders().empty())
                startIndexing();
        },
        [this, path](const QString &message) {
            m_loadingModel = false;
            Q_EMIT modelFailed(tr("The model %1 could not be loaded: %2").arg(path, message));
        });
}

bool LibraryController::loadDefaultModel()
{
    const std::optional<ModelRecord> record = m_library->defaultModel();
    if (!record || record->path.empty())
        return false;
    loadModel(fromStd(record->path), fromStd(record->vocabPath));
    return true;
}

// --- folders and indexing ---

QStringList LibraryController::addFolders(const QStringList &paths)
{
    QStringList problems;
    int added = 0;
    for (const QString &path : paths) {
        try {
            m_library->addFolder(path.toStdString());
            ++added;
        } catch (const std::exception &e) {
            problems << QString::fromUtf8(e.what());
        }
    }
    if (added > 0) {
        refreshSnapshot();
        // A run in progress would only see the new folders on its next scan: stop it (what it finished
        // stays committed) and start over, which costs a stat per file already known.
        if (m_indexWorker) {
            m_indexWorker->cancel();
            m_indexAgain = true;
        } else {
            startIndexing();
        }
    }
    return problems;
}

void LibraryController::removeFolder(const QString &path)
{
    const auto remove = [this, path] {
        runInPool<bool>(
            [folder = m_folder.toStdString(), path] {
                Library library = Library::open(folder);
                library.removeFolder(path.toStdString());
                return true;
            },
            [this](bool) {
                invalidateEmbeddings();
                refreshSnapshot();
            },
            [this](const QString &message) { Q_EMIT errorOccurred(message); });
    };
    if (!m_indexWorker) {
        remove();
        return;
    }
    // Let the running index stop first, so that it does not write photos of a folder that is gone.
    m_indexWorker->cancel();
    m_indexAgain = true;
    connect(this, &LibraryController::indexFinished, this, remove, Qt::SingleShotConnection);
}

void LibraryController::startIndexing()
{
    if (!m_model)
        return; // folders wait for a model; loading one starts the run
    if (m_indexThread) {
        m_indexAgain = true;
        return;
    }
    IndexWorker::Job job;
    job.libraryFolder = m_folder.toStdString();
    job.model = m_model;
    job.modelPath = m_modelSummary.path.toStdString();
    job.vocabPath = m_modelVocabPath.toStdString();
    job.options.batchSize = std::max(1, m_batchSize);

    m_indexThread = new QThread(this);
    m_indexWorker = new IndexWorker(std::move(job));
    m_indexWorker->moveToThread(m_indexThread);
    connect(m_indexThread, &QThread::started, m_indexWorker, &IndexWorker::run);
    connect(m_indexWorker, &IndexWorker::progressed, this,
            [this](const QString &phase, qint64 done, qint64 total, double perSecond, double eta,
                   const QString &current) {
                if (phase == QLatin1String("embedding"))
                    m_lastProgressDone = done;
                Q_EMIT indexProgressed(phase, done, total, perSecond, eta, current);
            });
    connect(m_indexWorker, &IndexWorker::finished, this, &LibraryController::onIndexFinished);
    m_lastProgressDone = -1;
    m_refreshDuringIndex.start();
    m_indexThread->start();
    Q_EMIT indexingStarted();
}

void LibraryController::cancelIndexing()
{
    m_indexAgain = false;
    if (m_indexWorker)
        m_indexWorker->cancel();
}

void LibraryController::onIndexFinished()
{
    m_refreshDuringIndex.stop();
    m_indexThread->quit();
    m_indexThread->wait();
    const IndexSummary summary = m_indexWorker->summary();
    const QString error = m_indexWorker->error();
    delete m_indexWorker;
    m_indexWorker = nullptr;
    delete m_indexThread;
    m_indexThread = nullptr;

    invalidateEmbeddings();
    refreshSnapshot();
    if (error.isEmpty())
        Q_EMIT indexFinished(summary);
    else
        Q_EMIT indexFailed(error);
    if (m_indexAgain) {
        m_indexAgain = false;
        startIndexing();
    }
}

// --- catalog ---

void LibraryController::refreshSnapshot()
{
    if (m_readingSnapshot) {
        m_snapshotAgain = true;
        return;
    }
    m_readingSnapshot = true;
    runInPool<std::shared_ptr<const CatalogSnapshot>>(
        [folder = m_folder.toStdString(), modelId = m_modelSummary.id.toStdString()] {
            return std::make_shared<const CatalogSnapshot>(readCatalogSnapshot(folder, modelId));
        },
        [this, version = m_classificationVersion](std::shared_ptr<const CatalogSnapshot> snapshot) {
            m_readingSnapshot = false;
            // A classification that finished while this read ran is newer than what the read saw.
            // The snapshot's own copy, shared (aliasing), rather than a copy of 100 000 labels on the UI
            // thread.
            if (version == m_classificationVersion)
                m_classification =
                    snapshot->classification
                        ? std::shared_ptr<const Classification>(snapshot, &*snapshot->classification)
                        : nullptr;
            m_snapshot = std::move(snapshot);
            Q_EMIT snapshotReady();
            if (std::exchange(m_snapshotAgain, false))
                refreshSnapshot();
        },
        [this](const QString &message) {
            m_readingSnapshot = false;
            Q_EMIT errorOccurred(tr("Reading the library failed: %1").arg(message));
        });
}

// --- queries ---

std::shared_ptr<const LibraryController::EmbeddingTable>
LibraryController::embeddingTable(const std::string &modelId) const
{
    std::lock_guard lock(m_embeddingsMutex);
    if (m_embeddings && m_embeddings->modelId == modelId)
        return m_embeddings;
    auto table = std::make_shared<EmbeddingTable>();
    table->modelId = modelId;
    table->vectors = Library::open(m_folder.toStdString()).embeddings(modelId, &table->photoIds);
    m_embeddings = table;
    return table;
}

void LibraryController::invalidateEmbeddings()
{
    std::lock_guard lock(m_embeddingsMutex);
    m_embeddings.reset();
}

void LibraryController::search(const QString &expression)
{
    const quint64 serial = ++m_searchSerial;
    if (!m_model) {
        Q_EMIT searchFailed(expression, tr("No model is loaded yet: open one with File → Open Model."));
        return;
    }
    std::vector<QueryTerm> terms;
    try {
        terms = parseQuery(expression.toStdString()); // cheap: a malformed expression answers at once
    } catch (const std::exception &e) {
        Q_EMIT searchFailed(expression, QString::fromUtf8(e.what()));
        return;
    }
    runInPool<std::shared_ptr<const SearchResults>>(
        [this, terms, expression, model = m_model, modelId = m_modelSummary.id.toStdString(),
         folder = m_folder.toStdString()] {
            const Library library = Library::open(folder);
            const std::vector<float> query = queryVector(terms, ModelEmbedder(*model), &library, modelId);
            const auto table = embeddingTable(modelId);
            auto results = std::make_shared<SearchResults>();
            results->expression = expression;
            const int64_t n = table->photoIds.size();
            results->scores.resize(n);
            for (int64_t i = 0; i < n; ++i) {
                const float *row = table->vectors.row(i);
                float dot = 0;
                for (size_t d = 0; d < query.size(); ++d)
                    dot += row[d] * query[d];
                results->scores[i] = {table->photoIds[i], dot};
            }
            return std::shared_ptr<const SearchResults>(std::move(results));
        },
        [this, serial](std::shared_ptr<const SearchResults> results) {
            if (serial == m_searchSerial)
                Q_EMIT searchFinished(std::move(results));
        },
        [this, serial, expression](const QString &message) {
            if (serial == m_searchSerial)
                Q_EMIT searchFailed(expression, message);
        });
}

void LibraryController::classify(const ClassifyRequest &request)
{
    const quint64 serial = ++m_classifySerial;
    if (!m_model) {
        Q_EMIT classifyFailed(tr("No model is loaded yet: open one with File → Open Model."));
        return;
    }
    std::vector<std::string> labels;
    for (const QString &label : request.labels)
        if (!label.trimmed().isEmpty())
            labels.push_back(label.trimmed().toStdString());
    if (labels.size() < 2) {
        Q_EMIT classifyFailed(tr("Type at least two labels, one per line."));
        return;
    }
    runInPool<std::shared_ptr<const Classification>>(
        [this, request, labels, model = m_model, modelId = m_modelSummary.id.toStdString(),
         folder = m_folder.toStdString()] {
            const auto table = embeddingTable(modelId);
            if (table->photoIds.empty())
                throw Error("no photo has been embedded with this model yet");
            // Rows of the requested photos (all when none are named), in id order.
            const FloatArray *vectors = &table->vectors;
            const std::vector<int64_t> *ids = &table->photoIds;
            FloatArray subset;
            std::vector<int64_t> subsetIds;
            if (!request.photoIds.empty()) {
                std::vector<int64_t> wanted = request.photoIds;
                std::sort(wanted.begin(), wanted.end());
                const int64_t dim = table->vectors.dim(1);
                std::vector<float> data;
                for (size_t i = 0; i < table->photoIds.size(); ++i) {
                    if (!std::binary_search(wanted.begin(), wanted.end(), table->photoIds[i]))
                        continue;
                    subsetIds.push_back(table->photoIds[i]);
                    data.insert(data.end(), table->vectors.row(int64_t(i)),
                                table->vectors.row(int64_t(i)) + dim);
                }
                if (subsetIds.empty())
                    throw Error("none of the selected photos has been embedded with this model yet");
                subset = FloatArray({int64_t(subsetIds.size()), dim}, std::move(data));
                vectors = &subset;
                ids = &subsetIds;
            }
            const ModelEmbedder embedder(*model);
            const std::vector<std::string> templates = loadPromptTemplates(request.templates.toStdString());
            const FloatArray labelRows = labelVectors(labels, templates, embedder);
            Classification result = lodestone::classify(*vectors, *ids, labels, labelRows,
                                                        embedder.logitScale(), request.threshold);
            result.templates = templates;
            Library library = Library::open(folder);
            library.storeClassification(modelId, result);
            return std::make_shared<const Classification>(std::move(result));
        },
        [this, serial](std::shared_ptr<const Classification> result) {
            ++m_classificationVersion;
            m_classification = std::move(result);
            if (serial == m_classifySerial)
                Q_EMIT classificationFinished();
        },
        [this, serial](const QString &message) {
            if (serial == m_classifySerial)
                Q_EMIT classifyFailed(message);
        });
}

void LibraryController::findNeighbours(int64_t photoId, int k, QObject *context,
                                       std::function<void(std::vector<SearchHit>)> done,
                                       std::function<void(const QString &)> failed)
{
    if (!m_model)
        return;
    QPointer<QObject> receiver(context);
    runInPool<std::vector<SearchHit>>(
        [photoId, k, modelId = m_modelSummary.id.toStdString(), folder = m_folder.toStdString()] {
            const Library library = Library::open(folder);
            const std::optional<std::vector<float>> vector = library.embedding(modelId, photoId);
            if (!vector)
                return std::vector<SearchHit>{};
            std::vector<SearchHit> hits = library.search(modelId, *vector, k + 1);
            std::erase_if(hits, [photoId](const SearchHit &h) { return h.photoId == photoId; });
            if (int(hits.size()) > k)
                hits.resize(k);
            return hits;
        },
        [receiver, done](std::vector<SearchHit> hits) {
            if (receiver)
                done(std::move(hits));
        },
        [this, receiver, failed](const QString &message) {
            if (!failed)
                Q_EMIT errorOccurred(message);
            else if (receiver)
                failed(message);
        });
}

void LibraryController::waitForIdle()
{
    if (m_indexThread)
        m_indexThread->wait(); // the caller processes events afterwards to see indexFinished
    m_pool.waitForDone();
}

} // namespace lodestone::ui
