// WebDataset shards: uncompressed .tar files whose members are grouped into samples by key. Images stay
// in the shard and are referenced by offset and size, so that reading a sample is one pread and a
// shard never has to be unpacked.

#include "lodestone/dataset.h"

#include "lodestone/error.h"
#include "text/textcleaner.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <glob.h>
#include <map>
#include <memory>
#include <sys/stat.h>
#include <unordered_map>

#ifdef LODESTONE_HAVE_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>
#endif

namespace lodestone {

namespace {

constexpr size_t MaxExpandedNames = 1000000;
// And the most bytes those names may take together: a few braces followed by a long name multiply it, and a
// 4 KB pattern took 2 GB before this bound.
constexpr size_t MaxExpandedBytes = size_t(128) << 20;

// Index of the '}' closing the '{' at `open`, or npos.
size_t matchingBrace(const std::string &s, size_t open)
{
    int depth = 0;
    for (size_t i = open; i < s.size(); ++i) {
        if (s[i] == '{')
            ++depth;
        else if (s[i] == '}' && --depth == 0)
            return i;
    }
    return std::string::npos;
}

bool allDigits(const std::string &s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(uint8_t(c)); });
}

// The alternatives of a brace body: "000..009" (a range) or "a,b,c" (a list, split at top-level commas).
std::vector<std::string> braceAlternatives(const std::string &body, const std::string &pattern)
{
    const size_t dots = body.find("..");
    if (dots != std::string::npos && allDigits(body.substr(0, dots)) && allDigits(body.substr(dots + 2))) {
        const std::string first = body.substr(0, dots);
        const std::string last = body.substr(dots + 2);
        if (first.size() > 18 || last.size() > 18)
            throw Error("shard pattern '" + pattern + "': range {" + body + "} is too large");
        const long long a = std::stoll(first);
        const long long b = std::stoll(last);
        const bool padded = (first.size() > 1 && first[0] == '0') || (last.size() > 1 && last[0] == '0');
        const size_t width = padded ? std::max(first.size(), last.size()) : 0;
        const long long step = a <= b ? 1 : -1;
        if (uint64_t(std::llabs(b - a)) >= MaxExpandedNames)
            throw Error("shard pattern '" + pattern + "': range {" + body +
                        "} has too many names (the limit is " + std::to_string(MaxExpandedNames) + ")");
        std::vector<std::string> out;
        for (long long v = a;; v += step) {
            std::string text = std::to_string(v);
            if (text.size() < width)
                text.insert(0, width - text.size(), '0');
            out.push_back(std::move(text));
            if (v == b)
                break;
        }
        return out;
    }
    std::vector<std::string> out;
    int depth = 0;
    std::string current;
    for (char c : body) {
        if (c == '{')
            ++depth;
        else if (c == '}')
            --depth;
        if (c == ',' && depth == 0) {
            out.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    out.push_back(std::move(current));
    return out;
}

// Expands the braces of `s` from position `from` on (what lies before it is already expanded), adding the
// names to `out` and their lengths to `bytes`.
void expandBraces(const std::string &s, size_t from, const std::string &pattern,
                  std::vector<std::string> &out, size_t &bytes)
{
    const size_t open = s.find('{', from);
    if (open == std::string::npos) {
        if (s.find('}', from) != std::string::npos)
            throw Error("shard pattern '" + pattern + "': unbalanced '}'");
        bytes += s.size();
        if (bytes > MaxExpandedBytes)
            throw Error("shard pattern '" + pattern + "' expands to names of more than " +
                        std::to_string(MaxExpandedBytes) + " bytes in all (the limit)");
        out.push_back(s);
        return;
    }
    if (s.find('}', from) < open)
        throw Error("shard pattern '" + pattern + "': unbalanced '}'");
    const size_t close = matchingBrace(s, open);
    if (close == std::string::npos)
        throw Error("shard pattern '" + pattern + "': unbalanced '{'");
    const std::string body = s.substr(open + 1, close - open - 1);
    if (body.empty())
        throw Error("shard pattern '" + pattern + "': empty braces");
    // A lone word in braces ("{x}") has no alternatives: kept literally, as the shell does.
    if (body.find(',') == std::string::npos && body.find("..") == std::string::npos) {
        expandBraces(s, close + 1, pattern, out, bytes);
        return;
    }
    const std::string prefix = s.substr(0, open);
    const std::string suffix = s.substr(close + 1);
    for (const std::string &alternative : braceAlternatives(body, pattern)) {
        // Alternatives may hold braces of their own ("{a,b{1,2}}"): expansion resumes at the alternative.
        expandBraces(prefix + alternative + suffix, prefix.size(), pattern, out, bytes);
        if (out.size() > MaxExpandedNames)
            throw Error("shard pattern '" + pattern + "' expands to too many names (the limit is " +
                        std::to_string(MaxExpandedNames) + ")");
    }
}

#ifdef LODESTONE_HAVE_LIBARCHIVE

// The compression of a shard from its first bytes, or nullptr for none recognised.
const char *compressionOf(const std::string &path)
{
    unsigned char magic[6] = {};
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        throw Error("cannot open '" + path + "': " + std::strerror(errno));
    const size_t n = std::fread(magic, 1, sizeof magic, f);
    std::fclose(f);
    if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return "gzip";
    if (n >= 3 && std::memcmp(magic, "BZh", 3) == 0)
        return "bzip2";
    if (n >= 6 && std::memcmp(magic,
                              "\xfd"
                              "7zXZ\0",
                              6) == 0)
        return "xz";
    if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        return "zstd";
    if (n >= 4 && magic[0] == 0x04 && magic[1] == 0x22 && magic[2] == 0x4d && magic[3] == 0x18)
        return "lz4";
    return nullptr;
}

std::string archiveError(archive *a)
{
    const char *why = archive_error_string(a);
    return why ? why : "unknown libarchive error";
}

struct ArchiveDeleter {
    void operator()(archive *a) const { archive_read_free(a); }
};

struct Group {
    std::string key;
    ImageRef image;
    int imageRank = 99; // lower is preferred: jpg, jpeg, png, webp
    bool hasCaption = false;
    std::string caption;
    std::string label;
};

int imageRank(const std::string &ext)
{
    static const char *const order[] = {"jpg", "jpeg", "png", "webp"};
    for (int i = 0; i < 4; ++i) {
        if (ext == order[i])
            return i;
    }
    return -1;
}

// Reads the data of the current member, a caption or label (larger than kMaxCaptionBytes: an Error).
std::string readMemberText(archive *a, int64_t size, const std::string &name)
{
    if (size > int64_t(kMaxCaptionBytes))
        throw Error("caption member '" + name + "' is " + std::to_string(size) +
                    " bytes, over the limit of " + std::to_string(kMaxCaptionBytes) + " bytes");
    std::string text(size_t(std::max<int64_t>(size, 0)), '\0');
    size_t done = 0;
    while (done < text.size()) {
        const la_ssize_t n = archive_read_data(a, text.data() + done, text.size() - done);
        if (n < 0)
            throw Error("member '" + name + "': " + archiveError(a));
        if (n == 0)
            throw Error("member '" + name + "' is truncated");
        done += size_t(n);
    }
    return text;
}

// The bytes [offset, offset + size) of a file, read directly: checks that libarchive's position really is
// where the member's data starts.
std::string readRange(const std::string &path, int64_t offset, size_t size)
{
    std::string out(size, '\0');
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return {};
    const bool ok = fseeko(f, off_t(offset), SEEK_SET) == 0 && std::fread(out.data(), 1, size, f) == size;
    std::fclose(f);
    return ok ? out : std::string();
}

void readShard(const std::string &shard, std::vector<Sample> &samples, std::vector<ReadFailure> &failures)
{
    struct stat st {};
    if (::stat(shard.c_str(), &st) != 0)
        throw Error("cannot open shard '" + shard + "': " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error("shard '" + shard + "' is not a regular file");
    if (const char *compression = compressionOf(shard)) {
        throw Error("shard '" + shard + "' is " + compression +
                    "-compressed; images are read by offset, so shards must be uncompressed .tar files "
                    "(decompress it first)");
    }

    std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
    if (!a)
        throw Error("reading shard '" + shard + "': libarchive could not start");
    archive_read_support_format_tar(a.get());
    if (archive_read_open_filename(a.get(), shard.c_str(), 1 << 16) != ARCHIVE_OK)
        throw Error("reading shard '" + shard + "': not a tar archive (" + archiveError(a.get()) + ")");

    std::vector<Group> groups;
    std::unordered_map<std::string, size_t> groupOf;
    bool offsetChecked = false;
    int64_t members = 0;
    while (true) {
        archive_entry *entry = nullptr;
        const int r = archive_read_next_header(a.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            const std::string why = archiveError(a.get());
            if (members == 0)
                throw Error("reading shard '" + shard + "': not a tar archive (" + why + ")");
            failures.push_back({shard, "stopped after " + std::to_string(members) + " members: " + why});
            break;
        }
        ++members;
        // Where the member's data starts: libarchive has consumed exactly the header blocks.
        const int64_t offset = archive_filter_bytes(a.get(), 0);
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue;
        const char *rawName = archive_entry_pathname(entry);
        const std::string name = rawName ? rawName : "";
        const int64_t size = archive_entry_size(entry);
        const size_t slash = name.rfind('/');
        const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
        if (base.empty() || base[0] == '.')
            continue;
        const size_t dot = base.find('.');
        if (dot == std::string::npos || dot == 0)
            continue; // no extension: not part of any sample
        const std::string key = name.substr(0, name.size() - base.size() + dot);
        std::string ext = base.substr(dot + 1);
        for (char &c : ext)
            c = char(std::tolower(uint8_t(c)));

        auto [it, inserted] = groupOf.try_emplace(key, groups.size());
        if (inserted) {
            groups.emplace_back();
            groups.back().key = key;
        }
        Group &group = groups[it->second];
        if (const int rank = imageRank(ext); rank >= 0) {
            if (archive_entry_sparse_count(entry) > 0) {
                failures.push_back({shard + ":" + name, "sparse member cannot be read by offset"});
            } else if (size > int64_t(kMaxTarMemberBytes)) {
                failures.push_back({shard + ":" + name, "image member of " + std::to_string(size) +
                                                            " bytes, over the limit of " +
                                                            std::to_string(kMaxTarMemberBytes) + " bytes"});
            } else if (rank < group.imageRank && size > 0) {
                group.imageRank = rank;
                group.image = ImageRef{shard, uint64_t(offset), uint64_t(size), name};
            }
        } else if (ext == "txt" || ext == "cls") {
            std::string text;
            try {
                text = readMemberText(a.get(), size, name);
            } catch (const Error &e) {
                failures.push_back({shard + ":" + name, e.what()});
                continue;
            }
            if (!offsetChecked && !text.empty()) {
                if (readRange(shard, offset, text.size()) != text) {
                    throw Error(
                        "reading shard '" + shard +
                        "': member data is not stored at the offset libarchive reports (an unusual tar "
                        "layout); repack the shard with a plain tar");
                }
                offsetChecked = true;
            }
            (ext == "txt" ? group.caption : group.label) = whitespaceClean(text);
            group.hasCaption = group.hasCaption || ext == "txt";
        }
    }

    for (Group &group : groups) {
        const std::string where = shard + ":" + group.key;
        if (group.imageRank > 3) {
            if (group.hasCaption)
                failures.push_back({where, "no image member (.jpg, .jpeg, .png or .webp)"});
            continue; // other keys (e.g. __meta__) are not samples
        }
        if (group.image.offset + group.image.size > uint64_t(st.st_size)) {
            failures.push_back({where, "image member is cut off at the end of the shard"});
            continue;
        }
        if (!group.hasCaption) {
            failures.push_back({where, "no caption member (.txt)"});
            continue;
        }
        if (group.caption.empty()) {
            failures.push_back({where, "empty caption"});
            continue;
        }
        Sample sample;
        sample.image = std::move(group.image);
        sample.caption = std::move(group.caption);
        if (!group.label.empty())
            sample.attributes["label"] = std::move(group.label);
        samples.push_back(std::move(sample));
    }
}

#endif // LODESTONE_HAVE_LIBARCHIVE

bool hasGlob(const std::string &s)
{
    return s.find_first_of("*?[") != std::string::npos;
}

} // namespace

std::vector<std::string> expandShardPattern(const std::string &pattern)
{
    if (pattern.empty())
        throw Error("empty shard pattern");
    std::vector<std::string> braced;
    size_t bytes = 0;
    expandBraces(pattern, 0, pattern, braced, bytes);
    std::vector<std::string> out;
    for (const std::string &name : braced) {
        if (!hasGlob(name)) {
            out.push_back(name);
            continue;
        }
        glob_t g{};
        const int r = ::glob(name.c_str(), 0, nullptr, &g);
        if (r == 0) {
            for (size_t i = 0; i < g.gl_pathc; ++i)
                out.emplace_back(g.gl_pathv[i]); // glob sorts its matches
        } else {
            out.push_back(name); // no match: kept, so that opening it names the pattern
        }
        ::globfree(&g);
    }
    return out;
}

CaptionDataset CaptionDataset::fromWebDataset(const std::string &pattern)
{
#ifdef LODESTONE_HAVE_LIBARCHIVE
    std::vector<Sample> samples;
    std::vector<ReadFailure> failures;
    for (const std::string &shard : expandShardPattern(pattern))
        readShard(shard, samples, failures);
    return fromSource(std::move(samples), std::move(failures), "wds:" + pattern);
#else
    throw Error("WebDataset shards ('" + pattern + "') need libarchive, which this build was made without");
#endif
}

} // namespace lodestone
