// Model import on arbitrary folders: the input is a file set (fuzzsupport.h) whose files are written into
// a scratch folder, which ClipModel::load then reads as a Hugging Face, OpenCLIP or Lodestone folder; an
// input holding only "weights.safetensors" is loaded as a bare OpenAI-named file. This covers the config
// JSON readers, architecture inference from tensor shapes, and the weight checks against the config.

#include "fuzzsupport.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"

#include <algorithm>
#include <iterator>

namespace {

// The files a model folder may hold; anything else in the input is ignored.
const char *const KnownFiles[] = {
    "config.json",
    "preprocessor_config.json",
    "open_clip_config.json",
    "lodestone.json",
    "model.safetensors",
    "open_clip_model.safetensors",
    "vocab.json",
    "merges.txt",
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    namespace fs = std::filesystem;
    const fs::path folder = lodestone::fuzz::scratchDir() / "model";
    std::error_code ec;
    fs::remove_all(folder, ec);
    fs::create_directory(folder);

    std::string bare;
    for (const lodestone::fuzz::NamedFile &file : lodestone::fuzz::splitFileSet(data, size)) {
        if (file.name == "weights.safetensors") {
            bare = (lodestone::fuzz::scratchDir() / file.name).string();
            lodestone::fuzz::writeFile(bare, file.content.data(), file.content.size());
        } else if (std::find_if(std::begin(KnownFiles), std::end(KnownFiles), [&](const char *known) {
                       return file.name == known;
                   }) != std::end(KnownFiles)) {
            lodestone::fuzz::writeFile(folder / file.name, file.content.data(), file.content.size());
        }
    }
    try {
        lodestone::LoadOptions options;
        options.device = "cpu";
        const lodestone::ClipModel model =
            lodestone::ClipModel::load(bare.empty() ? folder.string() : bare, options);
        (void)model.config().toJson();
    } catch (const lodestone::Error &) {
    }
    return 0;
}
