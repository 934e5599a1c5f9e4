// Decoding throughput for indexing: read + decode (+ EXIF) + CLIP preprocessing of camera-size JPEGs,
// full-size decoding against libjpeg's reduced-size decoding, per thread count; and how much the reduced
// decoding changes the preprocessed tensors the model sees.
//
// usage:
//   bench_decode make-photos --sources DIR --out DIR [--count 48] [--seed 1] [--noise 8]
//       Camera-size JPEGs from the photographs in --sources (see makePhotos for exactly how).
//   bench_decode run --folder DIR [--threads 1,2] [--rounds 3] [--size 224] [--malloc-keep 0|1]
//       Prints JSON objects: per (mode, threads) the throughput and the CPU time per photo by stage and by
//       size, then the tensor differences. --malloc-keep 1 makes glibc keep freed large blocks (see
//       runBenchmark).

#include "image/exif.h"
#include "io/fileio.h"
#include "lodestone/error.h"
#include "lodestone/image.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <malloc.h>
#include <time.h>

using namespace lodestone;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: unlike wall-clock time, barely affected by other processes sharing the
// cores (the development machine is shared).
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

std::vector<std::string> jpegsIn(const std::string &folder)
{
    std::vector<std::string> paths;
    for (const fs::directory_entry &entry : fs::directory_iterator(folder)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        if (entry.is_regular_file() && (ext == ".jpg" || ext == ".jpeg"))
            paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

// ---------------------------------------------------------------------------------------------------
// make-photos

void put16(std::string &out, uint32_t v)
{
    out += char(v & 0xFF);
    out += char((v >> 8) & 0xFF);
}

void put32(std::string &out, uint32_t v)
{
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}

void putEntry(std::string &out, uint16_t tag, uint16_t type, uint32_t count, uint32_t value)
{
    put16(out, tag);
    put16(out, type);
    put32(out, count);
    put32(out, value);
}

// An APP1 EXIF segment as a camera writes the parts Lodestone reads: IFD0 with Make, Model and
// Orientation, and an Exif IFD with DateTimeOriginal (little-endian TIFF).
std::string exifSegment(int orientation, const std::string &dateTime)
{
    const std::string make = std::string("Lodestone") + '\0';
    const std::string model = std::string("bench_decode make-photos") + '\0';
    const std::string date = dateTime + '\0';
    const uint32_t ifd0 = 8, ifd0Size = 2 + 4 * 12 + 4;
    const uint32_t exifIfd = ifd0 + ifd0Size, exifIfdSize = 2 + 12 + 4;
    const uint32_t makeAt = exifIfd + exifIfdSize;
    const uint32_t modelAt = makeAt + uint32_t(make.size());
    const uint32_t dateAt = modelAt + uint32_t(model.size());
    std::string tiff = "II";
    put16(tiff, 42);
    put32(tiff, ifd0);
    put16(tiff, 4);
    putEntry(tiff, 0x010F, 2, uint32_t(make.size()), makeAt);   // Make, ASCII
    putEntry(tiff, 0x0110, 2, uint32_t(model.size()), modelAt); // Model, ASCII
    putEntry(tiff, 0x0112, 3, 1, uint32_t(orientation));        // Orientation, SHORT inline
    putEntry(tiff, 0x8769, 4, 1, exifIfd);                      // Exif IFD pointer
    put32(tiff, 0);
    put16(tiff, 1);
    putEntry(tiff, 0x9003, 2, uint32_t(date.size()), dateAt); // DateTimeOriginal
    put32(tiff, 0);
    tiff += make + model + date;
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    std::string segment = "\xFF\xE1";
    segment += char(((payload.size() + 2) >> 8) & 0xFF);
    segment += char((payload.size() + 2) & 0xFF);
    return segment + payload;
}

// For photo i (0-based), deterministically from --seed:
// - source: the i-th of the sorted source JPEGs, cycling;
// - size: even i 4032x3024 (12 MP, 4:3, a phone), odd i 6000x4000 (24 MP, 3:2, an APS-C camera);
// - geometry: the source scaled (cv::resize, bicubic when enlarging, area when shrinking) to cover the
//   size times a zoom drawn uniformly from [1, 1.25], cropped at a uniformly drawn offset, mirrored
//   left-right with probability 1/2;
// - noise: Gaussian, independent per pixel and channel, standard deviation --noise (8-bit levels),
//   standing in for the sensor noise and fine detail that enlarging a smaller photograph smooths away;
// - encoding: OpenCV's JPEG writer (libjpeg-turbo), quality 90, 4:2:0, baseline, plus an APP1 EXIF
//   segment right after SOI; every fifth photo (i % 5 == 4) has Orientation 6 (a portrait shot stored
//   landscape, which the decoder turns), the others Orientation 1.
int makePhotos(const std::string &sourceDir, const std::string &outDir, int count, unsigned seed,
               double noise)
{
    const std::vector<std::string> sources = jpegsIn(sourceDir);
    if (sources.empty()) {
        std::cerr << "no JPEGs in " << sourceDir << "\n";
        return 1;
    }
    fs::create_directories(outDir);
    int64_t totalBytes = 0, totalPixels = 0;
    for (int i = 0; i < count; ++i) {
        const std::string &sourcePath = sources[size_t(i) % sources.size()];
        const cv::Mat source = cv::imread(sourcePath, cv::IMREAD_COLOR);
        if (source.empty()) {
            std::cerr << "cannot read " << sourcePath << "\n";
            return 1;
        }
        const int width = i % 2 == 0 ? 4032 : 6000;
        const int height = i % 2 == 0 ? 3024 : 4000;
        std::mt19937 rng(seed * 1000003u + unsigned(i));
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const double zoom = 1.0 + 0.25 * unit(rng);
        const double scale = std::max(double(width) / source.cols, double(height) / source.rows) * zoom;
        const int scaledWidth = std::max(width, int(std::lround(source.cols * scale)));
        const int scaledHeight = std::max(height, int(std::lround(source.rows * scale)));
        cv::Mat scaled;
        cv::resize(source, scaled, {scaledWidth, scaledHeight}, 0, 0,
                   scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
        const int x0 = int(unit(rng) * (scaledWidth - width + 1)) % (scaledWidth - width + 1);
        const int y0 = int(unit(rng) * (scaledHeight - height + 1)) % (scaledHeight - height + 1);
        cv::Mat photo = scaled(cv::Rect(x0, y0, width, height)).clone();
        if (unit(rng) < 0.5)
            cv::flip(photo, photo, 1);
        if (noise > 0) {
            cv::Mat grain(photo.size(), CV_16SC3);
            cv::theRNG().state = uint64_t(seed) * 7919u + uint64_t(i) + 1;
            cv::randn(grain, 0.0, noise);
            cv::Mat sum;
            photo.convertTo(sum, CV_16SC3);
            sum += grain;
            sum.convertTo(photo, CV_8UC3); // saturating
        }
        std::vector<uchar> jpeg;
        if (!cv::imencode(".jpg", photo, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90})) {
            std::cerr << "cannot encode photo " << i << "\n";
            return 1;
        }
        char date[32];
        std::snprintf(date, sizeof date, "2024:%02d:%02d %02d:%02d:%02d", 1 + i % 12, 1 + i % 28, 8 + i % 12,
                      (i * 7) % 60, (i * 13) % 60);
        const std::string exif = exifSegment(i % 5 == 4 ? 6 : 1, date);
        char name[32];
        std::snprintf(name, sizeof name, "IMG_%04d.jpg", i + 1);
        std::ofstream out(fs::path(outDir) / name, std::ios::binary);
        out.write(reinterpret_cast<const char *>(jpeg.data()), 2); // SOI
        out.write(exif.data(), std::streamsize(exif.size()));
        out.write(reinterpret_cast<const char *>(jpeg.data()) + 2, std::streamsize(jpeg.size() - 2));
        if (!out) {
            std::cerr << "cannot write " << name << "\n";
            return 1;
        }
        totalBytes += int64_t(jpeg.size() + exif.size());
        totalPixels += int64_t(width) * height;
        std::cerr << name << " " << width << "x" << height << " from "
                  << fs::path(sourcePath).filename().string() << " zoom " << zoom << ", "
                  << (jpeg.size() + exif.size()) / 1024 << " KiB\n";
    }
    std::printf("{\"photos\":%d,\"megabytes\":%.1f,\"megapixels\":%.1f,\"bits_per_pixel\":%.2f}\n", count,
                totalBytes / 1e6, totalPixels / 1e6, 8.0 * double(totalBytes) / double(totalPixels));
    return 0;
}

// ---------------------------------------------------------------------------------------------------
// run

struct StageTimes {
    double read = 0, decode = 0, exif = 0, preprocess = 0; // thread CPU seconds, summed over photos
};

struct Pass {
    double seconds = 0;
    StageTimes stages;
    std::vector<double> photoCpu; // thread CPU seconds of each photo, all stages
};

// The frame size from a JPEG's SOFn segment ("?" when not found): the photos' sizes, for the figures.
std::string jpegSize(const std::vector<uint8_t> &b)
{
    size_t pos = 2;
    while (pos + 9 <= b.size()) {
        if (b[pos] != 0xFF || b[pos + 1] == 0xFF) {
            ++pos;
            continue;
        }
        const uint8_t marker = b[pos + 1];
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            return std::to_string((b[pos + 7] << 8) | b[pos + 8]) + "x" +
                   std::to_string((b[pos + 5] << 8) | b[pos + 6]);
        }
        pos += 2 + size_t((b[pos + 2] << 8) | b[pos + 3]);
    }
    return "?";
}

// One pass over all photos with `threads` workers taking the next photo from a shared counter, as the
// indexer's decode workers do: read the file, decode it, read its EXIF, preprocess it.
Pass runPass(const std::vector<std::string> &paths, const DecodeOptions &options,
             const PreprocessConfig &config, int threads)
{
    std::atomic<size_t> next{0};
    std::vector<StageTimes> perThread(static_cast<size_t>(threads));
    std::vector<double> sinks(static_cast<size_t>(threads), 0.0);
    std::vector<double> photoCpu(paths.size(), 0.0);
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            StageTimes &times = perThread[size_t(t)];
            for (size_t i = next++; i < paths.size(); i = next++) {
                const double t0 = threadCpuSeconds();
                const std::vector<uint8_t> bytes = readFileBytes(paths[i]);
                const double t1 = threadCpuSeconds();
                const Image8 image = decodeImageBytes(bytes.data(), bytes.size(), paths[i], options);
                const double t2 = threadCpuSeconds();
                const ExifInfo exif = readExif(bytes.data(), bytes.size());
                const double t3 = threadCpuSeconds();
                const FloatArray pixels = preprocessImage(image, config);
                const double t4 = threadCpuSeconds();
                times.read += t1 - t0;
                times.decode += t2 - t1;
                times.exif += t3 - t2;
                times.preprocess += t4 - t3;
                photoCpu[i] = t4 - t0;
                sinks[size_t(t)] += double(pixels.data[0]) + double(exif.dateTimeOriginal.size());
            }
        });
    }
    for (std::thread &worker : workers)
        worker.join();
    Pass pass;
    pass.seconds = secondsSince(start);
    pass.photoCpu = std::move(photoCpu);
    for (const StageTimes &s : perThread) {
        pass.stages.read += s.read;
        pass.stages.decode += s.decode;
        pass.stages.exif += s.exif;
        pass.stages.preprocess += s.preprocess;
    }
    double sink = 0;
    for (double s : sinks)
        sink += s;
    if (std::isnan(sink))
        std::cerr << "(nan)\n";
    return pass;
}

