// Caption sources against small samples written here: CSV (quoted commas, embedded newlines, BOM, CRLF)
// and TSV, COCO captions, sidecar .txt, folders-as-labels, WebDataset shards (ustar written by hand, so
// that libarchive's reading is checked against an independent writer), the shapes world layout, concat,
// recorded failures and the errors for malformed specs and files.

#include "lodestone/dataset.h"
#include "lodestone/error.h"

// The CSV reader is private to the core; its contract (RFC 4180 and the leniencies) is tested here.
#include "data/csvreader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace lodestone;
namespace fs = std::filesystem;

namespace {

void writeBytes(const std::string &path, const std::string &bytes)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    QVERIFY2(out.good(), path.c_str());
}

// A small encoded image, flat colour (r, g, b), with a white square so it is not uniform.
std::string encodedImage(const std::string &ext, int width, int height, int r, int g, int b)
{
    cv::Mat image(height, width, CV_8UC3, cv::Scalar(b, g, r));
    cv::rectangle(image, cv::Rect(1, 1, width / 3, height / 3), cv::Scalar(255, 255, 255), cv::FILLED);
    std::vector<uchar> bytes;
    if (!cv::imencode(ext, image, bytes))
        qFatal("cv::imencode(%s) failed", ext.c_str());
    return std::string(bytes.begin(), bytes.end());
}

std::string writeImage(const std::string &path, int r = 200, int g = 40, int b = 40)
{
    const std::string ext = fs::path(path).extension().string();
    writeBytes(path, encodedImage(ext == ".jpeg" ? ".jpg" : ext, 12, 10, r, g, b));
    return path;
}

// A ustar archive built byte by byte (POSIX.1-1988 headers, 512-byte blocks, two zero blocks at the end).
class TarWriter {
public:
    enum class LongNames { Ustar, Gnu, Pax };

    // Long names (over 99 bytes) go into a GNU ././@LongLink record or a pax extended header before the
    // member's own header, as GNU tar and Python's tarfile write them.
    void add(const std::string &name, const std::string &data, LongNames longNames = LongNames::Ustar)
    {
        if (longNames == LongNames::Gnu)
            block("././@LongLink", name + '\0', 'L');
        if (longNames == LongNames::Pax) {
            std::string record = " path=" + name + "\n";
            size_t length = record.size() + 1;
            while (std::to_string(length).size() + record.size() != length)
                ++length;
            block("PaxHeaders/member", std::to_string(length) + record, 'x');
        }
        block(longNames == LongNames::Ustar ? name : name.substr(0, 99), data, '0');
        offsets.push_back(m_bytes.size() - padded(data.size()));
    }
    std::string finish() const { return m_bytes + std::string(1024, '\0'); }
    std::vector<size_t> offsets; // where each member's data starts

private:
    static size_t padded(size_t n) { return (n + 511) / 512 * 512; }

    void block(const std::string &name, const std::string &data, char type)
    {
        char header[512] = {};
        std::snprintf(header, 100, "%s", name.c_str());
        std::snprintf(header + 100, 8, "%07o", 0644);
        std::snprintf(header + 108, 8, "%07o", 1000);
        std::snprintf(header + 116, 8, "%07o", 1000);
        std::snprintf(header + 124, 12, "%011o", unsigned(data.size()));
        std::snprintf(header + 136, 12, "%011o", 1700000000u);
        header[156] = type;
        std::memcpy(header + 257, "ustar", 6);
        std::memcpy(header + 263, "00", 2);
        std::memset(header + 148, ' ', 8);
        unsigned sum = 0;
        for (unsigned char c : header)
            sum += c;
        std::snprintf(header + 148, 8, "%06o", sum);
        header[155] = ' ';
        m_bytes.append(header, 512);
        m_bytes += data;
        m_bytes.append(padded(data.size()) - data.size(), '\0');
    }

    std::string m_bytes;
};

bool messageContains(const std::function<void()> &f, const std::vector<std::string> &parts)
{
    try {
        f();
    } catch (const Error &e) {
        const std::string what = e.what();
        for (const std::string &p : parts) {
            if (what.find(p) == std::string::npos) {
                qWarning("message '%s' lacks '%s'", what.c_str(), p.c_str());
                return false;
            }
        }
        return true;
    }
    qWarning("no Error thrown");
    return false;
}

