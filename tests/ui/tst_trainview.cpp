// The training view against the real trainer: short runs of the "tiny" preset on a 64-photo shapes world,
// on the CPU. A run started from the view fills the curve model (and the charts through their mappers, the
// recall chart at the evaluated steps only) and
// ends with a model folder that ClipModel::load takes; pause then resume continues the step numbers from the
// checkpoint; bad data comes back as a message and the view is usable again; "Use this model" has the
// controller load the result; fine-tuning starts from the controller's model; a shapes world is drawn when
// its folder has none. And TrainingCurveModel on its own, under QAbstractItemModelTester.

#include "library/librarycontroller.h"
#include "train/trainingcurvemodel.h"
#include "train/trainview.h"

#include "lodestone/clipmodel.h"
#include "lodestone/shapesworld.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXYSeries>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace lodestone;
using namespace lodestone::ui;

namespace {

constexpr int LongWaitMs = 60000; // a run of a few steps, a model load, on a shared CPU

TrainProgress report(int64_t step, double loss, double scale = 14.3, double lr = 1e-4, double recall = -1)
{
    TrainProgress p;
    p.step = step;
    p.totalSteps = 100;
    p.loss = loss;
    p.logitScale = scale;
    p.learningRate = lr;
    p.recallAt1 = recall;
    p.recallAt5 = recall;
    return p;
}

} // namespace

class TestTrainView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void curveModelAppends();
    void curveModelDropsRedoneSteps();
    void defaultsShown();
    void missingCsvReportsError();
    void shortRunFinishesWithModel();
    void useThisModelLoadsIt();
    void pauseThenResumeContinues();
    void resumeRunLeftInFolder();
    void fineTuneStartsFromCurrentModel();
    void shapesWorldDrawnWhenMissing();

private:
    // The view set up for a short run of `steps` steps on the test's shapes world into `outDir`.
    void configure(int steps, const QString &outDir);
    // Starts (or resumes) and waits for the run to finish; fails the test on an error.
    QString runToEnd(bool resume = false);

    QTemporaryDir m_dir;
    QString m_world;
    QString m_lastModel;
    std::unique_ptr<LibraryController> m_controller;
    std::unique_ptr<TrainView> m_view;
};

void TestTrainView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_world = m_dir.filePath(QStringLiteral("world"));
    ShapesWorldOptions options;
    options.trainCount = 64;
    options.testCount = 8;
    options.seed = 7;
    writeShapesWorld(m_world.toStdString(), options);
    m_controller = std::make_unique<LibraryController>(m_dir.filePath(QStringLiteral("library")));
    m_controller->setDevice(QStringLiteral("cpu"));
}

void TestTrainView::cleanupTestCase()
{
    m_controller.reset();
}

void TestTrainView::init()
{
    m_view = std::make_unique<TrainView>(m_controller.get());
    m_view->resize(1100, 760);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestTrainView::cleanup()
{
    m_view.reset(); // cancels and waits for a run still going
}

void TestTrainView::configure(int steps, const QString &outDir)
{
    m_view->setDataKind(TrainView::DataKind::ShapesWorld);
    m_view->setDataPath(m_world);
    m_view->findChild<QComboBox *>(QStringLiteral("archCombo"))->setCurrentText(QStringLiteral("tiny"));
    m_view->findChild<QComboBox *>(QStringLiteral("lengthCombo"))->setCurrentIndex(1); // steps
    m_view->findChild<QSpinBox *>(QStringLiteral("stepsSpin"))->setValue(steps);
    m_view->findChild<QSpinBox *>(QStringLiteral("batchSpin"))->setValue(8);
    m_view->findChild<QSpinBox *>(QStringLiteral("warmupSpin"))->setValue(2);
    auto *device = m_view->findChild<QComboBox *>(QStringLiteral("deviceCombo"));
    device->setCurrentIndex(device->findData(QStringLiteral("cpu")));
    m_view->setOutputFolder(outDir);
}

QString TestTrainView::runToEnd(bool resume)
{
    QSignalSpy finished(m_view.get(), &TrainView::trainingFinished);
    QSignalSpy error(m_view.get(), &TrainView::errorOccurred);
    if (resume)
        m_view->resume();
    else
        m_view->findChild<QPushButton *>(QStringLiteral("startButton"))->click();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !error.isEmpty(), LongWaitMs); }();
    if (!error.isEmpty()) {
        qWarning("%s", qPrintable(error.value(0).value(0).toString()));
        return {};
    }
    return finished.value(0).value(0).toString();
}

