#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QFile;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace lodestone::ui {

// Where and how ModelDownloader fetches a repository.
struct ModelDownloadOptions {
    // Files are fetched from `<baseUrl>/<repository>/resolve/<revision>/<file>`; https or http.
    QUrl baseUrl = QUrl(QStringLiteral("https://huggingface.co"));
    QString revision = QStringLiteral("main");
    // Extra attempts (each resuming with a Range request) after a network error or a short transfer.
    int retries = 2;
    int retryDelayMs = 1000;
    // Expected sha256 per file name (64 hex digits); takes precedence over what the server announces.
    QHash<QString, QByteArray> expectedSha256;
};

// Downloads a Hugging Face CLIP repository (safetensors weights, config, BPE tokenizer) into a folder, the
// layout ClipModel::load accepts. Asynchronous on the thread that owns it (the UI thread): every request is
// made with QNetworkAccessManager and the checksums are computed on the global thread pool.
//
// For each file: a HEAD request first (sizes and sha256 for the overall progress and the disk-space check; a
// missing required file fails before anything is written), then a GET into `<file>.part`, resumed with
// `Range: bytes=N-` when a .part is there (a server answering 200 instead of 206 restarts the file). The
// file is renamed into place only once its size matches and its sha256, when known (the expected map, else
// an `X-Linked-ETag`/`ETag` that is a quoted sha256, as the Hub sends for LFS files), matches; a file that
// fails the hash is deleted. Redirects (the Hub's to its CDN) are followed, never from https to http.
// Cancelling and interrupted transfers keep the .part for the next start().
class ModelDownloader : public QObject {
    Q_OBJECT
public:
    enum class Failure {
        InvalidRequest, // malformed repository name, unusable target folder, already running
        TlsUnavailable, // an https URL but no TLS backend (OpenSSL) could be loaded
        Http,           // an HTTP error status (404 for a required file, 401/403 for gated repositories)
        Network,        // connection refused or lost, TLS handshake, timeout; the .part is kept
        Disk,           // not enough space, or a file could not be written or renamed
        SizeMismatch,   // the transfer ended short of (or beyond) the announced size
        HashMismatch,   // sha256 differs from the expected one; the file was deleted
    };
    Q_ENUM(Failure)

    explicit ModelDownloader(QObject *parent = nullptr);
    // Aborts a running download (the .part stays) and waits for a running checksum.
    ~ModelDownloader() override;

    void setOptions(const ModelDownloadOptions &options) { m_options = options; }
    const ModelDownloadOptions &options() const { return m_options; }

    // The files a Hugging Face CLIP folder needs, and those fetched when the repository has them.
    static QStringList requiredFiles();
    static QStringList optionalFiles();
    // "owner/name" or "name": letters, digits, '-', '_', '.', no "..".
    static bool isValidRepository(const QString &repository);

    // Starts fetching `repository` into `targetFolder` (created when missing). Returns at once; finished(),
    // failed() or canceled() follows. Fails (by signal) when a download is already running.
    void start(const QString &repository, const QString &targetFolder);
    // Stops the running download; the .part of the current file is kept. canceled() follows at once.
    void cancel();
    bool isRunning() const { return m_running; }
    QString targetFolder() const { return m_folder; }

Q_SIGNALS:
    // A line for the user: "Checking files…", "Downloading model.safetensors (2 of 5)", "Verifying …".
    void statusChanged(const QString &message);
    // Bytes of the current file and of all files (a resumed file counts its .part); totals are -1 while
    // unknown. `bytesPerSecond` over the last few seconds. At most about ten a second.
    void progressed(const QString &file, qint64 fileDone, qint64 fileTotal, qint64 overallDone,
                    qint64 overallTotal, double bytesPerSecond);
    void fileFinished(const QString &file);
    // An optional file the repository does not have (HTTP 404), or one already complete in the folder.
    void fileSkipped(const QString &file, const QString &reason);
    void finished(const QString &folder);
    // `file` is empty when the failure is not about one file; `message` names it otherwise.
    void failed(lodestone::ui::ModelDownloader::Failure failure, const QString &file, const QString &message);
    void canceled();

private:
    enum class Phase { Probe, Fetch };
    struct Entry {
        QString name;
        bool required = false;
        bool present = true;   // false: an optional file the server does not have
        qint64 size = -1;      // -1: unknown
        QByteArray sha256;     // lower-case hex; empty: unknown
        bool existing = false; // the final file was already there with this size
    };

    QUrl fileUrl(const Entry &entry) const;
    QString finalPath(const Entry &entry) const;
    QString partPath(const Entry &entry) const;
    void sendRequest(const QUrl &url);
    void probeNext();
    void probeCurrent();
    void fetchNext();
    void startFetch();
    void onMetaDataChanged();
    void onReadyRead();
    void onFinished();
    void onProbeFinished(QNetworkReply *reply, int status);
    void onFetchFinished(QNetworkReply *reply, int status);
    bool openBody(QNetworkReply *reply);
    bool writeBody(const QByteArray &data);
    void verifyAndInstall(bool existingFile);
    void onVerified(const QByteArray &actual, const QString &readError);
    void install();
    void retryOrFail(Failure failure, const QString &message);
    void emitProgress(bool force);
    void fail(Failure failure, const QString &file, const QString &message);
    void stopTransfer();
    qint64 overallTotal() const;
    qint64 overallDone() const;

    ModelDownloadOptions m_options;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_retryTimer = nullptr;
    bool m_running = false;
    Phase m_phase = Phase::Probe;
    QString m_repository;
    QString m_folder;
    std::vector<Entry> m_entries;
    int m_current = 0;
    int m_redirects = 0;
    int m_attempt = 0;
    // Per request: hash and size announced on redirect responses (the Hub's X-Linked-* headers).
    QByteArray m_linkedSha256;
    qint64 m_linkedSize = -1;

    // The current GET's body.
    std::unique_ptr<QFile> m_part;
    bool m_bodyOpen = false;
    qint64 m_partSize = 0;      // bytes in the .part, including what this request appended
    qint64 m_requestedFrom = 0; // the Range start this request asked for

    // Progress and speed.
    qint64 m_doneBefore = 0; // bytes of files finished or skipped before the current one
    QElapsedTimer m_clock;
    qint64 m_lastProgressMs = -1;
    std::deque<std::pair<qint64, qint64>> m_speedSamples; // (ms, bytes received this run)
    qint64 m_received = 0;

    // The running checksum (sha256 hex, or an error); m_hashCancel stops it early.
    QFuture<std::pair<QByteArray, QString>> m_hashFuture;
    std::shared_ptr<std::atomic<bool>> m_hashCancel;
    bool m_verifyingExisting = false;
    int m_generation = 0; // bumps on each start/cancel, so stale checksum results are ignored
};

} // namespace lodestone::ui
