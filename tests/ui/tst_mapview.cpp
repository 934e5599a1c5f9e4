// The embedding map view under the offscreen platform: maps computed in the background fill the point model
// (one point per embedded photo, under QAbstractItemModelTester), clicking and Shift-dragging select photos,
// the grid's selection is highlighted, probes draw their arrows and list their photos, a t-SNE can be
// cancelled without leaving anything half drawn, and computing without a model is an error.

#include "library/librarycontroller.h"
#include "map/mapchartview.h"
#include "map/mappointmodel.h"
#include "map/mapview.h"
#include "thumbnails/thumbnailloader.h"
#include "uitestsupport.h"

#include "lodestone/embeddingmap.h"
#include "lodestone/library.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QGuiApplication>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>
#include <set>

using namespace lodestone;
using namespace lodestone::ui;

Q_DECLARE_METATYPE(lodestone::MapMethod)

class TestMapView : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    lodestone::test::UiFixture m_fixture;
    std::unique_ptr<LibraryController> m_controller;
    std::unique_ptr<ThumbnailLoader> m_thumbnails;

    // A controller on a fresh library in `name`, the model loaded and `photos` indexed.
    std::unique_ptr<LibraryController> indexedLibrary(const QString &name, const QString &model,
                                                      const QString &photos)
    {
        auto controller = std::make_unique<LibraryController>(m_dir.filePath(name));
        QSignalSpy loaded(controller.get(), &LibraryController::modelLoaded);
        controller->loadModel(model);
        if (!loaded.wait(60000))
            return nullptr;
        QSignalSpy indexed(controller.get(), &LibraryController::indexFinished);
        if (!controller->addFolders({photos}).isEmpty() || !indexed.wait(300000))
            return nullptr;
        return controller;
    }

    std::unique_ptr<MapView> makeView(LibraryController *controller)
    {
        auto view = std::make_unique<MapView>(controller, m_thumbnails.get());
        view->resize(1000, 700);
        view->show();
        return view;
    }

    // Computes the map with `method` and waits for it.
    static bool computeMap(MapView &view, MapMethod method)
    {
        QSignalSpy finished(&view, &MapView::computeFinished);
        view.setMethod(method);
        view.compute();
        return finished.wait(120000);
    }

    std::set<int64_t> embeddedIds(const LibraryController &controller) const
    {
        std::vector<int64_t> ids;
        controller.library().embeddings(controller.modelSummary().id.toStdString(), &ids);
        return {ids.begin(), ids.end()};
    }

    // Where a map point is drawn, in the chart view's viewport coordinates, through the chart's own mapping.
    static QPoint viewportPosition(MapView &view, QPointF mapPoint)
    {
        QChart *chart = view.chart();
        const QPointF inChart = chart->mapToPosition(mapPoint, view.selectionSeries());
        return view.chartView()->mapFromScene(chart->mapToScene(inChart));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_fixture = lodestone::test::makeUiFixture(m_dir.filePath("fixture"), 24);
        m_thumbnails = std::make_unique<ThumbnailLoader>(m_dir.filePath("thumbs"), 96);
        m_controller = indexedLibrary("library", m_fixture.model, m_fixture.photos);
        QVERIFY(m_controller);
        QCOMPARE(int(embeddedIds(*m_controller).size()), m_fixture.photoCount);
    }

    void cleanupTestCase()
    {
        m_controller.reset();
        m_thumbnails.reset();
    }

    void computeWithoutModelIsAnError()
    {
        LibraryController controller(m_dir.filePath("no-model"));
        auto view = makeView(&controller);
        QSignalSpy errors(view.get(), &MapView::errorOccurred);
        QSignalSpy finished(view.get(), &MapView::computeFinished);
        view->compute();
        QCOMPARE(errors.count(), 1);
        QVERIFY(!errors.first().first().toString().isEmpty());
        QVERIFY(!view->isComputing());
        QCOMPARE(view->pointModel()->rowCount(), 0);
        QVERIFY(view->pointSeries().isEmpty());
        QCOMPARE(finished.count(), 0);
    }

    void computeFillsThePointModel_data()
    {
        QTest::addColumn<MapMethod>("method");
        QTest::newRow("pca") << MapMethod::Pca;
        QTest::newRow("umap") << MapMethod::Umap;
        QTest::newRow("tsne") << MapMethod::Tsne;
    }

    void computeFillsThePointModel()
    {
        QFETCH(MapMethod, method);
        auto view = makeView(m_controller.get());
        QAbstractItemModelTester tester(view->pointModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy errors(view.get(), &MapView::errorOccurred);
        QVERIFY(computeMap(*view, method));
        QCOMPARE(errors.count(), 0);

        // One point per embedded photo, each photo once, at finite coordinates, in a valid cluster.
        const MapPointModel *model = view->pointModel();
        QCOMPARE(model->rowCount(), m_fixture.photoCount);
        QCOMPARE(model->columnCount(), int(MapPointModel::ColumnCount));
        std::set<int64_t> ids;
        int maxCluster = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            const int64_t id = model->index(row, MapPointModel::IdColumn).data().toLongLong();
            QCOMPARE(model->index(row, 0).data(MapPointModel::PhotoIdRole).toLongLong(), qint64(id));
            QCOMPARE(model->rowOfPhoto(id), row);
            ids.insert(id);
            QVERIFY(std::isfinite(model->index(row, MapPointModel::XColumn).data().toDouble()));
            QVERIFY(std::isfinite(model->index(row, MapPointModel::YColumn).data().toDouble()));
            const int cluster = model->index(row, MapPointModel::ClusterColumn).data().toInt();
            QVERIFY(cluster >= 0);
            maxCluster = std::max(maxCluster, cluster);
        }
        QCOMPARE(ids, embeddedIds(*m_controller));
        QVERIFY(maxCluster >= 1); // automatic K is at least 2

        // Drawn: one series per cluster, holding every point once, and a name at each cluster's centre.
        int drawn = 0;
        for (QScatterSeries *series : view->pointSeries())
            drawn += series->count();
        QCOMPARE(drawn, m_fixture.photoCount);
        QCOMPARE(view->pointSeries().size(), maxCluster + 1);
        QCOMPARE(view->groupLabels().size(), view->pointSeries().size());
        for (const QString &label : view->groupLabels())
            QVERIFY(!label.isEmpty());
    }

    // Large libraries draw their points with OpenGL. The offscreen platform has no OpenGL, so this runs under
    // Xvfb (Mesa's software renderer) as tst_mapview_xcb, and skips elsewhere.
    void openGlSeriesDrawUnderXcb()
    {
        if (QGuiApplication::platformName() != QLatin1String("xcb"))
            QSKIP("needs the xcb platform (tst_mapview_xcb runs this under xvfb-run)");
        auto view = makeView(m_controller.get());
        view->setOpenGlThreshold(1); // every series through OpenGL
        QVERIFY(computeMap(*view, MapMethod::Pca));
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QVERIFY(!view->pointSeries().isEmpty());
        for (QScatterSeries *series : view->pointSeries())
            QVERIFY(series->useOpenGL());
        // The points are really drawn: around each point, some pixel has its series' colour.
        QTest::qWait(500);
        const QImage shown = view->chartView()->grab().toImage();
        int found = 0, checked = 0;
        for (QScatterSeries *series : view->pointSeries()) {
            const QColor colour = series->color();
            for (const QPointF &point : series->points()) {
                const QPoint at = viewportPosition(*view, point);
                bool hit = false;
                for (int dy = -3; dy <= 3 && !hit; ++dy)
                    for (int dx = -3; dx <= 3 && !hit; ++dx) {
                        const QColor pixel = shown.pixelColor(at + QPoint(dx, dy));
                        hit = std::abs(pixel.red() - colour.red()) +
                                  std::abs(pixel.green() - colour.green()) +
                                  std::abs(pixel.blue() - colour.blue()) <
                              60;
                    }
                found += hit;
                ++checked;
            }
        }
        QVERIFY2(found >= checked * 8 / 10,
                 qPrintable(QStringLiteral("%1 of %2 points seen").arg(found).arg(checked)));
    }

    void chosenClusterCount()
    {
        auto view = makeView(m_controller.get());
        view->setClusterCount(3);
        QVERIFY(computeMap(*view, MapMethod::Pca));
        std::set<int> clusters;
        for (const MapPoint &p : view->pointModel()->points())
            clusters.insert(p.cluster);
        QCOMPARE(clusters, (std::set<int>{0, 1, 2}));
        QCOMPARE(view->pointSeries().size(), 3);
    }

    void clickingAPointSelectsItsPhoto()
    {
        auto view = makeView(m_controller.get());
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QVERIFY(computeMap(*view, MapMethod::Pca));
        const MapPointModel *model = view->pointModel();
        QWidget *viewport = view->chartView()->viewport();

        // A point with no other point within 3 pixels, so that the click is not ambiguous.
        int chosen = -1;
        for (int row = 0; row < model->rowCount() && chosen < 0; ++row) {
            const QPoint at = viewportPosition(*view, QPointF(model->point(row).x, model->point(row).y));
            bool alone = viewport->rect().contains(at);
            for (int other = 0; other < model->rowCount() && alone; ++other)
                if (other != row &&
                    (viewportPosition(*view, QPointF(model->point(other).x, model->point(other).y)) - at)
                            .manhattanLength() <= 6)
                    alone = false;
            if (alone)
                chosen = row;
        }
        QVERIFY(chosen >= 0);
        const MapPoint point = model->point(chosen);
        const QPoint at = viewportPosition(*view, QPointF(point.x, point.y));

        // Hovering shows its thumbnail popup; leaving the points hides it.
        QTest::mouseMove(viewport, at);
        QTRY_VERIFY(view->hoverPopup()->isVisible());

        QSignalSpy selected(view.get(), &MapView::photosSelected);
        QTest::mouseClick(viewport, Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().first().value<std::vector<int64_t>>(), std::vector<int64_t>{point.photoId});
        // ...and highlights it.
        QCOMPARE(view->selectionSeries()->count(), 1);
        QCOMPARE(view->selectionSeries()->at(0), QPointF(point.x, point.y));

        // A click on empty space selects nothing.
        QTest::mouseClick(viewport, Qt::LeftButton, Qt::NoModifier, QPoint(2, 2));
        QCOMPARE(selected.count(), 1);

        // The grid's selection is highlighted; photos not on the map are ignored.
        const MapPoint a = model->point(0), b = model->point(1);
        view->setSelectedPhotos({a.photoId, b.photoId, 999999});
        QCOMPARE(view->selectionSeries()->count(), 2);
        QCOMPARE(view->selectionSeries()->at(0), QPointF(a.x, a.y));
        QCOMPARE(view->selectionSeries()->at(1), QPointF(b.x, b.y));
        view->setSelectedPhotos({});
        QCOMPARE(view->selectionSeries()->count(), 0);

        // Shift-dragging a rectangle over the whole plot selects every photo.
        const QRect plot = view->chartView()
                               ->mapFromScene(view->chart()->mapToScene(view->chart()->plotArea()))
                               .boundingRect();
        QTest::mousePress(viewport, Qt::LeftButton, Qt::ShiftModifier, plot.topLeft() + QPoint(1, 1));
        QTest::mouseMove(viewport, plot.center());
        QTest::mouseMove(viewport, plot.bottomRight() - QPoint(1, 1));
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::ShiftModifier, plot.bottomRight() - QPoint(1, 1));
        QCOMPARE(selected.count(), 2);
        QCOMPARE(int(selected.last().first().value<std::vector<int64_t>>().size()), m_fixture.photoCount);
        QCOMPARE(view->selectionSeries()->count(), m_fixture.photoCount);
    }

    void wheelZoomsAndResetRestores()
    {
        auto view = makeView(m_controller.get());
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QVERIFY(computeMap(*view, MapMethod::Umap));
        const QRectF full = view->chartView()->visibleRange();
        QVERIFY(full.width() > 0);
        const QPoint centre = view->chartView()->viewport()->rect().center();
        QWheelEvent wheel(centre, view->chartView()->viewport()->mapToGlobal(centre), {}, {0, 240},
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view->chartView()->viewport(), &wheel);
        QVERIFY(view->chartView()->visibleRange().width() < full.width() * 0.7);
        view->chartView()->resetZoom();
        QCOMPARE(view->chartView()->visibleRange(), full);
    }

    void probeAddsItsArrow()
    {
        auto view = makeView(m_controller.get());
        QVERIFY(computeMap(*view, MapMethod::Pca));
        QSignalSpy added(view.get(), &MapView::probeAdded);
        QSignalSpy errors(view.get(), &MapView::errorOccurred);
        view->addProbe(QStringLiteral("red circle - blue square + dog"));
        QVERIFY(added.wait(60000));
        QCOMPARE(errors.count(), 0);

        // One arrow, from the first term to the result, whose ends are the probe's marked points.
        QCOMPARE(view->probeArrows().size(), 1);
        QLineSeries *arrow = view->probeArrows().first();
        QCOMPARE(arrow->count(), 2);
        QVERIFY(view->chart()->series().contains(arrow));
        QVERIFY(arrow->at(0) != arrow->at(1));
        QVERIFY(std::isfinite(arrow->at(1).x()) && std::isfinite(arrow->at(1).y()));
        const auto markers = view->chart()->series();
        QScatterSeries *starts = nullptr, *ends = nullptr;
        for (QAbstractSeries *s : markers) {
            if (s->name() == QLatin1String("Probe start"))
                starts = qobject_cast<QScatterSeries *>(s);
            if (s->name() == QLatin1String("Probe"))
                ends = qobject_cast<QScatterSeries *>(s);
        }
        QVERIFY(starts && ends);
        QCOMPARE(starts->count(), 1);
        QCOMPARE(ends->count(), 1);
        QCOMPARE(starts->at(0), arrow->at(0));
        QCOMPARE(ends->at(0), arrow->at(1));

        // Its nearest photos are listed under its expression; clicking one selects it.
        QListWidget *list = view->probeList();
        QCOMPARE(list->count(), 1 + 8);
        QCOMPARE(list->item(0)->text(), QStringLiteral("red circle - blue square + dog"));
        const std::set<int64_t> embedded = embeddedIds(*m_controller);
        for (int i = 1; i < list->count(); ++i)
            QVERIFY(embedded.count(list->item(i)->data(Qt::UserRole + 1).toLongLong()));
        QSignalSpy selected(view.get(), &MapView::photosSelected);
        Q_EMIT list->itemClicked(list->item(1));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().first().value<std::vector<int64_t>>(),
                 std::vector<int64_t>{list->item(1)->data(Qt::UserRole + 1).toLongLong()});

        // A second probe adds a second arrow; a malformed one is an error and adds none.
        view->addProbe(QStringLiteral("a photo of a dog"));
        QVERIFY(added.wait(60000));
        QCOMPARE(view->probeArrows().size(), 2);
        view->addProbe(QStringLiteral("dog +"));
        QVERIFY(errors.wait(60000));
        QCOMPARE(view->probeArrows().size(), 2);

        view->clearProbes();
        QCOMPARE(view->probeArrows().size(), 0);
        QCOMPARE(list->count(), 0);
        QCOMPARE(starts->count(), 0);
        for (QAbstractSeries *s : view->chart()->series())
            QVERIFY(!qobject_cast<QLineSeries *>(s) || qobject_cast<QScatterSeries *>(s));
    }

    void colourByLabel()
    {
        auto view = makeView(m_controller.get());
        QVERIFY(computeMap(*view, MapMethod::Pca));
        QSignalSpy classified(m_controller.get(), &LibraryController::classificationFinished);
        ClassifyRequest request;
        request.labels = {QStringLiteral("circle"), QStringLiteral("square")};
        m_controller->classify(request);
        QVERIFY(classified.wait(60000));
        view->setColourBy(MapView::ColourBy::Label);

        int labelled = 0;
        for (const MapPoint &p : view->pointModel()->points()) {
            QVERIFY(p.label.isEmpty() || p.label == QLatin1String("circle") ||
                    p.label == QLatin1String("square"));
            labelled += p.label.isEmpty() ? 0 : 1;
        }
        QCOMPARE(labelled, m_fixture.photoCount); // threshold 0: every photo gets a label
        int drawn = 0;
        for (QScatterSeries *series : view->pointSeries()) {
            drawn += series->count();
            QVERIFY(series->name().startsWith(QLatin1String("circle")) ||
                    series->name().startsWith(QLatin1String("square")));
        }
        QCOMPARE(drawn, m_fixture.photoCount);
    }

    void cancelDuringTsneLeavesTheMapAsItWas()
    {
        const auto fixture = lodestone::test::makeUiFixture(m_dir.filePath("fixture-large"), 300);
        auto controller = indexedLibrary("large", fixture.model, fixture.photos);
        QVERIFY(controller);
        auto view = makeView(controller.get());
        QVERIFY(computeMap(*view, MapMethod::Pca));
        const std::vector<MapPoint> before = view->pointModel()->points();
        QCOMPARE(int(before.size()), 300);
        const QStringList labelsBefore = view->groupLabels();

        // Cancelled at its first progress report, a t-SNE of 300 points is far from done.
        auto *progress = view->findChild<QProgressBar *>();
        QVERIFY(progress);
        QMetaObject::Connection onProgress =
            connect(progress, &QProgressBar::valueChanged, view.get(), [&view](int value) {
                if (value > 0 && view->isComputing())
                    view->cancel();
            });
        QSignalSpy finished(view.get(), &MapView::computeFinished);
        QSignalSpy cancelled(view.get(), &MapView::computeCancelled);
        view->setMethod(MapMethod::Tsne);
        view->compute();
        QVERIFY(view->isComputing());
        QVERIFY(cancelled.wait(120000));
        disconnect(onProgress);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!view->isComputing());
        QVERIFY(!progress->isVisible());

        // Nothing of the cancelled run is drawn: the PCA map is there as it was.
        const std::vector<MapPoint> &after = view->pointModel()->points();
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i].photoId, before[i].photoId);
            QCOMPARE(after[i].x, before[i].x);
            QCOMPARE(after[i].y, before[i].y);
        }
        QCOMPARE(view->groupLabels(), labelsBefore);
        int drawn = 0;
        for (QScatterSeries *series : view->pointSeries())
            drawn += series->count();
        QCOMPARE(drawn, 300);

        // And the next computation runs to the end.
        QVERIFY(computeMap(*view, MapMethod::Umap));
        QCOMPARE(view->pointModel()->rowCount(), 300);
    }

    void destroyingWhileComputingWaits()
    {
        auto view = makeView(m_controller.get());
        view->setMethod(MapMethod::Tsne);
        view->compute();
        QVERIFY(view->isComputing());
        view.reset(); // cancels and waits; nothing arrives afterwards
        QTest::qWait(50);
    }
};

QTEST_MAIN(TestMapView)
#include "tst_mapview.moc"
