// WebDataset shard patterns (wds:SHARD_PATTERN) through expandShardPattern: brace lists and ranges, nested
// braces, zero padding, and the limits on how far a pattern may expand. Glob characters are replaced, so
// that nothing walks the file system.

#include "lodestone/dataset.h"
#include "lodestone/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string pattern(reinterpret_cast<const char *>(data), size);
    for (char &c : pattern) {
        if (c == '*' || c == '?' || c == '[')
            c = '_';
    }
    try {
        const std::vector<std::string> names = lodestone::expandShardPattern(pattern);
        if (names.empty())
            __builtin_trap(); // a pattern names at least one shard
    } catch (const lodestone::Error &) {
    }
    return 0;
}
