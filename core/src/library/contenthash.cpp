#include "library/contenthash.h"

#include "lodestone/error.h"

#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace lodestone::detail {

namespace {

std::string toHex(const XXH128_hash_t &hash)
{
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, hash);
    static const char digits[] = "0123456789abcdef";
    std::string out(2 * sizeof(canonical.digest), '0');
    for (size_t i = 0; i < sizeof(canonical.digest); ++i) {
        out[2 * i] = digits[canonical.digest[i] >> 4];
        out[2 * i + 1] = digits[canonical.digest[i] & 15];
    }
    return out;
}

} // namespace

struct ContentHasher::State {
    XXH3_state_t *xxh = nullptr;
    ~State() { XXH3_freeState(xxh); }
};

ContentHasher::ContentHasher()
    : m_state(std::make_unique<State>())
{
    m_state->xxh = XXH3_createState();
    if (!m_state->xxh || XXH3_128bits_reset(m_state->xxh) != XXH_OK)
        throw Error("cannot initialise XXH3");
}

ContentHasher::ContentHasher(ContentHasher &&) noexcept = default;
ContentHasher &ContentHasher::operator=(ContentHasher &&) noexcept = default;
ContentHasher::~ContentHasher() = default;

void ContentHasher::update(const void *data, size_t size)
{
    if (size > 0)
        XXH3_128bits_update(m_state->xxh, data, size);
}

void ContentHasher::updateField(const std::string &text)
{
    updateInt(int64_t(text.size()));
    update(text.data(), text.size());
}

void ContentHasher::updateInt(int64_t value)
{
    uint8_t bytes[8];
    for (int i = 0; i < 8; ++i)
        bytes[i] = uint8_t(uint64_t(value) >> (8 * i));
    update(bytes, sizeof(bytes));
}

std::string ContentHasher::hex() const
{
    return toHex(XXH3_128bits_digest(m_state->xxh));
}

std::string contentHash(const void *data, size_t size)
{
    return toHex(XXH3_128bits(data, size));
}

std::string fileContentHash(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open '" + path + "': " + std::strerror(errno));
    ContentHasher hasher;
    std::vector<uint8_t> buffer(size_t(1) << 20);
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            throw Error("reading '" + path + "': " + why);
        }
        if (n == 0)
            break;
        hasher.update(buffer.data(), size_t(n));
    }
    ::close(fd);
    return hasher.hex();
}

} // namespace lodestone::detail
