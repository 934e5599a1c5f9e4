#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace lodestone {

// What Lodestone needs from a photo's EXIF block.
struct ExifInfo {
    int orientation = 1;          // TIFF/EXIF Orientation 1..8 (1 = as stored); 1 when absent or invalid
    std::string dateTimeOriginal; // "YYYY:MM:DD HH:MM:SS" as the camera wrote it; empty when absent
};

// Reads the EXIF block of a JPEG (APP1 "Exif\0\0" before the first scan) or of a TIFF file (its own
// IFD0): Orientation (0x0112) from IFD0 and DateTimeOriginal (0x9003) from the Exif sub-IFD (0x8769).
// Bounds-checked: malformed or truncated input never reads outside [bytes, bytes + size); whatever
// cannot be read keeps its default. Never throws. Thread-safe.
ExifInfo readExif(const uint8_t *bytes, size_t size);

// The ImageWidth (0x0100) and ImageLength (0x0101) of a TIFF file's first image (IFD0), so that its
// size can be checked before decoding. False when the header or either tag cannot be read. Bounds-checked.
bool readTiffDimensions(const uint8_t *bytes, size_t size, int64_t &width, int64_t &height);

} // namespace lodestone
