#include "commands.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/image.h"
#include "lodestone/npy.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace lodestone::cli {

namespace {

// Options shared by the commands that load a model.
struct ModelOptions {
    std::string model;
    std::string device = "auto";
    std::string vocab;
    int batch = 64;

    void addTo(CLI::App *command, bool withBatch = true)
    {
        command->add_option("--model", model, "model folder or OpenAI-named .safetensors file")->required();
        command->add_option("--device", device, "auto, cpu, cuda or cuda:N")->capture_default_str();
        command->add_option("--vocab", vocab, "tokenizer: .gz merges, vocab.json or a folder");
        if (withBatch)
            command->add_option("--batch", batch, "batch size")
                ->capture_default_str()
                ->check(CLI::PositiveNumber);
    }

    ClipModel load() const
    {
        LoadOptions options;
        options.device = device;
        options.vocabPath = vocab;
        ClipModel m = ClipModel::load(model, options);
        std::cerr << "model: " << m.info().format << " '" << model << "', " << m.info().parameterCount / 1e6
                  << " M parameters, embedding " << m.embedDim() << ", on " << m.info().device << "\n";
        return m;
    }
};

// Normalises (unless raw) and writes the features to `out`, or prints them as JSON arrays, one row a line,
// when no --out was given.
void finish(FloatArray features, bool raw, const std::string &out)
{
    if (!raw)
        normalizeRows(features);
    if (out.empty()) {
        for (int64_t i = 0; i < features.dim(0); ++i)
            std::cout << nlohmann::json(
                             std::vector<float>(features.row(i), features.row(i) + features.dim(1)))
                             .dump()
                      << "\n";
        return;
    }
    writeNpy(out, features);
    std::cerr << "wrote " << features.shapeString() << " to '" << out << "'\n";
}

std::vector<std::string> readLines(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw Error("cannot read '" + path + "'");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

} // namespace

void addModelCommands(CLI::App &app)
{
    {
        auto opts = std::make_shared<ModelOptions>();
        auto texts = std::make_shared<std::vector<std::string>>();
        auto *cmd = app.add_subcommand(
            "tokenize", "token ids per text: one JSON array per line (start and end tokens, no padding)");
        opts->addTo(cmd, false);
        cmd->add_option("text", *texts, "texts")->required();
        cmd->callback([opts, texts] {
            const ClipModel model = opts->load();
            for (const std::string &text : *texts)
                std::cout << nlohmann::json(
                                 model.tokenizer().tokenize(text, model.config().text.contextLength))
                                 .dump()
                          << "\n";
        });
    }
    {
        auto opts = std::make_shared<ModelOptions>();
        auto images = std::make_shared<std::vector<std::string>>();
        auto out = std::make_shared<std::string>();
        auto *cmd = app.add_subcommand("preprocess",
                                       "pixels float32 [N,3,R,R] exactly as the image encoder receives them");
        opts->addTo(cmd, false);
        cmd->add_option("--out", *out, "output .npy")->required();
        cmd->add_option("image", *images, "image files")->required();
        cmd->callback([opts, images, out] {
            const ClipModel model = opts->load();
            const FloatArray pixels = preprocessFiles(*images, model.config().preprocess);
            writeNpy(*out, pixels);
            std::cerr << "wrote " << pixels.shapeString() << " to '" << *out << "'\n";
        });
    }
    {
        auto opts = std::make_shared<ModelOptions>();
        auto texts = std::make_shared<std::vector<std::string>>();
        auto textsFile = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        auto raw = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand("embed-text", "text embeddings float32 [N,D], L2-normalised");
        opts->addTo(cmd);
        cmd->add_flag("--raw", *raw, "projected features before normalisation");
        cmd->add_option("--out", *out, "output .npy (without it: JSON arrays on stdout)");
        auto *fileOption = cmd->add_option("--texts-file", *textsFile, "one text per line");
        cmd->add_option("text", *texts, "texts")->excludes(fileOption);
        cmd->callback([opts, texts, textsFile, out, raw] {
            const std::vector<std::string> inputs = textsFile->empty() ? *texts : readLines(*textsFile);
            if (inputs.empty())
                throw Error("no texts given (TEXT... or --texts-file)");
            const ClipModel model = opts->load();
            finish(model.encodeText(inputs, opts->batch), *raw, *out);
        });
    }
    {
        auto opts = std::make_shared<ModelOptions>();
        auto images = std::make_shared<std::vector<std::string>>();
        auto out = std::make_shared<std::string>();
        auto raw = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand("embed-image", "image embeddings float32 [N,D], L2-normalised");
        opts->addTo(cmd);
        cmd->add_flag("--raw", *raw, "projected features before normalisation");
        cmd->add_option("--out", *out, "output .npy (without it: JSON arrays on stdout)");
        cmd->add_option("image", *images, "image files")->required();
        cmd->callback([opts, images, out, raw] {
            const ClipModel model = opts->load();
            const FloatArray pixels = preprocessFiles(*images, model.config().preprocess);
            finish(model.encodeImage(pixels, opts->batch), *raw, *out);
        });
    }
    {
        auto opts = std::make_shared<ModelOptions>();
        auto in = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        auto raw = std::make_shared<bool>(false);
        auto *cmd =
            app.add_subcommand("embed-pixels", "embeddings of preprocessed pixels [N,3,R,R] from a .npy");
        opts->addTo(cmd);
        cmd->add_flag("--raw", *raw, "projected features before normalisation");
        cmd->add_option("--in", *in, "pixels .npy")->required();
        cmd->add_option("--out", *out, "output .npy")->required();
        cmd->callback([opts, in, out, raw] {
            const ClipModel model = opts->load();
            finish(model.encodeImage(readNpy(*in), opts->batch), *raw, *out);
        });
    }
}

} // namespace lodestone::cli
