#include "image/exif.h"

#include <cstring>

namespace lodestone {

namespace {

constexpr uint16_t TagImageWidth = 0x0100;
constexpr uint16_t TagImageLength = 0x0101;
constexpr uint16_t TagOrientation = 0x0112;
constexpr uint16_t TagExifIfd = 0x8769;
constexpr uint16_t TagDateTimeOriginal = 0x9003;

constexpr uint16_t TypeAscii = 2;
constexpr uint16_t TypeShort = 3;
constexpr uint16_t TypeLong = 4;
constexpr uint16_t TypeIfd = 13;

// A TIFF structure in memory. Every read goes through has(), so offsets taken from the file (which may
// be anything) can never reach outside the buffer; a failed read yields 0 and ok() turns false.
class TiffReader {
public:
    TiffReader(const uint8_t *data, size_t size)
        : m_data(data)
        , m_size(size)
    {}

    bool has(uint64_t offset, uint64_t length) const { return offset <= m_size && length <= m_size - offset; }

    // Validates the "II*\0" / "MM\0*" header; returns IFD0's offset, 0 when there is none.
    uint32_t readHeader()
    {
        if (!has(0, 8))
            return 0;
        if (m_data[0] == 'I' && m_data[1] == 'I')
            m_littleEndian = true;
        else if (m_data[0] == 'M' && m_data[1] == 'M')
            m_littleEndian = false;
        else
            return 0;
        if (u16(2) != 42)
            return 0;
        return u32(4);
    }

    uint16_t u16(uint64_t offset) const
    {
        if (!has(offset, 2))
            return 0;
        const uint8_t *p = m_data + offset;
        return m_littleEndian ? uint16_t(p[0] | (p[1] << 8)) : uint16_t((p[0] << 8) | p[1]);
    }

    uint32_t u32(uint64_t offset) const
    {
        if (!has(offset, 4))
            return 0;
        const uint8_t *p = m_data + offset;
        if (m_littleEndian)
            return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
        return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
    }

    const uint8_t *data() const { return m_data; }

private:
    const uint8_t *m_data;
    size_t m_size;
    bool m_littleEndian = true;
};

struct IfdEntry {
    uint16_t tag = 0;
    uint16_t type = 0;
    uint32_t count = 0;
    uint64_t valueOffset = 0; // where the value field (4 bytes, inline value or offset) sits
};

// Calls visit(entry) for each entry of the IFD at `offset` that lies entirely inside the buffer.
template <typename Visit>
void forEachEntry(const TiffReader &tiff, uint32_t offset, Visit visit)
{
    if (offset == 0 || !tiff.has(offset, 2))
        return;
    const uint32_t count = tiff.u16(offset);
    for (uint32_t i = 0; i < count; ++i) {
        const uint64_t entry = uint64_t(offset) + 2 + uint64_t(i) * 12;
        if (!tiff.has(entry, 12))
            return; // a count larger than the data: keep what was readable
        IfdEntry e;
        e.tag = tiff.u16(entry);
        e.type = tiff.u16(entry + 2);
        e.count = tiff.u32(entry + 4);
        e.valueOffset = entry + 8;
        visit(e);
    }
}

uint32_t integerValue(const TiffReader &tiff, const IfdEntry &e)
{
    if (e.count < 1)
        return 0;
    if (e.type == TypeShort)
        return tiff.u16(e.valueOffset);
    if (e.type == TypeLong || e.type == TypeIfd)
        return tiff.u32(e.valueOffset);
    return 0;
}

std::string asciiValue(const TiffReader &tiff, const IfdEntry &e)
{
    if (e.type != TypeAscii || e.count == 0)
        return {};
    // Values of up to four bytes are stored in the entry itself, longer ones at an offset.
    const uint64_t at = e.count <= 4 ? e.valueOffset : tiff.u32(e.valueOffset);
    if (!tiff.has(at, e.count))
        return {};
    const char *text = reinterpret_cast<const char *>(tiff.data() + at);
    std::string value(text, strnlen(text, e.count));
    // Cameras pad unknown dates with spaces ("    :  :     :  :  ").
    while (!value.empty() && (value.back() == ' ' || value.back() == '\0'))
        value.pop_back();
    if (value.find_first_not_of(" :") == std::string::npos)
        return {};
    return value;
}

ExifInfo readTiff(const uint8_t *data, size_t size)
{
    ExifInfo info;
    TiffReader tiff(data, size);
    const uint32_t ifd0 = tiff.readHeader();
    uint32_t exifIfd = 0;
    forEachEntry(tiff, ifd0, [&](const IfdEntry &e) {
        if (e.tag == TagOrientation) {
            const uint32_t value = integerValue(tiff, e);
            if (value >= 1 && value <= 8)
                info.orientation = int(value);
        } else if (e.tag == TagExifIfd) {
            exifIfd = integerValue(tiff, e);
        }
    });
    // Only one level is followed, so a sub-IFD pointing back at IFD0 cannot loop.
    if (exifIfd != ifd0) {
        forEachEntry(tiff, exifIfd, [&](const IfdEntry &e) {
            if (e.tag == TagDateTimeOriginal)
                info.dateTimeOriginal = asciiValue(tiff, e);
        });
    }
    return info;
}

} // namespace

ExifInfo readExif(const uint8_t *bytes, size_t size)
{
    if (!bytes || size < 4)
        return {};
    if ((bytes[0] == 'I' && bytes[1] == 'I') || (bytes[0] == 'M' && bytes[1] == 'M'))
        return readTiff(bytes, size);
    if (bytes[0] != 0xFF || bytes[1] != 0xD8)
        return {};

    // Walk the JPEG marker segments up to the first scan; EXIF lives in an APP1 segment before it.
    size_t pos = 2;
    while (pos + 4 <= size) {
        if (bytes[pos] != 0xFF)
            return {}; // not at a marker: the structure is broken
        const uint8_t marker = bytes[pos + 1];
        if (marker == 0xFF) { // fill byte before a marker
            ++pos;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length field
            pos += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) // end of image, start of scan: no EXIF after these
            return {};
        const size_t length = (size_t(bytes[pos + 2]) << 8) | bytes[pos + 3]; // includes the length field
        if (length < 2 || length > size - pos - 2)
            return {};
        const uint8_t *payload = bytes + pos + 4;
        const size_t payloadSize = length - 2;
        if (marker == 0xE1 && payloadSize >= 6 && std::memcmp(payload, "Exif\0", 5) == 0)
            return readTiff(payload + 6, payloadSize - 6);
        pos += 2 + length;
    }
    return {};
}

bool readTiffDimensions(const uint8_t *bytes, size_t size, int64_t &width, int64_t &height)
{
    if (!bytes)
        return false;
    TiffReader tiff(bytes, size);
    int64_t w = -1;
    int64_t h = -1;
    forEachEntry(tiff, tiff.readHeader(), [&](const IfdEntry &e) {
        if (e.tag == TagImageWidth)
            w = integerValue(tiff, e);
        else if (e.tag == TagImageLength)
            h = integerValue(tiff, e);
    });
    if (w < 0 || h < 0)
        return false;
    width = w;
    height = h;
    return true;
}

} // namespace lodestone
