#include "train/batchcomposer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <unordered_map>

namespace lodestone {

namespace {

std::vector<std::string> words(const std::string &caption)
{
    std::istringstream in(caption);
    std::vector<std::string> out;
    for (std::string w; in >> w;) {
        std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        while (!w.empty() && std::ispunct(static_cast<unsigned char>(w.back())))
            w.pop_back();
        out.push_back(w);
    }
    return out;
}

} // namespace

std::vector<std::vector<size_t>> oneWordOffPartners(const std::vector<std::string> &captions,
                                                    size_t maxPartners)
{
    // Captions sharing the key "w1 w2 * w4" (one word replaced by a wildcard) differ in at most that word.
    std::unordered_map<std::string, std::vector<size_t>> buckets;
    std::vector<std::vector<std::string>> split(captions.size());
    for (size_t i = 0; i < captions.size(); ++i) {
        split[i] = words(captions[i]);
        for (size_t w = 0; w < split[i].size(); ++w) {
            std::string key;
            for (size_t j = 0; j < split[i].size(); ++j)
                key += (j == w ? std::string("\x01") : split[i][j]) + ' ';
            buckets[key].push_back(i);
        }
    }
    std::vector<std::vector<size_t>> partners(captions.size());
    for (const auto &[key, members] : buckets) {
        for (size_t a : members) {
            for (size_t b : members) {
                if (partners[a].size() >= maxPartners)
                    break;
                if (a != b && split[a] != split[b])
                    partners[a].push_back(b);
            }
        }
    }
    for (auto &p : partners) {
        std::sort(p.begin(), p.end());
        p.erase(std::unique(p.begin(), p.end()), p.end());
    }
    return partners;
}

std::vector<std::vector<size_t>> nearestNeighbourPartners(const torch::Tensor &features,
                                                          const std::vector<int64_t> &captionIds, int64_t k)
{
    torch::NoGradGuard noGrad;
    const int64_t n = features.size(0);
    const auto ids = torch::tensor(captionIds, torch::kInt64).to(features.device());
    std::vector<std::vector<size_t>> partners(static_cast<size_t>(n));
    const int64_t take = std::min<int64_t>(k, n - 1);
    if (take <= 0)
        return partners;
    for (int64_t start = 0; start < n; start += 1024) {
        const int64_t end = std::min(n, start + 1024);
        auto similarity = torch::matmul(features.slice(0, start, end), features.t());
        // Itself and identical captions are never negatives.
        similarity.masked_fill_(ids.slice(0, start, end).unsqueeze(1) == ids.unsqueeze(0),
                                -std::numeric_limits<float>::infinity());
        const auto [values, indices] = similarity.topk(take, /*dim=*/1);
        const auto v = values.to(torch::kCPU, torch::kFloat32).contiguous();
        const auto idx = indices.to(torch::kCPU).contiguous();
        const auto va = v.accessor<float, 2>();
        const auto ia = idx.accessor<int64_t, 2>();
        for (int64_t r = 0; r < end - start; ++r)
            for (int64_t c = 0; c < take; ++c)
                if (std::isfinite(va[r][c]))
                    partners[size_t(start + r)].push_back(size_t(ia[r][c]));
    }
    return partners;
}

std::vector<std::vector<size_t>> composeBatches(const std::vector<std::vector<size_t>> &partners,
                                                size_t batchSize, size_t groupSize, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<size_t> order(partners.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);

    std::vector<bool> taken(partners.size(), false);
    std::vector<std::vector<size_t>> groups;
    for (size_t s : order) {
        if (taken[s])
            continue;
        std::vector<size_t> group{s};
        taken[s] = true;
        for (size_t p : partners[s]) {
            if (group.size() >= groupSize)
                break;
            if (!taken[p]) {
                taken[p] = true;
                group.push_back(p);
            }
        }
        groups.push_back(std::move(group));
    }
    std::shuffle(groups.begin(), groups.end(), rng);

    std::vector<std::vector<size_t>> batches;
    std::vector<size_t> current;
    for (const auto &group : groups) {
        for (size_t s : group) {
            current.push_back(s);
            if (current.size() == batchSize) {
                batches.push_back(std::move(current));
                current.clear();
            }
        }
    }
    return batches;
}

} // namespace lodestone
