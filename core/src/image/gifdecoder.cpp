#include "image/gifdecoder.h"

#ifdef LODESTONE_HAVE_GIFLIB

#include "lodestone/error.h"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace lodestone {

namespace {

struct BufferReader {
    const uint8_t *bytes = nullptr;
    size_t size = 0;
    size_t pos = 0;
    bool shortRead = false; // giflib asked for bytes past the end
};

// giflib's input callback. Fewer bytes than asked means the buffer has ended, which giflib reports as
// D_GIF_ERR_READ_FAILED.
int readFromBuffer(GifFileType *gif, GifByteType *out, int length)
{
    auto *reader = static_cast<BufferReader *>(gif->UserData);
    if (length <= 0)
        return 0;
    const size_t n = std::min(size_t(length), reader->size - reader->pos);
    reader->shortRead = reader->shortRead || n < size_t(length);
    std::memcpy(out, reader->bytes + reader->pos, n);
    reader->pos += n;
    return int(n);
}

struct GifCloser {
    void operator()(GifFileType *gif) const
    {
        int error = 0;
        DGifCloseFile(gif, &error);
    }
};
using GifHandle = std::unique_ptr<GifFileType, GifCloser>;

// From memory a read fails only at the end of the buffer, so a failed read is a truncated file.
std::string describe(int code)
{
    switch (code) {
    case D_GIF_ERR_READ_FAILED:
        return "truncated (GIF data ends early)";
    case D_GIF_ERR_NOT_GIF_FILE:
        return "corrupt GIF (bad signature)";
    case D_GIF_ERR_NOT_ENOUGH_MEM:
        return "out of memory decoding GIF";
    default:
        break;
    }
    const char *text = GifErrorString(code);
    return std::string("corrupt GIF (giflib: ") +
           (text ? std::string(text) : "error " + std::to_string(code)) + ")";
}

// Some of giflib's paths fail on a short read without setting an error code (reading the LZW code size,
// for one): a read past the end is what happened then.
[[noreturn]] void fail(const GifFileType *gif)
{
    if (static_cast<const BufferReader *>(gif->UserData)->shortRead)
        throw Error(describe(D_GIF_ERR_READ_FAILED));
    throw Error(describe(gif->Error));
}

void checkPixels(int64_t width, int64_t height, int64_t maxPixels)
{
    // width > maxPixels / height is width * height > maxPixels without overflow.
    if (width > 0 && height > 0 && width > maxPixels / height) {
        throw Error(std::to_string(width) + "x" + std::to_string(height) + " pixels exceeds the limit of " +
                    std::to_string(maxPixels));
    }
}

// Reads the frame whose descriptor giflib has just read, onto the logical screen.
Image8 readFrame(GifFileType *gif, int transparent, int64_t maxPixels)
{
    const GifImageDesc &frame = gif->Image;
    if (frame.Width <= 0 || frame.Height <= 0)
        throw Error("corrupt GIF (the first frame is empty)");
    // A frame reaching beyond the screen enlarges it (Pillow and browsers do the same); held to the limit
    // again before the canvas is allocated.
    const int64_t width = std::max<int64_t>(gif->SWidth, int64_t(frame.Left) + frame.Width);
    const int64_t height = std::max<int64_t>(gif->SHeight, int64_t(frame.Top) + frame.Height);
    checkPixels(width, height, maxPixels);

    // Index -> RGBA. Indices past the colour map are black; without any colour map the index is the grey
    // level (Pillow reads such a GIF as mode "L").
    const ColorMapObject *map = frame.ColorMap ? frame.ColorMap : gif->SColorMap;
    std::array<std::array<uint8_t, 4>, 256> colours{};
    for (int i = 0; i < 256; ++i) {
        std::array<uint8_t, 4> &c = colours[size_t(i)];
        if (!map)
            c = {uint8_t(i), uint8_t(i), uint8_t(i), 255};
        else if (i < map->ColorCount)
            c = {map->Colors[i].Red, map->Colors[i].Green, map->Colors[i].Blue, 255};
        else
            c = {0, 0, 0, 255};
        if (i == transparent)
            c[3] = 0;
    }

    const bool coversScreen =
        frame.Left == 0 && frame.Top == 0 && frame.Width == width && frame.Height == height;
    Image8 image;
    image.width = int(width);
    image.height = int(height);
    image.channels = (transparent != NO_TRANSPARENT_COLOR || !coversScreen) ? 4 : 3;
    const size_t channels = size_t(image.channels);
    image.pixels.resize(size_t(width) * size_t(height) * channels);
    if (!coversScreen) {
        // Outside the frame: transparent. Its colour is what Pillow fills the first frame's canvas with
        // (the transparent index, else index 0), so that dropping alpha gives the reference's RGB.
        std::array<uint8_t, 4> fill = colours[size_t(transparent >= 0 ? transparent : 0)];
        fill[3] = 0;
        for (size_t p = 0; p < image.pixels.size(); p += channels)
            std::memcpy(image.pixels.data() + p, fill.data(), channels);
    }

    std::vector<GifPixelType> line(size_t(frame.Width));
    auto readRow = [&](int y) {
        if (DGifGetLine(gif, line.data(), frame.Width) == GIF_ERROR)
            fail(gif);
        uint8_t *out = image.pixels.data() +
                       ((size_t(frame.Top) + size_t(y)) * size_t(width) + size_t(frame.Left)) * channels;
        for (GifPixelType index : line) {
            std::memcpy(out, colours[index].data(), channels);
            out += channels;
        }
    };
    if (frame.Interlace) {
        // Rows 0, 8, 16, ...; then 4, 12, ...; then 2, 6, ...; then the odd rows.
        constexpr int Start[4] = {0, 4, 2, 1};
        constexpr int Step[4] = {8, 8, 4, 2};
        for (int pass = 0; pass < 4; ++pass) {
            for (int y = Start[pass]; y < frame.Height; y += Step[pass])
                readRow(y);
        }
    } else {
        for (int y = 0; y < frame.Height; ++y)
            readRow(y);
    }
    return image;
}

} // namespace

