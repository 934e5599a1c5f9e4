// Hardening against bad input (docs/fuzzing.md). Every input with which a fuzz target in fuzz/ crashed,
// hung or allocated without bound is kept in tests/data/regressions/<target>/ and fed here to the parser the
// target drives, which must now refuse it with the Error listed (or accept it). The seed corpora must stay
// valid inputs, so that the fuzzers start inside the formats. And each documented limit is refused, on an
// input made here, with a message that names the limit and its value.

#include "lodestone/clipmodel.h"
#include "lodestone/dataset.h"
#include "lodestone/error.h"
#include "lodestone/image.h"
#include "lodestone/npy.h"
#include "lodestone/query.h"
#include "lodestone/safetensors.h"
#include "lodestone/tokenizer.h"

#include "fuzzsupport.h" // the fuzz targets' file-set format

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace lodestone;
namespace fs = std::filesystem;

namespace {

const QString RegressionsDir = QStringLiteral(LODESTONE_REGRESSIONS_DIR);
const QString CorpusDir = QStringLiteral(LODESTONE_FUZZ_CORPUS_DIR);

std::string readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray bytes = file.readAll();
    return std::string(bytes.constData(), size_t(bytes.size()));
}

void writeFile(const fs::path &path, const std::string &bytes)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out.good())
        qFatal("cannot write %s", path.c_str());
}

// A ustar archive written byte by byte (512-byte headers and blocks, two zero blocks at the end). `declared`
// overrides the size written in a member's header, for members whose data is not there.
class TarWriter {
public:
    void add(const std::string &name, const std::string &data, uint64_t declared = 0)
    {
        char header[512] = {};
        std::snprintf(header, 100, "%s", name.c_str());
        std::snprintf(header + 100, 8, "%07o", 0644);
        std::snprintf(header + 108, 8, "%07o", 0);
        std::snprintf(header + 116, 8, "%07o", 0);
        std::snprintf(header + 124, 12, "%011llo",
                      static_cast<unsigned long long>(declared ? declared : data.size()));
        std::snprintf(header + 136, 12, "%011o", 0);
        header[156] = '0';
        std::memcpy(header + 257, "ustar", 6);
        std::memcpy(header + 263, "00", 2);
        std::memset(header + 148, ' ', 8);
        unsigned sum = 0;
        for (unsigned char c : header)
            sum += c;
        std::snprintf(header + 148, 8, "%06o", sum);
        m_bytes.append(header, 512);
        m_bytes += data;
        m_bytes.append((512 - data.size() % 512) % 512, '\0');
    }
    std::string finish() const { return m_bytes + std::string(1024, '\0'); }

private:
    std::string m_bytes;
};

// The scratch files the caption-source targets read beside their input (fuzz_csv, fuzz_coco).
void writeScratchImages(const fs::path &dir)
{
    writeFile(dir / "a.jpg", "\xff\xd8\xff");
    writeFile(dir / "images" / "a.jpg", "\xff\xd8\xff");
    writeFile(dir / "images" / "b.png", "\x89PNG");
}

const ClipTokenizer &smallTokenizer()
{
    static const ClipTokenizer tokenizer = ClipTokenizer::trainBpe(
        {"a photo of a cat", "a photo of a dog on the grass", "two dogs playing in the snow"}, 600);
    return tokenizer;
}

