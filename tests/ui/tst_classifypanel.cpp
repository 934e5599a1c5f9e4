// The classification panel against a real library: a folder of photos indexed with a tiny model, labels typed
// and run, the grid labelled and filtered, the counts charted, the CSV written; and LabelCountModel on its
// own.

#include "uitestsupport.h"

#include "classify/classifypanel.h"
#include "classify/labelcountmodel.h"
#include "grid/photogridmodel.h"
#include "library/librarycontroller.h"
#include "thumbnails/thumbnailloader.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHorizontalBarSeries>
#include <QPushButton>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace lodestone;
using namespace lodestone::ui;

namespace {

constexpr int LongWaitMs = 60000; // model load, indexing and classification on a shared CPU

std::shared_ptr<const Classification> makeClassification(std::vector<std::string> labels,
                                                         const std::vector<int> &labelOfPhoto)
{
    auto classification = std::make_shared<Classification>();
    classification->labels = std::move(labels);
    int64_t id = 1;
    for (int label : labelOfPhoto) {
        PhotoLabel photo;
        photo.photoId = id++;
        photo.labelIndex = label;
        photo.probability = 0.5f;
        classification->photos.push_back(photo);
    }
    return classification;
}

} // namespace

class TestClassifyPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void labelCountModelCounts();
    void labelCountModelUpdates();
    void runButtonNeedsModel();
    void classifyLabelsEveryPhoto();
    void chartFollowsCounts();
    void filterShowsOneLabel();
    void newLabelsResetFilter();
    void exportCsvWritesEveryPhoto();
    void exportCsvReportsUnwritablePath();
    void selectionRunLabelsOnlySelection();
    void emptySelectionIsAnError();
    void malformedRunReportsError();
    void templatesAndThresholdReachRequest();
    void storedLabelsShownAtStartup();

private:
    // Runs the panel and waits for the controller to finish; fails the test on an error.
    void runAndWait(bool selectionOnly = false);

    QTemporaryDir m_dir;
    test::UiFixture m_fixture;
    std::unique_ptr<LibraryController> m_controller;
    std::unique_ptr<ThumbnailLoader> m_thumbnails;
    std::unique_ptr<PhotoGridModel> m_grid;
    std::unique_ptr<ClassifyPanel> m_panel;
};

void TestClassifyPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_fixture = test::makeUiFixture(m_dir.filePath(QStringLiteral("fixture")));

    m_controller = std::make_unique<LibraryController>(m_dir.filePath(QStringLiteral("library")));
    m_controller->setDevice(QStringLiteral("cpu"));
    m_thumbnails = std::make_unique<ThumbnailLoader>(m_dir.filePath(QStringLiteral("thumbnails")));
    m_grid = std::make_unique<PhotoGridModel>(m_thumbnails.get());
    // What the window does: the grid shows the snapshot's photos and the controller's classification.
    connect(m_controller.get(), &LibraryController::snapshotReady, m_grid.get(), [this] {
        m_grid->setSnapshot(m_controller->snapshot());
        m_grid->setClassification(m_controller->classification());
    });
    connect(m_controller.get(), &LibraryController::classificationFinished, m_grid.get(),
            [this] { m_grid->setClassification(m_controller->classification()); });
    m_panel = std::make_unique<ClassifyPanel>(m_controller.get(), m_grid.get());
    m_panel->resize(360, 720);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));

    QSignalSpy modelFailed(m_controller.get(), &LibraryController::modelFailed);
    m_controller->loadModel(m_fixture.model);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->hasModel() || !modelFailed.isEmpty(), LongWaitMs);
    QVERIFY2(modelFailed.isEmpty(), qPrintable(modelFailed.value(0).value(0).toString()));

    QSignalSpy indexed(m_controller.get(), &LibraryController::indexFinished);
    QSignalSpy indexFailed(m_controller.get(), &LibraryController::indexFailed);
    QVERIFY(m_controller->addFolders({m_fixture.photos}).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!indexed.isEmpty() || !indexFailed.isEmpty(), LongWaitMs);
    QVERIFY2(indexFailed.isEmpty(), qPrintable(indexFailed.value(0).value(0).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isIndexing(), LongWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_grid->totalPhotos(), m_fixture.photoCount, LongWaitMs);
}

void TestClassifyPanel::cleanupTestCase()
{
    m_panel.reset();
    m_grid.reset();
    m_thumbnails.reset();
    m_controller.reset();
}

