#include "fixtures.h"

#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/image.h"
#include "lodestone/npy.h"
#include "lodestone/safetensors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace lodestone;

namespace {

QJsonDocument readJson(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll());
}

std::vector<std::vector<int32_t>> referenceTokens(const std::string &fixture)
{
    std::vector<std::vector<int32_t>> tokens;
    for (const QJsonValue &row : readJson(fixture + "/reference/tokens.json").array()) {
        std::vector<int32_t> ids;
        for (const QJsonValue &id : row.toArray())
            ids.push_back(id.toInt());
        tokens.push_back(ids);
    }
    return tokens;
}

std::vector<std::string> referenceTexts(const std::string &fixture)
{
    std::vector<std::string> texts;
    for (const QJsonValue &t : readJson(fixture + "/reference/texts.json").array())
        texts.push_back(t.toString().toStdString());
    return texts;
}

// max |a - b| / max |b|, the fixture README's measure.
double relativeMaxDifference(const FloatArray &a, const FloatArray &b)
{
    double maxDiff = 0, maxRef = 0;
    for (size_t i = 0; i < b.data.size(); ++i) {
        maxDiff = std::max(maxDiff, double(std::fabs(a.data[i] - b.data[i])));
        maxRef = std::max(maxRef, double(std::fabs(b.data[i])));
    }
    return maxDiff / maxRef;
}

double cosine(const float *a, const float *b, int64_t n)
{
    double dot = 0, na = 0, nb = 0;
    for (int64_t i = 0; i < n; ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return dot / std::sqrt(na * nb);
}

// A model small enough to build in milliseconds, for tests that need no reference.
ClipConfig microConfig()
{
    ClipConfig c;
    c.name = "micro";
    c.embedDim = 16;
    c.vision = {ImageTower::VisionTransformer,
                /*imageSize=*/32,
                /*patchSize=*/16,
                /*width=*/32,
                /*layers=*/1,
                /*heads=*/2,
                /*mlpWidth=*/64};
    c.text = {/*contextLength=*/16, /*vocabSize=*/100, /*width=*/32,
              /*layers=*/1,         /*heads=*/2,       /*mlpWidth=*/64,
              /*endToken=*/99};
    c.preprocess.imageSize = 32;
    return c;
}

void expectError(const std::function<void()> &action, const QStringList &fragments)
{
    try {
        action();
    } catch (const Error &e) {
        const QString message = e.what();
        for (const QString &fragment : fragments)
            QVERIFY2(message.contains(fragment), qPrintable("'" + fragment + "' not in: " + message));
        return;
    }
    QFAIL("expected a lodestone::Error");
}

// Rewrites a safetensors file through `edit`, which may change, drop or add tensors.
void rewrite(const std::string &from, const std::string &to,
             const std::function<void(std::vector<TensorToWrite> &)> &edit)
{
    std::vector<TensorToWrite> tensors;
    {
        const SafetensorsFile file = SafetensorsFile::open(from);
        for (const TensorView &v : file.tensors())
            tensors.push_back({v.name, v.dtype, v.shape, std::vector<uint8_t>(v.data, v.data + v.bytes)});
    }
    edit(tensors);
    writeSafetensors(to, tensors);
}

} // namespace

class TestClipModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- parity with the reference implementation (shared fixture) ----

    void referenceFeatures_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("vocab");
        QTest::newRow("openclip folder") << "openclip"
                                         << "";
        QTest::newRow("huggingface folder") << "hf"
                                            << "";
        QTest::newRow("bare openai safetensors") << "openclip/open_clip_model.safetensors"
                                                 << "openclip/bpe_simple_vocab_16e6.txt.gz";
    }

    void referenceFeatures()
    {
        LODESTONE_REQUIRE_FIXTURE(fixture);
        QFETCH(QString, layout);
        QFETCH(QString, vocab);
        LoadOptions options;
        options.device = "cpu";
        if (!vocab.isEmpty())
            options.vocabPath = fixture + "/" + vocab.toStdString();
        const ClipModel model = ClipModel::load(fixture + "/" + layout.toStdString(), options);

        QCOMPARE(model.embedDim(), 64);
        QCOMPARE(model.config().vision.imageSize, 64);
        QCOMPARE(model.config().vision.patchSize, 16);
        QCOMPARE(model.config().text.layers, 2);
        QCOMPARE(model.config().activation, Activation::QuickGelu);
        QVERIFY(std::fabs(model.logitScale() - 50.0043f) < 1e-3f);

        const FloatArray textRef = readNpy(fixture + "/reference/text_features.npy");
        const FloatArray text = model.encodeTokens(referenceTokens(fixture));
        QCOMPARE(text.shape, textRef.shape);
        const double textError = relativeMaxDifference(text, textRef);
        qInfo("text features: max |diff| / max |ref| = %.3g", textError);
        QVERIFY(textError < 1e-4);

        const FloatArray pixels = readNpy(fixture + "/reference/image_pixels.npy");
        const FloatArray imageRef = readNpy(fixture + "/reference/image_features.npy");
        const FloatArray image = model.encodeImage(pixels, /*batchSize=*/3); // several batches on purpose
        QCOMPARE(image.shape, imageRef.shape);
        const double imageError = relativeMaxDifference(image, imageRef);
        qInfo("image features: max |diff| / max |ref| = %.3g", imageError);
        QVERIFY(imageError < 1e-4);

        // Through the model's own tokenizer: the same features from the texts themselves.
        const FloatArray fromTexts = model.encodeText(referenceTexts(fixture));
        QVERIFY(relativeMaxDifference(fromTexts, textRef) < 1e-4);
    }

    void endToEndImageFeatures()
    {
        LODESTONE_REQUIRE_FIXTURE(fixture);
        LoadOptions options;
        options.device = "cpu";
        const ClipModel model = ClipModel::load(fixture + "/hf", options);
        std::vector<std::string> paths;
        for (const QJsonValue &name : readJson(fixture + "/reference/meta.json").object()["images"].toArray())
            paths.push_back(fixture + "/images/" + name.toString().toStdString());
        QCOMPARE(paths.size(), size_t(7));
        const FloatArray features = model.encodeImage(preprocessFiles(paths, model.config().preprocess));
        const FloatArray reference = readNpy(fixture + "/reference/image_features.npy");
        for (size_t i = 0; i < paths.size(); ++i) {
            const double c = cosine(features.row(int64_t(i)), reference.row(int64_t(i)), reference.dim(1));
            qInfo("%s: cosine %.7f", paths[i].c_str(), c);
            QVERIFY2(c >= 0.9999, qPrintable(QString::fromStdString(paths[i])));
        }
    }

    // ---- architecture ----

    void presetsHaveTheKnownParameterCounts()
    {
        // OpenAI's ViT-B/32 has 151,277,313 parameters (logit scale included).
        const ClipModel b32(ClipConfig::preset("ViT-B/32"), "cpu");
        QCOMPARE(b32.info().parameterCount, int64_t(151277313));
        for (const std::string &name : ClipConfig::presetNames())
            ClipConfig::preset(name).validate();
        QVERIFY_THROWS_EXCEPTION(Error, ClipConfig::preset("ViT-H/99"));
    }

    void convolutionalTowerRoundTrips()
    {
        // The from-scratch convolutional preset: its own parameter names under visual.*, saved and loaded
        // back.
        QTemporaryDir dir;
        ClipConfig config = ClipConfig::preset("tiny-conv");
        config.text.vocabSize = 100;
        config.text.endToken = 99;
        const ClipModel model(config, "cpu", /*seed=*/2);
        FloatArray pixels({2, 3, 64, 64});
        for (size_t i = 0; i < pixels.data.size(); ++i)
            pixels.data[i] = std::cos(float(i) * 0.01f);
        const FloatArray features = model.encodeImage(pixels);
        QCOMPARE(features.shape, (std::vector<int64_t>{2, 128}));
        model.save(dir.filePath("conv").toStdString());
        LoadOptions options;
        options.device = "cpu";
        const ClipModel loaded = ClipModel::load(dir.filePath("conv").toStdString(), options);
        QCOMPARE(loaded.config().vision.tower, ImageTower::Convolutional);
        QCOMPARE(loaded.encodeImage(pixels).data, features.data);
    }

    void featuresDoNotDependOnBatching()
    {
        const ClipModel model(microConfig(), "cpu", /*seed=*/7);
        const std::vector<std::vector<int32_t>> tokens{{98, 5, 6, 7, 99}, {98, 3, 99}, {98, 99}};
        const FloatArray together = model.encodeTokens(tokens, 8);
        const FloatArray apart = model.encodeTokens(tokens, 1);
        QVERIFY(relativeMaxDifference(together, apart) < 1e-5);
        // Padding after the end token must not change a text's features (the causal mask); only the float
        // summation order of the longer matrices may differ.
        QVERIFY(relativeMaxDifference(model.encodeTokens({{98, 3, 99, 0, 0, 0}}),
                                      model.encodeTokens({{98, 3, 99}})) < 1e-5);
    }

    void encodeRefusesBadInput()
    {
        const ClipModel model(microConfig(), "cpu");
        expectError(
            [&] {
                model.encodeImage(FloatArray({1, 3, 64, 64}));
            },
            {"[1,3,64,64]", "expected [N,3,32,32]"});
        expectError([&] { model.encodeTokens({{98, 5, 6}}); }, {"no end-of-text token"});
        expectError([&] { model.encodeTokens({{98, 500, 99}}); }, {"outside the vocabulary"});
        expectError([&] { model.encodeTokens({std::vector<int32_t>(17, 99)}); }, {"17 tokens"});
        expectError([&] { model.encodeText({"hello"}); }, {"no tokenizer"});
    }

    void checkpointRoundTripIsExact()
    {
        QTemporaryDir dir;
        const ClipModel model(microConfig(), "cpu", /*seed=*/3);
        model.save(dir.filePath("ckpt").toStdString(), R"({"note": "test"})");
        LoadOptions options;
        options.device = "cpu";
        const ClipModel loaded = ClipModel::load(dir.filePath("ckpt").toStdString(), options);
        QCOMPARE(loaded.info().format, std::string("lodestone"));
        QCOMPARE(loaded.config().toJson(), model.config().toJson());
        FloatArray pixels({2, 3, 32, 32});
        for (size_t i = 0; i < pixels.data.size(); ++i)
            pixels.data[i] = std::sin(float(i));
        QCOMPARE(loaded.encodeImage(pixels).data, model.encodeImage(pixels).data);
        QCOMPARE(loaded.encodeTokens({{98, 4, 99}}).data, model.encodeTokens({{98, 4, 99}}).data);
        QCOMPARE(loaded.logitScale(), model.logitScale());
    }

    // ---- refusals of malformed model files ----

    void refusesMalformedWeights_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QStringList>("fragments");
        QTest::newRow("truncated file") << "truncated" << QStringList{"model.safetensors", "truncated"};
        QTest::newRow("header claims 2^40 bytes")
            << "huge header" << QStringList{"model.safetensors", "over the limit"};
        QTest::newRow("wrong shape") << "wrong shape"
                                     << QStringList{"visual.proj", "shape [16,32]", "expected [32,16]"};
        QTest::newRow("missing tensor")
            << "missing" << QStringList{"model.safetensors", "missing tensor 'ln_final.bias'"};
        QTest::newRow("unexpected tensor") << "unexpected" << QStringList{"unexpected tensor 'extra.weight'"};
        QTest::newRow("integer weights") << "mistyped" << QStringList{"'logit_scale' has dtype I32"};
    }

    void refusesMalformedWeights()
    {
        QFETCH(QString, fault);
        QFETCH(QStringList, fragments);
        QTemporaryDir dir;
        const std::string good = dir.filePath("good").toStdString();
        ClipModel(microConfig(), "cpu").save(good);
        const std::string bad = dir.filePath("bad").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(bad)));
        QFile::copy(QString::fromStdString(good + "/lodestone.json"),
                    QString::fromStdString(bad + "/lodestone.json"));
        const std::string weights = bad + "/model.safetensors";

        if (fault == "truncated" || fault == "huge header") {
            QFile in(QString::fromStdString(good + "/model.safetensors"));
            QVERIFY(in.open(QIODevice::ReadOnly));
            QByteArray bytes = in.readAll();
            if (fault == "truncated") {
                bytes.truncate(bytes.size() / 2);
            } else {
                const uint64_t huge = uint64_t(1) << 40;
                std::memcpy(bytes.data(), &huge, 8);
            }
            QFile out(QString::fromStdString(weights));
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(bytes);
        } else {
            rewrite(good + "/model.safetensors", weights, [&](std::vector<TensorToWrite> &tensors) {
                for (auto it = tensors.begin(); it != tensors.end(); ++it) {
                    if (fault == "wrong shape" && it->name == "visual.proj")
                        std::swap(it->shape[0], it->shape[1]);
                    if (fault == "mistyped" && it->name == "logit_scale")
                        it->dtype = DType::I32;
                    if (fault == "missing" && it->name == "ln_final.bias") {
                        tensors.erase(it);
                        break;
                    }
                }
                if (fault == "unexpected")
                    tensors.push_back({"extra.weight", DType::F32, {1}, std::vector<uint8_t>(4, 0)});
            });
        }
        LoadOptions options;
        options.device = "cpu";
        expectError([&] { ClipModel::load(bad, options); }, fragments);
    }

    void refusesUnknownLayouts()
    {
        QTemporaryDir dir;
        expectError([&] { ClipModel::load(dir.path().toStdString()); }, {"is not a model folder"});
        expectError([&] { ClipModel::load(dir.filePath("nothing").toStdString()); }, {"does not exist"});
        QFile text(dir.filePath("weights.bin"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("hello");
        text.close();
        expectError([&] { ClipModel::load(dir.filePath("weights.bin").toStdString()); },
                    {"not .safetensors"});
        expectError([&] { ClipModel(microConfig(), "tpu"); }, {"unknown device 'tpu'"});
    }
};

QTEST_APPLESS_MAIN(TestClipModel)
#include "tst_clipmodel.moc"
