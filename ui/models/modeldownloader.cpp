#include "models/modeldownloader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>

namespace lodestone::ui {

namespace {

constexpr int MaxRedirects = 10;
constexpr int TransferTimeoutMs = 60000; // no byte for this long: the request fails (and is retried)
constexpr qint64 ProgressIntervalMs = 100;
constexpr qint64 SpeedWindowMs = 3000;

// A sha256 in an ETag: `"<64 hex>"`, possibly weak (`W/"..."`). The Hub sends one for LFS files; for
// ordinary files its ETag is the git blob's sha1, which is not a content hash we can check.
QByteArray sha256FromEtag(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("W/"))
        etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"'))
        etag = etag.mid(1, etag.size() - 2);
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    return hex.match(QString::fromLatin1(etag)).hasMatch() ? etag.toLower() : QByteArray();
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// sha256 of a file, read off the UI thread; (hex, "") or ("", error).
std::pair<QByteArray, QString> hashFile(const QString &path, std::shared_ptr<std::atomic<bool>> cancel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {QByteArray(), file.errorString()};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    while (!cancel->load()) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return {QByteArray(), file.errorString()};
        if (n == 0)
            return {hash.result().toHex(), QString()};
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return {QByteArray(), QString()};
}

} // namespace

ModelDownloader::ModelDownloader(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_retryTimer(new QTimer(this))
    , m_hashCancel(std::make_shared<std::atomic<bool>>(false))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_phase == Phase::Probe)
            probeCurrent();
        else
            startFetch();
    });
}

ModelDownloader::~ModelDownloader()
{
    stopTransfer();
    m_hashCancel->store(true);
    m_hashFuture.waitForFinished();
}

QStringList ModelDownloader::requiredFiles()
{
    return {QStringLiteral("config.json"), QStringLiteral("model.safetensors"), QStringLiteral("vocab.json"),
            QStringLiteral("merges.txt")};
}

QStringList ModelDownloader::optionalFiles()
{
    return {QStringLiteral("preprocessor_config.json"), QStringLiteral("tokenizer.json"),
            QStringLiteral("tokenizer_config.json"), QStringLiteral("special_tokens_map.json")};
}

bool ModelDownloader::isValidRepository(const QString &repository)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$"));
    return pattern.match(repository).hasMatch() && !repository.contains(QStringLiteral(".."));
}

