#include "libraryaccess.h"

#include "lodestone/error.h"

#include <iostream>

namespace lodestone::cli {

std::string dumpJson(const nlohmann::json &value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::pair<ClipModel, std::string> loadLibraryModel(const Library &library, const std::string &modelPath,
                                                   const std::string &vocabPath, const std::string &device)
{
    std::string path = modelPath, vocab = vocabPath;
    if (path.empty()) {
        const std::optional<ModelRecord> record = library.defaultModel();
        if (!record)
            throw Error("library '" + library.folder() + "' has no embeddings yet: run index first");
        path = record->path;
        if (vocab.empty())
            vocab = record->vocabPath;
    }
    LoadOptions options;
    options.device = device;
    options.vocabPath = vocab;
    ClipModel model = ClipModel::load(path, options);
    std::string id = modelIdentity(model);
    bool known = false;
    for (const ModelRecord &record : library.models())
        known = known || (record.id == id && record.embedded > 0);
    if (!known)
        throw Error("library '" + library.folder() + "' has no embeddings of the model '" + path +
                    "' (changed since indexing, or never indexed with it): run index with it");
    std::cerr << "model: " << model.config().name << " '" << path << "' on " << model.info().device << "\n";
    return {std::move(model), std::move(id)};
}

} // namespace lodestone::cli
