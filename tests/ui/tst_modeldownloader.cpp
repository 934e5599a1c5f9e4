// ModelDownloader against a local HTTP/1.1 server that serves the reference fixture's Hugging Face folder the
// way the Hub does: `/<repo>/resolve/main/<file>`, the weights through a redirect carrying X-Linked-ETag and
// X-Linked-Size (as the Hub redirects LFS files to its CDN), ETags with the sha256, Range requests answered
// with 206. Modes cut a transfer short, ignore ranges, corrupt a file, drop a file or send slowly.

#include "fixtures.h"

#include "library/librarycontroller.h"
#include "lodestone/clipmodel.h"
#include "models/modeldownloader.h"
#include "models/modelsdialog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace lodestone;
using namespace lodestone::ui;

namespace {

const QString Repo = QStringLiteral("test-org/clip-tiny");
const QStringList FixtureFiles = {QStringLiteral("config.json"), QStringLiteral("model.safetensors"),
                                  QStringLiteral("vocab.json"), QStringLiteral("merges.txt"),
                                  QStringLiteral("preprocessor_config.json")};
const QString Weights = QStringLiteral("model.safetensors");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// A minimal HTTP/1.1 server: one request per connection (it answers with Connection: close).
class FixtureServer : public QObject {
public:
    struct Request {
        QByteArray method;
        QByteArray path;
        QByteArray range; // the Range header, empty when none
    };

