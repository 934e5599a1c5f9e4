// A port of Pillow's 8-bit resampling (src/libImaging/Resample.c) for the bicubic filter, because CLIP's
// reference preprocessing is Pillow's `resize(BICUBIC)` and a model sees the difference between it and
// OpenCV's INTER_CUBIC (a = -0.75, no antialiasing). Every integer and rounding step below mirrors
// Pillow's, so 8-bit results are identical, not merely close.

#include "lodestone/image.h"

#include "lodestone/error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

namespace {

// 8 bits of result, 2 bits of headroom for the filter's negative lobes, the rest fraction.
constexpr int PrecisionBits = 32 - 8 - 2;

constexpr double BicubicSupport = 2.0;

double bicubic(double x)
{
    constexpr double a = -0.5;
    if (x < 0.0)
        x = -x;
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

// The filter taps of one pass: output pixel i reads `count[i]` input pixels from `first[i]` on, with
// fixed-point weights `weights[i * kernelSize ...]`.
struct Taps {
    int kernelSize = 0;
    std::vector<int> first;
    std::vector<int> count;
    std::vector<int32_t> weights;
};

Taps precomputeTaps(int inSize, int outSize)
{
    // Pillow's box is (0, inSize) in float; its width (float) is exact for any realistic size.
    const double scale = double(float(inSize)) / outSize;
    // When shrinking, the filter widens by the scale factor: this is the antialiasing.
    const double filterScale = scale < 1.0 ? 1.0 : scale;
    const double support = BicubicSupport * filterScale;
    const int kernelSize = int(std::ceil(support)) * 2 + 1;

    Taps taps;
    taps.kernelSize = kernelSize;
    taps.first.resize(size_t(outSize));
    taps.count.resize(size_t(outSize));
    taps.weights.assign(size_t(outSize) * size_t(kernelSize), 0);
    std::vector<double> k(static_cast<size_t>(kernelSize));
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        // Truncation toward zero, as Pillow's (int) casts.
        int xmin = int(center - support + 0.5);
        if (xmin < 0)
            xmin = 0;
        int xmax = int(center + support + 0.5);
        if (xmax > inSize)
            xmax = inSize;
        xmax -= xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double w = bicubic((x + xmin - center + 0.5) * ss);
            k[size_t(x)] = w;
            ww += w;
        }
        int32_t *out = &taps.weights[size_t(xx) * size_t(kernelSize)];
        for (int x = 0; x < xmax; ++x) {
            const double w = ww != 0.0 ? k[size_t(x)] / ww : k[size_t(x)];
            // normalize_coeffs_8bpc: to fixed point, rounding half away from zero.
            out[x] =
                w < 0 ? int32_t(-0.5 + w * (1 << PrecisionBits)) : int32_t(0.5 + w * (1 << PrecisionBits));
        }
        taps.first[size_t(xx)] = xmin;
        taps.count[size_t(xx)] = xmax;
    }
    return taps;
}

inline uint8_t clip8(int32_t accumulator)
{
    const int32_t v = accumulator >> PrecisionBits;
    return uint8_t(v < 0 ? 0 : v > 255 ? 255 : v);
}

// Horizontal pass over rows [rowBegin, rowBegin + rows) of `in` (width inWidth) into `out` (width outWidth).
template <int Channels>
void resampleHorizontal(const uint8_t *in, int inWidth, int rowBegin, int rows, uint8_t *out, int outWidth,
                        const Taps &taps)
{
    for (int yy = 0; yy < rows; ++yy) {
        const uint8_t *src = in + size_t(rowBegin + yy) * size_t(inWidth) * Channels;
        uint8_t *dst = out + size_t(yy) * size_t(outWidth) * Channels;
        for (int xx = 0; xx < outWidth; ++xx) {
            const int xmin = taps.first[size_t(xx)];
            const int count = taps.count[size_t(xx)];
            const int32_t *k = &taps.weights[size_t(xx) * size_t(taps.kernelSize)];
            int32_t ss[Channels];
            for (int c = 0; c < Channels; ++c)
                ss[c] = 1 << (PrecisionBits - 1); // + 0.5, for rounding
            const uint8_t *p = src + size_t(xmin) * Channels;
            for (int x = 0; x < count; ++x) {
                for (int c = 0; c < Channels; ++c)
                    ss[c] += int32_t(p[x * Channels + c]) * k[x];
            }
            for (int c = 0; c < Channels; ++c)
                dst[xx * Channels + c] = clip8(ss[c]);
        }
    }
}

