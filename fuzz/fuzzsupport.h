#pragma once

// Shared by the fuzz targets: a scratch folder for readers that only take paths, and the file-set input
// format of the targets that read several files at once.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace lodestone::fuzz {

// A folder of this process's own, removed at exit: under $TMPDIR when it is set, else in /dev/shm where there
// is one. The targets write their input there on every run, and the tokenizer's save() syncs what it writes,
// which on a disk costs a flush each time (fuzz_vocab: 750 runs a second on tmpfs, 250 to 300 on disk).
inline const std::filesystem::path &scratchDir()
{
    struct Dir {
        std::filesystem::path path;
        Dir()
        {
            std::error_code ec;
            const std::filesystem::path base =
                !std::getenv("TMPDIR") && std::filesystem::is_directory("/dev/shm", ec)
                    ? std::filesystem::path("/dev/shm")
                    : std::filesystem::temp_directory_path();
            std::string pattern = (base / "lodestone-fuzz-XXXXXX").string();
            if (!::mkdtemp(pattern.data())) {
                std::perror("mkdtemp");
                std::abort();
            }
            path = pattern;
        }
        ~Dir()
        {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static const Dir dir;
    return dir.path;
}

// Writes `size` bytes to `path`, replacing it; aborts when it cannot (a broken harness, not a finding).
inline void writeFile(const std::filesystem::path &path, const void *data, size_t size)
{
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
        std::perror(path.c_str());
        std::abort();
    }
}

struct NamedFile {
    std::string name;
    std::string_view content;
};

// A set of files in one input, each after a header line of its own:
//   ==> config.json <==
//   {...}
//   ==> model.safetensors <==
//   ...
// A header is "==> NAME <==" at the start of the input or of a line; the newline before a header ends the
// previous file and is not part of it. Text before the first header is ignored.
inline std::vector<NamedFile> splitFileSet(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    constexpr std::string_view separator = "\n==> ", close = " <==\n";
    const std::string_view open = separator.substr(1);
    std::vector<NamedFile> files;
    size_t pos = input.substr(0, open.size()) == open ? 0 : input.find(separator);
    if (pos != std::string_view::npos && pos > 0)
        ++pos;
    while (pos != std::string_view::npos) {
        const size_t nameStart = pos + open.size();
        const size_t nameEnd = input.find(close, nameStart);
        if (nameEnd == std::string_view::npos)
            break;
        const size_t contentStart = nameEnd + close.size();
        // The header's own newline may start the next separator: that file is empty.
        const size_t next = input.find(separator, contentStart - 1);
        const size_t contentEnd = next == std::string_view::npos ? input.size() : next;
        files.push_back({std::string(input.substr(nameStart, nameEnd - nameStart)),
                         contentEnd > contentStart ? input.substr(contentStart, contentEnd - contentStart)
                                                   : std::string_view()});
        pos = next == std::string_view::npos ? next : next + 1;
    }
    return files;
}

} // namespace lodestone::fuzz
