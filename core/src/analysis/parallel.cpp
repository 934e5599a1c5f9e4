#include "analysis/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lodestone::detail {

int resolveThreads(int requested)
{
    if (requested > 0)
        return requested;
    return std::max(1u, std::thread::hardware_concurrency());
}

void parallelFor(int64_t n, int64_t grain, int threads, const std::function<void(int64_t, int64_t)> &fn)
{
    if (n <= 0)
        return;
    grain = std::max<int64_t>(1, grain);
    const int64_t chunks = (n + grain - 1) / grain;
    const int workers = int(std::min<int64_t>(resolveThreads(threads), chunks));
    if (workers <= 1) {
        for (int64_t begin = 0; begin < n; begin += grain)
            fn(begin, std::min(n, begin + grain));
        return;
    }
    std::atomic<int64_t> nextChunk{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&] {
        try {
            for (int64_t c = nextChunk++; c < chunks; c = nextChunk++)
                fn(c * grain, std::min(n, (c + 1) * grain));
        } catch (...) {
            const std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            nextChunk = chunks; // the others stop after their current chunk
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(size_t(workers - 1));
    for (int t = 1; t < workers; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread &t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace lodestone::detail