void TestClassifyPanel::runAndWait(bool selectionOnly)
{
    QSignalSpy finished(m_controller.get(), &LibraryController::classificationFinished);
    QSignalSpy error(m_panel.get(), &ClassifyPanel::errorOccurred);
    m_panel->run(selectionOnly);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !error.isEmpty(), LongWaitMs);
    QVERIFY2(error.isEmpty(), qPrintable(error.value(0).value(0).toString()));
    QVERIFY(!m_panel->isRunning());
}

void TestClassifyPanel::labelCountModelCounts()
{
    LabelCountModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 2);

    model.setClassification(makeClassification({"cat", "dog", "bird"}, {0, 1, 1, -1, 1, 0, -1, -1, -1}));
    QCOMPARE(model.rowCount(), 4); // three labels, then "None of these"
    const QStringList names = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    const QList<qint64> counts = {2, 3, 0, 4};
    for (int row = 0; row < 3; ++row)
        QCOMPARE(model.index(row, LabelCountModel::LabelColumn).data().toString(), names[row]);
    QVERIFY(!model.index(3, LabelCountModel::LabelColumn).data().toString().isEmpty());
    for (int row = 0; row < 4; ++row) {
        QCOMPARE(model.index(row, LabelCountModel::CountColumn).data().toLongLong(), counts[row]);
        QCOMPARE(model.countAt(row), counts[row]);
        QCOMPARE(model.index(row, 0).data(LabelCountModel::LabelIndexRole).toInt(), row < 3 ? row : -1);
    }
    QCOMPARE(model.labelIndexOfRow(3), PhotoGridModel::NoneOfTheseFilter);
    QCOMPARE(model.totalCount(), qint64(9));
    QCOMPARE(model.maxCount(), qint64(4));

    model.setClassification(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), qint64(0));
}

void TestClassifyPanel::labelCountModelUpdates()
{
    LabelCountModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClassification(makeClassification({"a", "b"}, {0, 0, 1}));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // The same counts again (a fresh snapshot): nothing happens.
    model.setClassification(makeClassification({"a", "b"}, {0, 0, 1}));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 0);

    // The same labels, other counts: only the count column changes.
    model.setClassification(makeClassification({"a", "b"}, {1, 1, 1, -1}));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].value<QModelIndex>().column(), int(LabelCountModel::CountColumn));
    QCOMPARE(model.countAt(0), qint64(0));
    QCOMPARE(model.countAt(1), qint64(3));
    QCOMPARE(model.countAt(2), qint64(1));

    // Other labels: a reset with the new rows.
    model.setClassification(makeClassification({"x", "y", "z"}, {2}));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.countAt(2), qint64(1));
}

void TestClassifyPanel::runButtonNeedsModel()
{
    // A library without a model: the button is off and says why.
    LibraryController bare(m_dir.filePath(QStringLiteral("bare-library")));
    PhotoGridModel grid(m_thumbnails.get());
    ClassifyPanel panel(&bare, &grid);
    auto *button = panel.findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(button);
    QVERIFY(!button->isEnabled());

    // With the model: on, off while running (clicked like a user), on again when done.
    auto *ready = m_panel->findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(ready);
    QVERIFY(ready->isEnabled());
    m_panel->setLabels({QStringLiteral("red"), QStringLiteral("blue")});
    QSignalSpy finished(m_controller.get(), &LibraryController::classificationFinished);
    QTest::mouseClick(ready, Qt::LeftButton);
    QVERIFY(m_panel->isRunning());
    QVERIFY(!ready->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), LongWaitMs);
    QVERIFY(!m_panel->isRunning());
    QVERIFY(ready->isEnabled());
}

