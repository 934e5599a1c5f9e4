#include "lodestone/trainer.h"

#include "io/fileio.h"
#include "lodestone/clipmodel.h"
#include "lodestone/dataloader.h"
#include "lodestone/dataset.h"
#include "lodestone/error.h"
#include "model/clipmodel_p.h"
#include "model/torchcompat.h"
#include "train/batchcomposer.h"
#include "train/contrastiveloss.h"
#include "train/distributed.h"
#include "train/gradientcache.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <unordered_map>

namespace lodestone {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Where a run stands; saved with every checkpoint so that a resumed run continues exactly.
struct TrainingState {
    int64_t step = 0; // optimiser steps taken
    int epoch = 0;
    int64_t batchInEpoch = 0; // the next batch of the epoch
    int64_t totalSteps = 0;   // the schedule's horizon (0: not known yet, time-limited run)
    std::vector<std::vector<size_t>> epochBatches; // the epoch's composed batches (empty: loader shuffles)
    double elapsedSeconds = 0;
    int64_t skippedSteps = 0;
    int64_t failedImages = 0;
    double lastLoss = 0;

    nlohmann::json toJson() const
    {
        return {{"step", step},
                {"epoch", epoch},
                {"batch_in_epoch", batchInEpoch},
                {"total_steps", totalSteps},
                {"epoch_batches", epochBatches},
                {"elapsed_seconds", elapsedSeconds},
                {"skipped_steps", skippedSteps},
                {"failed_images", failedImages},
                {"last_loss", lastLoss}};
    }

    static TrainingState fromJson(const nlohmann::json &j)
    {
        TrainingState s;
        s.step = j.at("step");
        s.epoch = j.at("epoch");
        s.batchInEpoch = j.at("batch_in_epoch");
        s.totalSteps = j.at("total_steps");
        s.epochBatches = j.at("epoch_batches").get<std::vector<std::vector<size_t>>>();
        s.elapsedSeconds = j.at("elapsed_seconds");
        s.skippedSteps = j.at("skipped_steps");
        s.failedImages = j.at("failed_images");
        s.lastLoss = j.at("last_loss");
        return s;
    }
};

// No weight decay on gains, biases, embeddings and the logit scale (all but the weight matrices).
bool takesWeightDecay(const std::string &name, const torch::Tensor &parameter)
{
    return parameter.dim() >= 2 && name.find("embedding") == std::string::npos;
}

// Linear warm-up, then cosine decay to zero at totalSteps.
double learningRateAt(int64_t step, int64_t totalSteps, int64_t warmupSteps, double base)
{
    if (step < warmupSteps)
        return base * double(step + 1) / double(warmupSteps);
    const double progress =
        double(step - warmupSteps) / double(std::max<int64_t>(1, totalSteps - warmupSteps));
    return 0.5 * base * (1.0 + std::cos(M_PI * std::min(1.0, progress)));
}

torch::Tensor tokenizeBatch(const ClipTokenizer &tokenizer, const std::vector<std::string> &captions,
                            int context)
{
    std::vector<std::vector<int32_t>> ids;
    size_t length = 1;
    for (const std::string &caption : captions) {
        ids.push_back(tokenizer.tokenize(caption, context));
        length = std::max(length, ids.back().size());
    }
    auto tokens = torch::zeros({int64_t(ids.size()), int64_t(length)}, torch::kInt64);
    auto access = tokens.accessor<int64_t, 2>();
    for (size_t i = 0; i < ids.size(); ++i)
        for (size_t j = 0; j < ids[i].size(); ++j)
            access[int64_t(i)][int64_t(j)] = ids[i][j];
    return tokens;
}

// [N, N] true where two captions of the batch are identical (extra positives, not false negatives).
torch::Tensor identicalCaptions(const std::vector<std::string> &captions)
{
    const int64_t n = int64_t(captions.size());
    auto mask = torch::zeros({n, n}, torch::kBool);
    auto access = mask.accessor<bool, 2>();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
            access[i][j] = captions[size_t(i)] == captions[size_t(j)];
    return mask;
}

std::string stepFolder(int64_t step)
{
    char name[32];
    std::snprintf(name, sizeof name, "step-%08lld", static_cast<long long>(step));
    return name;
}

void writeText(const fs::path &path, const std::string &text)
{
    writeFileAtomically(path.string(), text.data(), text.size());
}

// FNV-1a: the same on every machine (std::hash need not be), for comparing captions across ranks.
int64_t captionHash(const std::string &caption)
{
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char c : caption) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return int64_t(h);
}

// Held-out recall of one evaluation, each in [0, 1].
struct Recall {
    double i2t1 = 0, i2t5 = 0, t2i1 = 0, t2i5 = 0;
};

// The fixed held-out subset the periodic evaluation embeds: decoded once, then only read.
struct HeldOutSet {
    torch::Tensor pixels;       // [n, 3, R, R] float32, on the CPU
    torch::Tensor tokens;       // [c, L] int64: the subset's distinct captions
    torch::Tensor imageCaption; // [n] int64: each photo's row in `tokens`
};

} // namespace

