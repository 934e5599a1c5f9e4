// The decoder's GIF path (first frame with giflib: colour maps, interlacing, the frame's place on the
// screen, transparency, truncation, size limits) against GIFs written here with giflib's encoder; EXIF
// orientation pixel for pixel against OpenCV's flips and turns; a CMYK JPEG. The other formats and
// refusals are covered by tst_preprocess.

#include "lodestone/error.h"
#include "lodestone/image.h"

#ifdef LODESTONE_HAVE_GIFLIB
#include <gif_lib.h>
#endif

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <atomic>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

using lodestone::Image8;

namespace {

using Rgb = std::array<uint8_t, 3>;

const uint8_t *data(const QByteArray &bytes)
{
    return reinterpret_cast<const uint8_t *>(bytes.constData());
}

Image8 decode(const QByteArray &bytes, const std::string &name = "test.gif",
              lodestone::DecodeOptions options = {})
{
    return lodestone::decodeImageBytes(data(bytes), size_t(bytes.size()), name, options);
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

// The 1x1 transparent "spacer" GIF of the early web (43 bytes): a two-colour global map (white, black), a
// graphics control extension making index 0 transparent, one pixel of index 0.
const char SpacerGifBase64[] = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==";

// 32x16, four flat quadrants stored as CMYK in Adobe's convention (255 = no ink, as Photoshop writes
// them): top-left (255, 0, 0, 255) red, top-right (0, 255, 0, 255) green, bottom-left (0, 0, 255, 255)
// blue, bottom-right (255, 255, 255, 128) grey from black ink alone. Written once with libjpeg-turbo
// 2.1.5: in_color_space = JCS_CMYK, jpeg_set_defaults (Adobe APP14 marker, no subsampling), quality 95.
const char CmykJpegBase64[] =
    "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggL"
    "CAkKCgoKCgYICwwLCgwJCgoK/8AAFAgAEAAgBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYH"
    "CAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBka"
    "JSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeo"
    "qaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9/K/n"
    "/r+f+v38oooor+AOv7/KKKKKKKK/gDr+/wAooooor+/yv7/KK/AOiiiiv//Z";

#ifdef LODESTONE_HAVE_GIFLIB

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

struct GifFrame {
    int left = 0;
    int top = 0;
    int width = 0;
    int height = 0;
    bool interlace = false;
    std::vector<Rgb> localMap;    // empty: the frame uses the global map
    int transparent = -1;         // >= 0: a graphics control extension with this transparent index
    std::vector<uint8_t> indices; // width * height, row-major, top row first
};

struct GifSpec {
    int screenWidth = 0;
    int screenHeight = 0;
    std::vector<Rgb> globalMap; // empty: none
    std::vector<GifFrame> frames;
};

GifFrame frame(int width, int height, std::vector<uint8_t> indices)
{
    GifFrame f;
    f.width = width;
    f.height = height;
    f.indices = std::move(indices);
    return f;
}

// giflib takes colour maps of 2^n entries: padded with black.
ColorMapObject *makeMap(const std::vector<Rgb> &colours)
{
    int count = 2;
    while (count < int(colours.size()))
        count *= 2;
    std::vector<GifColorType> entries(size_t(count), GifColorType{0, 0, 0});
    for (size_t i = 0; i < colours.size(); ++i)
        entries[i] = GifColorType{colours[i][0], colours[i][1], colours[i][2]};
    return GifMakeMapObject(count, entries.data());
}

// Writes the GIF with giflib's encoder (GIF89a) and returns its bytes. Interlaced frames are handed to
// EGifPutLine in interlaced row order, as giflib requires.
QByteArray writeGif(const GifSpec &spec)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        qFatal("no temporary directory");
    const QString path = dir.filePath("out.gif");
    int error = 0;
    GifFileType *gif = EGifOpenFileName(QFile::encodeName(path).constData(), false, &error);
    if (!gif)
        qFatal("EGifOpenFileName: %s", GifErrorString(error));
    EGifSetGifVersion(gif, true);
    auto check = [&](int rc, const char *what) {
        if (rc == GIF_ERROR)
            qFatal("%s: %s", what, GifErrorString(gif->Error));
    };
    ColorMapObject *global = spec.globalMap.empty() ? nullptr : makeMap(spec.globalMap);
    check(EGifPutScreenDesc(gif, spec.screenWidth, spec.screenHeight, 8, 0, global), "EGifPutScreenDesc");
    GifFreeMapObject(global);
    for (const GifFrame &f : spec.frames) {
        if (f.transparent >= 0) {
            GraphicsControlBlock control{};
            control.DisposalMode = DISPOSAL_UNSPECIFIED;
            control.DelayTime = 10;
            control.TransparentColor = f.transparent;
            GifByteType extension[4];
            const size_t length = EGifGCBToExtension(&control, extension);
            check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(length), extension), "EGifPutExtension");
        }
        ColorMapObject *local = f.localMap.empty() ? nullptr : makeMap(f.localMap);
        // giflib 5.2's EGifPutImageDesc drops the previous frame's copy of its local map, without freeing
        // it, when this frame has none: free it here.
        if (!local && gif->Image.ColorMap) {
            GifFreeMapObject(gif->Image.ColorMap);
            gif->Image.ColorMap = nullptr;
        }
        check(EGifPutImageDesc(gif, f.left, f.top, f.width, f.height, f.interlace, local),
              "EGifPutImageDesc");
        GifFreeMapObject(local);
        std::vector<int> rows;
        if (f.interlace) {
            for (int pass = 0; pass < 4; ++pass) {
                const int start[4] = {0, 4, 2, 1};
                const int step[4] = {8, 8, 4, 2};
                for (int y = start[pass]; y < f.height; y += step[pass])
                    rows.push_back(y);
            }
        } else {
            for (int y = 0; y < f.height; ++y)
                rows.push_back(y);
        }
        for (int y : rows) {
            // EGifPutLine masks the pixels in place: hand it a copy.
            std::vector<GifPixelType> line(f.indices.begin() + y * f.width,
                                           f.indices.begin() + (y + 1) * f.width);
            check(EGifPutLine(gif, line.data(), f.width), "EGifPutLine");
        }
    }
    if (EGifCloseFile(gif, &error) == GIF_ERROR)
        qFatal("EGifCloseFile: %s", GifErrorString(error));
    return readAll(path);
}