bool hasFailure(const CaptionDataset &d, const std::string &pathPart, const std::string &reasonPart)
{
    for (const ReadFailure &f : d.failures()) {
        if (f.path.find(pathPart) != std::string::npos && f.reason.find(reasonPart) != std::string::npos)
            return true;
    }
    return false;
}

std::vector<std::vector<std::string>> parseAll(const std::string &text, char delimiter)
{
    CsvReader reader(text, delimiter, "test.csv");
    std::vector<std::vector<std::string>> rows;
    CsvRecord record;
    while (reader.next(record))
        rows.push_back(record.fields);
    return rows;
}

bool libarchiveMissing(const std::string &spec)
{
    try {
        CaptionDataset::fromSpec(spec);
    } catch (const Error &e) {
        return std::string(e.what()).find("libarchive") != std::string::npos;
    }
    return false;
}

} // namespace

using Rows = std::vector<std::vector<std::string>>;
Q_DECLARE_METATYPE(Rows)

class TestDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void csvReader_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<Rows>("expected");
        QTest::newRow("plain") << "a,b\n1,2\n" << ',' << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("no final newline") << "a,b\n1,2" << ',' << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("crlf") << "a,b\r\n1,2\r\n" << ',' << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("bom") << "\xEF\xBB\xBFpath,caption\nx,y\n"
                             << ',' << Rows{{"path", "caption"}, {"x", "y"}};
        QTest::newRow("quoted comma") << "x,\"a, b\"\n" << ',' << Rows{{"x", "a, b"}};
        QTest::newRow("doubled quote") << "x,\"say \"\"hi\"\"\"\n" << ',' << Rows{{"x", "say \"hi\""}};
        QTest::newRow("embedded newline") << "x,\"two\r\nlines\"\ny,z\n"
                                          << ',' << Rows{{"x", "two\r\nlines"}, {"y", "z"}};
        QTest::newRow("empty fields") << ",,\n" << ',' << Rows{{"", "", ""}};
        QTest::newRow("blank lines skipped") << "a\n\n\r\nb\n" << ',' << Rows{{"a"}, {"b"}};
        QTest::newRow("quote inside unquoted field") << "x,5\" disk\n" << ',' << Rows{{"x", "5\" disk"}};
        QTest::newRow("text after closing quote") << "\"a\"b,c\n" << ',' << Rows{{"ab", "c"}};
        QTest::newRow("tsv keeps commas") << "p\ta, b\n" << '\t' << Rows{{"p", "a, b"}};
        QTest::newRow("tsv quoted tab") << "p\t\"a\tb\"\n" << '\t' << Rows{{"p", "a\tb"}};
    }

    void csvReader()
    {
        QFETCH(QString, text);
        QFETCH(char, delimiter);
        QFETCH(Rows, expected);
        QCOMPARE(parseAll(text.toStdString(), delimiter), expected);
    }

    void csvReaderLines()
    {
        CsvReader reader("h\n\"a\nb\",1\nlast,2\n", ',', "x.csv");
        CsvRecord r;
        QVERIFY(reader.next(r));
        QCOMPARE(r.line, int64_t(1));
        QVERIFY(reader.next(r));
        QCOMPARE(r.line, int64_t(2));
        QVERIFY(reader.next(r));
        QCOMPARE(r.line, int64_t(4)); // the quoted newline counts
        QVERIFY(!reader.next(r));
    }

    void csvUnterminatedQuoteNamesFileAndLine()
    {
        QVERIFY(messageContains([] { parseAll("a,b\nx,\"never closed\n", ','); },
                                {"test.csv", "line 2", "never closed"}));
    }

    void csvSource()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeImage(dir + "/img/a.png");
        writeImage(dir + "/img/b.jpg");
        const std::string absolute = writeImage(dir + "/elsewhere/c.png");
        // BOM, CRLF, a quoted comma, a doubled quote, an embedded newline, an absolute path, a missing image
        // and an empty caption.
        writeBytes(dir + "/data.csv", "\xEF\xBB\xBFpath,caption\r\n"
                                      "img/a.png,\"a dog, a cat\"\r\n"
                                      "img/b.jpg,\"the \"\"best\"\" photo\nof all\"\r\n" +
                                          absolute +
                                          ",  spaced out  \r\n"
                                          "img/missing.png,a ghost\r\n"
                                          "img/a.png,\r\n");
        const CaptionDataset d = CaptionDataset::fromSpec("csv:" + dir + "/data.csv");
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d[0].image.path, dir + "/img/a.png");
        QCOMPARE(d[0].caption, std::string("a dog, a cat"));
        QCOMPARE(d[1].caption, std::string("the \"best\" photo\nof all"));
        QCOMPARE(d[2].image.path, absolute);
        QCOMPARE(d[2].caption, std::string("spaced out"));
        QCOMPARE(d[0].image.size, uint64_t(0));
        QCOMPARE(d.failures().size(), size_t(2));
        QVERIFY(hasFailure(d, "img/missing.png", "not found"));
        QVERIFY(hasFailure(d, "img/a.png", "empty caption"));
        QVERIFY(d.description().find("3 samples") != std::string::npos);
        // The image reads back whole.
        const Image8 image = decodeSampleImage(d[0].image);
        QCOMPARE(image.width, 12);
        QCOMPARE(image.height, 10);
    }

    void tsvSourceAndColumns()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeImage(dir + "/a.png");
        writeImage(dir + "/b.png");
        // TSV: commas are ordinary characters; default column names "image"/"text".
        writeBytes(dir + "/pairs.tsv", "id\ttext\timage\n1\tred, green and blue\ta.png\n2\tsecond\tb.png\n");
        const CaptionDataset tsv = CaptionDataset::fromSpec("csv:" + dir + "/pairs.tsv");
        QCOMPARE(tsv.size(), size_t(2));
        QCOMPARE(tsv[0].caption, std::string("red, green and blue"));
        QCOMPARE(tsv[1].image.path, dir + "/b.png");

        // Explicit columns.
        writeBytes(dir + "/custom.csv", "file,alt,description\na.png,ignored,the chosen one\n");
        const CaptionDataset custom = CaptionDataset::fromSpec("csv:" + dir + "/custom.csv:file:description");
        QCOMPARE(custom.size(), size_t(1));
        QCOMPARE(custom[0].caption, std::string("the chosen one"));

        // A column that is not there: the file and the header are named.
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("csv:" + dir + "/custom.csv:file:nope"); },
                                {"custom.csv", "'nope'", "file,alt,description"}));
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("csv:" + dir + "/custom.csv"); },
                                {"custom.csv", "'path'", "file,alt,description"}));
    }

    void coco()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeImage(dir + "/images/000001.jpg");
        writeImage(dir + "/images/000002.jpg");
        writeBytes(dir + "/captions.json", R"({
            "info": {}, "licenses": [],
            "images": [{"id": 1, "file_name": "000001.jpg", "width": 12, "height": 10},
                       {"id": 2, "file_name": "000002.jpg"},
                       {"id": 3, "file_name": "000003.jpg"}],
            "annotations": [{"id": 10, "image_id": 1, "caption": "A man riding a horse."},
                            {"id": 11, "image_id": 2, "caption": "Two birds on a wire. "},
                            {"id": 12, "image_id": 1, "caption": "A rider on horseback."},
                            {"id": 13, "image_id": 3, "caption": "Nobody sees this."},
                            {"id": 14, "image_id": 3, "caption": "Nor this."},
                            {"id": 15, "image_id": 99, "caption": "Orphan."}]})");
        const CaptionDataset d =
            CaptionDataset::fromSpec("coco:" + dir + "/captions.json:" + dir + "/images");
        QCOMPARE(d.size(), size_t(3)); // one sample per caption
        QCOMPARE(d[0].image.path, dir + "/images/000001.jpg");
        QCOMPARE(d[0].caption, std::string("A man riding a horse."));
        QCOMPARE(d[1].caption, std::string("Two birds on a wire."));
        QCOMPARE(d[2].image.path, d[0].image.path);
        QCOMPARE(d[2].attributes.at("image_id"), std::string("1"));
        QCOMPARE(d.attributeValues("image_id"), (std::vector<std::string>{"1", "2"}));
        QVERIFY(hasFailure(d, "000003.jpg", "2 captions"));
        QVERIFY(hasFailure(d, "captions.json", "unknown image_id 99"));

        writeBytes(dir + "/broken.json", "{\"images\": [");
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("coco:" + dir + "/broken.json:" + dir); },
                                {"broken.json", "JSON"}));
        writeBytes(dir + "/wrong.json", "{\"categories\": []}");
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("coco:" + dir + "/wrong.json:" + dir); },
                                {"wrong.json", "annotations"}));
    }

    void sidecar()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeImage(dir + "/b.jpg");
        writeBytes(dir + "/b.txt", "  a sunny\n beach  \n");
        writeImage(dir + "/sub/a.png");
        writeBytes(dir + "/sub/a.png.txt", "mountain lake");
        writeImage(dir + "/uncaptioned.png");
        writeImage(dir + "/empty.png");
        writeBytes(dir + "/empty.txt", " \n");
        writeBytes(dir + "/notes.txt", "not a caption of anything");
        writeImage(dir + "/.hidden/x.png");
        writeBytes(dir + "/.hidden/x.txt", "hidden");
        const CaptionDataset d = CaptionDataset::fromSpec("sidecar:" + dir);
        QCOMPARE(d.size(), size_t(2));
        // Sorted by path: b.jpg before sub/a.png.
        QCOMPARE(d[0].image.path, dir + "/b.jpg");
        QCOMPARE(d[0].caption, std::string("a sunny beach"));
        QCOMPARE(d[1].image.path, dir + "/sub/a.png");
        QCOMPARE(d[1].caption, std::string("mountain lake"));
        QVERIFY(hasFailure(d, "uncaptioned.png", "no caption file"));
        QVERIFY(hasFailure(d, "empty.png", "empty caption"));
        QCOMPARE(d.failures().size(), size_t(2));
    }

    void folders()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        for (int i = 0; i < 6; ++i)
            writeImage(dir + "/golden_retriever/" + std::to_string(i) + ".jpg");
        writeImage(dir + "/apple/nested/one.png");
        writeImage(dir + "/stray.png");
        writeBytes(dir + "/apple/readme.txt", "not an image");
        const CaptionDataset d = CaptionDataset::fromSpec("folders:" + dir);
        QCOMPARE(d.size(), size_t(7));
        QCOMPARE(d[0].attributes.at("label"), std::string("apple"));
        QVERIFY2(d[0].caption.find("apple") != std::string::npos, d[0].caption.c_str());
        QVERIFY2(d[0].caption.find(" a apple") == std::string::npos, d[0].caption.c_str()); // "an apple"
        std::set<std::string> captions;
        for (size_t i = 1; i < d.size(); ++i) {
            QCOMPARE(d[i].attributes.at("label"), std::string("golden retriever"));
            QCOMPARE(d[i].attributes.at("folder"), std::string("golden_retriever"));
            QVERIFY2(d[i].caption.find("golden retriever") != std::string::npos, d[i].caption.c_str());
            captions.insert(d[i].caption);
        }
        QVERIFY2(captions.size() > 1, "templates vary between samples");
        QCOMPARE(d.attributeValues("label"), (std::vector<std::string>{"apple", "golden retriever"}));
        QVERIFY(hasFailure(d, "stray.png", "label folder"));
        // Deterministic: the same folder gives the same captions.
        const CaptionDataset again = CaptionDataset::fromSpec("folders:" + dir);
        for (size_t i = 0; i < d.size(); ++i)
            QCOMPARE(again[i].caption, d[i].caption);
    }

    void webDataset()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const std::string jpg = encodedImage(".jpg", 16, 12, 10, 200, 30);
        const std::string png = encodedImage(".png", 9, 7, 30, 20, 220);
        TarWriter shard0;
        shard0.add("s/000.jpg", jpg);
        shard0.add("s/000.txt", "a green field\n");
        shard0.add("s/001.png", png);
        shard0.add("s/001.txt", "blue sky");
        shard0.add("s/001.cls", "7");
        shard0.add("s/002.txt", "no image here");
        shard0.add("s/003.seg.png", png); // key s/003, extension seg.png: not an image of the sample
        shard0.add("s/003.webp.json", "{}");
        writeBytes(dir + "/shard-000.tar", shard0.finish());
        TarWriter shard1;
        shard1.add("100.jpeg", jpg);
        shard1.add("100.TXT", "uppercase extension");
        shard1.add("101.png", png);
        writeBytes(dir + "/shard-001.tar", shard1.finish());

        const std::string spec = "wds:" + dir + "/shard-{000..001}.tar";
        if (libarchiveMissing(spec))
            QSKIP("this build has no libarchive; wds: sources are refused (checked by the message)");
        const CaptionDataset d = CaptionDataset::fromSpec(spec);
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d[0].caption, std::string("a green field"));
        QCOMPARE(d[0].image.path, dir + "/shard-000.tar");
        QCOMPARE(d[0].image.member, std::string("s/000.jpg"));
        QCOMPARE(d[0].image.offset, uint64_t(shard0.offsets[0]));
        QCOMPARE(d[0].image.size, uint64_t(jpg.size()));
        QCOMPARE(d[1].caption, std::string("blue sky"));
        QCOMPARE(d[1].attributes.at("label"), std::string("7"));
        QCOMPARE(d[1].image.offset, uint64_t(shard0.offsets[2]));
        QCOMPARE(d[2].caption, std::string("uppercase extension"));
        QCOMPARE(d[2].image.path, dir + "/shard-001.tar");

        // The bytes by offset are the member's bytes, and they decode.
        const std::vector<uint8_t> bytes = readImageBytes(d[1].image);
        QCOMPARE(std::string(bytes.begin(), bytes.end()), png);
        const Image8 image = decodeSampleImage(d[0].image);
        QCOMPARE(image.width, 16);
        QCOMPARE(image.height, 12);

        QVERIFY(hasFailure(d, "shard-000.tar:s/002", "no image"));
        QVERIFY(hasFailure(d, "shard-001.tar:101", "no caption"));

        // A member range beyond the end of the file is an Error naming the shard and member.
        ImageRef bad = d[0].image;
        bad.offset = 1 << 20;
        QVERIFY(messageContains([&] { readImageBytes(bad); }, {"shard-000.tar:s/000.jpg", "beyond"}));

        // Globs work as well as braces.
        QCOMPARE(CaptionDataset::fromSpec("wds:" + dir + "/shard-*.tar").size(), size_t(3));
    }

    void webDatasetLongNamesAndTruncation_data()
    {
        QTest::addColumn<int>("longNames");
        QTest::newRow("gnu") << int(TarWriter::LongNames::Gnu);
        QTest::newRow("pax") << int(TarWriter::LongNames::Pax);
    }

    void webDatasetLongNamesAndTruncation()
    {
        QFETCH(int, longNames);
        const auto mode = TarWriter::LongNames(longNames);
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        const std::string jpg = encodedImage(".jpg", 16, 12, 10, 200, 30);
        const std::string png = encodedImage(".png", 9, 7, 30, 20, 220);
        const std::string deep = std::string(120, 'd') + "/sample-with-a-rather-long-key";
        TarWriter shard;
        shard.add(deep + ".txt", "a long way down", mode);
        shard.add(deep + ".jpg", jpg, mode);
        shard.add("short.png", png);
        shard.add("short.txt", "short and sweet");
        shard.add("last.png", png);
        shard.add("last.txt", "cut off");
        writeBytes(dir + "/long.tar", shard.finish());
        if (libarchiveMissing("wds:" + dir + "/long.tar"))
            QSKIP("this build has no libarchive");
        const CaptionDataset d = CaptionDataset::fromSpec("wds:" + dir + "/long.tar");
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d[0].image.member, deep + ".jpg");
        QCOMPARE(d[0].image.offset, uint64_t(shard.offsets[1]));
        const std::vector<uint8_t> bytes = readImageBytes(d[0].image);
        QCOMPARE(std::string(bytes.begin(), bytes.end()), jpg);
        QCOMPARE(d[1].image.offset, uint64_t(shard.offsets[2]));

        // A shard cut in the middle of its last image: what came before is kept, the rest is a failure.
        const std::string whole = shard.finish();
        writeBytes(dir + "/cut.tar", whole.substr(0, shard.offsets[4] + png.size() / 2));
        const CaptionDataset cut = CaptionDataset::fromSpec("wds:" + dir + "/cut.tar");
        QCOMPARE(cut.size(), size_t(2));
        QVERIFY(!cut.failures().empty());
        for (const Sample &sample : cut.samples())
            QCOMPARE(readImageBytes(sample.image).size(), size_t(sample.image.size));
    }

    void webDatasetRefusals()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeBytes(dir + "/shard.tar.gz",
                   std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8) + std::string(64, 'x'));
        if (libarchiveMissing("wds:" + dir + "/shard.tar.gz")) {
            QVERIFY(messageContains([&] { CaptionDataset::fromSpec("wds:" + dir + "/shard.tar.gz"); },
                                    {"libarchive"}));
            return;
        }
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("wds:" + dir + "/shard.tar.gz"); },
                                {"shard.tar.gz", "gzip", "uncompressed"}));
        writeBytes(dir + "/junk.tar", std::string(2000, 'j'));
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("wds:" + dir + "/junk.tar"); },
                                {"junk.tar", "not a tar"}));
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("wds:" + dir + "/absent-{0..1}.tar"); },
                                {"absent-0.tar"}));
    }

    void shardPatterns()
    {
        QCOMPARE(expandShardPattern("a-{000..003}.tar"),
                 (std::vector<std::string>{"a-000.tar", "a-001.tar", "a-002.tar", "a-003.tar"}));
        QCOMPARE(expandShardPattern("{8..11}"), (std::vector<std::string>{"8", "9", "10", "11"}));
        QCOMPARE(expandShardPattern("{x,y}/{0..1}.tar"),
                 (std::vector<std::string>{"x/0.tar", "x/1.tar", "y/0.tar", "y/1.tar"}));
        QCOMPARE(expandShardPattern("plain.tar"), (std::vector<std::string>{"plain.tar"}));
        QCOMPARE(expandShardPattern("{solo}.tar"), (std::vector<std::string>{"{solo}.tar"}));
        QVERIFY(messageContains([] { expandShardPattern("a-{000..003.tar"); }, {"unbalanced"}));
        QVERIFY(messageContains([] { expandShardPattern("a-{0..99999999}.tar"); }, {"too many"}));

        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeBytes(dir + "/b.tar", "");
        writeBytes(dir + "/a.tar", "");
        writeBytes(dir + "/c.txt", "");
        QCOMPARE(expandShardPattern(dir + "/*.tar"),
                 (std::vector<std::string>{dir + "/a.tar", dir + "/b.tar"}));
    }

    void shapesWorld()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        for (const std::string split : {"train", "test"}) {
            const std::string base = dir + "/" + split;
            writeImage(base + "/images/000000.png");
            writeImage(base + "/images/000001.png");
            writeBytes(base + "/captions.csv", "path,caption\n"
                                               "images/000000.png,a red circle\n"
                                               "images/000001.png,\"a blue square left of a green star\"\n");
        }
        writeBytes(dir + "/train/labels.csv",
                   "path,kind,colour,shape,count,size,relation,colour2,shape2\n"
                   "images/000000.png,single,red,circle,1,small,,,\n"
                   "images/000001.png,relation,blue,square,2,large,left of,green,star\n");
        writeBytes(dir + "/test/labels.csv", "path,kind,colour,shape,count,size,relation,colour2,shape2\n"
                                             "images/000001.png,single,purple,hexagon,1,small,,,\n");
        const CaptionDataset train = CaptionDataset::fromSpec("shapes:" + dir);
        QCOMPARE(train.size(), size_t(2));
        QCOMPARE(train[0].image.path, dir + "/train/images/000000.png");
        QCOMPARE(train[0].attributes.at("colour"), std::string("red"));
        QCOMPARE(train[0].attributes.at("count"), std::string("1"));
        QVERIFY(!train[0].attributes.count("relation")); // empty cells are left out
        QVERIFY(!train[0].attributes.count("path"));
        QCOMPARE(train[1].attributes.at("relation"), std::string("left of"));
        QCOMPARE(train[1].attributes.at("shape2"), std::string("star"));
        QCOMPARE(train.attributeValues("colour"), (std::vector<std::string>{"blue", "red"}));
        QCOMPARE(train.attributeValues("kind"), (std::vector<std::string>{"relation", "single"}));

        const CaptionDataset test = CaptionDataset::fromSpec("shapes:" + dir, Split::Test);
        QCOMPARE(test[0].image.path, dir + "/test/images/000000.png");
        QVERIFY(test[0].attributes.empty()); // no labels.csv row for it
        QCOMPARE(test[1].attributes.at("shape"), std::string("hexagon"));

        QVERIFY(
            messageContains([&] { CaptionDataset::fromSpec("shapes:" + dir + "/train"); }, {"train/train"}));
    }

    void concat()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeImage(dir + "/a.png");
        writeBytes(dir + "/a.txt", "first");
        writeImage(dir + "/f/cat/c.png");
        writeBytes(dir + "/one.csv", "path,caption\na.png,from csv\nnope.png,missing\n");
        std::vector<CaptionDataset> parts;
        parts.push_back(CaptionDataset::fromSpec("csv:" + dir + "/one.csv"));
        parts.push_back(CaptionDataset::fromSpec("folders:" + dir + "/f"));
        parts.push_back(CaptionDataset::fromSpec("sidecar:" + dir));
        const CaptionDataset all = CaptionDataset::concat(std::move(parts));
        // sidecar: finds a.png (captioned) and f/cat/c.png (uncaptioned: a failure).
        QCOMPARE(all.size(), size_t(3));
        QCOMPARE(all[0].caption, std::string("from csv"));
        QCOMPARE(all[1].attributes.at("label"), std::string("cat"));
        QCOMPARE(all[2].caption, std::string("first"));
        QCOMPARE(all.failures().size(), size_t(2));
        QVERIFY(all.description().find(" + ") != std::string::npos);
        QCOMPARE(all.attributeValues("label"), (std::vector<std::string>{"cat"}));
        QCOMPARE(CaptionDataset::concat({}).size(), size_t(0));
    }

    void malformedSpecs()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        QVERIFY(messageContains([] { CaptionDataset::fromSpec("nonsense"); }, {"nonsense", "KIND"}));
        QVERIFY(messageContains([] { CaptionDataset::fromSpec("parquet:x.parquet"); },
                                {"unknown kind 'parquet'"}));
        QVERIFY(
            messageContains([&] { CaptionDataset::fromSpec("csv:" + dir + "/absent.csv"); }, {"absent.csv"}));
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("sidecar:" + dir + "/nowhere"); },
                                {"nowhere", "does not exist"}));
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("coco:" + dir + "/c.json"); },
                                {"ANNOTATIONS.json:IMAGE_DIR"}));
        writeBytes(dir + "/empty.csv", "");
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("csv:" + dir + "/empty.csv"); },
                                {"empty.csv", "empty"}));
        writeBytes(dir + "/open.csv", "path,caption\na.png,\"never closed\n");
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("csv:" + dir + "/open.csv"); },
                                {"open.csv", "line 2", "never closed"}));
        // Nothing usable: an Error that says why (the first failure).
        writeBytes(dir + "/ghosts.csv", "path,caption\nghost.png,boo\n");
        QVERIFY(messageContains([&] { CaptionDataset::fromSpec("csv:" + dir + "/ghosts.csv"); },
                                {"ghosts.csv", "no usable samples", "ghost.png", "not found"}));
    }

    void decodeErrorsNameTheFile()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeBytes(dir + "/fake.jpg", "this is text, not a JPEG");
        QVERIFY(messageContains(
            [&] {
                decodeSampleImage(ImageRef{dir + "/fake.jpg", 0, 0, {}});
            },
            {"fake.jpg"}));
        QVERIFY(messageContains(
            [&] {
                readImageBytes(ImageRef{dir + "/absent.png", 0, 0, {}});
            },
            {"absent.png"}));
    }
};

QTEST_APPLESS_MAIN(TestDataset)
#include "tst_dataset.moc"
