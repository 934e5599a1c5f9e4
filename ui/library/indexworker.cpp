#include "library/indexworker.h"

#include "lodestone/clipmodel.h"

#include <QElapsedTimer>

#include <exception>

namespace lodestone::ui {

IndexWorker::IndexWorker(Job job)
    : m_job(std::move(job))
{}

void IndexWorker::run()
{
    QElapsedTimer sinceReport;
    sinceReport.start();
    std::string lastPhase;
    const auto report = [&](const IndexProgress &p) {
        const bool last = p.total > 0 && p.done == p.total;
        if (p.phase == lastPhase && !last && sinceReport.elapsed() < 50)
            return;
        lastPhase = p.phase;
        sinceReport.restart();
        Q_EMIT progressed(QString::fromStdString(p.phase), p.done, p.total, p.perSecond, p.etaSeconds,
                          QString::fromStdString(p.currentPath));
    };
    try {
        Library library = Library::open(m_job.libraryFolder);
        m_summary = library.index(*m_job.model, m_job.modelPath, {}, m_job.options, report, &m_cancel,
                                  m_job.vocabPath);
    } catch (const std::exception &e) {
        m_error = QString::fromStdString(e.what());
    }
    Q_EMIT finished();
}

} // namespace lodestone::ui
