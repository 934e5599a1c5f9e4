#include "train/distributed.h"

#include "lodestone/error.h"
#include "model/torchcompat.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#ifdef LODESTONE_HAVE_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef LODESTONE_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace lodestone {

namespace {

int environmentInt(const char *name, int fallback, int minimum, int maximum)
{
    const char *text = std::getenv(name);
    if (!text || !*text)
        return fallback;
    char *end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < minimum || value > maximum)
        throw Error(std::string("environment variable ") + name + "='" + text + "' is not a number in [" +
                    std::to_string(minimum) + ", " + std::to_string(maximum) + "]");
    return int(value);
}

bool isLoopback(const std::string &host)
{
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

} // namespace

DistributedConfig DistributedConfig::fromEnvironment()
{
    DistributedConfig config;
    if (const char *worldSize = std::getenv("WORLD_SIZE"); !worldSize || !*worldSize)
        return config;
    config.worldSize = environmentInt("WORLD_SIZE", 1, 1, 1 << 20);
    config.joinGroup = true;
    if (!std::getenv("RANK"))
        throw Error("WORLD_SIZE is " + std::to_string(config.worldSize) + " but RANK is not set");
    config.rank = environmentInt("RANK", 0, 0, config.worldSize - 1);
    config.localRank = environmentInt("LOCAL_RANK", config.rank, 0, 1 << 20);
    if (const char *addr = std::getenv("MASTER_ADDR"); addr && *addr)
        config.masterAddr = addr;
    config.masterPort = environmentInt("MASTER_PORT", config.masterPort, 1, 65535);
    return config;
}

struct Distributed::Impl {
    DistributedConfig config;
    std::chrono::milliseconds timeout{60000};
    const char *backendName = "none";
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<compat::CollectiveBackend> backend;

    std::string context(const char *what) const
    {
        return std::string("distributed training (") + backendName + ", rank " + std::to_string(config.rank) +
               " of " + std::to_string(config.worldSize) + "): " + what;
    }

    // Waits for a collective at most `timeout`; a failure or a timeout becomes an Error that says why.
    void finish(const c10::intrusive_ptr<c10d::Work> &work, const char *what) const
    {
        bool completed = false;
        try {
            completed = work->wait(timeout);
        } catch (const std::exception &e) {
            std::string reason = e.what();
            if (const auto cut = reason.find("\nException raised from"); cut != std::string::npos)
                reason.resize(cut); // c10's backtrace
            if (reason.find("timed out") != std::string::npos)
                reason += " (waited " + std::to_string(timeout.count() / 1000) + " s)";
            throw Error(context(what) + " failed: " + reason +
                        " (another rank has probably died or stopped responding)");
        }
        if (!completed)
            throw Error(context(what) + " did not complete within " + std::to_string(timeout.count() / 1000) +
                        " s (another rank has probably died or stopped responding)");
    }

    void allReduce(torch::Tensor &tensor, c10d::ReduceOp op, const char *what)
    {
        std::vector<at::Tensor> tensors{tensor};
        c10d::AllreduceOptions options;
        options.reduceOp = op;
        options.timeout = timeout;
        finish(backend->allreduce(tensors, options), what);
    }
};

