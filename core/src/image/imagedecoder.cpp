#include "lodestone/image.h"

#include "image/exif.h"
#include "image/gifdecoder.h"
#include "io/fileio.h"
#include "lodestone/error.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstring>

namespace lodestone {

namespace {

#ifdef LODESTONE_HAVE_GIFLIB
constexpr bool HaveGiflib = true;
#else
constexpr bool HaveGiflib = false;
#endif

// Bigger than any photo worth indexing; stops a stray multi-gigabyte file from being read into memory.
constexpr uint64_t MaxFileBytes = uint64_t(1) << 30;

enum class Format { Unknown, Jpeg, Png, WebP, Bmp, Tiff, Gif };

const char *formatName(Format format)
{
    switch (format) {
    case Format::Jpeg:
        return "JPEG";
    case Format::Png:
        return "PNG";
    case Format::WebP:
        return "WebP";
    case Format::Bmp:
        return "BMP";
    case Format::Tiff:
        return "TIFF";
    case Format::Gif:
        return "GIF";
    case Format::Unknown:
        break;
    }
    return "unknown";
}

uint32_t be16(const uint8_t *p)
{
    return (uint32_t(p[0]) << 8) | p[1];
}
uint32_t be32(const uint8_t *p)
{
    return (be16(p) << 16) | be16(p + 2);
}
uint32_t le16(const uint8_t *p)
{
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8);
}
uint32_t le24(const uint8_t *p)
{
    return le16(p) | (uint32_t(p[2]) << 16);
}
uint32_t le32(const uint8_t *p)
{
    return le16(p) | (le16(p + 2) << 16);
}

bool startsWith(const uint8_t *bytes, size_t size, const char *magic, size_t length, size_t at = 0)
{
    return size >= at + length && std::memcmp(bytes + at, magic, length) == 0;
}

// The format from the magic bytes, never from the file name.
Format sniffFormat(const uint8_t *b, size_t size)
{
    if (size >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return Format::Jpeg;
    if (startsWith(b, size, "\x89PNG\r\n\x1a\n", 8))
        return Format::Png;
    if (startsWith(b, size, "RIFF", 4) && startsWith(b, size, "WEBP", 4, 8))
        return Format::WebP;
    if (startsWith(b, size, "GIF87a", 6) || startsWith(b, size, "GIF89a", 6))
        return Format::Gif;
    if (startsWith(b, size, "II*\0", 4) || startsWith(b, size, "MM\0*", 4))
        return Format::Tiff;
    // "BM" alone is too weak (a text file may start with it): also require a known DIB header size.
    if (startsWith(b, size, "BM", 2) && size >= 18) {
        const uint32_t dib = le32(b + 14);
        if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124)
            return Format::Bmp;
    }
    return Format::Unknown;
}

struct Header {
    int64_t width = -1; // -1: the header does not say (TIFF without the tags)
    int64_t height = -1;
    size_t jpegScanStart = 0; // JPEG: where the entropy-coded data of the first scan begins
};

bool isJpegStartOfFrame(uint8_t marker)
{
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Walks the marker segments up to the first scan: the frame size from SOFn.
Header readJpegHeader(const uint8_t *b, size_t size)
{
    Header header;
    size_t pos = 2;
    size_t scanStart = 0;
    while (pos < size) {
        if (b[pos] != 0xFF) { // stray bytes between segments: libjpeg skips them too
            ++pos;
            continue;
        }
        if (pos + 1 >= size)
            break;
        const uint8_t marker = b[pos + 1];
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        if (marker == 0xD9)
            throw Error("corrupt JPEG (end of image before any scan)");
        if (pos + 4 > size)
            break;
        const size_t length = be16(b + pos + 2);
        if (length < 2)
            throw Error("corrupt JPEG (segment length " + std::to_string(length) + ")");
        if (isJpegStartOfFrame(marker)) {
            if (length < 8 || pos + 2 + 8 > size)
                break;
            header.height = be16(b + pos + 5);
            header.width = be16(b + pos + 7);
        }
        if (marker == 0xDA) {
            scanStart = pos + 2 + length;
            break;
        }
        pos += 2 + length;
    }
    if (header.width < 0)
        throw Error(scanStart ? "corrupt JPEG (no frame header)" : "truncated (JPEG header incomplete)");
    if (scanStart == 0 || scanStart > size)
        throw Error("truncated (JPEG has no image data)");
    header.jpegScanStart = scanStart;
    return header;
}

// libjpeg pads a cut-off file with grey and only warns, so without this check half a photo would be
// indexed as if it were whole. Inside entropy-coded data 0xFF is always followed by 0x00 or a restart
// marker, so a 0xFF 0xD9 after the first scan header is the real end of image (an EXIF thumbnail's own
// EOI sits before the scan).
void checkJpegEnd(const uint8_t *b, size_t size, size_t scanStart)
{
    const uint8_t *p = b + scanStart;
    const uint8_t *end = b + size;
    while (p < end) {
        p = static_cast<const uint8_t *>(std::memchr(p, 0xFF, size_t(end - p)));
        if (!p || p + 1 >= end)
            break;
        if (p[1] == 0xD9)
            return;
        ++p;
    }
    throw Error("truncated (JPEG ends without an end-of-image marker)");
}

// Walks the chunks up to IEND. A cut-off PNG is the common failure (an interrupted copy); catching it
// here gives a clear message, and spares stderr libpng's own complaint.
void checkPngChunks(const uint8_t *b, size_t size)
{
    size_t pos = 8;
    while (size - pos >= 12) {
        const uint32_t length = be32(b + pos);
        if (length > 0x7FFFFFFFu)
            throw Error("corrupt PNG (chunk length " + std::to_string(length) + ")");
        if (std::memcmp(b + pos + 4, "IEND", 4) == 0)
            return;
        if (length > size - pos - 12)
            break;
        pos += 12 + size_t(length);
    }
    throw Error("truncated (PNG ends before its IEND chunk)");
}

Header readHeader(Format format, const uint8_t *b, size_t size)
{
    Header h;
    auto need = [&](size_t bytes) {
        if (size < bytes)
            throw Error(std::string("truncated (") + formatName(format) + " header incomplete)");
    };
    switch (format) {
    case Format::Jpeg:
        return readJpegHeader(b, size);
    case Format::Png:
        need(24);
        if (std::memcmp(b + 12, "IHDR", 4) != 0)
            throw Error("corrupt PNG (first chunk is not IHDR)");
        h.width = be32(b + 16);
        h.height = be32(b + 20);
        break;
    case Format::Gif:
        need(10);
        h.width = le16(b + 6);
        h.height = le16(b + 8);
        break;
    case Format::Bmp: {
        const uint32_t dib = le32(b + 14);
        if (dib == 12) {
            need(22);
            h.width = le16(b + 18);
            h.height = le16(b + 20);
        } else {
            need(26);
            // Signed: a negative height means rows stored top-down.
            h.width = int32_t(le32(b + 18));
            h.height = int32_t(le32(b + 22));
            if (h.height < 0)
                h.height = -h.height;
            if (h.width < 0)
                throw Error("corrupt BMP (negative width)");
        }
        break;
    }
    case Format::WebP: {
        need(30);
        if (std::memcmp(b + 12, "VP8 ", 4) == 0) {
            if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A)
                throw Error("corrupt WebP (bad VP8 start code)");
            h.width = le16(b + 26) & 0x3FFF;
            h.height = le16(b + 28) & 0x3FFF;
        } else if (std::memcmp(b + 12, "VP8L", 4) == 0) {
            if (b[20] != 0x2F)
                throw Error("corrupt WebP (bad VP8L signature)");
            const uint32_t bits = le32(b + 21);
            h.width = int64_t(bits & 0x3FFF) + 1;
            h.height = int64_t((bits >> 14) & 0x3FFF) + 1;
        } else if (std::memcmp(b + 12, "VP8X", 4) == 0) {
            h.width = int64_t(le24(b + 24)) + 1;
            h.height = int64_t(le24(b + 27)) + 1;
        } else {
            throw Error("corrupt WebP (unknown first chunk)");
        }
        break;
    }
    case Format::Tiff:
        // A TIFF whose IFD0 lacks the size tags is left to the decoder (and OpenCV's own limits).
        readTiffDimensions(b, size, h.width, h.height);
        break;
    case Format::Unknown:
        break;
    }
    return h;
}

// IMREAD_UNCHANGED leaves 16-bit and float samples alone; Image8 holds 8 bits. 16-bit values are mapped
// with round(v / 257), which takes 65535 to 255 exactly. (Pillow keeps the high byte, v >> 8, for 16-bit RGB
// PNGs: at most one step apart.)
cv::Mat toEightBit(const cv::Mat &mat)
{
    switch (mat.depth()) {
    case CV_8U:
        return mat;
    case CV_16U: {
        cv::Mat out(mat.rows, mat.cols, CV_MAKETYPE(CV_8U, mat.channels()));
        const int n = mat.cols * mat.channels();
        for (int y = 0; y < mat.rows; ++y) {
            const uint16_t *in = mat.ptr<uint16_t>(y);
            uint8_t *o = out.ptr<uint8_t>(y);
            for (int i = 0; i < n; ++i)
                o[i] = uint8_t((uint32_t(in[i]) + 128) / 257);
        }
        return out;
    }
    case CV_32F: { // HDR-like TIFFs: [0, 1] is the displayable range
        cv::Mat out;
        mat.convertTo(out, CV_8U, 255.0);
        return out;
    }
    default:
        throw Error("unsupported sample type (OpenCV depth " + std::to_string(mat.depth()) + ")");
    }
}

// Grey (+ alpha) to RGB(A); alpha stays straight (not premultiplied).
cv::Mat greyToRgb(const cv::Mat &mat, bool keepAlpha)
{
    cv::Mat out;
    if (mat.channels() == 1) {
        cv::cvtColor(mat, out, cv::COLOR_GRAY2RGB);
        return out;
    }
    cv::Mat planes[2];
    cv::split(mat, planes);
    if (keepAlpha) {
        const cv::Mat rgba[4] = {planes[0], planes[0], planes[0], planes[1]};
        cv::merge(rgba, 4, out);
    } else {
        cv::cvtColor(planes[0], out, cv::COLOR_GRAY2RGB);
    }
    return out;
}

// The decoded 8-bit Mat (OpenCV's BGR(A), or grey) as an Image8 in RGB(A), turned upright as the EXIF
// orientation says (TIFF 6.0, tag 274: how the stored rows and columns map to the upright picture).
// Channel order, alpha and orientation are done in one pass straight into the Image8: a camera photo is
// tens of megabytes, and each extra full copy costs indexing throughput (a turn through cv::rotate took
// longer than the conversion and the copy together).
Image8 toImage(cv::Mat mat, int orientation, bool keepAlpha)
{
    bool bgr = true;
    if (mat.channels() == 1 || mat.channels() == 2) {
        mat = greyToRgb(mat, keepAlpha);
        bgr = false;
    }
    const int inChannels = mat.channels();
    if (inChannels != 3 && inChannels != 4)
        throw Error("unsupported channel count " + std::to_string(inChannels));
    const int outChannels = inChannels == 4 && keepAlpha ? 4 : 3;
    if (orientation < 1 || orientation > 8)
        orientation = 1;
    const int width = mat.cols;
    const int height = mat.rows;
    const bool swapsAxes = orientation >= 5;

    Image8 image;
    image.width = swapsAxes ? height : width;
    image.height = swapsAxes ? width : height;
    image.channels = outChannels;
    image.pixels.resize(size_t(width) * size_t(height) * size_t(outChannels));

    if (orientation == 1) {
        // OpenCV's vectorised conversion, writing into the Image8's buffer (same size and type: create()
        // keeps it).
        cv::Mat out(height, width, CV_8UC(outChannels), image.pixels.data());
        if (bgr)
            cv::cvtColor(mat, out,
                         inChannels == 3    ? cv::COLOR_BGR2RGB
                         : outChannels == 4 ? cv::COLOR_BGRA2RGBA
                                            : cv::COLOR_BGRA2RGB);
        else if (inChannels == outChannels)
            mat.copyTo(out);
        else
            cv::cvtColor(mat, out, cv::COLOR_RGBA2RGB);
        CV_Assert(out.data == image.pixels.data());
        return image;
    }

    // Output pixel (x, y) comes from stored pixel (ox + xx * x + xy * y, oy + yx * x + yy * y), where ox is
    // 0 or width - 1 and oy is 0 or height - 1.
    struct Mapping {
        bool fromRight;
        int xx, xy;
        bool fromBottom;
        int yx, yy;
    };
    static constexpr Mapping Mappings[9] = {
        {},                         // 0: not an orientation
        {},                         // 1: as stored, done above
        {true, -1, 0, false, 0, 1}, // 2 mirrored left-right
        {true, -1, 0, true, 0, -1}, // 3 upside down
        {false, 1, 0, true, 0, -1}, // 4 mirrored top-bottom
        {false, 0, 1, false, 1, 0}, // 5 transposed (mirrored along the main diagonal)
        {false, 0, 1, true, -1, 0}, // 6 stored turned 90 degrees counter-clockwise: turn clockwise
        {true, 0, -1, true, -1, 0}, // 7 transversed (mirrored along the anti-diagonal)
        {true, 0, -1, false, 1, 0}, // 8 stored turned 90 degrees clockwise: turn counter-clockwise
    };
    const Mapping &m = Mappings[orientation];
    const int ox = m.fromRight ? width - 1 : 0, oy = m.fromBottom ? height - 1 : 0;
    const int xx = m.xx, xy = m.xy, yx = m.yx, yy = m.yy;
    const int r = bgr ? 2 : 0, b = bgr ? 0 : 2;
    const ptrdiff_t step = ptrdiff_t(mat.step[0]);
    const ptrdiff_t perX = ptrdiff_t(yx) * step + ptrdiff_t(xx) * inChannels; // source bytes per output x
    // Tiles, so that a turn reads and writes within a few cache-sized blocks.
    constexpr int Tile = 64;
    for (int y0 = 0; y0 < image.height; y0 += Tile) {
        for (int x0 = 0; x0 < image.width; x0 += Tile) {
            const int y1 = std::min(y0 + Tile, image.height);
            const int x1 = std::min(x0 + Tile, image.width);
            for (int y = y0; y < y1; ++y) {
                const uint8_t *src = mat.data + ptrdiff_t(oy + yx * x0 + yy * y) * step +
                                     ptrdiff_t(ox + xx * x0 + xy * y) * inChannels;
                uint8_t *dst = image.pixels.data() +
                               (size_t(y) * size_t(image.width) + size_t(x0)) * size_t(outChannels);
                if (outChannels == 3) {
                    for (int x = x0; x < x1; ++x, dst += 3, src += perX) {
                        dst[0] = src[r];
                        dst[1] = src[1];
                        dst[2] = src[b];
                    }
                } else {
                    for (int x = x0; x < x1; ++x, dst += 4, src += perX) {
                        dst[0] = src[r];
                        dst[1] = src[1];
                        dst[2] = src[b];
                        dst[3] = src[3];
                    }
                }
            }
        }
    }
    return image;
}

// libjpeg's DCT scaling: the largest of 1/8, 1/4, 1/2 that keeps the shorter side at least minSide.
int reducedScale(int64_t width, int64_t height, int minSide)
{
    const int64_t shorter = std::min(width, height);
    for (int scale : {8, 4, 2}) {
        if (shorter / scale >= minSide)
            return scale;
    }
    return 1;
}

// RGBA to RGB by dropping alpha (straight colour, no compositing), as the OpenCV path does.
[[maybe_unused]] Image8 withoutAlpha(Image8 image)
{
    if (image.channels != 4)
        return image;
    const size_t count = size_t(image.width) * size_t(image.height);
    for (size_t i = 0; i < count; ++i)
        std::memmove(image.pixels.data() + i * 3, image.pixels.data() + i * 4, 3);
    image.pixels.resize(count * 3);
    image.channels = 3;
    return image;
}

void silenceOpenCvOnce()
{
    // OpenCV logs a warning for every file it cannot read; the caller gets an Error instead. One-time,
    // thread-safe initialisation (a function-local static).
    static const bool once = [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
        return true;
    }();
    (void)once;
}

Image8 decode(const uint8_t *bytes, size_t size, const DecodeOptions &options)
{
    if (size == 0)
        throw Error("empty file (0 bytes)");
    const Format format = sniffFormat(bytes, size);
    if (format == Format::Unknown)
        throw Error("not an image (unrecognised content)");

    const Header header = readHeader(format, bytes, size);
    // A GIF's logical screen may be 0x0: its first frame then sets the size (giflib path below).
    if ((header.width == 0 || header.height == 0) && !(format == Format::Gif && HaveGiflib))
        throw Error(std::string("corrupt ") + formatName(format) + " (zero width or height)");
    // width > maxPixels / height is width * height > maxPixels without overflowing on absurd headers.
    if (header.width > 0 && header.height > 0 && header.width > options.maxPixels / header.height) {
        throw Error(std::to_string(header.width) + "x" + std::to_string(header.height) +
                    " pixels exceeds the limit of " + std::to_string(options.maxPixels));
    }

#ifdef LODESTONE_HAVE_GIFLIB
    // OpenCV before 4.11 has no GIF decoder.
    if (format == Format::Gif) {
        Image8 image = decodeGifFirstFrame(bytes, size, options.maxPixels);
        return options.keepAlpha ? image : withoutAlpha(std::move(image));
    }
#endif
    if (format == Format::Jpeg)
        checkJpegEnd(bytes, size, header.jpegScanStart);
    else if (format == Format::Png)
        checkPngChunks(bytes, size);

    silenceOpenCvOnce();
    int flags = cv::IMREAD_UNCHANGED;
    if (format == Format::Jpeg && options.reducedDecodeMinSide > 0) {
        // IMREAD_REDUCED_* implies colour and would apply EXIF orientation itself; we apply it below,
        // once, for every path.
        switch (reducedScale(header.width, header.height, options.reducedDecodeMinSide)) {
        case 8:
            flags = cv::IMREAD_REDUCED_COLOR_8 | cv::IMREAD_IGNORE_ORIENTATION;
            break;
        case 4:
            flags = cv::IMREAD_REDUCED_COLOR_4 | cv::IMREAD_IGNORE_ORIENTATION;
            break;
        case 2:
            flags = cv::IMREAD_REDUCED_COLOR_2 | cv::IMREAD_IGNORE_ORIENTATION;
            break;
        default:
            break;
        }
    }

    // imdecode only reads the buffer; the Mat header just wraps it.
    const cv::Mat buffer(1, int(size), CV_8UC1, const_cast<uint8_t *>(bytes));
    cv::Mat mat;
    try {
        mat = cv::imdecode(buffer, flags);
    } catch (const cv::Exception &e) {
        throw Error(std::string("cannot decode ") + formatName(format) + ": " + e.err);
    }
    if (mat.empty()) {
        if (format == Format::Gif)
            throw Error("unsupported format (this OpenCV build has no GIF decoder)");
        throw Error(std::string("corrupt or truncated ") + formatName(format));
    }
    // TIFFs without size tags were not checked before decoding; hold them to the same limit now.
    if (int64_t(mat.cols) * mat.rows > options.maxPixels) {
        throw Error(std::to_string(mat.cols) + "x" + std::to_string(mat.rows) +
                    " pixels exceeds the limit of " + std::to_string(options.maxPixels));
    }

    const int orientation =
        options.applyExifOrientation && format == Format::Jpeg ? readExif(bytes, size).orientation : 1;
    return toImage(toEightBit(mat), orientation, options.keepAlpha);
}

} // namespace

Image8 decodeImageBytes(const uint8_t *bytes, size_t size, const std::string &nameForErrors,
                        const DecodeOptions &options)
{
    try {
        if (!bytes && size > 0)
            throw Error("no data");
        return decode(bytes, size, options);
    } catch (const cv::Exception &e) {
        throw Error("decoding '" + nameForErrors + "': OpenCV: " + e.err);
    } catch (...) {
        rethrowWithContext("decoding '" + nameForErrors + "'");
    }
}

Image8 decodeImage(const std::string &path, const DecodeOptions &options)
{
    std::vector<uint8_t> bytes;
    try {
        bytes = readFileBytes(path, MaxFileBytes);
    } catch (...) {
        rethrowWithContext("decoding '" + path + "'");
    }
    return decodeImageBytes(bytes.data(), bytes.size(), path, options);
}

} // namespace lodestone
