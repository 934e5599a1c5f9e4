#include "library/scanner.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace lodestone::detail {

namespace {

constexpr const char *Replacement = "\xEF\xBF\xBD"; // U+FFFD

bool isPhotoExtension(const std::string &lowerExtension)
{
    static const char *const known[] = {"jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif"};
    return std::any_of(std::begin(known), std::end(known),
                       [&](const char *e) { return lowerExtension == e; });
}

// The extension after the last dot, lower case; empty when there is none.
std::string extensionOf(const std::string &name)
{
    const size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size())
        return {};
    std::string ext = name.substr(dot + 1);
    for (char &c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

} // namespace

bool isPhotoFile(const std::string &path)
{
    const size_t slash = path.rfind('/');
    return isPhotoExtension(extensionOf(slash == std::string::npos ? path : path.substr(slash + 1)));
}

namespace {

std::string joinPath(const std::string &directory, const std::string &name)
{
    return directory.ends_with('/') ? directory + name : directory + '/' + name;
}

int64_t modifiedNs(const struct stat &st)
{
    return int64_t(st.st_mtim.tv_sec) * 1000000000 + int64_t(st.st_mtim.tv_nsec);
}

using Inode = std::pair<dev_t, ino_t>;

class Walker {
public:
    Walker(ScanResult &result, const std::function<void(int64_t, const std::string &)> &progress,
           const std::atomic<bool> *cancel)
        : m_result(result)
        , m_progress(progress)
        , m_cancel(cancel)
    {}

    void walkRoot(const FolderRow &folder)
    {
        struct stat st {};
        if (::stat(folder.path.c_str(), &st) != 0) {
            problem(folder.path, std::string("cannot open the folder: ") + std::strerror(errno));
            m_result.unreadable.push_back(folder.path);
            return;
        }
        m_folderId = folder.id;
        if (S_ISREG(st.st_mode)) { // a single photo added on its own (dropped on the window)
            addFile(folder.path, st.st_size, modifiedNs(st), PhotoStatus::Ok, {});
            return;
        }
        if (!S_ISDIR(st.st_mode)) {
            problem(folder.path, "not a directory or a photo");
            m_result.unreadable.push_back(folder.path);
            return;
        }
        std::vector<Inode> ancestors;
        walk(folder.path, st, ancestors);
    }

private:
    void problem(const std::string &path, const std::string &why)
    {
        m_result.problems.push_back({sanitizeUtf8(path), why});
    }

    bool cancelled()
    {
        if (m_cancel && m_cancel->load()) {
            m_result.cancelled = true;
            return true;
        }
        return m_result.cancelled;
    }

