#pragma once

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <deque>
#include <mutex>

namespace lodestone::ui {

// Makes photo thumbnails off the UI thread and keeps them in two caches: pixmaps in memory (LRU, bounded in
// bytes) and JPEG files on disk (keyed by the photo's content hash, bounded in bytes, oldest dropped first).
// Requests are served newest first, and only the most recent few hundred are kept: a view asks again for
// what it paints, so photos scrolled past are never decoded while the visible ones wait (Gwenview's
// approach). UI thread only, except where noted.
class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    // `cacheFolder` holds the disk cache; `edge` is the longest side of a thumbnail in pixels.
    explicit ThumbnailLoader(const QString &cacheFolder, int edge = 256, QObject *parent = nullptr);
    ~ThumbnailLoader() override; // drops pending requests and waits for the running ones

    int edge() const { return m_edge; }
    QString cacheFolder() const { return m_cacheFolder; }

    // The thumbnail when it is in memory; otherwise a null pixmap, and the photo is queued (or moved to the
    // front of the queue). thumbnailReady() or thumbnailFailed() follows. `contentHash` keys the disk cache
    // (may be empty: no disk caching then).
    QPixmap thumbnail(qint64 photoId, const QString &path, const QString &contentHash);
    bool hasFailed(qint64 photoId) const { return m_failed.contains(photoId); }

    void setMemoryBudget(qint64 bytes);   // default 256 MiB
    void setDiskCacheLimit(qint64 bytes); // default 1 GiB; trimmed in the background
    void clearPending();                  // forget queued requests (a new grid content)
    int pendingCount() const;

    // Reads a photo scaled to fit `edge` x `edge`, EXIF orientation applied, decoding JPEGs at reduced size.
    // Any thread. A null image and `error` set when the file cannot be read.
    static QImage readScaled(const QString &path, int edge, QString *error);

Q_SIGNALS:
    void thumbnailReady(qint64 photoId);
    void thumbnailFailed(qint64 photoId, const QString &reason);

private:
    struct Request {
        qint64 photoId = 0;
        QString path;
        QString contentHash;
    };
    void startWorkers();
    void work(); // on a pool thread: takes requests until the queue is empty
    void deliver(qint64 photoId, const QImage &image, const QString &error); // UI thread
    QString diskPath(const QString &contentHash) const;
    void trimDiskCache();

    const QString m_cacheFolder;
    const int m_edge;
    QCache<qint64, QPixmap> m_memory; // cost: bytes
    QSet<qint64> m_failed;
    QSet<qint64> m_inFlight; // queued or being made: not queued twice
    qint64 m_diskLimit = qint64(1) << 30;

    mutable std::mutex m_queueMutex;
    std::deque<Request> m_queue; // front = newest
    int m_running = 0;           // workers started and not finished (guarded by m_queueMutex)
    bool m_stopping = false;
    QThreadPool m_pool;
};

} // namespace lodestone::ui
