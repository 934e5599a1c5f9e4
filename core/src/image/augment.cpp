// Training views. Each random step draws from its own stream derived from the sample's seed, so turning
// one step off leaves the others' draws unchanged, and a view never depends on thread timing. The
// generator is our own (splitmix64): std:: distributions differ between standard libraries.

#include "lodestone/augment.h"

#include "lodestone/error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace lodestone {

namespace {

uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

class Rng {
public:
    explicit Rng(uint64_t seed)
        : m_state(seed)
    {}
    uint64_t next()
    {
        m_state += 0x9e3779b97f4a7c15ull;
        return splitmix64(m_state);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    int64_t integer(int64_t lo, int64_t hi)
    { // [lo, hi]
        return lo + int64_t(next() % uint64_t(hi - lo + 1));
    }

private:
    uint64_t m_state;
};

// Streams of one view, one per step.
enum Stream : uint64_t { CropStream = 1, RotateStream, FlipStream, BlurStream, ColourStream };

Rng streamRng(uint64_t seed, Stream stream)
{
    return Rng(splitmix64(seed ^ splitmix64(stream)));
}

struct CropBox {
    int x = 0, y = 0, width = 0, height = 0;
};

// torchvision's RandomResizedCrop.get_params with scale [scaleMin, 1] and ratio [3/4, 4/3].
CropBox randomResizedCrop(int width, int height, double scaleMin, Rng &rng)
{
    const double area = double(width) * double(height);
    const double logLo = std::log(3.0 / 4.0);
    const double logHi = std::log(4.0 / 3.0);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * rng.uniform(scaleMin, 1.0);
        const double aspect = std::exp(rng.uniform(logLo, logHi));
        const int w = int(std::lround(std::sqrt(target * aspect)));
        const int h = int(std::lround(std::sqrt(target / aspect)));
        if (w > 0 && h > 0 && w <= width && h <= height) {
            const int y = int(rng.integer(0, height - h));
            const int x = int(rng.integer(0, width - w));
            return {x, y, w, h};
        }
    }
    // Fallback: the largest centred box within the aspect range.
    const double ratio = double(width) / double(height);
    int w = width;
    int h = height;
    if (ratio < 3.0 / 4.0)
        h = std::max(1, int(std::lround(w / (3.0 / 4.0))));
    else if (ratio > 4.0 / 3.0)
        w = std::max(1, int(std::lround(h * (4.0 / 3.0))));
    w = std::min(w, width);
    h = std::min(h, height);
    return {(width - w) / 2, (height - h) / 2, w, h};
}

Image8 cropImage(const Image8 &image, const CropBox &box)
{
    Image8 out;
    out.width = box.width;
    out.height = box.height;
    out.channels = image.channels;
    const size_t rowBytes = size_t(box.width) * size_t(image.channels);
    out.pixels.resize(rowBytes * size_t(box.height));
    for (int y = 0; y < box.height; ++y) {
        const uint8_t *src = image.pixels.data() + (size_t(box.y + y) * size_t(image.width) + size_t(box.x)) *
                                                       size_t(image.channels);
        std::copy(src, src + rowBytes, out.pixels.data() + size_t(y) * rowBytes);
    }
    return out;
}

bool isWordByte(char c)
{
    return std::isalnum(uint8_t(c)) || uint8_t(c) >= 0x80;
}

// Calls f(begin, length) for each maximal run of word bytes.
template <typename F>
void forEachWord(const std::string &s, F f)
{
    size_t i = 0;
    while (i < s.size()) {
        if (!isWordByte(s[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < s.size() && isWordByte(s[j]))
            ++j;
        f(i, j - i);
        i = j;
    }
}

std::string lower(std::string s)
{
    for (char &c : s)
        c = char(std::tolower(uint8_t(c)));
    return s;
}

// `replacement` spelled in the case pattern of `original` (lower, Capitalised or UPPER).
std::string matchCase(const std::string &original, std::string replacement)
{
    const bool allUpper =
        std::all_of(original.begin(), original.end(), [](char c) { return std::isupper(uint8_t(c)); });
    if (allUpper && original.size() > 1) {
        for (char &c : replacement)
            c = char(std::toupper(uint8_t(c)));
    } else if (std::isupper(uint8_t(original[0]))) {
        replacement[0] = char(std::toupper(uint8_t(replacement[0])));
    }
    return replacement;
}

const std::set<std::string> &colourWords()
{
    static const std::set<std::string> words = {
        "red",          "green",         "blue",      "yellow",   "purple",   "orange",   "pink",
        "brown",        "black",         "white",     "grey",     "gray",     "violet",   "magenta",
        "cyan",         "teal",          "turquoise", "gold",     "golden",   "silver",   "beige",
        "maroon",       "navy",          "lime",      "olive",    "indigo",   "crimson",  "scarlet",
        "lavender",     "tan",           "khaki",     "amber",    "aqua",     "azure",    "coral",
        "cream",        "ivory",         "mauve",     "ochre",    "peach",    "plum",     "rust",
        "salmon",       "sepia",         "emerald",   "ruby",     "sapphire", "bronze",   "copper",
        "blond",        "blonde",        "ginger",    "auburn",   "redhead",  "reddish",  "greenish",
        "bluish",       "blueish",       "yellowish", "purplish", "pinkish",  "brownish", "greyish",
        "grayish",      "orangey",       "orangish",  "whitish",  "blackish", "colorful", "colourful",
        "multicolored", "multicoloured", "reds",      "greens",   "blues",    "yellows",  "purples",
        "oranges",      "pinks",         "browns",    "blacks",   "whites",   "greys",    "grays",
    };
    return words;
}

// Hue rotation by `degrees` around the grey axis (the matrix of CSS's hue-rotate filter, which keeps
// luminance): row-major 3x3 acting on linear RGB values in [0, 1].
std::array<float, 9> hueMatrix(double degrees)
{
    const double a = degrees * M_PI / 180.0;
    const double c = std::cos(a);
    const double s = std::sin(a);
    return {float(0.213 + c * 0.787 - s * 0.213), float(0.715 - c * 0.715 - s * 0.715),
            float(0.072 - c * 0.072 + s * 0.928), float(0.213 - c * 0.213 + s * 0.143),
            float(0.715 + c * 0.285 + s * 0.140), float(0.072 - c * 0.072 - s * 0.283),
            float(0.213 - c * 0.213 - s * 0.787), float(0.715 - c * 0.715 + s * 0.715),
            float(0.072 + c * 0.928 + s * 0.072)};
}

float clamp01(float v)
{
    return std::min(1.0f, std::max(0.0f, v));
}

} // namespace

uint64_t sampleSeed(uint64_t seed, int64_t epoch, uint64_t datasetIndex)
{
    return splitmix64(splitmix64(splitmix64(seed) ^ uint64_t(epoch)) ^ datasetIndex);
}

std::string mirrorCaption(const std::string &caption)
{
    std::string out;
    out.reserve(caption.size() + 8);
    size_t copied = 0;
    forEachWord(caption, [&](size_t begin, size_t length) {
        const std::string word = caption.substr(begin, length);
        const std::string low = lower(word);
        std::string swapped;
        if (low.rfind("left", 0) == 0 &&
            (low.size() == 4 || low == "leftmost" || low == "leftward" || low == "leftwards"))
            swapped = "right" + low.substr(4);
        else if (low.rfind("right", 0) == 0 &&
                 (low.size() == 5 || low == "rightmost" || low == "rightward" || low == "rightwards"))
            swapped = "left" + low.substr(5);
        if (swapped.empty())
            return;
        out.append(caption, copied, begin - copied);
        out += matchCase(word, swapped);
        copied = begin + length;
    });
    out.append(caption, copied, std::string::npos);
    return out;
}

bool captionNamesColour(const std::string &caption)
{
    bool found = false;
    forEachWord(caption, [&](size_t begin, size_t length) {
        if (!found && colourWords().count(lower(caption.substr(begin, length))))
            found = true;
    });
    return found;
}

AugmentedView augment(const Image8 &image, const std::string &caption, const PreprocessConfig &config,
                      const AugmentOptions &options, uint64_t seed)
{
    if (!options.enabled)
        return {preprocessImage(image, config), caption};
    // preprocessImage's checks, with its messages, before anything else touches the image.
    if (image.width <= 0 || image.height <= 0 || (image.channels != 3 && image.channels != 4) ||
        image.pixels.size() != size_t(image.width) * size_t(image.height) * size_t(image.channels)) {
        throw Error("augmenting: invalid image (" + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + "x" + std::to_string(image.channels) + ")");
    }
    const int n = config.imageSize;
    if (n <= 0 || n > 16384)
        throw Error("augmenting: image size " + std::to_string(n) + " is out of range");
    for (float s : config.std) {
        if (s == 0.0f || !std::isfinite(s))
            throw Error("augmenting: the normalisation std must be finite and non-zero");
    }

    AugmentedView view;
    view.caption = caption;

    // Crop, then the same resampling as inference (Pillow's antialiased bicubic), so that training views
    // and evaluation inputs differ by the augmentation only.
    Rng cropRng = streamRng(seed, CropStream);
    const double scaleMin = std::clamp(double(options.cropScaleMin), 0.01, 1.0);
    const CropBox box = randomResizedCrop(image.width, image.height, scaleMin, cropRng);
    const Image8 resized = resizeBicubicPillow(cropImage(image, box), n, n);

    cv::Mat rgb;
    {
        const cv::Mat wrapped(n, n, CV_8UC(resized.channels), const_cast<uint8_t *>(resized.pixels.data()));
        if (resized.channels == 4)
            cv::cvtColor(wrapped, rgb, cv::COLOR_RGBA2RGB); // drops alpha, colour kept straight
        else
            rgb = wrapped.clone();
    }

    Rng rotateRng = streamRng(seed, RotateStream);
    const double angle = options.rotationDegrees > 0.0f
                             ? rotateRng.uniform(-options.rotationDegrees, options.rotationDegrees)
                             : 0.0;
    if (angle != 0.0) {
        const cv::Mat rotation =
            cv::getRotationMatrix2D(cv::Point2f(float(n - 1) / 2.0f, float(n - 1) / 2.0f), angle, 1.0);
        cv::Mat rotated;
        cv::warpAffine(rgb, rotated, rotation, rgb.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        rgb = rotated;
    }

    Rng flipRng = streamRng(seed, FlipStream);
    if (flipRng.uniform() < 0.5 && options.horizontalFlip) {
        cv::flip(rgb, rgb, 1);
        view.caption = mirrorCaption(view.caption);
    }

    Rng blurRng = streamRng(seed, BlurStream);
    const bool blur = blurRng.uniform() < double(options.blurProbability);
    const double sigma = blurRng.uniform(0.1, 1.5) * std::max(1.0, n / 224.0);
    if (blur) {
        cv::Mat blurred;
        cv::GaussianBlur(rgb, blurred, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
        rgb = blurred;
    }
    if (rgb.empty() || rgb.type() != CV_8UC3 || !rgb.isContinuous())
        throw Error("augmenting: unexpected intermediate image");

    Rng colourRng = streamRng(seed, ColourStream);
    const double brightness = 1.0 + colourRng.uniform(-1.0, 1.0) * std::max(0.0f, options.brightness);
    const double contrast = 1.0 + colourRng.uniform(-1.0, 1.0) * std::max(0.0f, options.contrast);
    const double hue = colourRng.uniform(-1.0, 1.0) * std::max(0.0f, options.hueShiftDegrees);
    const bool shiftHue = hue != 0.0 && !captionNamesColour(caption);

    // Colour in float [0, 1], clamped after each step as torchvision's ColorJitter does.
    const size_t plane = size_t(n) * size_t(n);
    std::vector<float> rgbf(plane * 3);
    const uint8_t *src = rgb.ptr<uint8_t>(0);
    const float b = float(brightness);
    double greySum = 0.0;
    for (size_t i = 0; i < plane; ++i) {
        for (size_t c = 0; c < 3; ++c)
            rgbf[i * 3 + c] =
                b == 1.0f ? float(src[i * 3 + c]) / 255.0f : clamp01(float(src[i * 3 + c]) / 255.0f * b);
        greySum += 0.299 * rgbf[i * 3] + 0.587 * rgbf[i * 3 + 1] + 0.114 * rgbf[i * 3 + 2];
    }
    if (contrast != 1.0) {
        const float mean = float(greySum / double(plane));
        const float k = float(contrast);
        for (float &v : rgbf)
            v = clamp01((v - mean) * k + mean);
    }
    if (shiftHue) {
        const std::array<float, 9> m = hueMatrix(hue);
        for (size_t i = 0; i < plane; ++i) {
            const float r = rgbf[i * 3], g = rgbf[i * 3 + 1], bl = rgbf[i * 3 + 2];
            rgbf[i * 3] = clamp01(m[0] * r + m[1] * g + m[2] * bl);
            rgbf[i * 3 + 1] = clamp01(m[3] * r + m[4] * g + m[5] * bl);
            rgbf[i * 3 + 2] = clamp01(m[6] * r + m[7] * g + m[8] * bl);
        }
    }

    view.pixels = FloatArray({3, n, n});
    for (size_t c = 0; c < 3; ++c) {
        const float mean = config.mean[c];
        const float std = config.std[c];
        float *dst = view.pixels.data.data() + c * plane;
        for (size_t i = 0; i < plane; ++i)
            dst[i] = (rgbf[i * 3 + c] - mean) / std;
    }
    return view;
}

} // namespace lodestone