void TestTrainView::curveModelAppends()
{
    TrainingCurveModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(TrainingCurveModel::ColumnCount));
    QCOMPARE(model.columnCount(), 5);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    model.append({report(1, 2.0), report(2, 1.8), report(3, 1.5, 15.0, 2e-4)});
    QCOMPARE(inserted.count(), 1); // one batch, one insertion
    QCOMPARE(model.rowCount(), 3);
    model.append(report(4, 1.2, 14.3, 1e-4, /*recall=*/0.25));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(2, TrainingCurveModel::StepColumn).data().toLongLong(), qint64(3));
    QCOMPARE(model.index(2, TrainingCurveModel::LossColumn).data().toDouble(), 1.5);
    QCOMPARE(model.index(2, TrainingCurveModel::LogitScaleColumn).data().toDouble(), 15.0);
    QCOMPARE(model.index(2, TrainingCurveModel::LearningRateColumn).data().toDouble(), 2e-4);
    // Recall only where evaluated: no value elsewhere.
    QVERIFY(!model.index(2, TrainingCurveModel::RecallColumn).data().isValid());
    QVERIFY(std::isnan(model.valueAt(2, TrainingCurveModel::RecallColumn)));
    QCOMPARE(model.index(3, TrainingCurveModel::RecallColumn).data().toDouble(), 0.25);
    QCOMPARE(model.range(TrainingCurveModel::RecallColumn), std::make_pair(0.25, 0.25));
    QVERIFY(!model.headerData(TrainingCurveModel::RecallColumn, Qt::Horizontal).toString().isEmpty());
    QVERIFY(!model.headerData(TrainingCurveModel::LossColumn, Qt::Horizontal).toString().isEmpty());
    QCOMPARE(model.lastStep(), qint64(4));
    QCOMPARE(model.range(TrainingCurveModel::LossColumn), std::make_pair(1.2, 2.0));
    QCOMPARE(model.range(TrainingCurveModel::StepColumn), std::make_pair(1.0, 4.0));

    model.append(QList<TrainProgress>{}); // nothing
    QCOMPARE(model.rowCount(), 4);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.lastStep(), qint64(0));
    QCOMPARE(model.range(TrainingCurveModel::LossColumn), std::make_pair(0.0, 0.0));
}

void TestTrainView::curveModelDropsRedoneSteps()
{
    TrainingCurveModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append({report(1, 3.0), report(2, 2.5), report(3, 2.0), report(4, 1.9), report(5, 1.8)});
    // A resumed run whose checkpoint was at step 3 reports step 4 again: the old 4 and 5 go.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.append({report(4, 1.7), report(5, 1.6), report(6, 1.5)});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 6);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.stepAt(row), qint64(row + 1));
    QCOMPARE(model.valueAt(3, TrainingCurveModel::LossColumn), 1.7);
    // Out-of-order steps inside a batch are dropped, keeping the steps increasing.
    model.append({report(7, 1.4), report(7, 9.0), report(8, 1.3)});
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.valueAt(6, TrainingCurveModel::LossColumn), 1.4);
}

void TestTrainView::defaultsShown()
{
    const TrainConfig defaults;
    QCOMPARE(m_view->findChild<QSpinBox *>(QStringLiteral("batchSpin"))->value(), defaults.batchSize);
    QCOMPARE(m_view->findChild<QSpinBox *>(QStringLiteral("warmupSpin"))->value(), int(defaults.warmupSteps));
    QCOMPARE(m_view->findChild<QSpinBox *>(QStringLiteral("evalEverySpin"))->value(), 50);
    QCOMPARE(m_view->trainConfig().evalEverySteps, int64_t(50));
    QVERIFY(m_view->findChild<QCheckBox *>(QStringLiteral("augmentCheck"))->isChecked());
    const TrainConfig shown = m_view->trainConfig();
    QCOMPARE(shown.learningRate, defaults.learningRate);
    QCOMPARE(shown.batchSize, defaults.batchSize);
    QCOMPARE(shown.seed, defaults.seed);
    QCOMPARE(shown.arch, defaults.arch);
    QVERIFY(shown.loss == defaults.loss);
    QVERIFY(shown.composition == defaults.composition);
    QVERIFY(shown.init.empty());
    // The output folder defaults to a timestamped run under the application's data folder.
    const QString runs = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                             .filePath(QStringLiteral("runs"));
    QVERIFY2(QDir::fromNativeSeparators(m_view->outputFolder()).startsWith(runs),
             qPrintable(m_view->outputFolder()));
    // No model loaded yet: fine-tuning cannot be chosen.
    QVERIFY(!m_view->findChild<QRadioButton *>(QStringLiteral("fineTuneRadio"))->isEnabled());

    m_view->setDataKind(TrainView::DataKind::CaptionsCsv);
    m_view->setDataPath(QStringLiteral("/data/captions.csv"));
    m_view->setDataKind(TrainView::DataKind::Folders);
    QVERIFY(m_view->dataPath().isEmpty()); // each kind keeps its own path
    m_view->setDataPath(QStringLiteral("/data/labelled"));
    QCOMPARE(m_view->trainConfig().dataSpecs, std::vector<std::string>{"folders:/data/labelled"});
    m_view->setDataKind(TrainView::DataKind::CaptionsCsv);
    QCOMPARE(m_view->dataPath(), QStringLiteral("/data/captions.csv"));
    QCOMPARE(m_view->trainConfig().dataSpecs, std::vector<std::string>{"csv:/data/captions.csv"});
}

