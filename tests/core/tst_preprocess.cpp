// Decoding (OpenCV, EXIF orientation, reduced JPEG decoding, refusals) and the reference CLIP
// preprocessing (Pillow's bicubic resize, torchvision's geometry), against the clip-tiny fixture and
// against values worked out by hand. Test images are built here byte by byte, so the suite needs no
// encoder: PNG and BMP writers below, and one small JPEG embedded as base64.

#include "fixtures.h"

#include "lodestone/error.h"
#include "lodestone/image.h"
#include "lodestone/npy.h"

// The EXIF reader is private to the core; its contract (bounds-checked, DateTimeOriginal) is tested here.
#include "image/exif.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <atomic>
#include <cmath>
#include <random>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using lodestone::Image8;

namespace {

// 128x64 pixels, four flat quadrants: top-left red, top-right green, bottom-left blue, bottom-right
// white. Written once with OpenCV: cv::imencode(".jpg", image, {IMWRITE_JPEG_QUALITY, 90}) (4:2:0, JFIF,
// no EXIF).
const char QuadrantsJpegBase64[] =
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQ"
    "ERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU"
    "FBQUFBQUFBQUFBQUFBT/wAARCABAAIADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAA"
    "AgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6"
    "Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG"
    "x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREA"
    "AgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPE"
    "xcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD50ooor8MP9UwooooAKKKKACiiigD7Gooo"
    "r8SP+Y8KKKKACiiigAooooA+OaKKK/bT/pwCiiigAooooAKKKKAPsaiiivxI/wCY8KKKKACiiigAooooA/Lyiiiv+jM/uUKK"
    "KKACiiigAooooA/pbooor/Kw+4CiiigAooooAKKKKAP5pKKKK/1TPhwooooAKKKKACiiigD+luiiiv8AKw+4CiiigAooooAK"
    "KKKAP//Z";

QByteArray quadrantsJpeg()
{
    return QByteArray::fromBase64(QByteArray(QuadrantsJpegBase64));
}

enum Colour : char { Red = 'R', Green = 'G', Blue = 'B', White = 'W' };

std::array<int, 3> rgbOf(char colour)
{
    switch (colour) {
    case Red:
        return {255, 0, 0};
    case Green:
        return {0, 255, 0};
    case Blue:
        return {0, 0, 255};
    default:
        return {255, 255, 255};
    }
}

const uint8_t *data(const QByteArray &bytes)
{
    return reinterpret_cast<const uint8_t *>(bytes.constData());
}

void appendBe16(QByteArray &out, uint32_t v)
{
    out.append(char((v >> 8) & 0xFF));
    out.append(char(v & 0xFF));
}

void appendBe32(QByteArray &out, uint32_t v)
{
    appendBe16(out, v >> 16);
    appendBe16(out, v & 0xFFFF);
}

void appendLe16(QByteArray &out, uint32_t v)
{
    out.append(char(v & 0xFF));
    out.append(char((v >> 8) & 0xFF));
}

void appendLe32(QByteArray &out, uint32_t v)
{
    appendLe16(out, v & 0xFFFF);
    appendLe16(out, v >> 16);
}

// A TIFF-structured EXIF block ("Exif\0\0" + header + IFD0 [+ Exif IFD]) in either byte order.
QByteArray exifPayload(int orientation, bool bigEndian, const QByteArray &dateTimeOriginal = {})
{
    auto u16 = [&](QByteArray &out, uint32_t v) { bigEndian ? appendBe16(out, v) : appendLe16(out, v); };
    auto u32 = [&](QByteArray &out, uint32_t v) { bigEndian ? appendBe32(out, v) : appendLe32(out, v); };
    QByteArray tiff(bigEndian ? "MM" : "II");
    u16(tiff, 42);
    u32(tiff, 8); // IFD0 right after the header
    const bool withDate = !dateTimeOriginal.isEmpty();
    const uint32_t ifd0Entries = withDate ? 2 : 1;
    const uint32_t exifIfdOffset = 8 + 2 + 12 * ifd0Entries + 4;
    u16(tiff, ifd0Entries);
    u16(tiff, 0x0112); // Orientation, SHORT, 1 value, inline (left-justified in the 4 bytes)
    u16(tiff, 3);
    u32(tiff, 1);
    u16(tiff, uint32_t(orientation));
    u16(tiff, 0);
    if (withDate) {
        u16(tiff, 0x8769); // Exif IFD pointer, LONG
        u16(tiff, 4);
        u32(tiff, 1);
        u32(tiff, exifIfdOffset);
    }
    u32(tiff, 0); // no IFD1
    if (withDate) {
        const QByteArray text = dateTimeOriginal + '\0';
        const uint32_t textOffset = exifIfdOffset + 2 + 12 + 4;
        u16(tiff, 1);
        u16(tiff, 0x9003); // DateTimeOriginal, ASCII, stored after the IFD
        u16(tiff, 2);
        u32(tiff, uint32_t(text.size()));
        u32(tiff, textOffset);
        u32(tiff, 0);
        tiff.append(text);
    }
    return QByteArray("Exif\0\0", 6) + tiff;
}

// The JPEG with an APP1 EXIF segment spliced in after its JFIF APP0 segment.
QByteArray withExif(const QByteArray &jpeg, const QByteArray &payload)
{
    const int app0Length = (uchar(jpeg[4]) << 8) | uchar(jpeg[5]);
    const int insertAt = 4 + app0Length; // SOI (2) + APP0 marker (2) + its length
    QByteArray segment("\xFF\xE1", 2);
    appendBe16(segment, uint32_t(payload.size() + 2));
    segment.append(payload);
    QByteArray out = jpeg;
    out.insert(insertAt, segment);
    return out;
}

uint32_t crc32(const QByteArray &bytes)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (char ch : bytes) {
        crc ^= uchar(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

QByteArray pngChunk(const char *type, const QByteArray &payload)
{
    QByteArray out;
    appendBe32(out, uint32_t(payload.size()));
    const QByteArray typed = QByteArray(type, 4) + payload;
    out.append(typed);
    appendBe32(out, crc32(typed));
    return out;
}

// A non-interlaced PNG. `samples` holds the rows without filter bytes (16-bit samples big-endian);
// qCompress gives a zlib stream after its 4-byte length prefix.
QByteArray makePng(int width, int height, int bitDepth, int colourType, const QByteArray &samples,
                   const QByteArray &palette = {}, const QByteArray &transparency = {})
{
    QByteArray ihdr;
    appendBe32(ihdr, uint32_t(width));
    appendBe32(ihdr, uint32_t(height));
    ihdr.append(char(bitDepth));
    ihdr.append(char(colourType));
    ihdr.append(3, '\0'); // deflate, adaptive filtering, no interlace
    const int rowBytes = int(samples.size()) / height;
    QByteArray filtered;
    for (int y = 0; y < height; ++y)
        filtered.append('\0').append(samples.mid(y * rowBytes, rowBytes));
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    png += pngChunk("IHDR", ihdr);
    if (!palette.isEmpty())
        png += pngChunk("PLTE", palette);
    if (!transparency.isEmpty())
        png += pngChunk("tRNS", transparency);
    png += pngChunk("IDAT", qCompress(filtered).mid(4));
    png += pngChunk("IEND", {});
    return png;
}

QByteArray bytesOf(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(char(v));
    return out;
}

// A 24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes, BGR). `rgb` is top-down RGB.
QByteArray makeBmp(int width, int height, const std::vector<uint8_t> &rgb)
{
    const int stride = (width * 3 + 3) / 4 * 4;
    QByteArray out("BM");
    appendLe32(out, uint32_t(54 + stride * height));
    appendLe32(out, 0);
    appendLe32(out, 54);
    appendLe32(out, 40);
    appendLe32(out, uint32_t(width));
    appendLe32(out, uint32_t(height));
    appendLe16(out, 1);
    appendLe16(out, 24);
    appendLe32(out, 0); // BI_RGB
    appendLe32(out, uint32_t(stride * height));
    appendLe32(out, 2835);
    appendLe32(out, 2835);
    appendLe32(out, 0);
    appendLe32(out, 0);
    for (int y = height - 1; y >= 0; --y) {
        QByteArray row;
        for (int x = 0; x < width; ++x) {
            const uint8_t *p = &rgb[size_t((y * width + x) * 3)];
            row.append(char(p[2])).append(char(p[1])).append(char(p[0]));
        }
        row.append(stride - row.size(), '\0');
        out.append(row);
    }
    return out;
}

Image8 makeImage(int width, int height, int channels, std::vector<uint8_t> pixels)
{
    Image8 image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.pixels = std::move(pixels);
    return image;
}

Image8 randomImage(int width, int height, int channels, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    std::vector<uint8_t> pixels(size_t(width * height * channels));
    for (uint8_t &p : pixels)
        p = uint8_t(byte(rng));
    return makeImage(width, height, channels, std::move(pixels));
}

// An image whose every pixel is `pixel` (3 or 4 channels from the vector's size).
Image8 constantImage(int width, int height, const std::vector<int> &pixel)
{
    std::vector<uint8_t> pixels;
    for (int i = 0; i < width * height; ++i) {
        for (int v : pixel)
            pixels.push_back(uint8_t(v));
    }
    return makeImage(width, height, int(pixel.size()), std::move(pixels));
}

// Channel c of pixel (x, y).
int pixelAt(const Image8 &image, int x, int y, int c)
{
    return image.pixels[size_t((y * image.width + x) * image.channels + c)];
}

// The 2x2 quadrant colours of a decoded quadrants image, sampled at each quadrant's centre, as "RGBW".
QString quadrantColours(const Image8 &image)
{
    QString out;
    for (int qy = 0; qy < 2; ++qy) {
        for (int qx = 0; qx < 2; ++qx) {
            const int x = image.width / 4 + qx * image.width / 2;
            const int y = image.height / 4 + qy * image.height / 2;
            char best = '?';
            for (char colour : {Red, Green, Blue, White}) {
                const std::array<int, 3> rgb = rgbOf(colour);
                bool close = true;
                for (int c = 0; c < 3; ++c)
                    close = close && std::abs(pixelAt(image, x, y, c) - rgb[size_t(c)]) <= 40;
                if (close)
                    best = colour;
            }
            out += QLatin1Char(best);
        }
    }
    return out;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// The message of the lodestone::Error that `f` throws; fails the test when it throws nothing or
// something else.
template <typename F>
QString errorOf(F f)
{
    try {
        f();
    } catch (const lodestone::Error &e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("<not a lodestone::Error: %1>").arg(QString::fromUtf8(e.what()));
    }
    return QStringLiteral("<no error>");
}

} // namespace

class TestPreprocess : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Against the reference (shared fixture).
    void referencePixels_data();
    void referencePixels();
    void preprocessFilesBatch();

    // Pillow's resampling, by hand.
    void resizeConstant_data();
    void resizeConstant();
    void resizeByHand_data();
    void resizeByHand();
    void resizeRgbaIsPremultiplied();
    void resizeUpscaleShape();
    void resizeRejectsBadInput();

    // torchvision's geometry and normalisation.
    void preprocessGeometry_data();
    void preprocessGeometry();
    void preprocessNormalisation();

    // Decoding.
    void decodePng_data();
    void decodePng();
    void decodeRgbaWithoutAlpha();
    void decodeBmp();
    void exifOrientation_data();
    void exifOrientation();
    void exifFields();
    void exifMalformedInputStaysInBounds();
    void reducedDecode_data();
    void reducedDecode();
    void maxPixelsOption();
    void truncatedInputNeverCrashes();
    void decodeConcurrently();

    // Refusals.
    void refusals_data();
    void refusals();
    void preprocessFilesNamesTheFailingFile();
};

// ---------------------------------------------------------------------------------------------------
// Reference

void TestPreprocess::referencePixels_data()
{
    LODESTONE_REQUIRE_FIXTURE(dir);
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("index");
    QFile meta(QString::fromStdString(dir + "/reference/meta.json"));
    QVERIFY2(meta.open(QIODevice::ReadOnly), "cannot read reference/meta.json");
    const QJsonArray images = QJsonDocument::fromJson(meta.readAll()).object().value("images").toArray();
    QCOMPARE(images.size(), 7);
    for (int i = 0; i < images.size(); ++i) {
        const QString name = images.at(i).toString();
        QTest::newRow(qPrintable(name)) << name << i;
    }
}

void TestPreprocess::referencePixels()
{
    LODESTONE_REQUIRE_FIXTURE(dir);
    QFETCH(QString, name);
    QFETCH(int, index);
    const lodestone::FloatArray reference = lodestone::readNpy(dir + "/reference/image_pixels.npy");
    QCOMPARE(QString::fromStdString(reference.shapeString()), QStringLiteral("[7,3,64,64]"));

    lodestone::PreprocessConfig config; // CLIP's mean and std
    config.imageSize = 64;
    const Image8 image = lodestone::decodeImage(dir + "/images/" + name.toStdString());
    const lodestone::FloatArray pixels = lodestone::preprocessImage(image, config);
    QCOMPARE(QString::fromStdString(pixels.shapeString()), QStringLiteral("[3,64,64]"));

    const float *ref = reference.row(index);
    double sum = 0;
    double worst = 0;
    int differing = 0;
    for (size_t i = 0; i < pixels.data.size(); ++i) {
        const double d = std::abs(double(pixels.data[i]) - double(ref[i]));
        sum += d;
        worst = std::max(worst, d);
        differing += d > 1e-6 ? 1 : 0;
    }
    const double mean = sum / double(pixels.data.size());
    // One 8-bit step is 1 / 255 / std, about 0.015 in these units.
    qInfo("%-15s %dx%dx%d  mean |diff| %.3g  max |diff| %.3g  (%.2f steps)  values differing: %d of %zu",
          qPrintable(name), image.width, image.height, image.channels, mean, worst,
          worst * 255.0 * double(config.std[0]), differing, pixels.data.size());
    // The README's bounds for a faithful implementation.
    QVERIFY2(mean < 0.003, qPrintable(QStringLiteral("mean |diff| %1").arg(mean)));
    QVERIFY2(worst < 0.1, qPrintable(QStringLiteral("max |diff| %1").arg(worst)));
    // PNG decoding is lossless and the resize is an exact port, so PNGs match bit for bit; JPEGs may
    // differ by a step where the JPEG library differs from the reference's.
    if (name.endsWith(QLatin1String(".png")))
        QVERIFY2(worst < 1e-6, qPrintable(QStringLiteral("PNG max |diff| %1, expected exact").arg(worst)));
}

void TestPreprocess::preprocessFilesBatch()
{
    LODESTONE_REQUIRE_FIXTURE(dir);
    QFile meta(QString::fromStdString(dir + "/reference/meta.json"));
    QVERIFY(meta.open(QIODevice::ReadOnly));
    const QJsonArray images = QJsonDocument::fromJson(meta.readAll()).object().value("images").toArray();
    std::vector<std::string> paths;
    for (const QJsonValue &v : images)
        paths.push_back(dir + "/images/" + v.toString().toStdString());

    lodestone::PreprocessConfig config;
    config.imageSize = 64;
    const lodestone::FloatArray batch = lodestone::preprocessFiles(paths, config);
    QCOMPARE(QString::fromStdString(batch.shapeString()), QStringLiteral("[7,3,64,64]"));
    for (size_t i = 0; i < paths.size(); ++i) {
        const lodestone::FloatArray one =
            lodestone::preprocessImage(lodestone::decodeImage(paths[i]), config);
        QVERIFY(std::equal(one.data.begin(), one.data.end(), batch.row(int64_t(i))));
    }

    const lodestone::FloatArray reference = lodestone::readNpy(dir + "/reference/image_pixels.npy");
    double sum = 0;
    double worst = 0;
    for (size_t i = 0; i < batch.data.size(); ++i) {
        const double d = std::abs(double(batch.data[i]) - double(reference.data[i]));
        sum += d;
        worst = std::max(worst, d);
    }
    qInfo("all 7 images: mean |diff| %.3g  max |diff| %.3g", sum / double(batch.data.size()), worst);
    QVERIFY(sum / double(batch.data.size()) < 0.003);
    QVERIFY(worst < 0.1);
}

// ---------------------------------------------------------------------------------------------------
// Resampling

void TestPreprocess::resizeConstant_data()
{
    QTest::addColumn<int>("inWidth");
    QTest::addColumn<int>("inHeight");
    QTest::addColumn<int>("outWidth");
    QTest::addColumn<int>("outHeight");
    QTest::addColumn<QVector<int>>("pixel");
    QTest::addColumn<QVector<int>>("expected");

    const QVector<int> rgb{17, 128, 250};
    QTest::newRow("shrink") << 37 << 23 << 5 << 7 << rgb << rgb;
    QTest::newRow("grow") << 3 << 4 << 17 << 9 << rgb << rgb;
    QTest::newRow("shrink-x-grow-y") << 40 << 3 << 7 << 11 << rgb << rgb;
    QTest::newRow("same-size") << 6 << 5 << 6 << 5 << rgb << rgb;
    QTest::newRow("extremes") << 9 << 9 << 4 << 4 << QVector<int>{0, 255, 0} << QVector<int>{0, 255, 0};
    QTest::newRow("opaque-rgba") << 10 << 10 << 3 << 3 << QVector<int>{1, 2, 3, 255}
                                 << QVector<int>{1, 2, 3, 255};
    // Premultiplied round trip, as Pillow: MULDIV255(100, 128) = 50, then 255 * 50 / 128 = 99 (truncated);
    // MULDIV255(150, 128) = 75 -> 149; MULDIV255(200, 128) = 100 -> 199. Pillow gives the same.
    QTest::newRow("translucent-rgba")
        << 5 << 5 << 3 << 3 << QVector<int>{100, 150, 200, 128} << QVector<int>{99, 149, 199, 128};
    // Same size: Image.resize returns a copy, no round trip.
    QTest::newRow("translucent-rgba-same-size")
        << 5 << 5 << 5 << 5 << QVector<int>{100, 150, 200, 128} << QVector<int>{100, 150, 200, 128};
}

void TestPreprocess::resizeConstant()
{
    QFETCH(int, inWidth);
    QFETCH(int, inHeight);
    QFETCH(int, outWidth);
    QFETCH(int, outHeight);
    QFETCH(QVector<int>, pixel);
    QFETCH(QVector<int>, expected);
    const Image8 in = constantImage(inWidth, inHeight, std::vector<int>(pixel.begin(), pixel.end()));
    const Image8 out = lodestone::resizeBicubicPillow(in, outWidth, outHeight);
    QCOMPARE(out.width, outWidth);
    QCOMPARE(out.height, outHeight);
    QCOMPARE(out.channels, in.channels);
    QCOMPARE(out.pixels.size(), size_t(outWidth * outHeight * in.channels));
    for (int y = 0; y < outHeight; ++y) {
        for (int x = 0; x < outWidth; ++x) {
            for (int c = 0; c < in.channels; ++c)
                QCOMPARE(pixelAt(out, x, y, c), expected[c]);
        }
    }
}

void TestPreprocess::resizeByHand_data()
{
    QTest::addColumn<bool>("vertical");
    QTest::addColumn<QVector<int>>("input");
    QTest::addColumn<QVector<int>>("expected");

    // Shrinking 4 -> 2: scale 2, the filter widened to support 4. Output 0: centre 1.0, taps x = 0..3
    // (xmin = int(1 - 4 + 0.5) = -2 -> 0, xmax = int(1 + 4 + 0.5) = 5 -> 4) at (x - 1 + 0.5) / 2 =
    // -0.25, 0.25, 0.75, 1.25; bicubic(a = -0.5) gives 0.8671875, 0.8671875, 0.2265625, -0.0703125,
    // sum 1.890625, i.e. weights (111, 111, 29, -9) / 242. Output 1 mirrors them: (-9, 29, 111, 111) / 242.
    //   [0, 64, 128, 192]: (64*111 + 128*29 - 192*9) / 242 = 37.55 -> 38; (64*29 + 128*111 + 192*111) / 242
    //   = 154.45 -> 154. (A box filter would give 32 and 160: the window is cut at the edges.)
    //   [0, 0, 255, 255]: 255 * 20 / 242 = 21.07 -> 21; 255 * 222 / 242 = 233.93 -> 234.
    QTest::newRow("shrink-horizontal") << false << QVector<int>{0, 64, 128, 192} << QVector<int>{38, 154};
    QTest::newRow("shrink-vertical") << true << QVector<int>{0, 64, 128, 192} << QVector<int>{38, 154};
    QTest::newRow("shrink-step") << false << QVector<int>{0, 0, 255, 255} << QVector<int>{21, 234};
    // Growing 2 -> 4: scale 0.5, support 2. Centres 0.25, 0.75, 1.25, 1.75, both inputs in reach:
    //   out 0: taps at 0.25, 1.25 -> 0.8671875, -0.0703125: (100*0.8671875 - 200*0.0703125) / 0.796875
    //   = 91.18 -> 91 out 1: taps at -0.25, 0.75 -> 0.8671875, 0.2265625: (86.71875 + 45.3125) / 1.09375 =
    //   120.71 -> 121 out 2: mirror of out 1: (22.65625 + 173.4375) / 1.09375 = 179.29 -> 179 out 3: mirror
    //   of out 0: (-7.03125 + 173.4375) / 0.796875 = 208.82 -> 209
    QTest::newRow("grow-horizontal") << false << QVector<int>{100, 200} << QVector<int>{91, 121, 179, 209};
    QTest::newRow("grow-vertical") << true << QVector<int>{100, 200} << QVector<int>{91, 121, 179, 209};
    // Overshoot is clipped: [0, 255] -> out 0 = -22.5 -> 0, out 1 = 57.77 / 1.09375 = 52.8 -> 53,
    // out 2 = 221.13 / 1.09375 = 202.2 -> 202, out 3 = 277.5 -> 255.
    QTest::newRow("grow-clipped") << false << QVector<int>{0, 255} << QVector<int>{0, 53, 202, 255};
}

void TestPreprocess::resizeByHand()
{
    QFETCH(bool, vertical);
    QFETCH(QVector<int>, input);
    QFETCH(QVector<int>, expected);
    std::vector<uint8_t> pixels;
    for (int v : input)
        pixels.insert(pixels.end(), {uint8_t(v), uint8_t(v), uint8_t(v)});
    const int n = int(input.size());
    const int m = int(expected.size());
    const Image8 in = makeImage(vertical ? 1 : n, vertical ? n : 1, 3, pixels);
    const Image8 out = lodestone::resizeBicubicPillow(in, vertical ? 1 : m, vertical ? m : 1);
    QVector<int> got;
    for (int i = 0; i < m; ++i) {
        const int v = pixelAt(out, vertical ? 0 : i, vertical ? i : 0, 0);
        QCOMPARE(pixelAt(out, vertical ? 0 : i, vertical ? i : 0, 2), v);
        got.append(v);
    }
    QCOMPARE(got, expected);
}

void TestPreprocess::resizeRgbaIsPremultiplied()
{
    // Opaque red next to fully transparent green, shrunk 4 -> 2 (weights as in resizeByHand). Resampled
    // premultiplied, the transparent green is black with no weight: no green bleeds in, red stays 255.
    //   out 0: alpha = 255 * 222 / 242 = 234, red 234 premultiplied -> 255 * 234 / 234 = 255
    //   out 1: alpha = 255 * 20 / 242 = 21, red 21 premultiplied -> 255
    // (Resampled straight, out 0 would be (234, 21, 0): a green fringe.)
    const Image8 in = makeImage(4, 1, 4, {255, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0});
    const Image8 out = lodestone::resizeBicubicPillow(in, 2, 1);
    const std::vector<uint8_t> expected{255, 0, 0, 234, 255, 0, 0, 21};
    QCOMPARE(out.pixels, expected);
}

void TestPreprocess::resizeUpscaleShape()
{
    // A horizontal ramp grown 5x3 -> 23x11 stays a ramp: monotonic along x, constant along y.
    std::vector<uint8_t> pixels;
    for (int y = 0; y < 3; ++y) {
        for (int x = 0; x < 5; ++x)
            pixels.insert(pixels.end(), {uint8_t(40 * x + 20), uint8_t(100), uint8_t(200 - 40 * x)});
    }
    const Image8 out = lodestone::resizeBicubicPillow(makeImage(5, 3, 3, pixels), 23, 11);
    QCOMPARE(out.width, 23);
    QCOMPARE(out.height, 11);
    for (int y = 0; y < 11; ++y) {
        for (int x = 0; x < 23; ++x) {
            QCOMPARE(pixelAt(out, x, y, 0), pixelAt(out, x, 0, 0));
            QCOMPARE(pixelAt(out, x, y, 1), 100);
            if (x > 0) {
                QVERIFY(pixelAt(out, x, y, 0) >= pixelAt(out, x - 1, y, 0));
                QVERIFY(pixelAt(out, x, y, 2) <= pixelAt(out, x - 1, y, 2));
            }
        }
    }
    QVERIFY(pixelAt(out, 0, 0, 0) < 30);
    QVERIFY(pixelAt(out, 22, 0, 0) > 170);
}

void TestPreprocess::resizeRejectsBadInput()
{
    const Image8 good = constantImage(4, 4, {1, 2, 3});
    QVERIFY(errorOf([&] { lodestone::resizeBicubicPillow(good, 0, 4); }).contains("positive"));
    Image8 bad = good;
    bad.pixels.pop_back();
    QVERIFY(errorOf([&] { lodestone::resizeBicubicPillow(bad, 2, 2); }).contains("invalid image"));
    lodestone::PreprocessConfig config;
    config.imageSize = 0;
    QVERIFY(errorOf([&] { lodestone::preprocessImage(good, config); }).contains("out of range"));
}

// ---------------------------------------------------------------------------------------------------
// Geometry and normalisation

void TestPreprocess::preprocessGeometry_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("resizedWidth");
    QTest::addColumn<int>("resizedHeight");
    QTest::addColumn<int>("left");
    QTest::addColumn<int>("top");

    // Longer side int(n * long / short), truncated; crop offset round((resized - n) / 2), half to even.
    QTest::newRow("wide, offset 4.5 -> 4") << 34 << 16 << 8 << 17 << 8 << 4 << 0;
    QTest::newRow("wide, offset 5.5 -> 6") << 38 << 16 << 8 << 19 << 8 << 6 << 0;
    QTest::newRow("tall, 11.43 -> 11, offset 1.5 -> 2") << 21 << 30 << 8 << 8 << 11 << 0 << 2;
    QTest::newRow("grow, 13.33 -> 13, offset 2.5 -> 2") << 5 << 3 << 8 << 13 << 8 << 2 << 0;
    QTest::newRow("messi5, 102.55 -> 102") << 548 << 342 << 64 << 102 << 64 << 19 << 0;
    QTest::newRow("square, already the size") << 8 << 8 << 8 << 8 << 8 << 0 << 0;
}

void TestPreprocess::preprocessGeometry()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, size);
    QFETCH(int, resizedWidth);
    QFETCH(int, resizedHeight);
    QFETCH(int, left);
    QFETCH(int, top);

    const Image8 image = randomImage(width, height, 3, unsigned(width * 1000 + height));
    lodestone::PreprocessConfig config;
    config.imageSize = size;
    const lodestone::FloatArray got = lodestone::preprocessImage(image, config);
    QCOMPARE(QString::fromStdString(got.shapeString()), QStringLiteral("[3,%1,%1]").arg(size));

    const Image8 resized = lodestone::resizeBicubicPillow(image, resizedWidth, resizedHeight);
    for (int c = 0; c < 3; ++c) {
        for (int y = 0; y < size; ++y) {
            for (int x = 0; x < size; ++x) {
                const float v = float(pixelAt(resized, left + x, top + y, c)) / 255.0f;
                const float expected = (v - config.mean[size_t(c)]) / config.std[size_t(c)];
                QCOMPARE(got.data[size_t((c * size + y) * size + x)], expected);
            }
        }
    }
}

