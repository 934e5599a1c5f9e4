#pragma once

#include "lodestone/floatarray.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

// A decoded 8-bit image, interleaved, row-major, no padding. channels is 3 (RGB) or 4 (RGBA,
// straight, i.e. not premultiplied, alpha).
struct Image8 {
    int width = 0;
    int height = 0;
    int channels = 3;
    std::vector<uint8_t> pixels; // width * height * channels bytes
};

struct DecodeOptions {
    bool applyExifOrientation = true; // rotate/flip JPEGs as their EXIF Orientation tag says
    bool keepAlpha = true;            // RGBA stays RGBA (the reference resamples it premultiplied)
    // Refuse images with more pixels than this before decoding them (a PNG header may claim 50000x50000).
    int64_t maxPixels = int64_t(1) << 28;
    // JPEG only: decode at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling, much faster than a full decode)
    // while the shorter side stays >= this; 0 = full size. Such images are 8-bit RGB (no alpha, grey
    // becomes RGB) and are not what the reference preprocessing sees: meant for thumbnails and fast indexing.
    int reducedDecodeMinSide = 0;
};

// Decodes a JPEG, PNG, WebP, BMP, TIFF or GIF file into 8-bit RGB(A): grey, 16-bit (rounded value / 257),
// palette and CMYK images are converted, EXIF orientation is applied (JPEG). The format is recognised from
// the content, not the file name, and the size in the header is checked against maxPixels before anything
// is decoded. GIF: the first frame, with giflib when built with it (else only with an OpenCV that has a
// GIF decoder, 4.11 or later), placed on its logical screen; RGBA when it has a transparent index or does
// not cover the screen (the rest is transparent). Throws Error naming the file and the reason (unreadable,
// not an image, truncated, too large, unsupported). Thread-safe.
Image8 decodeImage(const std::string &path, const DecodeOptions &options = {});
// The same from bytes in memory; `nameForErrors` goes into messages.
Image8 decodeImageBytes(const uint8_t *bytes, size_t size, const std::string &nameForErrors,
                        const DecodeOptions &options = {});

// How a model wants its pixels (CLIP: bicubic resize of the shorter side, centre crop, mean/std).
struct PreprocessConfig {
    int imageSize = 224;
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

// Resizes like Pillow's `Image.resize(size, BICUBIC)` on 8-bit images: a separable bicubic filter
// (a = -0.5) widened by the scale factor when shrinking (antialiasing), applied horizontally then
// vertically in fixed point with rounding and clipping to 8 bits between the passes. RGBA is resampled
// premultiplied, as Pillow does.
Image8 resizeBicubicPillow(const Image8 &image, int width, int height);

// The reference CLIP preprocessing of one image: shorter side resized to imageSize (the longer side
// truncated as torchvision does), centre crop (offsets rounded half to even, as Python's round), alpha
// dropped, /255, (x - mean) / std. Returns [3, imageSize, imageSize] float32.
FloatArray preprocessImage(const Image8 &image, const PreprocessConfig &config);

// Decode + preprocess a list of files into one [N, 3, R, R] batch. Throws Error naming the first file
// that fails.
FloatArray preprocessFiles(const std::vector<std::string> &paths, const PreprocessConfig &config);

} // namespace lodestone
