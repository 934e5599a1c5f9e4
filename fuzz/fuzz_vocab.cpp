// The tokenizer's vocabulary readers: a file set (fuzzsupport.h) of "vocab.json" + "merges.txt" (Hugging
// Face) or "bpe_simple_vocab_16e6.txt.gz" (OpenAI), written into a scratch folder and read with
// ClipTokenizer::fromFolder. A tokenizer that loads then encodes the set's "text" file, decodes the ids, and
// is saved and read back, which must give the same ids (the contract of ClipTokenizer::save).

#include "fuzzsupport.h"

#include "lodestone/error.h"
#include "lodestone/tokenizer.h"

#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    namespace fs = std::filesystem;
    const fs::path folder = lodestone::fuzz::scratchDir() / "vocab";
    const fs::path saved = lodestone::fuzz::scratchDir() / "saved";
    std::error_code ec;
    fs::remove_all(folder, ec);
    fs::create_directory(folder);
    fs::create_directory(saved, ec);

    std::string text = "a photo of a cat";
    for (const lodestone::fuzz::NamedFile &file : lodestone::fuzz::splitFileSet(data, size)) {
        if (file.name == "vocab.json" || file.name == "merges.txt" ||
            file.name == "bpe_simple_vocab_16e6.txt.gz")
            lodestone::fuzz::writeFile(folder / file.name, file.content.data(), file.content.size());
        else if (file.name == "text")
            text = std::string(file.content);
    }

    std::optional<lodestone::ClipTokenizer> tokenizer;
    try {
        tokenizer = lodestone::ClipTokenizer::fromFolder(folder.string());
    } catch (const lodestone::Error &) {
        return 0;
    }
    const std::vector<int32_t> ids = tokenizer->tokenize(text, 77);
    if (ids.size() < 2 || ids.size() > 77 || ids.front() != tokenizer->startToken() ||
        ids.back() != tokenizer->endToken())
        __builtin_trap();
    (void)tokenizer->decode(ids); // every id encode() gives is in the vocabulary: must not throw

    tokenizer->save(saved.string());
    const lodestone::ClipTokenizer reread = lodestone::ClipTokenizer::fromFolder(saved.string());
    if (reread.tokenize(text, 77) != ids || reread.vocabSize() != tokenizer->vocabSize() ||
        reread.startToken() != tokenizer->startToken() || reread.endToken() != tokenizer->endToken())
        __builtin_trap();
    return 0;
}
