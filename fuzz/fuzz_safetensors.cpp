// The safetensors reader on arbitrary bytes: header size, JSON header, dtypes, shapes, offsets.

#include "lodestone/error.h"
#include "lodestone/safetensors.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const lodestone::SafetensorsFile file = lodestone::SafetensorsFile::fromBytes(
            std::vector<uint8_t>(data, data + size), "fuzz.safetensors");
        // Touch every tensor's first and last byte, so that a view outside the buffer shows up in ASan.
        unsigned sum = 0;
        for (const lodestone::TensorView &view : file.tensors()) {
            if (view.bytes > 0)
                sum += view.data[0] + view.data[view.bytes - 1];
            sum += unsigned(view.numel() & 1) + unsigned(view.shapeString().size());
            if (file.find(view.name) == nullptr)
                __builtin_trap(); // every listed tensor must be found by its name
        }
        sum += unsigned(file.metadata().size());
        (void)sum;
    } catch (const lodestone::Error &) {
    }
    return 0;
}
