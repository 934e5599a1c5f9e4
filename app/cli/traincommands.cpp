#include "commands.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/evaluation.h"
#include "lodestone/trainer.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

namespace lodestone::cli {

namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int)
{
    g_interrupted = true;
}

std::string formatSeconds(double s)
{
    char text[32];
    std::snprintf(text, sizeof text, "%d:%02d", int(s) / 60, int(s) % 60);
    return text;
}

} // namespace

void addTrainCommands(CLI::App &app)
{
    {
        auto config = std::make_shared<TrainConfig>();
        auto loss = std::make_shared<std::string>("infonce");
        auto composition = std::make_shared<std::string>("random");
        auto noAugment = std::make_shared<bool>(false);
        auto *cmd =
            app.add_subcommand("train", "contrastive training, from scratch or by fine-tuning (--init)");
        cmd->add_option("--data", config->dataSpecs,
                        "caption sources (csv:, coco:, sidecar:, folders:, wds:, shapes:)")
            ->required();
        cmd->add_option("--out", config->outDir, "run folder (checkpoints, metrics.jsonl, model/)")
            ->required();
        cmd->add_option("--init", config->init, "fine-tune this model (any folder --model takes)");
        cmd->add_option("--arch", config->arch, "preset for a new model (tiny, small, ViT-B/32, ...)")
            ->capture_default_str();
        cmd->add_option("--vocab", config->vocab,
                        "CLIP tokenizer files for a new model (default: learn a BPE)");
        cmd->add_option("--bpe-vocab-size", config->bpeVocabSize, "size of a learned BPE vocabulary")
            ->capture_default_str();
        cmd->add_option("--steps", config->steps, "optimiser steps");
        cmd->add_option("--epochs", config->epochs, "passes over the data");
        cmd->add_option("--time-limit", config->timeLimitMinutes,
                        "minutes of training (the schedule fits them)");
        cmd->add_option("--batch", config->batchSize, "contrastive batch size")->capture_default_str();
        cmd->add_option("--sub-batch", config->subBatch,
                        "gradient caching with sub-batches of this size (0: off)");
        cmd->add_option("--seed", config->seed, "seed for initialisation, data order and augmentation")
            ->capture_default_str();
        cmd->add_flag("--resume", config->resume, "continue the run in --out from its last checkpoint");
        cmd->add_option("--device", config->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
        cmd->add_option("--lr", config->learningRate, "peak learning rate")->capture_default_str();
        cmd->add_option("--weight-decay", config->weightDecay,
                        "AdamW weight decay (not on gains, biases, embeddings)")
            ->capture_default_str();
        cmd->add_option("--warmup", config->warmupSteps, "warm-up steps")->capture_default_str();
        cmd->add_option("--clip-grad", config->gradientClip, "max gradient norm (0: off)")
            ->capture_default_str();
        cmd->add_option("--loss", *loss, "infonce or sigmoid")
            ->check(CLI::IsMember({"infonce", "sigmoid"}))
            ->capture_default_str();
        cmd->add_option("--hn-beta", config->hardNegativeBeta,
                        "HN-NCE reweighting of hard negatives (0: off)")
            ->capture_default_str();
        cmd->add_option("--hard-negatives", *composition,
                        "batch composition: random, one-word-off, neighbours")
            ->check(CLI::IsMember({"random", "one-word-off", "neighbours"}))
            ->capture_default_str();
        cmd->add_option("--hn-group", config->hardNegativeGroup, "samples per confusable group")
            ->capture_default_str();
        cmd->add_flag("--lock-image", config->lockImageTower, "keep the image tower's weights");
        cmd->add_flag("--lock-text", config->lockTextTower, "keep the text tower's weights");
        cmd->add_option("--wise-alpha", config->wiseAlpha,
                        "weight-space ensembling with --init: (1-a) init + a tuned")
            ->capture_default_str();
        cmd->add_flag("--no-augment", *noAugment, "train on the plain preprocessing");
        cmd->add_option("--workers", config->workers, "decoding threads")->capture_default_str();
        cmd->add_option("--checkpoint-every", config->checkpointEverySteps, "steps between checkpoints")
            ->capture_default_str();
        cmd->callback([config, loss, composition, noAugment] {
            config->loss = *loss == "sigmoid" ? ContrastiveLoss::Sigmoid : ContrastiveLoss::InfoNce;
            config->composition = *composition == "one-word-off" ? BatchComposition::OneWordOff
                                  : *composition == "neighbours" ? BatchComposition::Neighbours
                                                                 : BatchComposition::Random;
            config->augment.enabled = !*noAugment;
            // Ctrl-C stops between steps with a checkpoint; --resume continues from it.
            std::signal(SIGINT, onInterrupt);
            std::signal(SIGTERM, onInterrupt);
            Trainer trainer(*config);
            int64_t lastPrinted = -1;
            const TrainResult result = trainer.run(
                [&](const TrainProgress &p) {
                    if (p.step / 10 == lastPrinted / 10 && p.step != p.totalSteps)
                        return;
                    lastPrinted = p.step;
                    std::fprintf(
                        stderr,
                        "\rstep %lld/%lld  epoch %d  loss %.4f  scale %.1f  lr %.2e  %.0f samples/s  ETA %s ",
                        static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.epoch, p.loss,
                        p.logitScale, p.learningRate, p.samplesPerSecond,
                        formatSeconds(p.etaSeconds).c_str());
                },
                &g_interrupted);
            std::fprintf(stderr, "\n");
            nlohmann::json out{{"model", result.modelDir},
                               {"steps", result.steps},
                               {"final_loss", result.finalLoss},
                               {"skipped_steps", result.skippedSteps},
                               {"failed_images", result.failedImages},
                               {"seconds", result.seconds},
                               {"samples_per_s", result.samplesPerSecond},
                               {"cancelled", result.cancelled}};
            std::cout << out.dump() << "\n";
            if (result.cancelled)
                throw Error("interrupted at step " + std::to_string(result.steps) +
                            "; continue with --resume");
        });
    }
    {
        struct Options {
            std::string model, data, device = "auto";
            int batch = 128;
            int workers = 2;
            bool json = false;
        };
        auto opts = std::make_shared<Options>();
        auto *cmd = app.add_subcommand("eval", "recall@K and zero-shot accuracy on a held-out set");
        cmd->add_option("--model", opts->model, "model folder")->required();
        cmd->add_option("--data", opts->data, "data spec (its test split for shapes:)")->required();
        cmd->add_option("--device", opts->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
        cmd->add_option("--batch", opts->batch, "batch size")->capture_default_str();
        cmd->add_option("--workers", opts->workers, "decoding threads")->capture_default_str();
        cmd->add_flag("--json", opts->json, "one JSON object on stdout");
        cmd->callback([opts] {
            LoadOptions load;
            load.device = opts->device;
            const ClipModel model = ClipModel::load(opts->model, load);
            EvalOptions options;
            options.batchSize = opts->batch;
            options.workers = opts->workers;
            const EvalResult result = evaluate(model, opts->data, options, [](int64_t done, int64_t total) {
                std::fprintf(stderr, "\reval: %lld/%lld images", static_cast<long long>(done),
                             static_cast<long long>(total));
            });
            std::fprintf(stderr, "\n");
            if (opts->json) {
                std::cout << result.toJson() << "\n";
                return;
            }
            for (const auto &[k, v] : result.recall)
                std::printf("recall %-7s %.4f\n", k.c_str(), v);
            for (const auto &[k, v] : result.zeroShot)
                std::printf("zero-shot %-9s %.4f  (%lld photos)\n", k.c_str(), v,
                            static_cast<long long>(result.counts.at(k)));
        });
    }
}

} // namespace lodestone::cli