void TestClassifyPanel::classifyLabelsEveryPhoto()
{
    m_panel->setLabels({QStringLiteral("red"), QStringLiteral("blue"), QStringLiteral("green")});
    m_panel->setTemplates(QStringLiteral("default"));
    m_panel->setThreshold(0);
    runAndWait();
    if (QTest::currentTestFailed())
        return;

    const auto classification = m_controller->classification();
    QVERIFY(classification);
    QCOMPARE(classification->labels, (std::vector<std::string>{"red", "blue", "green"}));
    QCOMPARE(int(classification->photos.size()), m_fixture.photoCount);

    // Every photo of the grid carries a label (threshold 0: never "none of these").
    QCOMPARE(m_grid->rowCount(), m_fixture.photoCount);
    for (int row = 0; row < m_grid->rowCount(); ++row) {
        const QVariant label = m_grid->index(row).data(PhotoGridModel::LabelIndexRole);
        QVERIFY2(label.isValid(), qPrintable(QStringLiteral("row %1 has no label").arg(row)));
        QVERIFY(label.toInt() >= 0 && label.toInt() < 3);
    }

    LabelCountModel *counts = m_panel->labelCounts();
    QAbstractItemModelTester tester(counts, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(counts->rowCount(), 4);
    QCOMPARE(counts->totalCount(), qint64(m_fixture.photoCount));
    QCOMPARE(counts->countAt(3), qint64(0));
    for (int row = 0; row < 3; ++row) {
        int inGrid = 0;
        for (int r = 0; r < m_grid->rowCount(); ++r)
            inGrid += m_grid->index(r).data(PhotoGridModel::LabelIndexRole).toInt() == row;
        QCOMPARE(counts->countAt(row), qint64(inGrid));
    }

    // The filter offers "All photos", each label and "None of these".
    auto *filter = m_panel->findChild<QComboBox *>(QStringLiteral("filterCombo"));
    QVERIFY(filter);
    QCOMPARE(filter->count(), 5);
    QCOMPARE(filter->itemText(2), QStringLiteral("blue"));
    QVERIFY(filter->isEnabled());
}

void TestClassifyPanel::chartFollowsCounts()
{
    QVERIFY(m_controller->classification());
    const LabelCountModel *counts = m_panel->labelCounts();
    auto *view = m_panel->findChild<QChartView *>(QStringLiteral("countsChart"));
    QVERIFY(view);
    const QList<QAbstractSeries *> series = view->chart()->series();
    QCOMPARE(series.size(), 1);
    auto *bars = qobject_cast<QHorizontalBarSeries *>(series.first());
    QVERIFY(bars);
    QCOMPARE(bars->count(), 1); // one bar set: the count column
    // Bars bottom-up: "None of these" first, then the labels from the last typed to the first.
    const QBarSet *set = bars->barSets().first();
    const int rows = counts->rowCount();
    QCOMPARE(set->count(), rows);
    for (int row = 0; row < rows; ++row)
        QCOMPARE(qint64(set->at(rows - 1 - row)), counts->countAt(row));

    const auto axes = view->chart()->axes(Qt::Vertical);
    QCOMPARE(axes.size(), 1);
    auto *categories = qobject_cast<QBarCategoryAxis *>(axes.first());
    QVERIFY(categories);
    QCOMPARE(categories->count(), counts->rowCount());
    QCOMPARE(categories->at(rows - 1), QStringLiteral("red"));
    QCOMPARE(categories->at(rows - 2), QStringLiteral("blue"));
    QCOMPARE(categories->at(0), counts->index(rows - 1, LabelCountModel::LabelColumn).data().toString());

    // Clicking a bar shows only that label's photos: the top bar is the first label.
    Q_EMIT bars->clicked(rows - 1, bars->barSets().first());
    QCOMPARE(m_grid->labelFilter(), std::optional<int>(0));
    Q_EMIT bars->clicked(0, bars->barSets().first());
    QCOMPARE(m_grid->labelFilter(), std::optional<int>(PhotoGridModel::NoneOfTheseFilter));
    m_panel->setFilter(std::nullopt);
    QCOMPARE(m_grid->rowCount(), m_fixture.photoCount);

    // It paints.
    QVERIFY(!m_panel->grab().isNull());
}

void TestClassifyPanel::filterShowsOneLabel()
{
    const LabelCountModel *counts = m_panel->labelCounts();
    QVERIFY(counts->rowCount() > 1);
    int label = -1;
    for (int row = 0; row + 1 < counts->rowCount() && label < 0; ++row)
        if (counts->countAt(row) > 0)
            label = row;
    QVERIFY(label >= 0);

    m_panel->setFilter(label);
    QCOMPARE(m_grid->labelFilter(), std::optional<int>(label));
    QCOMPARE(qint64(m_grid->rowCount()), counts->countAt(label));
    QVERIFY(m_grid->rowCount() > 0);
    QVERIFY(m_grid->rowCount() <= m_fixture.photoCount);
    for (int row = 0; row < m_grid->rowCount(); ++row)
        QCOMPARE(m_grid->index(row).data(PhotoGridModel::LabelIndexRole).toInt(), label);
    auto *filter = m_panel->findChild<QComboBox *>(QStringLiteral("filterCombo"));
    QVERIFY(filter);
    QCOMPARE(filter->currentData().toInt(), label);

    // Choosing in the combo does the same; "None of these" is empty at threshold 0.
    const int noneItem = filter->count() - 1;
    filter->setCurrentIndex(noneItem);
    Q_EMIT filter->activated(noneItem);
    QCOMPARE(m_grid->labelFilter(), std::optional<int>(PhotoGridModel::NoneOfTheseFilter));
    QCOMPARE(m_grid->rowCount(), 0);

    m_panel->setFilter(std::nullopt);
    QVERIFY(!m_grid->labelFilter());
    QCOMPARE(m_grid->rowCount(), m_fixture.photoCount);
    QCOMPARE(filter->currentIndex(), 0);

    // A label that does not exist shows everything rather than nothing.
    m_panel->setFilter(17);
    QVERIFY(!m_grid->labelFilter());
    QCOMPARE(m_grid->rowCount(), m_fixture.photoCount);
}

void TestClassifyPanel::newLabelsResetFilter()
{
    m_panel->setFilter(0);
    QVERIFY(m_grid->labelFilter());
    m_panel->setLabels({QStringLiteral("a circle"), QStringLiteral("a square")});
    runAndWait();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!m_grid->labelFilter());
    QCOMPARE(m_grid->rowCount(), m_fixture.photoCount);
    auto *filter = m_panel->findChild<QComboBox *>(QStringLiteral("filterCombo"));
    QVERIFY(filter);
    QCOMPARE(filter->count(), 4);
    QCOMPARE(filter->itemText(1), QStringLiteral("a circle"));
    QCOMPARE(filter->currentIndex(), 0);
    QCOMPARE(m_panel->labelCounts()->rowCount(), 3);
    QCOMPARE(m_panel->labelCounts()->totalCount(), qint64(m_fixture.photoCount));
}

