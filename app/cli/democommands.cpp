#include "commands.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/evaluation.h"
#include "lodestone/library.h"
#include "lodestone/query.h"
#include "lodestone/shapesworld.h"
#include "lodestone/trainer.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace lodestone::cli {

namespace {

std::atomic<bool> g_demoInterrupted{false};
extern "C" void onDemoInterrupt(int)
{
    g_demoInterrupted = true;
}

struct DemoOptions {
    std::string out = "lodestone-demo";
    int photos = 8000;
    double minutes = 4;
    uint64_t seed = 1;
    std::string device = "auto";
};

void heading(const std::string &text)
{
    std::cout << "\n== " << text << "\n" << std::flush;
}

// What each test photo shows, by absolute path, from the world's labels.csv.
std::map<std::string, ShapesLabel> labelsByPath(const std::string &splitDir)
{
    std::map<std::string, ShapesLabel> labels;
    for (ShapesLabel &label : readShapesLabels(splitDir))
        labels[std::filesystem::weakly_canonical(splitDir + "/" + label.path).string()] = std::move(label);
    return labels;
}

std::string describe(const std::map<std::string, ShapesLabel> &labels, const std::string &path)
{
    const auto it = labels.find(path);
    if (it == labels.end())
        return "";
    const ShapesLabel &l = it->second;
    if (l.kind == "count")
        return std::to_string(l.count) + " " + l.colour + " " + l.shape + "s";
    if (l.kind == "relation")
        return l.colour + " " + l.shape + " " + l.relation + " " + l.colour2 + " " + l.shape2;
    return l.colour + " " + l.shape;
}

void printHit(const std::map<std::string, ShapesLabel> &labels, float score, const std::string &path)
{
    std::printf("  %.3f  %-28s %s\n", score, describe(labels, path).c_str(),
                std::filesystem::path(path).filename().c_str());
}

void runDemo(const DemoOptions &o)
{
    const std::string world = o.out + "/world", run = o.out + "/run", library = o.out + "/library";
    std::signal(SIGINT, onDemoInterrupt);

    heading(
        "1. a synthetic captioned world: drawn shapes with truthful captions; red triangles and blue stars "
        "never appear in training");
    ShapesWorldSummary summary;
    try {
        summary = readShapesWorld(world);
        std::cout << "reusing " << world << "\n";
    } catch (const Error &) {
        ShapesWorldOptions options;
        options.trainCount = o.photos;
        options.seed = o.seed;
        options.holdout = {{"red", "triangle"}, {"blue", "star"}};
        summary = writeShapesWorld(world, options);
    }
    std::cout << summary.trainCount << " training photos, " << summary.testCount << " test photos ("
              << summary.testHeldOutCount << " showing held-out compositions) in " << world << "\n";

    heading("2. a small dual encoder trained here from scratch (contrastive InfoNCE, " +
            std::to_string(int(o.minutes)) + " min)");
    const std::string modelDir = run + "/model";
    if (std::filesystem::exists(modelDir + "/lodestone.json")) {
        std::cout << "reusing " << modelDir << "\n";
    } else {
        TrainConfig config;
        config.dataSpecs = {"shapes:" + world};
        config.outDir = run;
        config.arch = "tiny-conv";
        config.timeLimitMinutes = o.minutes;
        config.seed = o.seed;
        config.device = o.device;
        config.resume = std::filesystem::exists(run + "/checkpoints/latest");
        Trainer trainer(config);
        int64_t lastPrinted = -1;
        const TrainResult result = trainer.run(
            [&](const TrainProgress &p) {
                if (p.step / 50 == lastPrinted / 50 && p.step != p.totalSteps)
                    return;
                lastPrinted = p.step;
                std::fprintf(stderr, "step %lld/%lld  loss %.3f  %.0f samples/s  %.0f s left\n",
                             static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.loss,
                             p.samplesPerSecond, p.etaSeconds);
            },
            &g_demoInterrupted);
        if (result.cancelled)
            throw Error("demo interrupted during training; run it again to resume");
        std::cout << result.steps << " steps, final loss " << result.finalLoss << ", "
                  << int(result.samplesPerSecond) << " samples/s\n";
    }
    LoadOptions load;
    load.device = o.device;
    const ClipModel model = ClipModel::load(modelDir, load);
    const EvalResult eval = evaluate(model, "shapes:" + world);
    for (const auto &[name, value] : eval.zeroShot)
        std::printf("zero-shot %-9s %5.1f %%\n", name.c_str(), 100 * value);

    heading("3. the test photos indexed into a library (SQLite catalog + ANN index)");
    Library lib = Library::open(library);
    const IndexSummary indexed =
        lib.index(model, modelDir, {world + "/test/images"}, {}, {}, &g_demoInterrupted);
    std::cout << indexed.indexed << " embedded, " << indexed.unchanged << " unchanged, " << indexed.failed
              << " failed, in " << indexed.seconds << " s\n";
    const std::string modelId = modelIdentity(model);
    const ModelEmbedder embedder(model);

    heading("4. zero-shot classification by colour, labels typed, never trained as classes");
    const std::vector<std::string> colours = {"red", "green", "blue", "yellow", "purple", "orange"};
    std::vector<int64_t> ids;
    const FloatArray vectors = lib.embeddings(modelId, &ids);
    const Classification classification =
        classify(vectors, ids, colours, labelVectors(colours, {"a photo of a {} shape."}, embedder),
                 embedder.logitScale(), 0);
    lib.storeClassification(modelId, classification);
    const std::map<std::string, ShapesLabel> truth = labelsByPath(world + "/test");
    int right = 0, counted = 0;
    for (const PhotoLabel &row : classification.photos) {
        const auto it = truth.find(lib.photo(row.photoId)->path);
        if (it == truth.end() || it->second.kind != "single" || row.labelIndex < 0)
            continue;
        ++counted;
        right += colours[size_t(row.labelIndex)] == it->second.colour;
    }
    std::printf("%d of %d single-shape photos labelled with their colour (%.1f %%)\n", right, counted,
                counted ? 100.0 * right / counted : 0.0);

    heading("5. search by text, and a vector-arithmetic probe");
    for (const std::string &query : {std::string("a red triangle"), std::string("two blue stars")}) {
        std::cout << "\"" << query << "\":\n";
        for (const SearchHit &hit :
             lib.search(modelId, queryVector(parseQuery("\"" + query + "\""), embedder), 3))
            printHit(truth, hit.score, hit.path);
    }
    const ProbeResult probed = probe(lib, modelId, "red circle - red + blue", embedder, 3);
    std::cout << "red circle - red + blue:\n";
    for (const SearchHit &hit : probed.photos)
        printHit(truth, hit.score, hit.path);
    for (const TextHit &hit : probed.texts)
        std::printf("  %.3f  \"%s\" (vocabulary)\n", hit.score, hit.text.c_str());

    std::signal(SIGINT, SIG_DFL);
    std::cout << "\nThe library is in " << library << ": try `lodestone-cli search --library " << library
              << " \"a green hexagon\"`.\n";
}

} // namespace

void addDemoCommands(CLI::App &app)
{
    auto o = std::make_shared<DemoOptions>();
    auto *cmd = app.add_subcommand("demo", "the embedded default: a synthetic captioned world, a small model "
                                           "trained here, indexed, classified, searched and probed");
    cmd->add_option("--out", o->out, "working folder (reused when run again)")->capture_default_str();
    cmd->add_option("--photos", o->photos, "training photos")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--minutes", o->minutes, "training time")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--seed", o->seed, "seed")->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    cmd->callback([o] { runDemo(*o); });
}

} // namespace lodestone::cli
