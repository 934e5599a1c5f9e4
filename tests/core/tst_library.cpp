// The photo library: incremental indexing (unchanged, changed, added, deleted, moved and touched files), a
// corpus of broken and odd files made here, a run killed with SIGKILL and resumed (the test runs its own
// binary as the indexing child), models kept apart, ANN index files rebuilt when they disagree with the
// catalog, classifications, and catalogs that are not ours.

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/library.h"

// Private: the ANN index files and the exact-search threshold.
#include "library/annindex.h"
#include "library/contenthash.h"
#include "library/library_p.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sqlite3.h>

#ifdef LODESTONE_TEST_HAVE_LIBJPEG
#include <cstdio>
#include <jpeglib.h>
#endif

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace lodestone;
namespace fs = std::filesystem;

namespace {

void writeBytes(const std::string &path, const std::string &bytes)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out.good())
        qFatal("cannot write %s", path.c_str());
}

// An image whose content is fixed by `seed`: noise and a rectangle, so that no two seeds look alike.
cv::Mat photoPixels(int seed, int width = 40, int height = 30)
{
    cv::Mat image(height, width, CV_8UC3);
    cv::RNG rng(uint64_t(seed) * 7919 + 17);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    cv::rectangle(image, cv::Rect(seed % (width / 2), seed % (height / 2), width / 3, height / 3),
                  cv::Scalar(seed * 37 % 256, seed * 91 % 256, seed * 53 % 256), cv::FILLED);
    return image;
}

std::string encoded(const cv::Mat &image, const std::string &ext)
{
    std::vector<uchar> bytes;
    if (!cv::imencode(ext, image, bytes))
        qFatal("cv::imencode(%s) failed", ext.c_str());
    return std::string(bytes.begin(), bytes.end());
}

std::string writePhoto(const std::string &path, int seed, int width = 40, int height = 30)
{
    std::string ext = fs::path(path).extension().string();
    for (char &c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    writeBytes(path, encoded(photoPixels(seed, width, height), ext == ".jpeg" ? ".jpg" : ext));
    return path;
}

// Moves a file's modification time by `seconds` (writes within one clock tick may keep the old time).
void shiftMtime(const std::string &path, int seconds)
{
    struct stat st {};
    QVERIFY(::stat(path.c_str(), &st) == 0);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    times[1].tv_sec += seconds;
    QVERIFY(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

uint32_t crc32(const uint8_t *data, size_t size)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A real PNG whose IHDR claims width x height, with a valid CRC: only the size check can refuse it.
std::string pngClaiming(uint32_t width, uint32_t height)
{
    std::string png = encoded(photoPixels(3, 8, 8), ".png");
    auto put32 = [&](size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            png[at + size_t(i)] = char((v >> (24 - 8 * i)) & 0xFF);
    };
    put32(16, width);
    put32(20, height);
    put32(29, crc32(reinterpret_cast<const uint8_t *>(png.data()) + 12, 17)); // "IHDR" + 13 data bytes
    return png;
}

#ifdef LODESTONE_TEST_HAVE_LIBJPEG
// A CMYK JPEG (with the Adobe marker libjpeg writes for it), which cv::imwrite cannot make.
std::string cmykJpeg(int width, int height)
{
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr jerr{};
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    unsigned char *buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = JDIMENSION(width);
    cinfo.image_height = JDIMENSION(height);
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&cinfo);
    jpeg_set_colorspace(&cinfo, JCS_CMYK);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<unsigned char> row(size_t(width) * 4);
    while (cinfo.next_scanline < cinfo.image_height) {
        for (int x = 0; x < width; ++x) {
            row[size_t(x) * 4 + 0] = uint8_t(x * 5);
            row[size_t(x) * 4 + 1] = uint8_t(cinfo.next_scanline * 7);
            row[size_t(x) * 4 + 2] = 60;
            row[size_t(x) * 4 + 3] = 20;
        }
        JSAMPROW pointer = row.data();
        jpeg_write_scanlines(&cinfo, &pointer, 1);
    }
    jpeg_finish_compress(&cinfo);
    std::string out(reinterpret_cast<const char *>(buffer), size);
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    return out;
}
#endif

// The catalog opened directly, as a third party would.
class RawDb {
public:
    explicit RawDb(const std::string &path)
    {
        if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            qFatal("cannot open %s", path.c_str());
        sqlite3_busy_timeout(m_db, 10000);
    }
    ~RawDb() { sqlite3_close_v2(m_db); }
    void exec(const std::string &sql)
    {
        char *message = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            const std::string why = message ? message : "?";
            sqlite3_free(message);
            qFatal("%s: %s", sql.c_str(), why.c_str());
        }
    }
    // All rows of a query, columns as text.
    std::vector<std::vector<std::string>> rows(const std::string &sql)
    {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
            qFatal("%s: %s", sql.c_str(), sqlite3_errmsg(m_db));
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, i));
                row.emplace_back(text ? text : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(stmt);
        return out;
    }
    std::string value(const std::string &sql)
    {
        const auto r = rows(sql);
        return r.empty() || r[0].empty() ? std::string() : r[0][0];
    }
    int64_t number(const std::string &sql) { return std::stoll(value(sql)); }

private:
    sqlite3 *m_db = nullptr;
};

std::string catalogPath(const Library &library)
{
    return library.folder() + "/catalog.db";
}