// Feeds `bytes` to the parser that fuzz target `target` drives, as the target does (fuzz/fuzz_<target>.cpp),
// with scratch files in `dir`. Returns "" when the input is accepted, else the Error's message; anything
// else (another exception, a crash) fails the test.
std::string parseAs(const QString &target, const std::string &bytes, const fs::path &dir)
{
    writeScratchImages(dir);
    const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
    try {
        if (target == "safetensors") {
            SafetensorsFile::fromBytes(std::vector<uint8_t>(data, data + bytes.size()), "input.safetensors");
        } else if (target == "modelimport" || target == "vocab") {
            const fs::path folder = dir / target.toStdString();
            fs::create_directories(folder);
            std::string bare;
            std::string text = "a photo of a cat";
            for (const fuzz::NamedFile &file : fuzz::splitFileSet(data, bytes.size())) {
                if (file.name == "text")
                    text = std::string(file.content);
                else if (file.name == "weights.safetensors")
                    writeFile(bare = (dir / file.name).string(), std::string(file.content));
                else if (file.name.find('/') == std::string::npos)
                    writeFile(folder / file.name, std::string(file.content));
            }
            if (target == "modelimport") {
                LoadOptions options;
                options.device = "cpu";
                ClipModel::load(bare.empty() ? folder.string() : bare, options);
            } else {
                ClipTokenizer::fromFolder(folder.string()).tokenize(text);
            }
        } else if (target == "tokenizer") {
            smallTokenizer().tokenize(bytes);
        } else if (target == "csv") {
            const fs::path path = dir / (!bytes.empty() && bytes[0] == 't' ? "captions.tsv" : "captions.csv");
            writeFile(path, bytes);
            CaptionDataset::fromCsv(path.string());
        } else if (target == "coco") {
            writeFile(dir / "captions.json", bytes);
            CaptionDataset::fromCoco((dir / "captions.json").string(), (dir / "images").string());
        } else if (target == "webdataset") {
            writeFile(dir / "shard.tar", bytes);
            const CaptionDataset dataset = CaptionDataset::fromWebDataset((dir / "shard.tar").string());
            for (const Sample &sample : dataset.samples())
                readImageBytes(sample.image);
        } else if (target == "shardpattern") {
            expandShardPattern(bytes);
        } else if (target == "query") {
            parseQuery(bytes);
        } else if (target == "image") {
            DecodeOptions options;
            options.maxPixels = int64_t(1) << 24; // as fuzz_image
            decodeImageBytes(data, bytes.size(), "input", options);
        } else if (target == "npy") {
            writeFile(dir / "array.npy", bytes);
            readNpy((dir / "array.npy").string());
        } else {
            qFatal("no parser for target %s", qPrintable(target));
        }
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

// The regression inputs: tests/data/regressions/<target>/<file>, and a part of the Error's message the parser
// must now give (empty: the input is accepted). What each did before its fix is in the comment.
struct Regression {
    const char *target;
    const char *file;
    const char *expected;
};
const Regression Regressions[] = {
    // UBSan: 1e300 converted to int by nlohmann's get<int>().
    {"modelimport", "hf-float-hidden-size", "'hidden_size' is 1e+300, not an integer setting"},
    // UBSan: division by zero (vision width / head_width).
    {"modelimport", "openclip-head-width-zero", "'head_width' is 0, not a positive width"},
    // Out of memory: a 48 GB text tower built from the config before the weights were compared with it.
    {"modelimport", "hf-huge-text-width", "needs at least"},
    // A ViT-B/32-sized model (600 MB, 3 s) built for an 8 KB folder before the weights were compared.
    {"modelimport", "hf-empty-config", "but the weights hold only"},
    // Out of memory (2.3 GB, 17 s under ASan): an id of 2^24 - 1 in a 7 KB vocab.json sized the id tables.
    {"vocab", "endoftext-id-16777215", "outside the limit of 0..262143"},
    // Out of memory (over 2 GB, 30 s): 20 brace pairs before a 4000-character name, a million long names.
    {"shardpattern", "braces-before-long-name", "bytes in all (the limit)"},
    // Out of memory: a 40 GB array allocated for a (100000, 100000) header before the data was measured.
    {"npy", "huge-shape.npy", "data is truncated"},
    // UBSan: signed overflow multiplying the dimensions of (8, 999999999999999999, 9, 0).
    {"npy", "shape-product-overflow.npy", "is too large"},
};

bool hasFailure(const CaptionDataset &dataset, const std::string &reasonPart)
{
    for (const ReadFailure &f : dataset.failures()) {
        if (f.reason.find(reasonPart) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

class TestHardening : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void regressions_data();
    void regressions();
    void everyRegressionFileIsListed();
    void npyLongHeader();
    void seedsAreValidInputs_data();
    void seedsAreValidInputs();

    void safetensorsHeaderLimit();
    void safetensorsTensorCountLimit();
    void imagePixelLimit();
    void captionLimit_data();
    void captionLimit();
    void tarMemberLimit();
    void modelConfigBeyondItsWeights();
    void inferredDimensionLimit();
    void modelJsonLimit();
    void imageFileLimit();
};

void TestHardening::regressions_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    for (const Regression &r : Regressions)
        QTest::addRow("%s/%s", r.target, r.file)
            << QString(r.target) << QString(r.file) << QString(r.expected);
}

void TestHardening::regressions()
{
    QFETCH(QString, target);
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string message =
        parseAs(target, readAll(RegressionsDir + "/" + target + "/" + file), dir.path().toStdString());
    if (expected.isEmpty())
        QVERIFY2(message.empty(), message.c_str());
    else
        QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
}

void TestHardening::everyRegressionFileIsListed()
{
    QSet<QString> listed;
    for (const Regression &r : Regressions)
        listed.insert(QString(r.target) + "/" + r.file);
    int files = 0;
    for (const QString &target : QDir(RegressionsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const QString &file : QDir(RegressionsDir + "/" + target).entryList(QDir::Files)) {
            QVERIFY2(listed.contains(target + "/" + file),
                     qPrintable(target + "/" + file + " is not in Regressions"));
            ++files;
        }
    }
    QCOMPARE(files, int(std::size(Regressions)));
}

void TestHardening::npyLongHeader()
{
    // A 100 KB header: the std::regex that read it recursed once per character and overflowed the stack
    // (found under ASan, where frames are larger; longer headers do it in any build). Made here rather than
    // kept as a file.
    std::string header =
        "{'descr': '" + std::string(100000, 'x') + "', 'fortran_order': False, 'shape': (2,), }";
    header += "\n";
    std::string bytes = std::string("\x93NUMPY\x02\x00", 8);
    const uint32_t length = uint32_t(header.size());
    for (int i = 0; i < 4; ++i)
        bytes += char((length >> (8 * i)) & 0xff);
    bytes += header + std::string(8, '\0');
    QTemporaryDir dir;
    const std::string message = parseAs("npy", bytes, dir.path().toStdString());
    QVERIFY2(message.find("unsupported dtype") != std::string::npos, message.c_str());
}

void TestHardening::seedsAreValidInputs_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    // The seeds meant to be accepted whole; the CSV, COCO and WebDataset seeds also hold rows the reader
    // skips, and are accepted with those recorded as failures.
    for (const char *target : {"safetensors", "modelimport", "vocab", "tokenizer", "csv", "coco",
                               "webdataset", "shardpattern", "query", "image", "npy"}) {
        for (const QString &file : QDir(CorpusDir + "/" + target).entryList(QDir::Files))
            QTest::addRow("%s/%s", target, qPrintable(file)) << QString(target) << file;
    }
}

void TestHardening::seedsAreValidInputs()
{
    QFETCH(QString, target);
    QFETCH(QString, file);
    QTemporaryDir dir;
    const std::string message =
        parseAs(target, readAll(CorpusDir + "/" + target + "/" + file), dir.path().toStdString());
    QVERIFY2(message.empty(), message.c_str());
}

void TestHardening::safetensorsHeaderLimit()
{
    // The size field claims one byte more than the limit; nothing else needs to be there.
    const uint64_t claimed = SafetensorsFile::kMaxHeaderBytes + 1;
    std::vector<uint8_t> bytes(8);
    for (int i = 0; i < 8; ++i)
        bytes[size_t(i)] = uint8_t(claimed >> (8 * i));
    bytes.insert(bytes.end(), {'{', '}'});
    try {
        SafetensorsFile::fromBytes(bytes, "big.safetensors");
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(QString(e.what()),
                 QStringLiteral("loading 'big.safetensors': header claims 104857601 bytes, "
                                "over the limit of 104857600 bytes"));
    }
}

void TestHardening::safetensorsTensorCountLimit()
{
    // One entry more than the limit, each as short as JSON allows; refused while the header is parsed.
    std::string header = "{";
    for (size_t i = 0; i <= SafetensorsFile::kMaxTensors; ++i)
        header.append(i ? ",\"" : "\"").append(std::to_string(i)).append("\":0");
    header += "}";
    std::vector<uint8_t> bytes(8);
    for (int i = 0; i < 8; ++i)
        bytes[size_t(i)] = uint8_t(uint64_t(header.size()) >> (8 * i));
    bytes.insert(bytes.end(), header.begin(), header.end());
    try {
        SafetensorsFile::fromBytes(bytes, "many.safetensors");
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(QString(e.what()),
                 QStringLiteral(
                     "loading 'many.safetensors': header lists more tensors than the limit of 1048576"));
    }
}

void TestHardening::imagePixelLimit()
{
    // A PNG signature and IHDR claiming 20000 x 20000 pixels, and nothing else: refused from the header,
    // before anything is decoded or allocated.
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    for (uint32_t side : {20000u, 20000u})
        for (int shift : {24, 16, 8, 0})
            png += char((side >> shift) & 0xff);
    png += std::string("\x08\x02\0\0\0\0\0\0\0", 9);
    QCOMPARE(DecodeOptions().maxPixels, int64_t(1) << 28);
    try {
        decodeImageBytes(reinterpret_cast<const uint8_t *>(png.data()), png.size(), "big.png");
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(QString(e.what()),
                 QStringLiteral("decoding 'big.png': 20000x20000 pixels exceeds the limit of 268435456"));
    }
}

void TestHardening::captionLimit_data()
{
    QTest::addColumn<QString>("source");
    for (const char *source : {"csv", "coco", "sidecar", "webdataset"})
        QTest::newRow(source) << QString(source);
}

void TestHardening::captionLimit()
{
    // Two samples: one with a caption of exactly the limit (kept), one a byte over (skipped, naming it).
    QFETCH(QString, source);
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    const std::string longest(kMaxCaptionBytes, 'a');
    const std::string tooLong(kMaxCaptionBytes + 1, 'b');
    writeFile(dir / "one.jpg", "\xff\xd8\xff");
    writeFile(dir / "two.jpg", "\xff\xd8\xff");
    CaptionDataset dataset;
    if (source == "csv") {
        writeFile(dir / "captions.csv", "path,caption\none.jpg," + longest + "\ntwo.jpg," + tooLong + "\n");
        dataset = CaptionDataset::fromCsv((dir / "captions.csv").string());
    } else if (source == "coco") {
        writeFile(dir / "captions.json",
                  R"({"images": [{"id": 1, "file_name": "one.jpg"}, {"id": 2, "file_name": "two.jpg"}],
                  "annotations": [{"image_id": 1, "caption": ")" +
                      longest + R"("}, {"image_id": 2, "caption": ")" + tooLong + R"("}]})");
        dataset = CaptionDataset::fromCoco((dir / "captions.json").string(), dir.string());
    } else if (source == "sidecar") {
        writeFile(dir / "one.txt", longest);
        writeFile(dir / "two.txt", tooLong);
        dataset = CaptionDataset::fromSidecar(dir.string());
    } else {
        TarWriter tar;
        tar.add("one.jpg", "\xff\xd8\xff");
        tar.add("one.txt", longest);
        tar.add("two.jpg", "\xff\xd8\xff");
        tar.add("two.txt", tooLong);
        writeFile(dir / "shard.tar", tar.finish());
        dataset = CaptionDataset::fromWebDataset((dir / "shard.tar").string());
    }
    QCOMPARE(dataset.size(), size_t(1));
    QCOMPARE(dataset[0].caption, longest);
    QVERIFY(hasFailure(dataset, "65537 bytes, over the limit of 65536 bytes"));
}

void TestHardening::tarMemberLimit()
{
    // An image member whose header declares one byte over the limit (its data is not there: the shard ends
    // after it, which is recorded too), after a whole sample that is kept.
    TarWriter tar;
    tar.add("one.jpg", "\xff\xd8\xff");
    tar.add("one.txt", "a caption");
    tar.add("two.txt", "another caption");
    tar.add("two.jpg", "", kMaxTarMemberBytes + 1);
    QTemporaryDir tmp;
    const fs::path shard = fs::path(tmp.path().toStdString()) / "shard.tar";
    writeFile(shard, tar.finish());
    const CaptionDataset dataset = CaptionDataset::fromWebDataset(shard.string());
    QCOMPARE(dataset.size(), size_t(1));
    QVERIFY(hasFailure(dataset, "image member of 1073741825 bytes, over the limit of 1073741824 bytes"));

    // The same limit holds for a reference made elsewhere.
    ImageRef ref{shard.string(), 512, kMaxTarMemberBytes + 1, "two.jpg"};
    QVERIFY_THROWS_EXCEPTION(Error, readImageBytes(ref));
}

void TestHardening::modelConfigBeyondItsWeights()
{
    // A Hugging Face folder whose config.json asks for more parameters than model.safetensors holds values
    // is refused before the model is built, naming both counts. The weights file is the seed's (8-wide).
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    const std::string seed = readAll(CorpusDir + "/modelimport/huggingface");
    for (const fuzz::NamedFile &file :
         fuzz::splitFileSet(reinterpret_cast<const uint8_t *>(seed.data()), seed.size()))
        writeFile(dir / file.name, std::string(file.content));
    writeFile(dir / "config.json",
              R"({"projection_dim": 4, "text_config": {"hidden_size": 4096, "vocab_size": 16,
        "max_position_embeddings": 4, "num_hidden_layers": 1, "intermediate_size": 16, "num_attention_heads": 2},
        "vision_config": {"hidden_size": 8, "intermediate_size": 16, "num_attention_heads": 2,
        "num_hidden_layers": 1, "image_size": 4, "patch_size": 2}})");
    LoadOptions options;
    options.device = "cpu";
    try {
        ClipModel::load(dir.string(), options);
        QFAIL("accepted");
    } catch (const Error &e) {
        const QString message = e.what();
        QVERIFY2(message.contains("model.safetensors") &&
                     message.contains("needs at least 6.734e+07 parameters") &&
                     message.contains("the weights hold only 1622 values"),
                 qPrintable(message));
    }
}

