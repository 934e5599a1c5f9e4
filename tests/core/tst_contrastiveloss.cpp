#include "lodestone/clipmodel.h"
#include "model/clipmodel_p.h"
#include "train/contrastiveloss.h"
#include "train/gradientcache.h"

#include <QtTest>

#include <cmath>

using namespace lodestone;

namespace {

torch::Tensor scalar(double v)
{
    return torch::full({}, v);
}

double logSumExp(std::initializer_list<double> values)
{
    double sum = 0;
    for (double v : values)
        sum += std::exp(v);
    return std::log(sum);
}

ClipConfig microConfig()
{
    ClipConfig c;
    c.name = "micro";
    c.embedDim = 8;
    c.vision = {ImageTower::VisionTransformer,
                /*imageSize=*/16,
                /*patchSize=*/8,
                /*width=*/16,
                /*layers=*/2,
                /*heads=*/2,
                /*mlpWidth=*/32};
    c.text = {/*contextLength=*/8, /*vocabSize=*/20, /*width=*/16,
              /*layers=*/2,        /*heads=*/2,      /*mlpWidth=*/32,
              /*endToken=*/19};
    c.preprocess.imageSize = 16;
    return c;
}

} // namespace

class TestContrastiveLoss : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void infoNceEqualsHandComputedValue()
    {
        // Unit features: cosines I.T^T = [[1, 0.6], [0, 0.8]]; with scale 2 the logits are [[2, 1.2],
        // [0, 1.6]].
        const auto images = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});
        const auto texts = torch::tensor({1.0f, 0.0f, 0.6f, 0.8f}).view({2, 2});
        const double imageToText = 0.5 * ((logSumExp({2, 1.2}) - 2) + (logSumExp({0, 1.6}) - 1.6));
        const double textToImage = 0.5 * ((logSumExp({2, 0}) - 2) + (logSumExp({1.2, 1.6}) - 1.6));
        const double expected = 0.5 * (imageToText + textToImage);
        const double loss = contrastiveLoss(images, texts, scalar(2), scalar(0), {}).item<double>();
        QVERIFY2(std::fabs(loss - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(loss).arg(expected)));
        // Raw (unnormalised) features give the same loss: the normalisation is part of the loss.
        const double scaled =
            contrastiveLoss(images * 3.0, texts * 0.5, scalar(2), scalar(0), {}).item<double>();
        QVERIFY(std::fabs(scaled - expected) < 1e-6);
    }

    void infoNceIsSymmetric()
    {
        torch::manual_seed(1);
        const auto a = torch::randn({8, 16});
        const auto b = torch::randn({8, 16});
        const double ab = contrastiveLoss(a, b, scalar(14.3), scalar(0), {}).item<double>();
        const double ba = contrastiveLoss(b, a, scalar(14.3), scalar(0), {}).item<double>();
        QVERIFY(std::fabs(ab - ba) < 1e-6);
    }

    void sigmoidEqualsHandComputedValue()
    {
        const auto images = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});
        const auto texts = torch::tensor({1.0f, 0.0f, 0.6f, 0.8f}).view({2, 2});
        LossOptions options;
        options.kind = LossKind::Sigmoid;
        auto logSigmoid = [](double x) { return -std::log1p(std::exp(-x)); };
        // z = scale * cos + bias with scale 2, bias -1; positives on the diagonal, negatives elsewhere.
        const double expected = -(logSigmoid(2 * 1.0 - 1) + logSigmoid(-(2 * 0.6 - 1)) +
                                  logSigmoid(-(2 * 0.0 - 1)) + logSigmoid(2 * 0.8 - 1)) /
                                2;
        const double loss = contrastiveLoss(images, texts, scalar(2), scalar(-1), options).item<double>();
        QVERIFY2(std::fabs(loss - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(loss).arg(expected)));
    }

    void hardNegativeWeightingRaisesTheLoss()
    {
        torch::manual_seed(2);
        const auto a = torch::randn({6, 8});
        const auto b = a + 0.8 * torch::randn({6, 8});
        LossOptions plain, zeroBeta, hard;
        zeroBeta.hardNegativeBeta = 0.0;
        hard.hardNegativeBeta = 0.5;
        const double base = contrastiveLoss(a, b, scalar(10), scalar(0), plain).item<double>();
        // beta = 0 is plain InfoNCE; with distinct similarities the weights (increasing, mean 1) raise the
        // negatives' total, so the loss grows (Chebyshev's sum inequality).
        QVERIFY(std::fabs(contrastiveLoss(a, b, scalar(10), scalar(0), zeroBeta).item<double>() - base) <
                1e-6);
        QVERIFY(contrastiveLoss(a, b, scalar(10), scalar(0), hard).item<double>() > base + 1e-4);
    }

    void identicalCaptionsShareTheTargets()
    {
        // Both photos carry the same caption: every pair is a positive and each row's target is shared
        // equally, -(1/2)(log p_i0 + log p_i1), instead of treating the twin caption as a negative.
        const auto images = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});
        const auto texts = torch::tensor({1.0f, 0.0f, 0.6f, 0.8f}).view({2, 2});
        const auto positives = torch::ones({2, 2}, torch::kBool);
        auto rowLoss = [](double a, double b) {
            return -0.5 * ((a - logSumExp({a, b})) + (b - logSumExp({a, b})));
        };
        // logits [[2, 1.2], [0, 1.6]] by rows, [[2, 0], [1.2, 1.6]] by columns.
        const double expected =
            0.5 * (0.5 * (rowLoss(2, 1.2) + rowLoss(0, 1.6)) + 0.5 * (rowLoss(2, 0) + rowLoss(1.2, 1.6)));
        const double loss =
            contrastiveLoss(images, texts, scalar(2), scalar(0), {}, positives).item<double>();
        QVERIFY2(std::fabs(loss - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(loss).arg(expected)));
        // With only the diagonal marked, it is plain InfoNCE.
        const double diagonal =
            contrastiveLoss(images, texts, scalar(2), scalar(0), {}, torch::eye(2, torch::kBool))
                .item<double>();
        QVERIFY(std::fabs(diagonal -
                          contrastiveLoss(images, texts, scalar(2), scalar(0), {}).item<double>()) < 1e-6);
    }

    void gradientCacheEqualsWholeBatchGradients_data()
    {
        QTest::addColumn<int>("subBatch");
        QTest::addColumn<double>("beta");
        QTest::newRow("sub-batches of 2") << 2 << 0.0;
        QTest::newRow("sub-batches of 4 (uneven)") << 4 << 0.0;
        QTest::newRow("sub-batches of 3, HN-NCE") << 3 << 0.5;
    }

    void gradientCacheEqualsWholeBatchGradients()
    {
        QFETCH(int, subBatch);
        QFETCH(double, beta);
        ClipModel model(microConfig(), "cpu", /*seed=*/5);
        ClipModuleImpl &module = *model.impl().module;
        torch::manual_seed(3);
        const auto pixels = torch::randn({6, 3, 16, 16});
        const auto tokens = torch::randint(0, 19, {6, 5}).index_put_({torch::indexing::Slice(), 4}, 19);
        LossOptions options;
        options.hardNegativeBeta = beta;
        const BatchLoss loss = [&](const torch::Tensor &image, const torch::Tensor &text) {
            return contrastiveLoss(image, text, module.logit_scale.exp(), scalar(0), options);
        };

        auto gradients = [&](int64_t chunk) {
            for (auto &p : module.parameters())
                p.mutable_grad() = torch::Tensor();
            const double value = contrastiveBackward(module, pixels, tokens, chunk, loss).item<double>();
            std::vector<torch::Tensor> grads;
            for (auto &p : module.parameters())
                grads.push_back(p.grad().clone());
            return std::make_pair(value, grads);
        };
        const auto [wholeLoss, whole] = gradients(0);
        const auto [cachedLoss, cached] = gradients(subBatch);
        QVERIFY(std::fabs(wholeLoss - cachedLoss) < 1e-6);
        QCOMPARE(whole.size(), cached.size());
        for (size_t i = 0; i < whole.size(); ++i) {
            const double scale = whole[i].abs().max().item<double>() + 1e-12;
            const double diff = (whole[i] - cached[i]).abs().max().item<double>();
            QVERIFY2(diff / scale < 1e-4,
                     qPrintable(QString("parameter %1: relative difference %2").arg(i).arg(diff / scale)));
        }
    }

    // Data parallelism: each rank's rows against all columns; the parts must add up to the whole loss and
    // to its gradients (features, logit scale and bias), whatever the partition.
    void rowSharesAddUpToTheWholeLoss_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("beta");
        QTest::addColumn<bool>("withPositives");
        QTest::newRow("infonce") << int(LossKind::InfoNce) << 0.0 << false;
        QTest::newRow("infonce, identical captions") << int(LossKind::InfoNce) << 0.0 << true;
        QTest::newRow("hn-nce") << int(LossKind::InfoNce) << 0.5 << true;
        QTest::newRow("sigmoid") << int(LossKind::Sigmoid) << 0.0 << true;
    }

    void rowSharesAddUpToTheWholeLoss()
    {
        QFETCH(int, kind);
        QFETCH(double, beta);
        QFETCH(bool, withPositives);
        torch::manual_seed(3);
        const int64_t n = 7;
        LossOptions options;
        options.kind = LossKind(kind);
        options.hardNegativeBeta = beta;
        torch::Tensor positives;
        if (withPositives) {
            positives = torch::eye(n, torch::kBool);
            positives[1][4] = positives[4][1] = true; // samples 1 and 4 share a caption
        }
        auto images = torch::randn({n, 5}).requires_grad_();
        auto texts = torch::randn({n, 5}).requires_grad_();
        auto logScale = torch::full({}, 2.0).requires_grad_();
        auto bias = torch::full({}, -1.0).requires_grad_();

        const auto whole = contrastiveLoss(images, texts, logScale.exp(), bias, options, positives);
        whole.backward();
        std::vector<torch::Tensor> wholeGrads;
        for (auto *t : {&images, &texts, &logScale, &bias}) {
            wholeGrads.push_back(t->grad().defined() ? t->grad().clone() : torch::Tensor());
            if (t->grad().defined())
                t->mutable_grad().zero_();
        }

        torch::Tensor sum = torch::zeros({});
        const std::vector<int64_t> cuts{0, 2, 3, 7}; // uneven slices, one of a single row
        for (size_t i = 0; i + 1 < cuts.size(); ++i) {
            auto part = contrastiveLossRows(images, texts, cuts[i], cuts[i + 1], logScale.exp(), bias,
                                            options, positives);
            part.backward();
            sum += part.detach();
        }
        QVERIFY2(std::abs(sum.item<double>() - whole.item<double>()) < 1e-5,
                 qPrintable(QString("%1 vs %2").arg(sum.item<double>()).arg(whole.item<double>())));
        const std::vector<torch::Tensor> partGrads{images.grad(), texts.grad(), logScale.grad(), bias.grad()};
        for (size_t i = 0; i < wholeGrads.size(); ++i) {
            if (options.kind == LossKind::InfoNce && i == 3) {
                QVERIFY(!wholeGrads[i].defined() && !partGrads[i].defined()); // InfoNCE has no bias
                continue;
            }
            QVERIFY2(torch::allclose(partGrads[i], wholeGrads[i], 1e-5, 1e-6),
                     qPrintable(QString::number(i)));
        }
        QVERIFY(wholeGrads[0].abs().max().item<double>() > 1e-3); // the comparison is not of zeros
    }
};

QTEST_APPLESS_MAIN(TestContrastiveLoss)
#include "tst_contrastiveloss.moc"
