#pragma once

#include "lodestone/image.h"

#include <cstddef>
#include <cstdint>

namespace lodestone {

// Decodes the first frame of a GIF87a/GIF89a file in memory with giflib, placed on its logical screen
// (enlarged, as Pillow and browsers do, when the frame reaches beyond it). Interlaced frames are put back
// in row order; the local colour map is used when the frame has one, else the global one (neither: the
// index is the grey level). Returns RGBA when the graphics control extension before the frame names a
// transparent index (those pixels get alpha 0) or the frame does not cover the screen (the rest gets
// alpha 0); otherwise RGB. Checks the screen against maxPixels before allocating anything.
// Throws Error without the file name (the caller adds it): truncated, corrupt, too large.
// Thread-safe. Only built with giflib (LODESTONE_HAVE_GIFLIB).
Image8 decodeGifFirstFrame(const uint8_t *bytes, size_t size, int64_t maxPixels);

} // namespace lodestone
