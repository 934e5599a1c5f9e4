#pragma once

// The folder scanner: walks a library's folders and lists what the indexer should look at. Touches only
// directory entries and inodes (stat), never file contents.

#include "library/catalog.h"
#include "lodestone/library.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lodestone::detail {

struct ScannedFile {
    std::string path;     // absolute, UTF-8; invalid bytes replaced by U+FFFD (then status is Failed)
    int64_t folderId = 0; // the library folder whose walk found it
    int64_t sizeBytes = 0;
    int64_t modifiedNs = 0;
    PhotoStatus status = PhotoStatus::Ok; // Ok: a candidate photo (by extension), to be read
    std::string error;                    // for Failed and Unsupported
};

struct ScanResult {
    std::vector<ScannedFile> files;     // sorted by path, each path once
    std::vector<IndexFailure> problems; // directories that could not be read, symlink loops, missing folders
    // Directories (and library folders) that could not be listed: catalogued files beneath them are kept,
    // not taken for deleted (an unmounted disk must not empty the catalog).
    std::vector<std::string> unreadable;
    bool cancelled = false;
};

// True when `path` is `directory` or lies beneath it (lexically).
bool pathInside(const std::string &path, const std::string &directory);

// Whether a file's extension is one of the photo formats Lodestone reads (jpg, png, webp, ...).
bool isPhotoFile(const std::string &path);

// Walks `folders` recursively: regular files (symlinks followed) that are not hidden (dot-files and
// dot-directories are skipped). Directory symlinks are followed once: a directory already visited is
// skipped, and one that leads back to its own ancestor is reported as a loop. Extensions jpg, jpeg, png,
// webp, bmp, tif, tiff, gif (any case) are candidates; other files are Unsupported; names that are not
// valid UTF-8 are Failed. Problems are recorded, never thrown. `progress(found, path)` is called now and
// then; `cancel` is checked as often.
ScanResult scanFolders(const std::vector<FolderRow> &folders,
                       const std::function<void(int64_t found, const std::string &path)> &progress = {},
                       const std::atomic<bool> *cancel = nullptr);

// Replaces every invalid UTF-8 sequence of `bytes` by U+FFFD; `valid` tells whether there was none.
std::string sanitizeUtf8(const std::string &bytes, bool *valid = nullptr);

} // namespace lodestone::detail