Distributed::Distributed(const DistributedConfig &config, torch::Device device)
    : m_impl(std::make_unique<Impl>())
{
    Impl &d = *m_impl;
    d.config = config;
    if (config.worldSize < 1 || config.rank < 0 || config.rank >= config.worldSize)
        throw Error("distributed training: rank " + std::to_string(config.rank) + " outside a world of " +
                    std::to_string(config.worldSize));
    if (config.masterPort < 1 || config.masterPort > 65535)
        throw Error("distributed training: port " + std::to_string(config.masterPort) + " is not a TCP port");
    if (!(config.timeoutSeconds > 0))
        throw Error("distributed training: the timeout must be positive");
    d.timeout = std::chrono::milliseconds(int64_t(config.timeoutSeconds * 1000.0));
    d.backendName = device.is_cuda() ? "nccl" : "gloo";

    try {
        // Rank 0 hosts the store and waits for the others to connect; they retry until the timeout.
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = uint16_t(config.masterPort);
        storeOptions.isServer = config.rank == 0;
        storeOptions.numWorkers = size_t(config.worldSize);
        storeOptions.waitWorkers = true;
        storeOptions.timeout = d.timeout;
        d.store = c10::make_intrusive<c10d::TCPStore>(config.masterAddr, storeOptions);
        d.store->setTimeout(d.timeout);

        if (device.is_cuda()) {
#ifdef LODESTONE_HAVE_NCCL
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = d.timeout;
            d.backend =
                c10::make_intrusive<c10d::ProcessGroupNCCL>(d.store, config.rank, config.worldSize, options);
#else
            throw Error("this LibTorch build has no NCCL; train on the CPU (--device cpu) to use Gloo");
#endif
        } else {
#ifdef LODESTONE_HAVE_GLOO
            auto options = c10d::ProcessGroupGloo::Options::create(d.timeout);
            // Peers must reach the address this rank binds to: loopback for a single machine, else the
            // interface GLOO_SOCKET_IFNAME names or the one the host name resolves to (as torch does).
            if (const char *interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
                options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
            else if (isLoopback(config.masterAddr))
                options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
            else
                options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
            options->threads = 2;
            d.backend =
                c10::make_intrusive<c10d::ProcessGroupGloo>(d.store, config.rank, config.worldSize, options);
#else
            throw Error("this build has no Gloo (the gloo headers were not found at configure time)");
#endif
        }
    } catch (const Error &e) {
        throw Error(d.context("joining the group at ") + config.masterAddr + ":" +
                    std::to_string(config.masterPort) + ": " + e.what());
    } catch (const std::exception &e) {
        std::string reason = e.what();
        if (const auto cut = reason.find("\nException raised from"); cut != std::string::npos)
            reason.resize(cut);
        throw Error(d.context("joining the group at ") + config.masterAddr + ":" +
                    std::to_string(config.masterPort) + " failed within " +
                    std::to_string(d.timeout.count() / 1000) + " s: " + reason);
    }
}

Distributed::~Distributed() = default;

int Distributed::rank() const
{
    return m_impl->config.rank;
}

int Distributed::worldSize() const
{
    return m_impl->config.worldSize;
}

const char *Distributed::backendName() const
{
    return m_impl->backendName;
}

void Distributed::allReduceSum(torch::Tensor &tensor, const char *what)
{
    m_impl->allReduce(tensor, c10d::ReduceOp::SUM, what);
}

void Distributed::allReduceMax(torch::Tensor &tensor, const char *what)
{
    m_impl->allReduce(tensor, c10d::ReduceOp::MAX, what);
}

void Distributed::broadcast(torch::Tensor &tensor, int root, const char *what)
{
    std::vector<at::Tensor> tensors{tensor};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    options.rootTensor = 0;
    options.timeout = m_impl->timeout;
    m_impl->finish(m_impl->backend->broadcast(tensors, options), what);
}

torch::Tensor Distributed::allGather(const torch::Tensor &local, const char *what)
{
    const auto input = local.contiguous();
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int r = 0; r < worldSize(); ++r)
        outputs[0].push_back(torch::empty_like(input));
    std::vector<at::Tensor> inputs{input};
    c10d::AllgatherOptions options;
    options.timeout = m_impl->timeout;
    m_impl->finish(m_impl->backend->allgather(outputs, inputs, options), what);
    return torch::cat(outputs[0]);
}

void Distributed::barrier(const char *what)
{
    // An all-reduce rather than the backend's barrier, which NCCL ties to device guesses.
    auto token = torch::ones({1}, torch::TensorOptions().dtype(torch::kFloat32));
    if (std::string(backendName()) == "nccl")
        token = token.to(torch::Device(torch::kCUDA, m_impl->config.localRank));
    allReduceSum(token, what);
}

namespace {

// Autograd node of allGatherWithGradient. The group travels as an address: a Distributed outlives every
// graph built during its training step.
class GatherWithGradient : public torch::autograd::Function<GatherWithGradient> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &local,
                                 int64_t groupAddress, int64_t capacity)
    {
        auto &group = *reinterpret_cast<Distributed *>(groupAddress);
        TORCH_CHECK(local.size(0) <= capacity, "allGatherWithGradient: ", local.size(0),
                    " rows exceed the capacity of ", capacity);
        ctx->saved_data["group"] = groupAddress;
        ctx->saved_data["rows"] = local.size(0);
        ctx->saved_data["capacity"] = capacity;
        auto shape = local.sizes().vec();
        shape[0] = capacity;
        auto padded = torch::zeros(shape, local.options());
        padded.slice(0, 0, local.size(0)).copy_(local);
        return group.allGather(padded, "all-gather of features");
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list gradients)
    {
        auto &group = *reinterpret_cast<Distributed *>(ctx->saved_data["group"].toInt());
        const int64_t rows = ctx->saved_data["rows"].toInt();
        const int64_t capacity = ctx->saved_data["capacity"].toInt();
        auto total = gradients[0].contiguous().clone();
        group.allReduceSum(total, "all-reduce of feature gradients");
        const int64_t begin = group.rank() * capacity;
        return {total.slice(0, begin, begin + rows), torch::Tensor(), torch::Tensor()};
    }
};

