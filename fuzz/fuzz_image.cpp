// Image decoding through the project's decoder (format sniffing, header sizes and the pixel limit, JPEG and
// PNG end checks, giflib for GIFs, OpenCV for the rest, 16-bit and grey conversion, EXIF orientation) on
// arbitrary bytes, twice: with the defaults, and as indexing decodes thumbnails (reduced-size JPEG decoding,
// no alpha). The EXIF reader also runs on the bytes directly. The pixel limit is lowered to 16 M pixels so
// that a valid header claiming a large picture stays within the fuzzer's memory limit.

#include "image/exif.h"
#include "lodestone/error.h"
#include "lodestone/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)lodestone::readExif(data, size);
    int64_t width = 0, height = 0;
    (void)lodestone::readTiffDimensions(data, size, width, height);

    lodestone::DecodeOptions full;
    full.maxPixels = int64_t(1) << 24;
    lodestone::DecodeOptions thumbnail = full;
    thumbnail.reducedDecodeMinSide = 8;
    thumbnail.keepAlpha = false;
    for (const lodestone::DecodeOptions &options : {full, thumbnail}) {
        try {
            const lodestone::Image8 image = lodestone::decodeImageBytes(data, size, "fuzz", options);
            if (image.width <= 0 || image.height <= 0 || (image.channels != 3 && image.channels != 4) ||
                image.pixels.size() != size_t(image.width) * size_t(image.height) * size_t(image.channels) ||
                (!options.keepAlpha && image.channels != 3))
                __builtin_trap();
        } catch (const lodestone::Error &) {
        }
    }
    return 0;
}
