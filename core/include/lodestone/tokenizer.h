#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lodestone {

// The CLIP byte-level BPE tokenizer, faithful to OpenAI's `simple_tokenizer.py`: text cleaned (HTML
// unescaped twice, whitespace collapsed, stripped, lower-cased), split by the reference pre-tokenising
// pattern (Unicode letter and number classes), each piece BPE-merged with "</w>" marking word ends.
// Immutable once built; all const methods are thread-safe (copies share the model and a word cache).
// Cleaning details and the known differences from the reference are in src/text/textcleaner.h.
class ClipTokenizer {
public:
    // From the gzip'd merges file OpenAI and OpenCLIP ship (`bpe_simple_vocab_16e6.txt.gz`); the vocabulary
    // is derived from the merges exactly as the reference does. Throws Error naming the file.
    static ClipTokenizer fromBpeMergesGz(const std::string &path);
    // From a Hugging Face `vocab.json` + `merges.txt` pair. Throws Error naming the file.
    static ClipTokenizer fromVocabAndMerges(const std::string &vocabJsonPath, const std::string &mergesPath);
    // Finds the tokenizer files in a model folder (either form above). Throws Error if none is there.
    static ClipTokenizer fromFolder(const std::string &folder);
    // Learns a byte-level BPE vocabulary from `texts` (UTF-8 captions), for a model trained from scratch.
    // The texts are cleaned and split into words as encode() does; starting from the 256 byte symbols and
    // their 256 word-final ("</w>") forms, the most frequent adjacent pair (counted over all words, weighted
    // by how often each word occurs; ties to the lowest (left id, right id)) is merged, over and over,
    // until the vocabulary holds `vocabSize` - 2 tokens or no pair occurs twice any more (so vocabSize()
    // may come out smaller); the merges apply as encode() applies them, so every word seen in training
    // encodes as training left it. "<|startoftext|>" and "<|endoftext|>" take the last two ids: endToken() ==
    // vocabSize() - 1. Deterministic: the result depends only on the multiset of texts, not on their order.
    // Throws Error when vocabSize is below 514 (512 byte symbols + 2 special tokens) or above 49408 (the
    // 48894 merges CLIP's files allow).
    static ClipTokenizer trainBpe(const std::vector<std::string> &texts, int vocabSize);

    ClipTokenizer(ClipTokenizer &&) noexcept;
    ClipTokenizer &operator=(ClipTokenizer &&) noexcept;
    ClipTokenizer(const ClipTokenizer &);
    ClipTokenizer &operator=(const ClipTokenizer &);
    ~ClipTokenizer();

    // BPE ids of `text` (UTF-8; invalid bytes are replaced), without start or end tokens.
    std::vector<int32_t> encode(std::string_view text) const;
    // Start token, the ids, end token, truncated to `contextLength` so that the end token stays last.
    // No padding. Throws Error if contextLength < 1.
    std::vector<int32_t> tokenize(std::string_view text, int contextLength = 77) const;
    // The text of `ids` (start/end tokens dropped, "</w>" turned back into spaces, trimmed).
    // Throws Error for an id outside the vocabulary.
    std::string decode(const std::vector<int32_t> &ids) const;

    // Writes `folder`/vocab.json (token -> id, tokens spelled as bytes_to_unicode() does, in id order, as
    // Hugging Face writes it) and `folder`/merges.txt ("#version: 0.2", then one "left right" merge per
    // line in rank order), each file atomically, into an existing folder. fromFolder(folder) then gives
    // the same ids for every text, the same vocabSize(), startToken() and endToken(). (An id whose token is
    // spelled like a later id's, possible only in a merges file that repeats a merge, is not written: no
    // text encodes to it.) Throws Error naming the file that cannot be written.
    void save(const std::string &folder) const;

    int32_t startToken() const; // "<|startoftext|>"
    int32_t endToken() const;   // "<|endoftext|>"
    int32_t vocabSize() const;

private:
    struct Impl;
    explicit ClipTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lodestone