void TestClassifyPanel::exportCsvWritesEveryPhoto()
{
    QVERIFY(m_controller->classification());
    const QString path = m_dir.filePath(QStringLiteral("labels.csv"));
    QSignalSpy error(m_panel.get(), &ClassifyPanel::errorOccurred);
    QVERIFY(m_panel->exportCsv(path));
    QVERIFY(error.isEmpty());

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), m_fixture.photoCount + 1);
    QVERIFY2(lines.first().startsWith(QStringLiteral("path,label,probability")), qPrintable(lines.first()));
    QSet<QString> labels;
    for (const std::string &label : m_controller->classification()->labels)
        labels.insert(QString::fromStdString(label));
    labels.insert(QString()); // "none of these"
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines[i].split(QLatin1Char(','));
        QVERIFY2(fields.size() >= 3, qPrintable(lines[i]));
        QVERIFY2(labels.contains(fields[1]), qPrintable(lines[i]));
    }
}

void TestClassifyPanel::exportCsvReportsUnwritablePath()
{
    QSignalSpy error(m_panel.get(), &ClassifyPanel::errorOccurred);
    // A folder where the file should go cannot be written as a file.
    QVERIFY(!m_panel->exportCsv(m_dir.path()));
    QCOMPARE(error.count(), 1);
    QVERIFY(!error[0][0].toString().isEmpty());
}

void TestClassifyPanel::selectionRunLabelsOnlySelection()
{
    const auto snapshot = m_controller->snapshot();
    QVERIFY(snapshot);
    QVERIFY(int(snapshot->photos.size()) > 5);
    std::vector<int64_t> selected;
    for (int i = 1; i < 6; ++i)
        selected.push_back(snapshot->photos[i * 3 % snapshot->photos.size()].id);
    QSet<qint64> selectedSet(selected.begin(), selected.end());
    QCOMPARE(selectedSet.size(), 5);
    m_panel->setSelectionProvider([selected] { return selected; });

    m_panel->setLabels({QStringLiteral("red"), QStringLiteral("blue"), QStringLiteral("green")});
    runAndWait(/*selectionOnly=*/true);
    if (QTest::currentTestFailed())
        return;
    auto *scope = m_panel->findChild<QComboBox *>(QStringLiteral("scopeCombo"));
    QVERIFY(scope);
    QCOMPARE(scope->currentIndex(), 1);

    const auto classification = m_controller->classification();
    QVERIFY(classification);
    QCOMPARE(int(classification->photos.size()), 5);
    for (const PhotoLabel &photo : classification->photos)
        QVERIFY(selectedSet.contains(photo.photoId));
    QCOMPARE(m_panel->labelCounts()->totalCount(), qint64(5));

    int labelled = 0;
    for (int row = 0; row < m_grid->rowCount(); ++row) {
        const QModelIndex index = m_grid->index(row);
        const bool hasLabel = index.data(PhotoGridModel::LabelIndexRole).isValid();
        QCOMPARE(hasLabel, selectedSet.contains(index.data(PhotoGridModel::PhotoIdRole).toLongLong()));
        labelled += hasLabel;
    }
    QCOMPARE(labelled, 5);
    m_panel->setSelectionProvider({});
}