void TestPreprocess::preprocessNormalisation()
{
    // An RGBA image already at the model's size (no resize, so no premultiplied round trip): alpha is
    // dropped, not composited, and each channel becomes (v / 255 - mean) / std.
    lodestone::PreprocessConfig config;
    config.imageSize = 4;
    config.mean = {0.5f, 0.25f, 0.0f};
    config.std = {0.5f, 0.25f, 2.0f};
    const lodestone::FloatArray got =
        lodestone::preprocessImage(constantImage(4, 4, {255, 0, 51, 7}), config);
    const float expected[3] = {1.0f, -1.0f, (51.0f / 255.0f) / 2.0f};
    for (int c = 0; c < 3; ++c) {
        for (int i = 0; i < 16; ++i)
            QCOMPARE(got.data[size_t(c * 16 + i)], expected[c]);
    }
}

// ---------------------------------------------------------------------------------------------------
// Decoding

void TestPreprocess::decodePng_data()
{
    QTest::addColumn<QByteArray>("png");
    QTest::addColumn<int>("channels");
    QTest::addColumn<QVector<int>>("expected"); // all pixels, interleaved

    // 3x1 grey: replicated into R, G and B.
    QTest::newRow("grey-8") << makePng(3, 1, 8, 0, bytesOf({0, 77, 255})) << 3
                            << QVector<int>{0, 0, 0, 77, 77, 77, 255, 255, 255};
    // 16-bit samples to 8 bits as round(v / 257): 128 -> 0, 129 -> 1, 257*100+128 -> 100, 257*100+129 -> 101.
    QTest::newRow("grey-16") << makePng(4, 1, 16, 0, bytesOf({0, 128, 0, 129, 0x64, 0xE4, 0x64, 0xE5})) << 3
                             << QVector<int>{0, 0, 0, 1, 1, 1, 100, 100, 100, 101, 101, 101};
    QTest::newRow("rgb-16") << makePng(2, 1, 16, 2,
                                       bytesOf({0xFF, 0xFF, 0, 0, 0x80, 0x80, 0, 0, 0, 128, 0, 129}))
                            << 3 << QVector<int>{255, 0, 128, 0, 0, 1};
    // RGB and RGBA keep their order (OpenCV's BGR is undone); alpha stays straight.
    QTest::newRow("rgb-8") << makePng(2, 1, 8, 2, bytesOf({10, 20, 30, 40, 50, 60})) << 3
                           << QVector<int>{10, 20, 30, 40, 50, 60};
    QTest::newRow("rgba-8") << makePng(2, 1, 8, 6, bytesOf({10, 20, 30, 0, 40, 50, 60, 128})) << 4
                            << QVector<int>{10, 20, 30, 0, 40, 50, 60, 128};
    QTest::newRow("rgba-16") << makePng(1, 1, 16, 6, bytesOf({0xFF, 0xFF, 0x80, 0x80, 0, 0, 0x80, 0x80})) << 4
                             << QVector<int>{255, 128, 0, 128};
    QTest::newRow("grey-alpha-8") << makePng(2, 1, 8, 4, bytesOf({90, 255, 200, 10})) << 4
                                  << QVector<int>{90, 90, 90, 255, 200, 200, 200, 10};
    // Palette: indices 1, 0 into (red, blue).
    QTest::newRow("palette") << makePng(2, 1, 8, 3, bytesOf({1, 0}), bytesOf({255, 0, 0, 0, 0, 255})) << 3
                             << QVector<int>{0, 0, 255, 255, 0, 0};
}