// What the first frame should decode to, worked out from the spec: the screen (enlarged to the frame),
// transparent outside the frame with the colour of the transparent index (else index 0), the frame's
// pixels from its local map or else the global one.
Image8 expectedFirstFrame(const GifSpec &spec)
{
    const GifFrame &f = spec.frames.front();
    const std::vector<Rgb> &map = f.localMap.empty() ? spec.globalMap : f.localMap;
    const int width = std::max(spec.screenWidth, f.left + f.width);
    const int height = std::max(spec.screenHeight, f.top + f.height);
    const bool covers = f.left == 0 && f.top == 0 && f.width == width && f.height == height;
    Image8 image;
    image.width = width;
    image.height = height;
    image.channels = (f.transparent >= 0 || !covers) ? 4 : 3;
    auto colour = [&](int index) { return size_t(index) < map.size() ? map[size_t(index)] : Rgb{0, 0, 0}; };
    const Rgb background = colour(f.transparent >= 0 ? f.transparent : 0);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const bool inside = x >= f.left && x < f.left + f.width && y >= f.top && y < f.top + f.height;
            const int index = inside ? f.indices[size_t((y - f.top) * f.width + (x - f.left))] : -1;
            const Rgb rgb = inside ? colour(index) : background;
            image.pixels.insert(image.pixels.end(), rgb.begin(), rgb.end());
            if (image.channels == 4)
                image.pixels.push_back(inside && index != f.transparent ? 255 : 0);
        }
    }
    return image;
}

