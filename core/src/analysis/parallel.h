#pragma once

// Static work splitting over std::thread for the analysis code.

#include <cstdint>
#include <functional>

namespace lodestone::detail {

// `requested` threads, or one per core when it is 0 or less.
int resolveThreads(int requested);

// Calls fn(begin, end) for the chunks [0, grain), [grain, 2·grain), ... of [0, n) on up to `threads`
// threads (the calling one among them). Chunk boundaries do not depend on the number of threads, so results
// gathered per chunk and combined in chunk order are the same for any thread count. The first exception
// thrown by fn is rethrown once all threads have stopped.
void parallelFor(int64_t n, int64_t grain, int threads, const std::function<void(int64_t, int64_t)> &fn);

} // namespace lodestone::detail
