#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/evaluation.h"
#include "lodestone/shapesworld.h"
#include "lodestone/trainer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace lodestone;

namespace {

// The losses logged in a run's metrics.jsonl, by step.
std::map<int64_t, double> lossesOf(const std::string &runDir)
{
    std::map<int64_t, double> losses;
    std::ifstream in(runDir + "/metrics.jsonl");
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        losses[j.at("step").get<int64_t>()] = j.at("loss").get<double>();
    }
    return losses;
}

TrainConfig smallRun(const std::string &world, const std::string &out)
{
    TrainConfig c;
    c.dataSpecs = {"shapes:" + world};
    c.outDir = out;
    c.arch = "tiny";
    c.bpeVocabSize = 600;
    c.device = "cpu";
    c.steps = 6;
    c.batchSize = 16;
    c.warmupSteps = 2;
    c.seed = 11;
    c.workers = 2;
    c.logEverySteps = 1;
    c.checkpointEverySteps = 100;
    return c;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_world;

private Q_SLOTS:
    void initTestCase()
    {
        m_world = m_dir.filePath("world").toStdString();
        ShapesWorldOptions options;
        options.trainCount = 96;
        options.testCount = 40;
        options.seed = 4;
        options.holdout = parseHoldout("red:triangle");
        writeShapesWorld(m_world, options);
    }

    void resumeReproducesTheUninterruptedRun_data()
    {
        QTest::addColumn<QString>("composition");
        QTest::newRow("random batches") << "random";
        QTest::newRow("nearest-neighbour batches") << "neighbours";
    }

    void resumeReproducesTheUninterruptedRun()
    {
        QFETCH(QString, composition);
        auto configure = [&](const std::string &out) {
            TrainConfig c = smallRun(m_world, out);
            c.composition =
                composition == "neighbours" ? BatchComposition::Neighbours : BatchComposition::Random;
            c.steps = 8; // 96 / 16 = 6 batches an epoch: the run crosses an epoch boundary
            return c;
        };
        const std::string whole = m_dir.filePath("whole-" + composition).toStdString();
        const TrainResult full = Trainer(configure(whole)).run();
        QCOMPARE(full.steps, int64_t(8));
        QVERIFY(!full.modelDir.empty());

        // The same run stopped after step 3 (as Ctrl-C would), then resumed.
        const std::string split = m_dir.filePath("split-" + composition).toStdString();
        std::atomic<bool> stop{false};
        const TrainResult first =
            Trainer(configure(split)).run([&](const TrainProgress &p) { stop = p.step >= 3; }, &stop);
        QVERIFY(first.cancelled);
        QCOMPARE(first.steps, int64_t(3));
        TrainConfig again = configure(split);
        again.resume = true;
        const TrainResult second = Trainer(again).run();
        QCOMPARE(second.steps, int64_t(8));

        const auto expected = lossesOf(whole);
        const auto resumed = lossesOf(split);
        QCOMPARE(resumed.size(), size_t(8));
        for (const auto &[step, loss] : expected)
            QVERIFY2(resumed.at(step) == loss,
                     qPrintable(QString("step %1: %2 vs %3").arg(step).arg(resumed.at(step)).arg(loss)));

        // And the final weights agree.
        LoadOptions cpu;
        cpu.device = "cpu";
        const ClipModel a = ClipModel::load(full.modelDir, cpu);
        const ClipModel b = ClipModel::load(second.modelDir, cpu);
        QCOMPARE(a.encodeText({"a red circle"}).data, b.encodeText({"a red circle"}).data);
    }

    void corruptImagesAreSkippedAndCounted()
    {
        // A CSV source where one of the files is text named .jpg.
        const QString dir = m_dir.filePath("csv");
        QVERIFY(QDir().mkpath(dir));
        QFile::copy(QString::fromStdString(m_world + "/train/images/000000.png"), dir + "/good.png");
        QFile bad(dir + "/bad.jpg");
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a photo");
        bad.close();
        QFile csv(dir + "/captions.csv");
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("path,caption\n");
        for (int i = 0; i < 7; ++i)
            csv.write(QString("good.png,caption number %1\n").arg(i).toUtf8());
        csv.write("bad.jpg,a broken photo\n");
        csv.close();
        TrainConfig c = smallRun(m_world, m_dir.filePath("run-csv").toStdString());
        c.dataSpecs = {"csv:" + (dir + "/captions.csv").toStdString()};
        c.batchSize = 8;
        c.steps = 2;
        c.bpeVocabSize = 520;
        const TrainResult result = Trainer(c).run();
        QCOMPARE(result.steps, int64_t(2));
        QCOMPARE(result.failedImages, int64_t(2)); // the bad file, once per epoch
        QCOMPARE(result.skippedSteps, int64_t(0));
    }

    void evaluationReportsTheContractKeys()
    {
        TrainConfig c = smallRun(m_world, m_dir.filePath("run-eval").toStdString());
        c.steps = 2;
        const TrainResult trained = Trainer(c).run();
        LoadOptions cpu;
        cpu.device = "cpu";
        const ClipModel model = ClipModel::load(trained.modelDir, cpu);
        const EvalResult result = evaluate(model, "shapes:" + m_world);
        for (const char *key : {"i2t@1", "i2t@5", "i2t@10", "t2i@1", "t2i@5", "t2i@10"}) {
            QVERIFY2(result.recall.count(key), key);
            QVERIFY(result.recall.at(key) >= 0 && result.recall.at(key) <= 1);
        }
        QVERIFY(result.recall.at("i2t@1") <= result.recall.at("i2t@10"));
        for (const char *key : {"top1", "seen", "held_out", "colour", "shape"})
            QVERIFY2(result.zeroShot.count(key), key);
        QCOMPARE(result.images, int64_t(40));
        const auto json = nlohmann::json::parse(result.toJson());
        QVERIFY(json.contains("recall") && json.contains("zero_shot"));
    }

    void fineTuningLocksTowersAndEnsemblesWeights()
    {
        TrainConfig base = smallRun(m_world, m_dir.filePath("run-base").toStdString());
        base.steps = 2;
        const std::string initial = Trainer(base).run().modelDir;
        LoadOptions cpu;
        cpu.device = "cpu";
        const ClipModel start = ClipModel::load(initial, cpu);
        FloatArray pixels({1, 3, 64, 64});
        for (size_t i = 0; i < pixels.data.size(); ++i)
            pixels.data[i] = std::sin(float(i) * 0.3f);

        // The image tower locked: its features stay, the text tower's move.
        TrainConfig tune = smallRun(m_world, m_dir.filePath("run-tune").toStdString());
        tune.init = initial;
        tune.steps = 3;
        tune.lockImageTower = true;
        const ClipModel tuned = ClipModel::load(Trainer(tune).run().modelDir, cpu);
        QCOMPARE(tuned.encodeImage(pixels).data, start.encodeImage(pixels).data);
        QVERIFY(tuned.encodeText({"a red circle"}).data != start.encodeText({"a red circle"}).data);

        // Weight-space ensembling with alpha 0 gives back the initial weights.
        TrainConfig wise = tune;
        wise.outDir = m_dir.filePath("run-wise").toStdString();
        wise.lockImageTower = false;
        wise.wiseAlpha = 0.0;
        const ClipModel ensembled = ClipModel::load(Trainer(wise).run().modelDir, cpu);
        QCOMPARE(ensembled.encodeText({"a red circle"}).data, start.encodeText({"a red circle"}).data);
        QCOMPARE(ensembled.encodeImage(pixels).data, start.encodeImage(pixels).data);
    }

    void refusesBadConfiguration()
    {
        TrainConfig c = smallRun(m_world, m_dir.filePath("bad").toStdString());
        c.steps = 0;
        QVERIFY_THROWS_EXCEPTION(Error, Trainer(c).run());
        c = smallRun(m_world, m_dir.filePath("bad2").toStdString());
        c.batchSize = 1000;
        QVERIFY_THROWS_EXCEPTION(Error, Trainer(c).run());
        c = smallRun(m_world, m_dir.filePath("bad3").toStdString());
        c.dataSpecs = {"nonsense:/x"};
        QVERIFY_THROWS_EXCEPTION(Error, Trainer(c).run());
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