std::vector<uint8_t> randomIndices(size_t count, int colours, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(0, colours - 1);
    std::vector<uint8_t> out(count);
    for (uint8_t &v : out)
        v = uint8_t(pick(rng));
    return out;
}

std::vector<Rgb> randomMap(int colours, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<Rgb> out(static_cast<size_t>(colours));
    for (Rgb &c : out)
        c = {uint8_t(rng()), uint8_t(rng()), uint8_t(rng())};
    return out;
}

const std::vector<Rgb> FourColours{{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {250, 250, 250}};

// Two frames: the first 7x5 from the global map with index 3 transparent, the second (a different size,
// position, map and content) must not show through.
GifSpec animation()
{
    GifSpec spec;
    spec.screenWidth = 7;
    spec.screenHeight = 5;
    spec.globalMap = FourColours;
    GifFrame first = frame(7, 5, randomIndices(35, 4, 1));
    first.transparent = 3;
    GifFrame second = frame(4, 3, std::vector<uint8_t>(12, 1));
    second.left = 2;
    second.top = 1;
    second.localMap = {{9, 9, 9}, {99, 99, 99}};
    spec.frames = {first, second};
    return spec;
}

#endif // LODESTONE_HAVE_GIFLIB

} // namespace

Q_DECLARE_METATYPE(Image8)

class TestImageDecoder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // GIF: the first frame, exactly.
    void gifFirstFrame_data();
    void gifFirstFrame();
    void gifWithoutAlpha();
    void gifWithoutColourMap();
    void gifRecognisedByContent();
    void gifPrefixes();
    void gifTruncatedFile();
    void gifCorrupt();
    void gifSizeLimits();
    void gifConcurrently();

    // JPEG.
    void orientationExact_data();
    void orientationExact();
    void cmykJpeg_data();
    void cmykJpeg();
};

// ---------------------------------------------------------------------------------------------------
// GIF

