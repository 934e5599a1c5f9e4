#pragma once

#include "lodestone/library.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::ui {

// One source of the library as the side panel shows it.
struct FolderState {
    std::string path;
    int64_t photos = 0;      // photos it holds that Lodestone reads
    int64_t failed = 0;      // files recorded as Failed (corrupt, unreadable)
    int64_t unsupported = 0; // files of other formats, listed but not shown
    bool reachable = true;   // false when the folder is missing or cannot be read
};

// What the window shows of a library at one moment, read off the UI thread in one go so that painting
// never waits on SQLite.
struct CatalogSnapshot {
    std::vector<Photo> photos;   // readable photos (status Ok), in id order
    std::vector<Photo> failures; // Failed files with their reasons, in id order
    std::vector<FolderState> folders;
    std::optional<Classification> classification; // the latest one of the current model
};

// Opens its own connection to the library in `libraryFolder` (so it may run on any thread) and reads a
// snapshot; `modelId` may be empty (no classification then). Throws Error.
CatalogSnapshot readCatalogSnapshot(const std::string &libraryFolder, const std::string &modelId);

} // namespace lodestone::ui
