#include "thumbnails/thumbnailloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>
#include <QPointer>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <vector>

namespace lodestone::ui {

namespace {

constexpr size_t MaxQueued = 400; // about two screens of the smallest thumbnails

} // namespace

ThumbnailLoader::ThumbnailLoader(const QString &cacheFolder, int edge, QObject *parent)
    : QObject(parent)
    , m_cacheFolder(cacheFolder)
    , m_edge(edge)
{
    m_memory.setMaxCost(256 << 20);
    // Leave a core for the UI thread and the indexer.
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
    QDir().mkpath(m_cacheFolder);
    trimDiskCache();
}

ThumbnailLoader::~ThumbnailLoader()
{
    {
        std::lock_guard lock(m_queueMutex);
        m_queue.clear();
        m_stopping = true;
    }
    m_pool.waitForDone();
}

void ThumbnailLoader::setMemoryBudget(qint64 bytes)
{
    m_memory.setMaxCost(std::max<qint64>(bytes, 16 << 20));
}

void ThumbnailLoader::setDiskCacheLimit(qint64 bytes)
{
    m_diskLimit = std::max<qint64>(bytes, 0);
    trimDiskCache();
}

QPixmap ThumbnailLoader::thumbnail(qint64 photoId, const QString &path, const QString &contentHash)
{
    if (const QPixmap *cached = m_memory.object(photoId))
        return *cached;
    if (m_failed.contains(photoId))
        return {};
    {
        std::lock_guard lock(m_queueMutex);
        const auto queued = std::find_if(m_queue.begin(), m_queue.end(),
                                         [photoId](const Request &r) { return r.photoId == photoId; });
        if (queued != m_queue.end()) {
            // Painted again: it is visible now, so it goes first.
            Request request = std::move(*queued);
            m_queue.erase(queued);
            m_queue.push_front(std::move(request));
        } else if (!m_inFlight.contains(photoId)) {
            m_queue.push_front({photoId, path, contentHash});
            m_inFlight.insert(photoId);
            while (m_queue.size() > MaxQueued) {
                m_inFlight.remove(m_queue.back().photoId);
                m_queue.pop_back();
            }
        }
    }
    startWorkers();
    return {};
}

void ThumbnailLoader::clearPending()
{
    std::lock_guard lock(m_queueMutex);
    for (const Request &r : m_queue)
        m_inFlight.remove(r.photoId);
    m_queue.clear();
}

int ThumbnailLoader::pendingCount() const
{
    std::lock_guard lock(m_queueMutex);
    return int(m_queue.size()) + m_running;
}

void ThumbnailLoader::startWorkers()
{
    std::lock_guard lock(m_queueMutex);
    while (!m_stopping && m_running < m_pool.maxThreadCount() && m_running < int(m_queue.size())) {
        ++m_running;
        (void)QtConcurrent::run(&m_pool, [this] { work(); });
    }
}

QString ThumbnailLoader::diskPath(const QString &contentHash) const
{
    return QStringLiteral("%1/%2/%3-%4.jpg").arg(m_cacheFolder, contentHash.left(2), contentHash).arg(m_edge);
}

QImage ThumbnailLoader::readScaled(const QString &path, int edge, QString *error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true); // EXIF orientation
    QSize size = reader.size();
    if (size.isValid()) {
        if (reader.transformation() & QImageIOHandler::TransformationRotate90)
            size.transpose();
        // Scaling in the reader lets libjpeg decode at 1/2, 1/4 or 1/8 size: far faster on camera photos.
        if (size.width() > edge || size.height() > edge) {
            QSize scaled = size.scaled(edge, edge, Qt::KeepAspectRatio);
            if (reader.transformation() & QImageIOHandler::TransformationRotate90)
                scaled.transpose();
            reader.setScaledSize(scaled.expandedTo(QSize(1, 1)));
        }
    }
    QImage image = reader.read();
    if (image.isNull()) {
        if (error)
            *error = reader.errorString();
        return {};
    }
    if (image.width() > edge || image.height() > edge)
        image = image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image.convertToFormat(image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied
                                                         : QImage::Format_RGB32);
}

void ThumbnailLoader::work()
{
    for (;;) {
        Request request;
        {
            std::lock_guard lock(m_queueMutex);
            if (m_queue.empty() || m_stopping) {
                --m_running;
                return;
            }
            request = std::move(m_queue.front());
            m_queue.pop_front();
        }
        QImage image;
        QString error;
        const QString cached = request.contentHash.isEmpty() ? QString() : diskPath(request.contentHash);
        if (!cached.isEmpty() && QFileInfo::exists(cached))
            image.load(cached);
        if (image.isNull()) {
            image = readScaled(request.path, m_edge, &error);
            if (!image.isNull() && !cached.isEmpty()) {
                QDir().mkpath(QFileInfo(cached).path());
                QSaveFile file(cached);
                if (file.open(QIODevice::WriteOnly) &&
                    image.save(&file, image.hasAlphaChannel() ? "PNG" : "JPG", 88))
                    file.commit(); // a cache that cannot be written is skipped, not an error
            }
        }
        QMetaObject::invokeMethod(
            this, [this, id = request.photoId, image, error] { deliver(id, image, error); },
            Qt::QueuedConnection);
    }
}

void ThumbnailLoader::deliver(qint64 photoId, const QImage &image, const QString &error)
{
    m_inFlight.remove(photoId);
    if (image.isNull()) {
        m_failed.insert(photoId);
        Q_EMIT thumbnailFailed(photoId, error);
        return;
    }
    auto *pixmap = new QPixmap(QPixmap::fromImage(image));
    m_memory.insert(photoId, pixmap, std::max<qint64>(1, qint64(pixmap->width()) * pixmap->height() * 4));
    Q_EMIT thumbnailReady(photoId);
}

void ThumbnailLoader::trimDiskCache()
{
    // In the background: listing a large cache takes a while. Oldest files go first until under the limit.
    const QString folder = m_cacheFolder;
    const qint64 limit = m_diskLimit;
    (void)QtConcurrent::run(&m_pool, [folder, limit] {
        struct Entry {
            QString path;
            qint64 size;
            QDateTime modified;
        };
        std::vector<Entry> entries;
        qint64 total = 0;
        QDirIterator it(folder, {QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo info = it.nextFileInfo();
            entries.push_back({info.filePath(), info.size(), info.lastModified()});
            total += info.size();
        }
        if (total <= limit)
            return;
        std::sort(entries.begin(), entries.end(),
                  [](const Entry &a, const Entry &b) { return a.modified < b.modified; });
        for (const Entry &e : entries) {
            if (total <= limit)
                break;
            if (QFile::remove(e.path))
                total -= e.size;
        }
    });
}

} // namespace lodestone::ui