void TestImageDecoder::gifFirstFrame_data()
{
#ifdef LODESTONE_HAVE_GIFLIB
    QTest::addColumn<QByteArray>("gif");
    QTest::addColumn<Image8>("expected");

    // Worked by hand: 3x2 from a known global map, no transparency, frame covering the screen -> RGB.
    {
        GifSpec spec;
        spec.screenWidth = 3;
        spec.screenHeight = 2;
        spec.globalMap = FourColours;
        spec.frames = {frame(3, 2, {0, 1, 2, 3, 2, 1})};
        Image8 expected;
        expected.width = 3;
        expected.height = 2;
        expected.channels = 3;
        expected.pixels = {255, 0, 0, 0, 255, 0, 0, 0, 255, 250, 250, 250, 0, 0, 255, 0, 255, 0};
        QTest::newRow("global map, by hand") << writeGif(spec) << expected;
    }
    {
        // A local map overrides the global one.
        GifSpec spec;
        spec.screenWidth = 2;
        spec.screenHeight = 2;
        spec.globalMap = FourColours;
        GifFrame f = frame(2, 2, {0, 1, 1, 0});
        f.localMap = {{10, 20, 30}, {40, 50, 60}};
        spec.frames = {f};
        Image8 expected;
        expected.width = 2;
        expected.height = 2;
        expected.channels = 3;
        expected.pixels = {10, 20, 30, 40, 50, 60, 40, 50, 60, 10, 20, 30};
        QTest::newRow("local map, by hand") << writeGif(spec) << expected;
    }
    {
        // Transparent index 2: RGBA, alpha 0 exactly there, the map's colour kept.
        GifSpec spec;
        spec.screenWidth = 2;
        spec.screenHeight = 2;
        spec.globalMap = FourColours;
        GifFrame f = frame(2, 2, {2, 0, 1, 2});
        f.transparent = 2;
        spec.frames = {f};
        Image8 expected;
        expected.width = 2;
        expected.height = 2;
        expected.channels = 4;
        expected.pixels = {0, 0, 255, 0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 0};
        QTest::newRow("transparent index, by hand") << writeGif(spec) << expected;
    }
    {
        // A 2x1 frame at (1, 2) on a 4x3 screen: outside it transparent, coloured as index 0.
        GifSpec spec;
        spec.screenWidth = 4;
        spec.screenHeight = 3;
        spec.globalMap = FourColours;
        GifFrame f = frame(2, 1, {2, 3});
        f.left = 1;
        f.top = 2;
        spec.frames = {f};
        Image8 expected;
        expected.width = 4;
        expected.height = 3;
        expected.channels = 4;
        for (int i = 0; i < 12; ++i) {
            const std::vector<uint8_t> px = i == 9    ? std::vector<uint8_t>{0, 0, 255, 255}
                                            : i == 10 ? std::vector<uint8_t>{250, 250, 250, 255}
                                                      : std::vector<uint8_t>{255, 0, 0, 0};
            expected.pixels.insert(expected.pixels.end(), px.begin(), px.end());
        }
        QTest::newRow("frame inside the screen, by hand") << writeGif(spec) << expected;
    }

    // Larger ones against expectedFirstFrame.
    auto add = [](const char *name, const GifSpec &spec) {
        QTest::newRow(name) << writeGif(spec) << expectedFirstFrame(spec);
    };
    {
        // Every row different, 13 rows: all four interlace passes, each with a different row count.
        GifSpec spec;
        spec.screenWidth = 5;
        spec.screenHeight = 13;
        spec.globalMap = randomMap(16, 2);
        GifFrame f = frame(5, 13, {});
        for (int y = 0; y < 13; ++y) {
            for (int x = 0; x < 5; ++x)
                f.indices.push_back(uint8_t((y + x * 3) % 16));
        }
        f.interlace = true;
        spec.frames = {f};
        add("interlaced 5x13", spec);
    }
    {
        // 256 colours and enough pixels for the LZW table to fill and be reset several times.
        GifSpec spec;
        spec.screenWidth = 301;
        spec.screenHeight = 203;
        spec.globalMap = randomMap(256, 3);
        spec.frames = {frame(301, 203, randomIndices(301 * 203, 256, 4))};
        add("256 colours 301x203", spec);
        spec.frames[0].interlace = true;
        add("256 colours 301x203 interlaced", spec);
    }
    {
        GifSpec spec = animation();
        add("2-frame animation: the first frame", spec);
        std::swap(spec.frames[0], spec.frames[1]);
        add("2-frame animation, frames swapped: the other first frame", spec);
    }
    {
        // Interlaced, transparent, local map and offset, all at once.
        GifSpec spec;
        spec.screenWidth = 20;
        spec.screenHeight = 17;
        spec.globalMap = FourColours;
        GifFrame f = frame(9, 11, randomIndices(99, 8, 5));
        f.left = 7;
        f.top = 3;
        f.interlace = true;
        f.transparent = 5;
        f.localMap = randomMap(8, 6);
        spec.frames = {f};
        add("interlaced transparent offset frame with local map", spec);
    }
    {
        // The frame reaches beyond the screen: the screen grows to hold it.
        GifSpec spec;
        spec.screenWidth = 3;
        spec.screenHeight = 2;
        spec.globalMap = FourColours;
        GifFrame f = frame(4, 3, randomIndices(12, 4, 7));
        f.left = 1;
        f.top = 1;
        spec.frames = {f};
        add("frame beyond the screen", spec);
    }
#endif
}

void TestImageDecoder::gifFirstFrame()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    QFETCH(QByteArray, gif);
    QFETCH(Image8, expected);
    const Image8 image = decode(gif);
    QCOMPARE(image.width, expected.width);
    QCOMPARE(image.height, expected.height);
    QCOMPARE(image.channels, expected.channels);
    QCOMPARE(image.pixels.size(), expected.pixels.size());
    for (size_t i = 0; i < image.pixels.size(); ++i) {
        if (image.pixels[i] != expected.pixels[i]) {
            const size_t pixel = i / size_t(image.channels);
            QFAIL(qPrintable(QStringLiteral("pixel (%1, %2) channel %3: %4, expected %5")
                                 .arg(pixel % size_t(image.width))
                                 .arg(pixel / size_t(image.width))
                                 .arg(i % size_t(image.channels))
                                 .arg(image.pixels[i])
                                 .arg(expected.pixels[i])));
        }
    }
