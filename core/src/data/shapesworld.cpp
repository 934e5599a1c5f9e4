#include "lodestone/shapesworld.h"

#include "data/csvreader.h"
#include "io/fileio.h"
#include "lodestone/error.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <numbers>
#include <sstream>
#include <thread>

namespace lodestone {

namespace {

namespace fs = std::filesystem;

// Reference colours (RGB), saturated and far apart; each object gets a small jitter around them.
struct ColourDef {
    const char *name;
    std::array<int, 3> rgb;
};
constexpr std::array<ColourDef, 6> kColours{{
    {"red", {215, 35, 35}},
    {"green", {40, 165, 55}},
    {"blue", {35, 80, 220}},
    {"yellow", {240, 215, 35}},
    {"purple", {140, 55, 185}},
    {"orange", {245, 135, 25}},
}};
constexpr std::array<const char *, 5> kShapes{"circle", "square", "triangle", "star", "hexagon"};
constexpr std::array<const char *, 2> kSizes{"small", "large"};

// Circumradius of each shape (kShapes' order) relative to a square's of the same area: sqrt(2 / a), where
// a·R² is the shape's area at circumradius R (circle drawn at 0.9·R: 2.545; square 2; triangle 1.299;
// five-pointed star with inner radius R/2: 1.469; hexagon 2.598). "Small" and "large" then mean the same
// area whatever the shape, and area says nothing about shape: drawn at one circumradius, triangles were
// half the area of hexagons, and a model learnt "triangle" as "less colour" instead of learning corners.
constexpr std::array<double, 5> kEqualAreaScale{0.8865, 1.0, 1.2408, 1.1666, 0.8774};
constexpr std::array<const char *, 4> kRelations{"left of", "right of", "above", "below"};

// Neutral backgrounds: none of them shares a name with an object colour, so a caption that mentions the
// background never names a colour that is not an object's.
struct BackgroundDef {
    const char *name;
    int low;
    int high;
};
constexpr std::array<BackgroundDef, 5> kBackgrounds{{
    {"white", 232, 250},
    {"light grey", 188, 212},
    {"grey", 125, 155},
    {"dark grey", 58, 85},
    {"black", 8, 32},
}};

constexpr int kKindSingle = 0, kKindCount = 1, kKindRelation = 2;
constexpr std::array<const char *, 3> kKinds{"single", "count", "relation"};

// splitmix64 seeds xoshiro256**: small, fast, and the same sequence on every platform and standard
// library (std::uniform_*_distribution is not), which the byte-for-byte determinism needs.
uint64_t splitmix64(uint64_t &x)
{
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Rng {
public:
    Rng(uint64_t seed, uint64_t stream, uint64_t index)
    {
        uint64_t x = seed;
        x = splitmix64(x) ^ (stream * 0xD1B54A32D192ED03ull);
        x = splitmix64(x) ^ (index * 0xA24BAED4963EE407ull);
        for (uint64_t &s : m_s)
            s = splitmix64(x);
    }

    uint64_t next()
    {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    // [0, 1)
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    // [0, n)
    int below(int n) { return int(uniform() * n); }
    // [a, b]
    int between(int a, int b) { return a + below(b - a + 1); }
    bool chance(double p) { return uniform() < p; }
    // Index drawn with the given weights.
    template <size_t N>
    int weighted(const std::array<double, N> &weights)
    {
        double total = 0;
        for (double w : weights)
            total += w;
        double u = uniform() * total;
        for (size_t i = 0; i < N; ++i) {
            if (u < weights[i])
                return int(i);
            u -= weights[i];
        }
        return int(N - 1);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<uint64_t, 4> m_s{};
};

struct Object {
    int colour = 0;
    int shape = 0;
    double x = 0, y = 0; // centre, pixels
    double radius = 0;   // circumradius, pixels
    double rotation = 0; // radians
    std::array<int, 3> rgb{};
};

struct Scene {
    int kind = kKindSingle;
    int size = 0;
    int relation = -1; // objects[0] RELATION objects[1]
    std::vector<Object> objects;
    bool heldOut = false;
};

// One generated image before encoding: its CSV rows.
struct Record {
    std::string caption;
    std::string labelRow;
    std::string objectRows;
    bool heldOut = false;
};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string trimmed(const std::string &s)
{
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

int indexOf(const std::vector<std::string> &names, const std::string &name)
{
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : int(it - names.begin());
}

std::string withArticle(const std::string &phrase)
{
    const bool vowel = !phrase.empty() && std::strchr("aeiou", phrase[0]) != nullptr;
    return (vowel ? "an " : "a ") + phrase;
}

std::string plural(const std::string &shape)
{
    return shape + "s";
}

std::string numberWord(int n)
{
    static const char *words[] = {"zero", "one", "two", "three", "four", "five"};
    return n >= 0 && n <= 5 ? words[n] : std::to_string(n);
}

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos &&
        (s.empty() || (s.front() != ' ' && s.back() != ' ')))
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string formatNumber(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// ---------------------------------------------------------------------------------------------------------
// Scene layout

// The radius the layout reserves for an object: the circumradius of the widest-reaching shape (the
// triangle) of the same area, whatever the object's own shape. Which scenes fit, and so which shrink,
// then says nothing of shape: laid out by their own circumradii, triangles shrank in crowded scenes more
// than the rest and came out 14 % under their size's mean area (in tst_shapesworld's world).
double footprint(const Object &o)
{
    constexpr double kWidest = *std::max_element(kEqualAreaScale.begin(), kEqualAreaScale.end());
    return o.radius / kEqualAreaScale[size_t(o.shape)] * kWidest;
}

bool overlaps(const Object &a, const Object &b, double gap)
{
    return std::hypot(a.x - b.x, a.y - b.y) < footprint(a) + footprint(b) + gap;
}

// How far off the relation's axis the second object may be, as a fraction of the distance along it
// (tan 19 degrees): "left of" then never reads as "above" as well.
constexpr double kOffAxis = 0.35;

// Whether a's position truly satisfies "a RELATION b", unambiguously: apart along the relation's axis by
// more than both footprints and the gap, and off that axis by at most kOffAxis of the distance along it.
bool satisfies(const Object &a, int relation, const Object &b, double gap)
{
    const double dx = b.x - a.x, dy = b.y - a.y; // from a to b; image y points down
    const double along = relation == 0 ? dx : relation == 1 ? -dx : relation == 2 ? dy : -dy;
    const double across = relation <= 1 ? dy : dx;
    return along >= footprint(a) + footprint(b) + gap && std::abs(across) <= kOffAxis * along;
}

// Places the objects (radii set) inside the image without overlaps, the first RELATION the second when a
// relation is given. Radii shrink a little after many failed tries, never below `minRadius` (a square's;
// other shapes keep their equal-area scale).
void place(std::vector<Object> &objects, int relation, double imageSize, double minRadius, Rng &rng)
{
    const double margin = std::max(1.0, imageSize * 0.02);
    const double gap = std::max(2.0, imageSize * 0.04);
    for (int round = 0; round < 200; ++round) {
        for (int attempt = 0; attempt < 200; ++attempt) {
            if (relation >= 0) {
                // Drawn directly inside the relation: the distance along its axis first, then the offset
                // across it, then where the pair sits. "lo" is the object with the smaller coordinate.
                const bool subjectFirst = relation == 0 || relation == 2;
                Object &lo = subjectFirst ? objects[0] : objects[1];
                Object &hi = subjectFirst ? objects[1] : objects[0];
                const bool horizontal = relation <= 1;
                const double loReach = footprint(lo), hiReach = footprint(hi);
                const double low = loReach + hiReach + gap;
                const double high = imageSize - 2 * margin - loReach - hiReach;
                if (high < low)
                    break;
                const double along = rng.uniform(low, high);
                const double across = rng.uniform(-kOffAxis, kOffAxis) * along;
                const double loAlong = rng.uniform(loReach + margin, imageSize - margin - hiReach - along);
                const double minAcross = std::max(loReach + margin, hiReach + margin - across);
                const double maxAcross =
                    std::min(imageSize - loReach - margin, imageSize - hiReach - margin - across);
                if (maxAcross < minAcross)
                    continue;
                const double loAcross = rng.uniform(minAcross, maxAcross);
                (horizontal ? lo.x : lo.y) = loAlong;
                (horizontal ? lo.y : lo.x) = loAcross;
                (horizontal ? hi.x : hi.y) = loAlong + along;
                (horizontal ? hi.y : hi.x) = loAcross + across;
            } else {
                for (Object &o : objects) {
                    const double reach = footprint(o);
                    o.x = rng.uniform(reach + margin, imageSize - reach - margin);
                    o.y = rng.uniform(reach + margin, imageSize - reach - margin);
                }
            }
            bool ok = true;
            for (size_t i = 0; i < objects.size() && ok; ++i)
                for (size_t j = i + 1; j < objects.size() && ok; ++j)
                    ok = !overlaps(objects[i], objects[j], gap);
            if (ok && relation >= 0)
                ok = satisfies(objects[0], relation, objects[1], gap);
            if (ok)
                return;
        }
        for (Object &o : objects)
            o.radius = std::max(minRadius * kEqualAreaScale[size_t(o.shape)], o.radius * 0.95);
    }
    throw Error("shapes world: cannot place " + std::to_string(objects.size()) + " objects in a " +
                std::to_string(int(imageSize)) + " px image");
}

// ---------------------------------------------------------------------------------------------------------
// Drawing

cv::Point fixedPoint(double x, double y)
{
    constexpr double kScale = 16; // 4 fractional bits (shift = 4)
    return {int(std::lround(x * kScale)), int(std::lround(y * kScale))};
}

void drawObject(cv::Mat &image, const Object &o)
{
    const cv::Scalar colour(o.rgb[2], o.rgb[1], o.rgb[0]); // BGR
    constexpr int kShift = 4;
    std::vector<cv::Point> points;
    auto polygon = [&](int corners, double innerRatio, double rotation, double radius) {
        const int n = innerRatio > 0 ? corners * 2 : corners;
        for (int i = 0; i < n; ++i) {
            const double r = (innerRatio > 0 && i % 2 == 1) ? radius * innerRatio : radius;
            const double a = rotation - std::numbers::pi / 2 + 2 * std::numbers::pi * i / n;
            points.push_back(fixedPoint(o.x + r * std::cos(a), o.y + r * std::sin(a)));
        }
    };
    switch (o.shape) {
    case 0: // circle
        cv::circle(image, fixedPoint(o.x, o.y), int(std::lround(o.radius * 0.9 * 16)), colour, cv::FILLED,
                   cv::LINE_AA, kShift);
        return;
    case 1:
        polygon(4, 0, o.rotation + std::numbers::pi / 4, o.radius);
        break; // square
    case 2:
        polygon(3, 0, o.rotation, o.radius);
        break; // triangle, pointing up
    case 3:
        polygon(5, 0.5, o.rotation, o.radius);
        break; // five-pointed star
    case 4:
        polygon(6, 0, o.rotation, o.radius);
        break; // hexagon
    }
    cv::fillPoly(image, std::vector<std::vector<cv::Point>>{points}, colour, cv::LINE_AA, kShift);
}

// Fills the background; returns the name a caption may mention, or "" when it is not a plain colour.
std::string drawBackground(cv::Mat &image, Rng &rng)
{
    const int size = image.rows;
    const int style = rng.weighted(std::array<double, 3>{0.5, 0.3, 0.2}); // plain, gradient, noisy plain
    auto neutral = [&](const BackgroundDef &def) {
        const int level = rng.between(def.low, def.high);
        std::array<int, 3> bgr;
        for (int &c : bgr)
            c = std::clamp(level + rng.between(-6, 6), 0, 255);
        return bgr;
    };
    const int first = rng.below(int(kBackgrounds.size()));
    const std::array<int, 3> a = neutral(kBackgrounds[size_t(first)]);
    std::string name;
    if (style == 1) {
        int second = rng.below(int(kBackgrounds.size()) - 1);
        second += second >= first ? 1 : 0;
        const std::array<int, 3> b = neutral(kBackgrounds[size_t(second)]);
        const double angle = rng.uniform(0, 2 * std::numbers::pi);
        const double cx = std::cos(angle), cy = std::sin(angle);
        const double half = 0.5 * (size - 1) * (std::abs(cx) + std::abs(cy));
        for (int y = 0; y < size; ++y) {
            auto *row = image.ptr<uint8_t>(y);
            for (int x = 0; x < size; ++x) {
                const double t = std::clamp(
                    0.5 + ((x - 0.5 * (size - 1)) * cx + (y - 0.5 * (size - 1)) * cy) / (2 * half), 0.0, 1.0);
                for (int c = 0; c < 3; ++c)
                    row[3 * x + c] = uint8_t(std::lround(a[size_t(c)] + t * (b[size_t(c)] - a[size_t(c)])));
            }
        }
        name = "gradient";
    } else {
        image.setTo(cv::Scalar(a[0], a[1], a[2]));
        name = style == 0 ? kBackgrounds[size_t(first)].name : "";
    }
    if (style == 2) {
        const int amplitude = rng.between(4, 12);
        for (int y = 0; y < size; ++y) {
            auto *row = image.ptr<uint8_t>(y);
            for (int i = 0; i < 3 * size; ++i)
                row[i] = uint8_t(std::clamp(int(row[i]) + rng.between(-amplitude, amplitude), 0, 255));
        }
    }
    return name;
}

// ---------------------------------------------------------------------------------------------------------
// Captions: always truthful, always naming every labelled colour and shape.

std::string objectPhrase(const Object &o, const std::string &size)
{
    return (size.empty() ? "" : size + " ") + kColours[size_t(o.colour)].name + " " +
           kShapes[size_t(o.shape)];
}

std::string backgroundSuffix(const std::string &background, Rng &rng)
{
    if (background.empty() || !rng.chance(0.25))
        return {};
    return " on " + withArticle(background + " background");
}

std::string caption(const Scene &scene, const std::string &background, Rng &rng)
{
    const std::string size = rng.chance(0.4) ? kSizes[size_t(scene.size)] : "";
    const Object &a = scene.objects[0];
    if (scene.kind == kKindSingle) {
        static const std::array<const char *, 6> leads{
            "", "a photo of ", "a picture of ", "an image of ", "a drawing of ", "one"};
        const int lead = rng.weighted(std::array<double, 6>{3, 3, 1, 1, 1, 1});
        const std::string phrase = objectPhrase(a, size);
        const std::string body =
            lead == 5 ? "one " + phrase : std::string(leads[size_t(lead)]) + withArticle(phrase);
        return body + backgroundSuffix(background, rng);
    }
    if (scene.kind == kKindCount) {
        const std::string n = numberWord(int(scene.objects.size()));
        const std::string colour = kColours[size_t(a.colour)].name;
        const std::string shapes = plural(kShapes[size_t(a.shape)]);
        const std::string many = n + " " + (size.empty() ? "" : size + " ") + colour + " " + shapes;
        std::string body;
        switch (rng.weighted(std::array<double, 5>{3, 3, 1, 1, 1})) {
        case 0:
            body = many;
            break;
        case 1:
            body = "a photo of " + many;
            break;
        case 2:
            body = "a picture of " + many;
            break;
        case 3:
            body = "there are " + many;
            break;
        case 4:
            body = n + " " + (size.empty() ? "" : size + " ") + shapes + ", all " + colour;
            break;
        }
        return body + backgroundSuffix(background, rng);
    }
    // Relation: sometimes said from the other object's side ("a green star right of a red circle").
    static const std::array<std::array<const char *, 3>, 4> phrases{{
        {"left of", "to the left of", "on the left of"},
        {"right of", "to the right of", "on the right of"},
        {"above", "above", "over"},
        {"below", "under", "beneath"},
    }};
    static const std::array<int, 4> inverse{1, 0, 3, 2};
    const bool swap = rng.chance(0.3);
    const Object &first = swap ? scene.objects[1] : a;
    const Object &second = swap ? a : scene.objects[1];
    const int relation = swap ? inverse[size_t(scene.relation)] : scene.relation;
    const int variant = rng.weighted(std::array<double, 3>{4, 2, 1});
    const std::string rel = phrases[size_t(relation)][size_t(variant)];
    const std::string x = withArticle(objectPhrase(first, size));
    const std::string y = withArticle(objectPhrase(second, size));
    std::string body;
    switch (rng.weighted(std::array<double, 4>{3, 3, 1, 1})) {
    case 0:
        body = x + " " + rel + " " + y;
        break;
    case 1:
        body = "a photo of " + x + " " + rel + " " + y;
        break;
    case 2:
        body = "a picture of " + x + " " + rel + " " + y;
        break;
    case 3:
        body = x + " is " + rel + " " + y;
        break;
    }
    return body + backgroundSuffix(background, rng);
}

// ---------------------------------------------------------------------------------------------------------
// PNG: 8-bit RGB, Paeth filter on every row, one zlib stream kept per worker thread. About twice as fast as
// cv::imencode on 64 px images (libpng's per-call set-up and adaptive filtering dominate there), and the
// bytes depend on zlib only, not on the OpenCV and libpng builds.

class PngWriter {
public:
    PngWriter()
    {
        if (deflateInit2(&m_zs, /*level=*/3, Z_DEFLATED, /*windowBits=*/15, /*memLevel=*/8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            throw Error("PNG encoder: zlib initialisation failed");
    }
    ~PngWriter() { deflateEnd(&m_zs); }
    PngWriter(const PngWriter &) = delete;
    PngWriter &operator=(const PngWriter &) = delete;

    // The PNG file of a BGR image, valid until the next call.
    const std::vector<uint8_t> &encode(const cv::Mat &bgr)
    {
        const int w = bgr.cols, h = bgr.rows;
        const size_t stride = size_t(w) * 3;
        m_raw.resize(size_t(h) * (stride + 1));
        m_prev.assign(stride, 0); // the row above the first is zeros
        m_cur.resize(stride);
        for (int y = 0; y < h; ++y) {
            const uint8_t *src = bgr.ptr<uint8_t>(y);
            for (int x = 0; x < w; ++x) {
                m_cur[size_t(3 * x)] = src[3 * x + 2];
                m_cur[size_t(3 * x + 1)] = src[3 * x + 1];
                m_cur[size_t(3 * x + 2)] = src[3 * x];
            }
            uint8_t *out = &m_raw[size_t(y) * (stride + 1)];
            *out++ = 4; // Paeth
            for (size_t i = 0; i < stride; ++i) {
                const int a = i >= 3 ? m_cur[i - 3] : 0, b = m_prev[i], c = i >= 3 ? m_prev[i - 3] : 0;
                const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
                const int predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                out[i] = uint8_t(m_cur[i] - predictor);
            }
            std::swap(m_prev, m_cur);
        }
        m_zipped.resize(deflateBound(&m_zs, uLong(m_raw.size())));
        deflateReset(&m_zs);
        m_zs.next_in = m_raw.data();
        m_zs.avail_in = uInt(m_raw.size());
        m_zs.next_out = m_zipped.data();
        m_zs.avail_out = uInt(m_zipped.size());
        if (deflate(&m_zs, Z_FINISH) != Z_STREAM_END)
            throw Error("PNG encoder: zlib compression failed");
        m_zipped.resize(m_zipped.size() - m_zs.avail_out);

        m_png.assign({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        const uint8_t header[13] = {uint8_t(w >> 24),
                                    uint8_t(w >> 16),
                                    uint8_t(w >> 8),
                                    uint8_t(w),
                                    uint8_t(h >> 24),
                                    uint8_t(h >> 16),
                                    uint8_t(h >> 8),
                                    uint8_t(h),
                                    /*bit depth=*/8,
                                    /*RGB=*/2,
                                    0,
                                    0,
                                    0};
        chunk("IHDR", header, sizeof header);
        chunk("IDAT", m_zipped.data(), m_zipped.size());
        chunk("IEND", nullptr, 0);
        return m_png;
    }

private:
    void put32(uint32_t v)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
            m_png.push_back(uint8_t(v >> shift));
    }
    void chunk(const char *type, const uint8_t *data, size_t size)
    {
        put32(uint32_t(size));
        const size_t start = m_png.size();
        m_png.insert(m_png.end(), type, type + 4);
        if (size > 0)
            m_png.insert(m_png.end(), data, data + size);
        put32(uint32_t(crc32(0, m_png.data() + start, uInt(m_png.size() - start))));
    }

    z_stream m_zs{};
    std::vector<uint8_t> m_prev, m_cur, m_raw, m_zipped, m_png;
};

// ---------------------------------------------------------------------------------------------------------
// One image

struct Plan {
    uint64_t seed = 0;
    int imageSize = 64;
    std::vector<ShapesComposition> holdout;
    std::vector<std::pair<int, int>> seen; // (colour, shape) allowed in train
    std::vector<std::pair<int, int>> held; // held-out (colour, shape)
    std::vector<std::pair<int, int>> all;  // every composition
};

std::pair<int, int> pick(const std::vector<std::pair<int, int>> &from, Rng &rng,
                         std::pair<int, int> avoid = {-1, -1})
{
    for (;;) {
        const std::pair<int, int> c = from[size_t(rng.below(int(from.size())))];
        if (c != avoid)
            return c;
    }
}

Scene makeScene(const Plan &plan, bool test, int index, Rng &rng)
{
    Scene scene;
    // In the test split, every other image (when there are held-out compositions) shows one as its
    // labelled object; all other objects and images use seen compositions only.
    scene.heldOut = test && !plan.held.empty() && index % 2 == 0;
    scene.kind = rng.weighted(std::array<double, 3>{0.5, 0.25, 0.25});
    const std::vector<std::pair<int, int>> &others = scene.heldOut ? plan.all : plan.seen;
    if (scene.kind == kKindRelation && others.size() < 2)
        scene.kind = kKindSingle;
    scene.size = rng.below(2);
    const std::pair<int, int> main = pick(scene.heldOut ? plan.held : plan.seen, rng);

    const double s = plan.imageSize;
    const int objects = scene.kind == kKindSingle ? 1 : scene.kind == kKindRelation ? 2 : rng.between(2, 3);
    // Size ranges, as a square's circumradius in fractions of the image side: small 0.13-0.16, large
    // 0.18-0.22 (0.92 of that when three must fit; never below 0.165 when crowded scenes shrink them).
    // They never meet, so small and large stay apart. Other shapes are scaled to the square's area
    // (kEqualAreaScale). Small is as small as a shape stays nameable at 64 px: a hexagon's corners stand
    // under a pixel beyond its circle of equal area, and at 0.085 (a 10 px hexagon) it was a round blob
    // that a trained model told from a circle at chance.
    const double crowd = objects == 3 ? 0.92 : 1.0;
    const double low = scene.size == 0 ? 0.13 : 0.18 * crowd, high = scene.size == 0 ? 0.16 : 0.22 * crowd;
    const double minRadius = s * (scene.size == 0 ? 0.11 : 0.165);
    const double radius = s * rng.uniform(low, high);
    std::pair<int, int> second = main;
    if (scene.kind == kKindRelation) {
        second = pick(others, rng, main);
        scene.relation = rng.below(4);
    }
    for (int i = 0; i < objects; ++i) {
        Object o;
        const std::pair<int, int> c = (scene.kind == kKindRelation && i == 1) ? second : main;
        o.colour = c.first;
        o.shape = c.second;
        // Identical objects in a count image; a touch of size variation between relation partners.
        o.radius = (scene.kind == kKindRelation ? s * rng.uniform(low, high) : radius) *
                   kEqualAreaScale[size_t(o.shape)];
        o.rotation =
            o.shape == 1 || o.shape == 2 ? rng.uniform(-0.3, 0.3) : rng.uniform(0, 2 * std::numbers::pi);
        scene.objects.push_back(o);
    }
    // Colour jitter: one per image for count images (identical objects), one per object otherwise.
    std::array<int, 3> jitter{};
    for (size_t i = 0; i < scene.objects.size(); ++i) {
        if (i == 0 || scene.kind != kKindCount) {
            const int brightness = rng.between(-12, 12);
            for (int &j : jitter)
                j = brightness + rng.between(-12, 12);
        }
        Object &o = scene.objects[i];
        for (size_t c = 0; c < 3; ++c)
            o.rgb[c] = std::clamp(kColours[size_t(o.colour)].rgb[c] + jitter[c], 0, 255);
    }
    place(scene.objects, scene.relation, s, minRadius, rng);
    return scene;
}

// Draws image `index` of a split, writes it under `splitDir` and returns its CSV rows.
Record makeImage(const Plan &plan, bool test, int index, const std::string &splitDir,
                 const std::string &relPath, PngWriter &pngWriter)
{
    Rng rng(plan.seed, test ? 2 : 1, uint64_t(index));
    const Scene scene = makeScene(plan, test, index, rng);
    cv::Mat image(plan.imageSize, plan.imageSize, CV_8UC3);
    const std::string background = drawBackground(image, rng);
    for (const Object &o : scene.objects)
        drawObject(image, o);

    const std::vector<uint8_t> &png = pngWriter.encode(image);
    const std::string path = splitDir + "/" + relPath;
    std::FILE *file = std::fopen(path.c_str(), "wb");
    if (!file)
        throw Error("cannot write '" + path + "': " + std::strerror(errno));
    const bool written = std::fwrite(png.data(), 1, png.size(), file) == png.size();
    if (std::fclose(file) != 0 || !written)
        throw Error("writing '" + path + "' failed: " + std::strerror(errno));

    Record record;
    record.heldOut = scene.heldOut;
    record.caption = csvField(relPath) + "," + csvField(caption(scene, background, rng)) + "\n";
    const Object &a = scene.objects[0];
    const bool relation = scene.kind == kKindRelation;
    record.labelRow = csvField(relPath) + "," + kKinds[size_t(scene.kind)] + "," +
                      kColours[size_t(a.colour)].name + "," + kShapes[size_t(a.shape)] + "," +
                      std::to_string(scene.objects.size()) + "," + kSizes[size_t(scene.size)] + "," +
                      csvField(relation ? kRelations[size_t(scene.relation)] : "") + "," +
                      (relation ? kColours[size_t(scene.objects[1].colour)].name : "") + "," +
                      (relation ? kShapes[size_t(scene.objects[1].shape)] : "") + "\n";
    for (size_t i = 0; i < scene.objects.size(); ++i) {
        const Object &o = scene.objects[i];
        record.objectRows += csvField(relPath) + "," + std::to_string(i) + "," +
                             kColours[size_t(o.colour)].name + "," + kShapes[size_t(o.shape)] + "," +
                             kSizes[size_t(scene.size)] + "," + formatNumber(o.x) + "," + formatNumber(o.y) +
                             "," + formatNumber(o.radius) + "\n";
    }
    return record;
}

void createFolder(const std::string &path)
{
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec)
        throw Error("cannot create folder '" + path + "': " + ec.message());
    if (!fs::is_directory(path, ec))
        throw Error("cannot create folder '" + path + "': a file of that name is in the way");
}

void writeText(const std::string &path, const std::string &text)
{
    writeFileAtomically(path, text.data(), text.size());
}

std::string imageName(int index, int total)
{
    const int digits = std::max(6, int(std::to_string(std::max(total - 1, 0)).size()));
    std::string number = std::to_string(index);
    return "images/" + std::string(size_t(std::max(0, digits - int(number.size()))), '0') + number + ".png";
}

void validate(const ShapesWorldOptions &options)
{
    if (options.trainCount < 1)
        throw Error("shapes world: the train count must be at least 1 (got " +
                    std::to_string(options.trainCount) + ")");
    if (options.testCount < -1)
        throw Error("shapes world: the test count must be 0 or more (got " +
                    std::to_string(options.testCount) + ")");
    if (options.imageSize < 16 || options.imageSize > 1024)
        throw Error("shapes world: the image size must be 16 to 1024 pixels (got " +
                    std::to_string(options.imageSize) + ")");
    if (options.threads < 0)
        throw Error("shapes world: the thread count must be 0 or more (got " +
                    std::to_string(options.threads) + ")");
}

} // namespace

const std::vector<std::string> &shapesColours()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const ColourDef &c : kColours)
            v.emplace_back(c.name);
        return v;
    }();
    return names;
}

const std::vector<std::string> &shapesShapes()
{
    static const std::vector<std::string> names(kShapes.begin(), kShapes.end());
    return names;
}

const std::vector<std::string> &shapesSizes()
{
    static const std::vector<std::string> names(kSizes.begin(), kSizes.end());
    return names;
}

const std::vector<std::string> &shapesRelations()
{
    static const std::vector<std::string> names(kRelations.begin(), kRelations.end());
    return names;
}

std::vector<ShapesComposition> parseHoldout(const std::string &text)
{
    std::vector<ShapesComposition> out;
    std::stringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
        item = lower(trimmed(item));
        if (item.empty())
            continue;
        const size_t colon = item.find(':');
        if (colon == std::string::npos)
            throw Error("holdout item '" + item + "' is not COLOUR:SHAPE (such as red:triangle)");
        const std::string colour = trimmed(item.substr(0, colon)), shape = trimmed(item.substr(colon + 1));
        if (indexOf(shapesColours(), colour) < 0)
            throw Error("holdout item '" + item + "': unknown colour '" + colour +
                        "' (known: " + joined(shapesColours()) + ")");
        if (indexOf(shapesShapes(), shape) < 0)
            throw Error("holdout item '" + item + "': unknown shape '" + shape +
                        "' (known: " + joined(shapesShapes()) + ")");
        const ShapesComposition c{colour, shape};
        if (std::find(out.begin(), out.end(), c) == out.end())
            out.push_back(c);
    }
    return out;
}

std::string formatHoldout(const std::vector<ShapesComposition> &holdout)
{
    std::string out;
    for (const ShapesComposition &c : holdout)
        out += (out.empty() ? "" : ",") + c.first + ":" + c.second;
    return out;
}

std::string shapesColourShapePrompt(const std::string &colour, const std::string &shape)
{
    return "a photo of " + withArticle(colour + " " + shape);
}

std::string shapesCountPrompt(int count, const std::string &colour, const std::string &shape)
{
    if (count == 1)
        return shapesColourShapePrompt(colour, shape);
    return "a photo of " + numberWord(count) + " " + colour + " " + plural(shape);
}

std::string shapesRelationPrompt(const std::string &colour, const std::string &shape,
                                 const std::string &relation, const std::string &colour2,
                                 const std::string &shape2)
{
    return "a photo of " + withArticle(colour + " " + shape) + " " + relation + " " +
           withArticle(colour2 + " " + shape2);
}

ShapesWorldSummary writeShapesWorld(const std::string &dir, const ShapesWorldOptions &options,
                                    const std::function<void(int done, int total)> &progress,
                                    const std::atomic<bool> *cancel)
{
    const auto started = std::chrono::steady_clock::now();
    validate(options);
    Plan plan;
    plan.seed = options.seed;
    plan.imageSize = options.imageSize;
    for (const ShapesComposition &c : options.holdout) {
        const int colour = indexOf(shapesColours(), c.first), shape = indexOf(shapesShapes(), c.second);
        if (colour < 0 || shape < 0)
            throw Error("shapes world: unknown held-out composition '" + c.first + ":" + c.second +
                        "' (colours: " + joined(shapesColours()) + "; shapes: " + joined(shapesShapes()) +
                        ")");
        if (std::find(plan.held.begin(), plan.held.end(), std::pair{colour, shape}) == plan.held.end()) {
            plan.held.emplace_back(colour, shape);
            plan.holdout.push_back(c);
        }
    }
    for (int colour = 0; colour < int(kColours.size()); ++colour)
        for (int shape = 0; shape < int(kShapes.size()); ++shape) {
            plan.all.emplace_back(colour, shape);
            if (std::find(plan.held.begin(), plan.held.end(), std::pair{colour, shape}) == plan.held.end())
                plan.seen.emplace_back(colour, shape);
        }
    if (plan.seen.empty())
        throw Error(
            "shapes world: the holdout covers every colour-shape composition; nothing is left to train on");

    const int trainCount = options.trainCount;
    const int testCount = options.testCount >= 0 ? options.testCount : std::max(200, trainCount / 5);
    const int total = trainCount + testCount;
    const std::string trainDir = dir + "/train", testDir = dir + "/test";
    createFolder(trainDir + "/images");
    createFolder(testDir + "/images");

    std::vector<Record> records(static_cast<size_t>(total));
    std::atomic<int> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&](bool reports) {
        auto lastReport = std::chrono::steady_clock::now();
        std::unique_ptr<PngWriter> pngWriter;
        for (;;) {
            if (stop.load() || (cancel && cancel->load()))
                return;
            const int i = next.fetch_add(1);
            if (i >= total)
                return;
            const bool test = i >= trainCount;
            const int index = test ? i - trainCount : i;
            try {
                if (!pngWriter)
                    pngWriter = std::make_unique<PngWriter>();
                records[size_t(i)] = makeImage(plan, test, index, test ? testDir : trainDir,
                                               imageName(index, test ? testCount : trainCount), *pngWriter);
            } catch (...) {
                std::lock_guard lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
                stop = true;
                return;
            }
            const int n = done.fetch_add(1) + 1;
            if (reports && progress &&
                std::chrono::steady_clock::now() - lastReport > std::chrono::milliseconds(100)) {
                lastReport = std::chrono::steady_clock::now();
                progress(n, total);
            }
        }
    };
    const int threads = std::min(
        std::max(1, options.threads > 0 ? options.threads : int(std::thread::hardware_concurrency())),
        std::max(1, total));
    {
        std::vector<std::jthread> workers;
        for (int t = 1; t < threads; ++t)
            workers.emplace_back(work, false);
        work(true);
    }
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (...) {
            rethrowWithContext("writing the shapes world to '" + dir + "'");
        }
    }
    if (cancel && cancel->load())
        throw Error("writing the shapes world to '" + dir + "': cancelled");

