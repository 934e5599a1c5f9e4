#include "lodestone/npy.h"

#include "io/fileio.h"
#include "lodestone/error.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace lodestone {

namespace {

float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1f;
    const uint32_t mantissa = h & 0x3ff;
    float value;
    if (exponent == 0)
        value = std::ldexp(float(mantissa), -24);
    else if (exponent == 31)
        value = mantissa ? NAN : INFINITY;
    else
        value = std::ldexp(float(mantissa | 0x400), int(exponent) - 25);
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    bits |= sign;
    std::memcpy(&value, &bits, 4);
    return value;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The header is a Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (7, 64), }.
// The value of `key` as written: a quoted string (quotes kept), True, False or a parenthesised tuple. A
// plain scan: std::regex recurses once per character and overflowed the stack on a long header.
std::string dictValue(const std::string &header, const std::string &key)
{
    for (const char quote : {'\'', '"'}) {
        const std::string name = quote + key + quote;
        size_t pos = header.find(name);
        if (pos == std::string::npos)
            continue;
        pos += name.size();
        while (pos < header.size() && isSpace(header[pos]))
            ++pos;
        if (pos >= header.size() || header[pos] != ':')
            break;
        ++pos;
        while (pos < header.size() && isSpace(header[pos]))
            ++pos;
        if (pos >= header.size())
            break;
        const char first = header[pos];
        size_t end = std::string::npos;
        if (first == '\'' || first == '"')
            end = header.find(first, pos + 1);
        else if (first == '(')
            end = header.find(')', pos + 1);
        else if (header.compare(pos, 4, "True") == 0)
            end = pos + 3;
        else if (header.compare(pos, 5, "False") == 0)
            end = pos + 4;
        if (end == std::string::npos)
            break;
        return header.substr(pos, end - pos + 1);
    }
    throw Error("header has no readable '" + key + "'");
}

// The dimensions of a shape tuple such as "(7, 64)" or "(3,)".
std::vector<int64_t> parseShape(const std::string &tuple)
{
    std::vector<int64_t> shape;
    for (size_t pos = 0; pos < tuple.size();) {
        if (tuple[pos] < '0' || tuple[pos] > '9') {
            ++pos;
            continue;
        }
        int64_t value = 0;
        const auto [end, ec] = std::from_chars(tuple.data() + pos, tuple.data() + tuple.size(), value);
        if (ec != std::errc())
            throw Error("shape " + tuple + " has a dimension out of range");
        shape.push_back(value);
        pos = size_t(end - tuple.data());
    }
    return shape;
}

} // namespace

FloatArray readNpy(const std::string &path)
{
    try {
        const std::vector<uint8_t> bytes = readFileBytes(path);
        if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0)
            throw Error("not a NumPy .npy file");
        const int major = bytes[6];
        size_t headerLength, offset;
        if (major == 1) {
            headerLength = bytes[8] | (size_t(bytes[9]) << 8);
            offset = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.size() < 12)
                throw Error("truncated header");
            headerLength =
                bytes[8] | (size_t(bytes[9]) << 8) | (size_t(bytes[10]) << 16) | (size_t(bytes[11]) << 24);
            offset = 12;
        } else {
            throw Error("unsupported .npy format version " + std::to_string(major));
        }
        if (headerLength > bytes.size() - offset)
            throw Error("truncated header");
        const std::string header(bytes.begin() + long(offset), bytes.begin() + long(offset + headerLength));
        const std::string descr = dictValue(header, "descr");
        if (dictValue(header, "fortran_order") != "False")
            throw Error("Fortran-ordered arrays are not supported");
        const std::string shapeText = dictValue(header, "shape");
        const std::vector<int64_t> shape = parseShape(shapeText);

        int itemSize;
        if (descr == "'<f4'" || descr == "\"<f4\"")
            itemSize = 4;
        else if (descr == "'<f2'" || descr == "\"<f2\"")
            itemSize = 2;
        else if (descr == "'<f8'" || descr == "\"<f8\"")
            itemSize = 8;
        else
            throw Error("unsupported dtype " + descr + " (expected little-endian float16/32/64)");

        // The shape is checked against the data present before the array is allocated: a header of a few
        // bytes can claim any shape. Its product must fit an int64 even when a 0 makes the array empty, as
        // FloatArray multiplies all dimensions.
        const uint8_t *p = bytes.data() + offset + headerLength;
        const uint64_t present = uint64_t(bytes.data() + bytes.size() - p) / uint64_t(itemSize);
        uint64_t nonZeroProduct = 1;
        bool empty = false;
        for (int64_t d : shape) {
            if (d == 0) {
                empty = true;
                continue;
            }
            if (uint64_t(d) > uint64_t(std::numeric_limits<int64_t>::max()) / nonZeroProduct)
                throw Error("shape " + shapeText + " is too large");
            nonZeroProduct *= uint64_t(d);
        }
        const uint64_t count = empty ? 0 : nonZeroProduct;
        if (count > present)
            throw Error("data is truncated: shape " + shapeText + " needs " + std::to_string(count) +
                        " values, the file holds " + std::to_string(present));
        FloatArray array(shape);
        for (size_t i = 0; i < count; ++i) {
            if (itemSize == 4) {
                std::memcpy(&array.data[i], p + 4 * i, 4);
            } else if (itemSize == 2) {
                uint16_t h;
                std::memcpy(&h, p + 2 * i, 2);
                array.data[i] = halfToFloat(h);
            } else {
                double d;
                std::memcpy(&d, p + 8 * i, 8);
                array.data[i] = float(d);
            }
        }
        return array;
    } catch (...) {
        rethrowWithContext("reading '" + path + "'");
    }
}

void writeNpy(const std::string &path, const FloatArray &array)
{
    std::string shape = "(";
    for (size_t i = 0; i < array.shape.size(); ++i)
        shape += std::to_string(array.shape[i]) +
                 (array.shape.size() == 1 || i + 1 < array.shape.size() ? ", " : "");
    shape += ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // Magic (6) + version (2) + length (2) + header + padding + '\n' is a multiple of 64.
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    std::vector<uint8_t> bytes;
    bytes.reserve(10 + header.size() + array.data.size() * 4);
    const char magic[] = "\x93NUMPY\x01\x00";
    bytes.insert(bytes.end(), magic, magic + 8);
    bytes.push_back(uint8_t(header.size() & 0xff));
    bytes.push_back(uint8_t(header.size() >> 8));
    bytes.insert(bytes.end(), header.begin(), header.end());
    const auto *values = reinterpret_cast<const uint8_t *>(array.data.data());
    bytes.insert(bytes.end(), values, values + array.data.size() * 4);
    writeFileAtomically(path, bytes.data(), bytes.size());
}

} // namespace lodestone
