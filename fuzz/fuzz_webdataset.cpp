// WebDataset shards: arbitrary bytes as a .tar shard through CaptionDataset::fromWebDataset (libarchive's
// tar reader, member grouping by key, caption and label members, image references by offset). Every sample
// it gives must be readable with readImageBytes. (Shard patterns have a target of their own,
// fuzz_shardpattern: patterns expanding to many names are slow by nature and starved this one.)

#include "fuzzsupport.h"

#include "lodestone/dataset.h"
#include "lodestone/error.h"

#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::filesystem::path shard = lodestone::fuzz::scratchDir() / "shard.tar";
    lodestone::fuzz::writeFile(shard, data, size);
    std::optional<lodestone::CaptionDataset> dataset;
    try {
        dataset = lodestone::CaptionDataset::fromWebDataset(shard.string());
    } catch (const lodestone::Error &) {
        return 0;
    }
    for (const lodestone::Sample &sample : dataset->samples()) {
        if (sample.caption.empty() || sample.image.size == 0)
            __builtin_trap();
        // Throws (uncaught: a finding) when the member's bytes lie outside the shard.
        const std::vector<uint8_t> bytes = lodestone::readImageBytes(sample.image);
        if (bytes.size() != sample.image.size)
            __builtin_trap();
    }
    return 0;
}
