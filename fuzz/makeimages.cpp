// Writes the image seeds of fuzz/corpus/image: tiny pictures in every format the decoder reads, with the
// features its code paths branch on (EXIF orientation, progressive JPEG, grey, alpha, 16 bits, interlaced
// and transparent GIF, a GIF frame smaller than its screen, lossy and lossless WebP). Not part of the build:
//   g++ -std=c++17 fuzz/makeimages.cpp $(pkg-config --cflags --libs opencv4) -lgif -o /tmp/makeimages
//   /tmp/makeimages fuzz/corpus/image

#include <gif_lib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::string g_dir;

void save(const std::string &name, const std::vector<uint8_t> &bytes)
{
    const std::string path = g_dir + "/" + name;
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
        std::perror(path.c_str());
        std::exit(1);
    }
}

std::vector<uint8_t> encode(const char *ext, const cv::Mat &mat, const std::vector<int> &params = {})
{
    std::vector<uint8_t> out;
    if (!cv::imencode(ext, mat, out, params)) {
        std::fprintf(stderr, "cannot encode %s\n", ext);
        std::exit(1);
    }
    return out;
}

// A gradient with a diagonal line, so that orientation and channel order are visible when decoded.
cv::Mat picture(int width, int height, int type)
{
    cv::Mat mat(height, width, type);
    const int channels = mat.channels();
    const double scale = mat.depth() == CV_16U ? 257.0 : 1.0;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < channels; ++c) {
                int v = (x * 255 / std::max(1, width - 1) + c * 80 + y * 16) % 256;
                if (x == y)
                    v = 255;
                if (c == 3)
                    v = x < width / 2 ? 255 : 64; // alpha
                if (mat.depth() == CV_16U)
                    mat.ptr<uint16_t>(y)[x * channels + c] = uint16_t(v * scale);
                else
                    mat.ptr<uint8_t>(y)[x * channels + c] = uint8_t(v);
            }
        }
    }
    return mat;
}

// An APP1 EXIF segment (big-endian TIFF) with Orientation and a DateTimeOriginal in an Exif sub-IFD,
// inserted after the SOI marker.
std::vector<uint8_t> withExif(std::vector<uint8_t> jpeg, int orientation)
{
    std::vector<uint8_t> tiff = {'M',  'M',  0,    42,   0, 0, 0, 8, // header, IFD0 at 8
                                 0,    2,                            // two entries
                                 0x01, 0x12, 0,    3,    0, 0, 0, 1,  0, uint8_t(orientation),
                                 0,    0,    0x87, 0x69, 0, 4, 0, 0,  0, 1,
                                 0,    0,    0,    38, // Exif IFD at 38
                                 0,    0,    0,    0,  // no next IFD
                                 0,    1,              // Exif IFD: one entry
                                 0x90, 0x03, 0,    2,    0, 0, 0, 20, 0, 0,
                                 0,    56, // DateTimeOriginal at 56
                                 0,    0,    0,    0};
    const char date[] = "2024:05:17 10:30:00"; // 19 characters and a NUL
    tiff.insert(tiff.end(), date, date + 20);
    std::vector<uint8_t> segment = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
    segment.insert(segment.end(), tiff.begin(), tiff.end());
    const size_t length = segment.size() - 2;
    segment[2] = uint8_t(length >> 8);
    segment[3] = uint8_t(length & 0xFF);
    jpeg.insert(jpeg.begin() + 2, segment.begin(), segment.end());
    return jpeg;
}

int writeToVector(GifFileType *gif, const GifByteType *data, int length)
{
    auto *out = static_cast<std::vector<uint8_t> *>(gif->UserData);
    out->insert(out->end(), data, data + length);
    return length;
}

// A GIF whose one frame (frameWidth x frameHeight at left/top) sits on a screen of width x height.
std::vector<uint8_t> gif(int width, int height, int left, int top, int frameWidth, int frameHeight,
                         bool interlaced, int transparent)
{
    std::vector<uint8_t> out;
    int error = 0;
    GifFileType *g = EGifOpen(&out, writeToVector, &error);
    if (!g)
        std::exit(1);
    EGifSetGifVersion(g, true);
    GifColorType colours[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    ColorMapObject *map = GifMakeMapObject(4, colours);
    EGifPutScreenDesc(g, width, height, 2, 0, map);
    if (transparent >= 0) {
        GraphicsControlBlock gcb{};
        gcb.DisposalMode = DISPOSAL_UNSPECIFIED;
        gcb.TransparentColor = transparent;
        GifByteType block[4];
        EGifGCBToExtension(&gcb, block);
        EGifPutExtension(g, GRAPHICS_EXT_FUNC_CODE, 4, block);
    }
    EGifPutImageDesc(g, left, top, frameWidth, frameHeight, interlaced, nullptr);
    std::vector<GifPixelType> line(static_cast<size_t>(frameWidth));
    for (int y = 0; y < frameHeight; ++y) {
        for (int x = 0; x < frameWidth; ++x)
            line[size_t(x)] = GifPixelType((x + y) % 4);
        EGifPutLine(g, line.data(), frameWidth);
    }
    EGifCloseFile(g, &error);
    GifFreeMapObject(map);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: makeimages DIR\n");
        return 2;
    }
    g_dir = argv[1];
    const cv::Mat bgr = picture(12, 8, CV_8UC3);
    save("exif-orientation-6.jpg", withExif(encode(".jpg", bgr, {cv::IMWRITE_JPEG_QUALITY, 70}), 6));
    save("progressive.jpg",
         encode(".jpg", bgr, {cv::IMWRITE_JPEG_PROGRESSIVE, 1, cv::IMWRITE_JPEG_QUALITY, 50}));
    save("grey.jpg", encode(".jpg", picture(8, 8, CV_8UC1), {cv::IMWRITE_JPEG_QUALITY, 60}));
    save("rgba.png", encode(".png", picture(8, 6, CV_8UC4)));
    save("grey16.png", encode(".png", picture(6, 4, CV_16UC1)));
    save("lossy.webp", encode(".webp", bgr, {cv::IMWRITE_WEBP_QUALITY, 60}));
    save("lossless-alpha.webp", encode(".webp", picture(8, 8, CV_8UC4), {cv::IMWRITE_WEBP_QUALITY, 101}));
    save("rgb.bmp", encode(".bmp", picture(5, 3, CV_8UC3)));
    save("rgb16.tiff", encode(".tiff", picture(6, 4, CV_16UC3)));
    save("rgba.tiff", encode(".tiff", picture(4, 4, CV_8UC4)));
    save("interlaced-transparent.gif", gif(8, 10, 0, 0, 8, 10, true, 2));
    save("frame-in-screen.gif", gif(8, 8, 2, 3, 4, 4, false, -1));
    return 0;
}
