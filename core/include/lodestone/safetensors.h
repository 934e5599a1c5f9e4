#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lodestone {

enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

// "F32", "BF16", ...: the names the safetensors header uses.
const char *dtypeName(DType dtype);
size_t dtypeSize(DType dtype);

// One tensor inside a mapped safetensors file: its bytes stay owned by the SafetensorsFile.
struct TensorView {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const uint8_t *data = nullptr; // little-endian, C order
    size_t bytes = 0;

    int64_t numel() const;
    std::string shapeString() const; // "[64,128]"
};

// A read-only, memory-mapped safetensors file, validated when opened: the header size is bounded
// (kMaxHeaderBytes) and fits the file, the header is a JSON object of at most kMaxTensors entries (counted
// while parsing), every tensor has a known dtype, non-negative dimensions, and byte offsets that lie inside
// the data and match its shape. Anything else throws Error naming the file and the fault. Move-only; const
// access is thread-safe.
class SafetensorsFile {
public:
    static constexpr uint64_t kMaxHeaderBytes = 100u << 20; // the reference implementation's own limit
    static constexpr size_t kMaxTensors = 1u << 20; // entries, __metadata__ included; CLIP ViT-L/14 has ~400

    static SafetensorsFile open(const std::string &path);
    // The same checks on a whole file's bytes held in memory (tests, fuzzing); `nameForErrors` stands in for
    // the path in messages and path().
    static SafetensorsFile fromBytes(std::vector<uint8_t> bytes, const std::string &nameForErrors);

    SafetensorsFile(SafetensorsFile &&) noexcept;
    SafetensorsFile &operator=(SafetensorsFile &&) noexcept;
    ~SafetensorsFile();

    const std::string &path() const;
    const std::vector<TensorView> &tensors() const;             // in header order
    const TensorView *find(const std::string &name) const;      // nullptr when absent
    const std::map<std::string, std::string> &metadata() const; // the "__metadata__" strings

private:
    struct Impl;
    explicit SafetensorsFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// A tensor to write: name, dtype, shape and its raw little-endian bytes.
struct TensorToWrite {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
};

// Writes a safetensors file atomically (temporary file, then rename). Throws Error naming the file.
void writeSafetensors(const std::string &path, const std::vector<TensorToWrite> &tensors,
                      const std::map<std::string, std::string> &metadata = {});

} // namespace lodestone
