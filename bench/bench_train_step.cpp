// Training-step throughput of the dual encoder with the data already on the device: the forward and
// backward of both towers, the symmetric InfoNCE loss over the batch, gradient clipping and an AdamW
// step, as the trainer does them (bf16 autocast on CUDA). Decoding and augmentation are left out, so this
// is the ceiling that the data pipeline has to feed; `lodestone-cli train` reports the end-to-end rate.
//
// usage: bench_train_step [--device auto|cpu|cuda] [--preset ViT-B/32] [--batch 256,512] [--seconds 15]
//                         [--peak-tflops 989]
// Prints one JSON object per batch size: samples/s, step time, the model FLOPs utilisation against
// --peak-tflops (default: the H100/H200 SXM dense bf16 figure), and the time of the step's parts
// (forward + backward, gradient clipping, optimiser) over 5 further steps synchronised between parts.

#include "model/clipmodel_p.h"
#include "model/torchcompat.h"
#include "train/contrastiveloss.h"
#include "train/gradientcache.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace lodestone;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Forward FLOPs of one pre-norm transformer over `length` tokens: the four attention projections and the
// two MLP matrices (2 FLOPs per multiply-add), plus the attention scores and their weighted sum.
double transformerFlops(int layers, int width, int mlpWidth, int length)
{
    const double w = width, l = length;
    const double projections = 2.0 * l * (4.0 * w * w + 2.0 * w * mlpWidth);
    const double attention = 2.0 * 2.0 * l * l * w;
    return layers * (projections + attention);
}

// Forward FLOPs per sample of the whole model (matrix work only; norms and activations are noise).
double forwardFlopsPerSample(const ClipConfig &config)
{
    const VisionConfig &v = config.vision;
    const TextConfig &t = config.text;
    const int patches = config.visionGrid() * config.visionGrid();
    double image = 2.0 * patches * (3.0 * v.patchSize * v.patchSize) * v.width // patch embedding
                   + transformerFlops(v.layers, v.width, v.mlpWidth, patches + 1) +
                   2.0 * v.width * config.embedDim;
    double text =
        transformerFlops(t.layers, t.width, t.mlpWidth, t.contextLength) + 2.0 * t.width * config.embedDim;
    return image + text;
}

std::vector<int> parseList(const std::string &text)
{
    std::vector<int> values;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        values.push_back(std::stoi(item));
    return values;
}

void synchronize(const torch::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index() < 0 ? 0 : device.index());
}

} // namespace

