#include "train/contrastiveloss.h"

#include <cmath>

namespace lodestone {

namespace {

namespace F = torch::nn::functional;

// Cross-entropy of each row of `logits` against its positives (the diagonal, or the rows of `positives`
// shared equally), with HN-NCE's reweighting of the negatives when beta > 0: log-weights are added to the
// negatives' logits, computed without gradient as in the paper's implementation.
// Per row: logits [n, N], isPositive [n, N] with at least one positive per row.
torch::Tensor rowCrossEntropies(const torch::Tensor &logits, const torch::Tensor &isPositive, double beta)
{
    auto adjusted = logits;
    if (beta != 0.0) {
        torch::Tensor logWeights;
        {
            torch::NoGradGuard noGrad;
            const auto negativeCount = (~isPositive).sum(1, /*keepdim=*/true).clamp_min(1).to(logits.dtype());
            const auto scaled =
                (beta * logits).masked_fill(isPositive, -std::numeric_limits<float>::infinity());
            // log w_ij = log(#negatives) + beta*l_ij - logsumexp_k beta*l_ik over negatives; positives
            // keep 1.
            logWeights = (negativeCount.log() + scaled - torch::logsumexp(scaled, 1, /*keepdim=*/true))
                             .masked_fill(isPositive, 0.0)
                             .nan_to_num(0.0);
        }
        adjusted = logits + logWeights;
    }
    const auto targets = isPositive.to(logits.dtype());
    const auto targetShare = targets / targets.sum(1, /*keepdim=*/true);
    return -(targetShare * torch::log_softmax(adjusted, 1)).sum(1);
}

torch::Tensor rowCrossEntropy(const torch::Tensor &logits, const torch::Tensor &positives, double beta)
{
    const int64_t n = logits.size(0);
    if (!positives.defined() && beta == 0.0)
        return F::cross_entropy(logits, torch::arange(n, logits.options().dtype(torch::kLong)));
    const auto isPositive =
        positives.defined() ? positives : torch::eye(n, logits.options().dtype(torch::kBool));
    return rowCrossEntropies(logits, isPositive, beta).mean();
}

} // namespace

torch::Tensor contrastiveLoss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                              const torch::Tensor &logitScale, const torch::Tensor &logitBias,
                              const LossOptions &options, const torch::Tensor &positives)
{
    TORCH_CHECK(imageFeatures.dim() == 2 && imageFeatures.sizes() == textFeatures.sizes(),
                "contrastiveLoss: image and text features must both be [N, D]");
    // The loss is computed in float32 even when the features come out of bf16 autocast.
    const auto images = F::normalize(imageFeatures.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
    const auto texts = F::normalize(textFeatures.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
    const auto logits = logitScale.to(torch::kFloat32) * torch::matmul(images, texts.t());
    const int64_t n = logits.size(0);
    if (options.kind == LossKind::Sigmoid) {
        const auto isPositive =
            positives.defined() ? positives : torch::eye(n, logits.options().dtype(torch::kBool));
        const auto signs = 2.0 * isPositive.to(torch::kFloat32) - 1.0;
        return -F::logsigmoid(signs * (logits + logitBias.to(torch::kFloat32))).sum() / double(n);
    }
    const auto positivesT = positives.defined() ? positives.t() : positives;
    return 0.5 * (rowCrossEntropy(logits, positives, options.hardNegativeBeta) +
                  rowCrossEntropy(logits.t(), positivesT, options.hardNegativeBeta));
}

torch::Tensor contrastiveLossRows(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                                  int64_t begin, int64_t end, const torch::Tensor &logitScale,
                                  const torch::Tensor &logitBias, const LossOptions &options,
                                  const torch::Tensor &positives)
{
    TORCH_CHECK(imageFeatures.dim() == 2 && imageFeatures.sizes() == textFeatures.sizes(),
                "contrastiveLossRows: image and text features must both be [N, D]");
    const int64_t n = imageFeatures.size(0);
    TORCH_CHECK(0 <= begin && begin <= end && end <= n, "contrastiveLossRows: rows [", begin, ", ", end,
                ") outside a batch of ", n);
    const auto images = F::normalize(imageFeatures.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
    const auto texts = F::normalize(textFeatures.to(torch::kFloat32), F::NormalizeFuncOptions().dim(1));
    const auto scale = logitScale.to(torch::kFloat32);
    const auto isPositive =
        positives.defined() ? positives : torch::eye(n, imageFeatures.options().dtype(torch::kBool));
    // Image rows against all texts; for InfoNCE also text rows against all images.
    const auto imageRows = scale * torch::matmul(images.slice(0, begin, end), texts.t());
    const auto rowPositives = isPositive.slice(0, begin, end);
    if (options.kind == LossKind::Sigmoid) {
        const auto signs = 2.0 * rowPositives.to(torch::kFloat32) - 1.0;
        return -F::logsigmoid(signs * (imageRows + logitBias.to(torch::kFloat32))).sum() / double(n);
    }
    const auto textRows = scale * torch::matmul(texts.slice(0, begin, end), images.t());
    const auto columnPositives = isPositive.t().slice(0, begin, end);
    return 0.5 *
           (rowCrossEntropies(imageRows, rowPositives, options.hardNegativeBeta).sum() +
            rowCrossEntropies(textRows, columnPositives, options.hardNegativeBeta).sum()) /
           double(n);
}

} // namespace lodestone