    void walk(const std::string &directory, const struct stat &dirStat, std::vector<Inode> &ancestors)
    {
        const Inode self{dirStat.st_dev, dirStat.st_ino};
        if (std::find(ancestors.begin(), ancestors.end(), self) != ancestors.end()) {
            problem(directory, "symbolic link loop (leads back to a directory that contains it)");
            return;
        }
        // Reached twice without a loop (two links to one directory, nested library folders): its files
        // are already listed under the first path.
        if (!m_visited.insert(self).second)
            return;

        DIR *dir = ::opendir(directory.c_str());
        if (!dir) {
            problem(directory, std::string("cannot read the directory: ") + std::strerror(errno));
            m_result.unreadable.push_back(sanitizeUtf8(directory));
            return;
        }
        std::vector<std::string> names;
        errno = 0;
        while (const dirent *entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') // hidden files and directories, "." and ".."
                names.emplace_back(entry->d_name);
        }
        const int readError = errno;
        const int fd = ::dirfd(dir);
        std::sort(names.begin(), names.end());
        if (readError != 0) {
            problem(directory, std::string("listing the directory failed: ") + std::strerror(readError));
            m_result.unreadable.push_back(sanitizeUtf8(directory));
        }

        std::vector<std::pair<std::string, struct stat>> subdirectories;
        for (const std::string &name : names) {
            if (cancelled())
                break;
            const std::string path = joinPath(directory, name);
            bool validName = true;
            const std::string shownPath = sanitizeUtf8(path, &validName);
            const std::string ext = extensionOf(name);
            struct stat st {};
            if (::fstatat(fd, name.c_str(), &st, 0) != 0) {
                const int error = errno;
                struct stat link {};
                const bool dangling =
                    ::fstatat(fd, name.c_str(), &link, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(link.st_mode);
                const std::string why =
                    dangling ? "broken symbolic link" : std::string("cannot stat: ") + std::strerror(error);
                if (isPhotoExtension(ext))
                    addFile(shownPath, 0, 0, PhotoStatus::Failed, why);
                else if (!dangling)
                    problem(path, why);
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                if (!validName)
                    problem(path, "directory name is not valid UTF-8 (not scanned)");
                else
                    subdirectories.emplace_back(path, st);
                continue;
            }
            if (!S_ISREG(st.st_mode))
                continue; // devices, sockets, pipes
            if (!validName)
                addFile(shownPath, st.st_size, modifiedNs(st), PhotoStatus::Failed,
                        "file name is not valid UTF-8 (rename it to index it)");
            else if (isPhotoExtension(ext))
                addFile(path, st.st_size, modifiedNs(st), PhotoStatus::Ok, {});
            else
                addFile(path, st.st_size, modifiedNs(st), PhotoStatus::Unsupported,
                        ext.empty() ? "unsupported format (no extension)"
                                    : "unsupported format '." + sanitizeUtf8(ext) + "'");
        }
        ::closedir(dir);

        ancestors.push_back(self);
        for (const auto &[path, st] : subdirectories) {
            if (cancelled())
                break;
            walk(path, st, ancestors);
        }
        ancestors.pop_back();
    }

    void addFile(const std::string &path, int64_t size, int64_t mtime, PhotoStatus status,
                 const std::string &error)
    {
        ScannedFile file;
        file.path = path;
        file.folderId = m_folderId;
        file.sizeBytes = size;
        file.modifiedNs = mtime;
        file.status = status;
        file.error = error;
        m_result.files.push_back(std::move(file));
        if (m_progress && m_result.files.size() % 1024 == 0)
            m_progress(int64_t(m_result.files.size()), path);
    }

    ScanResult &m_result;
    const std::function<void(int64_t, const std::string &)> &m_progress;
    const std::atomic<bool> *m_cancel;
    std::set<Inode> m_visited;
    int64_t m_folderId = 0;
};

} // namespace

bool pathInside(const std::string &path, const std::string &directory)
{
    if (path == directory)
        return true;
    const std::string prefix = directory.ends_with('/') ? directory : directory + '/';
    return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0;
}

std::string sanitizeUtf8(const std::string &bytes, bool *valid)
{
    std::string out;
    out.reserve(bytes.size());
    bool ok = true;
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.data());
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        size_t length = 0;
        uint32_t min = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            out += char(c);
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4, min = 0x10000, cp = c & 0x07;
        }
        bool good = length > 0 && i + length <= n;
        for (size_t k = 1; good && k < length; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                good = false;
            else
                cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid too.
        good = good && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        if (good) {
            out.append(bytes, i, length);
            i += length;
        } else {
            out += Replacement;
            ok = false;
            ++i;
        }
    }
    if (valid)
        *valid = ok;
    return out;
}

ScanResult scanFolders(const std::vector<FolderRow> &folders,
                       const std::function<void(int64_t, const std::string &)> &progress,
                       const std::atomic<bool> *cancel)
{
    ScanResult result;
    Walker walker(result, progress, cancel);
    // Outer folders first (path order), so that a nested library folder's files belong to the outer one.
    std::vector<FolderRow> ordered = folders;
    std::sort(ordered.begin(), ordered.end(),
              [](const FolderRow &a, const FolderRow &b) { return a.path < b.path; });
    for (const FolderRow &folder : ordered) {
        if (result.cancelled || (cancel && cancel->load())) {
            result.cancelled = true;
            break;
        }
        walker.walkRoot(folder);
    }
    std::stable_sort(result.files.begin(), result.files.end(),
                     [](const ScannedFile &a, const ScannedFile &b) { return a.path < b.path; });
    // Distinct invalid names can sanitise to the same path: the first stays.
    result.files.erase(
        std::unique(result.files.begin(), result.files.end(),
                    [](const ScannedFile &a, const ScannedFile &b) { return a.path == b.path; }),
        result.files.end());
    if (progress)
        progress(int64_t(result.files.size()), {});
    return result;
}

} // namespace lodestone::detail