struct Trainer::Impl {
    TrainConfig config;
    fs::path runDir;
    fs::path checkpointsDir;

    CaptionDataset dataset;
    std::unique_ptr<ClipModel> model;
    std::unique_ptr<ClipModel> initialModel; // for weight-space ensembling
    std::unique_ptr<torch::optim::AdamW> optimizer;
    torch::Tensor logitBias; // the sigmoid loss's learnable bias (unused by InfoNCE)
    TrainingState state;
    std::ofstream metrics;
    std::unique_ptr<Distributed> group; // data parallelism; null in a single process

    bool isMain() const { return !group || group->rank() == 0; }

    void loadData();
    void buildModel(const fs::path &resumeFrom);
    void buildOptimizer();
    std::vector<std::vector<size_t>> composeEpoch(int epoch, int64_t batchSize);
    std::vector<std::vector<size_t>> rankZeroBatches(std::vector<std::vector<size_t>> batches);
    void checkSameStart();
    int64_t parallelStep(const Batch &batch, int64_t capacity, const LossOptions &lossOptions,
                         const std::vector<torch::Tensor> &trainable);
    double lastParallelLoss = NAN; // the global batch's loss of the last parallelStep
    void writeCheckpoint();
    fs::path latestCheckpoint() const;
    void openMetrics();
    std::string provenance() const;
    std::optional<HeldOutSet> heldOut; // rank 0 with evalEverySteps > 0 and a test split; else none
    void prepareEvaluation();
    Recall evaluateRecall();
};

Trainer::Trainer(TrainConfig config)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->config = std::move(config);
}

Trainer::~Trainer() = default;

void Trainer::Impl::loadData()
{
    if (config.dataSpecs.empty())
        throw Error("training needs at least one --data source");
    std::vector<CaptionDataset> parts;
    for (const std::string &spec : config.dataSpecs)
        parts.push_back(CaptionDataset::fromSpec(spec, Split::Train));
    dataset = parts.size() == 1 ? std::move(parts.front()) : CaptionDataset::concat(std::move(parts));
    if (dataset.size() < size_t(config.batchSize))
        throw Error("the training data has " + std::to_string(dataset.size()) +
                    " samples, fewer than one batch of " + std::to_string(config.batchSize));
}

fs::path Trainer::Impl::latestCheckpoint() const
{
    const fs::path pointer = checkpointsDir / "latest";
    if (!fs::exists(pointer))
        return {};
    std::string name = readFileText(pointer.string());
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
        name.pop_back();
    const fs::path dir = checkpointsDir / name;
    if (!fs::exists(dir / "trainer_state.json"))
        throw Error("checkpoint '" + dir.string() + "' named by '" + pointer.string() + "' is incomplete");
    return dir;
}

void Trainer::Impl::buildModel(const fs::path &resumeFrom)
{
    LoadOptions load;
    load.device = config.device;
    if (!config.init.empty()) {
        initialModel = std::make_unique<ClipModel>(ClipModel::load(config.init, load));
        if (!initialModel->hasTokenizer())
            throw Error("the model to fine-tune ('" + config.init + "') has no tokenizer");
    }
    if (!resumeFrom.empty()) {
        model = std::make_unique<ClipModel>(ClipModel::load(resumeFrom.string(), load));
        return;
    }
    if (initialModel) {
        model = std::make_unique<ClipModel>(ClipModel::load(config.init, load));
        return;
    }
    // From scratch: the CLIP vocabulary when given, else a byte-level BPE learned from the captions.
    std::optional<ClipTokenizer> tokenizer;
    if (!config.vocab.empty()) {
        tokenizer = ClipTokenizer::fromFolder(config.vocab);
    } else {
        std::vector<std::string> captions;
        captions.reserve(dataset.size());
        for (const Sample &s : dataset.samples())
            captions.push_back(s.caption);
        tokenizer = ClipTokenizer::trainBpe(captions, config.bpeVocabSize);
    }
    ClipConfig arch = ClipConfig::preset(config.arch);
    arch.text.vocabSize = tokenizer->vocabSize();
    arch.text.endToken = tokenizer->endToken();
    model = std::make_unique<ClipModel>(arch, config.device, config.seed);
    model->setTokenizer(std::move(*tokenizer));
}

void Trainer::Impl::buildOptimizer()
{
    ClipModuleImpl &module = *model->impl().module;
    const bool sigmoid = config.loss == ContrastiveLoss::Sigmoid;
    std::vector<torch::Tensor> decay, noDecay;
    for (auto &item : module.named_parameters()) {
        const std::string &name = item.key();
        const bool imageTower = name.rfind("visual.", 0) == 0;
        const bool locked = (imageTower && config.lockImageTower) ||
                            (!imageTower && name != "logit_scale" && config.lockTextTower);
        item.value().set_requires_grad(!locked);
        if (!locked)
            (takesWeightDecay(name, item.value()) ? decay : noDecay).push_back(item.value());
    }
    logitBias = torch::full({}, sigmoid ? -10.0 : 0.0, torch::TensorOptions().device(model->impl().device))
                    .set_requires_grad(sigmoid);
    if (sigmoid) {
        noDecay.push_back(logitBias);
        if (config.init.empty() && state.step == 0) {
            torch::NoGradGuard noGrad;
            module.logit_scale.fill_(std::log(10.0)); // SigLIP's initialisation
        }
    }
    const auto options = torch::optim::AdamWOptions(config.learningRate)
                             .betas({config.beta1, config.beta2})
                             .eps(config.epsilon)
                             .weight_decay(config.weightDecay);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(options));
    groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(options).weight_decay(0)));
    optimizer = std::make_unique<torch::optim::AdamW>(std::move(groups), options);
}

