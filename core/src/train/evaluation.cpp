#include "lodestone/evaluation.h"

#include "lodestone/dataloader.h"
#include "lodestone/dataset.h"
#include "lodestone/error.h"
#include "lodestone/shapesworld.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <set>
#include <unordered_map>

namespace lodestone {

namespace {

double dot(const float *a, const float *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; ++i)
        s += double(a[i]) * b[i];
    return s;
}

// Unit-norm text vectors for prompts.
FloatArray embedPrompts(const ClipModel &model, const std::vector<std::string> &prompts)
{
    FloatArray v = model.encodeText(prompts);
    normalizeRows(v);
    return v;
}

// Index of the candidate row most similar to `image`.
size_t best(const float *image, const FloatArray &candidates)
{
    size_t arg = 0;
    double top = -1e30;
    for (int64_t c = 0; c < candidates.dim(0); ++c) {
        const double s = dot(image, candidates.row(c), candidates.dim(1));
        if (s > top) {
            top = s;
            arg = size_t(c);
        }
    }
    return arg;
}

struct Accuracy {
    int64_t right = 0, total = 0;
    void add(bool ok)
    {
        right += ok;
        ++total;
    }
};

// The shapes world's zero-shot figures (ARCHITECTURE.md): colour+shape accuracy among all colour x shape
// prompts on single-object photos, split by whether the composition was held out of training; and the
// accuracy of each attribute when only that attribute varies among the prompts.
void evaluateShapes(const ClipModel &model, const CaptionDataset &data, const std::vector<size_t> &rows,
                    const FloatArray &images, const std::string &worldDir, EvalResult &result)
{
    std::set<ShapesComposition> heldOut;
    if (std::filesystem::exists(worldDir + "/world.json"))
        for (const auto &c : readShapesWorld(worldDir).holdout)
            heldOut.insert(c);
    const auto &colours = shapesColours();
    const auto &shapes = shapesShapes();
    std::vector<std::string> pairPrompts;
    for (const auto &c : colours)
        for (const auto &s : shapes)
            pairPrompts.push_back(shapesColourShapePrompt(c, s));
    const FloatArray pairs = embedPrompts(model, pairPrompts);

    Accuracy all, seen, held, colour, shape, count, relation;
    std::map<std::string, FloatArray> promptCache;
    auto prompts = [&](const std::vector<std::string> &texts) -> const FloatArray & {
        std::string key;
        for (const auto &t : texts)
            key += t + "\n";
        auto it = promptCache.find(key);
        if (it == promptCache.end())
            it = promptCache.emplace(key, embedPrompts(model, texts)).first;
        return it->second;
    };
    for (size_t r = 0; r < rows.size(); ++r) {
        const auto &a = data[rows[r]].attributes;
        auto get = [&](const char *k) {
            const auto it = a.find(k);
            return it == a.end() ? std::string() : it->second;
        };
        const std::string kind = get("kind"), c = get("colour"), s = get("shape");
        const float *image = images.row(int64_t(r));
        if (kind == "single") {
            const size_t k = best(image, pairs);
            const bool ok = pairPrompts[k] == shapesColourShapePrompt(c, s);
            all.add(ok);
            (heldOut.count({c, s}) ? held : seen).add(ok);
            std::vector<std::string> byColour, byShape;
            for (const auto &x : colours)
                byColour.push_back(shapesColourShapePrompt(x, s));
            for (const auto &x : shapes)
                byShape.push_back(shapesColourShapePrompt(c, x));
            colour.add(colours[best(image, prompts(byColour))] == c);
            shape.add(shapes[best(image, prompts(byShape))] == s);
        } else if (kind == "count") {
            const int n = std::atoi(get("count").c_str());
            std::vector<std::string> byCount;
            for (int x = 1; x <= 3; ++x)
                byCount.push_back(shapesCountPrompt(x, c, s));
            count.add(int(best(image, prompts(byCount))) + 1 == n);
        } else if (kind == "relation") {
            std::vector<std::string> byRelation;
            for (const auto &x : shapesRelations())
                byRelation.push_back(shapesRelationPrompt(c, s, x, get("colour2"), get("shape2")));
            relation.add(shapesRelations()[best(image, prompts(byRelation))] == get("relation"));
        }
    }
    auto put = [&](const char *name, const Accuracy &acc) {
        if (acc.total > 0) {
            result.zeroShot[name] = double(acc.right) / double(acc.total);
            result.counts[name] = acc.total;
        }
    };
    put("top1", all);
    put("seen", seen);
    put("held_out", held);
    put("colour", colour);
    put("shape", shape);
    put("count", count);
    put("relation", relation);
}

// Zero-shot accuracy over folder labels, each label's text vector the mean of its templates.
void evaluateLabels(const ClipModel &model, const CaptionDataset &data, const std::vector<size_t> &rows,
                    const FloatArray &images, const EvalOptions &options, EvalResult &result)
{
    const std::vector<std::string> labels = data.attributeValues("label");
    if (labels.size() < 2)
        return;
    FloatArray classes({int64_t(labels.size()), int64_t(model.embedDim())});
    for (size_t l = 0; l < labels.size(); ++l) {
        std::vector<std::string> texts;
        for (std::string t : options.templates) {
            const size_t at = t.find("{}");
            texts.push_back(at == std::string::npos ? t + " " + labels[l] : t.replace(at, 2, labels[l]));
        }
        const FloatArray v = embedPrompts(model, texts);
        for (int64_t i = 0; i < v.dim(0); ++i)
            for (int64_t d = 0; d < v.dim(1); ++d)
                classes.row(int64_t(l))[d] += v.row(i)[d];
    }
    normalizeRows(classes);
    Accuracy top1;
    for (size_t r = 0; r < rows.size(); ++r) {
        const auto it = data[rows[r]].attributes.find("label");
        if (it != data[rows[r]].attributes.end())
            top1.add(labels[best(images.row(int64_t(r)), classes)] == it->second);
    }
    if (top1.total > 0) {
        result.zeroShot["top1"] = double(top1.right) / double(top1.total);
        result.counts["top1"] = top1.total;
    }
}

} // namespace

