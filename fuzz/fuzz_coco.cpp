// COCO caption annotations: arbitrary JSON through CaptionDataset::fromCoco on a scratch copy, with an image
// folder that holds "a.jpg" and "b.png" for entries to find.

#include "fuzzsupport.h"

#include "lodestone/dataset.h"
#include "lodestone/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::filesystem::path dir = lodestone::fuzz::scratchDir();
    static const bool images = [&] {
        std::filesystem::create_directory(dir / "images");
        lodestone::fuzz::writeFile(dir / "images" / "a.jpg", "\xff\xd8\xff", 3);
        lodestone::fuzz::writeFile(dir / "images" / "b.png", "\x89PNG", 4);
        return true;
    }();
    (void)images;
    const std::filesystem::path path = dir / "captions.json";
    lodestone::fuzz::writeFile(path, data, size);
    try {
        const lodestone::CaptionDataset dataset =
            lodestone::CaptionDataset::fromCoco(path.string(), (dir / "images").string());
        for (const lodestone::Sample &sample : dataset.samples()) {
            if (sample.caption.empty() || !sample.attributes.count("image_id"))
                __builtin_trap();
        }
    } catch (const lodestone::Error &) {
    }
    return 0;
}
