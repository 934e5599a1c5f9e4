#include "train/trainworker.h"

#include "lodestone/shapesworld.h"

#include <QElapsedTimer>

#include <exception>

namespace lodestone::ui {

TrainWorker::TrainWorker(Job job)
    : m_job(std::move(job))
{}

void TrainWorker::run()
{
    QList<TrainProgress> pending;
    QElapsedTimer sinceReport;
    sinceReport.start();
    const auto flush = [&] {
        if (pending.isEmpty())
            return;
        Q_EMIT progressed(pending);
        pending.clear();
        sinceReport.restart();
    };
    bool writingWorld = false;
    try {
        if (!m_job.shapesDir.empty()) {
            writingWorld = true;
            ShapesWorldOptions options;
            options.trainCount = m_job.shapesPhotos;
            options.seed = m_job.shapesSeed;
            QElapsedTimer sinceGenerated;
            sinceGenerated.start();
            writeShapesWorld(
                m_job.shapesDir, options,
                [&](int done, int total) {
                    if (done == total || sinceGenerated.elapsed() >= 50) {
                        sinceGenerated.restart();
                        Q_EMIT generating(done, total);
                    }
                },
                &m_cancel);
            writingWorld = false;
        }
        if (m_cancel.load()) {
            TrainResult result;
            result.cancelled = true;
            Q_EMIT finished(result);
            return;
        }
        Q_EMIT trainingStarted();
        Trainer trainer(m_job.config);
        const TrainResult result = trainer.run(
            [&](const TrainProgress &report) {
                pending.append(report);
                if (report.step >= report.totalSteps || sinceReport.elapsed() >= 50)
                    flush();
            },
            &m_cancel);
        flush();
        Q_EMIT finished(result);
    } catch (const std::exception &e) {
        flush();
        if (writingWorld && m_cancel.load()) {
            // Cancelling the shapes world throws; that is a stop, not a failure.
            TrainResult result;
            result.cancelled = true;
            Q_EMIT finished(result);
            return;
        }
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

} // namespace lodestone::ui
