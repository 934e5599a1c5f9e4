#include "commands.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/evaluation.h"
#include "lodestone/trainer.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

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

// A loopback port that was free a moment ago (rank 0's store binds it right after).
int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
    if (fd >= 0)
        ::close(fd);
    if (!ok)
        throw Error(std::string("no free loopback port for the ranks to meet: ") + std::strerror(errno));
    return ntohs(address.sin_port);
}

// This process's own command line without --nproc (the ranks run the same command).
std::vector<std::string> commandLineWithoutNproc()
{
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> args;
    for (std::string arg; std::getline(in, arg, '\0');)
        args.push_back(arg);
    std::vector<std::string> kept;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--nproc") {
            ++i;
            continue;
        }
        if (args[i].rfind("--nproc=", 0) == 0)
            continue;
        kept.push_back(args[i]);
    }
    if (kept.empty())
        throw Error("cannot read this program's command line from /proc/self/cmdline");
    return kept;
}

// --nproc N: N ranks of this same command on this machine (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and
// MASTER_PORT set as torchrun sets them). Waits for all; when one fails the others are stopped and the
// launch fails.
void launchLocalRanks(int count)
{
    const std::vector<std::string> args = commandLineWithoutNproc();
    const int port = freeLoopbackPort();
    std::vector<pid_t> children;
    for (int rank = 0; rank < count; ++rank) {
        const pid_t pid = ::fork();
        if (pid < 0)
            throw Error(std::string("cannot start rank ") + std::to_string(rank) + ": " +
                        std::strerror(errno));
        if (pid == 0) {
            ::setenv("RANK", std::to_string(rank).c_str(), 1);
            ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
            ::setenv("WORLD_SIZE", std::to_string(count).c_str(), 1);
            ::setenv("LOCAL_WORLD_SIZE", std::to_string(count).c_str(), 1);
            ::setenv("MASTER_ADDR", "127.0.0.1", 1);
            ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
            std::vector<char *> argv;
            for (const std::string &a : args)
                argv.push_back(const_cast<char *>(a.c_str()));
            argv.push_back(nullptr);
            ::execv("/proc/self/exe", argv.data());
            std::fprintf(stderr, "train: cannot run rank %d: %s\n", rank, std::strerror(errno));
            ::_exit(127);
        }
        children.push_back(pid);
    }
    std::string failure;
    size_t running = children.size();
    while (running > 0) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue; // Ctrl-C reaches the ranks too; they stop together at a step
            break;
        }
        --running;
        const auto it = std::find(children.begin(), children.end(), pid);
        const int rank = int(it - children.begin());
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!ok && failure.empty()) {
            failure = "rank " + std::to_string(rank) + " of " + std::to_string(count) +
                      (WIFSIGNALED(status) ? " was killed by signal " + std::to_string(WTERMSIG(status))
                                           : " exited with status " + std::to_string(WEXITSTATUS(status)));
            // The others would fail at their next collective; stop them now.
            for (const pid_t other : children)
                if (other != pid)
                    ::kill(other, SIGTERM);
        }
    }
    if (!failure.empty())
        throw Error("data-parallel training failed: " + failure);
}

} // namespace

void addTrainCommands(CLI::App &app)
{
    {
        auto config = std::make_shared<TrainConfig>();
        auto loss = std::make_shared<std::string>("infonce");
        auto composition = std::make_shared<std::string>("random");
        auto noAugment = std::make_shared<bool>(false);
        auto nproc = std::make_shared<int>(0);
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
        cmd->add_option("--eval-every", config->evalEverySteps,
                        "held-out recall every this many steps (shapes: data's test split; 0: off)")
            ->capture_default_str();
        cmd->add_option("--eval-samples", config->evalSamples, "held-out photos that recall is measured on")
            ->capture_default_str();
        cmd->add_option(
            "--nproc", *nproc,
            "start this many data-parallel ranks on this machine (Gloo on CPU, NCCL on GPUs; 1: a group "
            "of one rank); "
            "without it a rank joins the group that RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT "
            "describe (torchrun)");
        cmd->add_option("--dist-timeout", config->distributed.timeoutSeconds,
                        "seconds a rank waits for the others before the run fails")
            ->capture_default_str();
        cmd->callback([config, loss, composition, noAugment, nproc] {
            config->loss = *loss == "sigmoid" ? ContrastiveLoss::Sigmoid : ContrastiveLoss::InfoNce;
            config->composition = *composition == "one-word-off" ? BatchComposition::OneWordOff
                                  : *composition == "neighbours" ? BatchComposition::Neighbours
                                                                 : BatchComposition::Random;
            config->augment.enabled = !*noAugment;
            // Ctrl-C stops between steps with a checkpoint; --resume continues from it.
            std::signal(SIGINT, onInterrupt);
            std::signal(SIGTERM, onInterrupt);
            if (*nproc >= 1) {
                launchLocalRanks(*nproc);
                return;
            }
            const double timeout = config->distributed.timeoutSeconds;
            config->distributed = DistributedConfig::fromEnvironment();
            config->distributed.timeoutSeconds = timeout;
            const bool mainRank = config->distributed.rank == 0;
            Trainer trainer(*config);
            int64_t lastPrinted = -1;
            const TrainResult result = trainer.run(
                [&](const TrainProgress &p) {
                    if (mainRank && p.evaluated()) {
                        // A line of its own, over the progress line that \r keeps rewriting.
                        char line[128];
                        std::snprintf(line, sizeof line, "step %lld  held-out recall@1 %.3f  recall@5 %.3f",
                                      static_cast<long long>(p.step), p.recallAt1, p.recallAt5);
                        std::fprintf(stderr, "\r%-100s\n", line);
                    }
                    if (!mainRank || (p.step / 10 == lastPrinted / 10 && p.step != p.totalSteps))
                        return;
                    lastPrinted = p.step;
                    std::fprintf(
                        stderr,
                        "\rstep %lld/%lld  epoch %d  loss %.4f  scale %.1f  lr %.2e  %.0f samples/s  "
                        "input wait %.0f %%  ETA %s ",
                        static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.epoch, p.loss,
                        p.logitScale, p.learningRate, p.samplesPerSecond, 100.0 * p.inputWaitFraction,
                        formatSeconds(p.etaSeconds).c_str());
                },
                &g_interrupted);
            if (!mainRank) {
                if (result.cancelled)
                    throw Error("interrupted at step " + std::to_string(result.steps));
                return; // rank 0 reports the run
            }
            std::fprintf(stderr, "\n");
            nlohmann::json out{{"model", result.modelDir},
                               {"steps", result.steps},
                               {"final_loss", result.finalLoss},
                               {"skipped_steps", result.skippedSteps},
                               {"failed_images", result.failedImages},
                               {"seconds", result.seconds},
                               {"samples_per_s", result.samplesPerSecond},
                               {"input_wait", result.inputWaitFraction},
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