std::vector<std::vector<size_t>> Trainer::Impl::composeEpoch(int epoch, int64_t batchSize)
{
    if (config.composition == BatchComposition::Random)
        return {};
    const uint64_t seed = config.seed * 1000003u + uint64_t(epoch);
    std::vector<std::string> captions;
    captions.reserve(dataset.size());
    for (const Sample &s : dataset.samples())
        captions.push_back(s.caption);
    std::vector<std::vector<size_t>> partners;
    if (config.composition == BatchComposition::OneWordOff) {
        partners = oneWordOffPartners(captions);
    } else {
        // Nearest neighbours among the captions' current embeddings (cheap: no images to decode).
        std::unordered_map<std::string, int64_t> ids;
        std::vector<int64_t> captionIds;
        std::vector<std::vector<int32_t>> tokens;
        for (const std::string &c : captions) {
            captionIds.push_back(ids.emplace(c, int64_t(ids.size())).first->second);
            tokens.push_back(model->tokenizer().tokenize(c, model->config().text.contextLength));
        }
        FloatArray features = model->encodeTokens(tokens);
        normalizeRows(features);
        const auto featureTensor =
            torch::from_blob(features.data.data(), {features.dim(0), features.dim(1)}, torch::kFloat32);
        partners = nearestNeighbourPartners(featureTensor, captionIds, config.hardNegativeGroup * 2);
    }
    return composeBatches(partners, size_t(batchSize), size_t(std::max(1, config.hardNegativeGroup)), seed);
}

// Composed batches depend on floating-point embeddings: rank 0's composition is the one every rank uses.
std::vector<std::vector<size_t>> Trainer::Impl::rankZeroBatches(std::vector<std::vector<size_t>> batches)
{
    const torch::Device device = model->impl().device;
    std::vector<int64_t> flat{int64_t(batches.size())};
    for (const auto &batch : batches)
        flat.push_back(int64_t(batch.size()));
    for (const auto &batch : batches)
        flat.insert(flat.end(), batch.begin(), batch.end());
    auto size = torch::tensor({int64_t(flat.size())}, torch::kInt64).to(device);
    group->broadcast(size, /*root=*/0, "broadcast of the epoch's batches");
    auto values = group->rank() == 0 ? torch::tensor(flat, torch::kInt64).to(device)
                                     : torch::zeros({size.item<int64_t>()}, torch::kInt64).to(device);
    group->broadcast(values, /*root=*/0, "broadcast of the epoch's batches");
    values = values.cpu();
    const auto v = values.accessor<int64_t, 1>();
    const int64_t count = v[0];
    std::vector<std::vector<size_t>> result(static_cast<size_t>(count));
    int64_t at = 1 + count;
    for (int64_t b = 0; b < count; ++b)
        for (int64_t i = 0; i < v[1 + b]; ++i)
            result[size_t(b)].push_back(size_t(v[at++]));
    return result;
}

// Every rank must continue from the same point: a rank that cannot see the run folder's checkpoint would
// start a new run beside the others.
void Trainer::Impl::checkSameStart()
{
    auto mine = torch::tensor({state.step, int64_t(state.epoch), state.batchInEpoch}, torch::kInt64)
                    .to(model->impl().device);
    const auto all = group->allGather(mine, "comparing the starting points").cpu();
    for (int r = 1; r < group->worldSize(); ++r) {
        if (!torch::equal(all.slice(0, 3 * r, 3 * r + 3), all.slice(0, 0, 3)))
            throw Error("distributed training: rank " + std::to_string(r) + " starts at step " +
                        std::to_string(all[3 * r].item<int64_t>()) + ", rank 0 at step " +
                        std::to_string(all[0].item<int64_t>()) +
                        " (every rank must see the run folder to resume)");
    }
}