void ModelDownloader::start(const QString &repository, const QString &targetFolder)
{
    if (m_running) {
        Q_EMIT failed(Failure::InvalidRequest, QString(), tr("A download is already running."));
        return;
    }
    const QString repo = repository.trimmed();
    if (!isValidRepository(repo)) {
        Q_EMIT failed(Failure::InvalidRequest, QString(),
                      tr("\"%1\" is not a repository name; expected owner/name, such as "
                         "openai/clip-vit-base-patch32.")
                          .arg(repository));
        return;
    }
    const QUrl base = m_options.baseUrl;
    const QString scheme = base.scheme().toLower();
    if (!base.isValid() || (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        Q_EMIT failed(Failure::InvalidRequest, QString(),
                      tr("The download address %1 is not an http or https URL.").arg(base.toString()));
        return;
    }
    if (scheme == QLatin1String("https")) {
#if QT_CONFIG(ssl)
        const bool tls = QSslSocket::supportsSsl();
#else
        const bool tls = false;
#endif
        if (!tls) {
            Q_EMIT failed(
                Failure::TlsUnavailable, QString(),
                tr("HTTPS is not available: Qt could not load a TLS backend (OpenSSL %1 is needed). "
                   "Install OpenSSL, or download the files another way and open the folder.")
                    .arg(
#if QT_CONFIG(ssl)
                        QSslSocket::sslLibraryBuildVersionString()
#else
                        QString()
#endif
                            ));
            return;
        }
    }
    if (targetFolder.trimmed().isEmpty() || !QDir().mkpath(targetFolder)) {
        Q_EMIT failed(Failure::Disk, QString(), tr("Cannot create the folder \"%1\".").arg(targetFolder));
        return;
    }

    m_repository = repo;
    m_folder = QDir(targetFolder).absolutePath();
    m_entries.clear();
    for (const QString &name : requiredFiles() + optionalFiles()) {
        Entry entry;
        entry.name = name;
        entry.required = requiredFiles().contains(name);
        m_entries.push_back(entry);
    }
    m_running = true;
    ++m_generation;
    m_hashCancel = std::make_shared<std::atomic<bool>>(false);
    m_phase = Phase::Probe;
    m_current = 0;
    m_attempt = 0;
    m_doneBefore = 0;
    m_received = 0;
    m_speedSamples.clear();
    m_lastProgressMs = -1;
    m_clock.start();
    probeNext();
}

void ModelDownloader::cancel()
{
    if (!m_running)
        return;
    stopTransfer();
    m_running = false;
    Q_EMIT statusChanged(tr("Cancelled; the partial file is kept and the next download resumes it."));
    Q_EMIT canceled();
}

void ModelDownloader::stopTransfer()
{
    ++m_generation;
    m_retryTimer->stop();
    m_hashCancel->store(true);
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
    if (m_part) {
        m_part->close(); // flushes: what arrived stays in the .part
        m_part.reset();
    }
    m_bodyOpen = false;
}

void ModelDownloader::fail(Failure failure, const QString &file, const QString &message)
{
    stopTransfer();
    m_running = false;
    Q_EMIT statusChanged(message);
    Q_EMIT failed(failure, file, message);
}

QUrl ModelDownloader::fileUrl(const Entry &entry) const
{
    QUrl url = m_options.baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    path += QLatin1Char('/') + m_repository + QStringLiteral("/resolve/") +
            QString::fromLatin1(QUrl::toPercentEncoding(m_options.revision)) + QLatin1Char('/') +
            QString::fromLatin1(QUrl::toPercentEncoding(entry.name));
    url.setPath(path, QUrl::TolerantMode);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QString ModelDownloader::finalPath(const Entry &entry) const
{
    return QDir(m_folder).filePath(entry.name);
}

QString ModelDownloader::partPath(const Entry &entry) const
{
    return finalPath(entry) + QStringLiteral(".part");
}

void ModelDownloader::sendRequest(const QUrl &url)
{
    QNetworkRequest request(url);
    // Redirects by hand: the Hub's redirect response carries the LFS file's sha256 and size (X-Linked-*).
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Bytes as stored: sizes, ranges and hashes refer to them, so no transparent compression.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Lodestone"));
    request.setTransferTimeout(TransferTimeoutMs);
    QNetworkReply *reply = nullptr;
    if (m_phase == Phase::Probe) {
        reply = m_network->head(request);
    } else {
        if (m_requestedFrom > 0)
            request.setRawHeader("Range", "bytes=" + QByteArray::number(m_requestedFrom) + '-');
        reply = m_network->get(request);
        connect(reply, &QNetworkReply::readyRead, this, &ModelDownloader::onReadyRead);
    }
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &ModelDownloader::onFinished);
}

void ModelDownloader::probeNext()
{
    if (m_current >= int(m_entries.size())) {
        // Everything announced: check the disk before writing anything.
        qint64 needed = 0;
        for (Entry &entry : m_entries) {
            if (!entry.present || entry.size < 0)
                continue;
            const QFileInfo final(finalPath(entry));
            entry.existing = final.exists() && final.size() == entry.size;
            if (entry.existing)
                continue;
            const QFileInfo part(partPath(entry));
            needed += entry.size - (part.exists() && part.size() <= entry.size ? part.size() : 0);
        }
        const QStorageInfo storage(m_folder);
        if (storage.isValid() && storage.bytesAvailable() >= 0 && needed > storage.bytesAvailable()) {
            const QLocale locale;
            fail(Failure::Disk, QString(),
                 tr("Not enough disk space in %1: the model needs %2 more, %3 are free.")
                     .arg(m_folder, locale.formattedDataSize(needed),
                          locale.formattedDataSize(storage.bytesAvailable())));
            return;
        }
        m_phase = Phase::Fetch;
        m_current = 0;
        m_attempt = 0;
        fetchNext();
        return;
    }
    probeCurrent();
}

void ModelDownloader::probeCurrent()
{
    const Entry &entry = m_entries[m_current];
    const QString name = entry.name;
    m_redirects = 0;
    m_linkedSha256.clear();
    m_linkedSize = -1;
    sendRequest(fileUrl(entry));
    Q_EMIT statusChanged(tr("Checking %1…").arg(name)); // last: a slot may cancel()
}

void ModelDownloader::onFinished()
{
    QNetworkReply *reply = qobject_cast<QNetworkReply *>(sender());
    if (!reply || reply != m_reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString name = m_entries[m_current].name;

    if (isRedirect(status)) {
        if (const QByteArray linked = sha256FromEtag(reply->rawHeader("X-Linked-ETag")); !linked.isEmpty())
            m_linkedSha256 = linked;
        bool ok = false;
        if (const qint64 size = reply->rawHeader("X-Linked-Size").toLongLong(&ok); ok && size >= 0)
            m_linkedSize = size;
        const QUrl target =
            reply->url().resolved(reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl());
        const QString scheme = target.scheme().toLower();
        if (++m_redirects > MaxRedirects) {
            fail(Failure::Network, name, tr("%1: too many redirects.").arg(name));
            return;
        }
        if (!target.isValid() || (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
            fail(Failure::Network, name,
                 tr("%1: the server redirected to an unusable address (%2).").arg(name, target.toString()));
            return;
        }
        if (reply->url().scheme().toLower() == QLatin1String("https") && scheme == QLatin1String("http")) {
            fail(Failure::Network, name,
                 tr("%1: the server redirected from https to plain http (%2); refused.")
                     .arg(name, target.toString()));
            return;
        }
#if QT_CONFIG(ssl)
        if (scheme == QLatin1String("https") && !QSslSocket::supportsSsl()) {
#else
        if (scheme == QLatin1String("https")) {
#endif
            fail(Failure::TlsUnavailable, name,
                 tr("%1: the server redirected to %2, but HTTPS is not available (no TLS backend).")
                     .arg(name, target.host()));
            return;
        }
        sendRequest(target);
        return;
    }
    if (m_phase == Phase::Probe)
        onProbeFinished(reply, status);
    else
        onFetchFinished(reply, status);
}

namespace {

QString httpMessage(const QString &file, int status, const QString &reason)
{
    QString message = ModelDownloader::tr("%1: the server answered HTTP %2").arg(file).arg(status);
    if (!reason.isEmpty())
        message += QStringLiteral(" (%1)").arg(reason);
    message += QLatin1Char('.');
    if (status == 401 || status == 403)
        message += QLatin1Char(' ') + ModelDownloader::tr("The repository does not exist, or it is gated or "
                                                          "private (signing in is not supported).");
    if (status == 404 && file == QLatin1String("model.safetensors"))
        message += QLatin1Char(' ') + ModelDownloader::tr("Lodestone reads safetensors weights only; "
                                                          "repositories that ship only pytorch_model.bin "
                                                          "are not supported.");
    else if (status == 404)
        message += QLatin1Char(' ') + ModelDownloader::tr("The repository has no such file; is it a CLIP "
                                                          "model in the Hugging Face layout?");
    return message;
}

} // namespace

void ModelDownloader::onProbeFinished(QNetworkReply *reply, int status)
{
    Entry &entry = m_entries[m_current];
    if (status == 0) {
        retryOrFail(Failure::Network, tr("%1: %2").arg(entry.name, reply->errorString()));
        return;
    }
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    if (status == 404 || status == 410) {
        if (entry.required) {
            fail(Failure::Http, entry.name, httpMessage(entry.name, status, reason));
            return;
        }
        entry.present = false;
        const int generation = m_generation;
        Q_EMIT fileSkipped(entry.name, tr("not in the repository"));
        if (generation != m_generation)
            return; // cancelled or restarted by a slot
    } else if (status >= 500) {
        retryOrFail(Failure::Http, httpMessage(entry.name, status, reason));
        return;
    } else if (status >= 400 && status != 405 && status != 501) {
        fail(Failure::Http, entry.name, httpMessage(entry.name, status, reason));
        return;
    } else if (status == 200) { // 405/501: no HEAD; the GET will tell
        entry.size = m_linkedSize;
        if (entry.size < 0) {
            bool ok = false;
            const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
            entry.size = ok ? length : -1;
        }
        entry.sha256 = m_linkedSha256.isEmpty() ? sha256FromEtag(reply->rawHeader("ETag")) : m_linkedSha256;
    }
    if (const auto expected = m_options.expectedSha256.constFind(entry.name);
        expected != m_options.expectedSha256.constEnd())
        entry.sha256 = expected->trimmed().toLower();
    ++m_current;
    m_attempt = 0;
    probeNext();
}

void ModelDownloader::fetchNext()
{
    while (m_current < int(m_entries.size()) && !m_entries[m_current].present)
        ++m_current;
    if (m_current >= int(m_entries.size())) {
        const int generation = m_generation;
        emitProgress(/*force=*/true);
        if (generation != m_generation)
            return;
        m_running = false;
        Q_EMIT statusChanged(tr("Downloaded %1 into %2.").arg(m_repository, m_folder));
        Q_EMIT finished(m_folder);
        return;
    }
    const Entry &entry = m_entries[m_current];
    if (entry.existing && QFileInfo(finalPath(entry)).size() == entry.size) {
        if (entry.sha256.isEmpty()) {
            const QString name = entry.name;
            m_doneBefore += entry.size;
            ++m_current;
            m_attempt = 0;
            const int generation = m_generation;
            Q_EMIT fileSkipped(name, tr("already downloaded"));
            if (generation == m_generation)
                fetchNext();
        } else {
            verifyAndInstall(/*existingFile=*/true);
        }
        return;
    }
    startFetch();
}

void ModelDownloader::startFetch()
{
    Entry &entry = m_entries[m_current];
    const QFileInfo part(partPath(entry));
    m_partSize = part.exists() ? part.size() : 0;
    if (entry.size >= 0 && m_partSize > entry.size) {
        QFile::remove(part.filePath()); // longer than the file: not a prefix of it
        m_partSize = 0;
    }
    if (entry.size > 0 && m_partSize == entry.size) {
        verifyAndInstall(/*existingFile=*/false); // an earlier run got every byte
        return;
    }
    m_requestedFrom = m_partSize;
    m_bodyOpen = false;
    m_redirects = 0;
    m_linkedSha256.clear();
    m_linkedSize = -1;
    const int count =
        int(std::count_if(m_entries.begin(), m_entries.end(), [](const Entry &e) { return e.present; }));
    const int number = int(std::count_if(m_entries.begin(), m_entries.begin() + m_current + 1,
                                         [](const Entry &e) { return e.present; }));
    const QString status = m_partSize > 0
                               ? tr("Resuming %1 at %2 (%3 of %4)")
                                     .arg(entry.name, QLocale().formattedDataSize(m_partSize))
                                     .arg(number)
                                     .arg(count)
                               : tr("Downloading %1 (%2 of %3)").arg(entry.name).arg(number).arg(count);
    sendRequest(fileUrl(entry));
    // Signals last: a slot may cancel().
    const int generation = m_generation;
    Q_EMIT statusChanged(status);
    if (generation == m_generation)
        emitProgress(/*force=*/true);
}

bool ModelDownloader::openBody(QNetworkReply *reply)
{
    Entry &entry = m_entries[m_current];
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QIODevice::OpenMode mode = QIODevice::WriteOnly;
    if (status == 206) {
        // Content-Range: bytes <first>-<last>/<total>
        static const QRegularExpression range(QStringLiteral("^bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)$"));
        const auto match = range.match(QString::fromLatin1(reply->rawHeader("Content-Range")).trimmed());
        if (!match.hasMatch() || match.captured(1).toLongLong() != m_requestedFrom) {
            // Not the range we asked for: start the file again.
            QFile::remove(partPath(entry));
            retryOrFail(Failure::Network,
                        tr("%1: the server sent a different range (%2) than requested (from byte %3).")
                            .arg(entry.name, QString::fromLatin1(reply->rawHeader("Content-Range")))
                            .arg(m_requestedFrom));
            return false;
        }
        bool ok = false;
        const qint64 total = match.captured(3).toLongLong(&ok);
        if (ok && entry.size < 0)
            entry.size = total;
        mode |= QIODevice::Append;
    } else {
        // 200: the whole file, whether or not we asked for a range.
        mode |= QIODevice::Truncate;
        m_partSize = 0;
        bool ok = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        if (ok && entry.size >= 0 && length != entry.size) {
            fail(Failure::SizeMismatch, entry.name,
                 tr("%1: the server sends %2 bytes, but announced %3.")
                     .arg(entry.name)
                     .arg(length)
                     .arg(entry.size));
            return false;
        }
        if (ok && entry.size < 0)
            entry.size = length;
    }
    // Prefer the hash announced with this very response (its redirect) when the probe saw none.
    if (entry.sha256.isEmpty() && !m_options.expectedSha256.contains(entry.name)) {
        entry.sha256 = m_linkedSha256.isEmpty() ? sha256FromEtag(reply->rawHeader("ETag")) : m_linkedSha256;
    }
    m_part = std::make_unique<QFile>(partPath(entry));
    if (!m_part->open(mode)) {
        const QString message = tr("Cannot write %1: %2")
                                    .arg(QDir::toNativeSeparators(m_part->fileName()), m_part->errorString());
        m_part.reset();
        fail(Failure::Disk, entry.name, message);
        return false;
    }
    m_bodyOpen = true;
    return true;
}

bool ModelDownloader::writeBody(const QByteArray &data)
{
    if (data.isEmpty())
        return true;
    if (m_part->write(data) != data.size()) {
        // Typically "No space left on device".
        const QString message = tr("Cannot write %1: %2")
                                    .arg(QDir::toNativeSeparators(m_part->fileName()), m_part->errorString());
        fail(Failure::Disk, m_entries[m_current].name, message);
        return false;
    }
    m_partSize += data.size();
    m_received += data.size();
    const int generation = m_generation;
    emitProgress(/*force=*/false);
    return generation == m_generation; // false: a slot cancelled
}

void ModelDownloader::onReadyRead()
{
    QNetworkReply *reply = qobject_cast<QNetworkReply *>(sender());
    if (!reply || reply != m_reply)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 && status != 206) {
        reply->readAll(); // a redirect's or an error's body
        return;
    }
    if (!m_bodyOpen && !openBody(reply))
        return;
    writeBody(reply->readAll());
}

void ModelDownloader::onFetchFinished(QNetworkReply *reply, int status)
{
    Entry &entry = m_entries[m_current];
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    if (status == 200 || status == 206) {
        if (!m_bodyOpen && !openBody(reply))
            return;
        if (!writeBody(reply->readAll()))
            return;
        if (!m_part->flush()) {
            fail(Failure::Disk, entry.name,
                 tr("Cannot write %1: %2")
                     .arg(QDir::toNativeSeparators(m_part->fileName()), m_part->errorString()));
            return;
        }
        m_part->close();
        m_part.reset();
        m_bodyOpen = false;
        const QLocale locale;
        const QString sizeText =
            entry.size >= 0 ? locale.formattedDataSize(entry.size) : tr("an unknown size");
        if (reply->error() != QNetworkReply::NoError) {
            retryOrFail(
                Failure::Network,
                tr("%1: the transfer was interrupted after %2 of %3 (%4); the partial "
                   "file is kept and the next download resumes from there.")
                    .arg(entry.name, locale.formattedDataSize(m_partSize), sizeText, reply->errorString()));
            return;
        }
        if (entry.size >= 0 && m_partSize < entry.size) {
            retryOrFail(Failure::SizeMismatch,
                        tr("%1: the transfer ended after %2 of %3; the partial file is "
                           "kept and the next download resumes from there.")
                            .arg(entry.name, locale.formattedDataSize(m_partSize), sizeText));
            return;
        }
        if (entry.size >= 0 && m_partSize > entry.size) {
            QFile::remove(partPath(entry));
            fail(Failure::SizeMismatch, entry.name,
                 tr("%1: received %2 bytes, more than the %3 announced; the file was deleted.")
                     .arg(entry.name)
                     .arg(m_partSize)
                     .arg(entry.size));
            return;
        }
        if (entry.size < 0)
            entry.size = m_partSize;
        verifyAndInstall(/*existingFile=*/false);
        return;
    }
    if (status == 416 && m_requestedFrom > 0) {
        // The .part does not fit the file on the server (it changed, or the .part is complete): start over.
        QFile::remove(partPath(entry));
        startFetch();
        return;
    }
    if (status == 404 || status == 410) {
        if (!entry.required) {
            entry.present = false;
            const QString name = entry.name;
            ++m_current;
            m_attempt = 0;
            const int generation = m_generation;
            Q_EMIT fileSkipped(name, tr("not in the repository"));
            if (generation == m_generation)
                fetchNext();
            return;
        }
        fail(Failure::Http, entry.name, httpMessage(entry.name, status, reason));
        return;
    }
    if (status >= 500) {
        retryOrFail(Failure::Http, httpMessage(entry.name, status, reason));
        return;
    }
    if (status != 0) {
        fail(Failure::Http, entry.name, httpMessage(entry.name, status, reason));
        return;
    }
    retryOrFail(Failure::Network, tr("%1: %2").arg(entry.name, reply->errorString()));
}

void ModelDownloader::retryOrFail(Failure failure, const QString &message)
{
    const QString name = m_entries[m_current].name;
    stopTransfer();
    if (m_attempt < m_options.retries) {
        ++m_attempt;
        m_retryTimer->start(m_options.retryDelayMs);
        Q_EMIT statusChanged(
            tr("%1 Retrying (%2 of %3)…").arg(message).arg(m_attempt).arg(m_options.retries));
        return;
    }
    fail(failure, name, message);
}

void ModelDownloader::verifyAndInstall(bool existingFile)
{
    const Entry &entry = m_entries[m_current];
    m_verifyingExisting = existingFile;
    if (entry.sha256.isEmpty()) {
        install();
        return;
    }
    const QString name = entry.name;
    const QString path = existingFile ? finalPath(entry) : partPath(entry);
    m_hashCancel = std::make_shared<std::atomic<bool>>(false);
    m_hashFuture = QtConcurrent::run(&hashFile, path, m_hashCancel);
    auto *watcher = new QFutureWatcher<std::pair<QByteArray, QString>>(this);
    const int generation = m_generation;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation || !m_running)
            return; // cancelled meanwhile
        const auto [actual, error] = watcher->result();
        onVerified(actual, error);
    });
    watcher->setFuture(m_hashFuture);
    Q_EMIT statusChanged(tr("Verifying %1…").arg(name));
}