std::set<std::string> filesOnDisk(const std::string &root)
{
    std::set<std::string> out;
    for (const auto &entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            out.insert(entry.path().string());
    return out;
}

std::set<std::string> catalogPaths(const Library &library)
{
    std::set<std::string> out;
    for (const Photo &p : library.photos())
        out.insert(p.path);
    return out;
}

// Embeddings of a model by photo path.
std::map<std::string, std::vector<float>> embeddingsByPath(const Library &library, const std::string &modelId)
{
    std::map<std::string, std::vector<float>> out;
    for (const Photo &p : library.photos())
        if (auto v = library.embedding(modelId, p.id))
            out[p.path] = *v;
    return out;
}

const IndexFailure *findFailure(const IndexSummary &summary, const std::string &path)
{
    for (const IndexFailure &f : summary.errors)
        if (f.path == path)
            return &f;
    return nullptr;
}

std::string describe(const IndexSummary &s)
{
    std::string out = "indexed " + std::to_string(s.indexed) + " unchanged " + std::to_string(s.unchanged) +
                      " moved " + std::to_string(s.moved) + " removed " + std::to_string(s.removed) +
                      " failed " + std::to_string(s.failed) + " unsupported " + std::to_string(s.unsupported);
    for (const IndexFailure &f : s.errors)
        out += "\n  " + f.path + ": " + f.error;
    return out;
}

IndexOptions smallBatches()
{
    IndexOptions options;
    options.batchSize = 4;
    options.decodeThreads = 2;
    return options;
}

// Restores the exact-search threshold when a test that lowered it ends.
struct ThresholdGuard {
    explicit ThresholdGuard(int64_t limit) { detail::setExactSearchThreshold(limit); }
    ~ThresholdGuard() { detail::setExactSearchThreshold(Library::exactSearchLimit()); }
};

// The child process of killedRunResumes: indexes and prints one line per committed batch, slowly enough
// that the parent can kill it in the middle.
int indexChild(int argc, char **argv)
{
    if (argc != 5) {
        std::cerr << "usage: tst_library --index-child LIBRARY MODEL PHOTOS\n";
        return 2;
    }
    try {
        LoadOptions load;
        load.device = "cpu";
        const ClipModel model = ClipModel::load(argv[3], load);
        Library library = Library::open(argv[2]);
        IndexOptions options;
        options.batchSize = 8;
        options.decodeThreads = 2;
        library.index(model, argv[3], {argv[4]}, options, [](const IndexProgress &p) {
            if (p.phase != "embedding" || p.done == 0)
                return;
            std::cout << "batch " << p.done << "/" << p.total << std::endl;
            std::this_thread::sleep_for(std::chrono::milliseconds(40));
        });
        std::cout << "finished" << std::endl;
        return 0;
    } catch (const std::exception &e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}

} // namespace

class TestLibrary : public QObject {
    Q_OBJECT

    QTemporaryDir m_models;
    std::string m_modelPathA;
    std::string m_modelPathB;
    std::optional<ClipModel> m_modelA;
    std::optional<ClipModel> m_modelB;

    const ClipModel &modelA() const { return *m_modelA; }
    const ClipModel &modelB() const { return *m_modelB; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_models.isValid());
        m_modelPathA = m_models.filePath("a").toStdString();
        m_modelPathB = m_models.filePath("b").toStdString();
        m_modelA.emplace(ClipConfig::preset("tiny"), "cpu", 1);
        m_modelB.emplace(ClipConfig::preset("tiny"), "cpu", 2);
        m_modelA->save(m_modelPathA);
        m_modelB->save(m_modelPathB);
    }

    void contentHashes()
    {
        // The form xxh128sum prints: the 128-bit value big-endian, high half first.
        QCOMPARE(detail::contentHash("abc", 3), std::string("06b05ab6733a618578af5f94892f3950"));
        QTemporaryDir tmp;
        std::string bytes(3 * 1024 * 1024 + 17, '\0'); // crosses fileContentHash's read chunks
        for (size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = char(i * 2654435761u >> 13);
        const std::string path = tmp.filePath("f.bin").toStdString();
        writeBytes(path, bytes);
        const std::string whole = detail::contentHash(bytes.data(), bytes.size());
        QCOMPARE(detail::fileContentHash(path), whole);
        detail::ContentHasher pieces;
        pieces.update(bytes.data(), 1000);
        pieces.update(bytes.data() + 1000, bytes.size() - 1000);
        QCOMPARE(pieces.hex(), whole);
        bytes[bytes.size() / 2] ^= 1;
        QVERIFY(detail::contentHash(bytes.data(), bytes.size()) != whole);
        QVERIFY_THROWS_EXCEPTION(Error, detail::fileContentHash(tmp.filePath("absent").toStdString()));
    }

    void modelIdentityIsTheWeights()
    {
        const std::string a = modelIdentity(modelA());
        QCOMPARE(a.size(), size_t(32));
        QCOMPARE(modelIdentity(modelA()), a);
        QVERIFY(modelIdentity(modelB()) != a);
        LoadOptions load;
        load.device = "cpu";
        QCOMPARE(modelIdentity(ClipModel::load(m_modelPathA, load)), a); // saved and loaded: same weights
    }

    void incrementalRescansTouchOnlyChanges()
    {
        QTemporaryDir tmp;
        const std::string photos = tmp.filePath("photos").toStdString();
        const int n = 10;
        for (int i = 0; i < n; ++i)
            writePhoto(photos + "/p" + std::to_string(i) + (i % 3 == 0 ? ".png" : ".jpg"), i);
        Library library = Library::open(tmp.filePath("lib").toStdString());
        const std::string modelId = modelIdentity(modelA());

        std::vector<IndexProgress> reports;
        const IndexSummary first = library.index(modelA(), m_modelPathA, {photos}, smallBatches(),
                                                 [&](const IndexProgress &p) { reports.push_back(p); });
        QVERIFY2(first.indexed == n && first.unchanged == 0 && first.failed == 0 && first.removed == 0,
                 describe(first).c_str());
        QVERIFY(!first.cancelled);
        // Progress: scanning, then embedding with at least one report per batch (10 photos, batches of 4).
        QVERIFY(!reports.empty() && reports.front().phase == "scanning");
        int embeddingReports = 0;
        for (const IndexProgress &p : reports)
            embeddingReports += p.phase == "embedding" && p.done > 0;
        QVERIFY(embeddingReports >= 3);
        QCOMPARE(reports.back().done, int64_t(n));
        QCOMPARE(reports.back().total, int64_t(n));
        QCOMPARE(library.folders(), std::vector<std::string>{photos});

        for (const Photo &p : library.photos()) {
            QCOMPARE(p.status, PhotoStatus::Ok);
            QCOMPARE(p.width, 40);
            QCOMPARE(p.height, 30);
            QCOMPARE(p.contentHash.size(), size_t(32));
            const std::vector<float> v = *library.embedding(modelId, p.id);
            double norm = 0;
            for (float x : v)
                norm += double(x) * x;
            QVERIFY(std::abs(norm - 1.0) < 1e-4);
        }

        const IndexSummary second = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(second.unchanged == n && second.indexed == 0 && second.moved == 0 && second.removed == 0,
                 describe(second).c_str());

        // Every write to the embeddings table from here on is logged.
        {
            RawDb db(catalogPath(library));
            db.exec("CREATE TABLE test_log(op TEXT, photo_id INTEGER)");
            db.exec("CREATE TRIGGER test_ins AFTER INSERT ON embeddings BEGIN "
                    "INSERT INTO test_log VALUES ('insert', NEW.photo_id); END");
            db.exec("CREATE TRIGGER test_upd AFTER UPDATE ON embeddings BEGIN "
                    "INSERT INTO test_log VALUES ('update', NEW.photo_id); END");
            db.exec("CREATE TRIGGER test_del AFTER DELETE ON embeddings BEGIN "
                    "INSERT INTO test_log VALUES ('delete', OLD.photo_id); END");
        }
        const auto before = embeddingsByPath(library, modelId);
        const Photo changed = *library.photoByPath(photos + "/p1.jpg");
        const Photo deleted = *library.photoByPath(photos + "/p2.jpg");
        const Photo renamed = *library.photoByPath(photos + "/p4.jpg");
        const Photo touched = *library.photoByPath(photos + "/p5.jpg");

        writePhoto(photos + "/new.jpg", 100);
        writePhoto(photos + "/p1.jpg", 101);
        shiftMtime(photos + "/p1.jpg", 10);
        fs::remove(photos + "/p2.jpg");
        fs::create_directories(photos + "/sub");
        fs::rename(photos + "/p4.jpg", photos + "/sub/renamed.jpg");
        shiftMtime(photos + "/p5.jpg", 20); // same bytes, new time

        const IndexSummary third = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(third.indexed == 2 && third.moved == 1 && third.removed == 1 && third.failed == 0 &&
                     third.unchanged == n - 3,
                 describe(third).c_str());

        QCOMPARE(catalogPaths(library), filesOnDisk(photos));
        const auto after = embeddingsByPath(library, modelId);
        for (const auto &[path, vector] : before) {
            if (path == changed.path || path == deleted.path || path == renamed.path)
                continue;
            QVERIFY2(after.at(path) == vector, path.c_str()); // byte-identical
        }
        QVERIFY(after.at(changed.path) != before.at(changed.path));
        QVERIFY(!library.photoByPath(deleted.path));
        QVERIFY(!library.photo(deleted.id));
        const Photo moved = *library.photoByPath(photos + "/sub/renamed.jpg");
        QCOMPARE(moved.id, renamed.id); // the same row, found by its content
        QCOMPARE(after.at(moved.path), before.at(renamed.path));
        QCOMPARE(library.photoByPath(touched.path)->id, touched.id);
        const Photo newPhoto = *library.photoByPath(photos + "/new.jpg");

        // Only the new, the changed and the deleted photo's embeddings were written.
        RawDb db(catalogPath(library));
        std::set<int64_t> written;
        for (const auto &row : db.rows("SELECT op, photo_id FROM test_log"))
            written.insert(std::stoll(row[1]));
        QCOMPARE(written, (std::set<int64_t>{newPhoto.id, changed.id, deleted.id}));
        QCOMPARE(db.number("SELECT count(*) FROM embeddings"), int64_t(n)); // n - 1 deleted + 1 new

        const IndexSummary fourth = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(fourth.unchanged == n && fourth.indexed == 0, describe(fourth).c_str());
    }

    void brokenCorpusIsRecordedNotThrown()
    {
        QTemporaryDir tmp;
        const std::string root = tmp.filePath("photos").toStdString();
        const std::string outside = tmp.filePath("outside").toStdString();
        std::set<std::string> good;
        std::map<std::string, std::string> bad; // path -> what its reason must say

        good.insert(writePhoto(root + "/good.jpg", 1));
        good.insert(writePhoto(root + "/UPPER.JPEG", 2));
        good.insert(writePhoto(root + "/good.png", 3));
        good.insert(writePhoto(root + "/good.bmp", 4));
        // Decoded at 1/4 scale (shorter side 120 >= the tiny model's 64), recorded at its full size.
        good.insert(writePhoto(root + "/large.jpg", 13, 640, 480));
        good.insert(writePhoto(root + "/deep/deeper/nested.tiff", 5));
        // 16-bit PNG: decodeImage maps it to 8 bits.
        {
            cv::Mat deep;
            photoPixels(6).convertTo(deep, CV_16UC3, 257.0);
            writeBytes(root + "/sixteen.png", encoded(deep, ".png"));
            good.insert(root + "/sixteen.png");
        }
#ifdef LODESTONE_TEST_HAVE_LIBJPEG
        writeBytes(root + "/cmyk.jpg", cmykJpeg(40, 30)); // decodeImage converts CMYK
        good.insert(root + "/cmyk.jpg");
#else
        qInfo("no libjpeg headers at build time: the CMYK JPEG case is left out");
#endif
        const std::string jpeg = encoded(photoPixels(7), ".jpg");
        writeBytes(root + "/truncated.jpg", jpeg.substr(0, jpeg.size() / 2));
        bad[root + "/truncated.jpg"] = "truncated";
        writeBytes(root + "/empty.jpg", "");
        bad[root + "/empty.jpg"] = "empty";
        writeBytes(root + "/text.jpg", "this is not a picture\n");
        bad[root + "/text.jpg"] = "not an image";
        writeBytes(root + "/huge.png", pngClaiming(50000, 50000));
        bad[root + "/huge.png"] = "exceeds";
        writeBytes(root + "/bad\xff\xfename.jpg", jpeg);
        struct RemoveOnExit { // QTemporaryDir cannot name it to remove it
            std::string path;
            ~RemoveOnExit()
            {
                std::error_code ec;
                fs::remove(path, ec);
            }
        } badName{root + "/bad\xff\xfename.jpg"};
        bad[root + "/bad\xEF\xBF\xBD\xEF\xBF\xBDname.jpg"] = "UTF-8";
        fs::create_symlink(root + "/nowhere.jpg", root + "/dangling.jpg");
        bad[root + "/dangling.jpg"] = "broken symbolic link";
        // A loop: loop/back -> the root. loop/inside.jpg is indexed once, not again through back/loop/...
        good.insert(writePhoto(root + "/loop/inside.jpg", 8));
        fs::create_symlink(root, root + "/loop/back");
        bad[root + "/loop/back"] = "loop";
        // A directory link to elsewhere is followed.
        writePhoto(outside + "/linked.jpg", 9);
        fs::create_symlink(outside, root + "/elsewhere");
        good.insert(root + "/elsewhere/linked.jpg");
        // Hidden files and directories are not looked at.
        writePhoto(root + "/.hidden.jpg", 10);
        writePhoto(root + "/.cache/thumb.jpg", 11);

        const bool root_user = ::geteuid() == 0;
        writePhoto(root + "/locked.jpg", 12);
        ::chmod((root + "/locked.jpg").c_str(), 0);
        if (root_user) {
            qInfo("running as root: the unreadable-file case reads fine and is not asserted");
            good.insert(root + "/locked.jpg");
        } else {
            bad[root + "/locked.jpg"] = "Permission denied";
        }

        writeBytes(root + "/notes.txt", "notes");
        writeBytes(root + "/clip.mp4", "not really a video");

        Library library = Library::open(tmp.filePath("lib").toStdString());
        const IndexSummary summary = library.index(modelA(), m_modelPathA, {root}, smallBatches());
        const std::string text = describe(summary);
        QVERIFY2(summary.indexed == int64_t(good.size()), text.c_str());
        QVERIFY2(summary.failed == int64_t(bad.size()), text.c_str());
        QCOMPARE(summary.errors.size(), bad.size());
        QCOMPARE(summary.unsupported, int64_t(2));
        for (const auto &[path, reason] : bad) {
            const IndexFailure *failure = findFailure(summary, path);
            QVERIFY2(failure, ("no failure reported for " + path + "\n" + text).c_str());
            QVERIFY2(failure->error.find(reason) != std::string::npos,
                     (path + ": '" + failure->error + "' does not say '" + reason + "'").c_str());
        }

        std::set<std::string> ok;
        for (const Photo &p : library.photos()) {
            QVERIFY2(p.path.find("/.") == std::string::npos, p.path.c_str());
            if (p.status == PhotoStatus::Ok) {
                ok.insert(p.path);
                const bool large = p.path == root + "/large.jpg";
                QVERIFY2(p.width == (large ? 640 : 40) && p.height == (large ? 480 : 30), p.path.c_str());
            } else if (p.status == PhotoStatus::Failed) {
                QVERIFY2(bad.count(p.path), p.path.c_str());
                QVERIFY(!p.error.empty());
            }
        }
        QCOMPARE(ok, good);
        const Photo mp4 = *library.photoByPath(root + "/clip.mp4");
        QCOMPARE(mp4.status, PhotoStatus::Unsupported);
        QCOMPARE(mp4.error, std::string("unsupported format '.mp4'"));
        QCOMPARE(library.photoByPath(root + "/notes.txt")->status, PhotoStatus::Unsupported);
        QCOMPARE(library.photoByPath(root + "/truncated.jpg")->status, PhotoStatus::Failed);
        QVERIFY(!library.photoByPath(root + "/loop/back/good.jpg"));

        // Failures are tried again (and reported again); what indexed stays unchanged.
        const IndexSummary again = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(again.indexed == 0 && again.unchanged == int64_t(good.size()) &&
                     again.failed == int64_t(bad.size()) && again.unsupported == 2,
                 describe(again).c_str());

        // A repaired file indexes without being touched otherwise.
        writeBytes(root + "/truncated.jpg", jpeg);
        const IndexSummary repaired = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(repaired.indexed == 1 && repaired.failed == int64_t(bad.size()) - 1,
                 describe(repaired).c_str());
        QCOMPARE(library.photoByPath(root + "/truncated.jpg")->status, PhotoStatus::Ok);
        ::chmod((root + "/locked.jpg").c_str(), 0644);
    }

    void foldersNestedOrOutOfReach()
    {
        QTemporaryDir tmp;
        const std::string outer = tmp.filePath("outer").toStdString();
        const std::string inner = outer + "/inner";
        const std::string other = tmp.filePath("other").toStdString();
        writePhoto(outer + "/o.jpg", 900);
        writePhoto(inner + "/i.jpg", 901);
        writePhoto(other + "/x.jpg", 902);
        writePhoto(other + "/locked/y.jpg", 903);
        Library library = Library::open(tmp.filePath("lib").toStdString());

        // A folder inside another: its photos are catalogued once.
        const IndexSummary first =
            library.index(modelA(), m_modelPathA, {inner, outer, other}, smallBatches());
        QVERIFY2(first.indexed == 4 && first.failed == 0, describe(first).c_str());
        QCOMPARE(library.folders().size(), size_t(3));
        QCOMPARE(library.photos().size(), size_t(4));

        // Removing the inner folder keeps its photos (the outer one still holds them); the outer drops both.
        library.removeFolder(inner);
        QCOMPARE(library.photos().size(), size_t(4));
        QCOMPARE(library.index(modelA(), m_modelPathA, {}, smallBatches()).unchanged, int64_t(4));
        library.removeFolder(outer);
        QCOMPARE(catalogPaths(library), (std::set<std::string>{other + "/x.jpg", other + "/locked/y.jpg"}));

        // A directory that cannot be read, or a folder that is gone (an unmounted disk), is reported and its
        // photos are kept rather than taken for deleted.
        const bool rootUser = ::geteuid() == 0;
        if (!rootUser)
            ::chmod((other + "/locked").c_str(), 0);
        const IndexSummary locked = library.index(modelA(), m_modelPathA, {}, smallBatches());
        ::chmod((other + "/locked").c_str(), 0755);
        if (rootUser) {
            qInfo("running as root: the unreadable-directory case reads fine and is not asserted");
        } else {
            QVERIFY2(locked.removed == 0 && locked.failed == 1 && locked.unchanged == 1,
                     describe(locked).c_str());
            QVERIFY(findFailure(locked, other + "/locked"));
            QVERIFY(library.photoByPath(other + "/locked/y.jpg"));
        }
        const std::string away = tmp.filePath("away").toStdString();
        fs::rename(other, away);
        const IndexSummary gone = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(gone.removed == 0 && gone.failed == 1 && gone.indexed == 0, describe(gone).c_str());
        QVERIFY2(findFailure(gone, other)->error.find("No such file") != std::string::npos,
                 describe(gone).c_str());
        QCOMPARE(library.photos().size(), size_t(2));
        fs::rename(away, other);
        const IndexSummary back = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(back.unchanged == 2 && back.failed == 0, describe(back).c_str());
    }

    void killedRunResumes()
    {
        QTemporaryDir tmp;
        const std::string photos = tmp.filePath("photos").toStdString();
        const std::string libraryDir = tmp.filePath("lib").toStdString();
        const int n = 200;
        for (int i = 0; i < n; ++i)
            writePhoto(photos + "/" + std::to_string(i / 50) + "/photo" + std::to_string(i) + ".jpg",
                       1000 + i, 24, 20);
        const std::string modelId = modelIdentity(modelA());

        // Killed after 2 batches, then again after 3 more of the resumed run.
        int64_t committedBefore = 0;
        for (int killAfter : {2, 3}) {
            QProcess child;
            child.setProcessChannelMode(QProcess::SeparateChannels);
            child.start(QCoreApplication::applicationFilePath(),
                        {"--index-child", QString::fromStdString(libraryDir),
                         QString::fromStdString(m_modelPathA), QString::fromStdString(photos)});
            QVERIFY2(child.waitForStarted(), "cannot start the child");
            int batches = 0;
            QByteArray seen;
            while (batches < killAfter) {
                if (!child.canReadLine() && !child.waitForReadyRead(60000))
                    break;
                while (child.canReadLine()) {
                    const QByteArray line = child.readLine();
                    seen += line;
                    batches += line.startsWith("batch ");
                }
            }
            QVERIFY2(batches >= killAfter, (seen + child.readAllStandardError()).constData());
            child.kill(); // SIGKILL
            QVERIFY(child.waitForFinished(30000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);

            // Consistent as the kill left it: every committed photo has exactly its one embedding.
            RawDb db(libraryDir + "/catalog.db");
            QCOMPARE(db.value("PRAGMA integrity_check"), std::string("ok"));
            QCOMPARE(db.value("PRAGMA foreign_key_check"), std::string());
            const int64_t committed = db.number("SELECT count(*) FROM photos");
            QVERIFY2(committed > committedBefore && committed < n, std::to_string(committed).c_str());
            QCOMPARE(db.number("SELECT count(*) FROM photos WHERE status <> 'ok'"), int64_t(0));
            QCOMPARE(db.number("SELECT count(*) FROM embeddings"), committed);
            QCOMPARE(db.number("SELECT count(*) FROM photos p WHERE NOT EXISTS "
                               "(SELECT 1 FROM embeddings e WHERE e.photo_id = p.id)"),
                     int64_t(0));
            committedBefore = committed;
        }

        Library library = Library::open(libraryDir);
        const IndexSummary rest = library.index(modelA(), m_modelPathA, {photos}, smallBatches());
        QVERIFY2(rest.indexed == n - committedBefore && rest.unchanged == committedBefore &&
                     rest.failed == 0 && rest.removed == 0 && rest.moved == 0,
                 describe(rest).c_str());
        QCOMPARE(catalogPaths(library), filesOnDisk(photos));
        QCOMPARE(library.photos().size(), size_t(n));
        std::vector<int64_t> ids;
        const FloatArray vectors = library.embeddings(modelId, &ids);
        QCOMPARE(vectors.dim(0), int64_t(n));
        QCOMPARE(std::set<int64_t>(ids.begin(), ids.end()).size(), size_t(n));
        RawDb db(libraryDir + "/catalog.db");
        QCOMPARE(db.number("SELECT count(*) FROM embeddings"), int64_t(n));
        QCOMPARE(db.number("SELECT count(DISTINCT path) FROM photos"), int64_t(n));

        const std::vector<float> query(vectors.row(17), vectors.row(17) + vectors.dim(1));
        const std::vector<SearchHit> hits = library.search(modelId, query, 5);
        QCOMPARE(hits.size(), size_t(5));
        QCOMPARE(hits[0].photoId, ids[17]);
        QVERIFY(std::abs(hits[0].score - 1.0f) < 1e-4f);
    }

    void cancelStopsBetweenBatches()
    {
        QTemporaryDir tmp;
        const std::string photos = tmp.filePath("photos").toStdString();
        for (int i = 0; i < 20; ++i)
            writePhoto(photos + "/c" + std::to_string(i) + ".png", 300 + i);
        Library library = Library::open(tmp.filePath("lib").toStdString());
        std::atomic<bool> cancel{false};
        const IndexSummary first = library.index(
            modelA(), m_modelPathA, {photos}, smallBatches(),
            [&](const IndexProgress &p) {
                if (p.phase == "embedding" && p.done > 0)
                    cancel = true;
            },
            &cancel);
        QVERIFY(first.cancelled);
        QVERIFY2(first.indexed >= 4 && first.indexed < 20, describe(first).c_str());
        QCOMPARE(int64_t(library.photos().size()), first.indexed);
        const IndexSummary rest = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(!rest.cancelled && rest.indexed == 20 - first.indexed && rest.unchanged == first.indexed,
                 describe(rest).c_str());
    }

    void modelsKeepTheirOwnSpaces()
    {
        QTemporaryDir tmp;
        const std::string photos = tmp.filePath("photos").toStdString();
        for (int i = 0; i < 6; ++i)
            writePhoto(photos + "/m" + std::to_string(i) + ".jpg", 500 + i);
        Library library = Library::open(tmp.filePath("lib").toStdString());
        const std::string a = modelIdentity(modelA());
        const std::string b = modelIdentity(modelB());
        QVERIFY(!library.defaultModel());

        QCOMPARE(library.index(modelA(), m_modelPathA, {photos}, smallBatches()).indexed, int64_t(6));
        const auto aBefore = embeddingsByPath(library, a);
        const IndexSummary withB = library.index(modelB(), m_modelPathB, {}, smallBatches());
        QVERIFY2(withB.indexed == 6 && withB.unchanged == 0, describe(withB).c_str()); // Ok, but not with B

        const std::vector<ModelRecord> models = library.models();
        QCOMPARE(models.size(), size_t(2));
        QCOMPARE(models[0].id, b); // most recently used first
        QCOMPARE(models[1].id, a);
        QCOMPARE(models[0].path, m_modelPathB);
        QCOMPARE(models[0].name, std::string("tiny"));
        QCOMPARE(models[0].dim, modelB().embedDim());
        QCOMPARE(models[0].embedded, int64_t(6));
        QCOMPARE(models[1].embedded, int64_t(6));
        QCOMPARE(library.defaultModel()->id, b);

        QCOMPARE(embeddingsByPath(library, a), aBefore); // untouched by B
        const auto bVectors = embeddingsByPath(library, b);
        QCOMPARE(bVectors.size(), size_t(6));
        for (const auto &[path, v] : bVectors)
            QVERIFY(v != aBefore.at(path));

        const IndexSummary backToA = library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY2(backToA.unchanged == 6 && backToA.indexed == 0, describe(backToA).c_str());
        QCOMPARE(library.defaultModel()->id, a);

        // New content drops the other model's embedding of that photo (it described the old content).
        writePhoto(photos + "/m0.jpg", 600);
        shiftMtime(photos + "/m0.jpg", 30);
        QCOMPARE(library.index(modelA(), m_modelPathA, {}, smallBatches()).indexed, int64_t(1));
        const int64_t m0 = library.photoByPath(photos + "/m0.jpg")->id;
        QVERIFY(library.embedding(a, m0));
        QVERIFY(!library.embedding(b, m0));
        QCOMPARE(library.models()[1].embedded, int64_t(5));
        QCOMPARE(library.index(modelB(), m_modelPathB, {}, smallBatches()).indexed, int64_t(1));

        // Removing the folder drops its photos and every embedding of them.
        library.removeFolder(photos);
        QVERIFY(library.folders().empty());
        QVERIFY(library.photos().empty());
        std::vector<int64_t> ids;
        QCOMPARE(library.embeddings(a, &ids).dim(0), int64_t(0));
        QVERIFY(ids.empty());
    }

    void annIndexDisagreeingWithCatalogIsRebuilt()
    {
        ThresholdGuard threshold(1); // the ANN index from the first embedding on
        QTemporaryDir tmp;
        const std::string photos = tmp.filePath("photos").toStdString();
        for (int i = 0; i < 30; ++i)
            writePhoto(photos + "/s" + std::to_string(i) + ".jpg", 700 + i);
        const std::string libraryDir = tmp.filePath("lib").toStdString();
        const std::string modelId = modelIdentity(modelA());
        std::vector<int64_t> ids;
        FloatArray vectors;
        std::string indexFile;
        auto currentIndexFile = [&] {
            detail::Catalog catalog(libraryDir + "/catalog.db");
            const detail::ModelRow row = *catalog.model(modelId);
            return detail::annIndexPath(fs::absolute(libraryDir).lexically_normal().string(), modelId,
                                        row.version);
        };
        auto checkSearch = [&](const Library &library) {
            for (int i : {0, 13, 29}) {
                const std::vector<float> query(vectors.row(i), vectors.row(i) + vectors.dim(1));
                const std::vector<SearchHit> approximate =
                    library.search(modelId, query, 10, /*exact=*/false);
                const std::vector<SearchHit> exact = library.search(modelId, query, 10, /*exact=*/true);
                QCOMPARE(approximate.size(), size_t(10));
                QCOMPARE(approximate[0].photoId, ids[size_t(i)]);
                QCOMPARE(exact[0].photoId, ids[size_t(i)]);
                QVERIFY(std::abs(approximate[0].score - 1.0f) < 1e-4f);
            }
        };
        auto indexIds = [&] { return detail::AnnIndex::load(indexFile, int(vectors.dim(1))).ids(); };

        {
            Library library = Library::open(libraryDir);
            QCOMPARE(library.index(modelA(), m_modelPathA, {photos}, smallBatches()).indexed, int64_t(30));
            vectors = library.embeddings(modelId, &ids);
            indexFile = currentIndexFile();
            QVERIFY2(fs::exists(indexFile), indexFile.c_str()); // saved at the end of the run
            QCOMPARE(indexIds(), ids);
            checkSearch(library);
        }

        // A damaged file: rebuilt on first use.
        writeBytes(indexFile, "garbage, not an index");
        {
            const Library library = Library::open(libraryDir);
            checkSearch(library);
            QCOMPARE(indexIds(), ids);
        }

        // A file that lacks photos the catalog has: rebuilt.
        {
            detail::AnnIndex partial(int(vectors.dim(1)));
            FloatArray some({5, vectors.dim(1)});
            std::copy(vectors.data.begin(), vectors.data.begin() + some.numel(), some.data.begin());
            partial.add(std::vector<int64_t>(ids.begin(), ids.begin() + 5), some);
            partial.save(indexFile);
            QCOMPARE(indexIds().size(), size_t(5));
            const Library library = Library::open(libraryDir);
            checkSearch(library);
            QCOMPARE(indexIds(), ids);
        }

        // An indexing run updates the file, under the catalog's new version; older ones are gone.
        {
            Library library = Library::open(libraryDir);
            checkSearch(library); // loads and caches the index
            fs::remove(photos + "/s3.jpg");
            writePhoto(photos + "/s30.jpg", 730);
            const IndexSummary s = library.index(modelA(), m_modelPathA, {}, smallBatches());
            QVERIFY2(s.indexed == 1 && s.removed == 1, describe(s).c_str());
            QVERIFY(!fs::exists(indexFile));
            vectors = library.embeddings(modelId, &ids);
            indexFile = currentIndexFile();
            QCOMPARE(indexIds(), ids);
            checkSearch(library); // the cached index is replaced, not used stale
            size_t files = 0;
            for (const auto &entry : fs::directory_iterator(libraryDir + "/index"))
                files += entry.path().filename().string().starts_with(modelId);
            QCOMPARE(files, size_t(1));
        }

        // A run killed after re-embedding a photo but before saving the index leaves the previous file, whose
        // ids still agree with the catalog: its version in the name keeps it from being used with a stale
        // vector.
        {
            const std::string previous = indexFile;
            const std::string backup = libraryDir + "/previous.hnsw";
            fs::copy_file(previous, backup);
            Library library = Library::open(libraryDir);
            writePhoto(photos + "/s5.jpg", 799);
            shiftMtime(photos + "/s5.jpg", 40);
            QCOMPARE(library.index(modelA(), m_modelPathA, {}, smallBatches()).indexed, int64_t(1));
            vectors = library.embeddings(modelId, &ids);
            indexFile = currentIndexFile();
            QVERIFY(indexFile != previous);
            fs::remove(indexFile);
            fs::rename(backup, previous);
            const Library reopened = Library::open(libraryDir);
            checkSearch(reopened);
            const int64_t s5 = library.photoByPath(photos + "/s5.jpg")->id;
            const size_t row = size_t(std::find(ids.begin(), ids.end(), s5) - ids.begin());
            const std::vector<float> query(vectors.row(int64_t(row)),
                                           vectors.row(int64_t(row)) + vectors.dim(1));
            const std::vector<SearchHit> hits = reopened.search(modelId, query, 3, /*exact=*/false);
            QCOMPARE(hits[0].photoId, s5);
            QVERIFY2(std::abs(hits[0].score - 1.0f) < 1e-4f, std::to_string(hits[0].score).c_str());
            QVERIFY(fs::exists(indexFile) && !fs::exists(previous));
        }
    }

    void classificationRoundTrip()
    {
        QTemporaryDir tmp;
        const std::string photos = tmp.filePath("photos").toStdString();
        for (int i = 0; i < 3; ++i)
            writePhoto(photos + "/k" + std::to_string(i) + ".jpg", 800 + i);
        Library library = Library::open(tmp.filePath("lib").toStdString());
        library.index(modelA(), m_modelPathA, {photos}, smallBatches());
        const std::string a = modelIdentity(modelA());
        QVERIFY(!library.classification(a));

        std::vector<int64_t> ids;
        library.embeddings(a, &ids);
        QCOMPARE(ids.size(), size_t(3));
        Classification c;
        c.labels = {"cat", "dog", "a \"quoted\", label"};
        c.templates = {"a photo of {}", "{}"};
        c.threshold = 0.4f;
        c.photos = {{ids[0], 1, 0.7f, {0.1f, 0.7f, 0.2f}},
                    {ids[1], -1, 0.35f, {0.35f, 0.33f, 0.32f}},
                    {ids[2], 0, 0.5f, {0.5f, 0.25f, 0.25f}}};
        library.storeClassification(a, c);
        std::optional<Classification> back = library.classification(a);
        QVERIFY(back);
        QCOMPARE(back->labels, c.labels);
        QCOMPARE(back->templates, c.templates);
        QCOMPARE(back->threshold, c.threshold);
        QCOMPARE(back->photos.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(back->photos[i].photoId, c.photos[i].photoId);
            QCOMPARE(back->photos[i].labelIndex, c.photos[i].labelIndex);
            QCOMPARE(back->photos[i].probability, c.photos[i].probability);
            QCOMPARE(back->photos[i].probabilities, c.photos[i].probabilities);
        }

        // The latest replaces the previous one entirely.
        const int64_t k1 = library.photoByPath(photos + "/k1.jpg")->id;
        Classification d;
        d.labels = {"only"};
        d.photos = {{k1, 0, 1.0f, {1.0f}}};
        library.storeClassification(a, d);
        back = library.classification(a);
        QCOMPARE(back->labels, d.labels);
        QVERIFY(back->templates.empty());
        QCOMPARE(back->photos.size(), size_t(1));
        QCOMPARE(back->photos[0].photoId, k1);

        // Malformed input and unknown models are refused, and leave the stored one alone.
        Classification wrong = d;
        wrong.photos[0].probabilities = {0.5f, 0.5f};
        QVERIFY_THROWS_EXCEPTION(Error, library.storeClassification(a, wrong));
        wrong = d;
        wrong.photos[0].labelIndex = 1;
        QVERIFY_THROWS_EXCEPTION(Error, library.storeClassification(a, wrong));
        QVERIFY_THROWS_EXCEPTION(Error, library.storeClassification(std::string(32, '0'), d));
        QCOMPARE(library.classification(a)->labels, d.labels);

        // Labels leave with their photo.
        fs::remove(photos + "/k1.jpg");
        library.index(modelA(), m_modelPathA, {}, smallBatches());
        QVERIFY(library.classification(a)->photos.empty());
    }

    void foreignCatalogsAreRefused()
    {
        QTemporaryDir tmp;
        const std::string notSqlite = tmp.filePath("notsqlite").toStdString();
        writeBytes(notSqlite + "/catalog.db", std::string(4096, 'x'));
        try {
            Library::open(notSqlite);
            QFAIL("opened a catalog that is not SQLite");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find(notSqlite + "/catalog.db") != std::string::npos, e.what());
        }

        const std::string other = tmp.filePath("other").toStdString();
        fs::create_directories(other);
        {
            sqlite3 *db = nullptr;
            sqlite3_open((other + "/catalog.db").c_str(), &db);
            sqlite3_exec(db, "CREATE TABLE songs(title TEXT)", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        }
        try {
            Library::open(other);
            QFAIL("opened somebody else's database");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("not a Lodestone catalog") != std::string::npos, e.what());
        }

        const std::string newer = tmp.filePath("newer").toStdString();
        Library::open(newer);
        RawDb(newer + "/catalog.db").exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        try {
            Library::open(newer);
            QFAIL("opened a catalog of a newer schema");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("newer") != std::string::npos, e.what());
        }

        // Folders must exist; adding one twice is a no-op; paths are made absolute and normal.
        Library library = Library::open(tmp.filePath("lib").toStdString());
        QVERIFY_THROWS_EXCEPTION(Error, library.addFolder(tmp.filePath("absent").toStdString()));
        fs::create_directories(tmp.filePath("p/q").toStdString());
        library.addFolder(tmp.filePath("p/q/../q/").toStdString());
        library.addFolder(tmp.filePath("p/q").toStdString());
        QCOMPARE(library.folders(), std::vector<std::string>{tmp.filePath("p/q").toStdString()});

        // A single photo can be a source of its own; other files cannot.
        const std::string single = tmp.filePath("p/alone.png").toStdString();
        const std::string text = tmp.filePath("p/notes.txt").toStdString();
        std::ofstream(single) << "png";
        std::ofstream(text) << "text";
        library.addFolder(single);
        QVERIFY_THROWS_EXCEPTION(Error, library.addFolder(text));
        QCOMPARE(library.folders().size(), size_t(2));
    }
};

int main(int argc, char **argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "--index-child") == 0)
        return indexChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestLibrary test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_library.moc"
