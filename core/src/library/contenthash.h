#pragma once

// Content hashes: hex XXH3-128 of photos' bytes (a moved file is recognised by them) and of model weights.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace lodestone::detail {

// Incremental XXH3-128. Not thread-safe; one per thread.
class ContentHasher {
public:
    ContentHasher();
    ContentHasher(ContentHasher &&) noexcept;
    ContentHasher &operator=(ContentHasher &&) noexcept;
    ~ContentHasher();

    void update(const void *data, size_t size);
    // Length-prefixed, so that consecutive fields cannot run into each other.
    void updateField(const std::string &text);
    void updateInt(int64_t value); // 8 bytes, little-endian
    // 32 lowercase hex digits (the canonical big-endian form of the 128-bit value).
    std::string hex() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Hex XXH3-128 of a buffer.
std::string contentHash(const void *data, size_t size);
// Hex XXH3-128 of a file's bytes, read in chunks. Throws Error naming the file when it cannot be read.
std::string fileContentHash(const std::string &path);

} // namespace lodestone::detail
