#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/evaluation.h"
#include "lodestone/shapesworld.h"
#include "lodestone/trainer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>

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

    void periodicEvaluationReportsHeldOutRecall()
    {
        // Every second step: recall at steps 2, 4, 6 only, in progress and in metrics.jsonl.
        TrainConfig c = smallRun(m_world, m_dir.filePath("run-recall").toStdString());
        c.evalEverySteps = 2;
        std::map<int64_t, TrainProgress> reports;
        const TrainResult trained = Trainer(c).run([&](const TrainProgress &p) { reports[p.step] = p; });
        QCOMPARE(reports.size(), size_t(6));
        for (const auto &[step, p] : reports) {
            if (step % 2 == 0) {
                QVERIFY2(p.evaluated(), qPrintable(QString("step %1").arg(step)));
                QVERIFY(p.recallAt1 >= 0 && p.recallAt1 <= 1);
                QVERIFY(p.recallAt5 >= p.recallAt1 && p.recallAt5 <= 1);
            } else {
                QVERIFY2(!p.evaluated(), qPrintable(QString("step %1").arg(step)));
                QCOMPARE(p.recallAt1, -1.0);
                QCOMPARE(p.recallAt5, -1.0);
            }
        }
        std::map<int64_t, nlohmann::json> lines;
        std::ifstream in(c.outDir + "/metrics.jsonl");
        for (std::string line; std::getline(in, line);) {
            const auto j = nlohmann::json::parse(line);
            lines[j.at("step").get<int64_t>()] = j;
        }
        QCOMPARE(lines.size(), size_t(6));
        for (const auto &[step, j] : lines) {
            for (const char *key : {"recall_at_1", "recall_at_5", "recall_i2t@1", "recall_i2t@5",
                                    "recall_t2i@1", "recall_t2i@5"})
                QVERIFY2(j.contains(key) == (step % 2 == 0), key);
            if (step % 2 == 0)
                QCOMPARE(j.at("recall_at_1").get<double>(), reports.at(step).recallAt1);
            // The share of time spent waiting for data, logged with every line.
            const double wait = j.at("input_wait").get<double>();
            QVERIFY2(wait >= 0 && wait <= 1, qPrintable(QString("input_wait %1").arg(wait)));
            QCOMPARE(wait, reports.at(step).inputWaitFraction);
        }
        QVERIFY(trained.inputWaitFraction >= 0 && trained.inputWaitFraction <= 1);

        // The world's 40 test photos are all in the subset: the last evaluation measures the finished model
        // as evaluate() does (up to near ties, which the two break differently).
        LoadOptions cpu;
        cpu.device = "cpu";
        const EvalResult reference = evaluate(ClipModel::load(trained.modelDir, cpu), "shapes:" + m_world);
        for (const char *key : {"i2t@1", "i2t@5", "t2i@1", "t2i@5"}) {
            const double mine = lines.at(6).at(std::string("recall_") + key).get<double>();
            QVERIFY2(std::abs(mine - reference.recall.at(key)) <= 0.05,
                     qPrintable(QString("%1: %2 vs %3").arg(key).arg(mine).arg(reference.recall.at(key))));
        }
    }

    void evaluationLeavesTheTrainingUnchanged()
    {
        // The same seed with and without evaluation: the same losses at every step, the same weights.
        TrainConfig plain = smallRun(m_world, m_dir.filePath("run-plain").toStdString());
        TrainConfig evaluated = smallRun(m_world, m_dir.filePath("run-evaluated").toStdString());
        evaluated.evalEverySteps = 1;
        evaluated.evalSamples = 24;
        std::vector<double> plainLosses, evaluatedLosses;
        int evaluations = 0;
        const TrainResult a =
            Trainer(plain).run([&](const TrainProgress &p) { plainLosses.push_back(p.loss); });
        const TrainResult b = Trainer(evaluated).run([&](const TrainProgress &p) {
            evaluatedLosses.push_back(p.loss);
            evaluations += p.evaluated();
        });
        QCOMPARE(evaluations, 6);
        QCOMPARE(evaluatedLosses.size(), size_t(6));
        for (size_t i = 0; i < plainLosses.size(); ++i)
            QVERIFY2(
                evaluatedLosses.at(i) == plainLosses[i],
                qPrintable(
                    QString("step %1: %2 vs %3").arg(i + 1).arg(evaluatedLosses.at(i)).arg(plainLosses[i])));
        LoadOptions cpu;
        cpu.device = "cpu";
        QCOMPARE(ClipModel::load(a.modelDir, cpu).encodeText({"a red circle"}).data,
                 ClipModel::load(b.modelDir, cpu).encodeText({"a red circle"}).data);
    }

    void evaluationIsOffWithoutAHeldOutSplit()
    {
        // A CSV source has no test split: the run trains and reports no recall, without an error.
        TrainConfig c = smallRun(m_world, m_dir.filePath("run-csv-eval").toStdString());
        c.dataSpecs = {"csv:" + m_world + "/train/captions.csv"};
        c.steps = 2;
        c.evalEverySteps = 1;
        int evaluations = 0;
        const TrainResult result =
            Trainer(c).run([&](const TrainProgress &p) { evaluations += p.evaluated(); });
        QCOMPARE(result.steps, int64_t(2));
        QCOMPARE(evaluations, 0);
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
