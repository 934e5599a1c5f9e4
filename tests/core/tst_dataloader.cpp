// The multi-threaded loader (coverage, determinism across worker counts, explicit batches, resumption,
// corrupt images, data-parallel slices, cancellation) and augment() (caption truthfulness under flips and
// hue shifts, the disabled path equal to preprocessImage, shapes, determinism).

#include "lodestone/augment.h"
#include "lodestone/dataloader.h"
#include "lodestone/dataset.h"
#include "lodestone/error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace lodestone;
namespace fs = std::filesystem;

namespace {

constexpr int ImageCount = 23;

void writeBytes(const std::string &path, const std::string &bytes)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

// Image i: its own colour and a bar at its own position, so that every sample's pixels differ.
cv::Mat sampleImage(int i, int width = 40, int height = 32)
{
    cv::Mat image(height, width, CV_8UC3, cv::Scalar((i * 37) % 256, (i * 91) % 256, (i * 53) % 256));
    cv::rectangle(image, cv::Rect(i % (width - 6), 2, 5, height - 4), cv::Scalar(255, 255, 255), cv::FILLED);
    cv::circle(image, cv::Point(width - 8, height / 2), 4, cv::Scalar(0, 0, 0), cv::FILLED);
    return image;
}

// A folder of ImageCount PNGs listed in data.csv with captions "sample i".
std::string writeDataset(const std::string &dir)
{
    std::string csv = "path,caption\n";
    for (int i = 0; i < ImageCount; ++i) {
        const std::string name = "img" + std::to_string(i) + ".png";
        cv::imwrite(dir + "/" + name, sampleImage(i));
        csv += name + ",sample " + std::to_string(i) + " on the left\n";
    }
    writeBytes(dir + "/data.csv", csv);
    return dir + "/data.csv";
}

std::vector<Batch> drain(DataLoader &loader)
{
    std::vector<Batch> out;
    while (std::optional<Batch> b = loader.next())
        out.push_back(std::move(*b));
    return out;
}

LoaderOptions smallOptions(int workers)
{
    LoaderOptions o;
    o.batchSize = 5;
    o.workers = workers;
    o.prefetchBatches = 2;
    o.seed = 1234;
    o.preprocess.imageSize = 24;
    o.augment.blurProbability = 0.5f;
    o.augment.hueShiftDegrees = 30.0f;
    return o;
}

Image8 toImage8(const cv::Mat &bgr)
{
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    Image8 image;
    image.width = rgb.cols;
    image.height = rgb.rows;
    image.channels = 3;
    image.pixels.assign(rgb.data, rgb.data + rgb.total() * 3);
    return image;
}

// A view with every random step off except the ones a test turns on.
AugmentOptions quietOptions()
{
    AugmentOptions o;
    o.cropScaleMin = 0.6f;
    o.blurProbability = 0.0f;
    o.brightness = 0.0f;
    o.contrast = 0.0f;
    o.rotationDegrees = 0.0f;
    o.horizontalFlip = false;
    o.hueShiftDegrees = 0.0f;
    return o;
}

bool mirrored(const FloatArray &a, const FloatArray &b)
{
    const int64_t n = a.dim(1);
    for (int64_t c = 0; c < 3; ++c)
        for (int64_t y = 0; y < n; ++y)
            for (int64_t x = 0; x < n; ++x)
                if (a.data[size_t((c * n + y) * n + x)] != b.data[size_t((c * n + y) * n + (n - 1 - x))])
                    return false;
    return true;
}

} // namespace