// Consecutive runs of parameters of about bucketBytes each (float32).
std::vector<std::pair<size_t, size_t>> bucketsOf(const std::vector<torch::Tensor> &parameters,
                                                 size_t bucketBytes)
{
    std::vector<std::pair<size_t, size_t>> buckets;
    size_t begin = 0, bytes = 0;
    for (size_t i = 0; i < parameters.size(); ++i) {
        bytes += size_t(parameters[i].numel()) * sizeof(float);
        if (bytes >= bucketBytes) {
            buckets.emplace_back(begin, i + 1);
            begin = i + 1;
            bytes = 0;
        }
    }
    if (begin < parameters.size() || buckets.empty())
        buckets.emplace_back(begin, parameters.size());
    return buckets;
}

} // namespace

torch::Tensor allGatherWithGradient(Distributed &group, const torch::Tensor &local, int64_t capacity)
{
    return GatherWithGradient::apply(local, reinterpret_cast<int64_t>(&group), capacity);
}

double allReduceGradients(Distributed &group, const std::vector<torch::Tensor> &parameters, double localLoss,
                          size_t bucketBytes)
{
    torch::NoGradGuard noGrad;
    TORCH_CHECK(!parameters.empty(), "allReduceGradients: no parameters");
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(parameters.front().device());
    // Which gradients exist, and the loss, ride in the last bucket.
    auto extras = torch::zeros({int64_t(parameters.size()) + 1}, torch::kFloat32);
    for (size_t i = 0; i < parameters.size(); ++i)
        extras[int64_t(i)] = parameters[i].grad().defined() ? 1.0f : 0.0f;
    extras[int64_t(parameters.size())] = float(localLoss);
    extras = extras.to(options.device());

    const auto buckets = bucketsOf(parameters, bucketBytes);
    torch::Tensor reducedExtras;
    for (size_t b = 0; b < buckets.size(); ++b) {
        std::vector<torch::Tensor> flat;
        for (size_t i = buckets[b].first; i < buckets[b].second; ++i) {
            const auto &grad = parameters[i].grad();
            TORCH_CHECK(parameters[i].scalar_type() == torch::kFloat32,
                        "allReduceGradients: float32 parameters only");
            flat.push_back(grad.defined() ? grad.reshape(-1)
                                          : torch::zeros({parameters[i].numel()}, options));
        }
        const bool last = b + 1 == buckets.size();
        if (last)
            flat.push_back(extras);
        auto bucket = torch::cat(flat);
        group.allReduceSum(bucket, "all-reduce of gradients");
        int64_t offset = 0;
        for (size_t i = buckets[b].first; i < buckets[b].second; ++i) {
            auto parameter = parameters[i];
            const int64_t n = parameter.numel();
            if (!parameter.grad().defined())
                parameter.mutable_grad() = torch::zeros_like(parameter);
            parameter.mutable_grad().copy_(bucket.slice(0, offset, offset + n).view_as(parameter));
            offset += n;
        }
        if (last)
            reducedExtras = bucket.slice(0, offset).cpu();
    }
    for (size_t i = 0; i < parameters.size(); ++i) {
        if (reducedExtras[int64_t(i)].item<float>() == 0.0f) {
            auto parameter = parameters[i];
            parameter.mutable_grad() = torch::Tensor();
        }
    }
    return reducedExtras[int64_t(parameters.size())].item<double>();
}

void broadcastParameters(Distributed &group, const std::vector<torch::Tensor> &parameters, size_t bucketBytes)
{
    torch::NoGradGuard noGrad;
    for (const auto &[begin, end] : bucketsOf(parameters, bucketBytes)) {
        if (begin == end)
            continue;
        std::vector<torch::Tensor> flat;
        for (size_t i = begin; i < end; ++i)
            flat.push_back(parameters[i].detach().to(torch::kFloat32).reshape(-1));
        auto bucket = torch::cat(flat);
        group.broadcast(bucket, /*root=*/0, "broadcast of the initial weights");
        int64_t offset = 0;
        for (size_t i = begin; i < end; ++i) {
            auto parameter = parameters[i];
            const int64_t n = parameter.numel();
            parameter.copy_(bucket.slice(0, offset, offset + n).view_as(parameter));
            offset += n;
        }
    }
}

void verifyParametersInSync(Distributed &group, const std::vector<torch::Tensor> &parameters)
{
    torch::NoGradGuard noGrad;
    // Exact: every rank computes the same sums in the same order from bit-identical weights.
    auto checksum = torch::zeros({2}, torch::kFloat64);
    for (const auto &p : parameters) {
        const auto x = p.detach().to(torch::kFloat64).reshape(-1).cpu();
        checksum[0] += x.sum();
        checksum[1] += (x * torch::linspace(1.0, 2.0, x.numel(), torch::kFloat64)).sum();
    }
    const auto all = group.allGather(checksum.to(parameters.front().device()), "comparing weights").cpu();
    for (int r = 1; r < group.worldSize(); ++r) {
        if (!torch::equal(all.slice(0, 2 * r, 2 * r + 2), all.slice(0, 0, 2)))
            throw Error("distributed training: the weights of rank " + std::to_string(r) +
                        " differ from those of rank 0");
    }
}

} // namespace lodestone
