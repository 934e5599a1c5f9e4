#include "lodestone/tokenizer.h"

#include "io/fileio.h"
#include "lodestone/error.h"
#include "text/textcleaner.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <mutex>
#include <sys/stat.h>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace lodestone {

namespace {

constexpr std::string_view kStartOfText = "<|startoftext|>";
constexpr std::string_view kEndOfText = "<|endoftext|>";
// The reference keeps merges[1 : 49152 - 256 - 2 + 1] of the merges file: at most 48894 merges.
constexpr size_t kMaxMerges = 49152 - 256 - 2;
// A gzip'd merges file larger than this once inflated is not a tokenizer (the real one is 1.7 MB).
constexpr size_t kMaxInflatedBytes = size_t(256) << 20;
// The bound on the ids a vocab.json may give (exclusive). Ids index dense tables, so one id near the old
// bound of 2^24 made a 7 KB file take 2 GB. CLIP's vocabulary has 49408 ids; the largest BPE vocabularies in
// use have about 256 000.
constexpr int64_t kMaxVocabularyIds = int64_t(1) << 18;
// Words longer than this (in bytes) are not cached; the cache is emptied when it reaches kCacheCapacity.
constexpr size_t kMaxCachedWordBytes = 64;
constexpr size_t kCacheCapacity = 1 << 16;

// The reference's bytes_to_unicode(): byte -> code point, in the order that also gives the byte's id.
struct ByteUnicode {
    std::array<uint8_t, 256> byteAtIndex{}; // the vocabulary order of the 256 byte symbols
    std::array<char32_t, 256> codePoint{};  // the printable stand-in for each byte
    std::unordered_map<char32_t, uint8_t> byteOf;
};

const ByteUnicode &byteUnicode()
{
    static const ByteUnicode table = [] {
        ByteUnicode t;
        std::array<bool, 256> printable{};
        size_t index = 0;
        for (int b = 0; b < 256; ++b) {
            printable[size_t(b)] =
                (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[size_t(b)]) {
                t.byteAtIndex[index++] = uint8_t(b);
                t.codePoint[size_t(b)] = char32_t(b);
            }
        }
        int next = 0;
        for (int b = 0; b < 256; ++b) {
            if (!printable[size_t(b)]) {
                t.byteAtIndex[index++] = uint8_t(b);
                t.codePoint[size_t(b)] = char32_t(256 + next++);
            }
        }
        for (int b = 0; b < 256; ++b)
            t.byteOf[t.codePoint[size_t(b)]] = uint8_t(b);
        return t;
    }();
    return table;
}

// The first 512 tokens of every CLIP vocabulary: the byte symbols in bytes_to_unicode() order, then the
// same with "</w>".
std::vector<std::string> byteVocabulary()
{
    const ByteUnicode &bu = byteUnicode();
    std::vector<std::string> vocab;
    vocab.reserve(512);
    for (uint8_t b : bu.byteAtIndex)
        vocab.push_back(encodeUtf8(std::u32string(1, bu.codePoint[b])));
    for (size_t i = 0; i < 256; ++i)
        vocab.push_back(vocab[i] + "</w>");
    return vocab;
}

// A vocabulary string (bytes shown as their stand-in code points) back to the bytes it stands for.
// Characters outside the byte alphabet (only in hand-edited vocab.json files) are kept as UTF-8.
std::string unicodeToBytes(std::string_view token)
{
    const ByteUnicode &bu = byteUnicode();
    std::string out;
    for (char32_t c : decodeUtf8(token)) {
        const auto it = bu.byteOf.find(c);
        if (it != bu.byteOf.end())
            out += char(it->second);
        else
            out += encodeUtf8(std::u32string_view(&c, 1));
    }
    return out;
}

uint64_t pairKey(int32_t left, int32_t right)
{
    return (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
}

struct MergeRule {
    int32_t rank;
    int32_t result;
};

// One line of a merges file: the two symbols, with the line's number (1-based, in the file) for errors.
struct MergeLine {
    std::string left, right;
    size_t lineNumber;
};

// Python's str.split() on a merges line: runs of Unicode whitespace separate symbols.
std::vector<std::string> splitOnWhitespace(std::string_view line)
{
    std::vector<std::string> parts;
    std::string current;
    for (char32_t c : decodeUtf8(line)) {
        // The byte alphabet has no whitespace at all, so the Latin-1 part of Python's set is enough.
        if (c == U' ' || c == U'\t' || c == U'\r' || c == U'\v' || c == U'\f' || (c >= 0x1C && c <= 0x1F) ||
            c == 0x85 || c == 0xA0) {
            if (!current.empty())
                parts.push_back(std::move(current));
            current.clear();
        } else {
            current += encodeUtf8(std::u32string_view(&c, 1));
        }
    }
    if (!current.empty())
        parts.push_back(std::move(current));
    return parts;
}

bool isValidUtf8(std::string_view bytes)
{
    // decodeUtf8 replaces what is invalid; a round trip that changes nothing was valid (U+FFFD included).
    return encodeUtf8(decodeUtf8(bytes)) == bytes;
}

// The merges of a merges file's text: the first line skipped (the reference skips it whatever it holds;
// with `headerIsOptional`, as in Hugging Face's merges.txt, only when it starts with "#version"), then at
// most kMaxMerges lines of two symbols each. A final empty line (a trailing newline) is not a merge: the
// reference would turn it into an empty vocabulary entry, which only matters for files with fewer merges
// than the real one.
std::vector<MergeLine> parseMerges(std::string_view text, bool headerIsOptional)
{
    if (!isValidUtf8(text))
        throw Error("not valid UTF-8 text");
    std::vector<std::string_view> lines;
    for (size_t pos = 0;;) {
        const size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(pos));
            break;
        }
        lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    if (lines.size() > 1 && lines.back().empty())
        lines.pop_back();
    size_t first = 1;
    if (headerIsOptional && !lines.empty() && lines[0].rfind("#version", 0) != 0)
        first = 0;
    std::vector<MergeLine> merges;
    for (size_t i = first; i < lines.size() && merges.size() < kMaxMerges; ++i) {
        std::vector<std::string> parts = splitOnWhitespace(lines[i]);
        if (parts.size() != 2)
            throw Error("line " + std::to_string(i + 1) + ": expected two symbols, found " +
                        std::to_string(parts.size()));
        merges.push_back({std::move(parts[0]), std::move(parts[1]), i + 1});
    }
    return merges;
}

std::string gunzip(const std::vector<uint8_t> &compressed)
{
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        throw Error("cannot start zlib");
    struct Guard {
        z_stream *s;
        ~Guard() { inflateEnd(s); }
    } guard{&stream};

    if (compressed.size() > std::numeric_limits<uInt>::max())
        throw Error("compressed file too large");
    std::string out;
    std::array<char, 1 << 16> chunk{};
    stream.next_in = const_cast<Bytef *>(compressed.data());
    stream.avail_in = uInt(compressed.size());
    bool ended = false;
    for (;;) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk.data());
        stream.avail_out = uInt(chunk.size());
        const int rc = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk.data(), chunk.size() - stream.avail_out);
        if (out.size() > kMaxInflatedBytes)
            throw Error("more than " + std::to_string(kMaxInflatedBytes >> 20) + " MiB once decompressed");
        if (rc == Z_STREAM_END) {
            ended = true;
            if (stream.avail_in == 0)
                break;
            // Another gzip member follows (Python's gzip reads them all).
            if (inflateReset(&stream) != Z_OK)
                throw Error("corrupt gzip data");
            ended = false;
            continue;
        }
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR || rc == Z_MEM_ERROR)
            throw Error(std::string("corrupt gzip data") +
                        (stream.msg ? std::string(" (") + stream.msg + ")" : ""));
        if (rc == Z_BUF_ERROR && stream.avail_in == 0)
            break; // input exhausted before the end of the stream
    }
    if (!ended)
        throw Error("truncated gzip data (the stream ends early)");
    return out;
}