class TestDataLoader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    CaptionDataset m_dataset;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_dataset = CaptionDataset::fromSpec("csv:" + writeDataset(m_dir.path().toStdString()));
        QCOMPARE(m_dataset.size(), size_t(ImageCount));
    }

    void epochCoversEachSampleOnce()
    {
        DataLoader loader(m_dataset, smallOptions(2));
        QCOMPARE(loader.batchesPerEpoch(), int64_t(ImageCount / 5));
        loader.startEpoch(0);
        const std::vector<Batch> batches = drain(loader);
        QCOMPARE(int64_t(batches.size()), loader.batchesPerEpoch());
        std::vector<size_t> seen;
        for (size_t b = 0; b < batches.size(); ++b) {
            QCOMPARE(batches[b].batchInEpoch, int64_t(b));
            QCOMPARE(batches[b].pixels.shape, (std::vector<int64_t>{5, 3, 24, 24}));
            QCOMPARE(batches[b].captions.size(), size_t(5));
            for (size_t i = 0; i < 5; ++i) {
                const size_t index = batches[b].indices[i];
                // The caption belongs to the sample (possibly mirrored by a flip).
                const std::string original = m_dataset[index].caption;
                QVERIFY(batches[b].captions[i] == original ||
                        batches[b].captions[i] == mirrorCaption(original));
                seen.push_back(index);
            }
        }
        QCOMPARE(seen.size(), size_t(20)); // dropLast: 23 -> 4 batches of 5
        QCOMPARE(std::set<size_t>(seen.begin(), seen.end()).size(), seen.size());
        std::vector<size_t> sorted = seen;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY2(sorted != seen, "the order is shuffled");
        QVERIFY(!loader.next().has_value()); // stays at the end
        QCOMPARE(loader.stats().decoded, int64_t(20));
        QCOMPARE(loader.stats().failed, int64_t(0));

        // Without dropLast the short batch comes too, and every sample is seen.
        LoaderOptions all = smallOptions(2);
        all.dropLast = false;
        all.shuffle = false;
        DataLoader ordered(m_dataset, all);
        ordered.startEpoch(0);
        const std::vector<Batch> allBatches = drain(ordered);
        QCOMPARE(allBatches.size(), size_t(5));
        QCOMPARE(allBatches.back().indices, (std::vector<size_t>{20, 21, 22}));
        QCOMPARE(allBatches.front().indices, (std::vector<size_t>{0, 1, 2, 3, 4}));

        // Another epoch, another order.
        loader.startEpoch(1);
        const std::vector<Batch> epoch1 = drain(loader);
        QCOMPARE(epoch1.front().epoch, 1);
        QVERIFY(epoch1.front().indices != batches.front().indices || epoch1[1].indices != batches[1].indices);
    }

    void sameSeedSameBatchesWhateverTheWorkers()
    {
        std::vector<std::vector<Batch>> runs;
        for (int workers : {1, 3, 0}) {
            DataLoader loader(m_dataset, smallOptions(workers));
            loader.startEpoch(2);
            runs.push_back(drain(loader));
        }
        for (size_t r = 1; r < runs.size(); ++r) {
            QCOMPARE(runs[r].size(), runs[0].size());
            for (size_t b = 0; b < runs[0].size(); ++b) {
                QCOMPARE(runs[r][b].indices, runs[0][b].indices);
                QCOMPARE(runs[r][b].captions, runs[0][b].captions);
                QVERIFY(runs[r][b].pixels.data == runs[0][b].pixels.data); // bit for bit
            }
        }
        // Augmentation really happened: the pixels are not the plain preprocessing.
        const Batch &first = runs[0][0];
        PreprocessConfig config;
        config.imageSize = 24;
        const FloatArray plain =
            preprocessImage(decodeSampleImage(m_dataset[first.indices[0]].image), config);
        QVERIFY(!std::equal(plain.data.begin(), plain.data.end(), first.pixels.row(0)));
        // A different seed gives different views.
        LoaderOptions other = smallOptions(2);
        other.seed = 99;
        DataLoader reseeded(m_dataset, other);
        reseeded.startEpoch(2);
        QVERIFY(drain(reseeded)[0].indices != runs[0][0].indices);
    }

    void explicitBatchesHonoured()
    {
        DataLoader loader(m_dataset, smallOptions(2));
        const std::vector<std::vector<size_t>> batches{{3, 1, 4}, {1, 5}, {}, {9, 2, 6, 5, 3, 5, 8}};
        loader.startEpoch(0, batches);
        QCOMPARE(loader.batchesPerEpoch(), int64_t(4));
        const std::vector<Batch> out = drain(loader);
        QCOMPARE(out.size(), batches.size());
        for (size_t b = 0; b < batches.size(); ++b) {
            QCOMPARE(out[b].indices, batches[b]);
            QCOMPARE(out[b].pixels.dim(0), int64_t(batches[b].size()));
        }
        // The same sample in the same epoch: the same view wherever it appears.
        QVERIFY(std::equal(out[0].pixels.row(1), out[0].pixels.row(1) + out[0].pixels.rowSize(),
                           out[1].pixels.row(0)));
        QVERIFY_THROWS_EXCEPTION(Error, loader.startEpoch(0, {{0, 1}, {size_t(ImageCount)}}));
        QVERIFY_THROWS_EXCEPTION(Error, loader.startEpoch(0, {}, 99));
    }

    void firstBatchResumesExactly()
    {
        DataLoader full(m_dataset, smallOptions(2));
        full.startEpoch(5);
        const std::vector<Batch> all = drain(full);
        for (int64_t first : {int64_t(1), int64_t(3), int64_t(4)}) {
            DataLoader resumed(m_dataset, smallOptions(3));
            resumed.startEpoch(5, {}, first);
            const std::vector<Batch> rest = drain(resumed);
            QCOMPARE(int64_t(rest.size()), int64_t(all.size()) - first);
            for (size_t i = 0; i < rest.size(); ++i) {
                const Batch &expected = all[size_t(first) + i];
                QCOMPARE(rest[i].batchInEpoch, expected.batchInEpoch);
                QCOMPARE(rest[i].indices, expected.indices);
                QCOMPARE(rest[i].captions, expected.captions);
                QVERIFY(rest[i].pixels.data == expected.pixels.data);
            }
        }
        // Restarting mid-epoch abandons the old one cleanly.
        DataLoader restarted(m_dataset, smallOptions(2));
        restarted.startEpoch(7);
        QVERIFY(restarted.next().has_value());
        restarted.startEpoch(5, {}, 1);
        const std::vector<Batch> again = drain(restarted);
        QCOMPARE(again.size(), all.size() - 1);
        QVERIFY(again[0].pixels.data == all[1].pixels.data);
    }

    void corruptImagesAreSkippedAndCounted()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        std::string csv = "path,caption\n";
        for (int i = 0; i < 6; ++i) {
            cv::imwrite(dir + "/ok" + std::to_string(i) + ".png", sampleImage(i));
            csv += "ok" + std::to_string(i) + ".png,fine " + std::to_string(i) + "\n";
        }
        writeBytes(dir + "/text.jpg", "I am a text file pretending to be a JPEG.\n");
        std::vector<uchar> png;
        cv::imencode(".png", sampleImage(7, 64, 64), png);
        writeBytes(dir + "/truncated.png",
                   std::string(png.begin(), png.begin() + std::ptrdiff_t(png.size() / 2)));
        csv += "text.jpg,liar\ntruncated.png,half\n";
        writeBytes(dir + "/data.csv", csv);
        const CaptionDataset dataset = CaptionDataset::fromSpec("csv:" + dir + "/data.csv");
        QCOMPARE(dataset.size(), size_t(8)); // the files exist: decoding is the loader's business

        for (int workers : {0, 2}) {
            LoaderOptions o = smallOptions(workers);
            o.batchSize = 4;
            o.shuffle = false;
            DataLoader loader(dataset, o);
            loader.startEpoch(0);
            const std::vector<Batch> batches = drain(loader);
            QCOMPARE(batches.size(), size_t(2));
            QCOMPARE(batches[0].pixels.dim(0), int64_t(4));
            QCOMPARE(batches[1].indices, (std::vector<size_t>{4, 5})); // 6 and 7 left out
            QCOMPARE(batches[1].pixels.shape, (std::vector<int64_t>{2, 3, 24, 24}));
            QCOMPARE(batches[1].captions.size(), size_t(2));
            QCOMPARE(batches[1].failedIndices, (std::vector<size_t>{6, 7}));
            const LoaderStats stats = loader.stats();
            QCOMPARE(stats.decoded, int64_t(6));
            QCOMPARE(stats.failed, int64_t(2));
            QCOMPARE(stats.failures.size(), size_t(2));
            std::set<std::string> paths;
            for (const ReadFailure &f : stats.failures) {
                paths.insert(fs::path(f.path).filename().string());
                QVERIFY(!f.reason.empty());
            }
            QCOMPARE(paths, (std::set<std::string>{"text.jpg", "truncated.png"}));

            // The surviving rows are the samples' own views (the gaps were closed correctly).
            LoaderOptions oneByOne = o;
            oneByOne.batchSize = 1;
            DataLoader single(dataset, oneByOne);
            single.startEpoch(0, {{5}});
            const Batch five = *single.next();
            QVERIFY(std::equal(five.pixels.data.begin(), five.pixels.data.end(), batches[1].pixels.row(1)));

            // A batch whose every image fails comes back empty (ranks stay in step), not as an exception.
            loader.startEpoch(1, {{6, 7}, {0}});
            const std::vector<Batch> bad = drain(loader);
            QCOMPARE(bad.size(), size_t(2));
            QCOMPARE(bad[0].pixels.shape, (std::vector<int64_t>{0, 3, 24, 24}));
            QVERIFY(bad[0].indices.empty());
            QCOMPARE(bad[1].indices, (std::vector<size_t>{0}));
        }
    }

    void ranksTakeContiguousSlices()
    {
        LoaderOptions o = smallOptions(2);
        o.batchSize = 6;
        DataLoader whole(m_dataset, o);
        whole.startEpoch(3);
        const std::vector<Batch> global = drain(whole);
        std::vector<std::vector<Batch>> perRank;
        for (int rank = 0; rank < 3; ++rank) {
            LoaderOptions r = o;
            r.worldSize = 3;
            r.rank = rank;
            DataLoader loader(m_dataset, r);
            QCOMPARE(loader.batchesPerEpoch(), whole.batchesPerEpoch());
            loader.startEpoch(3);
            perRank.push_back(drain(loader));
        }
        for (size_t b = 0; b < global.size(); ++b) {
            std::vector<size_t> joined;
            std::vector<float> pixels;
            for (const std::vector<Batch> &rank : perRank) {
                QCOMPARE(rank[b].indices.size(), size_t(2));
                joined.insert(joined.end(), rank[b].indices.begin(), rank[b].indices.end());
                pixels.insert(pixels.end(), rank[b].pixels.data.begin(), rank[b].pixels.data.end());
            }
            QCOMPARE(joined, global[b].indices);
            QVERIFY(pixels == global[b].pixels.data);
        }
        LoaderOptions bad = o;
        bad.rank = 3;
        bad.worldSize = 3;
        QVERIFY_THROWS_EXCEPTION(Error, DataLoader(m_dataset, bad));
        bad = o;
        bad.batchSize = 0;
        QVERIFY_THROWS_EXCEPTION(Error, DataLoader(m_dataset, bad));
    }

    void destructionWhileBusyIsSafe()
    {
        LoaderOptions o = smallOptions(3);
        o.prefetchBatches = 4;
        o.preprocess.imageSize = 96;
        for (int round = 0; round < 5; ++round) {
            DataLoader loader(m_dataset, o);
            loader.startEpoch(round);
            if (round % 2)
                QVERIFY(loader.next().has_value());
        } // destroyed with work in flight: must neither hang nor crash
        DataLoader unused(m_dataset, o);
        QVERIFY_THROWS_EXCEPTION(Error, unused.next());
    }

    // augment()

    void disabledEqualsPreprocessing()
    {
        PreprocessConfig config;
        config.imageSize = 20;
        AugmentOptions off;
        off.enabled = false;
        for (const cv::Mat &bgr : {sampleImage(3), sampleImage(4, 17, 45)}) {
            const Image8 image = toImage8(bgr);
            const AugmentedView view = augment(image, "a cat on the left", config, off, 42);
            const FloatArray reference = preprocessImage(image, config);
            QCOMPARE(view.pixels.shape, reference.shape);
            QVERIFY(view.pixels.data == reference.data);
            QCOMPARE(view.caption, std::string("a cat on the left"));
        }
    }

    void outputShapeAndDeterminism()
    {
        PreprocessConfig config;
        config.imageSize = 32;
        AugmentOptions all;
        all.blurProbability = 1.0f;
        all.hueShiftDegrees = 40.0f;
        Image8 rgba = toImage8(sampleImage(5, 90, 30));
        {
            Image8 withAlpha = rgba;
            withAlpha.channels = 4;
            withAlpha.pixels.clear();
            for (size_t i = 0; i < rgba.pixels.size(); i += 3) {
                withAlpha.pixels.insert(withAlpha.pixels.end(), rgba.pixels.begin() + std::ptrdiff_t(i),
                                        rgba.pixels.begin() + std::ptrdiff_t(i + 3));
                withAlpha.pixels.push_back(200);
            }
            rgba = withAlpha;
        }
        for (const Image8 &image : {toImage8(sampleImage(1, 30, 90)), toImage8(sampleImage(2, 7, 5)), rgba}) {
            const AugmentedView a = augment(image, "a shape", config, all, 7);
            const AugmentedView b = augment(image, "a shape", config, all, 7);
            const AugmentedView c = augment(image, "a shape", config, all, 8);
            QCOMPARE(a.pixels.shape, (std::vector<int64_t>{3, 32, 32}));
            QVERIFY(a.pixels.data == b.pixels.data);
            QVERIFY(a.pixels.data != c.pixels.data);
            for (float v : a.pixels.data)
                QVERIFY(std::isfinite(v) && v > -2.0f && v < 2.7f); // within the normalised [0, 1] range
        }
        QCOMPARE(sampleSeed(1, 2, 3), sampleSeed(1, 2, 3));
        QVERIFY(sampleSeed(1, 2, 3) != sampleSeed(1, 3, 3));
        QVERIFY(sampleSeed(1, 2, 3) != sampleSeed(1, 2, 4));
        QVERIFY(sampleSeed(1, 2, 3) != sampleSeed(2, 2, 3));
    }

    void mirrorCaptionSwapsWholeWords_data()
    {
        QTest::addColumn<QString>("caption");
        QTest::addColumn<QString>("mirrored");
        QTest::newRow("relation") << "a red circle left of a blue square"
                                  << "a red circle right of a blue square";
        QTest::newRow("both") << "Left hand, right foot"
                              << "Right hand, left foot";
        QTest::newRow("upper") << "TURN LEFT"
                               << "TURN RIGHT";
        QTest::newRow("most") << "the leftmost star, to the right."
                              << "the rightmost star, to the left.";
        QTest::newRow("hyphen") << "a left-hand glove"
                                << "a right-hand glove";
        QTest::newRow("not inside words") << "a bright leftover copyright"
                                          << "a bright leftover copyright";
        QTest::newRow("nothing") << "two green hexagons"
                                 << "two green hexagons";
    }

    void mirrorCaptionSwapsWholeWords()
    {
        QFETCH(QString, caption);
        QFETCH(QString, mirrored);
        QCOMPARE(QString::fromStdString(mirrorCaption(caption.toStdString())), mirrored);
    }

    void flipMirrorsPixelsAndCaption()
    {
        PreprocessConfig config;
        config.imageSize = 24;
        AugmentOptions noFlip = quietOptions();
        AugmentOptions flip = noFlip;
        flip.horizontalFlip = true;
        const Image8 image = toImage8(sampleImage(9));
        const std::string caption = "a white bar to the left of a black dot";
        int flipped = 0;
        int kept = 0;
        for (uint64_t seed = 0; seed < 24; ++seed) {
            const AugmentedView plain = augment(image, caption, config, noFlip, seed);
            const AugmentedView view = augment(image, caption, config, flip, seed);
            if (view.caption == caption) {
                ++kept;
                QVERIFY(view.pixels.data == plain.pixels.data);
            } else {
                ++flipped;
                QCOMPARE(view.caption, std::string("a white bar to the right of a black dot"));
                QVERIFY(mirrored(view.pixels, plain.pixels));
            }
        }
        QVERIFY(flipped > 0 && kept > 0);
    }

    void hueOnlyWithoutColourWords()
    {
        QVERIFY(captionNamesColour("a Red circle"));
        QVERIFY(captionNamesColour("two grey-ish squares"));
        QVERIFY(captionNamesColour("a reddish sky"));
        QVERIFY(!captionNamesColour("a circle left of a square"));
        QVERIFY(!captionNamesColour("credit card")); // "red" inside a word is not a colour

        PreprocessConfig config;
        config.imageSize = 24;
        AugmentOptions noHue = quietOptions();
        AugmentOptions hue = noHue;
        hue.hueShiftDegrees = 90.0f;
        const Image8 image = toImage8(sampleImage(11));
        for (uint64_t seed = 0; seed < 4; ++seed) {
            const AugmentedView plain = augment(image, "a blue square", config, noHue, seed);
            QVERIFY(augment(image, "a blue square", config, hue, seed).pixels.data == plain.pixels.data);
            QVERIFY(augment(image, "a square", config, hue, seed).pixels.data != plain.pixels.data);
        }
    }

    void rotationBrightnessBlurChangePixels()
    {
        PreprocessConfig config;
        config.imageSize = 24;
        const Image8 image = toImage8(sampleImage(13));
        const AugmentedView base = augment(image, "x", config, quietOptions(), 3);
        AugmentOptions rotate = quietOptions();
        rotate.rotationDegrees = 20.0f;
        AugmentOptions bright = quietOptions();
        bright.brightness = 0.5f;
        AugmentOptions blur = quietOptions();
        blur.blurProbability = 1.0f;
        for (const AugmentOptions &o : {rotate, bright, blur}) {
            const AugmentedView view = augment(image, "x", config, o, 3);
            QVERIFY(view.pixels.data != base.pixels.data);
            QCOMPARE(view.caption, std::string("x"));
        }
        // Each step draws from its own stream: the crop is the same whether or not a flip is allowed.
        AugmentOptions crop = quietOptions();
        crop.cropScaleMin = 1.0f;
        const AugmentedView whole = augment(image, "x", config, crop, 3);
        QVERIFY(whole.pixels.shape == base.pixels.shape);
    }
};

QTEST_APPLESS_MAIN(TestDataLoader)
#include "tst_dataloader.moc"