void TestPreprocess::decodePng()
{
    QFETCH(QByteArray, png);
    QFETCH(int, channels);
    QFETCH(QVector<int>, expected);
    const Image8 image = lodestone::decodeImageBytes(data(png), size_t(png.size()), "test.png");
    QCOMPARE(image.channels, channels);
    QCOMPARE(image.height, 1);
    QCOMPARE(image.width * channels, int(expected.size()));
    QCOMPARE(QVector<int>(image.pixels.begin(), image.pixels.end()), expected);
}

void TestPreprocess::decodeRgbaWithoutAlpha()
{
    const QByteArray png = makePng(2, 1, 8, 6, bytesOf({10, 20, 30, 0, 40, 50, 60, 128}));
    lodestone::DecodeOptions options;
    options.keepAlpha = false;
    const Image8 image = lodestone::decodeImageBytes(data(png), size_t(png.size()), "rgba.png", options);
    QCOMPARE(image.channels, 3);
    QCOMPARE(image.pixels, (std::vector<uint8_t>{10, 20, 30, 40, 50, 60}));
}

void TestPreprocess::decodeBmp()
{
    // 3x2 (rows padded to 12 bytes, stored bottom-up in BGR): decoded top-down in RGB.
    const std::vector<uint8_t> rgb{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
    const QByteArray bmp = makeBmp(3, 2, rgb);
    const Image8 image = lodestone::decodeImageBytes(data(bmp), size_t(bmp.size()), "test.bmp");
    QCOMPARE(image.width, 3);
    QCOMPARE(image.height, 2);
    QCOMPARE(image.channels, 3);
    QCOMPARE(image.pixels, rgb);
}

void TestPreprocess::exifOrientation_data()
{
    QTest::addColumn<int>("orientation"); // 0: no EXIF segment at all
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<bool>("apply");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QString>("quadrants"); // top-left, top-right, bottom-left, bottom-right

    // Stored: red green / blue white, 128x64. Each orientation says how to turn it upright (TIFF 6.0).
    QTest::newRow("no EXIF") << 0 << false << true << 128 << 64 << "RGBW";
    QTest::newRow("1 as stored") << 1 << false << true << 128 << 64 << "RGBW";
    QTest::newRow("2 mirrored") << 2 << false << true << 128 << 64 << "GRWB";
    QTest::newRow("3 upside down") << 3 << true << true << 128 << 64 << "WBGR";
    QTest::newRow("4 mirrored vertically") << 4 << false << true << 128 << 64 << "BWRG";
    QTest::newRow("5 transposed") << 5 << true << true << 64 << 128 << "RBGW";
    // Rotated 90 degrees clockwise: the stored bottom-left (blue) comes to the top-left.
    QTest::newRow("6 turn clockwise, II") << 6 << false << true << 64 << 128 << "BRWG";
    QTest::newRow("6 turn clockwise, MM") << 6 << true << true << 64 << 128 << "BRWG";
    QTest::newRow("7 transversed") << 7 << false << true << 64 << 128 << "WGBR";
    QTest::newRow("8 turn counter-clockwise") << 8 << true << true << 64 << 128 << "GWRB";
    QTest::newRow("6 with applyExifOrientation off") << 6 << false << false << 128 << 64 << "RGBW";
    QTest::newRow("invalid value 9 is ignored") << 9 << false << true << 128 << 64 << "RGBW";
}

void TestPreprocess::exifOrientation()
{
    QFETCH(int, orientation);
    QFETCH(bool, bigEndian);
    QFETCH(bool, apply);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QString, quadrants);

    const QByteArray jpeg =
        orientation ? withExif(quadrantsJpeg(), exifPayload(orientation, bigEndian)) : quadrantsJpeg();
    QCOMPARE(lodestone::readExif(data(jpeg), size_t(jpeg.size())).orientation,
             orientation >= 1 && orientation <= 8 ? orientation : 1);
    lodestone::DecodeOptions options;
    options.applyExifOrientation = apply;
    const Image8 image = lodestone::decodeImageBytes(data(jpeg), size_t(jpeg.size()), "photo.jpg", options);
    QCOMPARE(image.channels, 3);
    QCOMPARE(image.width, width);
    QCOMPARE(image.height, height);
    QCOMPARE(quadrantColours(image), quadrants);
}

