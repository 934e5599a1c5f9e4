// embed-image throughput of a ViT-B/32-shaped model with random weights:
//   1. the image tower alone on preprocessed batches (decode and preprocessing excluded),
//   2. end to end from JPEG files on disk (decode, Pillow-exact resize, crop, normalise, encode).
//
// usage: bench_embed_image [--device auto|cpu|cuda] [--preset ViT-B/32] [--batch 32] [--images 128]
//                          [--width 1600 --height 1200] [--threads N]
// Prints one JSON object with the figures.

#include "lodestone/clipmodel.h"
#include "lodestone/image.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include <dlfcn.h>
#include <execinfo.h>
#include <ucontext.h>
#include <unistd.h>

using namespace lodestone;
using Clock = std::chrono::steady_clock;

namespace {

// A crash prints where it happened (the GPU machine has no debugger): the faulting address, the
// instruction's module and symbol, and what the unwinder finds.
void printCrash(int signal, siginfo_t *info, void *context)
{
    const auto *uc = static_cast<const ucontext_t *>(context);
    void *pc = reinterpret_cast<void *>(uc->uc_mcontext.gregs[REG_RIP]);
    Dl_info where{};
    dladdr(pc, &where);
    std::fprintf(stderr, "bench_embed_image: signal %d at address %p, instruction %p in %s (%s+%#lx)\n",
                 signal, info->si_addr, pc, where.dli_fname ? where.dli_fname : "?",
                 where.dli_sname ? where.dli_sname : "?",
                 static_cast<unsigned long>(
                     static_cast<const char *>(pc) -
                     static_cast<const char *>(where.dli_saddr ? where.dli_saddr : where.dli_fbase)));
    void *frames[64];
    backtrace_symbols_fd(frames, backtrace(frames, 64), STDERR_FILENO);
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Photo-like JPEGs: smooth gradients plus noise and shapes, so the codec does realistic work.
std::vector<std::string> writeJpegs(const std::string &folder, int count, int width, int height)
{
    std::filesystem::create_directories(folder);
    std::mt19937 rng(1);
    std::vector<std::string> paths;
    for (int i = 0; i < count; ++i) {
        cv::Mat image(height, width, CV_8UC3);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                image.at<cv::Vec3b>(y, x) =
                    cv::Vec3b(uchar((x * 255) / width), uchar((y * 255) / height), uchar(i * 37));
        for (int k = 0; k < 12; ++k)
            cv::circle(image, {int(rng() % width), int(rng() % height)}, int(20 + rng() % 200),
                       cv::Scalar(rng() % 256, rng() % 256, rng() % 256), -1);
        cv::Mat noise(height, width, CV_8UC3);
        cv::randn(noise, 0, 12);
        image += noise;
        const std::string path = folder + "/photo" + std::to_string(i) + ".jpg";
        cv::imwrite(path, image, {cv::IMWRITE_JPEG_QUALITY, 90});
        paths.push_back(path);
    }
    return paths;
}

} // namespace

int main(int argc, char **argv)
{
    struct sigaction onCrash {};
    onCrash.sa_sigaction = printCrash;
    onCrash.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &onCrash, nullptr);
    sigaction(SIGABRT, &onCrash, nullptr);
    std::string device = "auto", preset = "ViT-B/32";
    int batch = 32, images = 128, width = 1600, height = 1200;
    const char *usage = "usage: bench_embed_image [--device auto|cpu|cuda] [--preset ViT-B/32] [--batch 32] "
                        "[--images 128] [--width 1600] [--height 1200]\n";
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
            batch = std::stoi(value);
        else if (flag == "--images")
            images = std::stoi(value);
        else if (flag == "--width")
            width = std::stoi(value);
        else if (flag == "--height")
            height = std::stoi(value);
        else {
            std::cerr << "unknown flag " << flag << "\n" << usage;
            return 2;
        }
    }
    const ClipModel model(ClipConfig::preset(preset), device);
    const int size = model.config().vision.imageSize;
    std::cerr << preset << " on " << model.info().device << ", " << model.info().parameterCount / 1e6
              << " M params\n";

    // 1. Encoder only.
    std::cerr << "encoder alone, batches of " << batch << "\n";
    FloatArray pixels({int64_t(batch), 3, size, size});
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    for (float &v : pixels.data)
        v = normal(rng);
    model.encodeImage(pixels, batch); // warm-up
    int batches = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < 10.0 || batches < 3) {
        model.encodeImage(pixels, batch);
        ++batches;
    }
    const double encoderRate = batches * batch / secondsSince(start);

    // 2. End to end from files.
    std::cerr << "writing " << images << " JPEGs\n";
    const std::string folder = (std::filesystem::temp_directory_path() / "lodestone-bench-jpegs").string();
    const std::vector<std::string> paths = writeJpegs(folder, images, width, height);
    std::cerr << "decoding\n";
    const auto decodeStart = Clock::now();
    const FloatArray decoded = preprocessFiles(paths, model.config().preprocess);
    const double decodeRate = images / secondsSince(decodeStart);
    std::cerr << "end to end\n";
    const auto endToEndStart = Clock::now();
    model.encodeImage(preprocessFiles(paths, model.config().preprocess), batch);
    const double endToEndRate = images / secondsSince(endToEndStart);
    std::cerr << "encoded; removing the JPEGs\n";
    std::filesystem::remove_all(folder);

    std::printf("{\"preset\":\"%s\",\"device\":\"%s\",\"batch\":%d,\"threads\":%u,"
                "\"encoder_images_per_s\":%.1f,\"decode_preprocess_images_per_s\":%.1f,"
                "\"end_to_end_images_per_s\":%.1f,\"jpeg\":\"%dx%d\"}\n",
                preset.c_str(), model.info().device.c_str(), batch, std::thread::hardware_concurrency(),
                encoderRate, decodeRate, endToEndRate, width, height);
    std::fflush(stdout);
    std::cerr << "returning from main\n";
    return decoded.dim(0) == images ? 0 : 1;
}