    explicit FixtureServer(const QString &fixtureFolder)
    {
        for (const QString &name : FixtureFiles)
            m_files.insert(name, readAll(QDir(fixtureFolder).filePath(name)));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    QByteArray file(const QString &name) const { return m_files.value(name); }

    QList<Request> requests;
    QHash<QString, qint64> interruptAfter; // file -> body bytes sent before the connection closes (once)
    QSet<QString> corrupt;                 // served with one byte changed (the ETag stays the true sha256)
    QSet<QString> missing;                 // 404
    QSet<QString> withoutEtag;             // no ETag header
    QSet<QString> slow;                    // sent in 64 KiB pieces every 20 ms
    bool honourRange = true;               // false: answer 200 with the whole file to a Range request

    QList<Request> requestsFor(const QString &name, const QByteArray &method = "GET") const
    {
        QList<Request> result;
        for (const Request &request : requests)
            if (request.method == method && request.path.endsWith("/" + name.toUtf8()))
                result.append(request);
        return result;
    }

private:
    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        m_buffers.remove(socket);
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        Request request;
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "range")
                request.range = line.mid(colon + 1).trimmed();
        }
        requests.append(request);
        respond(socket, request);
    }

    void send(QTcpSocket *socket, int status, const QByteArray &reason, const QList<QByteArray> &headers,
              const QByteArray &body, qint64 contentLength, bool headOnly)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
        for (const QByteArray &header : headers)
            head += header + "\r\n";
        head += "Content-Length: " + QByteArray::number(contentLength) + "\r\nConnection: close\r\n\r\n";
        socket->write(head);
        if (!headOnly)
            socket->write(body);
        socket->disconnectFromHost(); // after what was written has gone out
    }

    void sendSlowly(QTcpSocket *socket, const QByteArray &head, const QByteArray &body)
    {
        socket->write(head);
        auto *timer = new QTimer(socket);
        auto offset = std::make_shared<qsizetype>(0);
        connect(timer, &QTimer::timeout, socket, [socket, timer, body, offset] {
            const QByteArray piece = body.mid(*offset, 64 * 1024);
            *offset += piece.size();
            socket->write(piece);
            if (*offset >= body.size()) {
                timer->stop();
                socket->disconnectFromHost();
            }
        });
        timer->start(20);
    }

    void respond(QTcpSocket *socket, const Request &request)
    {
        const bool head = request.method == "HEAD";
        const QByteArray resolvePrefix = "/" + Repo.toUtf8() + "/resolve/main/";
        QString name;
        bool cdn = false;
        if (request.path.startsWith(resolvePrefix)) {
            name = QString::fromUtf8(request.path.mid(resolvePrefix.size()));
        } else if (request.path.startsWith("/cdn/")) {
            name = QString::fromUtf8(request.path.mid(5));
            cdn = true;
        }
        if (!m_files.contains(name) || missing.contains(name)) {
            const QByteArray body = "Entry not found";
            send(socket, 404, "Not Found", {}, body, body.size(), head);
            return;
        }
        const QByteArray original = m_files.value(name);
        const QByteArray etag = "ETag: \"" + sha256Hex(original) + '"';
        if (name == Weights && !cdn) {
            // The Hub: LFS files redirect to the CDN; the redirect carries the file's sha256 and size.
            QList<QByteArray> headers = {"Location: /cdn/" + name.toUtf8(),
                                         "X-Linked-Size: " + QByteArray::number(original.size())};
            if (!withoutEtag.contains(name))
                headers << "X-Linked-ETag: \"" + sha256Hex(original) + '"';
            send(socket, 302, "Found", headers, {}, 0, head);
            return;
        }
        QByteArray data = original;
        if (corrupt.contains(name))
            data[data.size() / 2] = char(data[data.size() / 2] ^ 0x5a);
        QList<QByteArray> headers = {"Content-Type: application/octet-stream", "Accept-Ranges: bytes"};
        if (cdn)
            headers << "ETag: \"cdn-0123456789abcdef-3\""; // not a content hash; must be ignored
        else if (!withoutEtag.contains(name))
            headers << etag;

        int status = 200;
        QByteArray reason = "OK";
        qint64 from = 0;
        if (!request.range.isEmpty() && honourRange && request.range.startsWith("bytes=") &&
            request.range.endsWith('-')) {
            from = request.range.mid(6, request.range.size() - 7).toLongLong();
            if (from >= data.size()) {
                send(socket, 416, "Range Not Satisfiable",
                     {"Content-Range: bytes */" + QByteArray::number(data.size())}, {}, 0, head);
                return;
            }
            status = 206;
            reason = "Partial Content";
            headers << "Content-Range: bytes " + QByteArray::number(from) + '-' +
                           QByteArray::number(data.size() - 1) + '/' + QByteArray::number(data.size());
        }
        const QByteArray body = data.mid(from);
        if (!head && interruptAfter.contains(name)) {
            // Announce the whole body, send part of it, hang up.
            const qint64 cut = interruptAfter.take(name);
            send(socket, status, reason, headers, body.left(cut), body.size(), false);
            return;
        }
        if (!head && slow.contains(name)) {
            QByteArray headText = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
            for (const QByteArray &header : headers)
                headText += header + "\r\n";
            headText +=
                "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
            sendSlowly(socket, headText, body);
            return;
        }
        send(socket, status, reason, headers, body, body.size(), head);
    }

    QTcpServer m_server;
    QHash<QString, QByteArray> m_files;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// Signals of one download run.
struct Run {
    explicit Run(ModelDownloader &downloader)
        : finished(&downloader, &ModelDownloader::finished)
        , failed(&downloader, &ModelDownloader::failed)
        , canceled(&downloader, &ModelDownloader::canceled)
        , skipped(&downloader, &ModelDownloader::fileSkipped)
        , fileFinished(&downloader, &ModelDownloader::fileFinished)
        , progressed(&downloader, &ModelDownloader::progressed)
    {}
    bool wait(int ms = 60000)
    {
        return QTest::qWaitFor([this] { return finished.count() + failed.count() + canceled.count() > 0; },
                               ms);
    }
    ModelDownloader::Failure failure() const { return failed.at(0).at(0).value<ModelDownloader::Failure>(); }
    QString failedFile() const { return failed.at(0).at(1).toString(); }
    QString message() const { return failed.isEmpty() ? QString() : failed.at(0).at(2).toString(); }
    QStringList skippedFiles() const
    {
        QStringList files;
        for (const QList<QVariant> &args : skipped)
            files << args.at(0).toString();
        return files;
    }

    QSignalSpy finished, failed, canceled, skipped, fileFinished, progressed;
};