int runBenchmark(const std::string &folder, const std::vector<int> &threadCounts, int rounds, int size,
                 bool mallocKeep)
{
    if (mallocKeep) {
#ifdef __GLIBC__
        // Keep large blocks in the heap instead of fresh mmap()s (above glibc's 32 MB ceiling for its
        // adaptive threshold every decoded photo is one), so that their pages are not faulted in and
        // zeroed again for every photo. A process-wide choice, for the application to make.
        mallopt(M_MMAP_THRESHOLD, 512 << 20);
        mallopt(M_TRIM_THRESHOLD, 1024 << 20);
#else
        std::cerr << "--malloc-keep needs glibc\n";
        return 2;
#endif
    }
    const std::vector<std::string> paths = jpegsIn(folder);
    if (paths.empty()) {
        std::cerr << "no JPEGs in " << folder << "\n";
        return 1;
    }
    PreprocessConfig config; // CLIP's mean and std
    config.imageSize = size;
    int64_t bytes = 0;
    for (const std::string &p : paths)
        bytes += int64_t(fs::file_size(p));
    std::vector<std::string> photoSizes; // "WxH" of each photo as stored
    {
        // Warm the page cache (the figures are for photos already in memory), and describe the photos.
        std::map<std::string, int> sizes;
        for (const std::string &p : paths) {
            photoSizes.push_back(jpegSize(readFileBytes(p)));
            ++sizes[photoSizes.back()];
        }
        std::string sizeList;
        for (const auto &[wh, n] : sizes) {
            char item[64];
            std::snprintf(item, sizeof item, "%s\"%s\":%d", sizeList.empty() ? "" : ",", wh.c_str(), n);
            sizeList += item;
        }
        std::printf("{\"folder\":\"%s\",\"photos\":%zu,\"megabytes\":%.1f,\"sizes\":{%s},\"cores\":%u,"
                    "\"malloc_keep\":%s,\"loadavg_before\":\"%s\"}\n",
                    folder.c_str(), paths.size(), bytes / 1e6, sizeList.c_str(),
                    std::thread::hardware_concurrency(), mallocKeep ? "true" : "false",
                    loadAverage().c_str());
    }

    for (int minSide : {0, size}) {
        DecodeOptions options;
        options.reducedDecodeMinSide = minSide;
        for (int threads : threadCounts) {
            std::vector<double> rates;
            Pass best;
            for (int r = 0; r < rounds; ++r) {
                const Pass pass = runPass(paths, options, config, threads);
                rates.push_back(double(paths.size()) / pass.seconds);
                if (r == 0 || pass.seconds < best.seconds)
                    best = pass;
            }
            std::sort(rates.begin(), rates.end());
            const double n = double(paths.size());
            const StageTimes &st = best.stages;
            const double cpuPerPhoto = (st.read + st.decode + st.exif + st.preprocess) / n;
            // Of the cores this pass could use, the share it got (low when other processes compete).
            const double share = cpuPerPhoto * n / (best.seconds * threads);
            std::printf(
                "{\"decode\":\"%s\",\"threads\":%d,\"rounds\":%d,\"photos_per_s_best\":%.2f,"
                "\"photos_per_s_median\":%.2f,\"photos_per_s_worst\":%.2f,\"cpu_share_best\":%.2f,"
                "\"cpu_ms_per_photo\":{\"read\":%.2f,\"decode\":%.2f,\"exif\":%.3f,\"preprocess\":%.2f,"
                "\"total\":%.2f},\"photos_per_cpu_s\":%.2f,\"loadavg\":\"%s\"}\n",
                minSide == 0 ? "full" : "reduced", threads, rounds, rates.back(), rates[rates.size() / 2],
                rates.front(), share, 1e3 * st.read / n, 1e3 * st.decode / n, 1e3 * st.exif / n,
                1e3 * st.preprocess / n, 1e3 * cpuPerPhoto, 1.0 / cpuPerPhoto, loadAverage().c_str());
            // CPU time per photo by stored size, from the fastest round.
            std::map<std::string, std::pair<double, int>> bySize;
            for (size_t i = 0; i < paths.size(); ++i) {
                bySize[photoSizes[i]].first += best.photoCpu[i];
                ++bySize[photoSizes[i]].second;
            }
            std::string perSize;
            for (const auto &[wh, sum] : bySize) {
                char item[96];
                std::snprintf(item, sizeof item, "%s\"%s\":%.2f", perSize.empty() ? "" : ",", wh.c_str(),
                              1e3 * sum.first / sum.second);
                perSize += item;
            }
            std::printf("{\"decode\":\"%s\",\"threads\":%d,\"cpu_ms_per_photo_by_size\":{%s}}\n",
                        minSide == 0 ? "full" : "reduced", threads, perSize.c_str());
            std::fflush(stdout);
        }
    }

    // What the model sees: the preprocessed tensors from full and from reduced decoding.
    DecodeOptions reduced;
    reduced.reducedDecodeMinSide = size;
    double maxAbs = 0, sumAbs = 0, worstMean = 0, maxLevels = 0, minCosine = 1;
    size_t count = 0;
    std::string worstPhoto;
    for (const std::string &path : paths) {
        const FloatArray a = preprocessImage(decodeImage(path), config);
        const FloatArray b = preprocessImage(decodeImage(path, reduced), config);
        if (a.data.size() != b.data.size())
            throw Error(path + ": tensor sizes differ");
        const size_t plane = a.data.size() / 3;
        double photoSum = 0, dot = 0, normA = 0, normB = 0;
        for (size_t k = 0; k < a.data.size(); ++k) {
            const double d = std::abs(double(a.data[k]) - double(b.data[k]));
            maxAbs = std::max(maxAbs, d);
            // Back to 8-bit levels: normalised = (v / 255 - mean) / std.
            maxLevels = std::max(maxLevels, d * double(config.std[k / plane]) * 255.0);
            photoSum += d;
            dot += double(a.data[k]) * b.data[k];
            normA += double(a.data[k]) * a.data[k];
            normB += double(b.data[k]) * b.data[k];
        }
        sumAbs += photoSum;
        count += a.data.size();
        const double photoMean = photoSum / double(a.data.size());
        if (photoMean > worstMean) {
            worstMean = photoMean;
            worstPhoto = fs::path(path).filename().string();
        }
        minCosine = std::min(minCosine, dot / std::sqrt(normA * normB));
    }
    std::printf("{\"tensor_difference\":\"full vs reduced decode, [3,%d,%d] normalised\",\"max_abs\":%.4f,"
                "\"max_abs_8bit_levels\":%.2f,\"mean_abs\":%.5f,\"worst_photo_mean_abs\":%.5f,"
                "\"worst_photo\":\"%s\",\"min_cosine\":%.6f}\n",
                size, size, maxAbs, maxLevels, sumAbs / double(count), worstMean, worstPhoto.c_str(),
                minCosine);
    return 0;
}

