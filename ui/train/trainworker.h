#pragma once

#include "lodestone/trainer.h"

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <string>

namespace lodestone::ui {

// Runs one training run (Trainer::run) on its own thread (the object is moved to a QThread), first writing
// the synthetic shapes world when the job asks for one. Reports by queued signals: every step's progress,
// gathered into batches at most ~20 times a second. cancel() stops between steps (or between generated
// photos), and the trainer leaves a checkpoint to resume from. Exceptions stop here and come back as
// failed(message).
class TrainWorker : public QObject {
    Q_OBJECT
public:
    struct Job {
        TrainConfig config;
        // Non-empty: write a shapes world of `shapesPhotos` training photos here before training.
        std::string shapesDir;
        int shapesPhotos = 0;
        uint64_t shapesSeed = 0;
    };

    explicit TrainWorker(Job job);

    void cancel() { m_cancel.store(true); } // any thread
    bool isCancelled() const { return m_cancel.load(); }

    void run(); // on the worker thread; emits exactly one of finished() and failed() at the end

Q_SIGNALS:
    void generating(int done, int total); // writing the shapes world
    void trainingStarted();               // the trainer starts: reads the data, builds the model
    void progressed(const QList<lodestone::TrainProgress> &reports);
    void finished(const lodestone::TrainResult &result); // result.cancelled: stopped by cancel()
    void failed(const QString &message);

private:
    Job m_job;
    std::atomic<bool> m_cancel{false};
};

} // namespace lodestone::ui
