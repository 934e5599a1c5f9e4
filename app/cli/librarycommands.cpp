#include "commands.h"
#include "libraryaccess.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/export.h"
#include "lodestone/library.h"
#include "lodestone/query.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace lodestone::cli {

namespace {

// Ctrl-C during indexing stops between batches; what was committed stays.
std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}

// Options of the commands that work on a library. The model is the one given, or else the one the library
// was last indexed with.
struct LibraryOptions {
    std::string library;
    std::string model;
    std::string device = "auto";
    std::string vocab;

    void addTo(CLI::App *command, bool modelRequired = false)
    {
        command->add_option("--library", library, "library folder (created when absent)")->required();
        auto *m =
            command->add_option("--model", model,
                                modelRequired ? "model folder or OpenAI-named .safetensors file"
                                              : "model (default: the one the library was indexed with)");
        if (modelRequired)
            m->required();
        command->add_option("--device", device, "auto, cpu, cuda or cuda:N")->capture_default_str();
        command->add_option("--vocab", vocab, "tokenizer: .gz merges, vocab.json or a folder");
    }

    // The model to ask with, and its identity, checked against the library's embeddings.
    std::pair<ClipModel, std::string> loadModel(const Library &lib) const
    {
        return loadLibraryModel(lib, model, vocab, device);
    }
};

void printHits(const std::vector<SearchHit> &hits)
{
    for (const SearchHit &hit : hits)
        std::cout << dumpJson({{"path", hit.path}, {"score", hit.score}}) << "\n";
}

std::string joinWords(const std::vector<std::string> &words)
{
    std::string joined;
    for (const std::string &w : words)
        joined += (joined.empty() ? "" : " ") + w;
    return joined;
}

// One progress line on stderr per phase change or per second.
class ProgressPrinter {
public:
    void operator()(const IndexProgress &p)
    {
        const auto now = std::chrono::steady_clock::now();
        if (p.phase == m_phase && now - m_last < std::chrono::seconds(1) && p.done != p.total)
            return;
        m_phase = p.phase;
        m_last = now;
        std::cerr << p.phase << ": " << p.done;
        if (p.total > 0)
            std::cerr << "/" << p.total;
        std::cerr << " files";
        if (p.perSecond > 0)
            std::fprintf(stderr, ", %.1f/s", p.perSecond);
        if (p.etaSeconds >= 0)
            std::fprintf(stderr, ", %.0f s left", p.etaSeconds);
        std::cerr << std::endl;
    }

private:
    std::string m_phase;
    std::chrono::steady_clock::time_point m_last;
};

} // namespace