std::vector<int> parseList(const std::string &text)
{
    std::vector<int> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        out.push_back(std::stoi(item));
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::cerr << "usage: bench_decode make-photos --sources DIR --out DIR [--count 48] [--seed 1] "
                     "[--noise 8]\n"
                     "       bench_decode run --folder DIR [--threads 1,2] [--rounds 3] [--size 224] "
                     "[--malloc-keep 0|1]\n";
        return 2;
    }
    const std::string command = argv[1];
    std::string sources, out, folder;
    std::vector<int> threads{1, 2};
    int count = 48, rounds = 3, size = 224;
    unsigned seed = 1;
    bool mallocKeep = false;
    double noise = 8.0;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--sources")
            sources = value;
        else if (flag == "--out")
            out = value;
        else if (flag == "--folder")
            folder = value;
        else if (flag == "--count")
            count = std::stoi(value);
        else if (flag == "--seed")
            seed = unsigned(std::stoul(value));
        else if (flag == "--noise")
            noise = std::stod(value);
        else if (flag == "--threads")
            threads = parseList(value);
        else if (flag == "--rounds")
            rounds = std::stoi(value);
        else if (flag == "--size")
            size = std::stoi(value);
        else if (flag == "--malloc-keep")
            mallocKeep = value == "1";
        else {
            std::cerr << "unknown flag " << flag << "\n";
            return 2;
        }
    }
    try {
        if (command == "make-photos" && !sources.empty() && !out.empty())
            return makePhotos(sources, out, count, seed, noise);
        if (command == "run" && !folder.empty() && rounds > 0 && !threads.empty())
            return runBenchmark(folder, threads, rounds, size, mallocKeep);
    } catch (const std::exception &e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    std::cerr << "bad arguments; run without any for the usage\n";
    return 2;
}
