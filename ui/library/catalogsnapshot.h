#pragma once

#include "lodestone/library.h"

#include <QString>

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

// How the grid shows and sorts a photo. Made with the snapshot, off the UI thread: converting 100 000 paths
// and dates costs far more than a frame.
struct PhotoDisplay {
    QString path;
    QString name;      // the file name
    qint64 dateMs = 0; // EXIF date taken (as a naive date-time), else the file's modification time; ms
};
PhotoDisplay photoDisplay(const Photo &photo); // any thread

// What the window shows of a library at one moment, read off the UI thread in one go so that painting
// never waits on SQLite.
struct CatalogSnapshot {
    std::vector<Photo> photos;         // readable photos (status Ok), in id order
    std::vector<PhotoDisplay> display; // parallel to photos
    std::vector<Photo> failures;       // Failed files with their reasons, in id order
    std::vector<FolderState> folders;
    std::optional<Classification> classification; // the latest one of the current model
};

// Opens its own connection to the library in `libraryFolder` (so it may run on any thread) and reads a
// snapshot; `modelId` may be empty (no classification then). Throws Error.
CatalogSnapshot readCatalogSnapshot(const std::string &libraryFolder, const std::string &modelId);

} // namespace lodestone::ui