void ModelDownloader::onVerified(const QByteArray &actual, const QString &readError)
{
    const Entry &entry = m_entries[m_current];
    const QString path = m_verifyingExisting ? finalPath(entry) : partPath(entry);
    if (!readError.isEmpty()) {
        fail(Failure::Disk, entry.name,
             tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), readError));
        return;
    }
    if (actual != entry.sha256) {
        QFile::remove(path);
        if (m_verifyingExisting) {
            // A damaged copy from before: fetch it again.
            m_entries[m_current].existing = false;
            startFetch();
            return;
        }
        fail(Failure::HashMismatch, entry.name,
             tr("%1 is corrupted: its sha256 is %2, expected %3. The download was deleted; try again.")
                 .arg(entry.name, QString::fromLatin1(actual), QString::fromLatin1(entry.sha256)));
        return;
    }
    install();
}

void ModelDownloader::install()
{
    const Entry &entry = m_entries[m_current];
    const QString name = entry.name;
    if (!m_verifyingExisting) {
        const QString final = finalPath(entry);
        if (QFile::exists(final) && !QFile::remove(final)) {
            fail(Failure::Disk, entry.name, tr("Cannot replace %1.").arg(QDir::toNativeSeparators(final)));
            return;
        }
        if (!QFile::rename(partPath(entry), final)) {
            fail(Failure::Disk, entry.name,
                 tr("Cannot rename %1 to %2.")
                     .arg(QDir::toNativeSeparators(partPath(entry)), QDir::toNativeSeparators(final)));
            return;
        }
    }
    m_doneBefore += std::max<qint64>(entry.size, 0);
    m_partSize = 0;
    ++m_current;
    m_attempt = 0;
    const int generation = m_generation;
    if (m_verifyingExisting)
        Q_EMIT fileSkipped(name, tr("already downloaded and verified"));
    else
        Q_EMIT fileFinished(name);
    if (generation == m_generation)
        fetchNext();
}