void addLibraryCommands(CLI::App &app)
{
    {
        auto opts = std::make_shared<LibraryOptions>();
        auto folders = std::make_shared<std::vector<std::string>>();
        auto index = std::make_shared<IndexOptions>();
        auto fullDecode = std::make_shared<bool>(false);
        auto batch = std::make_shared<int>(32);
        auto *cmd = app.add_subcommand(
            "index", "add folders to a library and embed what is new or changed; prints a JSON summary");
        opts->addTo(cmd, /*modelRequired=*/true);
        cmd->add_option("--batch", *batch, "photos per encoder batch and per transaction")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        cmd->add_option("--threads", index->decodeThreads, "decoding threads (0: one per core)")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        cmd->add_flag("--full-decode", *fullDecode, "decode large JPEGs at full size (slower)");
        cmd->add_option("folder", *folders, "photo folders (default: the library's folders)");
        cmd->callback([opts, folders, index, fullDecode, batch] {
            Library lib = Library::open(opts->library);
            LoadOptions load;
            load.device = opts->device;
            load.vocabPath = opts->vocab;
            const ClipModel model = ClipModel::load(opts->model, load);
            std::cerr << "model: " << model.config().name << " '" << opts->model << "' on "
                      << model.info().device << "\n";
            IndexOptions options = *index;
            options.batchSize = *batch;
            options.reducedDecode = !*fullDecode;
            g_interrupted = false;
            std::signal(SIGINT, onInterrupt);
            std::signal(SIGTERM, onInterrupt);
            ProgressPrinter progress;
            const IndexSummary s = lib.index(model, opts->model, *folders, options, std::ref(progress),
                                             &g_interrupted, opts->vocab);
            std::signal(SIGINT, SIG_DFL);
            std::signal(SIGTERM, SIG_DFL);
            nlohmann::json errors = nlohmann::json::array();
            for (const IndexFailure &f : s.errors)
                errors.push_back({{"path", f.path}, {"error", f.error}});
            std::cout << dumpJson({{"indexed", s.indexed},
                                   {"unchanged", s.unchanged},
                                   {"moved", s.moved},
                                   {"removed", s.removed},
                                   {"failed", s.failed},
                                   {"unsupported", s.unsupported},
                                   {"cancelled", s.cancelled},
                                   {"seconds", s.seconds},
                                   {"errors", errors}})
                      << "\n";
            if (s.cancelled)
                throw Error("indexing interrupted; what was done is kept, run index again to resume");
        });
    }
    {
        auto opts = std::make_shared<LibraryOptions>();
        auto words = std::make_shared<std::vector<std::string>>();
        auto k = std::make_shared<int>(10);
        auto exact = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand(
            "search", "photos nearest a text, an image or an expression: JSON lines {\"path\",\"score\"}");
        opts->addTo(cmd);
        cmd->add_option("-k", *k, "number of results")->capture_default_str()->check(CLI::PositiveNumber);
        cmd->add_flag("--exact", *exact, "exact search instead of the ANN index");
        cmd->add_option("query", *words,
                        "e.g. '\"golden retriever\" + 0.5 * image:/photos/pool.jpg - \"fruit\"'")
            ->required();
        cmd->callback([opts, words, k, exact] {
            const std::vector<QueryTerm> terms = parseQuery(joinWords(*words)); // refuse typos before loading
            const Library lib = Library::open(opts->library);
            const auto [model, modelId] = opts->loadModel(lib);
            const std::vector<float> query = queryVector(terms, ModelEmbedder(model), &lib, modelId);
            printHits(lib.search(modelId, query, *k, *exact));
        });
    }
    {
        auto opts = std::make_shared<LibraryOptions>();
        auto labels = std::make_shared<std::vector<std::string>>();
        auto templates = std::make_shared<std::string>("default");
        auto threshold = std::make_shared<float>(0.f);
        auto csv = std::make_shared<bool>(false);
        auto *cmd = app.add_subcommand(
            "classify", "zero-shot classification of every photo into the labels; stored in the library");
        opts->addTo(cmd);
        cmd->add_option("--label", *labels, "a label (repeat, or several after one --label)")->required();
        cmd->add_option("--templates", *templates, "prompt templates: default, none, or a file ({} = label)")
            ->capture_default_str();
        cmd->add_option("--threshold", *threshold, "below this probability a photo is 'none of these'")
            ->capture_default_str()
            ->check(CLI::Range(0.f, 1.f));
        auto *csvFlag = cmd->add_flag("--csv", *csv, "CSV on stdout: path,label,probability,<one per label>");
        // No variable behind --json: it names the default (a bool bound to a local shared_ptr was
        // written by the parser after the pointer died).
        cmd->add_flag("--json")->description("JSON lines on stdout (the default)")->excludes(csvFlag);
        cmd->callback([opts, labels, templates, threshold, csv] {
            Library lib = Library::open(opts->library);
            const auto [model, modelId] = opts->loadModel(lib);
            const ModelEmbedder embedder(model);
            const std::vector<std::string> prompts = loadPromptTemplates(*templates);
            const FloatArray labelVecs = labelVectors(*labels, prompts, embedder);
            std::vector<int64_t> ids;
            const FloatArray photos = lib.embeddings(modelId, &ids);
            Classification result =
                classify(photos, ids, *labels, labelVecs, embedder.logitScale(), *threshold);
            result.templates = prompts;
            lib.storeClassification(modelId, result);
            std::cerr << "classified " << ids.size() << " photos into " << labels->size() << " labels\n";

            if (*csv) {
                std::cout << labelsCsv(lib, modelId);
                return;
            }
            std::map<int64_t, std::string> paths;
            for (const Photo &photo : lib.photos())
                paths.emplace(photo.id, photo.path);
            for (const PhotoLabel &row : result.photos) {
                nlohmann::json scores = nlohmann::json::object();
                for (size_t i = 0; i < labels->size(); ++i)
                    scores[(*labels)[i]] = row.probabilities[i];
                std::cout << dumpJson({{"path", paths[row.photoId]},
                                       {"label", row.labelIndex >= 0
                                                     ? nlohmann::json((*labels)[size_t(row.labelIndex)])
                                                     : nlohmann::json(nullptr)},
                                       {"probability", row.probability},
                                       {"probabilities", scores}})
                          << "\n";
            }
        });
    }
    {
        auto opts = std::make_shared<LibraryOptions>();
        auto words = std::make_shared<std::vector<std::string>>();
        auto k = std::make_shared<int>(10);
        auto *cmd = app.add_subcommand(
            "probe",
            "vector arithmetic such as 'dog - puppy + cat': nearest photos and vocabulary texts (JSON)");
        opts->addTo(cmd);
        cmd->add_option("-k", *k, "results of each kind")->capture_default_str()->check(CLI::PositiveNumber);
        cmd->add_option("expression", *words, "e.g. 'dog - puppy + cat'")->required();
        cmd->callback([opts, words, k] {
            const Library lib = Library::open(opts->library);
            const auto [model, modelId] = opts->loadModel(lib);
            const ProbeResult result = probe(lib, modelId, joinWords(*words), ModelEmbedder(model), *k);
            nlohmann::json photos = nlohmann::json::array(), texts = nlohmann::json::array();
            for (const SearchHit &hit : result.photos)
                photos.push_back({{"path", hit.path}, {"score", hit.score}});
            for (const TextHit &hit : result.texts)
                texts.push_back({{"text", hit.text}, {"score", hit.score}});
            std::cout << dumpJson({{"expression", joinWords(*words)}, {"photos", photos}, {"texts", texts}})
                      << "\n";
        });
    }
    {
        auto opts = std::make_shared<LibraryOptions>();
        auto format = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        auto *cmd =
            app.add_subcommand("export", "labels as CSV, embeddings as .npy, or the TensorBoard projector");
        opts->addTo(cmd);
        cmd->add_option("--format", *format,
                        "csv (labels.csv), npy (embeddings.npy + metadata.csv), projector (vectors.tsv + "
                        "metadata.tsv)")
            ->required()
            ->check(CLI::IsMember({"csv", "npy", "projector"}));
        cmd->add_option("--out", *out, "output folder")->required();
        cmd->callback([opts, format, out] {
            const Library lib = Library::open(opts->library);
            // Exports read stored vectors only: the model is not loaded unless named.
            std::string modelId;
            if (!opts->model.empty()) {
                modelId = opts->loadModel(lib).second;
            } else if (const std::optional<ModelRecord> record = lib.defaultModel()) {
                modelId = record->id;
            } else {
                throw Error("library '" + lib.folder() + "' has no embeddings yet: run index first");
            }
            if (*format == "csv")
                exportLabelsCsv(lib, modelId, *out);
            else if (*format == "npy")
                exportEmbeddingsNpy(lib, modelId, *out);
            else
                exportProjector(lib, modelId, *out);
            std::cerr << "exported " << *format << " to '" << *out << "'\n";
        });
    }
}

} // namespace lodestone::cli