std::string EvalResult::toJson() const
{
    nlohmann::json j;
    j["recall"] = recall;
    j["zero_shot"] = zeroShot;
    j["counts"] = counts;
    j["images"] = images;
    j["captions"] = captions;
    j["failed_images"] = failedImages;
    return j.dump();
}

EvalResult evaluate(const ClipModel &model, const std::string &dataSpec, const EvalOptions &options,
                    const std::function<void(int64_t, int64_t)> &progress)
{
    const CaptionDataset data = CaptionDataset::fromSpec(dataSpec, Split::Test);
    EvalResult result;

    // Image features, in dataset order, without augmentation.
    LoaderOptions loaderOptions;
    loaderOptions.batchSize = options.batchSize;
    loaderOptions.workers = options.workers;
    loaderOptions.shuffle = false;
    loaderOptions.dropLast = false;
    loaderOptions.augment.enabled = false;
    loaderOptions.preprocess = model.config().preprocess;
    DataLoader loader(data, loaderOptions);
    loader.startEpoch(0);
    std::vector<size_t> rows;
    std::vector<float> features;
    while (std::optional<Batch> batch = loader.next()) {
        if (batch->indices.empty())
            continue;
        FloatArray f = model.encodeImage(batch->pixels, options.batchSize);
        normalizeRows(f);
        features.insert(features.end(), f.data.begin(), f.data.end());
        rows.insert(rows.end(), batch->indices.begin(), batch->indices.end());
        if (progress)
            progress(int64_t(rows.size()), int64_t(data.size()));
    }
    result.failedImages = loader.stats().failed;
    if (rows.empty())
        throw Error("evaluating on '" + dataSpec + "': no image could be read");
    const FloatArray images({int64_t(rows.size()), int64_t(model.embedDim())}, std::move(features));
    result.images = int64_t(rows.size());

    // Distinct captions and which images carry each.
    std::unordered_map<std::string, size_t> captionId;
    std::vector<std::string> captions;
    std::vector<size_t> imageCaption(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        const std::string &c = data[rows[r]].caption;
        auto [it, added] = captionId.emplace(c, captions.size());
        if (added)
            captions.push_back(c);
        imageCaption[r] = it->second;
    }
    result.captions = int64_t(captions.size());
    const FloatArray texts = embedPrompts(model, captions);

    // Similarities [images x captions], then ranks both ways.
    const int64_t ni = images.dim(0), nt = texts.dim(0), dim = images.dim(1);
    std::vector<float> similarity(size_t(ni * nt));
    for (int64_t i = 0; i < ni; ++i)
        for (int64_t t = 0; t < nt; ++t)
            similarity[size_t(i * nt + t)] = float(dot(images.row(i), texts.row(t), dim));
    const int ks[] = {1, 5, 10};
    for (int k : ks) {
        int64_t hits = 0;
        for (int64_t i = 0; i < ni; ++i) {
            const float own = similarity[size_t(i * nt) + imageCaption[size_t(i)]];
            int64_t better = 0;
            for (int64_t t = 0; t < nt; ++t)
                better += similarity[size_t(i * nt + t)] > own;
            hits += better < k;
        }
        result.recall["i2t@" + std::to_string(k)] = double(hits) / double(ni);
        hits = 0;
        std::vector<int64_t> order(static_cast<size_t>(ni));
        for (int64_t t = 0; t < nt; ++t) {
            std::iota(order.begin(), order.end(), 0);
            const int64_t top = std::min<int64_t>(k, ni);
            std::partial_sort(order.begin(), order.begin() + top, order.end(), [&](int64_t a, int64_t b) {
                return similarity[size_t(a * nt + t)] > similarity[size_t(b * nt + t)];
            });
            bool hit = false;
            for (int64_t j = 0; j < top; ++j)
                hit = hit || int64_t(imageCaption[size_t(order[size_t(j)])]) == t;
            hits += hit;
        }
        result.recall["t2i@" + std::to_string(k)] = double(hits) / double(nt);
    }

    const bool shapes = dataSpec.rfind("shapes:", 0) == 0;
    if (shapes)
        evaluateShapes(model, data, rows, images, dataSpec.substr(7), result);
    else
        evaluateLabels(model, data, rows, images, options, result);
    return result;
}

} // namespace lodestone
