// The main window under the offscreen platform, driven as a user would: folders dropped on it, a search
// typed, a photo dropped on the search field, labels typed and run, indexing cancelled, bad input given.
// Every item model it shows runs under QAbstractItemModelTester.

#include "classify/classifypanel.h"
#include "grid/photogridmodel.h"
#include "grid/photogridview.h"
#include "library/folderlistmodel.h"
#include "library/librarycontroller.h"
#include "map/mappointmodel.h"
#include "map/mapview.h"
#include "search/searchfield.h"
#include "settings/translations.h"
#include "train/trainview.h"
#include "uitestsupport.h"
#include "window/mainwindow.h"
#include "window/messagebar.h"
#include "window/statusarea.h"

#include "lodestone/library.h"

#include <QAbstractItemModelTester>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUrl>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace lodestone;
using namespace lodestone::ui;
using lodestone::test::shownIds;

namespace {

// Delivers a drop of local files on `target`, as the window system would after a drag.
void dropFiles(QWidget *target, const QStringList &paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    lodestone::test::UiFixture m_fixture;
    QString m_photos; // the fixture's photos plus one corrupt file

    // A window on a fresh library with the model loaded.
    struct Session {
        std::unique_ptr<LibraryController> controller;
        std::unique_ptr<MainWindow> window;
        std::unique_ptr<QAbstractItemModelTester> gridTester, folderTester;
    };
    std::unique_ptr<Session> openSession(const QString &name)
    {
        auto s = std::make_unique<Session>();
        s->controller = std::make_unique<LibraryController>(m_dir.filePath(name));
        s->window =
            std::make_unique<MainWindow>(s->controller.get(), Preferences{}, m_dir.filePath("thumbs"));
        s->gridTester = std::make_unique<QAbstractItemModelTester>(
            s->window->gridModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        s->folderTester = std::make_unique<QAbstractItemModelTester>(
            s->window->folderModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        s->window->resize(1000, 700);
        s->window->show();
        QSignalSpy loaded(s->controller.get(), &LibraryController::modelLoaded);
        s->controller->loadModel(m_fixture.model);
        if (!loaded.wait(60000))
            return nullptr;
        return s;
    }

    // Drops the photo folder on the window and waits until indexing is over and the grid shows it.
    void dropAndIndex(Session &s)
    {
        QSignalSpy finished(s.controller.get(), &LibraryController::indexFinished);
        dropFiles(s.window.get(), {m_photos});
        QVERIFY(finished.wait(120000));
        QTRY_COMPARE_WITH_TIMEOUT(s.window->gridModel()->rowCount(), m_fixture.photoCount, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_fixture = lodestone::test::makeUiFixture(m_dir.filePath("fixture"), 24);
        m_photos = m_fixture.photos;
        QFile corrupt(m_photos + "/zz-corrupt.jpg");
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write("\xFF\xD8\xFF this is not a JPEG");
    }

    void translationsAreBuiltIn()
    {
        // English needs its plural forms; German and French are built in too.
        QVERIFY(installTranslators(*QCoreApplication::instance(), QStringLiteral("en")));
        QCOMPARE(QCoreApplication::translate("lodestone::ui::MainWindow", "%n photo(s)", nullptr, 1),
                 QStringLiteral("1 photo"));
        QCOMPARE(QCoreApplication::translate("lodestone::ui::MainWindow", "%n photo(s)", nullptr, 2),
                 QStringLiteral("2 photos"));
        for (const char *language : {"de", "fr"})
            QVERIFY2(QFile::exists(QStringLiteral(":/i18n/lodestone_%1.qm").arg(QLatin1String(language))),
                     language);
    }

    void fitsALaptopScreen()
    {
        // Every tab, with both panels docked, fits a 1280-pixel-wide screen, also once a map with a probe is
        // drawn.
        auto s = openSession("lib-size");
        QVERIFY(s);
        dropAndIndex(*s);
        if (QTest::currentTestFailed())
            return;
        QSignalSpy classified(s->controller.get(), &LibraryController::classificationFinished);
        s->window->classifyPanel()->setLabels(
            {"a red shape", "a green shape", "a blue shape", "a yellow shape"});
        s->window->classifyPanel()->run();
        QVERIFY(classified.wait(30000));
        MapView *map = s->window->mapView();
        QSignalSpy computed(map, &MapView::computeFinished);
        QSignalSpy probed(map, &MapView::probeAdded);
        s->window->tabs()->setCurrentWidget(map);
        map->setMethod(MapMethod::Umap);
        map->compute();
        QVERIFY(computed.wait(60000));
        map->addProbe(QStringLiteral("a red circle - red + blue"));
        QVERIFY(probed.wait(60000));
        for (int tab = 0; tab < s->window->tabs()->count(); ++tab) {
            s->window->tabs()->setCurrentIndex(tab);
            const int needed = s->window->minimumSizeHint().width();
            QString parts;
            for (QWidget *child : s->window->tabs()->widget(tab)->findChildren<QWidget *>(
                     QString(), Qt::FindDirectChildrenOnly))
                parts += QStringLiteral(" %1:%2")
                             .arg(child->metaObject()->className())
                             .arg(child->minimumSizeHint().width());
            QVERIFY2(needed <= 1280,
                     qPrintable(QStringLiteral("tab %1 needs %2 px;%3").arg(tab).arg(needed).arg(parts)));
        }
    }

    void droppedFolderFillsTheGrid()
    {
        auto s = openSession("lib-drop");
        QVERIFY(s);
        QCOMPARE(s->window->windowTitle(), QStringLiteral("Lodestone"));
        dropAndIndex(*s);
        if (QTest::currentTestFailed())
            return;
        // The corrupt file is recorded and reported, not shown and not fatal.
        QTRY_VERIFY(s->window->findChild<QLabel *>("failures")->isVisibleTo(s->window.get()));
        QCOMPARE(s->window->folderModel()->rowCount(), 1);
        QTRY_COMPARE(s->window->folderModel()->index(0).data(FolderListModel::PhotoCountRole).toLongLong(),
                     qint64(m_fixture.photoCount));
        QCOMPARE(s->window->folderModel()->index(0).data(FolderListModel::FailedCountRole).toLongLong(), 1);
        QVERIFY(s->window->messageBar()->text().contains("could not be read"));
        // Thumbnails stream in for what is painted.
        QTRY_VERIFY_WITH_TIMEOUT(
            s->window->gridModel()->index(0).data(Qt::DecorationRole).canConvert<QPixmap>(), 10000);

        // A single photo dropped on its own joins the library too.
        QTemporaryDir elsewhere;
        const QString single = elsewhere.filePath("single.png");
        QVERIFY(QFile::copy(m_photos + "/000000.png", single));
        QSignalSpy finished(s->controller.get(), &LibraryController::indexFinished);
        dropFiles(s->window.get(), {single});
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE(s->window->gridModel()->rowCount(), m_fixture.photoCount + 1);

        // Removing the folder takes its photos out of the library, and nothing off the disk.
        s->controller->removeFolder(m_photos);
        QTRY_COMPARE(s->window->gridModel()->rowCount(), 1);
        QTRY_COMPARE(s->window->folderModel()->rowCount(), 1);
        QVERIFY(QFile::exists(m_photos + "/000000.png"));
        QCOMPARE(s->window->gridModel()->index(0).data(PhotoGridModel::PathRole).toString(), single);
    }

    void textSearchReordersAndImageSearchPutsThePhotoFirst()
    {
        auto s = openSession("lib-search");
        QVERIFY(s);
        dropAndIndex(*s);
        if (QTest::currentTestFailed())
            return;
        PhotoGridModel *grid = s->window->gridModel();
        const std::vector<qint64> before = shownIds(*grid);

        QSignalSpy searched(s->controller.get(), &LibraryController::searchFinished);
        QTest::keyClicks(s->window->searchField(), "a red circle");
        QVERIFY(searched.wait(30000));
        QTRY_COMPARE(grid->sortOrder(), PhotoGridModel::SortOrder::Relevance);
        const std::vector<qint64> ranked = shownIds(*grid);
        QVERIFY(ranked != before);
        for (int row = 1; row < grid->rowCount(); ++row)
            QVERIFY(grid->index(row - 1).data(PhotoGridModel::ScoreRole).toFloat() >=
                    grid->index(row).data(PhotoGridModel::ScoreRole).toFloat());

        // Drop a photo of the library on the search field: it comes first, with similarity 1.
        const QString photo = grid->index(grid->rowCount() - 1).data(PhotoGridModel::PathRole).toString();
        const qint64 photoId =
            grid->index(grid->rowCount() - 1).data(PhotoGridModel::PhotoIdRole).toLongLong();
        dropFiles(s->window->searchField(), {photo});
        QVERIFY(searched.wait(30000));
        QCOMPARE(s->window->searchField()->text(), QStringLiteral("photo:%1").arg(photoId));
        QCOMPARE(grid->index(0).data(PhotoGridModel::PhotoIdRole).toLongLong(), photoId);
        QVERIFY(std::abs(grid->index(0).data(PhotoGridModel::ScoreRole).toFloat() - 1.0f) < 1e-3f);

        // An image from outside the library is embedded on the spot and works in expressions.
        QTemporaryDir outside;
        QVERIFY(QFile::copy(photo, outside.filePath("query.png")));
        s->window->searchField()->setQuery(
            QStringLiteral("image:\"%1\" - 0.5 * \"a blue square\"").arg(outside.filePath("query.png")));
        QVERIFY(searched.wait(30000));
        QVERIFY(s->window->searchError().isEmpty());

        // A malformed expression says what is wrong, and where; the grid keeps its order.
        const std::vector<qint64> ranking = shownIds(*grid);
        s->window->searchField()->setQuery(QStringLiteral("\"dog\" + "));
        QTRY_VERIFY(!s->window->searchError().isEmpty());
        QVERIFY2(s->window->searchError().contains("column"), qPrintable(s->window->searchError()));
        QCOMPARE(shownIds(*grid), ranking);

        // Clearing the field goes back to the date order.
        s->window->searchField()->setQuery({});
        QCOMPARE(grid->sortOrder(), PhotoGridModel::SortOrder::Date);
        QVERIFY(!grid->index(0).data(PhotoGridModel::ScoreRole).isValid());
    }

    void typedLabelsClassifyAndFilter()
    {
        auto s = openSession("lib-classify");
        QVERIFY(s);
        dropAndIndex(*s);
        if (QTest::currentTestFailed())
            return;
        PhotoGridModel *grid = s->window->gridModel();
        QSignalSpy classified(s->controller.get(), &LibraryController::classificationFinished);
        s->window->classifyPanel()->setLabels({"a red shape", "a blue shape", "a green shape"});
        s->window->classifyPanel()->run();
        QVERIFY(classified.wait(30000));
        QTRY_COMPARE(int(grid->labels().size()), 3);
        int labelled = 0;
        QList<int> seen;
        for (int row = 0; row < grid->rowCount(); ++row) {
            const QVariant label = grid->index(row).data(PhotoGridModel::LabelIndexRole);
            labelled += label.isValid();
            if (label.isValid() && !seen.contains(label.toInt()))
                seen << label.toInt();
        }
        QCOMPARE(labelled, m_fixture.photoCount);
        const int label = seen.first();
        s->window->classifyPanel()->setFilter(label);
        QVERIFY(grid->rowCount() > 0);
        QVERIFY(grid->rowCount() <= m_fixture.photoCount);
        for (int row = 0; row < grid->rowCount(); ++row)
            QCOMPARE(grid->index(row).data(PhotoGridModel::LabelIndexRole).toInt(), label);
        s->window->classifyPanel()->setFilter(std::nullopt);
        QCOMPARE(grid->rowCount(), m_fixture.photoCount);

        // The classification is stored: a new window on the same library shows the labels again.
        const QString folder = s->controller->libraryFolder();
        s.reset();
        LibraryController again(folder);
        MainWindow window(&again, Preferences{}, m_dir.filePath("thumbs"));
        QSignalSpy loaded(&again, &LibraryController::modelLoaded);
        QVERIFY(again.loadDefaultModel());
        QVERIFY(loaded.wait(60000));
        QTRY_COMPARE(int(window.gridModel()->labels().size()), 3);
        again.cancelIndexing();
    }

    void mapAndGridSelectTogether()
    {
        auto s = openSession("lib-map");
        QVERIFY(s);
        dropAndIndex(*s);
        if (QTest::currentTestFailed())
            return;
        MapView *map = s->window->mapView();
        QSignalSpy computed(map, &MapView::computeFinished);
        map->setMethod(MapMethod::Pca);
        map->compute();
        QVERIFY(computed.wait(60000));
        QCOMPARE(map->pointModel()->rowCount(), m_fixture.photoCount);

        // Points picked on the map select their photos in the grid...
        PhotoGridModel *grid = s->window->gridModel();
        const std::vector<int64_t> picked = {grid->photoIdAt(2), grid->photoIdAt(5)};
        Q_EMIT map->photosSelected(picked);
        std::vector<int64_t> sorted = picked;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(s->window->gridView()->selectedPhotoIds(), sorted);
        // ... and photos selected in the grid are highlighted on the map.
        s->window->gridView()->selectPhoto(grid->photoIdAt(7));
        QCOMPARE(map->selectedPhotos(), (std::vector<int64_t>{grid->photoIdAt(7)}));
    }

    void firstRunDemo()
    {
        // A window on an empty library offers the demo; taking it trains, indexes and sets everything up.
        auto controller = std::make_unique<LibraryController>(m_dir.filePath("lib-demo"));
        MainWindow window(controller.get(), Preferences{}, m_dir.filePath("thumbs"));
        QAbstractItemModelTester gridTester(window.gridModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(window.messageBar()->text().contains("demo"));
        QVERIFY(window.messageBar()->findChild<QPushButton *>("messageAction")->isVisibleTo(&window));

        QSignalSpy ready(&window, &MainWindow::demoReady);
        window.startDemo(m_dir.filePath("demo"), /*photos=*/256, /*minutes=*/0.1);
        QCOMPARE(window.tabs()->currentWidget(), static_cast<QWidget *>(window.trainView()));
        QVERIFY2(ready.wait(180000), qPrintable(QStringLiteral("train state %1, message: %2")
                                                    .arg(int(window.trainView()->state()))
                                                    .arg(window.messageBar()->text())));
        QVERIFY(controller->hasModel());
        QVERIFY(controller->modelSummary().path.startsWith(m_dir.filePath("demo")));
        // The world's held-out photos (at least 200) are in the grid, ranked by the suggested search.
        QTRY_VERIFY(window.gridModel()->rowCount() >= 200);
        QTRY_COMPARE(window.gridModel()->sortOrder(), PhotoGridModel::SortOrder::Relevance);
        QCOMPARE(window.searchField()->text(), QStringLiteral("a red circle"));
        QCOMPARE(window.classifyPanel()->labels().size(), 6);
        // The map computes and shows the suggested probe.
        QTRY_VERIFY_WITH_TIMEOUT(window.mapView()->probeArrows().size() == 1, 120000);
        QCOMPARE(window.mapView()->pointModel()->rowCount(), window.gridModel()->rowCount());
        controller->cancelIndexing();
    }

    void cancellingIndexingStopsPromptlyAndKeepsTheLibraryConsistent()
    {
        QTemporaryDir big;
        const lodestone::test::UiFixture many = lodestone::test::makeUiFixture(big.path(), 600);
        auto s = openSession("lib-cancel");
        QVERIFY(s);
        s->controller->setBatchSize(8);
        QSignalSpy progressed(s->controller.get(), &LibraryController::indexProgressed);
        QSignalSpy finished(s->controller.get(), &LibraryController::indexFinished);
        s->window->addPaths({many.photos});
        // Cancel as soon as the first batch is in (not when the grid shows it, which can come later than the
        // whole run on a fast machine).
        const auto embeddedSome = [&progressed] {
            for (const QList<QVariant> &args : progressed)
                if (args.at(0).toString() == QLatin1String("embedding") && args.at(1).toLongLong() > 0)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(embeddedSome(), 60000);
        QVERIFY2(finished.isEmpty(), "the run ended before it could be cancelled: the fixture is too small");
        QElapsedTimer sinceCancel;
        sinceCancel.start();
        QTest::mouseClick(s->window->statusArea()->findChild<QToolButton *>("cancelButton"), Qt::LeftButton);
        // Polled rather than QSignalSpy::wait(), which only sees a signal sent after it starts waiting.
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        const qint64 stoppedMs = sinceCancel.elapsed();
        const auto summary = finished.first().first().value<IndexSummary>();
        qInfo("indexing stopped %lld ms after cancel, %lld of 600 photos indexed",
              static_cast<long long>(stoppedMs), static_cast<long long>(summary.indexed));
        QVERIFY2(stoppedMs < 1000, qPrintable(QStringLiteral("took %1 ms").arg(stoppedMs)));
        QVERIFY(summary.cancelled);
        QVERIFY(summary.indexed < 600);

        // Consistent: every photo the catalog holds as embedded has its vector, and a second run finishes
        // the rest without redoing any.
        const std::string modelId = s->controller->modelSummary().id.toStdString();
        {
            const Library library = Library::open(s->controller->libraryFolder().toStdString());
            std::vector<int64_t> ids;
            const FloatArray vectors = library.embeddings(modelId, &ids);
            QCOMPARE(int64_t(ids.size()), summary.indexed);
            QCOMPARE(vectors.dim(0), int64_t(ids.size()));
        }
        finished.clear();
        s->controller->startIndexing();
        QVERIFY(finished.wait(120000));
        const auto second = finished.first().first().value<IndexSummary>();
        QVERIFY(!second.cancelled);
        QCOMPARE(second.indexed + second.unchanged, int64_t(600));
        QCOMPARE(second.unchanged, summary.indexed);
    }

    void badInputIsReportedNotFatal()
    {
        auto s = openSession("lib-bad");
        QVERIFY(s);
        // A path that does not exist, and a file that is not a photo.
        QFile notes(m_dir.filePath("notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("hello");
        notes.close();
        s->window->addPaths({m_dir.filePath("no-such-folder"), m_dir.filePath("notes.txt")});
        QCOMPARE(s->window->messageBar()->level(), MessageBar::Level::Warning);
        QVERIFY(s->window->messageBar()->text().contains("2"));

        // A corrupt model file is refused with a reason; the loaded model stays in use.
        QTemporaryDir bad;
        QFile weights(bad.filePath("model.safetensors"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write("not safetensors at all");
        weights.close();
        QSignalSpy failed(s->controller.get(), &LibraryController::modelFailed);
        s->controller->loadModel(weights.fileName());
        QVERIFY(failed.wait(30000));
        QCOMPARE(s->window->messageBar()->level(), MessageBar::Level::Error);
        QVERIFY(s->window->messageBar()->text().contains("model.safetensors"));
        QVERIFY(s->controller->hasModel());

        // A folder that disappears after being added is shown as unreachable, and its photos stay.
        QTemporaryDir gone;
        QVERIFY(QFile::copy(m_photos + "/000001.png", gone.filePath("one.png")));
        QSignalSpy finished(s->controller.get(), &LibraryController::indexFinished);
        s->window->addPaths({gone.path()});
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE(s->window->gridModel()->rowCount(), 1);
        QVERIFY(gone.remove());
        finished.clear();
        s->controller->startIndexing();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY(!s->window->folderModel()->index(0).data(FolderListModel::ReachableRole).toBool());
        QCOMPARE(s->window->gridModel()->rowCount(), 1);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