Image8 decodeGifFirstFrame(const uint8_t *bytes, size_t size, int64_t maxPixels)
{
    BufferReader reader{bytes, size, 0, false};
    int error = 0;
    // DGifOpen reads the signature, the screen descriptor and the global colour map.
    const GifHandle gif(DGifOpen(&reader, readFromBuffer, &error));
    if (!gif) {
        // DGifOpen reports every failure to read the screen descriptor or the global colour map as
        // D_GIF_ERR_NO_SCRN_DSCR, a short buffer included.
        throw Error(describe(reader.shortRead ? D_GIF_ERR_READ_FAILED : error));
    }
    checkPixels(gif->SWidth, gif->SHeight, maxPixels);

    // Extensions up to the first image descriptor; the last graphics control extension applies to it.
    int transparent = NO_TRANSPARENT_COLOR;
    for (;;) {
        GifRecordType type = UNDEFINED_RECORD_TYPE;
        if (DGifGetRecordType(gif.get(), &type) == GIF_ERROR)
            fail(gif.get());
        switch (type) {
        case EXTENSION_RECORD_TYPE: {
            int code = 0;
            GifByteType *block = nullptr;
            if (DGifGetExtension(gif.get(), &code, &block) == GIF_ERROR)
                fail(gif.get());
            GraphicsControlBlock control;
            if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] == 4 &&
                DGifExtensionToGCB(4, block + 1, &control) == GIF_OK) {
                transparent = control.TransparentColor;
            }
            while (block) {
                if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR)
                    fail(gif.get());
            }
            break;
        }
        case IMAGE_DESC_RECORD_TYPE:
            if (DGifGetImageDesc(gif.get()) == GIF_ERROR)
                fail(gif.get());
            return readFrame(gif.get(), transparent, maxPixels);
        case TERMINATE_RECORD_TYPE:
            throw Error("corrupt GIF (no image before the trailer)");
        default:
            throw Error("corrupt GIF (unknown record type)");
        }
    }
}

} // namespace lodestone

#endif // LODESTONE_HAVE_GIFLIB