void TestTrainView::missingCsvReportsError()
{
    configure(4, m_dir.filePath(QStringLiteral("run-bad")));
    m_view->setDataKind(TrainView::DataKind::CaptionsCsv);
    m_view->setDataPath(m_dir.filePath(QStringLiteral("no-such-captions.csv")));
    QSignalSpy error(m_view.get(), &TrainView::errorOccurred);
    QSignalSpy finished(m_view.get(), &TrainView::trainingFinished);
    m_view->start();
    QTRY_VERIFY_WITH_TIMEOUT(!error.isEmpty(), LongWaitMs);
    QVERIFY2(error.value(0).value(0).toString().contains(QStringLiteral("no-such-captions.csv")),
             qPrintable(error.value(0).value(0).toString()));
    QVERIFY(finished.isEmpty());
    QCOMPARE(m_view->state(), TrainView::State::Idle);
    QVERIFY(!m_view->isRunning());
    QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("startButton"))->isEnabled());
    QVERIFY(m_view->findChild<QComboBox *>(QStringLiteral("dataKindCombo"))->isEnabled());
    QVERIFY(!m_view->findChild<QPushButton *>(QStringLiteral("useModelButton"))->isEnabled());

    // Usable again: an empty path is refused at once, then good data trains.
    m_view->setDataPath(QString());
    m_view->start();
    QCOMPARE(error.count(), 2);
    QVERIFY(!m_view->isRunning());
    m_view->setDataKind(TrainView::DataKind::ShapesWorld);
    m_view->findChild<QSpinBox *>(QStringLiteral("stepsSpin"))->setValue(2);
    QVERIFY(!runToEnd().isEmpty());
}

void TestTrainView::shortRunFinishesWithModel()
{
    const int steps = 6;
    configure(steps, m_dir.filePath(QStringLiteral("run-short")));
    m_view->findChild<QSpinBox *>(QStringLiteral("evalEverySpin"))->setValue(2);
    QSignalSpy started(m_view.get(), &TrainView::trainingStarted);
    QSignalSpy progressed(m_view.get(), &TrainView::progressed);
    const QString modelDir = runToEnd();
    QVERIFY(!modelDir.isEmpty());
    QCOMPARE(started.count(), 1);
    QVERIFY(!progressed.isEmpty());
    QCOMPARE(progressed.last().value(0).toLongLong(), qint64(steps));
    QCOMPARE(progressed.last().value(1).toLongLong(), qint64(steps));

    // Every step is a row with a finite loss and logit scale.
    TrainingCurveModel *curve = m_view->curveModel();
    QAbstractItemModelTester tester(curve, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(curve->rowCount(), steps);
    for (int row = 0; row < curve->rowCount(); ++row) {
        QCOMPARE(curve->stepAt(row), qint64(row + 1));
        QVERIFY(std::isfinite(curve->valueAt(row, TrainingCurveModel::LossColumn)));
        QVERIFY(curve->valueAt(row, TrainingCurveModel::LossColumn) > 0);
        QVERIFY(std::isfinite(curve->valueAt(row, TrainingCurveModel::LogitScaleColumn)));
        QVERIFY(curve->valueAt(row, TrainingCurveModel::LearningRateColumn) > 0);
    }
    // The charts follow the model.
    for (const char *name : {"lossChart", "scaleChart"}) {
        auto *chartView = m_view->findChild<QChartView *>(QLatin1String(name));
        QVERIFY(chartView);
        QCOMPARE(chartView->chart()->series().size(), 1);
        auto *series = qobject_cast<QXYSeries *>(chartView->chart()->series().first());
        QVERIFY(series);
        QCOMPARE(series->count(), steps);
        QCOMPARE(series->at(steps - 1).x(), double(steps));
    }
    // Held-out recall at steps 2, 4 and 6, on the rows of those steps and on the recall chart.
    for (int row = 0; row < curve->rowCount(); ++row) {
        const double recall = curve->valueAt(row, TrainingCurveModel::RecallColumn);
        if (curve->stepAt(row) % 2 == 0)
            QVERIFY2(recall >= 0 && recall <= 1, qPrintable(QString::number(recall)));
        else
            QVERIFY(std::isnan(recall));
    }
    auto *recallView = m_view->findChild<QChartView *>(QStringLiteral("recallChart"));
    QVERIFY(recallView);
    auto *recallSeries = qobject_cast<QXYSeries *>(recallView->chart()->series().value(0));
    QVERIFY(recallSeries);
    QCOMPARE(recallSeries->count(), steps / 2);
    for (int i = 0; i < recallSeries->count(); ++i) {
        QCOMPARE(recallSeries->at(i).x(), double(2 * (i + 1)));
        QVERIFY(recallSeries->at(i).y() >= 0 && recallSeries->at(i).y() <= 1);
    }

    QCOMPARE(m_view->state(), TrainView::State::Idle);
    QCOMPARE(m_view->modelDir(), modelDir);
    QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("useModelButton"))->isEnabled());
    QVERIFY(!m_view->findChild<QPushButton *>(QStringLiteral("resumeButton"))->isEnabled());
    LoadOptions load;
    load.device = "cpu";
    const ClipModel model = ClipModel::load(modelDir.toStdString(), load);
    QCOMPARE(QString::fromStdString(model.config().name), QStringLiteral("tiny"));
    QVERIFY(model.hasTokenizer());
    m_lastModel = modelDir;
}