#endif
}

void TestImageDecoder::gifWithoutAlpha()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    // keepAlpha = false drops alpha without compositing: the colours stay the map's.
    const GifSpec spec = animation();
    const Image8 rgba = decode(writeGif(spec));
    QCOMPARE(rgba.channels, 4);
    lodestone::DecodeOptions options;
    options.keepAlpha = false;
    const Image8 rgb = decode(writeGif(spec), "test.gif", options);
    QCOMPARE(rgb.channels, 3);
    QCOMPARE(rgb.width, 7);
    QCOMPARE(rgb.height, 5);
    for (size_t p = 0; p < 35; ++p) {
        for (size_t c = 0; c < 3; ++c)
            QCOMPARE(rgb.pixels[p * 3 + c], rgba.pixels[p * 4 + c]);
    }
#endif
}

void TestImageDecoder::gifWithoutColourMap()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    // giflib will not write a GIF without any colour map, so the global map is cut out of one that has it:
    // then the indices are grey levels, as Pillow reads such a file (mode "L").
    GifSpec spec;
    spec.screenWidth = 4;
    spec.screenHeight = 1;
    spec.globalMap = FourColours;
    spec.frames = {frame(4, 1, {0, 1, 2, 3})};
    QByteArray gif = writeGif(spec);
    QCOMPARE(uchar(gif[10]) & 0x87, 0x81); // global map present, 2^(1+1) entries
    gif[10] = char(uchar(gif[10]) & 0x78);
    gif.remove(13, 4 * 3);
    const Image8 image = decode(gif);
    QCOMPARE(image.channels, 3);
    QCOMPARE(image.pixels, (std::vector<uint8_t>{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}));
#endif
}

void TestImageDecoder::gifRecognisedByContent()
{
    // The format comes from the magic bytes ("GIF89a"), not the name.
    const QByteArray spacer = QByteArray::fromBase64(SpacerGifBase64);
#ifndef LODESTONE_HAVE_GIFLIB
    const QString message = errorOf([&] { decode(spacer, "spacer.png"); });
    QVERIFY2(message.startsWith("decoding 'spacer.png': ") && message.contains("unsupported"),
             qPrintable(message));
#else
    const Image8 image = decode(spacer, "spacer.png");
    QCOMPARE(image.width, 1);
    QCOMPARE(image.height, 1);
    QCOMPARE(image.channels, 4);
    QCOMPARE(image.pixels, (std::vector<uint8_t>{255, 255, 255, 0}));

    // A GIF87a (giflib's output with its signature changed; nothing in it needs 89a) under a JPEG name.
    GifSpec spec;
    spec.screenWidth = 2;
    spec.screenHeight = 1;
    spec.globalMap = FourColours;
    spec.frames = {frame(2, 1, {1, 2})};
    QByteArray gif = writeGif(spec);
    gif.replace(0, 6, "GIF87a");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("holiday.jpg");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(gif);
    file.close();
    const Image8 fromFile = lodestone::decodeImage(path.toStdString());
    QCOMPARE(fromFile.pixels, (std::vector<uint8_t>{0, 255, 0, 0, 0, 255}));
#endif
}

