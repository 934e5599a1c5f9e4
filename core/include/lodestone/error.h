#pragma once

#include <stdexcept>
#include <string>

namespace lodestone {

// The one exception type the core throws. Its message says what failed and on what, with context
// added by each layer: "loading 'x.safetensors': tensor 'visual.proj' has shape [64,128], expected [128,64]".
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Rethrows the exception in flight as an Error whose message is prefixed with `context` and ": ".
// Use inside a catch block: `catch (...) { rethrowWithContext("loading '" + path + "'"); }`.
[[noreturn]] void rethrowWithContext(const std::string &context);

} // namespace lodestone
