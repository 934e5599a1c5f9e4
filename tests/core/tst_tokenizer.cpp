#include "fixtures.h"

#include "lodestone/error.h"
#include "lodestone/tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

using namespace lodestone;

namespace {

using Ids = std::vector<int32_t>;

// The reference's bytes_to_unicode(), written out independently of the implementation: the printable
// Latin-1 bytes keep their code point and come first in the vocabulary, the other 68 bytes follow,
// standing in as U+0100 onwards.
bool isPrintableByte(int b)
{
    return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

int32_t byteId(uint8_t b)
{
    int index = 0;
    for (int x = 0; x < b; ++x)
        index += isPrintableByte(x) == isPrintableByte(b) ? 1 : 0;
    return isPrintableByte(b) ? index : 188 + index;
}
int32_t byteEndId(uint8_t b)
{
    return byteId(b) + 256;
}

QString byteSymbol(int b)
{
    if (isPrintableByte(b))
        return QString(QChar(b));
    int n = 0;
    for (int x = 0; x < b; ++x)
        n += isPrintableByte(x) ? 0 : 1;
    return QString(QChar(256 + n));
}

// A small merges list: ids 512 + rank. "hello" and "world" become single tokens; "b c</w>" outranks
// "a b", so "abc" shows that the lowest rank merges first.
const std::vector<std::pair<QString, QString>> kMerges = {
    {"l", "l"}, {"h", "e"}, {"he", "ll"}, {"hell", "o</w>"}, {"b", "c</w>"},
    {"a", "b"}, {"w", "o"}, {"wo", "r"},  {"wor", "l"},      {"worl", "d</w>"},
};
constexpr int32_t kHello = 515, kBc = 516, kAb = 517, kWorld = 521, kStart = 522, kEnd = 523;

uint32_t crc32(const QByteArray &data)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (const char c : data) {
        crc ^= uint8_t(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void appendLe32(QByteArray &out, uint32_t v)
{
    for (int k = 0; k < 4; ++k)
        out.append(char((v >> (8 * k)) & 0xFF));
}

// A gzip file with "stored" deflate blocks: valid gzip without needing zlib in the test.
QByteArray gzipStored(const QByteArray &data)
{
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    qsizetype pos = 0;
    do {
        const qsizetype len = std::min<qsizetype>(65535, data.size() - pos);
        out.append(char(pos + len == data.size() ? 1 : 0));
        out.append(char(len & 0xFF));
        out.append(char((len >> 8) & 0xFF));
        out.append(char(~len & 0xFF));
        out.append(char((~len >> 8) & 0xFF));
        out.append(data.mid(pos, len));
        pos += len;
    } while (pos < data.size());
    appendLe32(out, crc32(data));
    appendLe32(out, uint32_t(data.size()));
    return out;
}

QByteArray mergesText(bool trailingNewline)
{
    QStringList lines{"#version: 0.2"};
    for (const auto &[left, right] : kMerges)
        lines << left + ' ' + right;
    return lines.join('\n').toUtf8() + (trailingNewline ? "\n" : "");
}

QByteArray vocabJson()
{
    QJsonObject vocab;
    for (int b = 0; b < 256; ++b) {
        vocab.insert(byteSymbol(b), byteId(uint8_t(b)));
        vocab.insert(byteSymbol(b) + "</w>", byteEndId(uint8_t(b)));
    }
    for (size_t rank = 0; rank < kMerges.size(); ++rank)
        vocab.insert(kMerges[rank].first + kMerges[rank].second, int(512 + rank));
    vocab.insert("<|startoftext|>", kStart);
    vocab.insert("<|endoftext|>", kEnd);
    return QJsonDocument(vocab).toJson();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The message of the lodestone::Error that `f` throws, or a null string when it throws nothing.
QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Captions of the kind a from-scratch model trains on: every combination, so the counts are known.
std::vector<std::string> shapeCaptions()
{
    const std::vector<std::string> colours = {"red", "green", "blue", "yellow"};
    const std::vector<std::string> shapes = {"circle", "square", "triangle"};
    std::vector<std::string> captions = {"a red circle", "two small blue squares"};
    for (const std::string &colour : colours) {
        for (const std::string &shape : shapes) {
            captions.push_back("a " + colour + " " + shape);
            captions.push_back("two small " + colour + " " + shape + "s");
            captions.push_back("A large " + colour + " " + shape + ", on grey.");
            for (const std::string &other : colours)
                captions.push_back("the " + colour + " " + shape + " is left of the " + other + " circle");
        }
    }
    captions.push_back("un caf\xc3\xa9 cr\xc3\xa8me \xe2\x98\x95 caf\xc3\xa9");
    return captions;
}

// What encode() sees of a caption: lower-cased, punctuation split off.
std::string cleaned(const ClipTokenizer &tok, const std::string &text)
{
    return tok.decode(tok.encode(text));
}

// Fails the current test unless `b` tokenizes like `a`: sizes, special tokens, the ids of `texts`, and
// the text of every id.
void compareTokenizers(const ClipTokenizer &a, const ClipTokenizer &b, const std::vector<std::string> &texts)
{
    QCOMPARE(b.vocabSize(), a.vocabSize());
    QCOMPARE(b.startToken(), a.startToken());
    QCOMPARE(b.endToken(), a.endToken());
    for (const std::string &text : texts)
        QCOMPARE(b.tokenize(text), a.tokenize(text));
    int differing = 0;
    for (int32_t id = 0; id < a.vocabSize(); ++id)
        differing += a.decode({id}) == b.decode({id}) ? 0 : 1;
    QCOMPARE(differing, 0);
}

// Byte-level BPE the slow, obvious way, for lower-case ASCII words: every pair recounted before every
// merge. Returns the merges as merges.txt lines ("left right").
QByteArrayList bruteForceBpe(const std::vector<std::string> &words, int merges)
{
    std::map<std::string, int32_t> ids;
    for (int b = 0; b < 256; ++b) {
        ids[byteSymbol(b).toStdString()] = byteId(uint8_t(b));
        ids[byteSymbol(b).toStdString() + "</w>"] = byteEndId(uint8_t(b));
    }
    std::vector<std::vector<std::string>> split;
    for (const std::string &word : words) {
        std::vector<std::string> symbols;
        for (size_t i = 0; i < word.size(); ++i)
            symbols.push_back(word.substr(i, 1) + (i + 1 == word.size() ? "</w>" : ""));
        split.push_back(symbols);
    }
    QByteArrayList out;
    while (int(out.size()) < merges) {
        std::map<std::pair<std::string, std::string>, int> counts;
        for (const auto &symbols : split)
            for (size_t i = 0; i + 1 < symbols.size(); ++i)
                ++counts[{symbols[i], symbols[i + 1]}];
        // The most frequent pair; on a tie the lowest (left id, right id).
        std::pair<std::string, std::string> best;
        int bestCount = 1;
        std::pair<int32_t, int32_t> bestIds;
        for (const auto &[pair, count] : counts) {
            const std::pair<int32_t, int32_t> pairIds{ids.at(pair.first), ids.at(pair.second)};
            if (count > bestCount || (count == bestCount && count >= 2 && pairIds < bestIds)) {
                best = pair;
                bestCount = count;
                bestIds = pairIds;
            }
        }
        if (bestCount < 2)
            break;
        ids[best.first + best.second] = 512 + int32_t(out.size());
        out.push_back(QByteArray::fromStdString(best.first + " " + best.second));
        for (auto &symbols : split) {
            std::vector<std::string> merged;
            for (size_t i = 0; i < symbols.size(); ++i) {
                if (i + 1 < symbols.size() && symbols[i] == best.first && symbols[i + 1] == best.second) {
                    merged.push_back(best.first + best.second);
                    ++i;
                } else {
                    merged.push_back(symbols[i]);
                }
            }
            symbols = merged;
        }
    }
    return out;
}

QByteArrayList lines(const QByteArray &text)
{
    QByteArrayList list = text.split('\n');
    if (!list.isEmpty() && list.back().isEmpty())
        list.pop_back();
    return list;
}

} // namespace

namespace QTest {
// Readable failure messages for id lists.
template <>
char *toString(const Ids &ids)
{
    QByteArray text = "[";
    for (size_t i = 0; i < ids.size(); ++i)
        text += (i ? ", " : "") + QByteArray::number(ids[i]);
    return qstrdup(text + "]");
}
} // namespace QTest

class TestTokenizer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ClipTokenizer> m_tok; // the handmade vocabulary, from the gzip'd merges
    std::map<QString, std::unique_ptr<ClipTokenizer>> m_fixtureTokenizers;

    std::string path(const QString &name) const { return m_dir.filePath(name).toStdString(); }

    QString roundTrip(const QByteArray &utf8) const
    {
        return QString::fromStdString(m_tok->decode(m_tok->encode(utf8.toStdString())));
    }

    const ClipTokenizer &fixtureTokenizer(const QString &layout, const std::string &dir)
    {
        auto &slot = m_fixtureTokenizers[layout];
        if (!slot) {
            if (layout == "openclip gz")
                slot = std::make_unique<ClipTokenizer>(
                    ClipTokenizer::fromBpeMergesGz(dir + "/openclip/bpe_simple_vocab_16e6.txt.gz"));
            else if (layout == "hf files")
                slot = std::make_unique<ClipTokenizer>(
                    ClipTokenizer::fromVocabAndMerges(dir + "/hf/vocab.json", dir + "/hf/merges.txt"));
            else if (layout == "openclip folder")
                slot = std::make_unique<ClipTokenizer>(ClipTokenizer::fromFolder(dir + "/openclip"));
            else
                slot = std::make_unique<ClipTokenizer>(ClipTokenizer::fromFolder(dir + "/hf"));
        }
        return *slot;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir(m_dir.path()).mkpath("gz"));
        QVERIFY(QDir(m_dir.path()).mkpath("hf"));
        QVERIFY(QDir(m_dir.path()).mkpath("empty"));
        writeFile(m_dir.filePath("handmade.txt.gz"), gzipStored(mergesText(/*trailingNewline=*/true)));
        writeFile(m_dir.filePath("gz/bpe_simple_vocab_16e6.txt.gz"), gzipStored(mergesText(false)));
        writeFile(m_dir.filePath("hf/vocab.json"), vocabJson());
        writeFile(m_dir.filePath("hf/merges.txt"), mergesText(/*trailingNewline=*/true));
        m_tok = std::make_unique<ClipTokenizer>(ClipTokenizer::fromBpeMergesGz(path("handmade.txt.gz")));
    }

    // --- the handmade vocabulary (always runs) ---

    void vocabularyLayout()
    {
        QCOMPARE(m_tok->vocabSize(), 512 + int(kMerges.size()) + 2);
        QCOMPARE(m_tok->startToken(), kStart);
        QCOMPARE(m_tok->endToken(), kEnd);
    }

    void encode_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<Ids>("expected");
        const auto e = [](char c) { return byteId(uint8_t(c)); };
        const auto w = [](char c) { return byteEndId(uint8_t(c)); };
        QTest::newRow("merges up to the word end") << QByteArray("hello") << Ids{kHello};
        QTest::newRow("lower-cased first") << QByteArray("HeLLo") << Ids{kHello};
        QTest::newRow("lowest rank merges first") << QByteArray("abc") << Ids{e('a'), kBc};
        QTest::newRow("a merge needs the </w> form at the end") << QByteArray("ab") << Ids{e('a'), w('b')};
        QTest::newRow("merge inside a word") << QByteArray("abd") << Ids{kAb, w('d')};
        QTest::newRow("two words") << QByteArray("hello world") << Ids{kHello, kWorld};
        QTest::newRow("punctuation pieces")
            << QByteArray("hello, world!") << Ids{kHello, w(','), kWorld, w('!')};
        QTest::newRow("whitespace runs")
            << QByteArray(" \t hello \n\n  world \xc2\xa0 ") << Ids{kHello, kWorld};
        QTest::newRow("html unescaped twice") << QByteArray("&amp;amp;") << Ids{w('&')};
        QTest::newRow("contraction") << QByteArray("it's") << Ids{e('i'), w('t'), e('\''), w('s')};
        QTest::newRow("numbers one by one") << QByteArray("12") << Ids{w('1'), w('2')};
        QTest::newRow("empty") << QByteArray("") << Ids{};
        QTest::newRow("only whitespace") << QByteArray("  \n\t ") << Ids{};
        QTest::newRow("end token in the text") << QByteArray("<|endoftext|>") << Ids{kEnd};
        QTest::newRow("start token in the text") << QByteArray("x<|startoftext|>") << Ids{w('x'), kStart};
        QTest::newRow("two-byte character") << QByteArray("\xc3\xa9") << Ids{byteId(0xC3), byteEndId(0xA9)};
        QTest::newRow("invalid UTF-8 becomes U+FFFD")
            << QByteArray("\xff") << Ids{byteId(0xEF), byteId(0xBF), byteEndId(0xBD)};
    }

    void encode()
    {
        QFETCH(QByteArray, text);
        QFETCH(Ids, expected);
        QCOMPARE(m_tok->encode(text.toStdString()), expected);
    }

    // Cleaning and pre-tokenising, seen through decode(encode(text)): the pieces come back joined by spaces.
    void cleaning_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        // HTML: ftfy unescapes until nothing changes unless the text holds a '<'; then html.unescape twice.
        QTest::newRow("&amp;amp;") << QByteArray("&amp;amp;") << "&";
        QTest::newRow("three levels, no '<'") << QByteArray("&amp;amp;amp;") << "&";
        QTest::newRow("three levels with '<'") << QByteArray("< &amp;amp;amp;") << "< & amp ;";
        QTest::newRow("decimal") << QByteArray("&#39;") << "'";
        QTest::newRow("hex") << QByteArray("&#x27;") << "'";
        QTest::newRow("decimal without ';'") << QByteArray("a&#39b") << "a ' b";
        QTest::newRow("hex without ';'") << QByteArray("a&#x27 b") << "a ' b";
        QTest::newRow("hex digits run on") << QByteArray("a&#x27b") << QString("a") + QChar(0x27B);
        QTest::newRow("named") << QByteArray("caf&eacute;") << "café";
        QTest::newRow("legacy name without ';'") << QByteArray("&eacute") << "é";
        QTest::newRow("longest legacy prefix") << QByteArray("&notit;") << "¬ it ;";
        QTest::newRow("Windows-1252 reference") << QByteArray("&#150;") << "–";
        QTest::newRow("&#0;") << QByteArray("&#0;") << QString(QChar(0xFFFD));
        QTest::newRow("surrogate reference") << QByteArray("&#xD800;") << QString(QChar(0xFFFD));
        QTest::newRow("forbidden code point dropped") << QByteArray("a&#1;b") << "ab";
        QTest::newRow("unknown name kept") << QByteArray("&bogus;") << "& bogus ;";
        // Whitespace and case.
        QTest::newRow("runs of whitespace") << QByteArray("lots    of\t\tspaces \n") << "lots of spaces";
        QTest::newRow("Unicode spaces") << QByteArray("a\xc2\xa0"
                                                      "b\xe3\x80\x80"
                                                      "c")
                                        << "a b c";
        QTest::newRow("lower-case") << QByteArray("CAF\xc3\x89") << "café";
        QTest::newRow("final sigma") << QByteArray("\xce\x9f\xce\x94\xce\x9f\xce\xa3") << "οδος";
        QTest::newRow("sigma inside and at the end") << QByteArray("\xce\xa3\xce\x91\xce\xa3") << "σας";
        QTest::newRow("dotted capital I") << QByteArray("\xc4\xb0") << QString("i ") + QChar(0x307);
        // ftfy's character fixes and NFC.
        QTest::newRow("NFC") << QByteArray("e\xcc\x81") << "é";
        QTest::newRow("curly apostrophe") << QByteArray("it\xe2\x80\x99s") << "it 's";
        QTest::newRow("curly quotes") << QByteArray("\xe2\x80\x9cquoted\xe2\x80\x9d") << "\" quoted \"";
        QTest::newRow("ligature") << QByteArray("\xef\xac\x81ne") << "fine";
        QTest::newRow("full width") << QByteArray("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x81")
                                    << "abc !";
        QTest::newRow("terminal escapes") << QByteArray("\x1b[31mred\x1b[0m") << "red";
        QTest::newRow("C1 control as Windows-1252") << QByteArray("it\xc2\x92s") << "it 's";
        QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf"
                                                       "bom")
                                         << "bom";
        QTest::newRow("invalid UTF-8") << QByteArray("\xff\xfeok") << QString(2, QChar(0xFFFD)) + " ok";
        // The pre-tokenising pattern.
        QTest::newRow("words, a number, punctuation")
            << QByteArray("a photo of 3 dogs!!") << "a photo of 3 dogs !!";
        QTest::newRow("digits one at a time") << QByteArray("2024") << "2 0 2 4";
        QTest::newRow("contractions")
            << QByteArray("we're i'll you've i'm he'd don't") << "we 're i 'll you 've i 'm he 'd don 't";
        QTest::newRow("not a contraction") << QByteArray("'x") << "' x";
        QTest::newRow("special token inside punctuation")
            << QByteArray("!<|endoftext|>") << "!<| endoftext |>";
        QTest::newRow("CJK letters") << QByteArray(
                                            "\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xae\xe5\xa4\x9c\xe6\x99\xaf")
                                     << "東京の夜景";
        QTest::newRow("emoji") << QByteArray("\xf0\x9f\x9b\xb9\xf0\x9f\x9b\xb9 ok") << "🛹🛹 ok";
        QTest::newRow("other numbers") << QByteArray("\xc2\xbd\xe2\x85\xab\xc2\xb2") << "½ ⅻ ²";
    }

    void cleaning()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QCOMPARE(roundTrip(text), expected);
    }

    void truncation_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("contextLength");
        QTest::addColumn<Ids>("expected");
        QTest::newRow("fits: no padding") << QByteArray("hello") << 77 << Ids{kStart, kHello, kEnd};
        QTest::newRow("exactly full") << QByteArray("hello world") << 4 << Ids{kStart, kHello, kWorld, kEnd};
        QTest::newRow("one too many") << QByteArray("hello world") << 3 << Ids{kStart, kHello, kEnd};
        QTest::newRow("long") << QByteArray("hello ").repeated(100) << 8
                              << Ids{kStart, kHello, kHello, kHello, kHello, kHello, kHello, kEnd};
        QTest::newRow("context 2") << QByteArray("hello") << 2 << Ids{kStart, kEnd};
        QTest::newRow("context 1") << QByteArray("hello") << 1 << Ids{kEnd};
        QTest::newRow("empty text") << QByteArray() << 77 << Ids{kStart, kEnd};
    }

    void truncation()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, contextLength);
        QFETCH(Ids, expected);
        QCOMPARE(m_tok->tokenize(text.toStdString(), contextLength), expected);
    }

    void refusesContextBelowOne() { QVERIFY_THROWS_EXCEPTION(Error, m_tok->tokenize("hello", 0)); }

    void decode()
    {
        QCOMPARE(QString::fromStdString(m_tok->decode(m_tok->tokenize("Hello, World!"))), "hello , world !");
        QCOMPARE(roundTrip("caf\xc3\xa9 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x9b\xb9"), "café 東京 🛹");
        // Start and end tokens are dropped; a lone byte of a longer character decodes as U+FFFD.
        QCOMPARE(QString::fromStdString(m_tok->decode({kStart, kEnd})), QString());
        QCOMPARE(QString::fromStdString(m_tok->decode({byteEndId(0xC3)})), QString(QChar(0xFFFD)));
        QVERIFY(errorOf([&] { m_tok->decode({99999}); }).contains("99999"));
        QVERIFY(errorOf([&] { m_tok->decode({-1}); }).contains("-1"));
    }

    void layoutsGiveIdenticalIds()
    {
        const ClipTokenizer fromHf =
            ClipTokenizer::fromVocabAndMerges(path("hf/vocab.json"), path("hf/merges.txt"));
        const ClipTokenizer fromGzFolder = ClipTokenizer::fromFolder(path("gz"));
        const ClipTokenizer fromHfFolder = ClipTokenizer::fromFolder(path("hf"));
        for (const ClipTokenizer *t : {&fromHf, &fromGzFolder, &fromHfFolder}) {
            QCOMPARE(t->vocabSize(), m_tok->vocabSize());
            QCOMPARE(t->startToken(), kStart);
            QCOMPARE(t->endToken(), kEnd);
            for (const char *text :
                 {"hello world", "abc ab abd", "it's 12 caf\xc3\xa9 \xff", "<|endoftext|>"})
                QCOMPARE(t->tokenize(text), m_tok->tokenize(text));
            for (int32_t id = 0; id < t->vocabSize(); ++id)
                QCOMPARE(t->decode({id}), m_tok->decode({id}));
        }
    }

    void copiesAndMoves()
    {
        ClipTokenizer copy = *m_tok;
        QCOMPARE(copy.encode("hello world"), (Ids{kHello, kWorld}));
        ClipTokenizer moved = std::move(copy);
        QCOMPARE(moved.encode("abc"), m_tok->encode("abc"));
        copy = moved; // assigning to a moved-from tokenizer makes it usable again
        QCOMPARE(copy.encode("hello"), Ids{kHello});
    }

    void absurdInputs()
    {
        // About 1 MB of words.
        const std::string words = QByteArray("hello world ").repeated(87382).toStdString();
        QCOMPARE(m_tok->encode(words).size(), size_t(2 * 87382));
        const Ids head = m_tok->tokenize(words);
        QCOMPARE(head.size(), size_t(77));
        QCOMPARE(head.front(), kStart);
        QCOMPARE(head[76], kEnd);
        QCOMPARE(head[75], kHello); // odd positions: "hello", even: "world"
        // 1 MB in a single word: every "l l" pair merges in one round.
        const std::string oneWord(1 << 20, 'l');
        const Ids ids = m_tok->encode(oneWord);
        // 2^20 - 1 plain "l" then "l</w>": the plain ones pair up, leaving one "l" before the "l</w>".
        QCOMPARE(ids.size(), size_t((1 << 19) + 1));
        QCOMPARE(ids.front(), 512); // "ll"
        QCOMPARE(ids[ids.size() - 2], byteId('l'));
        QCOMPARE(ids.back(), byteEndId('l'));
        // Invalid UTF-8 of every kind, and bytes that are not text at all.
        std::string junk;
        for (int i = 0; i < 4096; ++i)
            junk += char((i * 131 + 7) & 0xFF);
        QVERIFY(!m_tok->encode(junk).empty());
        QVERIFY(!m_tok->decode(m_tok->encode(junk)).empty());
        QCOMPARE(m_tok->encode("\xe2\x82"), m_tok->encode("\xef\xbf\xbd")); // truncated sequence: one U+FFFD
    }

    void concurrentUse()
    {
        const std::vector<std::string> texts = {"hello world", "abc abd", "it's 12", "caf\xc3\xa9 &amp;",
                                                "\xff ok"};
        std::vector<Ids> expected;
        for (const std::string &t : texts)
            expected.push_back(m_tok->encode(t));
        std::vector<int> mismatches(8, 0);
        std::vector<std::thread> threads;
        for (size_t k = 0; k < mismatches.size(); ++k) {
            threads.emplace_back([&, k] {
                for (int round = 0; round < 300; ++round)
                    for (size_t i = 0; i < texts.size(); ++i)
                        mismatches[k] += m_tok->encode(texts[i]) == expected[i] ? 0 : 1;
            });
        }
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(std::accumulate(mismatches.begin(), mismatches.end(), 0), 0);
    }

    // --- save() ---

    void saveRoundTrip()
    {
        const QString folder = m_dir.filePath("saved-handmade");
        QVERIFY(QDir().mkpath(folder));
        m_tok->save(folder.toStdString());
        QCOMPARE(readAll(folder + "/merges.txt"), mergesText(/*trailingNewline=*/true));
        const QJsonDocument vocab = QJsonDocument::fromJson(readAll(folder + "/vocab.json"));
        QCOMPARE(vocab.object(), QJsonDocument::fromJson(vocabJson()).object());
        const ClipTokenizer back = ClipTokenizer::fromFolder(folder.toStdString());
        compareTokenizers(*m_tok, back,
                          {"hello world", "abc ab abd", "it's 12 caf\xc3\xa9 \xff", "<|endoftext|> hello"});
        // Saving again over the files gives the same files.
        const QByteArray first = readAll(folder + "/vocab.json");
        back.save(folder.toStdString());
        QCOMPARE(readAll(folder + "/vocab.json"), first);
        QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList({"merges.txt", "vocab.json"}));
    }

    void saveRefusesMissingFolder()
    {
        const std::string folder = path("no/such/folder");
        const QString message = errorOf([&] { m_tok->save(folder); });
        QVERIFY2(message.contains(QString::fromStdString(folder + "/vocab.json")), qPrintable(message));
    }

    // The CLIP vocabulary, saved, is the Hub's vocab.json and merges.txt.
    void saveRoundTripFixture()
    {
        LODESTONE_REQUIRE_FIXTURE(dir);
        const ClipTokenizer &gz = fixtureTokenizer("openclip gz", dir);
        const QString folder = m_dir.filePath("saved-clip");
        QVERIFY(QDir().mkpath(folder));
        gz.save(folder.toStdString());
        const QString hf = QString::fromStdString(dir + "/hf");
        const QJsonObject saved = QJsonDocument::fromJson(readAll(folder + "/vocab.json")).object();
        const QJsonObject reference = QJsonDocument::fromJson(readAll(hf + "/vocab.json")).object();
        QCOMPARE(saved.size(), 49408);
        QVERIFY(saved == reference);
        const QByteArrayList mergeLines = lines(readAll(folder + "/merges.txt"));
        const QByteArrayList referenceLines = lines(readAll(hf + "/merges.txt"));
        QCOMPARE(mergeLines.size(), referenceLines.size());
        QCOMPARE(mergeLines.front(), QByteArray("#version: 0.2"));
        QVERIFY(mergeLines == referenceLines);

        const ClipTokenizer back = ClipTokenizer::fromFolder(folder.toStdString());
        const QJsonArray texts =
            QJsonDocument::fromJson(readAll(QString::fromStdString(dir + "/reference/texts.json"))).array();
        std::vector<std::string> samples;
        for (const QJsonValue &t : texts)
            samples.push_back(t.toString().toStdString());
        compareTokenizers(gz, back, samples);
    }

    // --- trainBpe() ---

    void trainBpeLearnsCaptions()
    {
        const std::vector<std::string> captions = shapeCaptions();
        const ClipTokenizer tok = ClipTokenizer::trainBpe(captions, 600);
        QVERIFY(tok.vocabSize() > 514);
        QVERIFY(tok.vocabSize() <= 600);
        QCOMPARE(tok.endToken(), tok.vocabSize() - 1);
        QCOMPARE(tok.startToken(), tok.vocabSize() - 2);
        QCOMPARE(QString::fromStdString(tok.decode({tok.startToken()})), QString());
        for (const std::string &caption : captions) {
            const Ids ids = tok.tokenize(caption);
            QCOMPARE(ids.front(), tok.startToken());
            QCOMPARE(ids.back(), tok.endToken());
            QCOMPARE(tok.decode(ids), cleaned(*m_tok, caption));
            for (int32_t id : tok.encode(caption))
                QVERIFY(id < tok.startToken());
        }
        // Frequent words are single tokens (words are never merged with each other).
        for (const char *word :
             {"a", "red", "green", "blue", "yellow", "circle", "square", "triangle", "squares", "two",
              "small", "the", "left", "of", "is", "large", "caf\xc3\xa9"})
            QVERIFY2(tok.encode(word).size() == 1, word);
        QCOMPARE(tok.encode("red circle").size(), size_t(2));
        // A word never seen still encodes, byte by byte at worst, and decodes back.
        QCOMPARE(tok.decode(tok.encode("Purple hexagon \xf0\x9f\x9b\xb9")),
                 std::string("purple hexagon \xf0\x9f\x9b\xb9"));
        QVERIFY(tok.encode("purple").size() > 1);
        QCOMPARE(tok.encode("<|endoftext|>"), Ids{tok.endToken()});
    }

    void trainBpeFillsTheVocabularyAsked()
    {
        const ClipTokenizer tok = ClipTokenizer::trainBpe(shapeCaptions(), 520);
        QCOMPARE(tok.vocabSize(), 520);
        QCOMPARE(tok.endToken(), 519);
        QCOMPARE(ClipTokenizer::trainBpe(shapeCaptions(), 514).vocabSize(), 514);
        QCOMPARE(ClipTokenizer::trainBpe(shapeCaptions(), 514).encode("a"), Ids{byteEndId('a')});
    }

    void trainBpeIsDeterministic()
    {
        std::vector<std::string> captions = shapeCaptions();
        const ClipTokenizer first = ClipTokenizer::trainBpe(captions, 600);
        const ClipTokenizer again = ClipTokenizer::trainBpe(captions, 600);
        std::reverse(captions.begin(), captions.end());
        const ClipTokenizer reversed = ClipTokenizer::trainBpe(captions, 600);
        const QString a = m_dir.filePath("trained-a"), b = m_dir.filePath("trained-b"),
                      c = m_dir.filePath("trained-c");
        for (const QString &folder : {a, b, c})
            QVERIFY(QDir().mkpath(folder));
        first.save(a.toStdString());
        again.save(b.toStdString());
        reversed.save(c.toStdString());
        for (const char *file : {"/vocab.json", "/merges.txt"}) {
            QCOMPARE(readAll(b + file), readAll(a + file));
            QCOMPARE(readAll(c + file), readAll(a + file));
        }
        QCOMPARE(lines(readAll(a + "/merges.txt")).size(), 1 + first.vocabSize() - 514);
    }

    void trainBpeRules()
    {
        // A pair seen once is never merged: nothing to learn.
        QCOMPARE(ClipTokenizer::trainBpe({"ab"}, 1000).vocabSize(), 514);
        QCOMPARE(ClipTokenizer::trainBpe({}, 1000).vocabSize(), 514);
        QCOMPARE(ClipTokenizer::trainBpe({"", "  ", "<|endoftext|> <|startoftext|>"}, 1000).vocabSize(), 514);
        // Twice is enough; the merge takes id 512, the special tokens follow.
        const ClipTokenizer twice = ClipTokenizer::trainBpe({"ab", "AB"}, 1000);
        QCOMPARE(twice.vocabSize(), 515);
        QCOMPARE(twice.encode("ab"), Ids{512});
        QCOMPARE(twice.encode("abc"), (Ids{byteId('a'), byteId('b'), byteEndId('c')}));
        // Ties go to the lowest (left id, right id): "a b</w>" before "c d</w>", whatever the text order.
        for (const std::vector<std::string> &texts :
             {std::vector<std::string>{"cd ab cd ab"}, std::vector<std::string>{"ab ab", "cd", "cd"}}) {
            const ClipTokenizer tied = ClipTokenizer::trainBpe(texts, 515);
            QCOMPARE(tied.encode("ab cd"), (Ids{512, byteId('c'), byteEndId('d')}));
        }
        // Counts are weighted by word frequency: "xy" three times beats "ab" twice.
        const ClipTokenizer weighted = ClipTokenizer::trainBpe({"ab ab xy xy xy"}, 515);
        QCOMPARE(weighted.encode("xy"), Ids{512});
        // Overlapping pairs: "aaaa" holds "a a" twice and merges it left to right, as encode() does.
        QCOMPARE(ClipTokenizer::trainBpe({"aaaa"}, 515).encode("aaaa"),
                 (Ids{512, byteId('a'), byteEndId('a')}));
        const ClipTokenizer runs = ClipTokenizer::trainBpe({"aaaa", "aaaa"}, 1000);
        QCOMPARE(runs.encode("aaaa"), Ids{runs.vocabSize() - 3});
        QCOMPARE(runs.decode(runs.encode("aaaaa")), std::string("aaaaa"));
    }

    // The incremental pair counting against a full recount per merge, on words from a small alphabet (many
    // overlapping pairs, many ties).
    void trainBpeMatchesBruteForce()
    {
        std::vector<std::string> texts, words;
        uint32_t state = 12345;
        const auto next = [&](uint32_t n) {
            state = state * 1664525u + 1013904223u;
            return (state >> 16) % n;
        };
        for (int t = 0; t < 150; ++t) {
            std::string text;
            for (int w = 0; w < 4; ++w) {
                std::string word;
                for (uint32_t len = 1 + next(6); len > 0; --len)
                    word += char('a' + next(4));
                words.push_back(word);
                text += (w ? " " : "") + word;
            }
            texts.push_back(text);
        }
        const QByteArrayList expected = bruteForceBpe(words, 400);
        QVERIFY(expected.size() > 100);
        const ClipTokenizer tok = ClipTokenizer::trainBpe(texts, 514 + 400);
        const QString folder = m_dir.filePath("trained-brute");
        QVERIFY(QDir().mkpath(folder));
        tok.save(folder.toStdString());
        QByteArrayList merges = lines(readAll(folder + "/merges.txt"));
        merges.pop_front();
        QCOMPARE(merges.size(), expected.size());
        for (qsizetype i = 0; i < merges.size(); ++i)
            QCOMPARE(merges[i], expected[i]);
        QCOMPARE(tok.vocabSize(), 514 + int(expected.size()));
    }

    void trainBpeRoundTripsThroughSave()
    {
        const std::vector<std::string> captions = shapeCaptions();
        const ClipTokenizer tok = ClipTokenizer::trainBpe(captions, 600);
        const QString folder = m_dir.filePath("trained");
        QVERIFY(QDir().mkpath(folder));
        tok.save(folder.toStdString());
        std::vector<std::string> texts = captions;
        texts.insert(texts.end(),
                     {"purple hexagons", "caf\xc3\xa9 \xe2\x98\x95\xe2\x98\x95", "<|startoftext|>x"});
        compareTokenizers(tok, ClipTokenizer::fromFolder(folder.toStdString()), texts);
        compareTokenizers(tok,
                          ClipTokenizer::fromVocabAndMerges((folder + "/vocab.json").toStdString(),
                                                            (folder + "/merges.txt").toStdString()),
                          texts);
    }

    void trainBpeRefusals_data()
    {
        QTest::addColumn<int>("vocabSize");
        QTest::addColumn<QString>("detail");
        QTest::newRow("513") << 513 << "at least 514";
        QTest::newRow("0") << 0 << "at least 514";
        QTest::newRow("-1") << -1 << "at least 514";
        QTest::newRow("49409") << 49409 << "at most 49408";
    }

    void trainBpeRefusals()
    {
        QFETCH(int, vocabSize);
        QFETCH(QString, detail);
        const QString message = errorOf([&] { ClipTokenizer::trainBpe(shapeCaptions(), vocabSize); });
        QVERIFY2(message.contains(detail), qPrintable(message));
        QVERIFY2(message.contains(QString::number(vocabSize)), qPrintable(message));
    }

    // --- refusals: every error names the file ---

    void refusals_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("detail");
        QTest::newRow("missing .gz") << "gz"
                                     << "missing.txt.gz"
                                     << "";
        QTest::newRow("truncated .gz") << "gz"
                                       << "truncated.txt.gz"
                                       << "truncated";
        QTest::newRow("corrupt .gz (checksum)") << "gz"
                                                << "badcrc.txt.gz"
                                                << "corrupt";
        QTest::newRow("not gzip") << "gz"
                                  << "plain.txt.gz"
                                  << "corrupt";
        QTest::newRow("one-symbol merges line in .gz") << "gz"
                                                       << "onesymbol.txt.gz"
                                                       << "line 3";
        QTest::newRow("missing vocab.json") << "vocab"
                                            << "missing.json"
                                            << "";
        QTest::newRow("vocab.json not an object") << "vocab"
                                                  << "array.json"
                                                  << "object";
        QTest::newRow("vocab.json not JSON") << "vocab"
                                             << "broken.json"
                                             << "";
        QTest::newRow("vocab.json id not an integer") << "vocab"
                                                      << "textid.json"
                                                      << "integer";
        QTest::newRow("vocab.json without byte symbols") << "vocab"
                                                         << "tiny.json"
                                                         << "missing";
        QTest::newRow("missing merges.txt") << "merges"
                                            << "missing.txt"
                                            << "";
        QTest::newRow("one-symbol merges line") << "merges"
                                                << "onesymbol.txt"
                                                << "line 3";
        QTest::newRow("merged symbol not in vocab.json") << "merges"
                                                         << "unknown.txt"
                                                         << "line 2";
        QTest::newRow("folder without tokenizer") << "folder"
                                                  << "empty"
                                                  << "bpe_simple_vocab_16e6.txt.gz";
    }

    void refusals()
    {
        QFETCH(QString, kind);
        QFETCH(QString, file);
        QFETCH(QString, detail);
        const QByteArray good = gzipStored(mergesText(true));
        QByteArray badCrc = good;
        badCrc[badCrc.size() - 8] = char(badCrc[badCrc.size() - 8] ^ 0x5A);
        writeFile(m_dir.filePath("truncated.txt.gz"), good.left(good.size() / 2));
        writeFile(m_dir.filePath("badcrc.txt.gz"), badCrc);
        writeFile(m_dir.filePath("plain.txt.gz"), mergesText(true));
        writeFile(m_dir.filePath("onesymbol.txt.gz"), gzipStored("#version: 0.2\nl l\nhe\nh e\n"));
        writeFile(m_dir.filePath("onesymbol.txt"), "#version: 0.2\nl l\nhe\nh e\n");
        writeFile(m_dir.filePath("unknown.txt"), "#version: 0.2\nx y\n");
        writeFile(m_dir.filePath("array.json"), "[1, 2, 3]");
        writeFile(m_dir.filePath("broken.json"), "{\"a\": 1,");
        writeFile(m_dir.filePath("textid.json"), "{\"a\": \"1\"}");
        writeFile(m_dir.filePath("tiny.json"), "{\"a\": 0}");

        const std::string p = path(file);
        QString message;
        if (kind == "gz")
            message = errorOf([&] { ClipTokenizer::fromBpeMergesGz(p); });
        else if (kind == "vocab")
            message = errorOf([&] { ClipTokenizer::fromVocabAndMerges(p, path("hf/merges.txt")); });
        else if (kind == "merges")
            message = errorOf([&] { ClipTokenizer::fromVocabAndMerges(path("hf/vocab.json"), p); });
        else
            message = errorOf([&] { ClipTokenizer::fromFolder(p); });
        QVERIFY2(!message.isNull(), "no lodestone::Error thrown");
        QVERIFY2(message.contains(QString::fromStdString(p)), qPrintable(message));
        QVERIFY2(message.contains(detail), qPrintable(message));
    }

    // --- the reference fixture: ids computed by OpenAI's simple_tokenizer.py ---

    void referenceTokens_data()
    {
        LODESTONE_REQUIRE_FIXTURE(dir);
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("text");
        QTest::addColumn<Ids>("expected");
        const QJsonArray texts =
            QJsonDocument::fromJson(readAll(QString::fromStdString(dir + "/reference/texts.json"))).array();
        const QJsonArray tokens =
            QJsonDocument::fromJson(readAll(QString::fromStdString(dir + "/reference/tokens.json"))).array();
        QVERIFY(!texts.isEmpty());
        QCOMPARE(texts.size(), tokens.size());
        for (const char *layout : {"openclip gz", "hf files", "openclip folder", "hf folder"}) {
            for (qsizetype i = 0; i < texts.size(); ++i) {
                Ids ids;
                for (const QJsonValue &v : tokens[i].toArray())
                    ids.push_back(v.toInt());
                QTest::addRow("%s #%d: %s", layout, int(i), qPrintable(texts[i].toString().left(40)))
                    << QString(layout) << texts[i].toString() << ids;
            }
        }
    }

    void referenceTokens()
    {
        LODESTONE_REQUIRE_FIXTURE(dir);
        QFETCH(QString, layout);
        QFETCH(QString, text);
        QFETCH(Ids, expected);
        const ClipTokenizer &tok = fixtureTokenizer(layout, dir);
        QCOMPARE(tok.tokenize(text.toStdString(), 77), expected);
    }

    void referenceVocabulariesAgree()
    {
        LODESTONE_REQUIRE_FIXTURE(dir);
        const ClipTokenizer &gz = fixtureTokenizer("openclip gz", dir);
        const ClipTokenizer &hf = fixtureTokenizer("hf files", dir);
        QCOMPARE(gz.vocabSize(), 49408);
        QCOMPARE(hf.vocabSize(), 49408);
        QCOMPARE(gz.startToken(), 49406);
        QCOMPARE(gz.endToken(), 49407);
        QCOMPARE(hf.startToken(), 49406);
        QCOMPARE(hf.endToken(), 49407);
        int differing = 0;
        for (int32_t id = 0; id < 49406; ++id)
            differing += gz.decode({id}) == hf.decode({id}) ? 0 : 1;
        QCOMPARE(differing, 0);
        QCOMPARE(QString::fromStdString(gz.decode(gz.tokenize("A photo of a DOG."))), "a photo of a dog .");
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
