#include "io/fileio.h"

#include "lodestone/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lodestone {

static std::string osError()
{
    return std::strerror(errno);
}

std::vector<uint8_t> readFileBytes(const std::string &path, uint64_t maxBytes)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open '" + path + "': " + osError());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error("'" + path + "' is not a regular file");
    }
    if (uint64_t(st.st_size) > maxBytes) {
        ::close(fd);
        throw Error("'" + path + "' is " + std::to_string(st.st_size) + " bytes, over the limit of " +
                    std::to_string(maxBytes));
    }
    std::vector<uint8_t> bytes(size_t(st.st_size));
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = n < 0 ? osError() : "file shrank while reading";
            ::close(fd);
            throw Error("reading '" + path + "': " + why);
        }
        done += size_t(n);
    }
    ::close(fd);
    return bytes;
}

std::string readFileText(const std::string &path, uint64_t maxBytes)
{
    const std::vector<uint8_t> bytes = readFileBytes(path, maxBytes);
    return std::string(bytes.begin(), bytes.end());
}

void writeFileAtomically(const std::string &path, const void *bytes, size_t size)
{
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error("cannot write '" + path + "': " + osError());
    const auto *p = static_cast<const uint8_t *>(bytes);
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, p + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = osError();
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error("writing '" + path + "': " + why);
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string why = osError();
        ::unlink(tmp.c_str());
        throw Error("writing '" + path + "': " + why);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = osError();
        ::unlink(tmp.c_str());
        throw Error("cannot move '" + tmp + "' to '" + path + "': " + why);
    }
}

} // namespace lodestone