QStringList partFiles(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral("*.part")}, QDir::Files);
}

} // namespace

class TestModelDownloader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fullDownload();
    void resumesAfterInterruption_data();
    void resumesAfterInterruption();
    void rejectsCorruptedFile_data();
    void rejectsCorruptedFile();
    void missingRequiredFile_data();
    void missingRequiredFile();
    void optionalFilesMayBeMissing();
    void cancelKeepsPartialFile();
    void rejectsMalformedRepository();
    void dialogDownloadsAndUsesModel();

private:
    void configure(ModelDownloader &downloader, const FixtureServer &server, int retries = 0);
    void verifyIdentical(const QString &folder, const FixtureServer &server, const QStringList &files);

    QString m_fixture; // the fixture's hf/ folder
};

void TestModelDownloader::initTestCase()
{
    LODESTONE_REQUIRE_FIXTURE(dir);
    m_fixture = QDir(QString::fromStdString(dir)).filePath(QStringLiteral("hf"));
    for (const QString &name : FixtureFiles)
        QVERIFY2(QFileInfo::exists(QDir(m_fixture).filePath(name)), qPrintable(name));
}

void TestModelDownloader::configure(ModelDownloader &downloader, const FixtureServer &server, int retries)
{
    ModelDownloadOptions options;
    options.baseUrl = server.baseUrl();
    options.retries = retries;
    options.retryDelayMs = 10;
    downloader.setOptions(options);
}

void TestModelDownloader::verifyIdentical(const QString &folder, const FixtureServer &server,
                                          const QStringList &files)
{
    for (const QString &name : files) {
        const QByteArray got = readAll(QDir(folder).filePath(name));
        QVERIFY2(got == server.file(name), qPrintable(name + QStringLiteral(" differs from the fixture")));
    }
    QCOMPARE(partFiles(folder), QStringList());
}

void TestModelDownloader::fullDownload()
{
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    QTemporaryDir target;
    const QString folder = QDir(target.path()).filePath(QStringLiteral("models/test-org_clip-tiny"));
    ModelDownloader downloader;
    configure(downloader, server);

    Run run(downloader);
    downloader.start(Repo, folder);
    QVERIFY(run.wait());
    QVERIFY2(run.failed.isEmpty(), qPrintable(run.message()));
    QCOMPARE(run.finished.count(), 1);
    QCOMPARE(run.finished.at(0).at(0).toString(), QDir(folder).absolutePath());
    QVERIFY(!downloader.isRunning());
    verifyIdentical(folder, server, FixtureFiles);
    QCOMPARE(run.fileFinished.count(), FixtureFiles.size());
    // The tokenizer files the fixture lacks are optional.
    QVERIFY(run.skippedFiles().contains(QStringLiteral("tokenizer.json")));
    QVERIFY(!QFileInfo::exists(QDir(folder).filePath(QStringLiteral("tokenizer.json"))));
    // The weights came through the redirect, and the last progress report is complete.
    QCOMPARE(server.requestsFor(Weights).size(), 2); // /resolve/ (302) and /cdn/
    QVERIFY(server.requestsFor(Weights).last().path.startsWith("/cdn/"));
    QVERIFY(!run.progressed.isEmpty());
    qint64 total = 0;
    for (const QString &name : FixtureFiles)
        total += server.file(name).size();
    const QList<QVariant> last = run.progressed.last();
    QCOMPARE(last.at(3).toLongLong(), total);
    QCOMPARE(last.at(4).toLongLong(), total);

    // What came down is a model the core loads.
    try {
        LoadOptions options;
        options.device = "cpu";
        const ClipModel model = ClipModel::load(folder.toStdString(), options);
        QCOMPARE(model.embedDim(), 64);
        QCOMPARE(model.info().format, std::string("huggingface"));
        QVERIFY(model.hasTokenizer());
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }

    // A second run finds every file in place (the weights checked by hash) and fetches nothing.
    server.requests.clear();
    Run again(downloader);
    downloader.start(Repo, folder);
    QVERIFY(again.wait());
    QVERIFY2(again.failed.isEmpty(), qPrintable(again.message()));
    QCOMPARE(again.fileFinished.count(), 0);
    for (const QString &name : FixtureFiles)
        QVERIFY2(server.requestsFor(name).isEmpty(), qPrintable(name));
    verifyIdentical(folder, server, FixtureFiles);
}

