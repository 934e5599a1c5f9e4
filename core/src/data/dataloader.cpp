// Work is handed out sample by sample from a cursor that walks the epoch's batches in order, never more
// than prefetchBatches ahead of the consumer; each worker writes its sample's pixels straight into the
// batch's buffer at the sample's position, so batches come out in order and identical whatever the number
// of workers. Restarting an epoch bumps a generation number: work in flight for the old one finishes
// into buffers that only the workers still hold, and is dropped.

#include "lodestone/dataloader.h"

#include "lodestone/error.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace lodestone {

namespace {

constexpr size_t MaxRecordedFailures = 100;

uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// Fisher-Yates with our own generator: std::shuffle's result differs between standard libraries, and a
// resumed run must see the same order as the uninterrupted one.
void shuffleIndices(std::vector<size_t> &order, uint64_t seed, int epoch)
{
    uint64_t state = splitmix64(splitmix64(seed ^ 0x5348554646ull) ^ uint64_t(int64_t(epoch)));
    for (size_t i = order.size(); i > 1; --i) {
        state += 0x9e3779b97f4a7c15ull;
        const uint64_t r = splitmix64(state);
        const size_t j = size_t(r % i); // uniform in [0, i) up to a bias of i / 2^64
        std::swap(order[i - 1], order[j]);
    }
}

} // namespace

struct DataLoader::Impl {
    // One batch being prepared. Workers write disjoint rows of `pixels` and disjoint entries of the
    // per-sample vectors without the lock; `remaining` is guarded by the loader's mutex.
    struct Slot {
        std::vector<size_t> indices;
        std::once_flag allocated;
        FloatArray pixels;
        std::vector<std::string> captions;
        std::vector<char> ok;
        std::vector<ReadFailure> failures;
        size_t remaining = 0;
    };

    const CaptionDataset &dataset;
    LoaderOptions options;

    mutable std::mutex mutex;
    std::condition_variable workAvailable;
    std::condition_variable batchReady;
    std::vector<std::thread> threads;
    bool stopping = false;

    // The current epoch.
    bool started = false;
    uint64_t generation = 0;
    int epoch = 0;
    std::vector<std::vector<size_t>> batches; // this rank's slices
    int64_t nextBatch = 0;                    // the one next() returns
    int64_t claimBatch = 0;                   // the cursor workers take samples from
    size_t claimSample = 0;
    std::map<int64_t, std::shared_ptr<Slot>> slots;

    LoaderStats stats;

    Impl(const CaptionDataset &d, LoaderOptions o)
        : dataset(d)
        , options(std::move(o))
    {}

    int64_t defaultBatchCount() const
    {
        const int64_t n = int64_t(dataset.size());
        const int64_t b = options.batchSize;
        return options.dropLast ? n / b : (n + b - 1) / b;
    }

    // The slot for batch `b`, created on first use (under the lock).
    std::shared_ptr<Slot> slotFor(int64_t b)
    {
        std::shared_ptr<Slot> &slot = slots[b];
        if (!slot) {
            slot = std::make_shared<Slot>();
            slot->indices = batches[size_t(b)];
            const size_t k = slot->indices.size();
            slot->captions.resize(k);
            slot->ok.assign(k, 0);
            slot->failures.resize(k);
            slot->remaining = k;
        }
        return slot;
    }

    // Skips batches with nothing to prepare (next() returns them empty without a slot).
    void skipEmptyBatches()
    {
        while (claimBatch < int64_t(batches.size()) && batches[size_t(claimBatch)].empty()) {
            ++claimBatch;
            claimSample = 0;
        }
    }

    bool hasWork() const
    {
        return started && claimBatch < int64_t(batches.size()) &&
               claimBatch < nextBatch + std::max(1, options.prefetchBatches);
    }

