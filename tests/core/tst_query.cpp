#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/image.h"
#include "lodestone/library.h"
#include "lodestone/npy.h"
#include "lodestone/query.h"
#include "lodestone/tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace lodestone;

namespace {

// Vectors chosen by hand: texts and images map to fixed rows (normalised on the way out, as the Embedder
// contract says). Texts without a vector either throw or, with `fallback`, get a pseudo-random direction
// derived from the text (for the thousands of vocabulary entries). Counts its calls so tests can check
// batching.
class HandEmbedder final : public Embedder {
public:
    explicit HandEmbedder(int dim, float scale = 100)
        : m_dim(dim)
        , m_scale(scale)
    {}
    std::map<std::string, std::vector<float>> texts;
    std::map<std::string, std::vector<float>> images;
    bool fallback = false;
    mutable int textCalls = 0;
    mutable int imageCalls = 0;
    mutable int64_t textsEmbedded = 0;

    int dim() const override { return m_dim; }
    float logitScale() const override { return m_scale; }

    FloatArray embedTexts(const std::vector<std::string> &list) const override
    {
        ++textCalls;
        textsEmbedded += int64_t(list.size());
        FloatArray rows({int64_t(list.size()), m_dim});
        for (size_t i = 0; i < list.size(); ++i) {
            const auto it = texts.find(list[i]);
            std::vector<float> v;
            if (it != texts.end())
                v = it->second;
            else if (fallback)
                v = pseudoRandom(list[i]);
            else
                throw Error("no vector for '" + list[i] + "'");
            std::copy(v.begin(), v.end(), rows.row(int64_t(i)));
        }
        normalizeRows(rows);
        return rows;
    }

    FloatArray embedImages(const std::vector<std::string> &paths) const override
    {
        ++imageCalls;
        FloatArray rows({int64_t(paths.size()), m_dim});
        for (size_t i = 0; i < paths.size(); ++i) {
            const auto it = images.find(paths[i]);
            if (it == images.end())
                throw Error("reading '" + paths[i] + "': no such file");
            std::copy(it->second.begin(), it->second.end(), rows.row(int64_t(i)));
        }
        normalizeRows(rows);
        return rows;
    }

private:
    std::vector<float> pseudoRandom(const std::string &text) const
    {
        uint64_t h = 1469598103934665603ull; // FNV-1a, then a xorshift stream
        for (const unsigned char c : text)
            h = (h ^ c) * 1099511628211ull;
        std::vector<float> v(static_cast<size_t>(m_dim));
        for (float &x : v) {
            h ^= h << 13;
            h ^= h >> 7;
            h ^= h << 17;
            x = float(double(h % 20001) / 10000.0 - 1.0);
        }
        return v;
    }

    int m_dim;
    float m_scale;
};

// "T 1 dog | I 0.5 /a.jpg | P 2 42": terms in a form QCOMPARE prints readably.
QString describe(const std::vector<QueryTerm> &terms)
{
    QStringList parts;
    for (const QueryTerm &t : terms) {
        const char *kind = t.kind == QueryTerm::Kind::Text    ? "T"
                           : t.kind == QueryTerm::Kind::Image ? "I"
                                                              : "P";
        parts << QStringLiteral("%1 %2 %3")
                     .arg(QLatin1String(kind))
                     .arg(double(t.weight), 0, 'g', 6)
                     .arg(QString::fromStdString(t.value));
    }
    return parts.join(QStringLiteral(" | "));
}

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return QStringLiteral("(no error)");
}

float norm(const std::vector<float> &v)
{
    double s = 0;
    for (const float x : v)
        s += double(x) * x;
    return float(std::sqrt(s));
}

float dot(const std::vector<float> &a, const float *b)
{
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return float(s);
}

bool near(float a, float b, float tolerance = 1e-5f)
{
    return std::abs(a - b) <= tolerance;
}

#define COMPARE_VECTOR(actual, expected, tolerance)                                                          \
    do {                                                                                                     \
        const std::vector<float> a_ = (actual), e_ = (expected);                                             \
        QCOMPARE(a_.size(), e_.size());                                                                      \
        for (size_t i_ = 0; i_ < a_.size(); ++i_)                                                            \
            QVERIFY2(near(a_[i_], e_[i_], tolerance),                                                        \
                     qPrintable(QStringLiteral("element %1: %2 != %3").arg(i_).arg(a_[i_]).arg(e_[i_])));    \
    } while (false)

std::vector<float> rowOf(const FloatArray &a, int64_t i)
{
    return std::vector<float>(a.row(i), a.row(i) + a.rowSize());
}