void TestPreprocess::exifFields()
{
    for (bool bigEndian : {false, true}) {
        const QByteArray jpeg = withExif(quadrantsJpeg(), exifPayload(8, bigEndian, "2021:07:14 18:03:59"));
        const lodestone::ExifInfo info = lodestone::readExif(data(jpeg), size_t(jpeg.size()));
        QCOMPARE(info.orientation, 8);
        QCOMPARE(QString::fromStdString(info.dateTimeOriginal), QStringLiteral("2021:07:14 18:03:59"));
    }
    // A bare TIFF structure is read too (TIFF files carry their tags in IFD0).
    const QByteArray tiff = exifPayload(3, true, "2001:02:03 04:05:06").mid(6);
    const lodestone::ExifInfo fromTiff = lodestone::readExif(data(tiff), size_t(tiff.size()));
    QCOMPARE(fromTiff.orientation, 3);
    QCOMPARE(QString::fromStdString(fromTiff.dateTimeOriginal), QStringLiteral("2001:02:03 04:05:06"));
    // Cameras without a clock write blanks: no date.
    const QByteArray blank = withExif(quadrantsJpeg(), exifPayload(1, false, "    :  :     :  :  "));
    QVERIFY(lodestone::readExif(data(blank), size_t(blank.size())).dateTimeOriginal.empty());
    // Absent: defaults.
    const QByteArray plain = quadrantsJpeg();
    const lodestone::ExifInfo none = lodestone::readExif(data(plain), size_t(plain.size()));
    QCOMPARE(none.orientation, 1);
    QVERIFY(none.dateTimeOriginal.empty());
    QCOMPARE(lodestone::readExif(nullptr, 0).orientation, 1);
}