void TestImageDecoder::gifPrefixes()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    // Every prefix of an interlaced 2-frame GIF: an Error saying "truncated" until the first frame's data
    // is complete (not a partial picture), then the whole first frame; the second frame is never needed.
    GifSpec spec = animation();
    spec.frames[0].interlace = true;
    GifSpec firstOnly = spec;
    firstOnly.frames.resize(1);
    // The same bytes up to the end of the first frame; the one-frame file adds only the trailer (';').
    const int firstFrameEnd = int(writeGif(firstOnly).size()) - 1;
    const QByteArray gif = writeGif(spec);
    QVERIFY(gif.size() > firstFrameEnd + 10);
    const Image8 expected = expectedFirstFrame(spec);
    for (int n = 1; n <= int(gif.size()); ++n) {
        const QByteArray prefix = gif.left(n);
        if (n < firstFrameEnd) {
            const QString message = errorOf([&] { decode(prefix, "cut.gif"); });
            QVERIFY2(message.startsWith("decoding 'cut.gif': "), qPrintable(message));
            // Under 6 bytes even the signature is incomplete.
            const char *reason = n < 6 ? "not an image" : "truncated";
            QVERIFY2(message.contains(reason),
                     qPrintable(QStringLiteral("%1 bytes: %2").arg(n).arg(message)));
        } else {
            const Image8 image = decode(prefix);
            QVERIFY2(image.pixels == expected.pixels, qPrintable(QStringLiteral("%1 bytes").arg(n)));
        }
    }
#endif
}

void TestImageDecoder::gifTruncatedFile()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    // From a file: the error names it.
    GifSpec spec;
    spec.screenWidth = 64;
    spec.screenHeight = 64;
    spec.globalMap = randomMap(256, 8);
    spec.frames = {frame(64, 64, randomIndices(64 * 64, 256, 9))};
    const QByteArray gif = writeGif(spec);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("half.gif");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(gif.left(gif.size() / 2));
    file.close();
    const QString message = errorOf([&] { lodestone::decodeImage(path.toStdString()); });
    QCOMPARE(message, QStringLiteral("decoding '%1': truncated (GIF data ends early)").arg(path));
#endif
}

void TestImageDecoder::gifCorrupt()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    GifSpec spec;
    spec.screenWidth = 8;
    spec.screenHeight = 8;
    spec.globalMap = FourColours;
    spec.frames = {frame(8, 8, randomIndices(64, 4, 10))};
    const QByteArray gif = writeGif(spec);
    const int descriptor = 13 + 4 * 3; // header, screen descriptor, 4-entry global map
    QCOMPARE(gif[descriptor], ',');

    // No image before the trailer.
    QByteArray noImage = gif.left(descriptor) + ';';
    QString message = errorOf([&] { decode(noImage); });
    QVERIFY2(message == "decoding 'test.gif': corrupt GIF (no image before the trailer)",
             qPrintable(message));

    // An unknown record where the image descriptor should be.
    QByteArray badRecord = gif;
    badRecord[descriptor] = 'x';
    message = errorOf([&] { decode(badRecord); });
    QVERIFY2(message.startsWith("decoding 'test.gif': corrupt GIF"), qPrintable(message));

    // A first frame of 0x8 pixels.
    QByteArray empty = gif;
    empty[descriptor + 5] = 0;
    empty[descriptor + 6] = 0;
    message = errorOf([&] { decode(empty); });
    QCOMPARE(message, QStringLiteral("decoding 'test.gif': corrupt GIF (the first frame is empty)"));

    // Garbage where the LZW data should be: every outcome is an Error or a picture, never a crash.
    std::mt19937 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
        QByteArray damaged = gif;
        for (int k = 0; k < 4; ++k)
            damaged[int(descriptor + 10 + rng() % uint32_t(gif.size() - descriptor - 11))] = char(rng());
        try {
            const Image8 image = decode(damaged);
            QCOMPARE(image.pixels.size(), size_t(8 * 8 * image.channels));
        } catch (const lodestone::Error &e) {
            QVERIFY(QString::fromStdString(e.what()).startsWith("decoding 'test.gif': "));
        }
    }
#endif
}

