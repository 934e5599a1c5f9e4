#include "lodestone/error.h"
#include "lodestone/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace lodestone;

namespace {

std::vector<uint8_t> floatBytes(std::vector<float> values)
{
    std::vector<uint8_t> bytes(values.size() * 4);
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
}

// A raw file: 8-byte little-endian header size, header text, data.
QByteArray rawFile(uint64_t claimedHeaderSize, const QByteArray &header, const QByteArray &data)
{
    QByteArray out;
    for (int i = 0; i < 8; ++i)
        out.append(char((claimedHeaderSize >> (8 * i)) & 0xff));
    return out + header + data;
}

QByteArray rawFile(const QByteArray &header, const QByteArray &data)
{
    return rawFile(uint64_t(header.size()), header, data);
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.safetensors").toStdString();
        std::vector<TensorToWrite> tensors{
            {"a.weight", DType::F32, {2, 3}, floatBytes({1, 2, 3, 4, 5, 6})},
            {"b", DType::F16, {2}, {0x00, 0x3c, 0x00, 0xc0}}, // 1.0, -2.0
            {"scalar", DType::F32, {}, floatBytes({7})},
        };
        writeSafetensors(path, tensors, {{"format", "pt"}});
        const SafetensorsFile file = SafetensorsFile::open(path);
        QCOMPARE(file.tensors().size(), size_t(3));
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        const TensorView *a = file.find("a.weight");
        QVERIFY(a);
        QCOMPARE(a->shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(a->dtype, DType::F32);
        float values[6];
        std::memcpy(values, a->data, sizeof values);
        QCOMPARE(values[5], 6.0f);
        QCOMPARE(file.find("b")->bytes, size_t(4));
        QCOMPARE(file.find("scalar")->numel(), int64_t(1));
        QVERIFY(!file.find("missing"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const QByteArray header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QTest::newRow("empty file") << QByteArray() << "too short";
        QTest::newRow("header of 2^40 bytes")
            << rawFile(uint64_t(1) << 40, header, QByteArray(8, '\0')) << "over the limit";
        QTest::newRow("header longer than file") << rawFile(5000, header, QByteArray(8, '\0')) << "truncated";
        QTest::newRow("truncated data") << rawFile(header, QByteArray(4, '\0')) << "outside";
        QTest::newRow("not json") << rawFile("{oops", {}) << "not valid JSON";
        QTest::newRow("not an object") << rawFile("[]", {}) << "not a JSON object";
        QTest::newRow("unknown dtype")
            << rawFile(R"({"w":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}})", QByteArray(2, '\0'))
            << "unsupported dtype";
        QTest::newRow("size mismatch")
            << rawFile(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", QByteArray(8, '\0'))
            << "needs 12";
        QTest::newRow("negative dim")
            << rawFile(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}})", QByteArray(8, '\0'))
            << "malformed shape";
        QTest::newRow("overflowing shape")
            << rawFile(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                       QByteArray(8, '\0'))
            << "absurd shape";
        QTest::newRow("missing offsets")
            << rawFile(R"({"w":{"dtype":"F32","shape":[2]}})", QByteArray(8, '\0')) << "lacks";
    }

    void refusals()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.safetensors");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        try {
            SafetensorsFile::open(path.toStdString());
            QFAIL("expected an Error");
        } catch (const Error &e) {
            const QString message = e.what();
            QVERIFY2(message.contains(path) && message.contains(reason), qPrintable(message));
        }
    }

    void missingFile()
    {
        QVERIFY_THROWS_EXCEPTION(Error, SafetensorsFile::open("/nonexistent/x.safetensors"));
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