    // Decodes and augments sample `pos` of `slot`; never throws (failures are recorded in the slot).
    void process(Slot &slot, size_t pos, int epochOfWork)
    {
        const int64_t n = options.preprocess.imageSize;
        const size_t index = slot.indices[pos];
        const Sample &sample = dataset[index];
        try {
            std::call_once(slot.allocated, [&] {
                slot.pixels = FloatArray({int64_t(slot.indices.size()), 3, n, n});
            });
            const Image8 image = decodeSampleImage(sample.image, options.decode);
            AugmentedView view = augment(image, sample.caption, options.preprocess, options.augment,
                                         sampleSeed(options.seed, epochOfWork, index));
            if (view.pixels.numel() != slot.pixels.rowSize())
                throw Error("augmentation returned " + view.pixels.shapeString());
            std::memcpy(slot.pixels.row(int64_t(pos)), view.pixels.data.data(),
                        view.pixels.data.size() * sizeof(float));
            slot.captions[pos] = std::move(view.caption);
            slot.ok[pos] = 1;
        } catch (const std::exception &e) {
            slot.failures[pos] = {imageRefName(sample.image), e.what()};
        } catch (...) {
            slot.failures[pos] = {imageRefName(sample.image), "unknown error"};
        }
    }

    // Under the lock: counts a finished sample.
    void account(Slot &slot, size_t pos)
    {
        if (slot.ok[pos]) {
            ++stats.decoded;
        } else {
            ++stats.failed;
            if (stats.failures.size() < MaxRecordedFailures)
                stats.failures.push_back(slot.failures[pos]);
        }
    }

    void workerLoop()
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (true) {
            workAvailable.wait(lock, [&] { return stopping || hasWork(); });
            if (stopping)
                return;
            const uint64_t claimedGeneration = generation;
            const int claimedEpoch = epoch;
            const int64_t b = claimBatch;
            std::shared_ptr<Slot> slot = slotFor(b);
            const size_t pos = claimSample++;
            if (claimSample >= slot->indices.size()) {
                ++claimBatch;
                claimSample = 0;
                skipEmptyBatches();
            }
            lock.unlock();
            process(*slot, pos, claimedEpoch);
            lock.lock();
            if (claimedGeneration != generation)
                continue; // the epoch was restarted meanwhile: this work is dropped with its slot
            account(*slot, pos);
            if (--slot->remaining == 0)
                batchReady.notify_all();
        }
    }

    // The finished slot as a Batch, failed samples left out (rows moved up to close the gaps).
    Batch assemble(Slot &slot, int64_t batchInEpoch, int epochOfBatch) const
    {
        Batch batch;
        batch.epoch = epochOfBatch;
        batch.batchInEpoch = batchInEpoch;
        const int64_t n = options.preprocess.imageSize;
        if (std::find(slot.ok.begin(), slot.ok.end(), char(1)) == slot.ok.end()) {
            batch.pixels = FloatArray({0, 3, n, n}); // nothing decoded (the buffer may not even exist)
            batch.failedIndices = slot.indices;
            return batch;
        }
        batch.pixels = std::move(slot.pixels);
        const size_t rowSize = size_t(batch.pixels.rowSize());
        size_t kept = 0;
        for (size_t i = 0; i < slot.indices.size(); ++i) {
            if (!slot.ok[i]) {
                batch.failedIndices.push_back(slot.indices[i]);
                continue;
            }
            if (kept != i) {
                std::memmove(batch.pixels.data.data() + kept * rowSize,
                             batch.pixels.data.data() + i * rowSize, rowSize * sizeof(float));
            }
            batch.indices.push_back(slot.indices[i]);
            batch.captions.push_back(std::move(slot.captions[i]));
            ++kept;
        }
        if (kept != slot.indices.size()) {
            batch.pixels.shape[0] = int64_t(kept);
            batch.pixels.data.resize(kept * rowSize);
        }
        return batch;
    }
};

DataLoader::DataLoader(const CaptionDataset &dataset, LoaderOptions options)
    : m_impl(std::make_unique<Impl>(dataset, std::move(options)))
{
    const LoaderOptions &o = m_impl->options;
    if (o.batchSize < 1)
        throw Error("data loader: batch size " + std::to_string(o.batchSize) + " must be at least 1");
    if (o.worldSize < 1 || o.rank < 0 || o.rank >= o.worldSize) {
        throw Error("data loader: rank " + std::to_string(o.rank) + " is outside a world of " +
                    std::to_string(o.worldSize));
    }
    if (o.batchSize < o.worldSize) {
        throw Error("data loader: the global batch of " + std::to_string(o.batchSize) +
                    " is smaller than the world size " + std::to_string(o.worldSize));
    }
    if (o.preprocess.imageSize <= 0 || o.preprocess.imageSize > 16384)
        throw Error("data loader: image size " + std::to_string(o.preprocess.imageSize) + " is out of range");
    const int workers = std::max(0, o.workers);
    for (int i = 0; i < workers; ++i)
        m_impl->threads.emplace_back([impl = m_impl.get()] { impl->workerLoop(); });
}

