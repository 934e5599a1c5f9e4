#include "lodestone/error.h"

#include <exception>

namespace lodestone {

void rethrowWithContext(const std::string &context)
{
    try {
        throw;
    } catch (const std::exception &e) {
        throw Error(context + ": " + e.what());
    } catch (...) {
        throw Error(context + ": unknown error");
    }
}

} // namespace lodestone