void TestPreprocess::exifMalformedInputStaysInBounds()
{
    // Every prefix, and many random corruptions, of a JPEG with EXIF, each in a buffer of exactly its
    // size, so that an out-of-bounds read shows up under AddressSanitizer. Results stay in range.
    const QByteArray jpeg = withExif(quadrantsJpeg(), exifPayload(6, true, "2021:07:14 18:03:59"));
    const int exifEnd = 4 + ((uchar(jpeg[4]) << 8) | uchar(jpeg[5])) + 2 +
                        exifPayload(6, true, "2021:07:14 18:03:59").size() + 2;
    for (int n = 0; n <= exifEnd; ++n) {
        std::vector<uint8_t> buffer(jpeg.begin(), jpeg.begin() + n);
        const lodestone::ExifInfo info = lodestone::readExif(buffer.data(), buffer.size());
        QVERIFY(info.orientation >= 1 && info.orientation <= 8);
    }
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> position(2, exifEnd - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 3000; ++round) {
        std::vector<uint8_t> buffer(jpeg.begin(), jpeg.begin() + exifEnd);
        for (int k = 0; k < 1 + round % 4; ++k)
            buffer[size_t(position(rng))] = uint8_t(byte(rng));
        const lodestone::ExifInfo info = lodestone::readExif(buffer.data(), buffer.size());
        QVERIFY(info.orientation >= 1 && info.orientation <= 8);
        QVERIFY(info.dateTimeOriginal.size() <= buffer.size());
    }
}