// One data-parallel forward and backward: this rank's slice of the global batch is embedded, the features
// of all slices gathered (with gradient), the loss of this rank's rows against all columns back-propagated,
// and the gradients summed over the ranks. Returns the size of the global batch (fewer than 2: nothing
// trained, lastParallelLoss NaN on every rank).
int64_t Trainer::Impl::parallelStep(const Batch &batch, int64_t capacity, const LossOptions &lossOptions,
                                    const std::vector<torch::Tensor> &trainable)
{
    ClipModuleImpl &module = *model->impl().module;
    const torch::Device device = model->impl().device;
    const int64_t count = int64_t(batch.captions.size());
    if (count > capacity)
        throw Error("distributed training: a slice of " + std::to_string(count) +
                    " samples exceeds the per-rank capacity of " + std::to_string(capacity));
    // Every slice's size and caption hashes: identical captions are shared positives across ranks too.
    auto meta = torch::zeros({1 + capacity}, torch::kInt64);
    auto access = meta.accessor<int64_t, 1>();
    access[0] = count;
    for (int64_t i = 0; i < count; ++i)
        access[1 + i] = captionHash(batch.captions[size_t(i)]);
    const auto all = group->allGather(meta.to(device), "all-gather of batch sizes").cpu();
    const auto gathered = all.accessor<int64_t, 1>();
    std::vector<int64_t> rows, hashes;
    int64_t rowBegin = 0;
    for (int r = 0; r < group->worldSize(); ++r) {
        const int64_t n = gathered[r * (1 + capacity)];
        if (r < group->rank())
            rowBegin += n;
        for (int64_t i = 0; i < n; ++i) {
            rows.push_back(r * capacity + i);
            hashes.push_back(gathered[r * (1 + capacity) + 1 + i]);
        }
    }
    const int64_t total = int64_t(rows.size());
    lastParallelLoss = NAN;
    if (total < 2)
        return total;
    const auto hashTensor = torch::tensor(hashes, torch::kInt64);
    const auto positives = (hashTensor.unsqueeze(1) == hashTensor.unsqueeze(0)).to(device);
    const auto rowIndex = torch::tensor(rows, torch::kInt64).to(device);
    auto loss = [&](const torch::Tensor &image, const torch::Tensor &text) {
        const int64_t width = image.size(1);
        const auto local = torch::cat({image.to(torch::kFloat32), text.to(torch::kFloat32)}, 1);
        const auto features = allGatherWithGradient(*group, local, capacity).index_select(0, rowIndex);
        return contrastiveLossRows(features.slice(1, 0, width), features.slice(1, width), rowBegin,
                                   rowBegin + count, module.logit_scale.exp(), logitBias, lossOptions,
                                   positives);
    };
    torch::Tensor localLoss;
    if (count > 0) {
        const auto pixels = torch::from_blob(const_cast<float *>(batch.pixels.data.data()),
                                             batch.pixels.shape, torch::kFloat32)
                                .to(device, /*non_blocking=*/false, /*copy=*/true);
        const auto tokens =
            tokenizeBatch(model->tokenizer(), batch.captions, model->config().text.contextLength).to(device);
        compat::CudaAutocastGuard autocast(device.is_cuda());
        localLoss = contrastiveBackward(module, pixels, tokens, config.subBatch, loss);
    } else {
        // Nothing of this rank's slice decoded: it still takes part in the gather and its backward.
        const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device);
        const int64_t width = model->config().embedDim;
        auto image = torch::zeros({0, width}, options).requires_grad_(!config.lockImageTower);
        auto text = torch::zeros({0, width}, options).requires_grad_(!config.lockTextTower);
        auto value = loss(image, text);
        value.backward();
        localLoss = value.detach();
    }
    lastParallelLoss = allReduceGradients(*group, trainable, localLoss.item<double>());
    return total;
}

std::string Trainer::Impl::provenance() const
{
    nlohmann::json p;
    p["trained_from"] = config.init.empty() ? "scratch:" + config.arch : config.init;
    p["data"] = config.dataSpecs;
    p["steps"] = state.step;
    p["epochs_started"] = state.epoch + 1;
    p["batch_size"] = config.batchSize;
    p["seed"] = config.seed;
    p["loss"] = config.loss == ContrastiveLoss::Sigmoid ? "sigmoid" : "infonce";
    p["hard_negative_beta"] = config.hardNegativeBeta;
    p["composition"] = config.composition == BatchComposition::Random       ? "random"
                       : config.composition == BatchComposition::OneWordOff ? "one-word-off"
                                                                            : "neighbours";
    p["learning_rate"] = config.learningRate;
    p["wise_alpha"] = config.wiseAlpha;
    p["final_loss"] = state.lastLoss;
    return p.dump();
}

void Trainer::Impl::writeCheckpoint()
{
    const std::string name = stepFolder(state.step);
    const fs::path dir = checkpointsDir / name;
    if (latestCheckpoint().filename() == name)
        return; // this step is already the committed checkpoint
    model->save(dir.string(), provenance());
    torch::serialize::OutputArchive archive;
    optimizer->save(archive);
    std::ostringstream bytes;
    archive.save_to(bytes);
    const std::string optimizerBytes = bytes.str();
    writeText(dir / "optimizer.pt", optimizerBytes);
    nlohmann::json stateJson = state.toJson();
    stateJson["logit_bias"] = logitBias.item<double>();
    writeText(dir / "trainer_state.json", stateJson.dump());
    // The pointer is the commit: until it is renamed into place the previous checkpoint stays current.
    const fs::path previous = latestCheckpoint();
    writeText(checkpointsDir / "latest", name + "\n");
    for (const auto &entry : fs::directory_iterator(checkpointsDir)) {
        if (entry.is_directory() && entry.path() != dir && entry.path() != previous)
            fs::remove_all(entry.path());
    }
}

