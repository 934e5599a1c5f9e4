// NumPy .npy files (embed-pixels --in): magic, version, the header's Python dict, dtype and shape, through
// readNpy on a scratch copy.

#include "fuzzsupport.h"

#include "lodestone/error.h"
#include "lodestone/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::filesystem::path path = lodestone::fuzz::scratchDir() / "array.npy";
    lodestone::fuzz::writeFile(path, data, size);
    try {
        const lodestone::FloatArray array = lodestone::readNpy(path.string());
        if (int64_t(array.data.size()) != array.numel())
            __builtin_trap();
    } catch (const lodestone::Error &) {
    }
    return 0;
}