    ShapesWorldSummary summary;
    summary.dir = dir;
    summary.trainCount = trainCount;
    summary.testCount = testCount;
    summary.imageSize = options.imageSize;
    summary.seed = options.seed;
    summary.holdout = plan.holdout;
    try {
        for (int split = 0; split < 2; ++split) {
            const int begin = split == 0 ? 0 : trainCount, end = split == 0 ? trainCount : total;
            std::string captions = "path,caption\n";
            std::string labels = "path,kind,colour,shape,count,size,relation,colour2,shape2\n";
            std::string objects = "path,object,colour,shape,size,x,y,radius\n";
            for (int i = begin; i < end; ++i) {
                const Record &r = records[size_t(i)];
                captions += r.caption;
                labels += r.labelRow;
                objects += r.objectRows;
                summary.testHeldOutCount += split == 1 && r.heldOut ? 1 : 0;
            }
            const std::string &splitDir = split == 0 ? trainDir : testDir;
            writeText(splitDir + "/captions.csv", captions);
            writeText(splitDir + "/labels.csv", labels);
            writeText(splitDir + "/objects.csv", objects);
        }
        nlohmann::json world;
        world["format"] = "lodestone-shapes-world";
        world["version"] = 1;
        world["seed"] = options.seed;
        world["image_size"] = options.imageSize;
        world["train"] = trainCount;
        world["test"] = testCount;
        world["test_held_out"] = summary.testHeldOutCount;
        world["holdout"] = nlohmann::json::array();
        for (const ShapesComposition &c : plan.holdout)
            world["holdout"].push_back(c.first + ":" + c.second);
        world["colours"] = shapesColours();
        world["shapes"] = shapesShapes();
        world["sizes"] = shapesSizes();
        world["relations"] = shapesRelations();
        writeText(dir + "/world.json", world.dump(2) + "\n");
    } catch (...) {
        rethrowWithContext("writing the shapes world to '" + dir + "'");
    }
    if (progress)
        progress(total, total);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

ShapesWorldSummary readShapesWorld(const std::string &dir)
{
    const std::string path = dir + "/world.json";
    try {
        const nlohmann::json world = nlohmann::json::parse(readFileText(path, 1 << 20));
        if (world.value("format", "") != "lodestone-shapes-world")
            throw Error("not a shapes world description");
        ShapesWorldSummary summary;
        summary.dir = dir;
        summary.trainCount = world.at("train").get<int>();
        summary.testCount = world.at("test").get<int>();
        summary.testHeldOutCount = world.value("test_held_out", 0);
        summary.imageSize = world.at("image_size").get<int>();
        summary.seed = world.at("seed").get<uint64_t>();
        std::string holdout;
        for (const auto &item : world.at("holdout"))
            holdout += item.get<std::string>() + ",";
        summary.holdout = parseHoldout(holdout);
        return summary;
    } catch (...) {
        rethrowWithContext("reading '" + path + "'");
    }
}

std::vector<ShapesLabel> readShapesLabels(const std::string &splitDir)
{
    const CsvTable table = CsvTable::read(splitDir + "/labels.csv");
    std::array<int, 9> col{};
    const std::array<const char *, 9> names{"path", "kind",     "colour",  "shape", "count",
                                            "size", "relation", "colour2", "shape2"};
    for (size_t i = 0; i < names.size(); ++i)
        col[i] = table.requireColumn({names[i]});
    std::vector<ShapesLabel> labels;
    labels.reserve(table.rows.size());
    for (const CsvRecord &row : table.rows) {
        auto field = [&](size_t i) { return CsvTable::field(row, col[i]); };
        ShapesLabel label{field(0), field(1), field(2), field(3), 0, field(5), field(6), field(7), field(8)};
        if (!field(4).empty()) {
            try {
                label.count = std::stoi(field(4));
            } catch (const std::exception &) {
                throw Error("'" + table.name + "' line " + std::to_string(row.line) + ": count '" + field(4) +
                            "' is not a number");
            }
        }
        labels.push_back(std::move(label));
    }
    return labels;
}

} // namespace lodestone
