#include "commands.h"

#include "lodestone/error.h"
#include "lodestone/shapesworld.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <memory>

namespace lodestone::cli {

void addDataCommands(CLI::App &app)
{
    {
        struct Options {
            std::string out;
            int count = 0;
            int testCount = -1;
            uint64_t seed = 0;
            int size = 64;
            int threads = 0;
            std::string holdout;
        };
        auto opts = std::make_shared<Options>();
        auto *cmd = app.add_subcommand(
            "make-shapes", "write the synthetic captioned shapes world (DIR/train, DIR/test, world.json)");
        cmd->add_option("--out", opts->out, "output folder")->required();
        cmd->add_option("--count", opts->count, "train images")->required();
        cmd->add_option("--test-count", opts->testCount, "test images (default: max(200, count / 5))");
        cmd->add_option("--seed", opts->seed, "random seed; the same seed gives the same files")
            ->capture_default_str();
        cmd->add_option("--size", opts->size, "image side in pixels")->capture_default_str();
        cmd->add_option(
            "--holdout", opts->holdout,
            "colour:shape compositions kept out of training, comma-separated (red:triangle,blue:star)");
        cmd->add_option("--threads", opts->threads, "worker threads (0: all cores)")->capture_default_str();
        cmd->callback([opts] {
            ShapesWorldOptions options;
            options.trainCount = opts->count;
            options.testCount = opts->testCount;
            options.seed = opts->seed;
            options.imageSize = opts->size;
            options.threads = opts->threads;
            options.holdout = parseHoldout(opts->holdout);
            int lastPercent = -1;
            const ShapesWorldSummary summary =
                writeShapesWorld(opts->out, options, [&lastPercent](int done, int total) {
                    const int percent = total > 0 ? int(int64_t(done) * 100 / total) : 100;
                    if (percent == lastPercent)
                        return;
                    lastPercent = percent;
                    std::cerr << "\rmake-shapes: " << done << "/" << total << " images (" << percent << "%)"
                              << std::flush;
                });
            std::cerr << "\n";
            const int images = summary.trainCount + summary.testCount;
            nlohmann::json result;
            result["out"] = summary.dir;
            result["train"] = summary.trainCount;
            result["test"] = summary.testCount;
            result["test_held_out"] = summary.testHeldOutCount;
            result["holdout"] = formatHoldout(summary.holdout);
            result["image_size"] = summary.imageSize;
            result["seed"] = summary.seed;
            result["seconds"] = std::round(summary.seconds * 1000) / 1000;
            result["images_per_second"] = summary.seconds > 0 ? std::round(images / summary.seconds) : 0.0;
            std::cout << result.dump() << "\n";
        });
    }
}

} // namespace lodestone::cli