void TestPreprocess::reducedDecode_data()
{
    QTest::addColumn<int>("minSide");
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");

    // The stored image is 128x64: 1/8 gives 16x8, 1/4 32x16, 1/2 64x32.
    QTest::newRow("0: full size") << 0 << 1 << 128 << 64;
    QTest::newRow("8: one eighth") << 8 << 1 << 16 << 8;
    QTest::newRow("9: one quarter") << 9 << 1 << 32 << 16;
    QTest::newRow("16: one quarter") << 16 << 1 << 32 << 16;
    QTest::newRow("20: one half") << 20 << 1 << 64 << 32;
    QTest::newRow("33: full size") << 33 << 1 << 128 << 64;
    QTest::newRow("16, orientation 6: one quarter, turned") << 16 << 6 << 16 << 32;
}

void TestPreprocess::reducedDecode()
{
    QFETCH(int, minSide);
    QFETCH(int, orientation);
    QFETCH(int, width);
    QFETCH(int, height);
    const QByteArray jpeg = withExif(quadrantsJpeg(), exifPayload(orientation, false));
    lodestone::DecodeOptions options;
    options.reducedDecodeMinSide = minSide;
    const Image8 image = lodestone::decodeImageBytes(data(jpeg), size_t(jpeg.size()), "reduced.jpg", options);
    QCOMPARE(image.width, width);
    QCOMPARE(image.height, height);
    QCOMPARE(image.channels, 3);
    QVERIFY(std::min(image.width, image.height) >= minSide);
    QCOMPARE(quadrantColours(image), orientation == 6 ? QStringLiteral("BRWG") : QStringLiteral("RGBW"));
}