void TestModelDownloader::resumesAfterInterruption_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("honourRange");
    QTest::addColumn<int>("retries");
    QTest::newRow("weights, 206") << Weights << true << 0;
    QTest::newRow("weights, server ignores the range") << Weights << false << 0;
    QTest::newRow("vocab, 206") << QStringLiteral("vocab.json") << true << 0;
    QTest::newRow("weights, automatic retry") << Weights << true << 1;
}

void TestModelDownloader::resumesAfterInterruption()
{
    QFETCH(QString, file);
    QFETCH(bool, honourRange);
    QFETCH(int, retries);
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    server.honourRange = honourRange;
    const qint64 cut = server.file(file).size() / 3;
    server.interruptAfter.insert(file, cut);
    QTemporaryDir folder;
    ModelDownloader downloader;
    configure(downloader, server, retries);
    const QString part = QDir(folder.path()).filePath(file + QStringLiteral(".part"));
    const QString final = QDir(folder.path()).filePath(file);

    if (retries == 0) {
        Run first(downloader);
        downloader.start(Repo, folder.path());
        QVERIFY(first.wait());
        QCOMPARE(first.finished.count(), 0);
        QCOMPARE(first.failed.count(), 1);
        QCOMPARE(first.failedFile(), file);
        QVERIFY2(first.failure() == ModelDownloader::Failure::Network ||
                     first.failure() == ModelDownloader::Failure::SizeMismatch,
                 qPrintable(first.message()));
        QVERIFY2(first.message().contains(file), qPrintable(first.message()));
        QVERIFY(!QFileInfo::exists(final));
        QVERIFY(QFileInfo::exists(part));
        QCOMPARE(QFileInfo(part).size(), cut);
        QCOMPARE(readAll(part), server.file(file).left(cut));
    }

    Run second(downloader);
    if (retries == 0)
        downloader.start(Repo, folder.path());
    else
        downloader.start(Repo, folder.path()); // one run: the retry resumes by itself
    QVERIFY(second.wait());
    QVERIFY2(second.failed.isEmpty(), qPrintable(second.message()));
    QCOMPARE(second.finished.count(), 1);
    const QList<FixtureServer::Request> gets = server.requestsFor(file);
    QVERIFY(!gets.isEmpty());
    QCOMPARE(gets.last().range, "bytes=" + QByteArray::number(cut) + '-');
    verifyIdentical(folder.path(), server, FixtureFiles);
}

void TestModelDownloader::rejectsCorruptedFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("announced"); // the server sends the sha256; otherwise the test gives it
    QTest::newRow("weights, X-Linked-ETag") << Weights << true;
    QTest::newRow("merges, ETag") << QStringLiteral("merges.txt") << true;
    QTest::newRow("vocab, expected hash given") << QStringLiteral("vocab.json") << false;
}

void TestModelDownloader::rejectsCorruptedFile()
{
    QFETCH(QString, file);
    QFETCH(bool, announced);
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    server.corrupt.insert(file);
    QTemporaryDir folder;
    ModelDownloader downloader;
    configure(downloader, server);
    if (!announced) {
        server.withoutEtag.insert(file);
        ModelDownloadOptions options = downloader.options();
        options.expectedSha256.insert(file, sha256Hex(server.file(file)));
        downloader.setOptions(options);
    }

    Run run(downloader);
    downloader.start(Repo, folder.path());
    QVERIFY(run.wait());
    QCOMPARE(run.finished.count(), 0);
    QCOMPARE(run.failed.count(), 1);
    QCOMPARE(run.failure(), ModelDownloader::Failure::HashMismatch);
    QCOMPARE(run.failedFile(), file);
    QVERIFY2(run.message().contains(file) && run.message().contains(QStringLiteral("sha256")),
             qPrintable(run.message()));
    QVERIFY2(run.message().contains(QString::fromLatin1(sha256Hex(server.file(file)))),
             qPrintable(run.message()));
    QVERIFY(!QFileInfo::exists(QDir(folder.path()).filePath(file)));
    QCOMPARE(partFiles(folder.path()), QStringList());

    // Without the corruption the same folder completes.
    server.corrupt.clear();
    Run again(downloader);
    downloader.start(Repo, folder.path());
    QVERIFY(again.wait());
    QVERIFY2(again.failed.isEmpty(), qPrintable(again.message()));
    verifyIdentical(folder.path(), server, FixtureFiles);
}

