// PhotoGridModel on its own: catalog merges keep rows and selection, sorting, scores, labels and the label
// filter, and thumbnails arriving as dataChanged. Every step runs under QAbstractItemModelTester.

#include "grid/photogridmodel.h"
#include "thumbnails/thumbnailloader.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace lodestone;
using namespace lodestone::ui;
using lodestone::test::shownIds;

namespace {

Photo makePhoto(int64_t id, const QString &path, const std::string &takenAt = {}, int64_t modifiedS = 0)
{
    Photo p;
    p.id = id;
    p.path = path.toStdString();
    p.takenAt = takenAt;
    p.modifiedNs = modifiedS * 1000000000LL;
    p.contentHash = "hash" + std::to_string(id);
    return p;
}

} // namespace

class TestPhotoGridModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::vector<Photo> threePhotos() const
    {
        return {makePhoto(1, m_dir.filePath("b.png"), "2020-01-01T10:00:00", 5),
                makePhoto(2, m_dir.filePath("a.png"), {}, 1700000000), // no EXIF date: modified (2023)
                makePhoto(3, m_dir.filePath("c.png"), "2010-06-01T08:00:00", 5)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *name : {"a.png", "b.png", "c.png", "d.png"}) {
            QImage image(40, 30, QImage::Format_RGB32);
            image.fill(Qt::darkCyan);
            QVERIFY(image.save(m_dir.filePath(name)));
        }
    }

    void sortsMergesAndKeepsSelection()
    {
        ThumbnailLoader thumbnails(m_dir.filePath("cache"));
        PhotoGridModel model(&thumbnails);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        model.setPhotos(threePhotos());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(shownIds(model), (std::vector<qint64>{2, 1, 3})); // newest first
        model.setSortOrder(PhotoGridModel::SortOrder::Name);
        QCOMPARE(shownIds(model), (std::vector<qint64>{2, 1, 3})); // a, b, c
        QCOMPARE(model.index(0).data(Qt::DisplayRole).toString(), QStringLiteral("a.png"));

        // A persistent index (what a selection holds) follows its photo through a merge.
        const QPersistentModelIndex held(model.index(model.rowOfPhoto(3)));
        std::vector<Photo> next = threePhotos();
        next.erase(next.begin()); // photo 1 left the library
        next.push_back(makePhoto(4, m_dir.filePath("aa.png"), {}, 10));
        next[0].path = m_dir.filePath("d.png").toStdString(); // photo 2 was moved
        model.setPhotos(next);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOfPhoto(1), -1);
        QCOMPARE(shownIds(model), (std::vector<qint64>{4, 3, 2})); // aa, c, d
        QVERIFY(held.isValid());
        QCOMPARE(held.data(PhotoGridModel::PhotoIdRole).toLongLong(), 3);
        QCOMPARE(model.index(model.rowOfPhoto(2)).data(PhotoGridModel::PathRole).toString(),
                 m_dir.filePath("d.png"));
    }

    void scoresRankAndClear()
    {
        ThumbnailLoader thumbnails(m_dir.filePath("cache"));
        PhotoGridModel model(&thumbnails);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPhotos(threePhotos());
        SearchResults results;
        results.scores = {{1, 0.1f}, {3, 0.9f}}; // photo 2 has no embedding
        model.setScores(results);
        QCOMPARE(model.sortOrder(), PhotoGridModel::SortOrder::Relevance);
        QCOMPARE(shownIds(model), (std::vector<qint64>{3, 1, 2}));
        QCOMPARE(model.index(0).data(PhotoGridModel::ScoreRole).toFloat(), 0.9f);
        QVERIFY(!model.index(2).data(PhotoGridModel::ScoreRole).isValid());
        model.clearScores();
        QCOMPARE(model.sortOrder(), PhotoGridModel::SortOrder::Date);
        QVERIFY(!model.index(0).data(PhotoGridModel::ScoreRole).isValid());
    }

    void labelsAndFilter()
    {
        ThumbnailLoader thumbnails(m_dir.filePath("cache"));
        PhotoGridModel model(&thumbnails);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPhotos(threePhotos());
        QSignalSpy labelsChanged(&model, &PhotoGridModel::labelsChanged);
        auto classification = std::make_shared<Classification>();
        classification->labels = {"cat", "dog"};
        classification->photos = {
            {1, 1, 0.8f, {0.2f, 0.8f}}, {2, -1, 0.4f, {0.6f, 0.4f}}, {3, 1, 0.7f, {0.3f, 0.7f}}};
        model.setClassification(classification);
        QCOMPARE(labelsChanged.count(), 1);
        QCOMPARE(model.index(model.rowOfPhoto(1)).data(PhotoGridModel::LabelRole).toString(),
                 QStringLiteral("dog"));
        QCOMPARE(model.index(model.rowOfPhoto(2)).data(PhotoGridModel::LabelIndexRole).toInt(), -1);

        model.setLabelFilter(1);
        QCOMPARE(shownIds(model), (std::vector<qint64>{1, 3}));
        model.setLabelFilter(PhotoGridModel::NoneOfTheseFilter);
        QCOMPARE(shownIds(model), (std::vector<qint64>{2}));
        model.setLabelFilter(0);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.totalPhotos(), 3);

        // A photo that arrives while filtering is shown only when its label matches.
        model.setLabelFilter(1);
        std::vector<Photo> more = threePhotos();
        more.push_back(makePhoto(4, m_dir.filePath("d.png"), {}, 1));
        model.setPhotos(more);
        QCOMPARE(shownIds(model), (std::vector<qint64>{1, 3}));
        model.setLabelFilter(std::nullopt);
        QCOMPARE(model.rowCount(), 4);
        QVERIFY(!model.index(model.rowOfPhoto(4)).data(PhotoGridModel::LabelIndexRole).isValid());

        // New labels drop a filter that no longer means anything.
        model.setLabelFilter(1);
        auto other = std::make_shared<Classification>();
        other->labels = {"only"};
        model.setClassification(other);
        QVERIFY(!model.labelFilter());
        QCOMPARE(model.rowCount(), 4);
    }

    void thumbnailsArriveAsDataChanged()
    {
        ThumbnailLoader thumbnails(m_dir.filePath("cache"), 32);
        PhotoGridModel model(&thumbnails);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<Photo> photos = threePhotos();
        photos.push_back(makePhoto(9, m_dir.filePath("missing.png")));
        model.setPhotos(photos);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (int row = 0; row < model.rowCount(); ++row)
            (void)model.index(row).data(Qt::DecorationRole); // what painting does
        QTRY_VERIFY(model.index(model.rowOfPhoto(1)).data(Qt::DecorationRole).canConvert<QPixmap>());
        const QPixmap pixmap = model.index(model.rowOfPhoto(1)).data(Qt::DecorationRole).value<QPixmap>();
        QCOMPARE(pixmap.width(), 32); // 40 x 30 fitted into 32 x 32
        QCOMPARE(pixmap.height(), 24);
        QTRY_VERIFY(model.index(model.rowOfPhoto(9)).data(PhotoGridModel::ThumbnailFailedRole).toBool());
        QVERIFY(changed.count() >= 4);
        // The disk cache holds it by content hash for the next start.
        QVERIFY(QFileInfo::exists(m_dir.filePath("cache/ha/hash1-32.jpg")));
    }
};

QTEST_MAIN(TestPhotoGridModel)
#include "tst_photogridmodel.moc"