// The subset is drawn with its own generator (a portable Fisher-Yates over the seed) and decoded here, before
// the first step, so that evaluating later neither draws random numbers nor touches the training loader.
void Trainer::Impl::prepareEvaluation()
{
    if (config.evalEverySteps <= 0 || config.evalSamples < 2 || !isMain())
        return;
    std::vector<CaptionDataset> parts;
    for (const std::string &spec : config.dataSpecs) {
        if (spec.rfind("shapes:", 0) != 0)
            continue; // only the shapes world has a held-out split; other sources read the same samples
        try {
            parts.push_back(CaptionDataset::fromSpec(spec, Split::Test));
        } catch (const Error &e) {
            std::fprintf(stderr, "train: no held-out split in '%s' (%s)\n", spec.c_str(), e.what());
        }
    }
    if (parts.empty()) {
        std::fprintf(stderr, "train: the data has no held-out split; evaluation during training is off\n");
        return;
    }
    const CaptionDataset test =
        parts.size() == 1 ? std::move(parts.front()) : CaptionDataset::concat(std::move(parts));
    std::vector<size_t> order(test.size());
    std::iota(order.begin(), order.end(), size_t(0));
    const size_t n = std::min(order.size(), size_t(config.evalSamples));
    std::mt19937_64 draw(config.seed ^ 0x9e3779b97f4a7c15ull);
    for (size_t i = 0; i < n; ++i)
        std::swap(order[i], order[i + size_t(draw() % uint64_t(order.size() - i))]);
    std::vector<size_t> subset(order.begin(), order.begin() + int64_t(n));
    std::sort(subset.begin(), subset.end());

    LoaderOptions options;
    options.batchSize = int(n);
    options.workers = config.workers;
    options.shuffle = false;
    options.dropLast = false;
    options.augment.enabled = false;
    options.preprocess = model->config().preprocess;
    DataLoader loader(test, options);
    loader.startEpoch(0, {subset});
    std::optional<Batch> batch = loader.next();
    if (!batch || batch->captions.size() < 2) {
        std::fprintf(
            stderr, "train: fewer than 2 held-out photos could be read; evaluation during training is off\n");
        return;
    }
    std::unordered_map<std::string, int64_t> captionRow;
    std::vector<std::string> captions;
    std::vector<int64_t> imageCaption;
    for (const std::string &caption : batch->captions) {
        const auto [it, added] = captionRow.emplace(caption, int64_t(captions.size()));
        if (added)
            captions.push_back(caption);
        imageCaption.push_back(it->second);
    }
    HeldOutSet set;
    set.pixels = torch::from_blob(batch->pixels.data.data(), batch->pixels.shape, torch::kFloat32).clone();
    set.tokens = tokenizeBatch(model->tokenizer(), captions, model->config().text.contextLength);
    set.imageCaption = torch::tensor(imageCaption, torch::kInt64);
    heldOut = std::move(set);
}

// Recall@1 and @5 both ways over the held-out subset, with the semantics of evaluate(): identical captions
// are one text; an image's hit is its caption among the top K captions, a caption's hit any of its images
// among the top K images. The module is in eval mode without gradients for the pass and back in train mode
// after; nothing here draws random numbers, so the run continues exactly as without the evaluation.
Recall Trainer::Impl::evaluateRecall()
{
    ClipModuleImpl &module = *model->impl().module;
    const torch::Device device = model->impl().device;
    torch::NoGradGuard noGrad;
    module.eval();
    std::vector<torch::Tensor> imageParts;
    torch::Tensor text;
    {
        compat::CudaAutocastGuard autocast(device.is_cuda());
        const int64_t n = heldOut->pixels.size(0), chunk = std::max(2, config.batchSize);
        for (int64_t start = 0; start < n; start += chunk)
            imageParts.push_back(
                module.encodeImage(heldOut->pixels.slice(0, start, std::min(n, start + chunk)).to(device))
                    .to(torch::kFloat32));
        text = module.encodeText(heldOut->tokens.to(device)).to(torch::kFloat32);
    }
    module.train();
    auto image = torch::cat(imageParts);
    image = image / image.norm(2, 1, true).clamp_min(1e-12);
    text = text / text.norm(2, 1, true).clamp_min(1e-12);
    const auto similarity = torch::matmul(image, text.t()).cpu(); // [images, captions]
    const auto own = similarity.gather(1, heldOut->imageCaption.unsqueeze(1));
    const auto better = (similarity > own).sum(1);
    const int64_t images = similarity.size(0), captions = similarity.size(1);
    const auto captionIds = torch::arange(captions, torch::kInt64).unsqueeze(0);
    auto textToImage = [&](int64_t k) {
        const auto top = std::get<1>(similarity.topk(std::min(k, images), /*dim=*/0)); // [k, captions]
        const auto hit =
            (heldOut->imageCaption.index_select(0, top.flatten()).view(top.sizes()) == captionIds).any(0);
        return hit.to(torch::kFloat64).mean().item<double>();
    };
    Recall r;
    r.i2t1 = (better < 1).to(torch::kFloat64).mean().item<double>();
    r.i2t5 = (better < 5).to(torch::kFloat64).mean().item<double>();
    r.t2i1 = textToImage(1);
    r.t2i5 = textToImage(5);
    return r;
}

