#include "lodestone/embeddingmap.h"

#include "lodestone/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#ifdef LODESTONE_HAVE_FREETYPE
#include <opencv2/freetype.hpp>
#endif

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

namespace lodestone {

namespace {

// Tableau 20 (matplotlib's tab20), as BGR.
const cv::Scalar kPalette[] = {{180, 119, 31},  {232, 199, 174}, {14, 127, 255},  {120, 187, 255},
                               {44, 160, 44},   {138, 223, 152}, {40, 39, 214},   {150, 152, 255},
                               {189, 103, 148}, {213, 176, 197}, {75, 86, 140},   {148, 156, 196},
                               {194, 119, 227}, {210, 182, 247}, {127, 127, 127}, {199, 199, 199},
                               {34, 189, 188},  {141, 219, 219}, {207, 190, 23},  {229, 218, 158}};
const cv::Scalar kGrey{170, 170, 170};
const cv::Scalar kInk{30, 30, 30};
const cv::Scalar kWhite{255, 255, 255};

// Hershey fonts draw ASCII only: anything else becomes '?'.
std::string ascii(const std::string &text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out += char(c);
        } else if ((c & 0xC0) == 0xC0 || c >= 0xF8) {
            out += '?'; // the lead byte of a UTF-8 sequence; continuation bytes are dropped
        }
    }
    return out;
}

// The labels' font: FreeType with a TrueType font when both are there, else OpenCV's Hershey font (ASCII).
class LabelFont {
public:
    LabelFont()
    {
#ifdef LODESTONE_HAVE_FREETYPE
        const char *chosen = std::getenv("LODESTONE_MAP_FONT");
        for (const std::string path : {std::string(chosen ? chosen : ""),
                                       std::string("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")}) {
            std::error_code error;
            if (path.empty() || !std::filesystem::is_regular_file(path, error))
                continue;
            try {
                cv::Ptr<cv::freetype::FreeType2> font = cv::freetype::createFreeType2();
                font->loadFontData(path, 0);
                m_freeType = font;
                return;
            } catch (const cv::Exception &) {
                // not a font FreeType reads: try the next, then fall back to Hershey
            }
        }
#endif
    }

    bool unicode() const
    {
#ifdef LODESTONE_HAVE_FREETYPE
        return !m_freeType.empty();
#else
        return false;
#endif
    }

    // Text with a white halo, its baseline's left end at `at` (its centre when `centred`). `scale` is
    // Hershey's; FreeType draws at the same height.
    void draw(cv::Mat &image, const std::string &text, cv::Point at, double scale, bool centred,
              const cv::Scalar &colour) const
    {
#ifdef LODESTONE_HAVE_FREETYPE
        if (!m_freeType.empty()) {
            const int height = std::max(8, int(std::lround(scale * 24)));
            int baseline = 0;
            const cv::Size size = m_freeType->getTextSize(text, height, -1, &baseline);
            if (centred)
                at -= cv::Point(size.width / 2, -size.height / 2);
            m_freeType->putText(image, text, at, height, kWhite, 3, cv::LINE_AA, true);
            m_freeType->putText(image, text, at, height, colour, -1, cv::LINE_AA, true);
            return;
        }
#endif
        const std::string s = ascii(text);
        int baseline = 0;
        const cv::Size size = cv::getTextSize(s, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline);
        if (centred)
            at -= cv::Point(size.width / 2, -size.height / 2);
        cv::putText(image, s, at, cv::FONT_HERSHEY_SIMPLEX, scale, kWhite, 4, cv::LINE_AA);
        cv::putText(image, s, at, cv::FONT_HERSHEY_SIMPLEX, scale, colour, 1, cv::LINE_AA);
    }

#ifdef LODESTONE_HAVE_FREETYPE
private:
    cv::Ptr<cv::freetype::FreeType2> m_freeType; // empty: Hershey
#endif
};

// Loaded once: FreeType's font data is read from disk.
const LabelFont &labelFont()
{
    static const LabelFont font;
    return font;
}

void label(cv::Mat &image, const std::string &text, cv::Point at, double scale, bool centred,
           const cv::Scalar &colour)
{
    labelFont().draw(image, text, at, scale, centred, colour);
}

} // namespace

bool mapLabelsDrawUnicode()
{
    return labelFont().unicode();
}