bool isRegularFile(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string joinPath(const std::string &folder, const char *name)
{
    if (folder.empty())
        return name;
    return folder.back() == '/' ? folder + name : folder + "/" + name;
}

std::string quotedSymbol(std::string_view symbol)
{
    return "'" + std::string(symbol) + "'";
}

// What trainBpe learns: the tokens in id order (the 512 byte symbols first, no special tokens) and the
// merges in rank order.
struct LearnedBpe {
    std::vector<std::string> vocab;
    std::vector<MergeLine> merges;
};

// Byte-level BPE training as Sennrich et al. describe it and Hugging Face's BpeTrainer runs it: pair
// counts are updated only in the words that hold the merged pair, and the most frequent pair is found
// with a max-heap holding one entry per pair, whose count may be stale. A stale count can only be too
// high: once a pair exists, merges elsewhere only ever take occurrences away from it, since every new
// adjacency involves the new token. A popped entry whose count is still right is therefore the true
// maximum; one that is not goes back with its current count.
LearnedBpe learnBpe(const std::vector<std::string> &texts, size_t maxTokens)
{
    std::unordered_map<std::string, int64_t> wordCounts;
    for (const std::string &text : texts) {
        const std::string cleaned = cleanText(text);
        for (std::string_view word : splitWords(cleaned)) {
            if (word == kStartOfText || word == kEndOfText)
                continue; // encode() gives these their own ids
            ++wordCounts[std::string(word)];
        }
    }
    // Sorted, so that nothing below depends on the hash map's order.
    std::vector<std::pair<std::string, int64_t>> counted(wordCounts.begin(), wordCounts.end());
    wordCounts.clear();
    std::sort(counted.begin(), counted.end());

    const ByteUnicode &bu = byteUnicode();
    std::array<int32_t, 256> byteId{};
    for (size_t i = 0; i < 256; ++i)
        byteId[bu.byteAtIndex[i]] = int32_t(i);

    struct Word {
        std::vector<int32_t> symbols;
        int64_t count;
    };
    std::vector<Word> words;
    words.reserve(counted.size());
    std::unordered_map<uint64_t, int64_t> pairCounts;
    // The words that hold each pair, or held it once (a word can be listed twice, or no longer hold it).
    std::unordered_map<uint64_t, std::vector<uint32_t>> pairWords;
    for (const auto &[text, count] : counted) {
        Word word{std::vector<int32_t>(text.size()), count};
        for (size_t i = 0; i < text.size(); ++i)
            word.symbols[i] = byteId[static_cast<uint8_t>(text[i])] + (i + 1 == text.size() ? 256 : 0);
        for (size_t i = 0; i + 1 < word.symbols.size(); ++i) {
            const uint64_t pair = pairKey(word.symbols[i], word.symbols[i + 1]);
            pairCounts[pair] += count;
            pairWords[pair].push_back(uint32_t(words.size()));
        }
        words.push_back(std::move(word));
    }
    counted.clear();

    struct Entry {
        int64_t count;
        uint64_t pair;
    };
    // Heap order: the highest count on top; on equal counts the lowest (left id, right id).
    const auto below = [](const Entry &a, const Entry &b) {
        return a.count != b.count ? a.count < b.count : a.pair > b.pair;
    };
    std::vector<Entry> heap;
    heap.reserve(pairCounts.size());
    for (const auto &[pair, count] : pairCounts)
        if (count >= 2)
            heap.push_back({count, pair});
    std::make_heap(heap.begin(), heap.end(), below);

    LearnedBpe out;
    out.vocab = byteVocabulary();
    std::unordered_set<std::string> known(out.vocab.begin(), out.vocab.end());
    std::vector<uint64_t> created;
    std::vector<int32_t> merged;
    while (out.vocab.size() < maxTokens && out.merges.size() < kMaxMerges && !heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), below);
        const Entry top = heap.back();
        heap.pop_back();
        const auto found = pairCounts.find(top.pair);
        const int64_t count = found == pairCounts.end() ? 0 : found->second;
        if (count < 2)
            continue; // counts never grow back: the pair is done with
        if (count != top.count) {
            heap.push_back({count, top.pair});
            std::push_heap(heap.begin(), heap.end(), below);
            continue;
        }
        const auto left = int32_t(top.pair >> 32), right = int32_t(top.pair & 0xFFFFFFFFu);
        std::string token = out.vocab[size_t(left)] + out.vocab[size_t(right)];
        // Merging all occurrences left to right in rank order builds a token's text the same way in every
        // word, so no second pair ever spells an existing token. Were one to, reusing that token would
        // break the heap's premise above, and a second token of the same spelling would not survive
        // save(): the pair is passed over instead.
        if (!known.insert(token).second)
            continue;
        const auto id = int32_t(out.vocab.size());
        out.vocab.push_back(std::move(token));
        out.merges.push_back({out.vocab[size_t(left)], out.vocab[size_t(right)], out.merges.size() + 2});

        std::vector<uint32_t> holders = std::move(pairWords[top.pair]);
        pairWords.erase(top.pair);
        std::sort(holders.begin(), holders.end());
        holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
        created.clear();
        for (uint32_t w : holders) {
            Word &word = words[w];
            std::vector<int32_t> &symbols = word.symbols;
            bool holds = false;
            for (size_t i = 0; i + 1 < symbols.size() && !holds; ++i)
                holds = symbols[i] == left && symbols[i + 1] == right;
            if (!holds)
                continue;
            for (size_t i = 0; i + 1 < symbols.size(); ++i) {
                const auto it = pairCounts.find(pairKey(symbols[i], symbols[i + 1]));
                if ((it->second -= word.count) == 0)
                    pairCounts.erase(it);
            }
            // Left to right, as encode() merges: in "a a a" only the first two merge.
            merged.clear();
            for (size_t i = 0; i < symbols.size(); ++i) {
                if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
                    merged.push_back(id);
                    ++i;
                } else {
                    merged.push_back(symbols[i]);
                }
            }
            for (size_t i = 0; i + 1 < merged.size(); ++i) {
                const uint64_t pair = pairKey(merged[i], merged[i + 1]);
                pairCounts[pair] += word.count;
                if (merged[i] == id || merged[i + 1] == id) {
                    pairWords[pair].push_back(w);
                    created.push_back(pair);
                }
            }
            symbols.swap(merged);
        }
        std::sort(created.begin(), created.end());
        created.erase(std::unique(created.begin(), created.end()), created.end());
        for (uint64_t pair : created) {
            const int64_t c = pairCounts.at(pair);
            if (c >= 2) {
                heap.push_back({c, pair});
                std::push_heap(heap.begin(), heap.end(), below);
            }
        }
    }
    return out;
}

} // namespace