void TestModelDownloader::missingRequiredFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("explanation");
    QTest::newRow("merges") << QStringLiteral("merges.txt") << QStringLiteral("404");
    QTest::newRow("config") << QStringLiteral("config.json") << QStringLiteral("404");
    QTest::newRow("weights") << Weights << QStringLiteral("pytorch_model.bin");
}

void TestModelDownloader::missingRequiredFile()
{
    QFETCH(QString, file);
    QFETCH(QString, explanation);
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    server.missing.insert(file);
    QTemporaryDir folder;
    ModelDownloader downloader;
    configure(downloader, server);

    Run run(downloader);
    downloader.start(Repo, folder.path());
    QVERIFY(run.wait());
    QCOMPARE(run.finished.count(), 0);
    QCOMPARE(run.failure(), ModelDownloader::Failure::Http);
    QCOMPARE(run.failedFile(), file);
    QVERIFY2(run.message().contains(file) && run.message().contains(QStringLiteral("404")) &&
                 run.message().contains(explanation),
             qPrintable(run.message()));
    // Found out before anything was downloaded.
    QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList());
    QCOMPARE(server.requestsFor(Weights, "GET").size(), 0);
}

void TestModelDownloader::optionalFilesMayBeMissing()
{
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    server.missing.insert(QStringLiteral("preprocessor_config.json"));
    QTemporaryDir folder;
    ModelDownloader downloader;
    configure(downloader, server);

    Run run(downloader);
    downloader.start(Repo, folder.path());
    QVERIFY(run.wait());
    QVERIFY2(run.failed.isEmpty(), qPrintable(run.message()));
    QCOMPARE(run.finished.count(), 1);
    QVERIFY(run.skippedFiles().contains(QStringLiteral("preprocessor_config.json")));
    QVERIFY(!QFileInfo::exists(QDir(folder.path()).filePath(QStringLiteral("preprocessor_config.json"))));
    verifyIdentical(folder.path(), server, ModelDownloader::requiredFiles());
}

void TestModelDownloader::cancelKeepsPartialFile()
{
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    server.slow.insert(Weights);
    QTemporaryDir folder;
    ModelDownloader downloader;
    configure(downloader, server);
    const QString part = QDir(folder.path()).filePath(Weights + QStringLiteral(".part"));

    Run run(downloader);
    bool cancelled = false; // once: the resumed run reports the kept bytes too
    connect(&downloader, &ModelDownloader::progressed, &downloader,
            [&downloader, &cancelled](const QString &file, qint64 done) {
                if (!cancelled && file == Weights && done >= 256 * 1024) {
                    cancelled = true;
                    downloader.cancel();
                }
            });
    downloader.start(Repo, folder.path());
    QVERIFY(run.wait());
    QCOMPARE(run.canceled.count(), 1);
    QCOMPARE(run.finished.count(), 0);
    QCOMPARE(run.failed.count(), 0);
    QVERIFY(!downloader.isRunning());
    QVERIFY(QFileInfo::exists(part));
    const qint64 kept = QFileInfo(part).size();
    QVERIFY(kept >= 256 * 1024 && kept < server.file(Weights).size());
    QVERIFY(!QFileInfo::exists(QDir(folder.path()).filePath(Weights)));

    server.slow.clear();
    Run again(downloader);
    downloader.start(Repo, folder.path());
    QVERIFY(again.wait());
    QVERIFY2(again.failed.isEmpty(), qPrintable(again.message()));
    QCOMPARE(server.requestsFor(Weights).last().range, "bytes=" + QByteArray::number(kept) + '-');
    verifyIdentical(folder.path(), server, FixtureFiles);
}

