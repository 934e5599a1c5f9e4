#pragma once

#include "lodestone/library.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>

namespace lodestone {
class ClipModel;
}

namespace lodestone::ui {

// Runs Library::index on its own thread (the object is moved to a QThread) with its own catalog
// connection. Reports progress by queued signals, at most ~20 per second; cancel() stops it between
// batches, and everything committed so far stays.
class IndexWorker : public QObject {
    Q_OBJECT
public:
    struct Job {
        std::string libraryFolder;
        std::shared_ptr<const ClipModel> model;
        std::string modelPath;
        std::string vocabPath;
        IndexOptions options;
    };

    explicit IndexWorker(Job job);

    void cancel() { m_cancel.store(true); } // any thread
    // Valid after finished(): the run's summary, or an error message when the whole run failed.
    const IndexSummary &summary() const { return m_summary; }
    const QString &error() const { return m_error; }

    void run(); // on the worker thread

Q_SIGNALS:
    void progressed(const QString &phase, qint64 done, qint64 total, double perSecond, double etaSeconds,
                    const QString &currentPath);
    void finished();

private:
    Job m_job;
    std::atomic<bool> m_cancel{false};
    IndexSummary m_summary;
    QString m_error;
};

} // namespace lodestone::ui