void Trainer::Impl::openMetrics()
{
    // On resume, keep the lines of steps already taken and drop any written after the checkpoint.
    const fs::path path = runDir / "metrics.jsonl";
    std::string kept;
    if (config.resume && fs::exists(path)) {
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);) {
            try {
                if (nlohmann::json::parse(line).at("step").get<int64_t>() <= state.step)
                    kept += line + "\n";
            } catch (const std::exception &) {
                // a line cut short by a kill: dropped
            }
        }
    }
    writeText(path, kept);
    metrics.open(path, std::ios::app);
    if (!metrics)
        throw Error("cannot write '" + path.string() + "'");
}

TrainResult Trainer::run(const std::function<void(const TrainProgress &)> &progress,
                         const std::atomic<bool> *cancel)
{
    Impl &d = *m_impl;
    const TrainConfig &config = d.config;
    if (config.outDir.empty())
        throw Error("training needs an output folder (--out)");
    if (config.batchSize < 2)
        throw Error("a contrastive batch needs at least 2 samples");
    d.runDir = config.outDir;
    d.checkpointsDir = d.runDir / "checkpoints";
    const DistributedConfig &dist = config.distributed;
    const bool parallel = dist.parallel();
    if (parallel && (d.config.device == "cuda" || (d.config.device == "auto" && torch::cuda::is_available())))
        d.config.device = "cuda:" + std::to_string(dist.localRank); // one GPU per rank on its machine
    if (!parallel || dist.rank == 0)
        fs::create_directories(d.checkpointsDir);

    d.loadData();
    const fs::path resumeFrom = config.resume ? d.latestCheckpoint() : fs::path();
    if (config.resume && resumeFrom.empty())
        std::fprintf(stderr, "train: nothing to resume in '%s', starting a new run\n",
                     d.runDir.string().c_str());
    d.buildModel(resumeFrom);
    double logitBiasValue = 0;
    if (!resumeFrom.empty()) {
        const nlohmann::json stateJson =
            nlohmann::json::parse(readFileText((resumeFrom / "trainer_state.json").string()));
        d.state = TrainingState::fromJson(stateJson);
        logitBiasValue = stateJson.value("logit_bias", 0.0);
    }
    d.buildOptimizer();
    if (!resumeFrom.empty()) {
        torch::serialize::InputArchive archive;
        archive.load_from((resumeFrom / "optimizer.pt").string(), d.model->impl().device);
        d.optimizer->load(archive);
        torch::NoGradGuard noGrad;
        d.logitBias.fill_(logitBiasValue);
    }
    if (parallel) {
        d.group = std::make_unique<Distributed>(dist, d.model->impl().device);
        if (d.isMain())
            std::fprintf(stderr, "train: data-parallel over %d rank%s (%s), rank 0 on %s\n", dist.worldSize,
                         dist.worldSize == 1 ? "" : "s", d.group->backendName(),
                         d.model->impl().device.str().c_str());
        d.checkSameStart();
        // All ranks start from rank 0's weights (as DDP does), whatever their own initialisation gave.
        std::vector<torch::Tensor> weights;
        for (const auto &group : d.optimizer->param_groups())
            for (const auto &p : group.params())
                weights.push_back(p);
        broadcastParameters(*d.group, weights);
    }
    if (d.isMain())
        d.openMetrics();
    d.prepareEvaluation();

    ClipModel &model = *d.model;
    ClipModuleImpl &module = *model.impl().module;
    const torch::Device device = model.impl().device;
    const bool cuda = device.is_cuda();

    LoaderOptions loaderOptions;
    loaderOptions.batchSize = config.batchSize;
    loaderOptions.workers = config.workers;
    loaderOptions.seed = config.seed;
    loaderOptions.preprocess = model.config().preprocess;
    loaderOptions.augment = config.augment;
    loaderOptions.rank = dist.rank;
    loaderOptions.worldSize = dist.worldSize;
    DataLoader loader(d.dataset, loaderOptions);
    const int64_t batchesPerEpoch = loader.batchesPerEpoch();

    TrainingState &state = d.state;
    if (state.totalSteps == 0) {
        if (config.steps > 0)
            state.totalSteps = config.steps;
        else if (config.epochs > 0)
            state.totalSteps = int64_t(config.epochs) * batchesPerEpoch;
        else if (config.timeLimitMinutes <= 0)
            throw Error("say how long to train: --steps, --epochs or --time-limit");
    }
    // A time-limited run sizes its schedule from the speed measured over its first steps.
    const int64_t provisionalTotal = std::max<int64_t>(config.warmupSteps * 10, 1000);

    LossOptions lossOptions;
    lossOptions.kind = config.loss == ContrastiveLoss::Sigmoid ? LossKind::Sigmoid : LossKind::InfoNce;
    lossOptions.hardNegativeBeta = config.hardNegativeBeta;
    std::vector<torch::Tensor> trainable;
    for (const auto &group : d.optimizer->param_groups())
        for (const auto &p : group.params())
            trainable.push_back(p);

    module.train();
    const auto started = Clock::now();
    const double elapsedBefore = state.elapsedSeconds;
    const int64_t failedBefore = state.failedImages;
    auto elapsed = [&] {
        return elapsedBefore + std::chrono::duration<double>(Clock::now() - started).count();
    };
    auto lastCheckpoint = Clock::now();
    int64_t samplesThisRun = 0;
    double inputWaitSeconds = 0; // this run's time in loader.next()
    const int64_t firstStepThisRun = state.step;
    bool epochOpen = false;
    bool cancelled = false;
    TrainProgress report;
    // Rows of one rank's slice of a global batch, at most (the all-gather pads to it).
    const int64_t capacity = (int64_t(config.batchSize) + dist.worldSize - 1) / dist.worldSize;

    while (true) {
        bool finished = state.totalSteps != 0 && state.step >= state.totalSteps;
        bool cancelNow = cancel && cancel->load();
        bool timeUp = config.timeLimitMinutes > 0 && elapsed() >= config.timeLimitMinutes * 60.0;
        if (d.group) {
            // Every rank stops at the same step: rank 0 decides the schedule and the time limit, any rank
            // can cancel.
            auto control = torch::tensor({int64_t(cancelNow), d.isMain() ? int64_t(finished || timeUp) : 0,
                                          d.isMain() ? state.totalSteps : 0},
                                         torch::kInt64)
                               .to(device);
            d.group->allReduceMax(control, "agreeing on the next step");
            control = control.cpu();
            cancelNow = control[0].item<int64_t>() != 0;
            finished = control[1].item<int64_t>() != 0;
            timeUp = false;
            state.totalSteps = control[2].item<int64_t>();
        }
        if (finished)
            break;
        if (cancelNow) {
            cancelled = true;
            break;
        }
        if (timeUp)
            break;
        if (!epochOpen) {
            if (state.batchInEpoch == 0 && state.epochBatches.empty()) {
                state.epochBatches = d.composeEpoch(state.epoch, config.batchSize);
                if (d.group && config.composition != BatchComposition::Random)
                    state.epochBatches = d.rankZeroBatches(std::move(state.epochBatches));
            }
            loader.startEpoch(state.epoch, state.epochBatches, state.batchInEpoch);
            epochOpen = true;
        }
        const auto waitStarted = Clock::now();
        std::optional<Batch> batch = loader.next();
        inputWaitSeconds += std::chrono::duration<double>(Clock::now() - waitStarted).count();
        if (!batch) {
            ++state.epoch;
            state.batchInEpoch = 0;
            state.epochBatches.clear();
            epochOpen = false;
            continue;
        }
        const int64_t total = state.totalSteps > 0 ? state.totalSteps : provisionalTotal;
        const double lr = learningRateAt(state.step, total, config.warmupSteps, config.learningRate);
        for (auto &group : d.optimizer->param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);

        d.optimizer->zero_grad();
        double lossValue = NAN;
        double gradientNorm = 0;
        int64_t batchSamples = int64_t(batch->captions.size());
        if (d.group) {
            batchSamples = d.parallelStep(*batch, capacity, lossOptions, trainable);
            lossValue = d.lastParallelLoss;
            if (batchSamples >= 2 && config.gradientClip > 0)
                gradientNorm = torch::nn::utils::clip_grad_norm_(trainable, config.gradientClip);
        } else if (batch->captions.size() >= 2) {
            const auto pixels =
                torch::from_blob(batch->pixels.data.data(), batch->pixels.shape, torch::kFloat32)
                    .to(device, /*non_blocking=*/false, /*copy=*/true);
            const auto tokens =
                tokenizeBatch(model.tokenizer(), batch->captions, model.config().text.contextLength)
                    .to(device);
            const auto positives = identicalCaptions(batch->captions).to(device);
            compat::CudaAutocastGuard autocast(cuda);
            const auto loss =
                contrastiveBackward(module, pixels, tokens, config.subBatch,
                                    [&](const torch::Tensor &image, const torch::Tensor &text) {
                                        return contrastiveLoss(image, text, module.logit_scale.exp(),
                                                               d.logitBias, lossOptions, positives);
                                    });
            lossValue = loss.item<double>();
            if (config.gradientClip > 0)
                gradientNorm = torch::nn::utils::clip_grad_norm_(trainable, config.gradientClip);
        }
        if (std::isfinite(lossValue) && std::isfinite(gradientNorm)) {
            d.optimizer->step();
            torch::NoGradGuard noGrad;
            module.logit_scale.clamp_(0.0, std::log(100.0));
            state.lastLoss = lossValue;
        } else {
            // Never train on a non-finite loss: the step is skipped and reported.
            ++state.skippedSteps;
            std::fprintf(stderr, "train: step %lld skipped: non-finite loss or gradient\n",
                         static_cast<long long>(state.step));
        }
        ++state.step;
        ++state.batchInEpoch;
        samplesThisRun += batchSamples;
        state.failedImages = failedBefore + loader.stats().failed;

        const double seconds = elapsed() - elapsedBefore;
        const double rate = samplesThisRun / std::max(seconds, 1e-9);
        const int64_t stepsThisRun = state.step - firstStepThisRun;
        // A time-limited run sizes its schedule from the measured speed: first after 10 steps, then again
        // every 10 steps during the first tenth of the budget, while the cosine has barely begun (the
        // first steps are slow: warm-up of the allocator and the workers).
        const bool timeLimited =
            config.steps <= 0 && config.epochs <= 0 && config.timeLimitMinutes > 0 && d.isMain();
        if (timeLimited && stepsThisRun >= 10 && stepsThisRun % 10 == 0 &&
            (state.totalSteps == 0 || elapsed() < 0.1 * config.timeLimitMinutes * 60.0)) {
            const double remaining = config.timeLimitMinutes * 60.0 - elapsed();
            state.totalSteps = state.step + std::max<int64_t>(1, int64_t(remaining * stepsThisRun / seconds));
        }
        report.step = state.step;
        report.totalSteps = state.totalSteps > 0 ? state.totalSteps : provisionalTotal;
        report.epoch = state.epoch;
        report.loss = state.lastLoss;
        report.logitScale = std::exp(module.logit_scale.item<double>());
        report.learningRate = lr;
        report.samplesPerSecond = rate;
        report.inputWaitFraction = inputWaitSeconds / std::max(seconds, 1e-9);
        report.etaSeconds =
            stepsThisRun > 0 ? double(report.totalSteps - state.step) * seconds / stepsThisRun : 0;
        report.skippedSteps = state.skippedSteps;
        report.failedImages = state.failedImages;
        // Rank 0 alone, between this step's collectives and the next's: the others wait at the next one.
        const bool evaluate = d.heldOut && state.step % config.evalEverySteps == 0;
        Recall recall;
        double evalSeconds = 0;
        if (evaluate) {
            const auto evalStarted = Clock::now();
            recall = d.evaluateRecall();
            evalSeconds = std::chrono::duration<double>(Clock::now() - evalStarted).count();
            report.recallAt1 = (recall.i2t1 + recall.t2i1) / 2;
            report.recallAt5 = (recall.i2t5 + recall.t2i5) / 2;
        } else {
            report.recallAt1 = report.recallAt5 = -1;
        }
        if (progress)
            progress(report);
        const bool logDue = state.step % std::max<int64_t>(1, config.logEverySteps) == 0 || state.step == 1;
        if (d.isMain() && (logDue || evaluate)) {
            nlohmann::json line{{"step", state.step},
                                {"epoch", state.epoch},
                                {"loss", lossValue},
                                {"logit_scale", report.logitScale},
                                {"lr", lr},
                                {"samples_per_s", rate},
                                {"input_wait", report.inputWaitFraction},
                                {"elapsed_s", elapsed()},
                                {"skipped_steps", state.skippedSteps},
                                {"failed_images", state.failedImages}};
            if (evaluate) {
                line["recall_at_1"] = report.recallAt1;
                line["recall_at_5"] = report.recallAt5;
                line["recall_i2t@1"] = recall.i2t1;
                line["recall_i2t@5"] = recall.i2t5;
                line["recall_t2i@1"] = recall.t2i1;
                line["recall_t2i@5"] = recall.t2i5;
                line["eval_ms"] = evalSeconds * 1000.0;
            }
            d.metrics << line.dump() << "\n" << std::flush;
        }
        const bool due = state.step % std::max<int64_t>(1, config.checkpointEverySteps) == 0 ||
                         std::chrono::duration<double>(Clock::now() - lastCheckpoint).count() >
                             config.checkpointEveryMinutes * 60.0;
        if (due && d.isMain()) {
            state.elapsedSeconds = elapsed();
            d.writeCheckpoint();
            lastCheckpoint = Clock::now();
        }
    }
    module.eval();
    state.elapsedSeconds = elapsed();
    if (d.group)
        verifyParametersInSync(*d.group, trainable);
    if (d.isMain())
        d.writeCheckpoint();

    TrainResult result;
    result.steps = state.step;
    result.finalLoss = state.lastLoss;
    result.skippedSteps = state.skippedSteps;
    result.failedImages = state.failedImages;
    result.cancelled = cancelled;
    result.seconds = state.elapsedSeconds;
    result.samplesPerSecond = samplesThisRun / std::max(1e-9, state.elapsedSeconds - elapsedBefore);
    result.inputWaitFraction = inputWaitSeconds / std::max(1e-9, state.elapsedSeconds - elapsedBefore);
    if (cancelled) {
        if (d.group)
            d.group->barrier("finishing"); // the checkpoint is written when any rank returns
        return result;                     // the checkpoint above is where --resume continues
    }

    // The finished model, with weight-space ensembling towards the initial weights when asked.
    if (d.initialModel && config.wiseAlpha != 1.0) {
        torch::NoGradGuard noGrad;
        auto initial = d.initialModel->impl().module->named_parameters();
        for (auto &item : module.named_parameters())
            item.value().mul_(config.wiseAlpha).add_(initial[item.key()].to(device), 1.0 - config.wiseAlpha);
    }
    result.modelDir = (d.runDir / "model").string();
    if (d.isMain())
        model.save(result.modelDir, d.provenance());
    if (d.group)
        d.group->barrier("finishing"); // the model is written when any rank returns
    return result;
}

} // namespace lodestone