// The immutable model, shared between copies of a tokenizer, and the word cache.
struct ClipTokenizer::Impl {
    struct Model {
        // By id: the bytes a token stands for ("</w>" kept as is); empty for an id no token has.
        std::vector<std::string> tokenBytes;
        // By id: the token as the vocabulary spells it (what save() writes back).
        std::vector<std::string> tokenStrings;
        std::array<int32_t, 256> byteIds{}; // by byte value
        std::array<int32_t, 256> byteEndIds{};
        std::unordered_map<uint64_t, MergeRule> merges; // (left id, right id) -> rank and merged id
        int32_t startToken = -1;
        int32_t endToken = -1;
        int32_t vocabSize = 0;
    };
    struct Cache {
        std::mutex mutex;
        std::unordered_map<std::string, std::vector<int32_t>> words;
    };

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<Cache> m_cache = std::make_shared<Cache>();

    // Builds the model from the token -> id map, the token of each id (for decoding) and the merges.
    // Errors about the vocabulary start with `vocabContext`, errors about a merge with `mergesContext`.
    static std::shared_ptr<const Model> build(const std::unordered_map<std::string, int32_t> &encoder,
                                              const std::vector<std::string> &tokensById,
                                              const std::vector<MergeLine> &merges,
                                              const std::string &vocabContext,
                                              const std::string &mergesContext);