int main(int argc, char **argv)
{
    std::string device = "auto", preset = "ViT-B/32";
    std::vector<int> batches{256};
    double seconds = 15, peakTflops = 989;
    const char *usage =
        "usage: bench_train_step [--device auto|cpu|cuda] [--preset ViT-B/32] [--batch 256,512] "
        "[--seconds 15] [--peak-tflops 989]\n";
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--help" || flag == "-h" || i + 1 == argc) { // a flag without its value runs nothing
            std::cerr << usage;
            return flag == "--help" || flag == "-h" ? 0 : 2;
        }
        const std::string value = argv[i + 1];
        if (flag == "--device")
            device = value;
        else if (flag == "--preset")
            preset = value;
        else if (flag == "--batch")
            batches = parseList(value);
        else if (flag == "--seconds")
            seconds = std::stod(value);
        else if (flag == "--peak-tflops")
            peakTflops = std::stod(value);
        else {
            std::cerr << "unknown flag " << flag << "\n" << usage;
            return 2;
        }
    }
    const ClipConfig config = ClipConfig::preset(preset);
    if (config.vision.tower != ImageTower::VisionTransformer) {
        std::cerr << "the FLOP count covers the ViT presets only\n";
        return 2;
    }
    ClipModel model(config, device, /*seed=*/0);
    ClipModuleImpl &module = *model.impl().module;
    const torch::Device target = model.impl().device;
    const bool cuda = target.is_cuda();
    std::cerr << preset << " on " << model.info().device << ", " << model.info().parameterCount / 1e6
              << " M params\n";

    std::vector<torch::Tensor> parameters = module.parameters();
    torch::optim::AdamW optimizer(parameters, torch::optim::AdamWOptions(1e-4).weight_decay(0.2));
    const torch::Tensor logitBias = torch::zeros({}, torch::TensorOptions().device(target));
    const double flopsPerSample = 3.0 * forwardFlopsPerSample(config); // forward + backward (2x)
    module.train();

    for (const int batch : batches) {
        const auto options = torch::TensorOptions().device(target);
        const torch::Tensor pixels =
            torch::randn({batch, 3, config.vision.imageSize, config.vision.imageSize}, options);
        // Captions of random tokens, each ending at a random length with the end token (pooled there).
        torch::Tensor tokens = torch::randint(1, config.text.endToken, {batch, config.text.contextLength},
                                              options.dtype(torch::kInt64));
        const torch::Tensor ends =
            torch::randint(5, config.text.contextLength, {batch}, options.dtype(torch::kInt64));
        tokens.scatter_(1, ends.unsqueeze(1), config.text.endToken);

        // One step as the trainer takes it; with `phases`, the time of each part (synchronised between
        // parts, which costs a little overlap) is added to it.
        double phases[3] = {0, 0, 0}; // forward + backward, gradient clipping, optimiser
        auto step = [&](bool timed) {
            auto mark = Clock::now();
            auto lap = [&](int phase) {
                if (!timed)
                    return;
                synchronize(target);
                phases[phase] += secondsSince(mark);
                mark = Clock::now();
            };
            optimizer.zero_grad();
            torch::Tensor loss;
            {
                compat::CudaAutocastGuard autocast(cuda);
                loss = contrastiveBackward(module, pixels, tokens, /*subBatch=*/0,
                                           [&](const torch::Tensor &image, const torch::Tensor &text) {
                                               return contrastiveLoss(image, text, module.logit_scale.exp(),
                                                                      logitBias, LossOptions{});
                                           });
            }
            lap(0);
            torch::nn::utils::clip_grad_norm_(parameters, 1.0);
            lap(1);
            optimizer.step();
            lap(2);
            return loss.item<double>(); // the trainer reads the loss every step, so this sync is part of it
        };
        for (int i = 0; i < 3; ++i) // warm-up: allocator, cuBLAS heuristics, autocast caches
            step(false);
        synchronize(target);
        int steps = 0;
        const auto start = Clock::now();
        while (secondsSince(start) < seconds || steps < 3) {
            step(false);
            ++steps;
        }
        synchronize(target);
        const double elapsed = secondsSince(start);
        const int timedSteps = 5;
        for (int i = 0; i < timedSteps; ++i)
            step(true);
        const double samplesPerSecond = steps * double(batch) / elapsed;
        const double achievedTflops = samplesPerSecond * flopsPerSample / 1e12;
        std::printf("{\"preset\":\"%s\",\"device\":\"%s\",\"batch\":%d,\"steps\":%d,\"step_ms\":%.2f,"
                    "\"samples_per_s\":%.1f,\"gflop_per_sample\":%.2f,\"achieved_tflops\":%.1f,"
                    "\"peak_tflops\":%.0f,\"mfu\":%.4f,\"forward_backward_ms\":%.2f,\"clip_ms\":%.2f,"
                    "\"optimizer_ms\":%.2f}\n",
                    preset.c_str(), model.info().device.c_str(), batch, steps, 1000.0 * elapsed / steps,
                    samplesPerSecond, flopsPerSample / 1e9, achievedTflops, peakTflops,
                    achievedTflops / peakTflops, 1000.0 * phases[0] / timedSteps,
                    1000.0 * phases[1] / timedSteps, 1000.0 * phases[2] / timedSteps);
        std::fflush(stdout);
    }
    return 0;
}
