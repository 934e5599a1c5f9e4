// The photo viewer on a real library (PNG photos and a tiny random model made here, indexed by the
// controller): the picture fitted to the window, metadata, labels, nearest neighbours with thumbnails,
// switching to a neighbour, "Find similar", stale decodes dropped, unreadable files shown as such; and the
// preferences dialog and its settings round trip.

#include "uitestsupport.h"

#include "library/librarycontroller.h"
#include "settings/preferences.h"
#include "settings/preferencesdialog.h"
#include "thumbnails/thumbnailloader.h"
#include "viewer/photoviewer.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <set>

using namespace lodestone;
using namespace lodestone::ui;

namespace {

// In ms. A failed QTRY waits twice as long again to report how long it would have taken: both stay well
// inside QtTest's five-minute watchdog.
constexpr int Timeout = 60000;   // model load and indexing on a busy CPU
constexpr int UiTimeout = 20000; // a decode, a neighbour query, a classification of a few dozen photos

// Runs a helper that checks with QVERIFY and returns from the test when it failed.
#define CHECKED(call)                                                                                        \
    do {                                                                                                     \
        call;                                                                                                \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)

// A JPEG large enough that decoding it takes far longer than failing on a corrupt file.
QString writeLargeJpeg(const QString &folder)
{
    QImage image(3000, 2000, QImage::Format_RGB32);
    QRandomGenerator random(7);
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            line[x] = qRgb(x * 255 / image.width(), y * 255 / image.height(), int(random.bounded(256)));
    }
    const QString path = folder + QStringLiteral("/large.jpg");
    if (!QDir().mkpath(folder) || !image.save(path, "JPEG", 90))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QString metadataText(const PhotoViewer &viewer)
{
    QStringList texts;
    const auto *box = viewer.findChild<QGroupBox *>(QStringLiteral("metadata"));
    if (box) {
        for (const QLabel *label : box->findChildren<QLabel *>())
            texts << label->text();
    }
    return texts.join(QLatin1Char('\n'));
}

bool hasVisiblePixel(const QIcon &icon)
{
    const QImage image = icon.pixmap(QSize(64, 64)).toImage().convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (qAlpha(image.pixel(x, y)) > 0)
                return true;
        }
    }
    return false;
}

} // namespace

class TestPhotoViewer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void showsPictureAndMetadata();
    void fitsPictureToWindow();
    void listsNeighboursWithThumbnails();
    void activatingNeighbourShowsIt();
    void clickingNeighbourShowsIt();
    void findSimilarEmitsId();
    void showsLabels();
    void unknownPhotoShowsMessage();
    void corruptFileShowsReasonAndStaleDecodeIsDropped(); // last: it damages a photo of the fixture

    void preferencesDialogRoundTrip();
    void preferencesDialogKeepsUnlistedValues();
    void preferencesSaveLoad();

private:
    std::unique_ptr<PhotoViewer> makeViewer();
    static void waitForPicture(const PhotoViewer &viewer);
    static void waitForNeighbours(const PhotoViewer &viewer);
    // Copies: the controller replaces its snapshot whenever it reads a new one.
    Photo photoAt(size_t index) const;
    Photo photoNamed(const QString &fileName) const;

    QTemporaryDir m_dir;
    test::UiFixture m_fixture;
    QString m_largeJpeg;
    std::unique_ptr<LibraryController> m_controller;
    std::unique_ptr<ThumbnailLoader> m_thumbnails;
};

void TestPhotoViewer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_fixture = test::makeUiFixture(m_dir.path());
    const QString extra = m_dir.filePath(QStringLiteral("extra"));
    m_largeJpeg = writeLargeJpeg(extra);

    m_controller = std::make_unique<LibraryController>(m_dir.filePath(QStringLiteral("library")));
    m_thumbnails = std::make_unique<ThumbnailLoader>(m_dir.filePath(QStringLiteral("thumbnails")), 128);

    QSignalSpy loaded(m_controller.get(), &LibraryController::modelLoaded);
    QSignalSpy failed(m_controller.get(), &LibraryController::modelFailed);
    m_controller->loadModel(m_fixture.model);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() > 0, Timeout);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));

    QSignalSpy indexed(m_controller.get(), &LibraryController::indexFinished);
    QSignalSpy indexFailed(m_controller.get(), &LibraryController::indexFailed);
    QVERIFY(m_controller->addFolders({m_fixture.photos, extra}).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(indexed.count() + indexFailed.count() > 0 && !m_controller->isIndexing(),
                             Timeout);
    QVERIFY2(indexFailed.isEmpty(), qPrintable(indexFailed.value(0).value(0).toString()));

    const size_t expected = size_t(m_fixture.photoCount) + 1;
    m_controller->refreshSnapshot();
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->snapshot() && m_controller->snapshot()->photos.size() == expected,
                             Timeout);
    QVERIFY(m_controller->snapshot()->photos.size() > size_t(PhotoViewer::NeighbourCount));
}

