// The library forms of lodestone-cli (ARCHITECTURE.md): index, search, classify, probe, export, run end to
// end on photos of the synthetic shapes world with the reference fixture's model.

#include "lodestone/floatarray.h"
#include "lodestone/npy.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
    process.waitForFinished(600000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n'))
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    return lines;
}

QStringList fileLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestCliLibrary : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model, m_library, m_photos;
    int m_photoCount = 0;

    QStringList libraryArgs(const QString &command) const { return {command, "--library", m_library}; }

private Q_SLOTS:
    // One library for all cases: 24 shapes-world photos plus one file that only pretends to be a JPEG, and a
    // tiny model trained here for a few steps (with a BPE learned from the captions), so that nothing
    // depends on files outside the repository.
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_library = m_dir.filePath("library");
        const QString world = m_dir.filePath("world");
        const Result made = runCli({"make-shapes", "--out", world, "--count", "24", "--seed", "3"});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        const Result trained = runCli({"train", "--data", "shapes:" + world, "--out", m_dir.filePath("run"),
                                       "--arch", "tiny", "--steps", "3", "--batch", "8", "--device", "cpu"});
        QVERIFY2(trained.exitCode == 0, trained.err.constData());
        m_model = m_dir.filePath("run/model");
        m_photos = world + "/train";
        m_photoCount = int(QDir(m_photos + "/images").entryList({"*.png"}, QDir::Files).size());
        QVERIFY(m_photoCount > 10);
        QFile bad(m_photos + "/images/not-a-photo.jpg");
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("this is text, not a JPEG\n");
    }

    void indexReportsEachFileOnce()
    {
        const Result r = runCli({"index", "--library", m_library, "--model", m_model, m_photos + "/images"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary["indexed"].toInt(), m_photoCount);
        QCOMPARE(summary["failed"].toInt(), 1);
        const QJsonArray errors = summary["errors"].toArray();
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors[0].toObject()["path"].toString().endsWith("not-a-photo.jpg"));
        QVERIFY(!errors[0].toObject()["error"].toString().isEmpty());

        // A rescan reads nothing again, and does not report the old failure as new.
        const Result again = runCli(libraryArgs("index") << "--model" << m_model);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QJsonObject second = QJsonDocument::fromJson(again.out).object();
        QCOMPARE(second["indexed"].toInt(), 0);
        QCOMPARE(second["unchanged"].toInt(), m_photoCount);
    }

    void searchByTextRanksByScore()
    {
        const Result r = runCli(libraryArgs("search") << "-k"
                                                      << "5"
                                                      << "a red circle");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> hits = jsonLines(r.out);
        QCOMPARE(hits.size(), 5);
        for (int i = 0; i < hits.size(); ++i) {
            QVERIFY(QFile::exists(hits[i]["path"].toString()));
            if (i > 0)
                QVERIFY(hits[i]["score"].toDouble() <= hits[i - 1]["score"].toDouble());
        }
    }

    void searchByImageFindsItself()
    {
        const QString photo =
            QDir(m_photos + "/images").entryInfoList({"*.png"}, QDir::Files).first().absoluteFilePath();
        const Result r = runCli(libraryArgs("search") << "-k"
                                                      << "3" << ("image:\"" + photo + "\""));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> hits = jsonLines(r.out);
        QCOMPARE(hits.size(), 3);
        QCOMPARE(hits[0]["path"].toString(), photo);
        QVERIFY(std::fabs(hits[0]["score"].toDouble() - 1.0) < 1e-3);

        // An expression mixing both parses and answers; a malformed one is refused with a reason.
        const Result mixed =
            runCli(libraryArgs("search") << ("\"a red circle\" + 0.5 * image:" + photo + " - blue"));
        QVERIFY2(mixed.exitCode == 0, mixed.err.constData());
        QCOMPARE(jsonLines(mixed.out).size(), 10 < m_photoCount ? 10 : m_photoCount);
        const Result bad = runCli(libraryArgs("search") << "\"unterminated");
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.startsWith("lodestone-cli: query"), bad.err.constData());
    }

    void classifyGivesADistributionPerPhoto()
    {
        const Result r = runCli(libraryArgs("classify") << "--label"
                                                        << "red"
                                                        << "green"
                                                        << "blue"
                                                        << "--json");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> rows = jsonLines(r.out);
        QCOMPARE(rows.size(), m_photoCount);
        for (const QJsonObject &row : rows) {
            const QJsonObject p = row["probabilities"].toObject();
            QCOMPARE(p.size(), 3);
            const double sum = p["red"].toDouble() + p["green"].toDouble() + p["blue"].toDouble();
            QVERIFY(std::fabs(sum - 1.0) < 1e-4);
            QVERIFY(p.contains(row["label"].toString()));
            QCOMPARE(row["probability"].toDouble(), p[row["label"].toString()].toDouble());
        }

        // A threshold above 1/3 can put photos in "none of these" (null label); the CSV has the same rows.
        const Result csv = runCli(libraryArgs("classify") << "--label"
                                                          << "red"
                                                          << "green"
                                                          << "blue"
                                                          << "--templates"
                                                          << "none"
                                                          << "--threshold"
                                                          << "0.99"
                                                          << "--csv");
        QVERIFY2(csv.exitCode == 0, csv.err.constData());
        const QList<QByteArray> lines = csv.out.trimmed().split('\n');
        QCOMPARE(lines.size(), m_photoCount + 1);
        QCOMPARE(lines[0], QByteArray("path,label,probability,red,green,blue"));
    }

    void probeAnswersPhotosAndTexts()
    {
        const Result r = runCli(libraryArgs("probe") << "-k"
                                                     << "4"
                                                     << "red circle - red + blue");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject result = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(result["photos"].toArray().size(), 4);
        const QJsonArray texts = result["texts"].toArray();
        QCOMPARE(texts.size(), 4);
        for (const QJsonValue &t : texts)
            QVERIFY(!t.toObject()["text"].toString().isEmpty());
    }

    void exportsWriteTheirFormats()
    {
        const QString out = m_dir.filePath("export");
        Result r = runCli(libraryArgs("export") << "--format"
                                                << "npy"
                                                << "--out" << out);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const FloatArray vectors = readNpy((out + "/embeddings.npy").toStdString());
        QCOMPARE(vectors.dim(0), int64_t(m_photoCount));
        for (int64_t i = 0; i < vectors.dim(0); ++i) {
            double norm = 0;
            for (int64_t d = 0; d < vectors.dim(1); ++d)
                norm += double(vectors.row(i)[d]) * vectors.row(i)[d];
            QVERIFY(std::fabs(std::sqrt(norm) - 1.0) < 1e-4);
        }
        QCOMPARE(fileLines(out + "/metadata.csv").size(), m_photoCount + 1);

        r = runCli(libraryArgs("export") << "--format"
                                         << "projector"
                                         << "--out" << out);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList rows = fileLines(out + "/vectors.tsv");
        QCOMPARE(rows.size(), m_photoCount);
        QCOMPARE(rows[0].split('\t').size(), int(vectors.dim(1)));
        QCOMPARE(fileLines(out + "/metadata.tsv").size(), m_photoCount + 1);

        r = runCli(libraryArgs("export") << "--format"
                                         << "csv"
                                         << "--out" << out);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileLines(out + "/labels.csv").size(), m_photoCount + 1);
    }

    void mapWritesCsvAndPicture()
    {
        for (const QString method : {"pca", "umap"}) {
            const QString csv = m_dir.filePath("map-" + method + ".csv"),
                          png = m_dir.filePath("map-" + method + ".png");
            const Result r = runCli(libraryArgs("map") << "--method" << method << "--clusters"
                                                       << "3"
                                                       << "--probe"
                                                       << "red circle - red + blue"
                                                       << "--out" << csv << "--png" << png);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QStringList rows = fileLines(csv);
            QVERIFY(rows.size() >= m_photoCount + 1);
            QCOMPARE(rows[0], QString("path,x,y,cluster,cluster_name,label"));
            int photos = 0;
            for (const QString &row : rows.mid(1))
                photos += QFile::exists(row.section(',', 0, 0));
            QCOMPARE(photos, m_photoCount);
            QVERIFY(QFileInfo(png).size() > 1000);
        }
    }

    void mapTsneRepulsionIsChosen()
    {
        const QString csv = m_dir.filePath("map-tsne.csv");
        for (const QString repulsion : {"bh", "fft"}) {
            const Result r = runCli(libraryArgs("map") << "--method"
                                                       << "tsne"
                                                       << "--tsne-repulsion" << repulsion << "--iterations"
                                                       << "100"
                                                       << "--out" << csv);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
            QCOMPARE(summary["tsne_repulsion"].toString(), repulsion);
            QCOMPARE(summary["iterations"].toInt(), 100);
            QCOMPARE(fileLines(csv).size(), m_photoCount + 1);
        }
        const Result bad = runCli(libraryArgs("map") << "--method"
                                                     << "tsne"
                                                     << "--tsne-repulsion"
                                                     << "quadratic"
                                                     << "--out" << csv);
        QVERIFY(bad.exitCode != 0);
        QVERIFY(bad.err.contains("tsne-repulsion"));
    }

    void anEmptyLibraryIsRefusedWithAReason()
    {
        const Result r = runCli({"search", "--library", m_dir.filePath("empty"), "cat"});
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.err.contains("run index first"));
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliLibrary)
#include "tst_cli_library.moc"
