#include "lodestone/safetensors.h"

#include "io/fileio.h"
#include "lodestone/error.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lodestone {

namespace {

struct DTypeInfo {
    DType dtype;
    const char *name;
    size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "F32", 4}, {DType::F16, "F16", 2},   {DType::BF16, "BF16", 2}, {DType::F64, "F64", 8},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4},   {DType::I16, "I16", 2},   {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::Bool, "BOOL", 1},
};

bool parseDType(const std::string &name, DType &out)
{
    for (const DTypeInfo &info : kDTypes) {
        if (name == info.name) {
            out = info.dtype;
            return true;
        }
    }
    return false;
}

std::string shapeToString(const std::vector<int64_t> &shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

// A read-only mapping of a whole file, unmapped on destruction.
struct Mapping {
    void *address = nullptr;
    size_t size = 0;
    ~Mapping()
    {
        if (address && size)
            ::munmap(address, size);
    }
};

} // namespace

const char *dtypeName(DType dtype)
{
    for (const DTypeInfo &info : kDTypes)
        if (info.dtype == dtype)
            return info.name;
    return "?";
}

size_t dtypeSize(DType dtype)
{
    for (const DTypeInfo &info : kDTypes)
        if (info.dtype == dtype)
            return info.size;
    return 0;
}

int64_t TensorView::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::string TensorView::shapeString() const
{
    return shapeToString(shape);
}

struct SafetensorsFile::Impl {
    std::string path;
    Mapping mapping;            // the file's bytes, for open()
    std::vector<uint8_t> owned; // or these, for fromBytes()
    std::vector<TensorView> tensors;
    std::map<std::string, size_t> byName;
    std::map<std::string, std::string> metadata;

    // Checks and indexes the `fileSize` bytes at `bytes` (which this Impl keeps alive).
    void parse(const uint8_t *bytes, uint64_t fileSize);
};