    void appendWordIds(std::string_view word, std::vector<int32_t> &ids) const;
    std::vector<int32_t> bpe(std::string_view word) const;
    std::vector<int32_t> encodeUpTo(std::string_view text, size_t limit) const;
};

std::shared_ptr<const ClipTokenizer::Impl::Model>
ClipTokenizer::Impl::build(const std::unordered_map<std::string, int32_t> &encoder,
                           const std::vector<std::string> &tokensById, const std::vector<MergeLine> &merges,
                           const std::string &vocabContext, const std::string &mergesContext)
{
    auto model = std::make_shared<Model>();
    model->vocabSize = int32_t(tokensById.size());
    model->tokenStrings = tokensById;
    model->tokenBytes.reserve(tokensById.size());
    for (const std::string &token : tokensById)
        model->tokenBytes.push_back(unicodeToBytes(token));

    const ByteUnicode &bu = byteUnicode();
    const auto idOf = [&](const std::string &token) -> int32_t {
        const auto it = encoder.find(token);
        if (it == encoder.end())
            throw Error(vocabContext + ": the token " + quotedSymbol(token) + " is missing");
        return it->second;
    };
    for (int b = 0; b < 256; ++b) {
        const std::string symbol = encodeUtf8(std::u32string(1, bu.codePoint[size_t(b)]));
        model->byteIds[size_t(b)] = idOf(symbol);
        model->byteEndIds[size_t(b)] = idOf(symbol + "</w>");
    }
    model->startToken = idOf(std::string(kStartOfText));
    model->endToken = idOf(std::string(kEndOfText));

    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const MergeLine &m = merges[rank];
        const auto merged = encoder.find(m.left + m.right);
        if (merged == encoder.end())
            throw Error(mergesContext + ": line " + std::to_string(m.lineNumber) + ": the merged symbol " +
                        quotedSymbol(m.left + m.right) + " is not in the vocabulary");
        // A merge of symbols outside the vocabulary can never apply: no word ever holds them.
        const auto left = encoder.find(m.left);
        const auto right = encoder.find(m.right);
        if (left == encoder.end() || right == encoder.end())
            continue;
        // dict(zip(merges, range(...))): a repeated pair keeps its last rank.
        model->merges[pairKey(left->second, right->second)] = {int32_t(rank), merged->second};
    }
    return model;
}