void TestPreprocess::maxPixelsOption()
{
    const QByteArray png = makePng(16, 16, 8, 0, QByteArray(256, '\x40'));
    lodestone::DecodeOptions options;
    options.maxPixels = 256;
    QCOMPARE(lodestone::decodeImageBytes(data(png), size_t(png.size()), "a.png", options).width, 16);
    options.maxPixels = 255;
    const QString message =
        errorOf([&] { lodestone::decodeImageBytes(data(png), size_t(png.size()), "a.png", options); });
    QVERIFY2(message.contains("'a.png'") && message.contains("16x16 pixels exceeds the limit of 255"),
             qPrintable(message));
}

void TestPreprocess::truncatedInputNeverCrashes()
{
    // Every prefix of a PNG and of a JPEG either decodes or throws lodestone::Error.
    const QByteArray png = makePng(16, 8, 8, 2, QByteArray(16 * 8 * 3, '\x7f'));
    const QByteArray jpeg = withExif(quadrantsJpeg(), exifPayload(6, false));
    for (const QByteArray &whole : {png, jpeg}) {
        for (int n = 0; n < whole.size(); ++n) {
            const std::vector<uint8_t> prefix(whole.begin(), whole.begin() + n);
            try {
                lodestone::decodeImageBytes(prefix.data(), prefix.size(), "prefix");
            } catch (const lodestone::Error &e) {
                QVERIFY(QString::fromStdString(e.what()).startsWith("decoding 'prefix': "));
            }
        }
    }
}

void TestPreprocess::decodeConcurrently()
{
    // Decoding and preprocessing share no mutable state: threads get what one thread gets.
    const QByteArray jpeg = withExif(quadrantsJpeg(), exifPayload(6, false));
    lodestone::PreprocessConfig config;
    config.imageSize = 24;
    const lodestone::FloatArray expected = lodestone::preprocessImage(
        lodestone::decodeImageBytes(data(jpeg), size_t(jpeg.size()), "a.jpg"), config);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                const Image8 image = lodestone::decodeImageBytes(data(jpeg), size_t(jpeg.size()), "a.jpg");
                if (lodestone::preprocessImage(image, config).data != expected.data)
                    ++mismatches;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(mismatches.load(), 0);
}

// ---------------------------------------------------------------------------------------------------
// Refusals