void TestTrainView::useThisModelLoadsIt()
{
    if (m_lastModel.isEmpty())
        QSKIP("needs the model of shortRunFinishesWithModel");
    configure(2, m_dir.filePath(QStringLiteral("run-use")));
    const QString modelDir = runToEnd();
    QVERIFY(!modelDir.isEmpty());
    QSignalSpy loaded(m_controller.get(), &LibraryController::modelLoaded);
    QSignalSpy failed(m_controller.get(), &LibraryController::modelFailed);
    m_view->findChild<QPushButton *>(QStringLiteral("useModelButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() || !failed.isEmpty(), LongWaitMs);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QCOMPARE(m_controller->modelSummary().path, modelDir);
    // With a model, fine-tuning can be chosen.
    QVERIFY(m_view->findChild<QRadioButton *>(QStringLiteral("fineTuneRadio"))->isEnabled());
}

void TestTrainView::pauseThenResumeContinues()
{
    const QString outDir = m_dir.filePath(QStringLiteral("run-paused"));
    configure(2000, outDir);
    QSignalSpy paused(m_view.get(), &TrainView::trainingPaused);
    QSignalSpy error(m_view.get(), &TrainView::errorOccurred);
    m_view->start();
    TrainingCurveModel *curve = m_view->curveModel();
    QAbstractItemModelTester tester(curve, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(curve->rowCount() >= 3 || !error.isEmpty(), LongWaitMs);
    QVERIFY2(error.isEmpty(), qPrintable(error.value(0).value(0).toString()));
    m_view->findChild<QPushButton *>(QStringLiteral("pauseButton"))->click();
    QCOMPARE(m_view->state(), TrainView::State::Pausing);
    QTRY_VERIFY_WITH_TIMEOUT(!paused.isEmpty(), LongWaitMs);
    QCOMPARE(m_view->state(), TrainView::State::Paused);
    QVERIFY(!m_view->isRunning());
    const qint64 pausedAt = paused.value(0).value(0).toLongLong();
    QVERIFY(pausedAt >= 3 && pausedAt < 2000);
    QCOMPARE(curve->lastStep(), pausedAt);
    QVERIFY(QFileInfo::exists(outDir + QStringLiteral("/checkpoints/latest")));
    QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("resumeButton"))->isEnabled());
    QVERIFY(!m_view->findChild<QPushButton *>(QStringLiteral("startButton"))->isEnabled());
    QVERIFY(!m_view->findChild<QPushButton *>(QStringLiteral("pauseButton"))->isEnabled());

    // Resume: the same folder, the step numbers carry on from the checkpoint.
    QSignalSpy started(m_view.get(), &TrainView::trainingStarted);
    QSignalSpy progressed(m_view.get(), &TrainView::progressed);
    m_view->findChild<QPushButton *>(QStringLiteral("resumeButton"))->click();
    QCOMPARE(started.count(), 1);
    QCOMPARE(m_view->state(), TrainView::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(curve->lastStep() >= pausedAt + 2 || !error.isEmpty(), LongWaitMs);
    QVERIFY2(error.isEmpty(), qPrintable(error.value(0).value(0).toString()));
    QVERIFY(!progressed.isEmpty());
    QVERIFY(progressed.first().value(0).toLongLong() > pausedAt);
    QCOMPARE(progressed.first().value(1).toLongLong(), qint64(2000)); // the same schedule
    for (int row = 0; row < curve->rowCount(); ++row)
        QCOMPARE(curve->stepAt(row), qint64(row + 1)); // no gap, no step twice

    // Stop: the run ends, and its latest checkpoint is the model.
    QSignalSpy finished(m_view.get(), &TrainView::trainingFinished);
    m_view->findChild<QPushButton *>(QStringLiteral("stopButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), LongWaitMs);
    QCOMPARE(m_view->state(), TrainView::State::Idle);
    const QString modelDir = finished.value(0).value(0).toString();
    QVERIFY2(modelDir.startsWith(outDir + QStringLiteral("/checkpoints/")), qPrintable(modelDir));
    LoadOptions load;
    load.device = "cpu";
    QVERIFY(ClipModel::load(modelDir.toStdString(), load).hasTokenizer());
    QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("useModelButton"))->isEnabled());
    // The run is unfinished (no model/): it can still be resumed from its folder.
    QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("resumeButton"))->isEnabled());
}