std::vector<int32_t> ClipTokenizer::Impl::bpe(std::string_view word) const
{
    const Model &model = *m_model;
    const size_t n = word.size();
    std::vector<int32_t> ids(n);
    for (size_t i = 0; i < n; ++i) {
        const auto b = static_cast<uint8_t>(word[i]);
        ids[i] = i + 1 == n ? model.byteEndIds[b] : model.byteIds[b];
    }
    if (n < 2)
        return ids;

    // The reference's bpe(): repeatedly take the lowest-ranked pair present and merge all its occurrences
    // in one left-to-right pass, until no known pair remains. Done here with a heap of candidate pairs
    // and a linked list of symbols, so that long words cost O(n log n) instead of O(n^2); each round still
    // handles one rank completely before looking at the pairs it created, as the reference does.
    std::vector<int32_t> prev(n), next(n);
    std::vector<bool> alive(n, true);
    for (size_t i = 0; i < n; ++i) {
        prev[i] = int32_t(i) - 1;
        next[i] = i + 1 < n ? int32_t(i + 1) : -1;
    }
    struct Candidate {
        int32_t rank, pos, left, right;
        bool operator>(const Candidate &o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::vector<Candidate> heap;
    const auto push = [&](int32_t pos) {
        if (pos < 0 || next[size_t(pos)] < 0)
            return;
        const int32_t left = ids[size_t(pos)], right = ids[size_t(next[size_t(pos)])];
        const auto it = model.merges.find(pairKey(left, right));
        if (it == model.merges.end())
            return;
        heap.push_back({it->second.rank, pos, left, right});
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
    };
    const auto isCurrent = [&](const Candidate &c) {
        return alive[size_t(c.pos)] && next[size_t(c.pos)] >= 0 && ids[size_t(c.pos)] == c.left &&
               ids[size_t(next[size_t(c.pos)])] == c.right;
    };
    for (size_t i = 0; i + 1 < n; ++i)
        push(int32_t(i));

    size_t symbols = n;
    std::vector<Candidate> round;
    while (symbols > 1 && !heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>());
        const Candidate top = heap.back();
        heap.pop_back();
        if (!isCurrent(top))
            continue;
        // Every occurrence of this pair, left to right (the heap orders equal ranks by position).
        round.clear();
        round.push_back(top);
        while (!heap.empty() && heap.front().rank == top.rank) {
            std::pop_heap(heap.begin(), heap.end(), std::greater<>());
            round.push_back(heap.back());
            heap.pop_back();
        }
        const int32_t merged = model.merges.at(pairKey(top.left, top.right)).result;
        std::vector<int32_t> touched;
        for (const Candidate &c : round) {
            // An overlapping occurrence was consumed by the previous merge ("a a a": only the first merges).
            if (!isCurrent(c))
                continue;
            const auto pos = size_t(c.pos);
            const auto absorbed = size_t(next[pos]);
            ids[pos] = merged;
            next[pos] = next[absorbed];
            if (next[pos] >= 0)
                prev[size_t(next[pos])] = int32_t(pos);
            alive[absorbed] = false;
            --symbols;
            touched.push_back(c.pos);
        }
        // The pairs this round created join the heap only now, for the next rounds.
        for (int32_t pos : touched) {
            if (!alive[size_t(pos)])
                continue;
            push(prev[size_t(pos)]);
            push(pos);
        }
    }
    std::vector<int32_t> out;
    out.reserve(symbols);
    for (int32_t i = 0; i >= 0; i = next[size_t(i)])
        out.push_back(ids[size_t(i)]);
    return out;
}

void ClipTokenizer::Impl::appendWordIds(std::string_view word, std::vector<int32_t> &ids) const
{
    // The reference's cache starts with the two special tokens, which therefore map to their own ids.
    if (word == kStartOfText) {
        ids.push_back(m_model->startToken);
        return;
    }
    if (word == kEndOfText) {
        ids.push_back(m_model->endToken);
        return;
    }
    const bool cacheable = word.size() <= kMaxCachedWordBytes;
    if (cacheable) {
        std::lock_guard<std::mutex> lock(m_cache->mutex);
        const auto it = m_cache->words.find(std::string(word));
        if (it != m_cache->words.end()) {
            ids.insert(ids.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> wordIds = bpe(word);
    ids.insert(ids.end(), wordIds.begin(), wordIds.end());
    if (cacheable) {
        std::lock_guard<std::mutex> lock(m_cache->mutex);
        if (m_cache->words.size() >= kCacheCapacity)
            m_cache->words.clear();
        m_cache->words.emplace(std::string(word), std::move(wordIds));
    }
}

std::vector<int32_t> ClipTokenizer::Impl::encodeUpTo(std::string_view text, size_t limit) const
{
    const std::string cleaned = cleanText(text);
    std::vector<int32_t> ids;
    for (std::string_view word : splitWords(cleaned)) {
        if (ids.size() >= limit)
            break;
        appendWordIds(word, ids);
    }
    return ids;
}

ClipTokenizer::ClipTokenizer(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

ClipTokenizer::ClipTokenizer(ClipTokenizer &&) noexcept = default;
ClipTokenizer &ClipTokenizer::operator=(ClipTokenizer &&) noexcept = default;
ClipTokenizer::~ClipTokenizer() = default;

// A copy shares the immutable model and the word cache (which has its own lock).
ClipTokenizer::ClipTokenizer(const ClipTokenizer &other)
    : m_impl(other.m_impl ? std::make_unique<Impl>(*other.m_impl) : nullptr)
{}

ClipTokenizer &ClipTokenizer::operator=(const ClipTokenizer &other)
{
    if (this != &other)
        m_impl = other.m_impl ? std::make_unique<Impl>(*other.m_impl) : nullptr;
    return *this;
}

ClipTokenizer ClipTokenizer::fromBpeMergesGz(const std::string &path)
{
    const std::vector<uint8_t> compressed = readFileBytes(path);
    const std::string context = "reading '" + path + "'";
    std::vector<MergeLine> merges;
    try {
        merges = parseMerges(gunzip(compressed), /*headerIsOptional=*/false);
    } catch (...) {
        rethrowWithContext(context);
    }
    // The reference's vocabulary: the 256 byte symbols, the same with "</w>", one per merge, then the two
    // special tokens; dict(zip(vocab, range(...))) gives a repeated string its last id.
    std::vector<std::string> vocab = byteVocabulary();
    vocab.reserve(512 + merges.size() + 2);
    for (const MergeLine &m : merges)
        vocab.push_back(m.left + m.right);
    vocab.emplace_back(kStartOfText);
    vocab.emplace_back(kEndOfText);
    std::unordered_map<std::string, int32_t> encoder;
    encoder.reserve(vocab.size());
    for (size_t id = 0; id < vocab.size(); ++id)
        encoder[vocab[id]] = int32_t(id);

    auto impl = std::make_unique<Impl>();
    impl->m_model = Impl::build(encoder, vocab, merges, context, context);
    return ClipTokenizer(std::move(impl));
}

ClipTokenizer ClipTokenizer::fromVocabAndMerges(const std::string &vocabJsonPath,
                                                const std::string &mergesPath)
{
    const std::string vocabContext = "reading '" + vocabJsonPath + "'";
    const std::string mergesContext = "reading '" + mergesPath + "'";
    const std::string vocabText = readFileText(vocabJsonPath);
    std::unordered_map<std::string, int32_t> encoder;
    std::vector<std::string> tokensById;
    try {
        const nlohmann::json json = nlohmann::json::parse(vocabText);
        if (!json.is_object())
            throw Error(std::string("expected a JSON object of token -> id, found ") + json.type_name());
        encoder.reserve(json.size());
        for (const auto &[token, value] : json.items()) {
            if (!value.is_number_integer())
                throw Error("the id of " + quotedSymbol(token) + " is not an integer");
            const auto id = value.get<int64_t>();
            if (id < 0 || id >= kMaxVocabularyIds)
                throw Error("the id of " + quotedSymbol(token) + " is " + std::to_string(id) +
                            ", outside the limit of 0.." + std::to_string(kMaxVocabularyIds - 1));
            if (size_t(id) >= tokensById.size())
                tokensById.resize(size_t(id) + 1);
            if (!tokensById[size_t(id)].empty())
                throw Error("id " + std::to_string(id) + " is given to both " +
                            quotedSymbol(tokensById[size_t(id)]) + " and " + quotedSymbol(token));
            if (token.empty())
                throw Error("the empty string is not a token");
            tokensById[size_t(id)] = token;
            encoder.emplace(token, int32_t(id));
        }
    } catch (...) {
        rethrowWithContext(vocabContext);
    }

    const std::string mergesText = readFileText(mergesPath);
    std::vector<MergeLine> merges;
    try {
        merges = parseMerges(mergesText, /*headerIsOptional=*/true);
    } catch (...) {
        rethrowWithContext(mergesContext);
    }
    auto impl = std::make_unique<Impl>();
    impl->m_model = Impl::build(encoder, tokensById, merges, vocabContext, mergesContext);
    return ClipTokenizer(std::move(impl));
}

ClipTokenizer ClipTokenizer::trainBpe(const std::vector<std::string> &texts, int vocabSize)
{
    constexpr int kMinVocab = 512 + 2, kMaxVocab = int(512 + kMaxMerges + 2);
    if (vocabSize < kMinVocab)
        throw Error("trainBpe: the vocabulary size must be at least " + std::to_string(kMinVocab) +
                    " (512 byte symbols and 2 special tokens), not " + std::to_string(vocabSize));
    if (vocabSize > kMaxVocab)
        throw Error("trainBpe: the vocabulary size must be at most " + std::to_string(kMaxVocab) +
                    " (CLIP's merges files hold at most " + std::to_string(kMaxMerges) + " merges), not " +
                    std::to_string(vocabSize));
    LearnedBpe learned = learnBpe(texts, size_t(vocabSize) - 2);
    std::vector<std::string> vocab = std::move(learned.vocab);
    vocab.emplace_back(kStartOfText);
    vocab.emplace_back(kEndOfText);
    std::unordered_map<std::string, int32_t> encoder;
    encoder.reserve(vocab.size());
    for (size_t id = 0; id < vocab.size(); ++id)
        encoder.emplace(vocab[id], int32_t(id));
    auto impl = std::make_unique<Impl>();
    impl->m_model = Impl::build(encoder, vocab, learned.merges, "trainBpe", "trainBpe");
    return ClipTokenizer(std::move(impl));
}

ClipTokenizer ClipTokenizer::fromFolder(const std::string &folder)
{
    const std::string vocab = joinPath(folder, "vocab.json");
    const std::string merges = joinPath(folder, "merges.txt");
    const std::string gz = joinPath(folder, "bpe_simple_vocab_16e6.txt.gz");
    const bool hasVocab = isRegularFile(vocab), hasMerges = isRegularFile(merges);
    if (hasVocab && hasMerges)
        return fromVocabAndMerges(vocab, merges);
    if (isRegularFile(gz))
        return fromBpeMergesGz(gz);
    std::string why = "no tokenizer in '" + folder +
                      "': looked for 'vocab.json' with 'merges.txt', and for "
                      "'bpe_simple_vocab_16e6.txt.gz'";
    if (hasVocab != hasMerges)
        why += std::string(" (found only '") + (hasVocab ? "vocab.json" : "merges.txt") + "')";
    throw Error(why);
}

std::vector<int32_t> ClipTokenizer::encode(std::string_view text) const
{
    return m_impl->encodeUpTo(text, std::numeric_limits<size_t>::max());
}

std::vector<int32_t> ClipTokenizer::tokenize(std::string_view text, int contextLength) const
{
    if (contextLength < 1)
        throw Error("tokenize: the context length must be at least 1, not " + std::to_string(contextLength));
    // Only the first contextLength - 1 ids can matter: with that many the sequence is truncated anyway.
    std::vector<int32_t> ids = m_impl->encodeUpTo(text, size_t(contextLength) - 1);
    std::vector<int32_t> out;
    out.reserve(ids.size() + 2);
    out.push_back(startToken());
    out.insert(out.end(), ids.begin(), ids.end());
    out.push_back(endToken());
    if (out.size() > size_t(contextLength)) {
        out.resize(size_t(contextLength));
        out.back() = endToken();
    }
    return out;
}

std::string ClipTokenizer::decode(const std::vector<int32_t> &ids) const
{
    const Impl::Model &model = *m_impl->m_model;
    std::string bytes;
    for (int32_t id : ids) {
        if (id == model.startToken || id == model.endToken)
            continue;
        if (id < 0 || id >= model.vocabSize || model.tokenBytes[size_t(id)].empty())
            throw Error("decode: id " + std::to_string(id) + " is not in the vocabulary of " +
                        std::to_string(model.vocabSize) + " tokens");
        bytes += model.tokenBytes[size_t(id)];
    }
    // bytearray(...).decode("utf-8", errors="replace").replace("</w>", " "), then trimmed.
    std::string text = encodeUtf8(decodeUtf8(bytes));
    std::string out;
    out.reserve(text.size());
    for (size_t pos = 0;;) {
        const size_t hit = text.find("</w>", pos);
        out.append(text, pos, hit == std::string::npos ? std::string::npos : hit - pos);
        if (hit == std::string::npos)
            break;
        out += ' ';
        pos = hit + 4;
    }
    const size_t b = out.find_first_not_of(" \t\n\r\f\v");
    if (b == std::string::npos)
        return {};
    const size_t e = out.find_last_not_of(" \t\n\r\f\v");
    return out.substr(b, e - b + 1);
}

void ClipTokenizer::save(const std::string &folder) const
{
    const Impl::Model &model = *m_impl->m_model;
    const std::string vocabPath = joinPath(folder, "vocab.json");
    const std::string mergesPath = joinPath(folder, "merges.txt");

    // A spelling held by several ids reads back as the last of them, as both loaders do.
    std::unordered_map<std::string_view, int32_t> idOf;
    for (size_t id = 0; id < model.tokenStrings.size(); ++id)
        if (!model.tokenStrings[id].empty())
            idOf[model.tokenStrings[id]] = int32_t(id);
    // Python's json.dumps(encoder, ensure_ascii=False) in id order, which is how the Hub's CLIP files look.
    std::string vocab = "{";
    try {
        for (size_t id = 0; id < model.tokenStrings.size(); ++id) {
            const std::string &token = model.tokenStrings[id];
            if (token.empty() || idOf.at(token) != int32_t(id))
                continue;
            if (vocab.size() > 1)
                vocab += ", ";
            vocab += nlohmann::json(token).dump();
            vocab += ": ";
            vocab += std::to_string(id);
        }
    } catch (...) {
        rethrowWithContext("writing '" + vocabPath + "'");
    }
    vocab += "}";

    // Only the merges the model kept, in rank order: the same ranks up to gaps, so the same ids.
    std::vector<std::pair<int32_t, uint64_t>> ranked;
    ranked.reserve(model.merges.size());
    for (const auto &[pair, rule] : model.merges)
        ranked.emplace_back(rule.rank, pair);
    std::sort(ranked.begin(), ranked.end());
    std::string merges = "#version: 0.2\n";
    for (const auto &[rank, pair] : ranked) {
        merges += model.tokenStrings[size_t(pair >> 32)];
        merges += ' ';
        merges += model.tokenStrings[size_t(pair & 0xFFFFFFFFu)];
        merges += '\n';
    }

    writeFileAtomically(vocabPath, vocab.data(), vocab.size());
    writeFileAtomically(mergesPath, merges.data(), merges.size());
}

int32_t ClipTokenizer::startToken() const
{
    return m_impl->m_model->startToken;
}
int32_t ClipTokenizer::endToken() const
{
    return m_impl->m_model->endToken;
}
int32_t ClipTokenizer::vocabSize() const
{
    return m_impl->m_model->vocabSize;
}

} // namespace lodestone
