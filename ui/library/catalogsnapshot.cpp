#include "library/catalogsnapshot.h"

#include <algorithm>
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

} // namespace

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
    if (!modelId.empty())
        snapshot.classification = library.classification(modelId);
    return snapshot;
}

} // namespace lodestone::ui