void TestPhotoViewer::cleanupTestCase()
{
    if (m_controller)
        m_controller->waitForIdle();
    m_thumbnails.reset();
    m_controller.reset();
}

std::unique_ptr<PhotoViewer> TestPhotoViewer::makeViewer()
{
    auto viewer = std::make_unique<PhotoViewer>(m_controller.get(), m_thumbnails.get());
    viewer->resize(900, 700);
    viewer->show();
    if (!QTest::qWaitForWindowExposed(viewer.get()))
        qWarning("viewer window not exposed");
    return viewer;
}

void TestPhotoViewer::waitForPicture(const PhotoViewer &viewer)
{
    const auto *image = viewer.findChild<QLabel *>(QStringLiteral("photoImage"));
    QVERIFY(image);
    QTRY_VERIFY_WITH_TIMEOUT(!image->pixmap().isNull(), UiTimeout);
}

void TestPhotoViewer::waitForNeighbours(const PhotoViewer &viewer)
{
    const auto *list = viewer.findChild<QListWidget *>(QStringLiteral("neighbours"));
    QVERIFY(list);
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), PhotoViewer::NeighbourCount, UiTimeout);
}

Photo TestPhotoViewer::photoAt(size_t index) const
{
    const std::shared_ptr<const CatalogSnapshot> snapshot = m_controller->snapshot();
    return snapshot->photos.at(index);
}

Photo TestPhotoViewer::photoNamed(const QString &fileName) const
{
    const std::shared_ptr<const CatalogSnapshot> snapshot = m_controller->snapshot();
    for (const Photo &photo : snapshot->photos) {
        if (QFileInfo(QString::fromStdString(photo.path)).fileName() == fileName)
            return photo;
    }
    qFatal("no photo %s", qPrintable(fileName));
}

void TestPhotoViewer::showsPictureAndMetadata()
{
    const Photo photo = photoAt(2);
    const QString fileName = QFileInfo(QString::fromStdString(photo.path)).fileName();
    auto viewer = makeViewer();
    viewer->showPhoto(photo.id);
    QCOMPARE(viewer->photoId(), qint64(photo.id));
    CHECKED(waitForPicture(*viewer));

    QCOMPARE(viewer->windowTitle(), fileName);
    const QString metadata = metadataText(*viewer);
    QVERIFY2(metadata.contains(fileName), qPrintable(metadata));
    QVERIFY2(metadata.contains(QString::fromStdString(photo.contentHash)), qPrintable(metadata));
    QVERIFY2(metadata.contains(QLocale().formattedDataSize(photo.sizeBytes)), qPrintable(metadata));
    QVERIFY2(metadata.contains(QString::number(photo.width)), qPrintable(metadata));
    QVERIFY(!photo.contentHash.empty());
}

void TestPhotoViewer::fitsPictureToWindow()
{
    const Photo large = photoNamed(QStringLiteral("large.jpg"));
    auto viewer = makeViewer();
    viewer->showPhoto(large.id);
    CHECKED(waitForPicture(*viewer));
    const auto *image = viewer->findChild<QLabel *>(QStringLiteral("photoImage"));

    // Fitted: inside the label, touching it on one side, with the photo's aspect (3:2).
    const auto fitted = [image] {
        const QSize area = image->contentsRect().size();
        const QSize shown = image->pixmap().deviceIndependentSize().toSize();
        return shown.width() <= area.width() && shown.height() <= area.height() &&
               (qAbs(shown.width() - area.width()) <= 1 || qAbs(shown.height() - area.height()) <= 1) &&
               qAbs(double(shown.width()) / shown.height() - 1.5) < 0.02;
    };
    QTRY_VERIFY(fitted());
    const int before = image->pixmap().width();

    viewer->resize(1400, 1000);
    QTRY_VERIFY(fitted() && image->pixmap().width() > before);
    viewer->resize(600, 500);
    QTRY_VERIFY(fitted() && image->pixmap().width() < before);
}