// Vertical pass: output row yy reads rows taps.first[yy] ... of `in` (width `width`).
template <int Channels>
void resampleVertical(const uint8_t *in, int width, uint8_t *out, int outHeight, const Taps &taps)
{
    const size_t rowSize = size_t(width) * Channels;
    for (int yy = 0; yy < outHeight; ++yy) {
        const int ymin = taps.first[size_t(yy)];
        const int count = taps.count[size_t(yy)];
        const int32_t *k = &taps.weights[size_t(yy) * size_t(taps.kernelSize)];
        uint8_t *dst = out + size_t(yy) * rowSize;
        for (size_t i = 0; i < rowSize; ++i) {
            int32_t ss = 1 << (PrecisionBits - 1);
            const uint8_t *p = in + size_t(ymin) * rowSize + i;
            for (int y = 0; y < count; ++y)
                ss += int32_t(p[size_t(y) * rowSize]) * k[y];
            dst[i] = clip8(ss);
        }
    }
}

// Pillow's MULDIV255: round(a * b / 255) in integers, as in its RGBA -> RGBa conversion.
inline uint8_t mulDiv255(uint32_t a, uint32_t b)
{
    const uint32_t tmp = a * b + 128;
    return uint8_t(((tmp >> 8) + tmp) >> 8);
}

// RGBA -> RGBa (premultiplied) and back, exactly as Pillow's Convert.c: resampling straight alpha would
// bleed the colour of transparent pixels into visible ones. The way back truncates, so a round trip
// loses a little (Pillow's does too).
void premultiply(std::vector<uint8_t> &pixels, int channels)
{
    const size_t alpha = size_t(channels) - 1;
    for (size_t i = 0; i < pixels.size(); i += size_t(channels)) {
        const uint32_t a = pixels[i + alpha];
        for (size_t c = 0; c < alpha; ++c)
            pixels[i + c] = mulDiv255(pixels[i + c], a);
    }
}

void unpremultiply(std::vector<uint8_t> &pixels, int channels)
{
    const size_t alpha = size_t(channels) - 1;
    for (size_t i = 0; i < pixels.size(); i += size_t(channels)) {
        const uint32_t a = pixels[i + alpha];
        if (a == 255 || a == 0)
            continue;
        for (size_t c = 0; c < alpha; ++c) {
            const uint32_t v = 255 * uint32_t(pixels[i + c]) / a;
            pixels[i + c] = uint8_t(v > 255 ? 255 : v);
        }
    }
}

template <int Channels>
void resample(const Image8 &in, Image8 &out)
{
    const bool needHorizontal = out.width != in.width;
    const bool needVertical = out.height != in.height;

    Taps vertical = precomputeTaps(in.height, out.height);
    // The horizontal pass only needs the rows that the vertical pass will read.
    const int rowFirst = vertical.first.front();
    const int rowLast = vertical.first.back() + vertical.count.back();

    const uint8_t *src = in.pixels.data();
    std::vector<uint8_t> temp;
    if (needHorizontal) {
        const Taps horizontal = precomputeTaps(in.width, out.width);
        const int srcHeight = rowLast - rowFirst;
        temp.resize(size_t(out.width) * size_t(srcHeight) * Channels);
        resampleHorizontal<Channels>(src, in.width, rowFirst, srcHeight, temp.data(), out.width, horizontal);
        for (int &first : vertical.first)
            first -= rowFirst;
        src = temp.data();
    }
    if (needVertical) {
        resampleVertical<Channels>(src, out.width, out.pixels.data(), out.height, vertical);
    } else {
        // Horizontal only: temp holds all rows (rowFirst is 0, rowLast the height).
        std::copy(src, src + out.pixels.size(), out.pixels.begin());
    }
}

} // namespace

Image8 resizeBicubicPillow(const Image8 &image, int width, int height)
{
    if (width <= 0 || height <= 0) {
        throw Error("resizing to " + std::to_string(width) + "x" + std::to_string(height) +
                    ": the target size must be positive");
    }
    if (image.width <= 0 || image.height <= 0 || image.channels < 1 || image.channels > 4 ||
        image.pixels.size() != size_t(image.width) * size_t(image.height) * size_t(image.channels)) {
        throw Error("resizing: invalid image (" + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + "x" + std::to_string(image.channels) + ", " +
                    std::to_string(image.pixels.size()) + " bytes)");
    }
    // Image.resize returns a plain copy when the size does not change (no premultiplication round trip).
    if (width == image.width && height == image.height)
        return image;

    // Modes with alpha (LA, RGBA) are resampled premultiplied.
    const bool hasAlpha = image.channels == 2 || image.channels == 4;
    Image8 source;
    const Image8 *in = &image;
    if (hasAlpha) {
        source = image;
        premultiply(source.pixels, source.channels);
        in = &source;
    }

    Image8 out;
    out.width = width;
    out.height = height;
    out.channels = image.channels;
    out.pixels.resize(size_t(width) * size_t(height) * size_t(image.channels));
    switch (image.channels) {
    case 1:
        resample<1>(*in, out);
        break;
    case 2:
        resample<2>(*in, out);
        break;
    case 3:
        resample<3>(*in, out);
        break;
    default:
        resample<4>(*in, out);
        break;
    }
    if (hasAlpha)
        unpremultiply(out.pixels, out.channels);
    return out;
}

} // namespace lodestone