void TestPreprocess::refusals_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("kind"); // "file", "missing" or "unreadable"
    QTest::addColumn<qint64>("maxPixels");
    QTest::addColumn<QString>("reason");

    const qint64 defaultLimit = lodestone::DecodeOptions().maxPixels;
    const QByteArray jpeg = quadrantsJpeg();

    QTest::newRow("text named .jpg") << "holiday.jpg" << QByteArray("This is not a picture.\n") << "file"
                                     << defaultLimit << "not an image (unrecognised content)";
    QTest::newRow("empty file") << "empty.png" << QByteArray() << "file" << defaultLimit << "empty file";
    QTest::newRow("first half of a JPEG")
        << "half.jpg" << jpeg.left(jpeg.size() / 2) << "file" << defaultLimit << "truncated";
    const QByteArray png = makePng(16, 8, 8, 2, QByteArray(16 * 8 * 3, '\x7f'));
    QTest::newRow("PNG without its end") << "cut.png" << png.left(png.size() - 20) << "file" << defaultLimit
                                         << "truncated (PNG ends before its IEND chunk)";
    // Complete structure, but the compressed data is garbage: the decoder itself refuses it.
    QByteArray ihdrSmall;
    appendBe32(ihdrSmall, 4);
    appendBe32(ihdrSmall, 4);
    ihdrSmall.append(bytesOf({8, 2, 0, 0, 0}));
    const QByteArray garbagePng = QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdrSmall) +
                                  pngChunk("IDAT", QByteArray(40, '\x55')) + pngChunk("IEND", {});
    QTest::newRow("PNG with garbage data")
        << "garbage.png" << garbagePng << "file" << defaultLimit << "corrupt or truncated PNG";

    // Headers that claim huge sizes: refused from the header, before anything is allocated or decoded.
    QByteArray ihdr;
    appendBe32(ihdr, 50000);
    appendBe32(ihdr, 50000);
    ihdr.append(bytesOf({8, 2, 0, 0, 0}));
    const QByteArray hugePng =
        QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IEND", {});
    QTest::newRow("PNG claiming 50000x50000") << "huge.png" << hugePng << "file" << defaultLimit
                                              << "50000x50000 pixels exceeds the limit of 268435456";
    QByteArray hugeGif("GIF89a");
    appendLe16(hugeGif, 65535);
    appendLe16(hugeGif, 65535);
    hugeGif.append(bytesOf({0xF7, 0, 0}));
    QTest::newRow("GIF claiming 65535x65535")
        << "huge.gif" << hugeGif << "file" << defaultLimit << "65535x65535 pixels exceeds the limit";
    QByteArray hugeBmp("BM");
    appendLe32(hugeBmp, 54);
    appendLe32(hugeBmp, 0);
    appendLe32(hugeBmp, 54);
    appendLe32(hugeBmp, 40);
    appendLe32(hugeBmp, 100000);
    appendLe32(hugeBmp, uint32_t(-100000)); // top-down
    hugeBmp.append(28, '\0');
    QTest::newRow("BMP claiming 100000x100000")
        << "huge.bmp" << hugeBmp << "file" << defaultLimit << "100000x100000 pixels exceeds the limit";
    QByteArray hugeWebp("RIFF");
    appendLe32(hugeWebp, 22);
    hugeWebp.append("WEBPVP8X");
    appendLe32(hugeWebp, 10);
    hugeWebp.append(bytesOf({0, 0, 0, 0, 0x5F, 0xEA, 0x00, 0x5F, 0xEA, 0x00})); // 60000 - 1, twice
    QTest::newRow("WebP VP8X claiming 60000x60000")
        << "huge.webp" << hugeWebp << "file" << defaultLimit << "60000x60000 pixels exceeds the limit";
    QByteArray bigLossless("RIFF");
    appendLe32(bigLossless, 22);
    bigLossless.append("WEBPVP8L");
    appendLe32(bigLossless, 10);
    bigLossless.append(bytesOf({0x2F, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 0, 0, 0})); // 16384x16384
    QTest::newRow("WebP VP8L over a lower limit") << "big.webp" << bigLossless << "file" << (qint64(1) << 20)
                                                  << "16384x16384 pixels exceeds the limit of 1048576";
    // SOI, SOF0 claiming 65535x65535 with three components, SOS, a byte of data, EOI.
    const QByteArray hugeJpeg = bytesOf(
        {0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0xFF, 0xFF, 0xFF, 0xFF, 3, 1,    0x22, 0,  2, 0x11, 1,    3,
         0x11, 1,    0xFF, 0xDA, 0, 12, 3, 1,    0,    2,    0x11, 3, 0x11, 0,    63, 0, 0x00, 0xFF, 0xD9});
    QTest::newRow("JPEG claiming 65535x65535")
        << "huge.jpg" << hugeJpeg << "file" << defaultLimit << "65535x65535 pixels exceeds the limit";

    QTest::newRow("missing file") << "missing.jpg" << QByteArray() << "missing" << defaultLimit
                                  << "No such file or directory";
    QTest::newRow("unreadable file") << "secret.png" << png << "unreadable" << defaultLimit
                                     << "Permission denied";
}

void TestPreprocess::refusals()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, kind);
    QFETCH(qint64, maxPixels);
    QFETCH(QString, reason);

    if (kind == QLatin1String("unreadable") && ::geteuid() == 0)
        QSKIP("running as root, which can read any file");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path =
        kind == QLatin1String("missing") ? dir.filePath(fileName) : writeFile(dir, fileName, content);
    if (kind == QLatin1String("unreadable"))
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0) == 0);

    lodestone::DecodeOptions options;
    options.maxPixels = maxPixels;
    const QString message = errorOf([&] { lodestone::decodeImage(path.toStdString(), options); });
    QVERIFY2(message.startsWith(QStringLiteral("decoding '%1': ").arg(path)), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
}

void TestPreprocess::preprocessFilesNamesTheFailingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString good = writeFile(dir, "good.png", makePng(4, 4, 8, 2, QByteArray(48, '\x10')));
    const QString bad = writeFile(dir, "bad.jpg", QByteArray("<html>not found</html>"));
    lodestone::PreprocessConfig config;
    config.imageSize = 4;
    QCOMPARE(lodestone::preprocessFiles({good.toStdString(), good.toStdString()}, config).dim(0), 2);
    const QString message = errorOf([&] {
        lodestone::preprocessFiles({good.toStdString(), bad.toStdString()}, config);
    });
    QVERIFY2(message.contains(bad) && message.contains("not an image"), qPrintable(message));
    QVERIFY(!message.contains("good.png"));
}

QTEST_APPLESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
