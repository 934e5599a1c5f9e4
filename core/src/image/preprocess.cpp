// CLIP's reference `_transform`: Resize(n, BICUBIC) -> CenterCrop(n) -> convert("RGB") -> ToTensor ->
// Normalize(mean, std), with torchvision's integer arithmetic for the sizes and offsets and Pillow's for
// the pixels (resizeBicubicPillow), so that a model receives what it was trained and evaluated on.
//
// Known deviations from running the reference on the same file:
// - decodeImage applies EXIF orientation (photos are shown upright); the reference (PIL.Image.open)
//   ignores it. Identical for photos without an Orientation tag or with orientation 1.
// - Palette images are expanded to RGB(A) by the decoder before resizing; Pillow resizes mode "P" with
//   NEAREST instead of bicubic.
// - 16-bit images are reduced to 8 bits as round(v / 257); Pillow keeps the high byte (v >> 8).

#include "lodestone/image.h"

#include "lodestone/error.h"

#include <cmath>
#include <cstring>

namespace lodestone {

namespace {

void checkConfig(const PreprocessConfig &config)
{
    if (config.imageSize <= 0 || config.imageSize > 16384)
        throw Error("preprocessing: image size " + std::to_string(config.imageSize) + " is out of range");
    for (float s : config.std) {
        if (s == 0.0f || !std::isfinite(s))
            throw Error("preprocessing: the normalisation std must be finite and non-zero");
    }
}

// Writes [3, n, n] floats for `image` into `out`.
void preprocessInto(const Image8 &image, const PreprocessConfig &config, float *out)
{
    if (image.width <= 0 || image.height <= 0 || (image.channels != 3 && image.channels != 4) ||
        image.pixels.size() != size_t(image.width) * size_t(image.height) * size_t(image.channels)) {
        throw Error("preprocessing: invalid image (" + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + "x" + std::to_string(image.channels) + ")");
    }
    const int n = config.imageSize;

    // torchvision's _compute_resized_output_size: the shorter side becomes n, the longer one
    // int(n * long / short), truncated (Python's true division, exact here in double).
    const bool wide = image.width > image.height;
    const int64_t shorter = wide ? image.height : image.width;
    const int64_t longer = wide ? image.width : image.height;
    const int64_t resizedLong = int64_t(double(int64_t(n) * longer) / double(shorter));
    const int resizedWidth = int(wide ? resizedLong : n);
    const int resizedHeight = int(wide ? n : resizedLong);
    const Image8 resized = resizeBicubicPillow(image, resizedWidth, resizedHeight);

    // torchvision's center_crop: int(round((size - n) / 2.0)); Python rounds half to even, which is
    // what nearbyint does in the default rounding mode.
    const int top = int(std::nearbyint((resizedHeight - n) / 2.0));
    const int left = int(std::nearbyint((resizedWidth - n) / 2.0));

    // convert("RGB") drops alpha (straight colour, no compositing); ToTensor divides by 255 in float32,
    // Normalize subtracts and divides in float32: the same operations in the same order.
    const int channels = resized.channels;
    const size_t plane = size_t(n) * size_t(n);
    for (int c = 0; c < 3; ++c) {
        const float mean = config.mean[size_t(c)];
        const float std = config.std[size_t(c)];
        float *dst = out + size_t(c) * plane;
        for (int y = 0; y < n; ++y) {
            const uint8_t *src = resized.pixels.data() +
                                 (size_t(top + y) * size_t(resizedWidth) + size_t(left)) * size_t(channels);
            for (int x = 0; x < n; ++x) {
                const float v = float(src[size_t(x) * size_t(channels) + size_t(c)]) / 255.0f;
                dst[size_t(y) * size_t(n) + size_t(x)] = (v - mean) / std;
            }
        }
    }
}

} // namespace

FloatArray preprocessImage(const Image8 &image, const PreprocessConfig &config)
{
    checkConfig(config);
    FloatArray out({3, config.imageSize, config.imageSize});
    preprocessInto(image, config, out.data.data());
    return out;
}

FloatArray preprocessFiles(const std::vector<std::string> &paths, const PreprocessConfig &config)
{
    checkConfig(config);
    const int64_t n = config.imageSize;
    FloatArray batch({int64_t(paths.size()), 3, n, n});
    for (size_t i = 0; i < paths.size(); ++i) {
        const Image8 image = decodeImage(paths[i]); // its errors name the file already
        try {
            preprocessInto(image, config, batch.row(int64_t(i)));
        } catch (...) {
            rethrowWithContext("preprocessing '" + paths[i] + "'");
        }
    }
    return batch;
}

} // namespace lodestone