void TestImageDecoder::gifSizeLimits()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    // A valid GIF whose screen claims 60000x60000 around a 1x1 frame: refused before the canvas (14 GB
    // as RGBA) is allocated.
    GifSpec huge;
    huge.screenWidth = 60000;
    huge.screenHeight = 60000;
    huge.globalMap = FourColours;
    huge.frames = {frame(1, 1, {1})};
    QString message = errorOf([&] { decode(writeGif(huge), "huge.gif"); });
    QCOMPARE(message,
             QStringLiteral("decoding 'huge.gif': 60000x60000 pixels exceeds the limit of 268435456"));

    // A frame that enlarges a small screen is held to the limit too (the screen alone passes it).
    GifSpec grows;
    grows.screenWidth = 4;
    grows.screenHeight = 4;
    grows.globalMap = FourColours;
    GifFrame f = frame(10, 10, randomIndices(100, 4, 12));
    f.left = 2;
    f.top = 2;
    grows.frames = {f};
    lodestone::DecodeOptions options;
    options.maxPixels = 144;
    QCOMPARE(decode(writeGif(grows), "grows.gif", options).width, 12);
    options.maxPixels = 143;
    message = errorOf([&] { decode(writeGif(grows), "grows.gif", options); });
    QCOMPARE(message, QStringLiteral("decoding 'grows.gif': 12x12 pixels exceeds the limit of 143"));

    // A 0x0 screen takes the first frame's size.
    GifSpec zero;
    zero.screenWidth = 0;
    zero.screenHeight = 0;
    zero.globalMap = FourColours;
    zero.frames = {frame(2, 1, {3, 0})};
    const Image8 image = decode(writeGif(zero));
    QCOMPARE(image.width, 2);
    QCOMPARE(image.height, 1);
    QCOMPARE(image.pixels, (std::vector<uint8_t>{250, 250, 250, 255, 0, 0}));
#endif
}

void TestImageDecoder::gifConcurrently()
{
#ifndef LODESTONE_HAVE_GIFLIB
    QSKIP("built without giflib");
#else
    // giflib keeps its state per handle: threads get what one thread gets.
    GifSpec spec;
    spec.screenWidth = 97;
    spec.screenHeight = 61;
    spec.globalMap = randomMap(256, 13);
    GifFrame f = frame(97, 61, randomIndices(97 * 61, 256, 14));
    f.interlace = true;
    f.transparent = 7;
    spec.frames = {f};
    const QByteArray gif = writeGif(spec);
    const std::vector<uint8_t> expected = expectedFirstFrame(spec).pixels;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (decode(gif).pixels != expected)
                    ++mismatches;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(mismatches.load(), 0);
#endif
}

// ---------------------------------------------------------------------------------------------------
// JPEG

namespace {

// An APP1 segment holding a little-endian EXIF block whose IFD0 has only Orientation.
QByteArray orientationSegment(int orientation)
{
    const uint8_t tiff[] = {
        'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, uint8_t(orientation),
        0,   0,   0,  0, 0, 0, 0};
    const QByteArray payload =
        QByteArray("Exif\0\0", 6) + QByteArray(reinterpret_cast<const char *>(tiff), sizeof tiff);
    QByteArray segment("\xFF\xE1", 2);
    segment.append(char((payload.size() + 2) >> 8)).append(char((payload.size() + 2) & 0xFF));
    return segment + payload;
}

cv::Mat matOf(const Image8 &image)
{
    return cv::Mat(image.height, image.width, CV_8UC(image.channels),
                   const_cast<uint8_t *>(image.pixels.data()));
}

} // namespace

void TestImageDecoder::orientationExact_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("grey");
    QTest::addColumn<int>("reducedDecodeMinSide");
    for (int orientation = 1; orientation <= 8; ++orientation) {
        QTest::addRow("%d colour", orientation) << orientation << false << 0;
        QTest::addRow("%d grey", orientation) << orientation << true << 0;
        QTest::addRow("%d colour reduced", orientation) << orientation << false << 20;
    }
}