void TestPhotoViewer::listsNeighboursWithThumbnails()
{
    const Photo photo = photoAt(5);
    auto viewer = makeViewer();
    viewer->showPhoto(photo.id);
    CHECKED(waitForNeighbours(*viewer));
    const auto *list = viewer->findChild<QListWidget *>(QStringLiteral("neighbours"));
    QCOMPARE(list->viewMode(), QListView::IconMode);

    std::set<qint64> ids;
    double previous = 2;
    for (int row = 0; row < list->count(); ++row) {
        const QListWidgetItem *item = list->item(row);
        const qint64 id = item->data(Qt::UserRole).toLongLong();
        QVERIFY(id != photo.id);
        QVERIFY(ids.insert(id).second);
        bool ok = false;
        const double score = QLocale().toDouble(item->text(), &ok);
        QVERIFY2(ok, qPrintable(item->text()));
        QVERIFY2(score <= previous + 1e-6, "neighbours not best first");
        previous = score;
        QVERIFY(item->toolTip().contains(item->text()));
    }
    // Icons start as placeholders and become thumbnails as the loader delivers them.
    QTRY_VERIFY_WITH_TIMEOUT(
        [list] {
            for (int row = 0; row < list->count(); ++row) {
                if (!hasVisiblePixel(list->item(row)->icon()))
                    return false;
            }
            return true;
        }(),
        UiTimeout);
}

void TestPhotoViewer::activatingNeighbourShowsIt()
{
    const Photo photo = photoAt(7);
    auto viewer = makeViewer();
    viewer->showPhoto(photo.id);
    CHECKED(waitForNeighbours(*viewer));
    auto *list = viewer->findChild<QListWidget *>(QStringLiteral("neighbours"));
    const qint64 neighbour = list->item(3)->data(Qt::UserRole).toLongLong();
    QVERIFY(neighbour != photo.id);

    list->setCurrentRow(3);
    QTest::keyClick(list, Qt::Key_Return);
    QTRY_COMPARE(viewer->photoId(), neighbour);
    const std::optional<Photo> shown = m_controller->library().photo(neighbour);
    QVERIFY(shown);
    QTRY_COMPARE(viewer->windowTitle(), QFileInfo(QString::fromStdString(shown->path)).fileName());
    CHECKED(waitForPicture(*viewer));
    // The new photo's neighbours replace the old ones: the old photo may be among them, the new one never.
    CHECKED(waitForNeighbours(*viewer));
    for (int row = 0; row < list->count(); ++row)
        QVERIFY(list->item(row)->data(Qt::UserRole).toLongLong() != neighbour);
}

void TestPhotoViewer::clickingNeighbourShowsIt()
{
    const Photo photo = photoAt(9);
    auto viewer = makeViewer();
    viewer->showPhoto(photo.id);
    CHECKED(waitForNeighbours(*viewer));
    auto *list = viewer->findChild<QListWidget *>(QStringLiteral("neighbours"));
    QListWidgetItem *item = list->item(0);
    const qint64 neighbour = item->data(Qt::UserRole).toLongLong();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
    QTRY_COMPARE(viewer->photoId(), neighbour);
}

void TestPhotoViewer::findSimilarEmitsId()
{
    const Photo photo = photoAt(4);
    auto viewer = makeViewer();
    QSignalSpy requested(viewer.get(), &PhotoViewer::findSimilarRequested);
    viewer->showPhoto(photo.id);
    auto *button = viewer->findChild<QPushButton *>(QStringLiteral("findSimilar"));
    QVERIFY(button);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toLongLong(), qint64(photo.id));
}

void TestPhotoViewer::showsLabels()
{
    const Photo photo = photoAt(1);
    auto viewer = makeViewer();
    viewer->showPhoto(photo.id);
    const auto *labels = viewer->findChild<QLabel *>(QStringLiteral("labels"));
    QVERIFY(labels);

    QSignalSpy classified(m_controller.get(), &LibraryController::classificationFinished);
    QSignalSpy failed(m_controller.get(), &LibraryController::classifyFailed);
    ClassifyRequest request;
    request.labels = {QStringLiteral("a red circle"), QStringLiteral("a blue square"),
                      QStringLiteral("a green triangle")};
    request.templates = QStringLiteral("none");
    m_controller->classify(request);
    QTRY_VERIFY_WITH_TIMEOUT(classified.count() + failed.count() > 0, UiTimeout);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    // The viewer follows the new classification: its best label, and every label's probability.
    QTRY_VERIFY(labels->text().contains(QLatin1Char('%')));
    for (const QString &label : request.labels)
        QVERIFY2(labels->text().contains(label), qPrintable(labels->text()));
    QVERIFY(!labels->text().contains(QStringLiteral("None of these")));

    // Three labels cannot all reach 99%: below the threshold the photo is "none of these".
    request.threshold = 0.99f;
    m_controller->classify(request);
    QTRY_VERIFY_WITH_TIMEOUT(classified.count() + failed.count() > 1, UiTimeout);
    QTRY_VERIFY(labels->text().contains(QStringLiteral("None of these")));
}

