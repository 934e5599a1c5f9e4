#include "library/annindex.h"

#include "lodestone/error.h"

#include <hnswlib/hnswlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

// The file is hnswlib 0.6.2's own format (HierarchicalNSW::saveIndex), nothing added, so other hnswlib tools
// can read it. hnswlib's loadIndex trusts what it reads, so load() first checks the header against the
// layout a `dim`-float index must have (that is where another dimension is refused), walks the per-element
// link-list sizes, and after loading checks every graph edge before the index is searched.

namespace lodestone::detail {

namespace {

using Hnsw = hnswlib::HierarchicalNSW<float>;

constexpr size_t kInitialCapacity = 1024;
// Batches at least this large are inserted by several threads.
constexpr size_t kParallelBatch = 256;

uint64_t toLabel(int64_t id)
{
    return static_cast<uint64_t>(id); // two's complement: a bijection between int64 and size_t
}

int64_t fromLabel(hnswlib::labeltype label)
{
    return static_cast<int64_t>(static_cast<uint64_t>(label));
}

// Sixteen independent partial sums: the compiler vectorises this without reassociating a single sum.
float dotPortable(const float *a, const float *b, size_t n)
{
    float acc[16] = {};
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (size_t j = 0; j < 16; ++j)
            acc[j] += a[i + j] * b[i + j];
    float sum = 0;
    for (float partial : acc)
        sum += partial;
    for (; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

float distancePortable(const void *a, const void *b, const void *dim)
{
    return 1.0f - dotPortable(static_cast<const float *>(a), static_cast<const float *>(b),
                              *static_cast<const size_t *>(dim));
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LODESTONE_ANN_AVX2 1
// The build targets baseline x86-64 (SSE2), where hnswlib's own kernels are SSE; AVX2 with FMA, chosen at
// run time, builds the graph about 1.5 times as fast.
__attribute__((target("avx2,fma"))) float dotAvx2(const float *a, const float *b, size_t n)
{
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    const __m256 acc = _mm256_add_ps(acc0, acc1);
    __m128 sum4 = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    sum4 = _mm_add_ps(sum4, _mm_movehl_ps(sum4, sum4));
    sum4 = _mm_add_ss(sum4, _mm_movehdup_ps(sum4));
    float sum = _mm_cvtss_f32(sum4);
    for (; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

__attribute__((target("avx2,fma"))) float distanceAvx2(const void *a, const void *b, const void *dim)
{
    return 1.0f - dotAvx2(static_cast<const float *>(a), static_cast<const float *>(b),
                          *static_cast<const size_t *>(dim));
}
#endif

bool useAvx2()
{
#ifdef LODESTONE_ANN_AVX2
    static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return supported;
#else
    return false;
#endif
}

// The inner product used everywhere here: by the graph (through the space below), for the scores search()
// reports and by exactSearch, so that the two agree to the bit.
float dot(const float *a, const float *b, size_t n)
{
#ifdef LODESTONE_ANN_AVX2
    if (useAvx2())
        return dotAvx2(a, b, n);
#endif
    return dotPortable(a, b, n);
}

// hnswlib's InnerProductSpace (distance 1 - a.b) with the kernel chosen at run time. The space only lends
// the index its distance function and the dimension; files are the same as with InnerProductSpace.
class InnerProductSpace : public hnswlib::SpaceInterface<float> {
public:
    explicit InnerProductSpace(size_t dim)
        : m_dim(dim)
    {}
    size_t get_data_size() override { return m_dim * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override
    {
#ifdef LODESTONE_ANN_AVX2
        if (useAvx2())
            return distanceAvx2;
#endif
        return distancePortable;
    }
    void *get_dist_func_param() override
    {
        return &m_dim;
    }

private:
    size_t m_dim;
};

// Orders hits best first: higher score, then lower id, so that ties are reproducible.
bool betterHit(const NeighbourHit &a, const NeighbourHit &b)
{
    return a.score != b.score ? a.score > b.score : a.id < b.id;
}

std::string osError()
{
    return std::strerror(errno);
}

// The fixed header hnswlib 0.6.2 writes before the level-0 block, field by field.
struct FileHeader {
    uint64_t offsetLevel0 = 0;
    uint64_t maxElements = 0;
    uint64_t count = 0;
    uint64_t sizeDataPerElement = 0;
    uint64_t labelOffset = 0;
    uint64_t offsetData = 0;
    int32_t maxLevel = 0;
    uint32_t entryPoint = 0;
    uint64_t maxM = 0;
    uint64_t maxM0 = 0;
    uint64_t m = 0;
    double mult = 0;
    uint64_t efConstruction = 0;
};
constexpr uint64_t kHeaderBytes = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;

template <typename T>
void readField(std::istream &in, T &field)
{
    in.read(reinterpret_cast<char *>(&field), sizeof(T));
}

// Checks a saved index against what HierarchicalNSW<float> over a `dim`-float space writes; throws Error
// with the reason (the caller adds the file name). Returns the header.
FileHeader checkFile(const std::string &path, int dim)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error("cannot open: " + osError());
    if (!S_ISREG(st.st_mode))
        throw Error("not a regular file");
    const auto fileSize = static_cast<uint64_t>(st.st_size);
    if (fileSize == 0)
        throw Error("the file is empty");
    if (fileSize < kHeaderBytes)
        throw Error("truncated: " + std::to_string(fileSize) + " bytes, shorter than the header");

    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open: " + osError());
    FileHeader h;
    readField(in, h.offsetLevel0);
    readField(in, h.maxElements);
    readField(in, h.count);
    readField(in, h.sizeDataPerElement);
    readField(in, h.labelOffset);
    readField(in, h.offsetData);
    readField(in, h.maxLevel);
    readField(in, h.entryPoint);
    readField(in, h.maxM);
    readField(in, h.maxM0);
    readField(in, h.m);
    readField(in, h.mult);
    readField(in, h.efConstruction);
    if (!in)
        throw Error("cannot read the header");

    const bool layoutOk =
        h.offsetLevel0 == 0 && h.m >= 2 && h.m <= 10000 && h.maxM == h.m && h.maxM0 == 2 * h.m &&
        h.offsetData == h.maxM0 * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint) &&
        h.labelOffset > h.offsetData && (h.labelOffset - h.offsetData) % sizeof(float) == 0 &&
        h.sizeDataPerElement == h.labelOffset + sizeof(hnswlib::labeltype) && std::isfinite(h.mult) &&
        h.mult > 0 && h.efConstruction > 0;
    if (!layoutOk)
        throw Error("not an index of this program (unexpected header)");
    const uint64_t fileDim = (h.labelOffset - h.offsetData) / sizeof(float);
    if (fileDim != uint64_t(dim))
        throw Error("holds " + std::to_string(fileDim) + "-dimensional vectors, expected " +
                    std::to_string(dim));
    if (h.count > (fileSize - kHeaderBytes) / h.sizeDataPerElement || h.count > 0xffffffffu)
        throw Error("truncated: " + std::to_string(h.count) + " vectors do not fit in " +
                    std::to_string(fileSize) + " bytes");
    if (h.count == 0 ? h.maxLevel != -1 : (h.maxLevel < 0 || h.maxLevel > 100 || h.entryPoint >= h.count))
        throw Error("damaged header (entry point or top level)");

    // After the level-0 block: for each element the byte size of its upper-level link lists, then the lists.
    const uint64_t tailOffset = kHeaderBytes + h.count * h.sizeDataPerElement;
    const uint64_t perLevel = h.maxM * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
    if (fileSize - tailOffset > h.count * (sizeof(uint32_t) + uint64_t(std::max(h.maxLevel, 0)) * perLevel))
        throw Error("damaged: " + std::to_string(fileSize) + " bytes is more than " +
                    std::to_string(h.count) + " vectors can take");
    std::vector<char> tail(size_t(fileSize - tailOffset));
    in.seekg(std::streamoff(tailOffset));
    in.read(tail.data(), std::streamsize(tail.size()));
    if (!in)
        throw Error("cannot read the link lists");
    uint64_t at = 0;
    for (uint64_t i = 0; i < h.count; ++i) {
        if (tail.size() - at < sizeof(uint32_t))
            throw Error("truncated: link lists of element " + std::to_string(i) + " missing");
        uint32_t bytes = 0;
        std::memcpy(&bytes, tail.data() + at, sizeof(bytes));
        at += sizeof(bytes);
        if (bytes % perLevel != 0 || bytes / perLevel > uint64_t(h.maxLevel))
            throw Error("damaged link lists of element " + std::to_string(i));
        if (tail.size() - at < bytes)
            throw Error("truncated: link lists of element " + std::to_string(i) + " cut short");
        at += bytes;
    }
    if (at != tail.size())
        throw Error(std::to_string(tail.size() - at) + " unexpected bytes at the end");
    return h;
}

// Every edge of a freshly loaded graph must point at an element that exists on that level, else a search
// would read outside the index.
void checkGraph(const Hnsw &index)
{
    const size_t count = index.cur_element_count;
    for (size_t i = 0; i < count; ++i) {
        const auto id = hnswlib::tableint(i);
        const int levels = index.element_levels_[i];
        for (int level = 0; level <= levels; ++level) {
            hnswlib::linklistsizeint *list = index.get_linklist_at_level(id, level);
            const size_t size = index.getListCount(list);
            if (size > (level == 0 ? index.maxM0_ : index.maxM_))
                throw Error("damaged graph: element " + std::to_string(i) + " has " + std::to_string(size) +
                            " links on level " + std::to_string(level));
            const auto *links = reinterpret_cast<const hnswlib::tableint *>(list + 1);
            for (size_t j = 0; j < size; ++j)
                if (links[j] >= count || index.element_levels_[links[j]] < level)
                    throw Error("damaged graph: element " + std::to_string(i) +
                                " links to a missing element");
        }
    }
    if (count > 0 && index.element_levels_[index.enterpoint_node_] != index.maxlevel_)
        throw Error("damaged graph: the entry point is not on the top level");
    if (index.label_lookup_.size() != count)
        throw Error("damaged index: repeated ids");
}

// One row of an add() batch: the label it goes under and the row of the vectors.
struct InsertJob {
    hnswlib::labeltype label;
    size_t row;
};

// Runs addPoint for each job: the first point of an empty index alone (it becomes the entry point), the rest
// on several threads when there are many (hnswlib takes its own locks per element).
void insert(Hnsw &index, const std::vector<InsertJob> &jobs, const FloatArray &vectors)
{
    size_t first = 0;
    if (index.cur_element_count == 0) {
        index.addPoint(vectors.row(int64_t(jobs[0].row)), jobs[0].label);
        first = 1;
    }
    const size_t threads =
        jobs.size() - first >= kParallelBatch ? std::max(1u, std::thread::hardware_concurrency()) : 1;
    std::atomic<size_t> next{first};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto work = [&] {
        try {
            for (size_t i = next++; i < jobs.size() && !failed; i = next++)
                index.addPoint(vectors.row(int64_t(jobs[i].row)), jobs[i].label);
        } catch (...) {
            std::lock_guard lock(errorMutex);
            if (!error)
                error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread &thread : pool)
        thread.join();
    if (error)
        std::rethrow_exception(error);
}

} // namespace

struct AnnIndex::Impl {
    int dim = 0;
    Parameters parameters;
    // The space owns the distance function's parameter (the dimension) that the index points at: it must
    // outlive the index, hence declared first.
    std::unique_ptr<InnerProductSpace> space;
    std::unique_ptr<Hnsw> index;

    void reserve(size_t needed)
    {
        if (needed <= index->max_elements_)
            return;
        index->resizeIndex(std::max(needed, 2 * index->max_elements_));
    }
};

AnnIndex::AnnIndex(int dim, Parameters parameters)
    : m_impl(std::make_unique<Impl>())
{
    if (dim <= 0)
        throw Error("ANN index: dimension must be positive, got " + std::to_string(dim));
    if (parameters.m < 2 || parameters.m > 10000 || parameters.efConstruction < 1 || parameters.efSearch < 1)
        throw Error("ANN index: invalid parameters (M " + std::to_string(parameters.m) + ", efConstruction " +
                    std::to_string(parameters.efConstruction) + ", efSearch " +
                    std::to_string(parameters.efSearch) + ")");
    m_impl->dim = dim;
    m_impl->parameters = parameters;
    m_impl->space = std::make_unique<InnerProductSpace>(size_t(dim));
    m_impl->index = std::make_unique<Hnsw>(m_impl->space.get(), kInitialCapacity, size_t(parameters.m),
                                           size_t(parameters.efConstruction));
    m_impl->index->metric_distance_computations = 0;
    m_impl->index->metric_hops = 0;
    m_impl->index->setEf(size_t(parameters.efSearch));
}

AnnIndex AnnIndex::load(const std::string &path, int dim, Parameters parameters)
{
    AnnIndex result(dim, parameters);
    Impl &impl = *result.m_impl;
    try {
        const FileHeader header = checkFile(path, dim);
        // The constructor that reads a file leaves num_deleted_ uninitialised in hnswlib 0.6.2, and one that
        // throws half-way cannot be cleaned up; so: the empty constructor, the fields its destructor reads
        // set here, then loadIndex.
        auto index = std::make_unique<Hnsw>(impl.space.get());
        index->data_level0_memory_ = nullptr;
        index->linkLists_ = nullptr;
        index->visited_list_pool_ = nullptr;
        index->cur_element_count = 0;
        index->num_deleted_ = 0;
        index->metric_distance_computations = 0;
        index->metric_hops = 0;
        try {
            // Capacity: just the stored elements (the file's own capacity is not trusted); add() grows it.
            index->loadIndex(path, impl.space.get(), std::max<size_t>(header.count, 1));
        } catch (...) {
            index->cur_element_count = 0; // destructible again (leaks upper-level lists on this path only)
            throw;
        }
        checkGraph(*index);
        index->setEf(size_t(parameters.efSearch));
        impl.parameters.m = int(index->M_);
        impl.parameters.efConstruction = int(index->ef_construction_);
        impl.index = std::move(index);
    } catch (...) {
        rethrowWithContext("loading the ANN index '" + path + "'");
    }
    return result;
}

AnnIndex::AnnIndex(AnnIndex &&) noexcept = default;
AnnIndex &AnnIndex::operator=(AnnIndex &&) noexcept = default;
AnnIndex::~AnnIndex() = default;

void AnnIndex::save(const std::string &path) const
{
    Hnsw &index = *m_impl->index;
    const std::string tmp = path + ".tmp";
    const std::string context = "saving the ANN index '" + path + "'";
    // saveIndex writes through an unchecked std::ofstream: open the file first for a proper error, and
    // compare the size written with what it must be (a full disk shows as a short file).
    uint64_t expected = kHeaderBytes + index.cur_element_count * index.size_data_per_element_;
    for (size_t i = 0; i < index.cur_element_count; ++i)
        expected += sizeof(uint32_t) + uint64_t(index.element_levels_[i]) * index.size_links_per_element_;
    const int created = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (created < 0)
        throw Error(context + ": cannot create '" + tmp + "': " + osError());
    ::close(created);
    try {
        index.saveIndex(tmp);
    } catch (...) {
        ::unlink(tmp.c_str());
        rethrowWithContext(context);
    }
    struct stat st {};
    if (::stat(tmp.c_str(), &st) != 0 || uint64_t(st.st_size) != expected) {
        ::unlink(tmp.c_str());
        throw Error(context + ": short write to '" + tmp + "' (disk full?)");
    }
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const std::string why = osError();
        if (fd >= 0)
            ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(context + ": cannot flush '" + tmp + "': " + why);
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = osError();
        ::unlink(tmp.c_str());
        throw Error(context + ": cannot move '" + tmp + "' into place: " + why);
    }
}

int AnnIndex::dim() const
{
    return m_impl->dim;
}

int64_t AnnIndex::size() const
{
    return int64_t(m_impl->index->cur_element_count - m_impl->index->num_deleted_);
}

std::vector<int64_t> AnnIndex::ids() const
{
    const Hnsw &index = *m_impl->index;
    std::vector<int64_t> result;
    result.reserve(index.label_lookup_.size());
    for (const auto &[label, internal] : index.label_lookup_)
        if (!index.isMarkedDeleted(internal))
            result.push_back(fromLabel(label));
    std::sort(result.begin(), result.end());
    return result;
}

void AnnIndex::add(const std::vector<int64_t> &ids, const FloatArray &vectors)
{
    Hnsw &index = *m_impl->index;
    const int dim = m_impl->dim;
    if (ids.empty() && vectors.data.empty())
        return;
    if (vectors.rank() != 2 || vectors.dim(1) != dim || vectors.dim(0) != int64_t(ids.size()))
        throw Error("ANN index: adding " + std::to_string(ids.size()) + " ids with vectors of shape " +
                    vectors.shapeString() + ", expected [" + std::to_string(ids.size()) + "," +
                    std::to_string(dim) + "]");
    for (size_t row = 0; row < ids.size(); ++row) {
        const float *v = vectors.row(int64_t(row));
        for (int j = 0; j < dim; ++j)
            if (!std::isfinite(v[j]))
                throw Error("ANN index: the vector of id " + std::to_string(ids[row]) + " is not finite");
    }

    // One job per distinct id, the last row given for it winning (two threads must never add the same label).
    std::vector<InsertJob> jobs;
    jobs.reserve(ids.size());
    std::unordered_set<hnswlib::labeltype> batch;
    batch.reserve(ids.size());
    for (size_t row = ids.size(); row-- > 0;)
        if (batch.insert(toLabel(ids[row])).second)
            jobs.push_back({toLabel(ids[row]), row});
    std::reverse(jobs.begin(), jobs.end());

    // Bookkeeping first, on this thread (num_deleted_ and label_lookup_ are not safe to change from several):
    // a deleted id being added again is revived in place; a new id takes over the slot of a deleted id that
    // is not in this batch, else a new slot. addPoint then finds each label present and updates its vector
    // and links (hnswlib 0.6.2 has no replace_deleted; this is what later versions do).
    std::vector<hnswlib::tableint> vacant;
    if (index.num_deleted_ > 0)
        for (const auto &[label, internal] : index.label_lookup_)
            if (index.isMarkedDeleted(internal) && !batch.count(label))
                vacant.push_back(internal);
    std::sort(vacant.begin(), vacant.end(), std::greater<>()); // reuse the lowest slots first
    size_t newLabels = 0;
    for (const InsertJob &job : jobs)
        newLabels += index.label_lookup_.count(job.label) == 0;
    // Grown before anything changes, so that running out of memory leaves the index as it was.
    m_impl->reserve(index.cur_element_count + newLabels - std::min(newLabels, vacant.size()));
    for (const InsertJob &job : jobs) {
        auto found = index.label_lookup_.find(job.label);
        if (found != index.label_lookup_.end()) {
            if (index.isMarkedDeleted(found->second))
                index.unmarkDeletedInternal(found->second);
        } else if (!vacant.empty()) {
            const hnswlib::tableint slot = vacant.back();
            vacant.pop_back();
            index.label_lookup_.erase(index.getExternalLabel(slot));
            index.label_lookup_[job.label] = slot;
            index.setExternalLabel(slot, job.label);
            index.unmarkDeletedInternal(slot);
        }
    }

    try {
        insert(index, jobs, vectors);
    } catch (...) {
        rethrowWithContext("ANN index: adding vectors");
    }
}

void AnnIndex::remove(const std::vector<int64_t> &ids)
{
    Hnsw &index = *m_impl->index;
    for (int64_t id : ids) {
        auto found = index.label_lookup_.find(toLabel(id));
        if (found != index.label_lookup_.end() && !index.isMarkedDeleted(found->second))
            index.markDeletedInternal(found->second);
    }
}

std::vector<NeighbourHit> AnnIndex::search(const float *query, int k) const
{
    const Hnsw &index = *m_impl->index;
    if (k <= 0 || size() == 0)
        return {};
    // searchKnn itself widens the beam to max(ef, k).
    auto found = index.searchKnn(query, size_t(k));
    std::vector<NeighbourHit> hits;
    hits.reserve(found.size());
    for (; !found.empty(); found.pop()) {
        const hnswlib::labeltype label = found.top().second;
        // The exact inner product rather than 1 - distance, so that scores match exactSearch's to the bit.
        const hnswlib::tableint internal = index.label_lookup_.at(label);
        hits.push_back({fromLabel(label),
                        dot(query, reinterpret_cast<const float *>(index.getDataByInternalId(internal)),
                            size_t(m_impl->dim))});
    }
    std::sort(hits.begin(), hits.end(), betterHit);
    return hits;
}

void AnnIndex::setEfSearch(int ef)
{
    if (ef < 1)
        throw Error("ANN index: efSearch must be positive, got " + std::to_string(ef));
    m_impl->parameters.efSearch = ef;
    m_impl->index->setEf(size_t(ef));
}

std::vector<NeighbourHit> exactSearch(const FloatArray &vectors, const std::vector<int64_t> &ids,
                                      const float *query, int k)
{
    if (vectors.rank() != 2 || vectors.dim(0) != int64_t(ids.size()))
        throw Error("exact search: vectors of shape " + vectors.shapeString() + " for " +
                    std::to_string(ids.size()) + " ids");
    if (k <= 0 || ids.empty())
        return {};
    const auto n = size_t(vectors.dim(0));
    const auto d = size_t(vectors.dim(1));
    const size_t keep = std::min(n, size_t(k));
    // A heap of the best `keep` so far with the worst on top: most rows fail the one comparison with it.
    std::vector<NeighbourHit> heap;
    heap.reserve(keep + 1);
    for (size_t i = 0; i < n; ++i) {
        const NeighbourHit hit{ids[i], dot(query, vectors.data.data() + i * d, d)};
        if (heap.size() < keep) {
            heap.push_back(hit);
            std::push_heap(heap.begin(), heap.end(), betterHit);
        } else if (betterHit(hit, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), betterHit);
            heap.back() = hit;
            std::push_heap(heap.begin(), heap.end(), betterHit);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), betterHit);
    return heap;
}

int efSearchForSize(int64_t vectors)
{
    constexpr int Default = AnnIndexParameters{}.efSearch;
    if (vectors <= 100000)
        return Default;
    const double ef = Default * std::pow(2.0, std::log10(double(vectors) / 100000.0)); // x2 per tenfold
    return std::min(512, int(std::lround(ef)));
}

} // namespace lodestone::detail