void TestModelDownloader::rejectsMalformedRepository()
{
    QVERIFY(ModelDownloader::isValidRepository(QStringLiteral("openai/clip-vit-base-patch32")));
    QVERIFY(ModelDownloader::isValidRepository(QStringLiteral("laion/CLIP-ViT-B-32-laion2B-s34B-b79K")));
    for (const QString &bad : {QStringLiteral(""), QStringLiteral("a/b/c"), QStringLiteral("../etc"),
                               QStringLiteral("a/.."), QStringLiteral("owner/na me"), QStringLiteral("/abs")})
        QVERIFY2(!ModelDownloader::isValidRepository(bad), qPrintable(bad));

    QTemporaryDir folder;
    ModelDownloader downloader;
    Run run(downloader);
    downloader.start(QStringLiteral("not a repo"), folder.path());
    QCOMPARE(run.failed.count(), 1);
    QCOMPARE(run.failure(), ModelDownloader::Failure::InvalidRequest);
    QVERIFY(!downloader.isRunning());
}

void TestModelDownloader::dialogDownloadsAndUsesModel()
{
    FixtureServer server(m_fixture);
    QVERIFY(server.listen());
    QTemporaryDir dir;
    LibraryController controller(QDir(dir.path()).filePath(QStringLiteral("library")));
    ModelsDialog dialog(&controller);
    configure(*dialog.downloader(), server);
    dialog.show();
    QVERIFY(!dialog.isModal());

    auto *repository = dialog.findChild<QLineEdit *>(QStringLiteral("repository"));
    auto *target = dialog.findChild<QLineEdit *>(QStringLiteral("targetFolder"));
    auto *download = dialog.findChild<QPushButton *>(QStringLiteral("download"));
    auto *use = dialog.findChild<QPushButton *>(QStringLiteral("useModel"));
    auto *progress = dialog.findChild<QProgressBar *>(QStringLiteral("downloadProgress"));
    auto *dim = dialog.findChild<QLabel *>(QStringLiteral("modelDim"));
    auto *path = dialog.findChild<QLabel *>(QStringLiteral("modelPath"));
    auto *error = dialog.findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(repository && target && download && use && progress && dim && path && error);
    QCOMPARE(repository->text(), QStringLiteral("openai/clip-vit-base-patch32"));
    QVERIFY(target->text().endsWith(QStringLiteral("models/openai_clip-vit-base-patch32")));
    QVERIFY(!use->isVisible());

    // A repository name the server lacks: a clear error, no model offered.
    repository->setText(QStringLiteral("test-org/missing"));
    QVERIFY(target->text().endsWith(QStringLiteral("models/test-org_missing")));
    target->setText(QDir(dir.path()).filePath(QStringLiteral("missing")));
    QTest::mouseClick(download, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 30000);
    QVERIFY2(error->text().contains(QStringLiteral("404")), qPrintable(error->text()));
    QVERIFY(!use->isVisible());
    QVERIFY(download->isEnabled());

    repository->setText(Repo);
    const QString folder = QDir(dir.path()).filePath(QStringLiteral("downloaded"));
    target->setText(folder);
    QTest::mouseClick(download, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(use->isVisible() && use->isEnabled(), 60000);
    QVERIFY(error->isHidden());
    QCOMPARE(progress->value(), progress->maximum());
    verifyIdentical(folder, server, FixtureFiles);

    QSignalSpy loaded(&controller, &LibraryController::modelLoaded);
    QSignalSpy failed(&controller, &LibraryController::modelFailed);
    QTest::mouseClick(use, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() > 0, 60000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(dim->text(), QStringLiteral("64"));
    QCOMPARE(QDir(path->text()).absolutePath(), QDir(folder).absolutePath());
    controller.waitForIdle();
}

QTEST_MAIN(TestModelDownloader)
#include "tst_modeldownloader.moc"
