// Caption sources: CSV/TSV, COCO captions, sidecar .txt files, folder-as-label, the synthetic shapes
// world, and the reading of a sample's image. WebDataset shards are in webdataset.cpp.

#include "lodestone/dataset.h"

#include "data/csvreader.h"
#include "io/fileio.h"
#include "lodestone/error.h"
#include "text/textcleaner.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace fs = std::filesystem;

namespace lodestone {

namespace {

const char *const ImageExtensions[] = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"};

// Prompt templates for folders: "{a}" is the label's article ("a"/"an"). A small, plain set: the captions
// should read like the ones people type when they search.
const char *const FolderTemplates[] = {
    "a photo of {a} {label}.",          "a picture of {a} {label}.",
    "an image of {a} {label}.",         "a photo of the {label}.",
    "a close-up photo of {a} {label}.", "a cropped photo of {a} {label}.",
    "a good photo of {a} {label}.",     "a bright photo of {a} {label}.",
    "a photo of my {label}.",           "{a} {label}.",
};

std::string lower(std::string s)
{
    for (char &c : s)
        c = char(std::tolower(uint8_t(c)));
    return s;
}

bool isImageFile(const fs::path &path)
{
    const std::string ext = lower(path.extension().string());
    return std::find_if(std::begin(ImageExtensions), std::end(ImageExtensions),
                        [&](const char *e) { return ext == e; }) != std::end(ImageExtensions);
}

bool isRegularFile(const std::string &path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool isHidden(const fs::path &path)
{
    const std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

void requireDirectory(const std::string &dir)
{
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error("'" + dir + "' does not exist");
    if (!fs::is_directory(dir, ec))
        throw Error("'" + dir + "' is not a directory");
}

// Image files below `dir`, recursively, sorted by path so that indices do not depend on the file
// system's order. Hidden files and folders are skipped.
std::vector<fs::path> imageFilesBelow(const fs::path &dir)
{
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        throw Error("cannot list '" + dir.string() + "': " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            throw Error("listing '" + dir.string() + "': " + ec.message());
        if (isHidden(it->path())) {
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec) && isImageFile(it->path()))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// `relative` resolved against `base` unless it is absolute.
std::string resolvePath(const fs::path &base, const std::string &relative)
{
    const fs::path p(relative);
    if (p.is_absolute() || base.empty())
        return p.lexically_normal().string();
    return (base / p).lexically_normal().string();
}

uint64_t fnv1a(const std::string &s)
{
    uint64_t h = 1469598103934665603ull;
    for (char c : s) {
        h ^= uint8_t(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::string replaceAll(std::string s, const std::string &from, const std::string &to)
{
    for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
    return s;
}

std::string folderCaption(const std::string &label, const std::string &key)
{
    const size_t count = std::size(FolderTemplates);
    const std::string tmpl = FolderTemplates[fnv1a(key) % count];
    const char first = char(std::tolower(uint8_t(label.empty() ? 'x' : label[0])));
    const std::string article = std::string("aeiou").find(first) != std::string::npos ? "an" : "a";
    return replaceAll(replaceAll(tmpl, "{a}", article), "{label}", label);
}

// Why a caption of `bytes` bytes is refused (kMaxCaptionBytes).
std::string captionTooLong(size_t bytes)
{
    return "caption of " + std::to_string(bytes) + " bytes, over the limit of " +
           std::to_string(kMaxCaptionBytes) + " bytes";
}

std::string readableLabel(const std::string &folder)
{
    std::string label = folder;
    std::replace(label.begin(), label.end(), '_', ' ');
    std::replace(label.begin(), label.end(), '-', ' ');
    return whitespaceClean(label);
}

// The rows of a captions table as samples; `attributesByPath` (may be empty) is joined in by the
// resolved image path.
void readCaptionRows(
    const CsvTable &table, int imageCol, int captionCol, const fs::path &base,
    const std::unordered_map<std::string, std::map<std::string, std::string>> &attributesByPath,
    std::vector<Sample> &samples, std::vector<ReadFailure> &failures)
{
    for (const CsvRecord &row : table.rows) {
        const std::string where = " (line " + std::to_string(row.line) + " of '" + table.name + "')";
        const std::string image = trimSpaces(CsvTable::field(row, imageCol));
        if (image.empty()) {
            failures.push_back({table.name, "no image path" + where});
            continue;
        }
        const std::string path = resolvePath(base, image);
        const std::string &rawCaption = CsvTable::field(row, captionCol);
        if (rawCaption.size() > kMaxCaptionBytes) {
            failures.push_back({path, captionTooLong(rawCaption.size()) + where});
            continue;
        }
        const std::string caption = trimSpaces(rawCaption);
        if (caption.empty()) {
            failures.push_back({path, "empty caption" + where});
            continue;
        }
        if (!isRegularFile(path)) {
            failures.push_back({path, "image file not found" + where});
            continue;
        }
        Sample sample;
        sample.image.path = path;
        sample.caption = caption;
        if (const auto it = attributesByPath.find(path); it != attributesByPath.end())
            sample.attributes = it->second;
        samples.push_back(std::move(sample));
    }
}

} // namespace

CaptionDataset CaptionDataset::fromSource(std::vector<Sample> samples, std::vector<ReadFailure> failures,
                                          const std::string &source)
{
    if (samples.empty()) {
        std::string why = "no usable samples";
        if (!failures.empty()) {
            why += " (" + std::to_string(failures.size()) + " skipped; first: '" + failures.front().path +
                   "': " + failures.front().reason + ")";
        }
        throw Error(why);
    }
    CaptionDataset dataset;
    dataset.m_description = source + " (" + std::to_string(samples.size()) + " samples";
    if (!failures.empty())
        dataset.m_description += ", " + std::to_string(failures.size()) + " skipped";
    dataset.m_description += ")";
    dataset.m_samples = std::move(samples);
    dataset.m_failures = std::move(failures);
    return dataset;
}

CaptionDataset CaptionDataset::fromSpec(const std::string &spec, Split split)
{
    const size_t colon = spec.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
        throw Error("data source '" + spec +
                    "': expected KIND:ARGUMENTS with KIND one of csv, coco, sidecar, folders, wds, shapes");
    }
    const std::string kind = lower(spec.substr(0, colon));
    const std::string rest = spec.substr(colon + 1);
    try {
        if (kind == "csv") {
            // FILE may itself contain ':'; the column names are only split off when FILE alone is not a file.
            if (isRegularFile(rest))
                return fromCsv(rest);
            const size_t last = rest.rfind(':');
            const size_t second =
                last == std::string::npos || last == 0 ? std::string::npos : rest.rfind(':', last - 1);
            if (second == std::string::npos)
                return fromCsv(rest);
            return fromCsv(rest.substr(0, second), rest.substr(second + 1, last - second - 1),
                           rest.substr(last + 1));
        }
        if (kind == "coco") {
            // ANNOTATIONS.json:IMAGE_DIR, split at the first ':' whose left part is a file.
            size_t split = std::string::npos;
            for (size_t pos = rest.find(':'); pos != std::string::npos; pos = rest.find(':', pos + 1)) {
                if (isRegularFile(rest.substr(0, pos))) {
                    split = pos;
                    break;
                }
            }
            if (split == std::string::npos)
                split = rest.rfind(':');
            if (split == std::string::npos || split + 1 == rest.size())
                throw Error("expected coco:ANNOTATIONS.json:IMAGE_DIR");
            return fromCoco(rest.substr(0, split), rest.substr(split + 1));
        }
        if (kind == "sidecar")
            return fromSidecar(rest);
        if (kind == "folders")
            return fromFolders(rest);
        if (kind == "wds")
            return fromWebDataset(rest);
        if (kind == "shapes")
            return fromShapes(rest, split);
    } catch (...) {
        rethrowWithContext("data source '" + spec + "'");
    }
    throw Error("data source '" + spec + "': unknown kind '" + kind +
                "' (expected csv, coco, sidecar, folders, wds or shapes)");
}

CaptionDataset CaptionDataset::fromCsv(const std::string &file, const std::string &imageColumn,
                                       const std::string &captionColumn)
{
    const CsvTable table = CsvTable::read(file);
    const int imageCol = imageColumn.empty()
                             ? table.requireColumn({"path", "image", "filepath", "file_name", "filename"})
                             : table.requireColumn({imageColumn});
    const int captionCol = captionColumn.empty() ? table.requireColumn({"caption", "text", "title"})
                                                 : table.requireColumn({captionColumn});
    std::vector<Sample> samples;
    std::vector<ReadFailure> failures;
    readCaptionRows(table, imageCol, captionCol, fs::path(file).parent_path(), {}, samples, failures);
    return fromSource(std::move(samples), std::move(failures), "csv:" + file);
}

CaptionDataset CaptionDataset::fromCoco(const std::string &annotationsJson, const std::string &imageDir)
{
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(readFileText(annotationsJson));
    } catch (const nlohmann::json::exception &e) {
        throw Error("reading '" + annotationsJson + "': not valid JSON: " + e.what());
    }
    const auto fail = [&](const std::string &why) {
        throw Error("reading '" + annotationsJson + "': " + why);
    };
    if (!root.is_object() || !root.contains("images") || !root["images"].is_array() ||
        !root.contains("annotations") || !root["annotations"].is_array())
        fail("expected a COCO captions file (an object with arrays \"images\" and \"annotations\")");
    requireDirectory(imageDir);

    struct ImageEntry {
        std::string path;
        bool exists = false;
        size_t captions = 0;
    };
    std::map<std::string, ImageEntry> images; // key: the id as JSON text (ids may be numbers or strings)
    for (const auto &image : root["images"]) {
        if (!image.is_object() || !image.contains("id") || !image.contains("file_name") ||
            !image["file_name"].is_string())
            fail("an entry of \"images\" lacks \"id\" or \"file_name\"");
        ImageEntry entry;
        entry.path = resolvePath(imageDir, image["file_name"].get<std::string>());
        entry.exists = isRegularFile(entry.path);
        images[image["id"].dump()] = std::move(entry);
    }

    std::vector<Sample> samples;
    std::vector<ReadFailure> failures;
    size_t index = 0;
    for (const auto &annotation : root["annotations"]) {
        ++index;
        if (!annotation.is_object() || !annotation.contains("image_id") || !annotation.contains("caption") ||
            !annotation["caption"].is_string()) {
            failures.push_back({annotationsJson, "annotation " + std::to_string(index) +
                                                     " lacks \"image_id\" or a \"caption\" string"});
            continue;
        }
        const std::string id = annotation["image_id"].dump();
        const auto it = images.find(id);
        if (it == images.end()) {
            failures.push_back({annotationsJson,
                                "annotation " + std::to_string(index) + " refers to unknown image_id " + id});
            continue;
        }
        if (!it->second.exists) {
            ++it->second.captions; // reported once per image below
            continue;
        }
        const std::string &rawCaption = annotation["caption"].get_ref<const std::string &>();
        if (rawCaption.size() > kMaxCaptionBytes) {
            failures.push_back({it->second.path, captionTooLong(rawCaption.size()) + " (annotation " +
                                                     std::to_string(index) + ")"});
            continue;
        }
        const std::string caption = trimSpaces(rawCaption);
        if (caption.empty()) {
            failures.push_back({it->second.path, "empty caption (annotation " + std::to_string(index) + ")"});
            continue;
        }
        Sample sample;
        sample.image.path = it->second.path;
        sample.caption = caption;
        const auto &rawId = annotation["image_id"];
        sample.attributes["image_id"] = rawId.is_string() ? rawId.get<std::string>() : id;
        samples.push_back(std::move(sample));
    }
    for (const auto &[id, entry] : images) {
        if (!entry.exists && entry.captions > 0)
            failures.push_back({entry.path, "image file not found (" + std::to_string(entry.captions) +
                                                " captions skipped)"});
    }
    return fromSource(std::move(samples), std::move(failures), "coco:" + annotationsJson + ":" + imageDir);
}

CaptionDataset CaptionDataset::fromSidecar(const std::string &dir)
{
    requireDirectory(dir);
    std::vector<Sample> samples;
    std::vector<ReadFailure> failures;
    for (const fs::path &image : imageFilesBelow(dir)) {
        fs::path textPath = fs::path(image).replace_extension(".txt");
        if (!isRegularFile(textPath.string()))
            textPath = fs::path(image.string() + ".txt");
        if (!isRegularFile(textPath.string())) {
            failures.push_back(
                {image.string(),
                 "no caption file ('" + fs::path(image).replace_extension(".txt").string() + "')"});
            continue;
        }
        std::error_code ec;
        if (const uintmax_t bytes = fs::file_size(textPath, ec); !ec && bytes > kMaxCaptionBytes) {
            failures.push_back(
                {image.string(), captionTooLong(size_t(bytes)) + " ('" + textPath.string() + "')"});
            continue;
        }
        std::string caption;
        try {
            caption = whitespaceClean(readFileText(textPath.string(), kMaxCaptionBytes));
        } catch (const std::exception &e) {
            failures.push_back({image.string(), e.what()});
            continue;
        }
        if (caption.empty()) {
            failures.push_back({image.string(), "empty caption file '" + textPath.string() + "'"});
            continue;
        }
        Sample sample;
        sample.image.path = image.string();
        sample.caption = std::move(caption);
        samples.push_back(std::move(sample));
    }
    return fromSource(std::move(samples), std::move(failures), "sidecar:" + dir);
}

CaptionDataset CaptionDataset::fromFolders(const std::string &dir)
{
    requireDirectory(dir);
    std::vector<fs::path> labelDirs;
    std::vector<ReadFailure> failures;
    std::error_code ec;
    for (const fs::directory_entry &entry : fs::directory_iterator(dir, ec)) {
        if (isHidden(entry.path()))
            continue;
        if (entry.is_directory(ec))
            labelDirs.push_back(entry.path());
        else if (entry.is_regular_file(ec) && isImageFile(entry.path()))
            failures.push_back({entry.path().string(), "image not inside a label folder"});
    }
    if (ec)
        throw Error("cannot list '" + dir + "': " + ec.message());
    std::sort(labelDirs.begin(), labelDirs.end());

    std::vector<Sample> samples;
    for (const fs::path &labelDir : labelDirs) {
        const std::string folder = labelDir.filename().string();
        const std::string label = readableLabel(folder);
        if (label.empty())
            continue;
        for (const fs::path &image : imageFilesBelow(labelDir)) {
            Sample sample;
            sample.image.path = image.string();
            sample.caption = folderCaption(label, image.lexically_relative(dir).generic_string());
            sample.attributes["label"] = label;
            sample.attributes["folder"] = folder;
            samples.push_back(std::move(sample));
        }
    }
    return fromSource(std::move(samples), std::move(failures), "folders:" + dir);
}

CaptionDataset CaptionDataset::fromShapes(const std::string &dir, Split split)
{
    requireDirectory(dir);
    const fs::path splitDir = fs::path(dir) / (split == Split::Train ? "train" : "test");
    requireDirectory(splitDir.string());

    std::unordered_map<std::string, std::map<std::string, std::string>> attributesByPath;
    const fs::path labelsPath = splitDir / "labels.csv";
    if (isRegularFile(labelsPath.string())) {
        const CsvTable labels = CsvTable::read(labelsPath.string());
        const int pathCol = labels.requireColumn({"path"});
        for (const CsvRecord &row : labels.rows) {
            std::map<std::string, std::string> attributes;
            for (size_t c = 0; c < labels.header.size(); ++c) {
                const std::string key = lower(trimSpaces(labels.header[c]));
                const std::string value = trimSpaces(CsvTable::field(row, int(c)));
                if (int(c) != pathCol && !key.empty() && !value.empty())
                    attributes[key] = value;
            }
            attributesByPath[resolvePath(splitDir, trimSpaces(CsvTable::field(row, pathCol)))] =
                std::move(attributes);
        }
    }

    const CsvTable captions = CsvTable::read((splitDir / "captions.csv").string());
    std::vector<Sample> samples;
    std::vector<ReadFailure> failures;
    readCaptionRows(captions, captions.requireColumn({"path"}), captions.requireColumn({"caption"}), splitDir,
                    attributesByPath, samples, failures);
    return fromSource(std::move(samples), std::move(failures),
                      "shapes:" + dir + (split == Split::Train ? " (train)" : " (test)"));
}

CaptionDataset CaptionDataset::concat(std::vector<CaptionDataset> parts)
{
    CaptionDataset out;
    for (CaptionDataset &part : parts) {
        if (out.m_samples.empty())
            out.m_samples = std::move(part.m_samples);
        else
            out.m_samples.insert(out.m_samples.end(), std::make_move_iterator(part.m_samples.begin()),
                                 std::make_move_iterator(part.m_samples.end()));
        out.m_failures.insert(out.m_failures.end(), part.m_failures.begin(), part.m_failures.end());
        out.m_description += (out.m_description.empty() ? "" : " + ") + part.m_description;
    }
    return out;
}

std::vector<std::string> CaptionDataset::attributeValues(const std::string &key) const
{
    std::set<std::string> values;
    for (const Sample &sample : m_samples) {
        if (const auto it = sample.attributes.find(key); it != sample.attributes.end())
            values.insert(it->second);
    }
    return {values.begin(), values.end()};
}

std::string imageRefName(const ImageRef &ref)
{
    if (ref.size == 0)
        return ref.path;
    std::string name = ref.path;
    name += ':';
    if (ref.member.empty()) {
        name += '@';
        name += std::to_string(ref.offset);
    } else {
        name += ref.member;
    }
    return name;
}

std::vector<uint8_t> readImageBytes(const ImageRef &ref)
{
    if (ref.size == 0)
        return readFileBytes(ref.path, uint64_t(1) << 31);
    const std::string name = "'" + imageRefName(ref) + "'";
    if (ref.size > kMaxTarMemberBytes)
        throw Error("reading " + name + ": member of " + std::to_string(ref.size) +
                    " bytes, over the limit of " + std::to_string(kMaxTarMemberBytes) + " bytes");
    const int fd = ::open(ref.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open '" + ref.path + "': " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || uint64_t(st.st_size) < ref.offset + ref.size) {
        ::close(fd);
        throw Error("reading " + name + ": bytes " + std::to_string(ref.offset) + ".." +
                    std::to_string(ref.offset + ref.size) + " lie beyond the end of the file");
    }
    std::vector<uint8_t> bytes(size_t(ref.size));
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, off_t(ref.offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = n < 0 ? std::strerror(errno) : "unexpected end of file";
            ::close(fd);
            throw Error("reading " + name + ": " + why);
        }
        done += size_t(n);
    }
    ::close(fd);
    return bytes;
}

Image8 decodeSampleImage(const ImageRef &ref, const DecodeOptions &options)
{
    if (ref.size == 0)
        return decodeImage(ref.path, options);
    const std::vector<uint8_t> bytes = readImageBytes(ref);
    return decodeImageBytes(bytes.data(), bytes.size(), imageRefName(ref), options);
}

} // namespace lodestone