void TestHardening::inferredDimensionLimit()
{
    // A bare OpenAI-named file whose patch embedding claims a width one over the limit; a 0 elsewhere in its
    // shape keeps it empty, so the file is a few hundred bytes.
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("wide.safetensors").toStdString();
    const auto tensor = [](const char *name, std::vector<int64_t> shape) {
        return TensorToWrite{name, DType::F32, std::move(shape), {}};
    };
    writeSafetensors(path,
                     {tensor("visual.conv1.weight", {(int64_t(1) << 24) + 1, 3, 0, 0}),
                      tensor("visual.positional_embedding", {5, 0}), tensor("text_projection", {0, 4}),
                      tensor("token_embedding.weight", {16, 0}), tensor("positional_embedding", {4, 0})});
    LoadOptions options;
    options.device = "cpu";
    try {
        ClipModel::load(path, options);
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(
            QString(e.what()).contains("tensor 'visual.conv1.weight' has shape [16777217,3,0,0], a dimension "
                                       "over the limit of 16777216"),
            e.what());
    }
}

void TestHardening::modelJsonLimit()
{
    // A config.json one byte over 16 MiB (white space around an empty object) is refused before parsing.
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writeFile(dir / "config.json", "{}" + std::string((size_t(16) << 20) - 1, ' '));
    writeFile(dir / "model.safetensors", "");
    try {
        ClipModel::load(dir.string());
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("config.json' is 16777217 bytes, over the limit of 16777216"),
                 e.what());
    }
}

void TestHardening::imageFileLimit()
{
    // A sparse file one byte over 1 GiB: refused from its size, before anything is read.
    QTemporaryDir tmp;
    const fs::path path = fs::path(tmp.path().toStdString()) / "big.jpg";
    writeFile(path, "\xff\xd8\xff");
    fs::resize_file(path, (uint64_t(1) << 30) + 1);
    try {
        decodeImage(path.string());
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("is 1073741825 bytes, over the limit of 1073741824"), e.what());
    }
}

QTEST_APPLESS_MAIN(TestHardening)
#include "tst_hardening.moc"