// A 24-bit BMP of one colour with a diagonal stripe, so photos differ.
void writeBmp(const std::string &path, int size, uint8_t r, uint8_t g, uint8_t b)
{
    const int rowBytes = (size * 3 + 3) / 4 * 4;
    const uint32_t dataSize = uint32_t(rowBytes * size);
    std::vector<uint8_t> file(54 + dataSize, 0);
    const auto put32 = [&](size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            file[at + size_t(i)] = uint8_t(v >> (8 * i));
    };
    file[0] = 'B';
    file[1] = 'M';
    put32(2, uint32_t(file.size()));
    put32(10, 54);
    put32(14, 40);
    put32(18, uint32_t(size));
    put32(22, uint32_t(size));
    file[26] = 1;  // planes
    file[28] = 24; // bits per pixel
    put32(34, dataSize);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            uint8_t *p = &file[54 + size_t(y * rowBytes + x * 3)];
            const bool stripe = std::abs(x - y) < 4;
            p[0] = stripe ? uint8_t(255 - b) : b; // BGR
            p[1] = stripe ? uint8_t(255 - g) : g;
            p[2] = stripe ? uint8_t(255 - r) : r;
        }
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(file.data()), std::streamsize(file.size()));
}

// A tiny random CLIP with a BPE tokenizer learned from a few captions: real towers, no reference weights.
ClipModel tinyModel()
{
    const std::vector<std::string> captions = {"a photo of a dog", "a puppy on the grass", "a cat on a sofa",
                                               "a red car",        "a beach at sunset",    "a mountain lake",
                                               "a bowl of fruit",  "golden retriever",     "birthday party"};
    ClipTokenizer tokenizer = ClipTokenizer::trainBpe(captions, 600);
    ClipConfig config = ClipConfig::preset("tiny");
    config.text.vocabSize = tokenizer.vocabSize();
    config.text.endToken = tokenizer.endToken();
    ClipModel model(config, "cpu", /*seed=*/1);
    model.setTokenizer(std::move(tokenizer));
    return model;
}

} // namespace

class TestQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // --- parseQuery ---

    void parsesExpressions_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("terms");
        QTest::newRow("header example 1") << "\"golden retriever\" + 0.5 * image:/photos/pool.jpg - \"fruit\""
                                          << "T 1 golden retriever | I 0.5 /photos/pool.jpg | T -1 fruit";
        QTest::newRow("bare words") << "dog - puppy + cat"
                                    << "T 1 dog | T -1 puppy | T 1 cat";
        QTest::newRow("header example 3") << "image:\"/photos/with spaces.jpg\" + 2*photo:42"
                                          << "I 1 /photos/with spaces.jpg | P 2 42";
        QTest::newRow("hyphenated word") << "t-shirt"
                                         << "T 1 t-shirt";
        QTest::newRow("hyphenated phrase") << "dog-friendly cafe"
                                           << "T 1 dog-friendly cafe";
        QTest::newRow("hyphens and operators") << "red t-shirt - blue t-shirt"
                                               << "T 1 red t-shirt | T -1 blue t-shirt";
        QTest::newRow("plus inside a word") << "c++ code"
                                            << "T 1 c++ code";
        QTest::newRow("operator starting a token") << "dog -puppy +cat"
                                                   << "T 1 dog | T -1 puppy | T 1 cat";
        QTest::newRow("leading minus and weight") << "-0.5 * \"fruit\""
                                                  << "T -0.5 fruit";
        QTest::newRow("leading minus") << "- dog + cat"
                                       << "T -1 dog | T 1 cat";
        QTest::newRow("leading plus") << "+dog"
                                      << "T 1 dog";
        QTest::newRow("minus multiplies the weight") << "dog - 2 * cat"
                                                     << "T 1 dog | T -2 cat";
        QTest::newRow("no spaces around quoted terms") << "\"a\"+\"b\"-\"c\""
                                                       << "T 1 a | T 1 b | T -1 c";
        QTest::newRow("escaped quote") << "\"say \\\"cheese\\\"\""
                                       << "T 1 say \"cheese\"";
        QTest::newRow("escaped backslash") << "\"back\\\\slash\""
                                           << "T 1 back\\slash";
        QTest::newRow("other backslashes kept") << "image:\"C:\\photos\\a.jpg\""
                                                << "I 1 C:\\photos\\a.jpg";
        QTest::newRow("white space collapses") << "  golden \t  retriever  "
                                               << "T 1 golden retriever";
        QTest::newRow("quoted text kept as typed") << "\" golden  retriever \""
                                                   << "T 1  golden  retriever ";
        QTest::newRow("number starting a text") << "3 dogs on a sofa"
                                                << "T 1 3 dogs on a sofa";
        QTest::newRow("weight before a number") << "2 * 3 dogs"
                                                << "T 2 3 dogs";
        QTest::newRow("exponent weight") << "1e-1*cat"
                                         << "T 0.1 cat";
        QTest::newRow("leading dot weight") << ".5 * cat"
                                            << "T 0.5 cat";
        QTest::newRow("image up to white space") << "image:a+b.jpg - dog"
                                                 << "I 1 a+b.jpg | T -1 dog";
        QTest::newRow("photo id normalised") << "photo:007"
                                             << "P 1 7";
        QTest::newRow("photo then operator") << "photo:42-photo:43"
                                             << "P 1 42 | P -1 43";
        QTest::newRow("unicode") << "café - 0.5 * crème brûlée"
                                 << "T 1 café | T -0.5 crème brûlée";
        QTest::newRow("three kinds") << "image:x.png - photo:3 + 0.25 * \"sky\""
                                     << "I 1 x.png | P -1 3 | T 0.25 sky";
    }

    void parsesExpressions()
    {
        QFETCH(QString, expression);
        QFETCH(QString, terms);
        QCOMPARE(describe(parseQuery(expression.toStdString())), terms);
    }

    void refusesMalformedExpressions_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "query: the expression is empty";
        QTest::newRow("blank") << "   "
                               << "query: the expression is empty";
        QTest::newRow("trailing plus") << "dog +"
                                       << "query: expected a term after '+' at column 5";
        QTest::newRow("trailing minus after quote") << "\"golden retriever\" - "
                                                    << "query: expected a term after '-' at column 20";
        QTest::newRow("two operators") << "dog + - cat"
                                       << "query: expected a term after '+' at column 5";
        QTest::newRow("lone minus") << "-"
                                    << "query: expected a term after '-' at column 1";
        QTest::newRow("unterminated quote") << "\"dog"
                                            << "query: unterminated quote at column 1";
        QTest::newRow("unterminated later") << "cat + \"dog"
                                            << "query: unterminated quote at column 7";
        QTest::newRow("escaped closing quote") << "\"dog\\\""
                                               << "query: unterminated quote at column 1";
        QTest::newRow("empty text") << "\"\""
                                    << "query: empty text at column 1";
        QTest::newRow("blank text") << "dog + \"  \""
                                    << "query: empty text at column 7";
        QTest::newRow("image without path") << "image:"
                                            << "query: 'image:' without a path at column 1";
        QTest::newRow("image then space") << "dog + image: x"
                                          << "query: 'image:' without a path at column 7";
        QTest::newRow("image empty quotes") << "image:\"\""
                                            << "query: 'image:' without a path at column 1";
        QTest::newRow("image unterminated") << "image:\"a.jpg"
                                            << "query: unterminated quote at column 7";
        QTest::newRow("photo without id") << "photo:"
                                          << "query: 'photo:' without an id at column 1";
        QTest::newRow("photo letters")
            << "photo:abc"
            << "query: bad photo id 'abc' (expected a number, as in photo:42) at column 1";
        QTest::newRow("photo trailing letters") << "cat + photo:12x"
                                                << "query: bad photo id '12x' (expected a number, as in "
                                                   "photo:42) at column 7";
        QTest::newRow("photo too large")
            << "photo:99999999999999999999"
            << "query: bad photo id '99999999999999999999' (expected a number, as "
               "in photo:42) at column 1";
        QTest::newRow("two quoted terms") << "\"a\" \"b\""
                                          << "query: expected '+' or '-' between terms at column 5";
        QTest::newRow("words then image") << "dog image:x.jpg"
                                          << "query: expected '+' or '-' between terms at column 5";
        QTest::newRow("weight after term")
            << "dog * 2"
            << "query: unexpected '*' (a weight goes before its term, as in 0.5 * "
               "dog) at column 5";
        QTest::newRow("star first")
            << "* dog"
            << "query: unexpected '*' (a weight goes before its term, as in 0.5 * dog) at "
               "column 1";
        QTest::newRow("nothing after star") << "2 * "
                                            << "query: expected a term after '*' at column 3";
        QTest::newRow("operator after star") << "2 * - dog"
                                             << "query: expected a term after '*' at column 3";
        QTest::newRow("infinite weight") << "1e999 * dog"
                                         << "query: weight '1e999' is not a finite number at column 1";
        QTest::newRow("columns count characters") << "café +"
                                                  << "query: expected a term after '+' at column 6";
    }

    void refusesMalformedExpressions()
    {
        QFETCH(QString, expression);
        QFETCH(QString, message);
        QCOMPARE(errorOf([&] { parseQuery(expression.toStdString()); }), message);
    }

    // --- queryVector ---

    void queryVectorIsTheNormalisedWeightedSum()
    {
        HandEmbedder embedder(3);
        embedder.texts = {
            {"a", {1, 0, 0}}, {"b", {0, 3, 4}}, {"c", {0, 0, 2}}}; // normalised: b (0,.6,.8), c (0,0,1)
        const std::vector<float> v = queryVector(parseQuery("\"a\" + 0.5 * \"b\" - \"c\""), embedder);
        // (1, 0.3, 0.4 - 1) / |(1, 0.3, -0.6)| = (1, 0.3, -0.6) / sqrt(1.45)
        COMPARE_VECTOR(v, (std::vector<float>{0.8304548f, 0.2491364f, -0.4982729f}), 1e-6f);
        QCOMPARE(embedder.textCalls, 1); // one batch for all texts
        QCOMPARE(embedder.imageCalls, 0);
    }

    void queryVectorMixesTextsAndImages()
    {
        HandEmbedder embedder(3);
        embedder.texts = {{"dog", {1, 0, 0}}, {"fruit", {0, 0, 1}}};
        embedder.images = {{"/p/pool.jpg", {0, 5, 0}}, {"/p/sea.jpg", {0, 1, 1}}};
        const std::vector<float> v = queryVector(
            parseQuery("\"dog\" + 2 * image:/p/pool.jpg - \"fruit\" + image:/p/sea.jpg"), embedder);
        // (1,0,0) + 2 (0,1,0) - (0,0,1) + (0, .70710678, .70710678) = (1, 2.70710678, -0.29289322)
        const float n = std::sqrt(1.0f + 2.70710678f * 2.70710678f + 0.29289322f * 0.29289322f);
        COMPARE_VECTOR(v, (std::vector<float>{1 / n, 2.70710678f / n, -0.29289322f / n}), 1e-6f);
        QCOMPARE(embedder.textCalls, 1);
        QCOMPARE(embedder.imageCalls, 1);
        QVERIFY(near(norm(v), 1));
    }

    void queryVectorRefusesWhatCannotBeEmbedded()
    {
        HandEmbedder embedder(3);
        embedder.texts = {{"dog", {1, 0, 0}}, {"zero", {0, 0, 0}}};
        QCOMPARE(errorOf([&] { queryVector(parseQuery("dog - dog"), embedder); }),
                 "query: the weighted sum of the terms is zero (they cancel out)");
        QCOMPARE(errorOf([&] { queryVector(parseQuery("0 * dog"), embedder); }),
                 "query: the weighted sum of the terms is zero (they cancel out)");
        QCOMPARE(errorOf([&] { queryVector(parseQuery("dog + cat"), embedder); }),
                 "query: embedding the texts: no vector for 'cat'");
        QCOMPARE(errorOf([&] { queryVector(parseQuery("dog + image:/nowhere.jpg"), embedder); }),
                 "query: embedding the images: reading '/nowhere.jpg': no such file");
        QVERIFY(errorOf([&] {
                    queryVector(parseQuery("dog + zero"), embedder);
                }).startsWith("query: \"zero\" has no direction"));
        QCOMPARE(errorOf([&] { queryVector(parseQuery("dog + photo:4"), embedder); }),
                 "query: photo:4 needs a library");
        QCOMPARE(errorOf([&] { queryVector({}, embedder); }), "query: no terms");
    }

    // --- templates and labels ---

    void loadsPromptTemplates()
    {
        const std::vector<std::string> defaults = loadPromptTemplates("default");
        QCOMPARE(defaults, defaultPromptTemplates());
        QVERIFY2(defaults.size() >= 20 && defaults.size() <= 40,
                 qPrintable(QString::number(defaults.size())));
        QCOMPARE(defaults.front(), std::string("a photo of a {}."));
        std::set<std::string> unique;
        for (const std::string &t : defaults) {
            QVERIFY2(t.find("{}") != std::string::npos, t.c_str());
            QVERIFY2(t.front() != '#' && t.front() != ' ' && t.back() != ' ', t.c_str());
            unique.insert(t);
        }
        QCOMPARE(unique.size(), defaults.size());
        QVERIFY(loadPromptTemplates("none").empty());

        QTemporaryDir dir;
        const std::string good = dir.filePath("good.txt").toStdString();
        std::ofstream(good, std::ios::binary)
            << "# my templates\r\n\r\n  a sketch of a {}.  \r\n# another comment\n"
               "{} on a table\n";
        QCOMPARE(loadPromptTemplates(good), (std::vector<std::string>{"a sketch of a {}.", "{} on a table"}));

        const std::string bad = dir.filePath("bad.txt").toStdString();
        std::ofstream(bad) << "a photo of a {}.\na photo without a slot\n";
        QCOMPARE(errorOf([&] { loadPromptTemplates(bad); }),
                 QString::fromStdString("prompt templates '" + bad +
                                        "': 'a photo without a slot' has no {} where the label goes"));
        const std::string empty = dir.filePath("empty.txt").toStdString();
        std::ofstream(empty) << "# only a comment\n\n";
        QVERIFY(errorOf([&] { loadPromptTemplates(empty); }).contains("no templates"));
        const std::string missing = dir.filePath("missing.txt").toStdString();
        const QString error = errorOf([&] { loadPromptTemplates(missing); });
        QVERIFY2(error.startsWith("prompt templates: ") && error.contains(QString::fromStdString(missing)),
                 qPrintable(error));
    }

    void labelVectorsAverageTheTemplates()
    {
        HandEmbedder embedder(3);
        embedder.texts = {{"a photo of a dog.", {1, 0, 0}},
                          {"a drawing of a dog.", {0, 2, 0}},
                          {"a photo of a golden retriever.", {0, 0, 1}},
                          {"a drawing of a golden retriever.", {0, 0, 3}},
                          {"dog", {3, 4, 0}}};
        const FloatArray v =
            labelVectors({"dog", " golden  retriever"}, {"a photo of a {}.", "a drawing of a {}."}, embedder);
        QCOMPARE(v.shape, (std::vector<int64_t>{2, 3}));
        // mean((1,0,0), (0,1,0)) = (.5,.5,0), normalised; the second label's templates agree.
        COMPARE_VECTOR(rowOf(v, 0), (std::vector<float>{0.70710678f, 0.70710678f, 0}), 1e-6f);
        COMPARE_VECTOR(rowOf(v, 1), (std::vector<float>{0, 0, 1}), 1e-6f);
        QCOMPARE(embedder.textCalls, 1);
        QCOMPARE(embedder.textsEmbedded, int64_t(4));

        // Without templates the labels are embedded as typed.
        const FloatArray plain = labelVectors({"dog"}, {}, embedder);
        COMPARE_VECTOR(rowOf(plain, 0), (std::vector<float>{0.6f, 0.8f, 0}), 1e-6f);
        QCOMPARE(labelVectors({}, {"a photo of a {}."}, embedder).shape, (std::vector<int64_t>{0, 3}));
        QCOMPARE(errorOf([&] { labelVectors({"dog", " "}, {}, embedder); }), "classify: empty label");
    }

    // --- classify ---

    void classifiesWithSoftmax()
    {
        // Labels along the axes; logit scale 2 keeps the probabilities away from 0 and 1.
        const FloatArray labels({3, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1});
        const float s = 1 / std::sqrt(3.0f);
        // Photos given out of id order: 30 -> (1,0,0), 10 -> (.6,.8,0), 20 -> (1,1,1)/sqrt(3).
        const FloatArray photos({3, 3}, {1, 0, 0, 0.6f, 0.8f, 0, s, s, s});
        const Classification c = classify(photos, {30, 10, 20}, {"cat", "dog", "car"}, labels, 2, 0.5f);
        QCOMPARE(c.labels, (std::vector<std::string>{"cat", "dog", "car"}));
        QCOMPARE(c.threshold, 0.5f);
        QCOMPARE(c.photos.size(), size_t(3));
        QCOMPARE(c.photos[0].photoId, int64_t(10));
        QCOMPARE(c.photos[1].photoId, int64_t(20));
        QCOMPARE(c.photos[2].photoId, int64_t(30));
        // Photo 10: logits (1.2, 1.6, 0) -> e^1.2, e^1.6, 1 over 9.2731492
        COMPARE_VECTOR(c.photos[0].probabilities, (std::vector<float>{0.3580355f, 0.5341262f, 0.1078382f}),
                       1e-6f);
        QCOMPARE(c.photos[0].labelIndex, 1);
        QVERIFY(near(c.photos[0].probability, 0.5341262f, 1e-6f));
        // Photo 20: equal logits -> a third each, below the threshold: "none of these"; the probability
        // stays.
        COMPARE_VECTOR(c.photos[1].probabilities, (std::vector<float>{1 / 3.0f, 1 / 3.0f, 1 / 3.0f}), 1e-6f);
        QCOMPARE(c.photos[1].labelIndex, -1);
        QVERIFY(near(c.photos[1].probability, 1 / 3.0f, 1e-6f));
        // Photo 30: logits (2, 0, 0) -> e^2 / (e^2 + 2) = 0.7869860, 1 / (e^2 + 2) = 0.1065070
        COMPARE_VECTOR(c.photos[2].probabilities, (std::vector<float>{0.7869860f, 0.1065070f, 0.1065070f}),
                       1e-6f);
        QCOMPARE(c.photos[2].labelIndex, 0);

        // A threshold at the probability keeps the label; just above it drops it.
        QCOMPARE(classify(photos, {30, 10, 20}, {"cat", "dog", "car"}, labels, 2, 0.5341262f - 1e-6f)
                     .photos[0]
                     .labelIndex,
                 1);
        QCOMPARE(
            classify(photos, {30, 10, 20}, {"cat", "dog", "car"}, labels, 2, 0.5342f).photos[0].labelIndex,
            -1);
        QCOMPARE(classify(photos, {30, 10, 20}, {"cat", "dog", "car"}, labels, 2, 0).photos[1].labelIndex, 0);
    }

    void classifyIsNumericallyStable()
    {
        // CLIP's logit scale is 100; a careless softmax of 1000 * cos overflows to inf / inf = NaN.
        const FloatArray labels({2, 2}, {1, 0, 0, 1});
        const FloatArray photos({1, 2}, {1, 0});
        const Classification c = classify(photos, {1}, {"x", "y"}, labels, 1000, 0.9f);
        QCOMPARE(c.photos[0].labelIndex, 0);
        QCOMPARE(c.photos[0].probabilities[0], 1.0f);
        QCOMPARE(c.photos[0].probabilities[1], 0.0f);
    }

    void classifyRefusesMismatches()
    {
        const FloatArray labels({2, 2}, {1, 0, 0, 1});
        const FloatArray photos({1, 2}, {1, 0});
        QVERIFY(errorOf([&] { classify(photos, {1}, {}, FloatArray({0, 2}), 1, 0); }).contains("no labels"));
        QVERIFY(errorOf([&] { classify(photos, {1}, {"x"}, labels, 1, 0); }).contains("1 labels but"));
        QVERIFY(errorOf([&] {
                    classify(FloatArray({1, 3}), {1}, {"x", "y"}, labels, 1, 0);
                }).contains("dimension 2"));
        QVERIFY(errorOf([&] { classify(photos, {1, 2}, {"x", "y"}, labels, 1, 0); }).contains("2 photo ids"));
        QVERIFY(errorOf([&] { classify(photos, {1}, {"x", "y"}, labels, 1, 1.5f); }).contains("threshold"));
        QCOMPARE(classify(FloatArray({0, 2}), {}, {"x", "y"}, labels, 1, 0).photos.size(), size_t(0));
    }

    // --- vocabulary and nearest texts ---

    void vocabularyHasThousandsOfUniqueEntries()
    {
        const std::vector<std::string> &vocabulary = defaultVocabulary();
        QVERIFY2(vocabulary.size() >= 2000 && vocabulary.size() <= 4000,
                 qPrintable(QString::number(vocabulary.size())));
        QCOMPARE(&defaultVocabulary(), &vocabulary); // parsed once
        std::set<std::string> unique;
        for (const std::string &entry : vocabulary) {
            QVERIFY(!entry.empty());
            QVERIFY2(entry.front() != ' ' && entry.back() != ' ' && entry.find("  ") == std::string::npos,
                     entry.c_str());
            QVERIFY2(entry.front() != '#', entry.c_str());
            for (const char c : entry)
                QVERIFY2(!(c >= 'A' && c <= 'Z'), entry.c_str());
            QVERIFY2(unique.insert(entry).second, ("twice: " + entry).c_str());
        }
        for (const char *expected :
             {"dog", "cat", "beach", "sunset", "close-up", "portrait", "macro", "night sky", "birthday party",
              "snow", "mountain", "car", "pizza", "watercolor", "red"})
            QVERIFY2(unique.count(expected), expected);
    }

    void nearestTextsRanksByInnerProduct()
    {
        const FloatArray vectors({5, 3}, {1, 0, 0, 0, 1, 0, 0.6f, 0.8f, 0, 0, 0, 1, 0.6f, 0.8f, 0});
        const std::vector<std::string> texts = {"x", "y", "xy", "z", "xy again"};
        const std::vector<float> q = {0.8f, 0.6f, 0};
        // scores: x .8, y .6, xy .96, z 0, "xy again" .96 (a tie keeps the vocabulary's order)
        const std::vector<TextHit> hits = nearestTexts(q, vectors, texts, 3);
        QCOMPARE(hits.size(), size_t(3));
        QCOMPARE(hits[0].text, std::string("xy"));
        QCOMPARE(hits[1].text, std::string("xy again"));
        QCOMPARE(hits[2].text, std::string("x"));
        QVERIFY(near(hits[0].score, 0.96f) && near(hits[1].score, 0.96f) && near(hits[2].score, 0.8f));
        const std::vector<TextHit> all = nearestTexts(q, vectors, texts, 99);
        QCOMPARE(all.size(), size_t(5));
        QCOMPARE(all[3].text, std::string("y"));
        QCOMPARE(all[4].text, std::string("z"));
        QVERIFY(nearestTexts(q, vectors, texts, 0).empty());
        QVERIFY(errorOf([&] { nearestTexts({1, 0}, vectors, texts, 1); }).contains("dimension 2"));
        QVERIFY(errorOf([&] { nearestTexts(q, vectors, {"a"}, 1); }).contains("1 texts"));
    }

    // --- the model embedder ---

    void modelEmbedderNormalisesTheModelsOutputs()
    {
        const ClipModel model = tinyModel();
        const ModelEmbedder embedder(model);
        QCOMPARE(embedder.dim(), model.embedDim());
        QCOMPARE(embedder.logitScale(), model.logitScale());

        const std::vector<std::string> texts = {"a photo of a dog", "a red car"};
        const FloatArray rows = embedder.embedTexts(texts);
        FloatArray expected = model.encodeText(texts);
        normalizeRows(expected);
        QCOMPARE(rows.shape, (std::vector<int64_t>{2, model.embedDim()}));
        COMPARE_VECTOR(rows.data, expected.data, 1e-5f);
        QVERIFY(near(norm(rowOf(rows, 1)), 1));
        QCOMPARE(embedder.embedTexts({}).shape, (std::vector<int64_t>{0, model.embedDim()}));

        QTemporaryDir dir;
        const std::string red = dir.filePath("red.bmp").toStdString();
        const std::string blue = dir.filePath("blue.bmp").toStdString();
        writeBmp(red, 80, 220, 30, 30);
        writeBmp(blue, 64, 20, 40, 230);
        const FloatArray images = embedder.embedImages({red, blue});
        FloatArray expectedImages =
            model.encodeImage(preprocessFiles({red, blue}, model.config().preprocess));
        normalizeRows(expectedImages);
        QCOMPARE(images.shape, (std::vector<int64_t>{2, model.embedDim()}));
        COMPARE_VECTOR(images.data, expectedImages.data, 1e-5f);
        QVERIFY(near(norm(rowOf(images, 0)), 1));

        const std::string missing = dir.filePath("missing.jpg").toStdString();
        QVERIFY(errorOf([&] {
                    embedder.embedImages({red, missing});
                }).contains(QString::fromStdString(missing)));
    }

    // --- with a library ---

    void vocabularyVectorsAreCachedInTheLibrary()
    {
        QTemporaryDir dir;
        const Library library = Library::open(dir.filePath("lib").toStdString());
        HandEmbedder embedder(4);
        embedder.fallback = true;
        embedder.texts = {{"dog", {3, 0, 4, 0}}};
        const std::vector<std::string> vocabulary = {"dog", "cat", "tree"};

        const FloatArray first = vocabularyVectors(library, "model-a", vocabulary, embedder);
        QCOMPARE(first.shape, (std::vector<int64_t>{3, 4}));
        COMPARE_VECTOR(rowOf(first, 0), (std::vector<float>{0.6f, 0, 0.8f, 0}), 1e-6f);
        for (int64_t i = 0; i < 3; ++i)
            QVERIFY(near(norm(rowOf(first, i)), 1));
        QCOMPARE(embedder.textsEmbedded, int64_t(3));

        const std::filesystem::path cache = std::filesystem::path(library.folder()) / "cache";
        std::vector<std::filesystem::path> files;
        for (const auto &entry : std::filesystem::directory_iterator(cache))
            files.push_back(entry.path());
        QCOMPARE(files.size(), size_t(1));
        const std::string name = files[0].filename().string();
        QVERIFY2(name.rfind("vocabulary-model-a-", 0) == 0 && name.size() == 19 + 16 + 4 &&
                     name.substr(name.size() - 4) == ".npy",
                 name.c_str());
        QCOMPARE(readNpy(files[0].string()).data, first.data);

        // Read back, not embedded again.
        const FloatArray second = vocabularyVectors(library, "model-a", vocabulary, embedder);
        QCOMPARE(second.data, first.data);
        QCOMPARE(embedder.textsEmbedded, int64_t(3));

        // Another model, another vocabulary, another dimension: separate files or a fresh embedding.
        vocabularyVectors(library, "model-b", vocabulary, embedder);
        vocabularyVectors(library, "model-a", {"dog", "cat"}, embedder);
        QCOMPARE(embedder.textsEmbedded, int64_t(3 + 3 + 2));
        HandEmbedder wider(5);
        wider.fallback = true;
        QCOMPARE(vocabularyVectors(library, "model-a", vocabulary, wider).shape,
                 (std::vector<int64_t>{3, 5}));
        QCOMPARE(wider.textsEmbedded, int64_t(3));

        // A damaged cache is embedded again and rewritten.
        std::ofstream(files[0], std::ios::binary | std::ios::trunc) << "not an npy file";
        const FloatArray repaired = vocabularyVectors(library, "model-a", vocabulary, embedder);
        QCOMPARE(repaired.data, first.data);
        QCOMPARE(readNpy(files[0].string()).data, first.data);
    }

    void probeFindsPhotosAndTexts()
    {
        QTemporaryDir dir;
        const std::string photos = dir.filePath("photos").toStdString();
        std::filesystem::create_directories(photos);
        const uint8_t colours[][3] = {
            {220, 30, 30}, {30, 200, 40}, {20, 40, 230}, {240, 240, 240}, {10, 10, 10}};
        for (int i = 0; i < 5; ++i)
            writeBmp(photos + "/photo" + std::to_string(i) + ".bmp", 64 + 8 * i, colours[i][0], colours[i][1],
                     colours[i][2]);
        const ClipModel model = tinyModel();
        const std::string modelPath = dir.filePath("model").toStdString();
        model.save(modelPath);
        Library library = Library::open(dir.filePath("lib").toStdString());
        const IndexSummary summary = library.index(model, modelPath, {photos});
        QCOMPARE(summary.indexed, int64_t(5));
        QCOMPARE(summary.failed, int64_t(0));
        const std::string modelId = modelIdentity(model);
        const ModelEmbedder embedder(model);

        const ProbeResult result = probe(library, modelId, "dog - puppy + cat", embedder, 3);
        QVERIFY(near(norm(result.vector), 1));
        COMPARE_VECTOR(result.vector, queryVector(parseQuery("dog - puppy + cat"), embedder), 1e-6f);
        QCOMPARE(result.photos.size(), size_t(3));
        for (size_t i = 0; i < result.photos.size(); ++i) {
            const std::optional<std::vector<float>> e = library.embedding(modelId, result.photos[i].photoId);
            QVERIFY(e.has_value());
            QVERIFY(near(result.photos[i].score, dot(result.vector, e->data()), 1e-4f));
            if (i)
                QVERIFY(result.photos[i - 1].score >= result.photos[i].score);
        }
        // The nearest vocabulary texts, best first, without the expression's own texts.
        const FloatArray vectors = vocabularyVectors(library, modelId, defaultVocabulary(), embedder);
        std::vector<TextHit> expected;
        for (const TextHit &hit : nearestTexts(result.vector, vectors, defaultVocabulary(), 6))
            if (hit.text != "dog" && hit.text != "puppy" && hit.text != "cat" && expected.size() < 3)
                expected.push_back(hit);
        QCOMPARE(result.texts.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(result.texts[i].text, expected[i].text);
            QVERIFY(near(result.texts[i].score, expected[i].score, 1e-6f));
        }
        // "cat" alone: the vocabulary's "cat" matches the query exactly, and is left out all the same.
        const ProbeResult cat = probe(library, modelId, "  CAT ", embedder, 5);
        for (const TextHit &hit : cat.texts)
            QVERIFY(hit.text != "cat");
        QVERIFY(std::filesystem::exists(std::filesystem::path(library.folder()) / "cache"));

        // photo: terms read the stored embedding.
        const int64_t id = result.photos[0].photoId;
        const std::vector<float> stored = *library.embedding(modelId, id);
        const std::vector<float> v =
            queryVector(parseQuery("photo:" + std::to_string(id)), embedder, &library, modelId);
        std::vector<float> unit = stored;
        for (float &x : unit)
            x /= norm(stored);
        COMPARE_VECTOR(v, unit, 1e-6f);
        QCOMPARE(probe(library, modelId, "photo:" + std::to_string(id), embedder, 1).photos.at(0).photoId,
                 id);
        QVERIFY(errorOf([&] {
                    queryVector(parseQuery("photo:999999"), embedder, &library, modelId);
                }).contains("no photo 999999"));
        QVERIFY(errorOf([&] {
                    queryVector(parseQuery("photo:" + std::to_string(id)), embedder, &library, "other");
                }).contains("no embedding with model other"));
    }
};

QTEST_GUILESS_MAIN(TestQuery)
#include "tst_query.moc"
