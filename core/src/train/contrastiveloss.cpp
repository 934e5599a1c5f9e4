#include "train/contrastiveloss.h"

#include <cmath>

namespace lodestone {

namespace {

namespace F = torch::nn::functional;

// Cross-entropy of each row of `logits` against its positives (the diagonal, or the rows of `positives`
// shared equally), with HN-NCE's reweighting of the negatives when beta > 0: log-weights are added to the
// negatives' logits, computed without gradient as in the paper's implementation.
torch::Tensor rowCrossEntropy(const torch::Tensor &logits, const torch::Tensor &positives, double beta)
{
    const int64_t n = logits.size(0);
    if (!positives.defined() && beta == 0.0)
        return F::cross_entropy(logits, torch::arange(n, logits.options().dtype(torch::kLong)));
    const auto isPositive =
        positives.defined() ? positives : torch::eye(n, logits.options().dtype(torch::kBool));
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
    return -(targetShare * torch::log_softmax(adjusted, 1)).sum(1).mean();
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

} // namespace lodestone
