#include "lodestone/export.h"

#include "io/fileio.h"
#include "lodestone/error.h"
#include "lodestone/npy.h"

#include <filesystem>
#include <map>
#include <sstream>

namespace lodestone {

namespace {

// RFC 4180: quote fields holding a comma, quote or line break; double the quotes inside.
std::string csvField(const std::string &value)
{
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// The projector's TSV has no quoting: tabs and line breaks inside a field become spaces.
std::string tsvField(std::string value)
{
    for (char &c : value)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return value;
}

std::string fileName(const std::string &path)
{
    return std::filesystem::path(path).filename().string();
}

void writeText(const std::string &folder, const std::string &name, const std::string &text)
{
    writeFileAtomically((std::filesystem::path(folder) / name).string(), text.data(), text.size());
}

void makeFolder(const std::string &folder)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        throw Error("creating export folder '" + folder + "': " + ec.message());
}

// Everything an export row shows about a photo, looked up once.
struct ExportView {
    FloatArray vectors;       // [N, D], normalised
    std::vector<int64_t> ids; // photo id of each row
    std::map<int64_t, Photo> photos;
    std::map<int64_t, std::string> labels; // photo id -> best label ("" for none of these)
};

ExportView exportView(const Library &library, const std::string &modelId)
{
    ExportView view;
    view.vectors = library.embeddings(modelId, &view.ids);
    if (view.ids.empty())
        throw Error("library '" + library.folder() + "' has no embeddings of model " + modelId +
                    ": index it first");
    for (Photo &photo : library.photos())
        view.photos.emplace(photo.id, std::move(photo));
    if (const std::optional<Classification> c = library.classification(modelId))
        for (const PhotoLabel &label : c->photos)
            view.labels[label.photoId] = label.labelIndex >= 0 ? c->labels.at(size_t(label.labelIndex)) : "";
    return view;
}

std::string labelOf(const ExportView &view, int64_t id)
{
    const auto it = view.labels.find(id);
    return it == view.labels.end() ? std::string() : it->second;
}

} // namespace

std::string labelsCsv(const Library &library, const std::string &modelId)
{
    const std::optional<Classification> classification = library.classification(modelId);
    if (!classification)
        throw Error("library '" + library.folder() + "' has no classification with model " + modelId +
                    ": run classify first");
    std::map<int64_t, std::string> paths;
    for (const Photo &photo : library.photos())
        paths.emplace(photo.id, photo.path);

    std::ostringstream csv;
    csv.imbue(std::locale::classic());
    csv << "path,label,probability";
    for (const std::string &label : classification->labels)
        csv << "," << csvField(label);
    csv << "\n";
    for (const PhotoLabel &row : classification->photos) {
        const auto path = paths.find(row.photoId);
        if (path == paths.end())
            continue; // removed from disk since it was classified
        csv << csvField(path->second) << ","
            << (row.labelIndex >= 0 ? csvField(classification->labels.at(size_t(row.labelIndex))) : "") << ","
            << row.probability;
        for (float p : row.probabilities)
            csv << "," << p;
        csv << "\n";
    }
    return csv.str();
}

void exportLabelsCsv(const Library &library, const std::string &modelId, const std::string &outFolder)
{
    const std::string csv = labelsCsv(library, modelId);
    makeFolder(outFolder);
    writeText(outFolder, "labels.csv", csv);
}

void exportEmbeddingsNpy(const Library &library, const std::string &modelId, const std::string &outFolder)
{
    const ExportView view = exportView(library, modelId);
    std::ostringstream csv;
    csv.imbue(std::locale::classic());
    csv << "row,photo_id,path,taken_at,width,height,label\n";
    for (size_t row = 0; row < view.ids.size(); ++row) {
        const Photo &photo = view.photos.at(view.ids[row]);
        csv << row << "," << photo.id << "," << csvField(photo.path) << "," << csvField(photo.takenAt) << ","
            << photo.width << "," << photo.height << "," << csvField(labelOf(view, photo.id)) << "\n";
    }
    makeFolder(outFolder);
    writeNpy((std::filesystem::path(outFolder) / "embeddings.npy").string(), view.vectors);
    writeText(outFolder, "metadata.csv", csv.str());
}

void exportProjector(const Library &library, const std::string &modelId, const std::string &outFolder)
{
    const ExportView view = exportView(library, modelId);
    std::ostringstream vectors, metadata;
    vectors.imbue(std::locale::classic());
    vectors.precision(7);
    metadata << "path\tname\tlabel\ttaken_at\n";
    for (size_t row = 0; row < view.ids.size(); ++row) {
        const float *v = view.vectors.row(int64_t(row));
        for (int64_t d = 0; d < view.vectors.dim(1); ++d)
            vectors << (d ? "\t" : "") << v[d];
        vectors << "\n";
        const Photo &photo = view.photos.at(view.ids[row]);
        metadata << tsvField(photo.path) << "\t" << tsvField(fileName(photo.path)) << "\t"
                 << tsvField(labelOf(view, photo.id)) << "\t" << tsvField(photo.takenAt) << "\n";
    }
    makeFolder(outFolder);
    writeText(outFolder, "vectors.tsv", vectors.str());
    writeText(outFolder, "metadata.tsv", metadata.str());
}

} // namespace lodestone