void TestTrainView::resumeRunLeftInFolder()
{
    // A fresh view (a later session) on the folder of the run stopped above: Resume continues it, with the
    // logged steps of metrics.jsonl charted again.
    const QString outDir = m_dir.filePath(QStringLiteral("run-paused"));
    if (!QFileInfo::exists(outDir + QStringLiteral("/checkpoints/latest")))
        QSKIP("needs the run of pauseThenResumeContinues");
    configure(2000, outDir);
    auto *resume = m_view->findChild<QPushButton *>(QStringLiteral("resumeButton"));
    QVERIFY(resume->isEnabled());
    QSignalSpy progressed(m_view.get(), &TrainView::progressed);
    QSignalSpy error(m_view.get(), &TrainView::errorOccurred);
    resume->click();
    TrainingCurveModel *curve = m_view->curveModel();
    QVERIFY(curve->rowCount() >= 1);
    QCOMPARE(curve->stepAt(0), qint64(1)); // metrics.jsonl logs step 1
    QTRY_VERIFY_WITH_TIMEOUT(!progressed.isEmpty() || !error.isEmpty(), LongWaitMs);
    QVERIFY2(error.isEmpty(), qPrintable(error.value(0).value(0).toString()));
    QVERIFY(progressed.first().value(0).toLongLong() > 3);
    QCOMPARE(curve->stepAt(0), qint64(1));
    QSignalSpy finished(m_view.get(), &TrainView::trainingFinished);
    m_view->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), LongWaitMs);
}

void TestTrainView::fineTuneStartsFromCurrentModel()
{
    if (!m_controller->hasModel())
        QSKIP("needs the model loaded by useThisModelLoadsIt");
    configure(2, m_dir.filePath(QStringLiteral("run-tuned")));
    auto *fineTune = m_view->findChild<QRadioButton *>(QStringLiteral("fineTuneRadio"));
    QVERIFY(fineTune->isEnabled());
    fineTune->setChecked(true);
    m_view->findChild<QCheckBox *>(QStringLiteral("lockImageCheck"))->setChecked(true);
    const TrainConfig config = m_view->trainConfig();
    QCOMPARE(QString::fromStdString(config.init), m_controller->modelSummary().path);
    QVERIFY(config.lockImageTower);
    QVERIFY(!config.lockTextTower);
    const QString modelDir = runToEnd();
    QVERIFY(!modelDir.isEmpty());
    QCOMPARE(m_view->curveModel()->lastStep(), qint64(2));
}

void TestTrainView::shapesWorldDrawnWhenMissing()
{
    const QString world = m_dir.filePath(QStringLiteral("drawn-world"));
    configure(2, m_dir.filePath(QStringLiteral("run-drawn")));
    m_view->setDataPath(world);
    m_view->setShapesPhotoCount(24);
    const QString modelDir = runToEnd();
    QVERIFY(!modelDir.isEmpty());
    const ShapesWorldSummary summary = readShapesWorld(world.toStdString());
    QCOMPARE(summary.trainCount, 24);
}

QTEST_MAIN(TestTrainView)
#include "tst_trainview.moc"