void writeMapPng(const MapPicture &picture, const std::string &path)
{
    const FloatArray &positions = picture.positions;
    if (positions.rank() != 2 || positions.dim(1) != 2)
        throw Error("drawing a map: expected [N, 2] positions, got " + positions.shapeString());
    if (!picture.clusters.empty() && int64_t(picture.clusters.size()) != positions.dim(0))
        throw Error("drawing a map: " + std::to_string(picture.clusters.size()) + " cluster labels for " +
                    std::to_string(positions.dim(0)) + " points");
    if (picture.width < 100 || picture.height < 100)
        throw Error("drawing a map: the picture must be at least 100×100 pixels");
    const int64_t n = positions.dim(0);

    // One scale for both axes, fitted to everything drawn.
    double minX = std::numeric_limits<double>::infinity(), minY = minX, maxX = -minX, maxY = -minX;
    auto extend = [&](double x, double y) {
        if (!std::isfinite(x) || !std::isfinite(y))
            return;
        minX = std::min(minX, x);
        maxX = std::max(maxX, x);
        minY = std::min(minY, y);
        maxY = std::max(maxY, y);
    };
    for (int64_t i = 0; i < n; ++i)
        extend(positions.row(i)[0], positions.row(i)[1]);
    for (const auto &m : picture.markers)
        extend(m.x, m.y);
    for (const auto &a : picture.arrows) {
        extend(a.fromX, a.fromY);
        extend(a.toX, a.toY);
    }
    if (!std::isfinite(minX)) {
        minX = minY = -1;
        maxX = maxY = 1;
    }
    const int margin = 40, top = picture.title.empty() ? margin : margin + 30;
    const double spanX = std::max(maxX - minX, 1e-12), spanY = std::max(maxY - minY, 1e-12);
    const double scale =
        std::min((picture.width - 2 * margin) / spanX, (picture.height - top - margin) / spanY);
    const double offsetX = margin + 0.5 * ((picture.width - 2 * margin) - scale * spanX);
    const double offsetY = top + 0.5 * ((picture.height - top - margin) - scale * spanY);
    auto pixel = [&](double x, double y) {
        // y grows upwards in the map, downwards in the image.
        return cv::Point(int(std::lround(offsetX + (x - minX) * scale)),
                         int(std::lround(offsetY + (maxY - y) * scale)));
    };

    cv::Mat image(picture.height, picture.width, CV_8UC3, kWhite);
    const int radius =
        int(std::clamp(std::lround(400.0 / std::sqrt(double(std::max<int64_t>(n, 1)))), 1L, 4L));
    for (int64_t i = 0; i < n; ++i) {
        const int c = picture.clusters.empty() ? -1 : picture.clusters[size_t(i)];
        const cv::Scalar colour = c < 0 ? kGrey : kPalette[c % 20];
        if (radius <= 1)
            cv::rectangle(image, pixel(positions.row(i)[0], positions.row(i)[1]),
                          pixel(positions.row(i)[0], positions.row(i)[1]), colour, cv::FILLED);
        else
            cv::circle(image, pixel(positions.row(i)[0], positions.row(i)[1]), radius, colour, cv::FILLED,
                       cv::LINE_AA);
    }

    for (const auto &a : picture.arrows) {
        const cv::Point from = pixel(a.fromX, a.fromY), to = pixel(a.toX, a.toY);
        const double length = std::max(1.0, cv::norm(to - from));
        cv::circle(image, from, 4, kInk, cv::FILLED, cv::LINE_AA);
        cv::arrowedLine(image, from, to, kInk, 2, cv::LINE_AA, 0, std::min(0.5, 14.0 / length));
        label(image, a.text, to + cv::Point(6, -6), 0.5, false, kInk);
    }
    for (const auto &m : picture.markers) {
        const cv::Point p = pixel(m.x, m.y);
        const std::vector<cv::Point> diamond = {p + cv::Point(0, -7), p + cv::Point(7, 0),
                                                p + cv::Point(0, 7), p + cv::Point(-7, 0)};
        cv::fillConvexPoly(image, diamond, kInk, cv::LINE_AA);
        label(image, m.text, p + cv::Point(9, 5), 0.5, false, kInk);
    }

    // Cluster names at the median position of each cluster's points.
    for (size_t c = 0; c < picture.clusterNames.size(); ++c) {
        std::vector<float> xs, ys;
        for (int64_t i = 0; i < n; ++i)
            if (!picture.clusters.empty() && picture.clusters[size_t(i)] == int(c)) {
                xs.push_back(positions.row(i)[0]);
                ys.push_back(positions.row(i)[1]);
            }
        if (xs.empty() || picture.clusterNames[c].empty())
            continue;
        std::nth_element(xs.begin(), xs.begin() + xs.size() / 2, xs.end());
        std::nth_element(ys.begin(), ys.begin() + ys.size() / 2, ys.end());
        const cv::Scalar colour = kPalette[c % 20] * 0.6; // a darker shade of the cluster's colour
        label(image, picture.clusterNames[c], pixel(xs[xs.size() / 2], ys[ys.size() / 2]), 0.6, true, colour);
    }
    if (!picture.title.empty())
        label(image, picture.title, cv::Point(margin, margin), 0.7, false, kInk);

    bool written = false;
    try {
        written = cv::imwrite(path, image);
    } catch (const cv::Exception &e) {
        throw Error("writing the map picture '" + path + "': " + e.what());
    }
    if (!written)
        throw Error("writing the map picture '" + path + "' failed");
}

} // namespace lodestone