void TestImageDecoder::orientationExact()
{
    // Odd sizes, noise: any pixel out of place shows. The same JPEG decoded without and with its EXIF
    // orientation; the second must be OpenCV's flip or turn of the first, exactly.
    QFETCH(int, orientation);
    QFETCH(bool, grey);
    QFETCH(int, reducedDecodeMinSide);
    cv::Mat stored(46, 74, grey ? CV_8UC1 : CV_8UC3);
    cv::theRNG().state = 42;
    cv::randu(stored, 0, 256);
    std::vector<uchar> encoded;
    QVERIFY(cv::imencode(".jpg", stored, encoded, {cv::IMWRITE_JPEG_QUALITY, 95}));
    QByteArray jpeg(reinterpret_cast<const char *>(encoded.data()), int(encoded.size()));
    jpeg.insert(2, orientationSegment(orientation));

    lodestone::DecodeOptions options;
    options.reducedDecodeMinSide = reducedDecodeMinSide;
    options.applyExifOrientation = false;
    const Image8 asStored = decode(jpeg, "o.jpg", options);
    options.applyExifOrientation = true;
    const Image8 upright = decode(jpeg, "o.jpg", options);
    QCOMPARE(asStored.channels, 3);
    QCOMPARE(asStored.width, reducedDecodeMinSide ? 37 : 74);

    cv::Mat expected;
    const cv::Mat in = matOf(asStored);
    switch (orientation) {
    case 1:
        expected = in.clone();
        break;
    case 2:
        cv::flip(in, expected, 1);
        break;
    case 3:
        cv::rotate(in, expected, cv::ROTATE_180);
        break;
    case 4:
        cv::flip(in, expected, 0);
        break;
    case 5:
        cv::transpose(in, expected);
        break;
    case 6:
        cv::rotate(in, expected, cv::ROTATE_90_CLOCKWISE);
        break;
    case 7: {
        cv::Mat t;
        cv::transpose(in, t);
        cv::flip(t, expected, -1);
        break;
    }
    default:
        cv::rotate(in, expected, cv::ROTATE_90_COUNTERCLOCKWISE);
        break;
    }
    QCOMPARE(upright.width, expected.cols);
    QCOMPARE(upright.height, expected.rows);
    QCOMPARE(upright.channels, 3);
    QCOMPARE(cv::norm(matOf(upright), expected, cv::NORM_INF), 0.0);
}

void TestImageDecoder::cmykJpeg_data()
{
    QTest::addColumn<int>("reducedDecodeMinSide");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("full") << 0 << 32 << 16;
    QTest::newRow("reduced 1/2") << 8 << 16 << 8;
}

void TestImageDecoder::cmykJpeg()
{
    // CMYK (Adobe, inverted) becomes RGB: R = C * K / 255 in stored values, as Pillow's convert("RGB")
    // does; the bottom-right quadrant is grey from K = 128 alone.
    QFETCH(int, reducedDecodeMinSide);
    QFETCH(int, width);
    QFETCH(int, height);
    const QByteArray jpeg = QByteArray::fromBase64(CmykJpegBase64);
    lodestone::DecodeOptions options;
    options.reducedDecodeMinSide = reducedDecodeMinSide;
    const Image8 image = decode(jpeg, "cmyk.jpg", options);
    QCOMPARE(image.width, width);
    QCOMPARE(image.height, height);
    QCOMPARE(image.channels, 3);
    const std::array<Rgb, 4> expected{Rgb{255, 0, 0}, Rgb{0, 255, 0}, Rgb{0, 0, 255}, Rgb{128, 128, 128}};
    for (int q = 0; q < 4; ++q) {
        const int x = width / 4 + (q % 2) * width / 2;
        const int y = height / 4 + (q / 2) * height / 2;
        for (int c = 0; c < 3; ++c) {
            const int value = image.pixels[size_t((y * width + x) * 3 + c)];
            QVERIFY2(std::abs(value - expected[size_t(q)][size_t(c)]) <= 4,
                     qPrintable(QStringLiteral("quadrant %1 channel %2: %3").arg(q).arg(c).arg(value)));
        }
    }
}

QTEST_APPLESS_MAIN(TestImageDecoder)
#include "tst_imagedecoder.moc"
