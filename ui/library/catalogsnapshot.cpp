#include "library/catalogsnapshot.h"

#include <QDate>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace lodestone::ui {

namespace {

bool inside(const std::string &path, const std::string &folder)
{
    if (path == folder)
        return true;
    const std::string prefix = folder.ends_with('/') ? folder : folder + '/';
    return path.compare(0, prefix.size(), prefix) == 0;
}

// "YYYY-MM-DDTHH:MM:SS" as milliseconds, read as UTC: a sort key and a displayed time, with no time-zone
// lookup (glibc's mktime re-reads /etc/localtime on every call). -1 when it does not parse.
qint64 exifDateMs(const std::string &text)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 19 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour,
                                        &minute, &second) != 6)
        return -1;
    const QDate date(year, month, day);
    if (!date.isValid() || hour > 23 || minute > 59 || second > 60)
        return -1;
    constexpr qint64 UnixEpochJulianDay = 2440588;
    return ((date.toJulianDay() - UnixEpochJulianDay) * 86400 + hour * 3600 + minute * 60 + second) * 1000;
}

} // namespace

PhotoDisplay photoDisplay(const Photo &photo)
{
    PhotoDisplay display;
    display.path = QString::fromStdString(photo.path);
    display.name = QFileInfo(display.path).fileName();
    const qint64 taken = exifDateMs(photo.takenAt);
    display.dateMs = taken >= 0 ? taken : photo.modifiedNs / 1000000;
    return display;
}

CatalogSnapshot readCatalogSnapshot(const std::string &libraryFolder, const std::string &modelId)
{
    const Library library = Library::open(libraryFolder);
    CatalogSnapshot snapshot;
    for (const std::string &folder : library.folders()) {
        FolderState state;
        state.path = folder;
        std::error_code ec;
        const auto status = std::filesystem::status(folder, ec);
        state.reachable = !ec && std::filesystem::exists(status);
        snapshot.folders.push_back(state);
    }
    // Longest folder first, so that a photo in a nested source counts for the innermost one.
    std::vector<FolderState *> byDepth;
    for (FolderState &f : snapshot.folders)
        byDepth.push_back(&f);
    std::sort(byDepth.begin(), byDepth.end(),
              [](const FolderState *a, const FolderState *b) { return a->path.size() > b->path.size(); });

    for (Photo &photo : library.photos()) {
        for (FolderState *folder : byDepth) {
            if (!inside(photo.path, folder->path))
                continue;
            if (photo.status == PhotoStatus::Ok)
                ++folder->photos;
            else if (photo.status == PhotoStatus::Failed)
                ++folder->failed;
            else
                ++folder->unsupported;
            break;
        }
        if (photo.status == PhotoStatus::Ok)
            snapshot.photos.push_back(std::move(photo));
        else if (photo.status == PhotoStatus::Failed)
            snapshot.failures.push_back(std::move(photo));
    }
    snapshot.display.reserve(snapshot.photos.size());
    for (const Photo &photo : snapshot.photos)
        snapshot.display.push_back(photoDisplay(photo));
    if (!modelId.empty())
        snapshot.classification = library.classification(modelId);
    return snapshot;
}

} // namespace lodestone::ui