void TestClassifyPanel::emptySelectionIsAnError()
{
    m_panel->setSelectionProvider([] { return std::vector<int64_t>{}; });
    QSignalSpy error(m_panel.get(), &ClassifyPanel::errorOccurred);
    QSignalSpy finished(m_controller.get(), &LibraryController::classificationFinished);
    const auto before = m_controller->classification();
    m_panel->run(/*selectionOnly=*/true);
    QCOMPARE(error.count(), 1);
    QVERIFY(!m_panel->isRunning());
    QTest::qWait(200);
    QCOMPARE(finished.count(), 0);
    QVERIFY(m_controller->classification() == before); // nothing ran, the library was not relabelled
    m_panel->setSelectionProvider({});
}

void TestClassifyPanel::malformedRunReportsError()
{
    m_panel->setLabels({QStringLiteral("red")});
    QCOMPARE(m_panel->labels(), QStringList{QStringLiteral("red")});
    QSignalSpy error(m_panel.get(), &ClassifyPanel::errorOccurred);
    m_panel->run();
    QTRY_COMPARE(error.count(), 1); // the controller answers a malformed request at once
    QVERIFY(!error[0][0].toString().isEmpty());
    QVERIFY(!m_panel->isRunning());
    auto *button = m_panel->findChild<QPushButton *>(QStringLiteral("runButton"));
    QVERIFY(button);
    QVERIFY(button->isEnabled());
}

void TestClassifyPanel::templatesAndThresholdReachRequest()
{
    m_panel->setLabels({QStringLiteral("red"), QStringLiteral("blue"), QStringLiteral("green")});

    m_panel->setTemplates(QStringLiteral("none"));
    QCOMPARE(m_panel->templates(), QStringLiteral("none"));
    runAndWait();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_controller->classification()->templates.empty());

    const QString templateFile = m_dir.filePath(QStringLiteral("templates.txt"));
    {
        QFile file(templateFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Text));
        file.write("# two templates\na picture of {}\n{} in a photo\n");
    }
    m_panel->setTemplates(templateFile);
    QCOMPARE(m_panel->templates(), templateFile);
    m_panel->setThreshold(0.5);
    runAndWait();
    if (QTest::currentTestFailed())
        return;
    const auto classification = m_controller->classification();
    QCOMPARE(classification->templates, (std::vector<std::string>{"a picture of {}", "{} in a photo"}));
    QCOMPARE(classification->threshold, 0.5f);
    for (const PhotoLabel &photo : classification->photos) {
        if (photo.labelIndex < 0)
            QVERIFY(photo.probability < 0.5f);
        else
            QVERIFY(photo.probability >= 0.5f);
    }
    const LabelCountModel *counts = m_panel->labelCounts();
    QCOMPARE(counts->countAt(counts->rowCount() - 1),
             qint64(std::count_if(classification->photos.begin(), classification->photos.end(),
                                  [](const PhotoLabel &p) { return p.labelIndex < 0; })));

    m_panel->setTemplates(QStringLiteral("default"));
    m_panel->setThreshold(0);
    runAndWait();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_controller->classification()->templates.size() > 2);
}

void TestClassifyPanel::storedLabelsShownAtStartup()
{
    const auto classification = m_controller->classification();
    QVERIFY(classification);
    QStringList stored;
    for (const std::string &label : classification->labels)
        stored << QString::fromStdString(label);
    QVERIFY(!stored.isEmpty());

    ClassifyPanel fresh(m_controller.get(), m_grid.get());
    QCOMPARE(fresh.labels(), stored);
    QCOMPARE(fresh.labelCounts()->totalCount(), qint64(classification->photos.size()));
}

QTEST_MAIN(TestClassifyPanel)

#include "tst_classifypanel.moc"