DataLoader::~DataLoader()
{
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->workAvailable.notify_all();
    m_impl->batchReady.notify_all();
    for (std::thread &t : m_impl->threads)
        t.join();
}

void DataLoader::startEpoch(int epoch, std::vector<std::vector<size_t>> batches, int64_t firstBatch)
{
    Impl &d = *m_impl;
    const size_t n = d.dataset.size();
    if (batches.empty()) {
        std::vector<size_t> order(n);
        for (size_t i = 0; i < n; ++i)
            order[i] = i;
        if (d.options.shuffle)
            shuffleIndices(order, d.options.seed, epoch);
        const size_t b = size_t(d.options.batchSize);
        for (size_t begin = 0; begin < n; begin += b) {
            const size_t end = std::min(n, begin + b);
            if (end - begin < b && d.options.dropLast)
                break;
            batches.emplace_back(order.begin() + std::ptrdiff_t(begin), order.begin() + std::ptrdiff_t(end));
        }
    } else {
        for (size_t b = 0; b < batches.size(); ++b) {
            for (size_t index : batches[b]) {
                if (index >= n) {
                    throw Error("data loader: batch " + std::to_string(b) + " names sample " +
                                std::to_string(index) + " of a dataset of " + std::to_string(n));
                }
            }
        }
    }
    if (firstBatch < 0 || firstBatch > int64_t(batches.size())) {
        throw Error("data loader: first batch " + std::to_string(firstBatch) + " is outside the epoch's " +
                    std::to_string(batches.size()) + " batches");
    }
    // This rank's contiguous slice of every global batch.
    const size_t rank = size_t(d.options.rank);
    const size_t world = size_t(d.options.worldSize);
    if (world > 1) {
        for (std::vector<size_t> &batch : batches) {
            const size_t size = batch.size();
            std::vector<size_t> slice(batch.begin() + std::ptrdiff_t(size * rank / world),
                                      batch.begin() + std::ptrdiff_t(size * (rank + 1) / world));
            batch = std::move(slice);
        }
    }
    {
        std::lock_guard<std::mutex> lock(d.mutex);
        ++d.generation;
        d.started = true;
        d.epoch = epoch;
        d.batches = std::move(batches);
        d.nextBatch = firstBatch;
        d.claimBatch = firstBatch;
        d.claimSample = 0;
        d.slots.clear();
        d.skipEmptyBatches();
    }
    d.workAvailable.notify_all();
}

std::optional<Batch> DataLoader::next()
{
    Impl &d = *m_impl;
    std::unique_lock<std::mutex> lock(d.mutex);
    if (!d.started)
        throw Error("data loader: next() before startEpoch()");
    const int64_t b = d.nextBatch;
    if (b >= int64_t(d.batches.size()))
        return std::nullopt;
    const int epoch = d.epoch;

    std::shared_ptr<Impl::Slot> slot;
    if (d.batches[size_t(b)].empty()) {
        slot = std::make_shared<Impl::Slot>();
    } else if (d.threads.empty()) {
        // No workers: prepare the batch here, the same way a worker would.
        slot = d.slotFor(b);
        lock.unlock();
        for (size_t pos = 0; pos < slot->indices.size(); ++pos)
            d.process(*slot, pos, epoch);
        lock.lock();
        for (size_t pos = 0; pos < slot->indices.size(); ++pos)
            d.account(*slot, pos);
        slot->remaining = 0;
        if (d.claimBatch <= b) {
            d.claimBatch = b + 1;
            d.claimSample = 0;
            d.skipEmptyBatches();
        }
    } else {
        d.batchReady.wait(lock, [&] {
            const auto it = d.slots.find(b);
            return d.stopping || (it != d.slots.end() && it->second->remaining == 0);
        });
        if (d.stopping)
            return std::nullopt;
        slot = d.slots[b];
    }
    d.slots.erase(b);
    ++d.nextBatch;
    lock.unlock();
    d.workAvailable.notify_all(); // the prefetch window moved on
    return d.assemble(*slot, b, epoch);
}

int64_t DataLoader::batchesPerEpoch() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->started ? int64_t(m_impl->batches.size()) : m_impl->defaultBatchCount();
}

LoaderStats DataLoader::stats() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->stats;
}

} // namespace lodestone