void TestPhotoViewer::unknownPhotoShowsMessage()
{
    auto viewer = makeViewer();
    viewer->showPhoto(987654321);
    const auto *image = viewer->findChild<QLabel *>(QStringLiteral("photoImage"));
    QVERIFY(image->pixmap().isNull());
    QVERIFY(!image->text().isEmpty());
    QVERIFY(!viewer->findChild<QPushButton *>(QStringLiteral("findSimilar"))->isEnabled());
}

void TestPhotoViewer::corruptFileShowsReasonAndStaleDecodeIsDropped()
{
    const Photo victim = photoAt(0);
    const Photo large = photoNamed(QStringLiteral("large.jpg"));
    QVERIFY(victim.id != large.id);
    {
        QFile file(QString::fromStdString(victim.path));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QByteArray garbage(4096, '\0');
        for (int i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 131 + 7) & 0xff);
        QCOMPARE(file.write(garbage), qint64(garbage.size()));
    }

    auto viewer = makeViewer();
    const auto *image = viewer->findChild<QLabel *>(QStringLiteral("photoImage"));
    // The large photo's decode is still running when the corrupt one fails; it must not replace the message.
    viewer->showPhoto(large.id);
    viewer->showPhoto(victim.id);
    QCOMPARE(viewer->photoId(), qint64(victim.id));
    QTRY_VERIFY_WITH_TIMEOUT(viewer->findChildren<QFutureWatcherBase *>().isEmpty(), UiTimeout);
    QTest::qWait(50); // the last watcher's deleteLater and anything queued behind it

    QVERIFY(image->pixmap().isNull());
    QVERIFY2(image->text().contains(QStringLiteral("cannot be shown")), qPrintable(image->text()));
    QVERIFY(metadataText(*viewer).contains(QFileInfo(QString::fromStdString(victim.path)).fileName()));

    // And a good photo after the bad one shows again.
    viewer->showPhoto(large.id);
    CHECKED(waitForPicture(*viewer));
}

void TestPhotoViewer::preferencesDialogRoundTrip()
{
    Preferences original;
    original.device = QStringLiteral("cpu");
    original.batchSize = 7;
    original.thumbnailCacheMiB = 333;
    original.language = QStringLiteral("de");
    QVERIFY(!(original == Preferences()));

    PreferencesDialog dialog(original);
    QCOMPARE(dialog.preferences(), original);

    // Edited through its widgets.
    auto *device = dialog.findChild<QComboBox *>(QStringLiteral("device"));
    auto *batch = dialog.findChild<QSpinBox *>(QStringLiteral("batchSize"));
    auto *cache = dialog.findChild<QSpinBox *>(QStringLiteral("thumbnailCacheMiB"));
    auto *language = dialog.findChild<QComboBox *>(QStringLiteral("language"));
    QVERIFY(device && batch && cache && language);
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("note")));
    QCOMPARE(batch->minimum(), 1);
    QCOMPARE(batch->maximum(), 1024);
    QCOMPARE(cache->minimum(), 16);
    QCOMPARE(cache->maximum(), 65536);
    QCOMPARE(device->count(), 3);
    QCOMPARE(language->count(), 4);

    device->setCurrentIndex(device->findData(QStringLiteral("cuda")));
    batch->setValue(2000); // clamped
    cache->setValue(64);
    language->setCurrentIndex(language->findData(QString()));
    const Preferences edited = dialog.preferences();
    QCOMPARE(edited.device, QStringLiteral("cuda"));
    QCOMPARE(edited.batchSize, 1024);
    QCOMPARE(edited.thumbnailCacheMiB, 64);
    QCOMPARE(edited.language, QString());
}

void TestPhotoViewer::preferencesDialogKeepsUnlistedValues()
{
    Preferences original;
    original.device = QStringLiteral("cuda:1");
    original.language = QStringLiteral("pt_BR");
    PreferencesDialog dialog(original);
    QCOMPARE(dialog.preferences(), original);
}

void TestPhotoViewer::preferencesSaveLoad()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("lodestone.ini"));
    Preferences original;
    original.device = QStringLiteral("cuda");
    original.batchSize = 64;
    original.thumbnailCacheMiB = 4096;
    original.language = QStringLiteral("fr");
    {
        QSettings settings(ini, QSettings::IniFormat);
        original.save(settings);
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }
    QVERIFY(QFileInfo::exists(ini));
    const QSettings settings(ini, QSettings::IniFormat);
    QCOMPARE(Preferences::load(settings), original);

    // Nothing stored: the defaults.
    const QSettings empty(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
    QCOMPARE(Preferences::load(empty), Preferences());
}

QTEST_MAIN(TestPhotoViewer)
#include "tst_photoviewer.moc"
