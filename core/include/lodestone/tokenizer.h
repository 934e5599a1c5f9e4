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
// Immutable once built; all const methods are thread-safe.
class ClipTokenizer {
public:
    // From the gzip'd merges file OpenAI and OpenCLIP ship (`bpe_simple_vocab_16e6.txt.gz`); the vocabulary
    // is derived from the merges exactly as the reference does. Throws Error naming the file.
    static ClipTokenizer fromBpeMergesGz(const std::string &path);
    // From a Hugging Face `vocab.json` + `merges.txt` pair. Throws Error naming the file.
    static ClipTokenizer fromVocabAndMerges(const std::string &vocabJsonPath, const std::string &mergesPath);
    // Finds the tokenizer files in a model folder (either form above). Throws Error if none is there.
    static ClipTokenizer fromFolder(const std::string &folder);

    ClipTokenizer(ClipTokenizer &&) noexcept;
    ClipTokenizer &operator=(ClipTokenizer &&) noexcept;
    ClipTokenizer(const ClipTokenizer &);
    ClipTokenizer &operator=(const ClipTokenizer &);
    ~ClipTokenizer();

    // BPE ids of `text` (UTF-8; invalid bytes are replaced), without start or end tokens.
    std::vector<int32_t> encode(std::string_view text) const;
    // Start token, the ids, end token, truncated to `contextLength` so that the end token stays last.
    // No padding.
    std::vector<int32_t> tokenize(std::string_view text, int contextLength = 77) const;
    // The text of `ids` (start/end tokens dropped, "</w>" turned back into spaces).
    std::string decode(const std::vector<int32_t> &ids) const;

    int32_t startToken() const; // "<|startoftext|>"
    int32_t endToken() const;   // "<|endoftext|>"
    int32_t vocabSize() const;

private:
    struct Impl;
    explicit ClipTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lodestone