qint64 ModelDownloader::overallTotal() const
{
    qint64 total = 0;
    for (const Entry &entry : m_entries) {
        if (!entry.present)
            continue;
        if (entry.size < 0)
            return -1;
        total += entry.size;
    }
    return total;
}

qint64 ModelDownloader::overallDone() const
{
    return m_doneBefore + (m_phase == Phase::Fetch && m_current < int(m_entries.size()) ? m_partSize : 0);
}

void ModelDownloader::emitProgress(bool force)
{
    const qint64 now = m_clock.elapsed();
    if (!force && m_lastProgressMs >= 0 && now - m_lastProgressMs < ProgressIntervalMs)
        return;
    m_lastProgressMs = now;
    m_speedSamples.emplace_back(now, m_received);
    while (m_speedSamples.size() > 2 && now - m_speedSamples.front().first > SpeedWindowMs)
        m_speedSamples.pop_front();
    double speed = 0;
    if (m_speedSamples.size() >= 2) {
        const auto &[t0, b0] = m_speedSamples.front();
        const qint64 dt = now - t0;
        if (dt > 0)
            speed = double(m_received - b0) * 1000.0 / double(dt);
    }
    const bool inFile = m_phase == Phase::Fetch && m_current < int(m_entries.size());
    Q_EMIT progressed(inFile ? m_entries[m_current].name : QString(), inFile ? m_partSize : 0,
                      inFile ? m_entries[m_current].size : 0, overallDone(), overallTotal(), speed);
}

} // namespace lodestone::ui
