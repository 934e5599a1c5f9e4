// The query-expression parser ("golden retriever" + 0.5 * image:pool.jpg - photo:42) on arbitrary text.

#include "lodestone/error.h"
#include "lodestone/query.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const std::vector<lodestone::QueryTerm> terms =
            lodestone::parseQuery(std::string(reinterpret_cast<const char *>(data), size));
        if (terms.empty())
            __builtin_trap(); // an expression without terms is an Error, never an empty result
        for (const lodestone::QueryTerm &term : terms) {
            if (!std::isfinite(term.weight) || term.value.empty())
                __builtin_trap();
        }
    } catch (const lodestone::Error &) {
    }
    return 0;
}
