// lodestone-cli's contract (ARCHITECTURE.md): results on stdout, progress on stderr, exit status 0 on
// success and non-zero with a one-line reason otherwise.

#include "fixtures.h"

#include "lodestone/floatarray.h"
#include "lodestone/npy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace lodestone;

namespace {

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(LODESTONE_CLI_PATH, arguments);
    process.waitForFinished(300000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QByteArray readAll(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

double maxAbsDifference(const FloatArray &a, const FloatArray &b)
{
    double m = 0;
    for (size_t i = 0; i < a.data.size(); ++i)
        m = std::max(m, double(std::fabs(a.data[i] - b.data[i])));
    return m;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokenizeMatchesReference()
    {
        LODESTONE_REQUIRE_FIXTURE(fixture);
        const QJsonArray texts = QJsonDocument::fromJson(readAll(fixture + "/reference/texts.json")).array();
        const QJsonArray tokens =
            QJsonDocument::fromJson(readAll(fixture + "/reference/tokens.json")).array();
        QStringList arguments{"tokenize", "--model", QString::fromStdString(fixture + "/hf")};
        for (const QJsonValue &t : texts)
            arguments << t.toString();
        const Result r = runCli(arguments);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), tokens.size());
        for (int i = 0; i < lines.size(); ++i)
            QCOMPARE(QJsonDocument::fromJson(lines[i]).array(), tokens[i].toArray());
    }

    void embedTextAndPixelsMatchReference()
    {
        LODESTONE_REQUIRE_FIXTURE(fixture);
        QTemporaryDir dir;
        const QString model = QString::fromStdString(fixture + "/openclip");
        const QString textOut = dir.filePath("text.npy");
        QStringList arguments{"embed-text", "--model", model, "--device", "cpu", "--raw", "--out", textOut};
        for (const QJsonValue &t :
             QJsonDocument::fromJson(readAll(fixture + "/reference/texts.json")).array())
            arguments << t.toString();
        Result r = runCli(arguments);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.isEmpty()); // results went to the file, progress to stderr
        const FloatArray textRef = readNpy(fixture + "/reference/text_features.npy");
        QVERIFY(maxAbsDifference(readNpy(textOut.toStdString()), textRef) < 1e-3);

        const QString pixelOut = dir.filePath("image.npy");
        r = runCli({"embed-pixels", "--model", model, "--in",
                    QString::fromStdString(fixture + "/reference/image_pixels.npy"), "--out", pixelOut});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        FloatArray imageRef = readNpy(fixture + "/reference/image_features.npy");
        normalizeRows(imageRef); // without --raw the rows are L2-normalised
        const FloatArray image = readNpy(pixelOut.toStdString());
        QCOMPARE(image.shape, imageRef.shape);
        QVERIFY(maxAbsDifference(image, imageRef) < 1e-4);
    }

    void preprocessAndEmbedImage()
    {
        LODESTONE_REQUIRE_FIXTURE(fixture);
        QTemporaryDir dir;
        const QString model = QString::fromStdString(fixture + "/hf");
        QStringList images;
        for (const QJsonValue &name :
             QJsonDocument::fromJson(readAll(fixture + "/reference/meta.json")).object()["images"].toArray())
            images << QString::fromStdString(fixture + "/images/") + name.toString();
        const QString pixelsOut = dir.filePath("pixels.npy");
        Result r = runCli(QStringList{"preprocess", "--model", model, "--out", pixelsOut} + images);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const FloatArray pixels = readNpy(pixelsOut.toStdString());
        const FloatArray pixelsRef = readNpy(fixture + "/reference/image_pixels.npy");
        QCOMPARE(pixels.shape, pixelsRef.shape);
        QVERIFY(maxAbsDifference(pixels, pixelsRef) < 0.1);

        // Without --out the embeddings are printed, one JSON array of D unit-norm values per image.
        r = runCli(QStringList{"embed-image", "--model", model} + images);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), images.size());
        for (const QByteArray &line : lines) {
            const QJsonArray row = QJsonDocument::fromJson(line).array();
            QCOMPARE(row.size(), 64);
            double norm = 0;
            for (const QJsonValue &v : row)
                norm += v.toDouble() * v.toDouble();
            QVERIFY(std::fabs(norm - 1.0) < 1e-4);
        }
    }

    void failuresGiveOneLineReasons_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing model")
            << QStringList{"embed-text", "--model", "/nonexistent", "hello"} << "does not exist";
        QTest::newRow("no subcommand") << QStringList{} << "subcommand";
        QTest::newRow("unknown device")
            << QStringList{"embed-text", "--model", "/tmp", "--device", "tpu", "x"} << "unknown device";
    }

    void failuresGiveOneLineReasons()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        const Result r = runCli(arguments);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(QString::fromUtf8(r.err).contains(reason), r.err.constData());
    }

    void badImageIsAClearError()
    {
        LODESTONE_REQUIRE_FIXTURE(fixture);
        QTemporaryDir dir;
        QFile text(dir.filePath("notes.jpg"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("this is not a photo\n");
        text.close();
        const Result r =
            runCli({"embed-image", "--model", QString::fromStdString(fixture + "/hf"), text.fileName()});
        QVERIFY(r.exitCode != 0);
        const QList<QByteArray> errLines = r.err.trimmed().split('\n');
        QVERIFY2(errLines.last().contains("notes.jpg"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
