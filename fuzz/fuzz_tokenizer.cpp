// Text into the tokenizer: cleaning (HTML unescaping, whitespace, lower case, Unicode), the pre-tokenising
// pattern and BPE merging, on arbitrary bytes, with a small vocabulary learnt once at start-up. Checks the
// contracts of tokenize() (start and end tokens, at most contextLength ids) and that decode() takes back
// every id encode() gives.

#include "lodestone/error.h"
#include "lodestone/tokenizer.h"

#include <string_view>

namespace {

const lodestone::ClipTokenizer &tokenizer()
{
    static const lodestone::ClipTokenizer instance = lodestone::ClipTokenizer::trainBpe(
        {"a photo of a cat", "a photo of a dog on the grass", "two dogs playing in the snow",
         "a red circle left of a blue square", "Ünïcödé façade naïve café 東京 смотреть",
         "t-shirt c++ 3.14 #1 @me"},
        600);
    return instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const lodestone::ClipTokenizer &t = tokenizer();
    const std::vector<int32_t> ids = t.tokenize(text, 77);
    if (ids.size() < 2 || ids.size() > 77 || ids.front() != t.startToken() || ids.back() != t.endToken())
        __builtin_trap();
    const std::vector<int32_t> all = t.encode(text);
    for (int32_t id : all) {
        if (id < 0 || id >= t.vocabSize())
            __builtin_trap();
    }
    try {
        (void)t.decode(all);
    } catch (const lodestone::Error &) {
        __builtin_trap(); // ids from encode() are all in the vocabulary
    }
    return 0;
}