SafetensorsFile::SafetensorsFile(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
SafetensorsFile::SafetensorsFile(SafetensorsFile &&) noexcept = default;
SafetensorsFile &SafetensorsFile::operator=(SafetensorsFile &&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

const std::string &SafetensorsFile::path() const
{
    return m_impl->path;
}
const std::vector<TensorView> &SafetensorsFile::tensors() const
{
    return m_impl->tensors;
}
const std::map<std::string, std::string> &SafetensorsFile::metadata() const
{
    return m_impl->metadata;
}

const TensorView *SafetensorsFile::find(const std::string &name) const
{
    const auto it = m_impl->byName.find(name);
    return it == m_impl->byName.end() ? nullptr : &m_impl->tensors[it->second];
}

SafetensorsFile SafetensorsFile::open(const std::string &path)
{
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    const std::string where = "loading '" + path + "'";

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(where + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(where + ": not a regular file");
    }
    const uint64_t fileSize = uint64_t(st.st_size);
    if (fileSize < 8) {
        ::close(fd);
        throw Error(where + ": file is " + std::to_string(fileSize) +
                    " bytes, too short for a safetensors header");
    }
    void *address = ::mmap(nullptr, size_t(fileSize), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (address == MAP_FAILED)
        throw Error(where + ": cannot map the file: " + std::strerror(errno));
    impl->mapping.address = address;
    impl->mapping.size = size_t(fileSize);
    impl->parse(static_cast<const uint8_t *>(address), fileSize);
    return SafetensorsFile(std::move(impl));
}

SafetensorsFile SafetensorsFile::fromBytes(std::vector<uint8_t> bytes, const std::string &nameForErrors)
{
    auto impl = std::make_unique<Impl>();
    impl->path = nameForErrors;
    impl->owned = std::move(bytes);
    if (impl->owned.size() < 8)
        throw Error("loading '" + nameForErrors + "': file is " + std::to_string(impl->owned.size()) +
                    " bytes, too short for a safetensors header");
    impl->parse(impl->owned.data(), impl->owned.size());
    return SafetensorsFile(std::move(impl));
}

void SafetensorsFile::Impl::parse(const uint8_t *bytes, uint64_t fileSize)
{
    const std::string where = "loading '" + path + "'";
    uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | bytes[i];
    if (headerSize > kMaxHeaderBytes)
        throw Error(where + ": header claims " + std::to_string(headerSize) + " bytes, over the limit of " +
                    std::to_string(kMaxHeaderBytes) + " bytes");
    if (headerSize > fileSize - 8)
        throw Error(where + ": header claims " + std::to_string(headerSize) +
                    " bytes but the file has only " + std::to_string(fileSize - 8) +
                    " after the size field (truncated file?)");

    // The top-level entries are counted while parsing, so that a header listing millions of tensors is
    // refused before all of them are built as JSON values.
    size_t entries = 0;
    const auto countEntries = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json &) {
        if (depth == 1 && event == nlohmann::json::parse_event_t::key && ++entries > kMaxTensors)
            throw Error(where + ": header lists more tensors than the limit of " +
                        std::to_string(kMaxTensors));
        return true;
    };
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes + 8, bytes + 8 + headerSize, countEntries);
    } catch (const nlohmann::json::exception &e) {
        throw Error(where + ": header is not valid JSON: " + e.what());
    }
    if (!header.is_object())
        throw Error(where + ": header is not a JSON object");

    const uint8_t *data = bytes + 8 + headerSize;
    const uint64_t dataSize = fileSize - 8 - headerSize;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string &name = it.key();
        const nlohmann::json &entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object())
                throw Error(where + ": __metadata__ is not an object");
            for (auto m = entry.begin(); m != entry.end(); ++m)
                metadata[m.key()] = m.value().is_string() ? m.value().get<std::string>() : m.value().dump();
            continue;
        }
        const std::string what = where + ": tensor '" + name + "'";
        if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
            !entry.contains("data_offsets"))
            throw Error(what + " lacks dtype, shape or data_offsets");
        TensorView view;
        view.name = name;
        if (!entry["dtype"].is_string() || !parseDType(entry["dtype"].get<std::string>(), view.dtype))
            throw Error(what + " has unsupported dtype " + entry["dtype"].dump());
        const nlohmann::json &shape = entry["shape"];
        if (!shape.is_array() || shape.size() > 8)
            throw Error(what + " has a malformed shape " + shape.dump());
        uint64_t numel = 1;
        for (const nlohmann::json &d : shape) {
            if (!d.is_number_unsigned())
                throw Error(what + " has a malformed shape " + shape.dump());
            const uint64_t dim = d.get<uint64_t>();
            if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / 16 / dim)
                throw Error(what + " has an absurd shape " + shape.dump());
            numel *= dim;
            view.shape.push_back(int64_t(dim));
        }
        const nlohmann::json &offsets = entry["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
            !offsets[1].is_number_unsigned())
            throw Error(what + " has malformed data_offsets " + offsets.dump());
        const uint64_t begin = offsets[0].get<uint64_t>();
        const uint64_t end = offsets[1].get<uint64_t>();
        if (begin > end || end > dataSize)
            throw Error(what + " has data_offsets [" + std::to_string(begin) + "," + std::to_string(end) +
                        "] outside the " + std::to_string(dataSize) + " data bytes (truncated file?)");
        const uint64_t expected = numel * dtypeSize(view.dtype);
        if (end - begin != expected)
            throw Error(what + " holds " + std::to_string(end - begin) + " bytes, but " +
                        dtypeName(view.dtype) + " " + view.shapeString() + " needs " +
                        std::to_string(expected));
        view.data = data + begin;
        view.bytes = size_t(expected);
        byName[name] = tensors.size();
        tensors.push_back(std::move(view));
    }
}

void writeSafetensors(const std::string &path, const std::vector<TensorToWrite> &tensors,
                      const std::map<std::string, std::string> &metadata)
{
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const TensorToWrite &t : tensors) {
        uint64_t numel = 1;
        for (int64_t d : t.shape)
            numel *= uint64_t(d);
        if (numel * dtypeSize(t.dtype) != t.bytes.size())
            throw Error("writing '" + path + "': tensor '" + t.name + "' has " +
                        std::to_string(t.bytes.size()) + " bytes for shape " + shapeToString(t.shape));
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string headerText = header.dump();
    headerText.append((8 - headerText.size() % 8) % 8, ' '); // keeps the data 8-byte aligned
    std::vector<uint8_t> out;
    out.reserve(8 + headerText.size() + offset);
    for (int i = 0; i < 8; ++i)
        out.push_back(uint8_t((uint64_t(headerText.size()) >> (8 * i)) & 0xff));
    out.insert(out.end(), headerText.begin(), headerText.end());
    for (const TensorToWrite &t : tensors)
        out.insert(out.end(), t.bytes.begin(), t.bytes.end());
    writeFileAtomically(path, out.data(), out.size());
}

} // namespace lodestone
