#include "lodestone/embeddingmap.h"
#include "lodestone/error.h"

#include "analysis/fftrepulsion.h"
#include "analysis/linalg.h"
#include "analysis/neighbours.h"
#include "analysis/random.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

using namespace lodestone;

namespace {

// `blobs` Gaussian blobs of `perBlob` points in `dim` dimensions: centres drawn with standard deviation
// `separation`, points around them with standard deviation 1. Labels are the blob of each point.
FloatArray gaussianBlobs(int blobs, int perBlob, int dim, double separation, uint64_t seed,
                         std::vector<int> *labels)
{
    detail::Random random(seed);
    std::vector<double> centres(size_t(blobs * dim));
    for (double &c : centres)
        c = separation * random.normal();
    FloatArray points({int64_t(blobs) * perBlob, dim});
    labels->clear();
    for (int b = 0; b < blobs; ++b)
        for (int i = 0; i < perBlob; ++i) {
            float *row = points.row(int64_t(b) * perBlob + i);
            for (int j = 0; j < dim; ++j)
                row[j] = float(centres[size_t(b * dim + j)] + random.normal());
            labels->push_back(b);
        }
    return points;
}

// The right singular vectors and singular values of the [N, D] matrix `a` (N >= D) by one-sided Jacobi
// (Hestenes): rotate column pairs until all are orthogonal. Independent of the library's eigensolver.
void jacobiSvd(std::vector<double> a, int n, int d, std::vector<double> *singular, std::vector<double> *v)
{
    v->assign(size_t(d * d), 0.0);
    for (int i = 0; i < d; ++i)
        (*v)[size_t(i * d + i)] = 1;
    for (int sweep = 0; sweep < 60; ++sweep) {
        double off = 0;
        for (int p = 0; p < d; ++p)
            for (int q = p + 1; q < d; ++q) {
                double alpha = 0, beta = 0, gamma = 0;
                for (int i = 0; i < n; ++i) {
                    const double x = a[size_t(i * d + p)], y = a[size_t(i * d + q)];
                    alpha += x * x;
                    beta += y * y;
                    gamma += x * y;
                }
                if (std::abs(gamma) <= 1e-15 * std::sqrt(alpha * beta))
                    continue;
                off = std::max(off, std::abs(gamma) / std::sqrt(alpha * beta));
                const double zeta = (beta - alpha) / (2 * gamma);
                const double t = (zeta >= 0 ? 1.0 : -1.0) / (std::abs(zeta) + std::sqrt(1 + zeta * zeta));
                const double c = 1 / std::sqrt(1 + t * t), s = c * t;
                for (int i = 0; i < n; ++i) {
                    const double x = a[size_t(i * d + p)], y = a[size_t(i * d + q)];
                    a[size_t(i * d + p)] = c * x - s * y;
                    a[size_t(i * d + q)] = s * x + c * y;
                }
                for (int i = 0; i < d; ++i) {
                    const double x = (*v)[size_t(i * d + p)], y = (*v)[size_t(i * d + q)];
                    (*v)[size_t(i * d + p)] = c * x - s * y;
                    (*v)[size_t(i * d + q)] = s * x + c * y;
                }
            }
        if (off < 1e-13)
            break;
    }
    singular->assign(size_t(d), 0.0);
    for (int j = 0; j < d; ++j) {
        double s = 0;
        for (int i = 0; i < n; ++i)
            s += a[size_t(i * d + j)] * a[size_t(i * d + j)];
        (*singular)[size_t(j)] = std::sqrt(s);
    }
}

// Fraction of points whose cluster's majority blob is their own blob, and whether clusters and blobs
// correspond one to one.
double purity(const std::vector<int> &clusters, const std::vector<int> &blobs, bool *oneToOne)
{
    std::map<int, std::map<int, int>> table;
    for (size_t i = 0; i < clusters.size(); ++i)
        ++table[clusters[i]][blobs[i]];
    int agree = 0;
    std::set<int> majorities;
    for (const auto &[cluster, counts] : table) {
        const auto best = std::max_element(counts.begin(), counts.end(),
                                           [](const auto &a, const auto &b) { return a.second < b.second; });
        agree += best->second;
        majorities.insert(best->first);
    }
    const std::set<int> distinctBlobs(blobs.begin(), blobs.end());
    *oneToOne = table.size() == distinctBlobs.size() && majorities.size() == distinctBlobs.size();
    return double(agree) / double(clusters.size());
}

// Mean over points of the fraction of their k nearest neighbours in the 2D positions that share their label.
double sameLabelNeighbours(const FloatArray &positions, const std::vector<int> &labels, int k)
{
    const int64_t n = positions.dim(0);
    double total = 0;
    std::vector<std::pair<float, int64_t>> order(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            const float dx = positions.row(i)[0] - positions.row(j)[0],
                        dy = positions.row(i)[1] - positions.row(j)[1];
            order[size_t(j)] = {j == i ? -1.0f : dx * dx + dy * dy, j};
        }
        std::partial_sort(order.begin(), order.begin() + k + 1, order.end());
        int same = 0;
        for (int m = 1; m <= k; ++m)
            same += labels[size_t(order[size_t(m)].second)] == labels[size_t(i)];
        total += double(same) / k;
    }
    return total / double(n);
}

// Trustworthiness by its textbook definition, with full rank tables (Venna & Kaski 2001).
double referenceTrustworthiness(const FloatArray &points, const FloatArray &positions, int k)
{
    const int64_t n = points.dim(0), d = points.dim(1);
    auto ranks = [&](const FloatArray &x, int64_t dims, int64_t i) {
        std::vector<std::pair<double, int64_t>> order;
        for (int64_t j = 0; j < n; ++j) {
            if (j == i)
                continue;
            double s = 0;
            for (int64_t c = 0; c < dims; ++c)
                s += (double(x.row(i)[c]) - x.row(j)[c]) * (double(x.row(i)[c]) - x.row(j)[c]);
            order.push_back({s, j});
        }
        std::sort(order.begin(), order.end());
        std::vector<int64_t> rank(size_t(n), 0);
        for (size_t r = 0; r < order.size(); ++r)
            rank[size_t(order[r].second)] = int64_t(r) + 1;
        return rank;
    };
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
        const std::vector<int64_t> high = ranks(points, d, i), low = ranks(positions, 2, i);
        for (int64_t j = 0; j < n; ++j)
            if (j != i && low[size_t(j)] <= k && high[size_t(j)] > k)
                sum += double(high[size_t(j)] - k);
    }
    return 1.0 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)) * sum;
}

// The blobs every projection test maps: 5 × 200 points in 50 dimensions, centres far apart.
struct Blobs {
    std::vector<int> labels;
    FloatArray points;
};

const Blobs &blobs()
{
    static const Blobs b = [] {
        Blobs out;
        out.points = gaussianBlobs(5, 200, 50, 3.0, 21, &out.labels);
        return out;
    }();
    return b;
}

// Maps of blobs() with the default options, computed once per method for the tests that need one.
std::map<MapMethod, EmbeddingMap> &blobMaps()
{
    static std::map<MapMethod, EmbeddingMap> maps;
    return maps;
}

const EmbeddingMap &blobMap(MapMethod method)
{
    auto found = blobMaps().find(method);
    if (found == blobMaps().end()) {
        MapOptions options;
        options.method = method;
        found = blobMaps().emplace(method, computeMap(blobs().points, options)).first;
    }
    return found->second;
}

} // namespace

class TestEmbeddingMap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eigensolverSatisfiesDefinition()
    {
        // A random symmetric matrix: A·v = λ·v for every pair, the vectors orthonormal, λ decreasing.
        const int n = 40;
        detail::Random random(7);
        std::vector<double> a(size_t(n * n));
        for (int i = 0; i < n; ++i)
            for (int j = 0; j <= i; ++j)
                a[size_t(i * n + j)] = a[size_t(j * n + i)] = random.normal();
        std::vector<double> v = a;
        const std::vector<double> values = detail::symmetricEigen(v, n);
        QCOMPARE(int(values.size()), n);
        for (int k = 0; k < n; ++k) {
            if (k > 0)
                QVERIFY(values[size_t(k)] <= values[size_t(k - 1)]);
            for (int i = 0; i < n; ++i) {
                double av = 0;
                for (int j = 0; j < n; ++j)
                    av += a[size_t(i * n + j)] * v[size_t(k * n + j)];
                QVERIFY2(std::abs(av - values[size_t(k)] * v[size_t(k * n + i)]) < 1e-10,
                         qPrintable(QString("pair %1 row %2").arg(k).arg(i)));
            }
            for (int l = 0; l <= k; ++l) {
                double p = 0;
                for (int j = 0; j < n; ++j)
                    p += v[size_t(k * n + j)] * v[size_t(l * n + j)];
                QVERIFY(std::abs(p - (k == l ? 1.0 : 0.0)) < 1e-12);
            }
        }
        // Sums of eigenvalues and diagonal agree (trace).
        double trace = 0, sum = 0;
        for (int i = 0; i < n; ++i) {
            trace += a[size_t(i * n + i)];
            sum += values[size_t(i)];
        }
        QVERIFY(std::abs(trace - sum) < 1e-10);
    }

    void pcaMatchesSvd()
    {
        // Correlated data with a mean offset: PCA's components and variances equal the right singular
        // vectors and squared singular values / (N - 1) of the centred data, computed here by Jacobi.
        const int n = 300, d = 12;
        detail::Random random(3);
        std::vector<double> mixing(size_t(d * d));
        for (double &m : mixing)
            m = random.normal();
        FloatArray points({n, d});
        for (int i = 0; i < n; ++i) {
            std::vector<double> z(static_cast<size_t>(d));
            for (int j = 0; j < d; ++j)
                z[size_t(j)] = random.normal() * (j + 1);
            for (int j = 0; j < d; ++j) {
                double x = 5.0 + j;
                for (int k = 0; k < d; ++k)
                    x += mixing[size_t(j * d + k)] * z[size_t(k)];
                points.row(i)[j] = float(x);
            }
        }
        const Pca pca = fitPca(points, 4);
        QCOMPARE(pca.components.shape, (std::vector<int64_t>{4, d}));

        std::vector<double> centred(size_t(n * d));
        for (int j = 0; j < d; ++j) {
            double mean = 0;
            for (int i = 0; i < n; ++i)
                mean += points.row(i)[j];
            mean /= n;
            QVERIFY(std::abs(pca.mean[size_t(j)] - mean) < 1e-4 * (1 + std::abs(mean)));
            for (int i = 0; i < n; ++i)
                centred[size_t(i * d + j)] = points.row(i)[j] - mean;
        }
        std::vector<double> singular, v;
        jacobiSvd(centred, n, d, &singular, &v);
        std::vector<int> order(static_cast<size_t>(d));
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](int x, int y) { return singular[x] > singular[y]; });
        double total = 0;
        for (double s : singular)
            total += s * s / (n - 1);
        QVERIFY(std::abs(pca.totalVariance - total) < 1e-5 * total);
        for (int c = 0; c < 4; ++c) {
            const double expected = singular[size_t(order[c])] * singular[size_t(order[c])] / (n - 1);
            QVERIFY2(
                std::abs(pca.variances[size_t(c)] - expected) < 1e-5 * expected,
                qPrintable(
                    QString("component %1: %2 vs %3").arg(c).arg(pca.variances[size_t(c)]).arg(expected)));
            double cosine = 0;
            for (int j = 0; j < d; ++j)
                cosine += pca.components.row(c)[j] * v[size_t(j * d + order[c])];
            QVERIFY2(std::abs(std::abs(cosine) - 1) < 1e-5, qPrintable(QString::number(cosine)));
            // Sign convention: the largest coefficient is positive.
            const float *row = pca.components.row(c);
            const float *largest =
                std::max_element(row, row + d, [](float x, float y) { return std::abs(x) < std::abs(y); });
            QVERIFY(*largest > 0);
        }
        // Projections: centred, with the component variances, and exact for new points.
        const FloatArray projected = pca.project(points);
        for (int c = 0; c < 4; ++c) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; ++i) {
                sum += projected.row(i)[c];
                sq += double(projected.row(i)[c]) * projected.row(i)[c];
            }
            QVERIFY(std::abs(sum / n) < 1e-3 * std::sqrt(pca.variances[size_t(c)]));
            QVERIFY(std::abs(sq / (n - 1) - pca.variances[size_t(c)]) < 1e-4 * pca.variances[size_t(c)]);
        }
        FloatArray one({1, d});
        for (int j = 0; j < d; ++j)
            one.row(0)[j] = pca.mean[size_t(j)] + 2.0f * pca.components.row(1)[j];
        const FloatArray p = pca.project(one);
        QVERIFY(std::abs(p.row(0)[0]) < 1e-4);
        QVERIFY(std::abs(p.row(0)[1] - 2.0f) < 1e-4);
    }

    void pcaRefusesBadShapes()
    {
        QVERIFY_THROWS_EXCEPTION(Error, fitPca(FloatArray({1, 3}), 2));
        QVERIFY_THROWS_EXCEPTION(Error, fitPca(FloatArray({5, 3}), 4));
        const Pca pca = fitPca(FloatArray({5, 3}, std::vector<float>(15, 1.0f)), 2);
        QVERIFY_THROWS_EXCEPTION(Error, pca.project(FloatArray({2, 4})));
    }

    void kmeansRecoversPlantedClusters_data()
    {
        QTest::addColumn<int>("clusters");
        QTest::addColumn<qint64>("sampleSize");
        QTest::newRow("automatic K") << 0 << qint64(5000);
        QTest::newRow("automatic K, sampled") << 0 << qint64(300);
        QTest::newRow("K given") << 5 << qint64(5000);
    }

    void kmeansRecoversPlantedClusters()
    {
        QFETCH(int, clusters);
        QFETCH(qint64, sampleSize);
        std::vector<int> blobs;
        const FloatArray points = gaussianBlobs(5, 200, 50, 3.0, 11, &blobs);
        KMeansOptions options;
        options.clusters = clusters;
        options.sampleSize = sampleSize;
        std::vector<MapProgress> reports;
        const KMeansResult result =
            kmeans(points, options, [&](const MapProgress &p) { reports.push_back(p); });
        QCOMPARE(result.centroids.shape, (std::vector<int64_t>{5, 50}));
        bool oneToOne = false;
        QCOMPARE(purity(result.assignment, blobs, &oneToOne), 1.0);
        QVERIFY(oneToOne);
        QCOMPARE(std::accumulate(result.sizes.begin(), result.sizes.end(), int64_t(0)), int64_t(1000));
        QVERIFY(result.silhouette > 0.5);
        QVERIFY(!result.cancelled);
        if (clusters == 0) {
            // 2..sqrt(1000) = 31, capped at 20: every K tried, 5 the best.
            QCOMPARE(int(result.candidates.size()), 19);
            for (const auto &[k, silhouette] : result.candidates)
                QVERIFY(k == 5 || silhouette < result.silhouette);
        }
        QVERIFY(!reports.empty());
        QCOMPARE(reports.back().done, reports.back().total);
        // The centroids are the means of their points.
        for (int c = 0; c < 5; ++c) {
            double sum = 0;
            for (int64_t i = 0; i < 1000; ++i)
                if (result.assignment[size_t(i)] == c)
                    sum += points.row(i)[7];
            QVERIFY(std::abs(sum / double(result.sizes[size_t(c)]) - result.centroids.row(c)[7]) < 1e-4);
        }
    }

    void kmeansIsDeterministicWhateverTheThreads()
    {
        std::vector<int> blobs;
        // Overlapping blobs, so that the outcome depends on the seeding.
        const FloatArray points = gaussianBlobs(6, 150, 20, 0.6, 5, &blobs);
        KMeansOptions options;
        options.clusters = 4;
        options.threads = 1;
        const KMeansResult one = kmeans(points, options);
        options.threads = 3;
        const KMeansResult three = kmeans(points, options);
        QCOMPARE(one.assignment, three.assignment);
        QCOMPARE(one.centroids.data, three.centroids.data);
        QCOMPARE(one.inertia, three.inertia);
        options.seed = 2;
        const KMeansResult other = kmeans(points, options);
        QVERIFY(other.inertia > 0);
    }

    void kmeansStopsWhenCancelled()
    {
        std::vector<int> blobs;
        const FloatArray points = gaussianBlobs(3, 50, 8, 3.0, 1, &blobs);
        std::atomic<bool> cancel{true};
        const KMeansResult result = kmeans(points, {}, {}, &cancel);
        QVERIFY(result.cancelled);
        QVERIFY(result.assignment.empty());
    }

    void kmeansRefusesBadArguments()
    {
        QVERIFY_THROWS_EXCEPTION(Error, kmeans(FloatArray({3, 2}), KMeansOptions{.clusters = 4}));
        QVERIFY_THROWS_EXCEPTION(Error, kmeans(FloatArray({0, 2})));
    }

    void silhouetteOfPlantedAndRandomLabels()
    {
        std::vector<int> blobs;
        const FloatArray points = gaussianBlobs(4, 100, 10, 4.0, 2, &blobs);
        const double planted = silhouetteScore(points, blobs);
        QVERIFY2(planted > 0.6, qPrintable(QString::number(planted)));
        std::vector<int> shuffled = blobs;
        detail::Random random(1);
        for (size_t i = shuffled.size() - 1; i > 0; --i)
            std::swap(shuffled[i], shuffled[size_t(random.below(i + 1))]);
        QVERIFY(std::abs(silhouetteScore(points, shuffled)) < 0.1);
        QCOMPARE(silhouetteScore(points, std::vector<int>(blobs.size(), 0)), 0.0);
    }

    void namingPicksThePlantedWord()
    {
        // Texts are the axes e0..e5. Every point shares a large offset along e5 ("photo"), so the centroids
        // themselves are all nearest to "photo"; what tells cluster c apart is its offset along e_c.
        const int d = 16;
        const std::vector<std::string> texts = {"dog", "beach", "mountain", "city", "food", "photo"};
        FloatArray textVectors({6, d});
        for (int t = 0; t < 6; ++t)
            textVectors.row(t)[t] = 2.0f; // not normalised: nameClusters normalises
        detail::Random random(4);
        FloatArray points({300, d});
        std::vector<int> assignment;
        for (int i = 0; i < 300; ++i) {
            const int c = i / 100;
            float *row = points.row(i);
            for (int j = 0; j < d; ++j)
                row[j] = float(0.3 * random.normal());
            row[5] += 5.0f;
            row[c] += 3.0f;
            assignment.push_back(c);
        }
        const auto names = nameClusters(points, assignment, 4, textVectors, texts, 2);
        QCOMPARE(int(names.size()), 4);
        QCOMPARE(names[0][0].text, std::string("dog"));
        QCOMPARE(names[1][0].text, std::string("beach"));
        QCOMPARE(names[2][0].text, std::string("mountain"));
        QVERIFY(names[3].empty()); // no points
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(int(names[size_t(c)].size()), 2);
            // e_c - (e0 + e1 + e2)/3, normalised: cosine with e_c is sqrt(2/3).
            QVERIFY(std::abs(names[size_t(c)][0].score - std::sqrt(2.0f / 3.0f)) < 0.05);
            QVERIFY(names[size_t(c)][1].score < names[size_t(c)][0].score);
        }
        // A single cluster sits at the mean: named by its own direction, "photo".
        const auto single = nameClusters(points, std::vector<int>(300, 0), 1, textVectors, texts, 1);
        QCOMPARE(single[0][0].text, std::string("photo"));
        QVERIFY_THROWS_EXCEPTION(Error, nameClusters(points, assignment, 2, textVectors, texts, 1));
        QVERIFY_THROWS_EXCEPTION(Error, nameClusters(points, assignment, 4, textVectors, {"a"}, 1));
    }

    void neighbourGraphsFindTheNearest()
    {
        // Clustered points with 6 directions of variation in each cluster, in 96 dimensions.
        detail::Random random(12);
        const int n = 1200, d = 96;
        std::vector<double> centres(size_t(8 * d)), bases(size_t(8 * d * 6));
        for (double &c : centres)
            c = random.normal();
        for (double &b : bases)
            b = random.normal();
        FloatArray points({n, d});
        for (int i = 0; i < n; ++i) {
            const int c = i % 8;
            double z[6];
            for (double &v : z)
                v = random.normal();
            for (int j = 0; j < d; ++j) {
                double v = centres[size_t(c * d + j)] + 0.2 * random.normal();
                for (int l = 0; l < 6; ++l)
                    v += bases[size_t((c * d + j) * 6 + l)] * z[l];
                points.row(i)[j] = float(v);
            }
        }
        const int k = 15;
        const detail::NeighbourGraph exact = detail::nearestNeighbours(points, k);
        // Exact: ascending, the point itself left out, distances right.
        for (int i = 0; i < n; i += 97) {
            for (int m = 0; m < k; ++m) {
                const int32_t j = exact.neighbours(i)[m];
                QVERIFY(j != i);
                double s = 0;
                for (int t = 0; t < d; ++t)
                    s += (double(points.row(i)[t]) - points.row(j)[t]) *
                         (double(points.row(i)[t]) - points.row(j)[t]);
                QVERIFY(std::abs(std::sqrt(s) - exact.distancesOf(i)[m]) < 1e-3 * (1 + std::sqrt(s)));
                if (m > 0)
                    QVERIFY(exact.distancesOf(i)[m] >= exact.distancesOf(i)[m - 1]);
            }
            // Nothing outside the list is nearer than its last entry.
            for (int j = 0; j < n; ++j) {
                if (j == i ||
                    std::find(exact.neighbours(i), exact.neighbours(i) + k, j) != exact.neighbours(i) + k)
                    continue;
                double s = 0;
                for (int t = 0; t < d; ++t)
                    s += (double(points.row(i)[t]) - points.row(j)[t]) *
                         (double(points.row(i)[t]) - points.row(j)[t]);
                QVERIFY(std::sqrt(s) >= exact.distancesOf(i)[k - 1] - 1e-3);
            }
        }
        // The large-set paths, forced on this small set: candidates along 24 principal components by brute
        // force, or from HNSW, re-ranked exactly. Recall against the exact graph, and the same graph for any
        // number of threads.
        const Pca reduction = fitPca(points, 24);
        for (const bool hnsw : {false, true}) {
            detail::NeighbourSearch search;
            search.exactLimit = 0;
            search.reduction = &reduction;
            search.hnswLimit = hnsw ? 0 : 1 << 30;
            search.threads = 1;
            const detail::NeighbourGraph one = detail::nearestNeighbours(points, k, search);
            search.threads = 3;
            const detail::NeighbourGraph three = detail::nearestNeighbours(points, k, search);
            QCOMPARE(one.indices, three.indices);
            double found = 0;
            for (int i = 0; i < n; ++i)
                for (int m = 0; m < k; ++m)
                    found += std::find(exact.neighbours(i), exact.neighbours(i) + k, one.neighbours(i)[m]) !=
                             exact.neighbours(i) + k;
            const double recall = found / (double(n) * k);
            qInfo("%s recall %.4f", hnsw ? "HNSW" : "reduced brute force", recall);
            QVERIFY(recall > 0.95);
        }
    }

    void umapCurveMatchesUmapLearn()
    {
        // umap-learn's find_ab_params(1.0, 0.1): a = 1.5769, b = 0.8951.
        const auto [a, b] = fitUmapCurve(0.1f, 1.0f);
        QVERIFY2(std::abs(a - 1.5769f) < 5e-3 && std::abs(b - 0.8951f) < 5e-3,
                 qPrintable(QString("%1 %2").arg(a).arg(b)));
        // Larger minDist: a flatter top, so a smaller a and larger b.
        const auto [a5, b5] = fitUmapCurve(0.5f, 1.0f);
        QVERIFY(a5 < a && b5 > b);
        QVERIFY_THROWS_EXCEPTION(Error, fitUmapCurve(0.1f, 0.0f));
    }

    void qualityMatchesDefinition()
    {
        std::vector<int> labels;
        const FloatArray points = gaussianBlobs(3, 30, 6, 1.5, 8, &labels);
        // A poor projection on purpose: two of the six coordinates.
        FloatArray positions({90, 2});
        for (int i = 0; i < 90; ++i) {
            positions.row(i)[0] = points.row(i)[0];
            positions.row(i)[1] = points.row(i)[3];
        }
        for (int k : {5, 10}) {
            const MapQuality q = mapQuality(points, positions, k, 1000);
            QCOMPARE(q.sampled, int64_t(90));
            QVERIFY2(std::abs(q.trustworthiness - referenceTrustworthiness(points, positions, k)) < 1e-9,
                     qPrintable(QString("%1 vs %2")
                                    .arg(q.trustworthiness)
                                    .arg(referenceTrustworthiness(points, positions, k))));
            QVERIFY(q.trustworthiness < 0.95);
            QVERIFY(q.neighbourPreservation > 0 && q.neighbourPreservation < 0.9);
        }
        // Two-dimensional points mapped to themselves lose nothing.
        FloatArray flat({90, 2});
        for (int i = 0; i < 90; ++i) {
            flat.row(i)[0] = points.row(i)[0];
            flat.row(i)[1] = points.row(i)[1];
        }
        const MapQuality same = mapQuality(flat, flat, 10);
        QCOMPARE(same.trustworthiness, 1.0);
        QCOMPARE(same.neighbourPreservation, 1.0);
        // A sample estimates the whole.
        const MapQuality sampled = mapQuality(points, positions, 10, 45, 3);
        QCOMPARE(sampled.sampled, int64_t(45));
        QVERIFY(std::abs(sampled.trustworthiness - referenceTrustworthiness(points, positions, 10)) < 0.05);
        QVERIFY_THROWS_EXCEPTION(Error, mapQuality(points, positions, 45));
        QVERIFY_THROWS_EXCEPTION(Error, mapQuality(points, FloatArray({89, 2}), 5));
    }

    // The interpolated repulsion against the exact O(N²) sums, on a layout as spread as a late t-SNE one
    // (clumps tens of units apart), and on a tight one (the early iterations, all within a unit).
    void fftRepulsionMatchesExactSums_data()
    {
        QTest::addColumn<double>("spread");
        QTest::newRow("spread out") << 40.0;
        QTest::newRow("tight") << 0.01;
    }

    void fftRepulsionMatchesExactSums()
    {
        QFETCH(double, spread);
        detail::Random rng(7);
        const int n = 1500;
        std::vector<double> y(2 * n);
        for (int i = 0; i < n; ++i) {
            const double cx = spread * double(i % 5), cy = spread * double(i % 3); // 15 clumps
            y[size_t(2 * i)] = cx + spread * 0.2 * rng.normal();
            y[size_t(2 * i + 1)] = cy + spread * 0.2 * rng.normal();
        }
        double exactZ = 0, largest = 0, worst = 0, squares = 0, errorSquares = 0;
        std::vector<double> exact(2 * n, 0.0);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                if (i != j) {
                    const double dx = y[size_t(2 * i)] - y[size_t(2 * j)],
                                 dy = y[size_t(2 * i + 1)] - y[size_t(2 * j + 1)];
                    const double q = 1 / (1 + dx * dx + dy * dy);
                    exactZ += q;
                    exact[size_t(2 * i)] += q * q * dx;
                    exact[size_t(2 * i + 1)] += q * q * dy;
                }
        for (double f : exact)
            largest = std::max(largest, std::abs(f));
        const detail::Repulsion fft = detail::fftRepulsion(y, 2);
        for (size_t i = 0; i < exact.size(); ++i) {
            worst = std::max(worst, std::abs(fft.forces[i] - exact[i]));
            squares += exact[i] * exact[i];
            errorSquares += (fft.forces[i] - exact[i]) * (fft.forces[i] - exact[i]);
        }
        qInfo("spread %.2f: z %.6g exact, %.6g interpolated; force error: largest %.3g of the largest force "
              "%.3g, "
              "root mean square %.3g of %.3g",
              spread, exactZ, fft.z, worst, largest, std::sqrt(errorSquares / double(exact.size())),
              std::sqrt(squares / double(exact.size())));
        // FIt-SNE's grid (boxes of side 1, 3 nodes a side) errs by a few per cent on a layout this sparse (a
        // point's own and nearest terms dominate); 2.2 % in z and 3.9 % in the forces here. A wrong grid
        // errs by 100 %.
        QVERIFY(std::abs(fft.z - exactZ) < 0.03 * exactZ);
        QVERIFY(std::sqrt(errorSquares) < 0.05 * std::sqrt(squares));
        QVERIFY(worst < 0.1 * largest);
        QCOMPARE(detail::fftRepulsion(y, 1).forces, fft.forces); // whatever the threads
        // Degenerate layouts: one point, and every point in one place.
        QCOMPARE(detail::fftRepulsion({1.0, 2.0}, 2).z, 0.0);
        const detail::Repulsion together = detail::fftRepulsion(std::vector<double>(8, 3.0), 2);
        QCOMPARE(together.z, 12.0);
        QCOMPARE(together.forces, std::vector<double>(8, 0.0));
    }

    void projectionsSeparateBlobs_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("pca") << "pca";
        QTest::newRow("tsne") << "tsne";
        QTest::newRow("tsne-fft") << "tsne-fft";
        QTest::newRow("umap") << "umap";
    }

    // "tsne-fft": t-SNE with the FFT-interpolated repulsion, which "auto" keeps for larger sets.
    static MapOptions optionsFor(const QString &method)
    {
        MapOptions options;
        const bool fft = method == "tsne-fft";
        options.method = parseMapMethod(fft ? "tsne" : method.toStdString());
        if (fft)
            options.tsne.repulsion = TsneRepulsion::Fft;
        return options;
    }

    void projectionsSeparateBlobs()
    {
        QFETCH(QString, method);
        const Blobs &b = blobs();
        MapOptions options = optionsFor(method);
        int64_t lastLayoutReport = 0;
        const EmbeddingMap map = computeMap(b.points, options, [&](const MapProgress &p) {
            if (p.phase == "layout")
                lastLayoutReport = p.done;
        });
        QCOMPARE(map.positions.shape, (std::vector<int64_t>{1000, 2}));
        QVERIFY(!map.cancelled);
        for (float v : map.positions.data)
            QVERIFY(std::isfinite(v));
        const MapQuality quality = mapQuality(b.points, map.positions, 10);
        const double same = sameLabelNeighbours(map.positions, b.labels, 10);
        qInfo("%s: trustworthiness %.4f, kNN preservation %.3f, same-blob 2D neighbours %.4f, %.2f s",
              qPrintable(method), quality.trustworthiness, quality.neighbourPreservation, same, map.seconds);
        if (options.method == MapMethod::Pca) {
            QCOMPARE(map.iterations, 0);
            return;
        }
        QVERIFY(quality.trustworthiness > 0.9);
        QVERIFY(same > 0.98);
        QCOMPARE(lastLayoutReport, int64_t(map.iterations));
        QCOMPARE(map.iterations, options.method == MapMethod::Tsne ? 750 : 500);
        if (options.method == MapMethod::Tsne)
            QCOMPARE(map.options.tsne.learningRate, 200.0);
        else
            QVERIFY(std::abs(map.options.umap.a - 1.577f) < 0.01f);
        if (options.method == MapMethod::Tsne)
            QCOMPARE(map.options.tsne.repulsion,
                     method == "tsne-fft" ? TsneRepulsion::Fft : TsneRepulsion::BarnesHut); // 1 000 points
        if (method != "tsne-fft")
            blobMaps()[options.method] = map;
    }

    void projectionsAreDeterministic_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("tsne") << "tsne";
        QTest::newRow("tsne-fft") << "tsne-fft";
        QTest::newRow("umap") << "umap";
    }

    void projectionsAreDeterministic()
    {
        QFETCH(QString, method);
        std::vector<int> labels;
        const FloatArray points = gaussianBlobs(3, 100, 10, 2.0, 9, &labels);
        MapOptions options = optionsFor(method);
        options.tsne.iterations = 300;
        options.umap.epochs = 100;
        options.threads = 1;
        const EmbeddingMap one = computeMap(points, options);
        options.threads = 3;
        const EmbeddingMap three = computeMap(points, options);
        QCOMPARE(one.positions.data, three.positions.data);
        options.seed = 2;
        const EmbeddingMap other = computeMap(points, options);
        if (options.method == MapMethod::Umap)
            QVERIFY(other.positions.data != one.positions.data); // UMAP samples; t-SNE from PCA does not
    }

    void projectionsStopWhenCancelled_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("tsne") << "tsne";
        QTest::newRow("umap") << "umap";
    }

    void projectionsStopWhenCancelled()
    {
        QFETCH(QString, method);
        std::vector<int> labels;
        const FloatArray points = gaussianBlobs(3, 50, 10, 2.0, 9, &labels);
        MapOptions options;
        options.method = parseMapMethod(method.toStdString());
        std::atomic<bool> cancel{false};
        const EmbeddingMap map = computeMap(
            points, options,
            [&](const MapProgress &p) {
                if (p.phase == "layout" && p.done >= 50)
                    cancel = true;
            },
            &cancel);
        QVERIFY(map.cancelled);
        QCOMPARE(map.iterations, 50);
        QCOMPARE(map.positions.shape, (std::vector<int64_t>{150, 2}));
        cancel = true;
        QVERIFY(computeMap(points, options, {}, &cancel).cancelled);
    }

    void mapRefusesBadInput()
    {
        QVERIFY_THROWS_EXCEPTION(Error, computeMap(FloatArray({1, 4})));
        QVERIFY_THROWS_EXCEPTION(Error, parseMapMethod("mds"));
        QCOMPARE(parseMapMethod("t-SNE"), MapMethod::Tsne);
        FloatArray nan({3, 2});
        nan.data[1] = std::nanf("");
        QVERIFY_THROWS_EXCEPTION(Error, computeMap(nan));
    }

    void placementLandsBesideNeighbours_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("refine");
        QTest::newRow("pca") << "pca" << 0;
        QTest::newRow("tsne") << "tsne" << 0;
        QTest::newRow("tsne refined") << "tsne" << 30;
        QTest::newRow("umap") << "umap" << 0;
        QTest::newRow("umap refined") << "umap" << 30;
    }

    void placementLandsBesideNeighbours()
    {
        QFETCH(QString, method);
        QFETCH(int, refine);
        const Blobs &b = blobs();
        const EmbeddingMap &map = blobMap(parseMapMethod(method.toStdString()));

        // Copies of map points moved a little in 50 dimensions, one per blob and a few more.
        detail::Random random(5);
        const std::vector<int64_t> originals = {3, 250, 420, 610, 999, 77, 512};
        FloatArray fresh({int64_t(originals.size()), 50});
        for (size_t r = 0; r < originals.size(); ++r)
            for (int j = 0; j < 50; ++j)
                fresh.row(int64_t(r))[j] = b.points.row(originals[r])[j] + float(0.05 * random.normal());
        PlacementOptions placement;
        placement.refineIterations = refine;
        const FloatArray placed = placePoints(map, b.points, fresh, placement);
        QCOMPARE(placed.shape, (std::vector<int64_t>{int64_t(originals.size()), 2}));
        if (map.method == MapMethod::Pca) {
            QCOMPARE(placed.data, map.pca.project(fresh).data);
            return;
        }
        // Each lands among the points of its blob: its 10 nearest map points in 2D are of that blob, and it
        // is closer to its original than the blob's median point is to the blob's 2D centre.
        for (size_t r = 0; r < originals.size(); ++r) {
            const int blob = b.labels[size_t(originals[r])];
            std::vector<std::pair<float, int64_t>> order;
            double cx = 0, cy = 0;
            for (int64_t j = 0; j < 1000; ++j) {
                const float dx = placed.row(int64_t(r))[0] - map.positions.row(j)[0];
                const float dy = placed.row(int64_t(r))[1] - map.positions.row(j)[1];
                order.push_back({dx * dx + dy * dy, j});
                if (b.labels[size_t(j)] == blob) {
                    cx += map.positions.row(j)[0] / 200.0;
                    cy += map.positions.row(j)[1] / 200.0;
                }
            }
            std::sort(order.begin(), order.end());
            for (int m = 0; m < 10; ++m)
                QCOMPARE(b.labels[size_t(order[size_t(m)].second)], blob);
            std::vector<double> spread;
            for (int64_t j = 0; j < 1000; ++j)
                if (b.labels[size_t(j)] == blob)
                    spread.push_back(std::hypot(map.positions.row(j)[0] - cx, map.positions.row(j)[1] - cy));
            std::nth_element(spread.begin(), spread.begin() + 100, spread.end());
            const double moved = std::hypot(placed.row(int64_t(r))[0] - map.positions.row(originals[r])[0],
                                            placed.row(int64_t(r))[1] - map.positions.row(originals[r])[1]);
            if (map.method == MapMethod::Umap && refine > 0) {
                // UMAP's own refinement (umap-learn's transform: SGD with negative samples) moves a point
                // within its tight cluster, not closer to its original: it has to stay nearer its own
                // cluster's centre than half the way to the next cluster's.
                double nearestOther = std::numeric_limits<double>::infinity();
                for (int other = 0; other < 5; ++other) {
                    if (other == blob)
                        continue;
                    double ox = 0, oy = 0;
                    for (int64_t j = 0; j < 1000; ++j)
                        if (b.labels[size_t(j)] == other) {
                            ox += map.positions.row(j)[0] / 200.0;
                            oy += map.positions.row(j)[1] / 200.0;
                        }
                    nearestOther = std::min(nearestOther, std::hypot(ox - cx, oy - cy));
                }
                const double fromCentre =
                    std::hypot(placed.row(int64_t(r))[0] - cx, placed.row(int64_t(r))[1] - cy);
                QVERIFY2(fromCentre < 0.5 * nearestOther,
                         qPrintable(
                             QString("point %1 placed %2 from its cluster's centre, the next cluster %3 away")
                                 .arg(originals[r])
                                 .arg(fromCentre)
                                 .arg(nearestOther)));
                continue;
            }
            QVERIFY2(moved < spread[100],
                     qPrintable(QString("point %1 placed %2 from its original; blob median radius %3")
                                    .arg(originals[r])
                                    .arg(moved)
                                    .arg(spread[100])));
        }
    }

    // Cluster names in any script: "café" and "κύκλος" are drawn as themselves, not as "caf?" and "??????"
    // (the Hershey font's fallback), which would give the same picture.
    void mapPictureDrawsLabelsInAnyScript()
    {
        if (!mapLabelsDrawUnicode())
            QSKIP("OpenCV's FreeType module or DejaVu Sans (fonts-dejavu-core) is missing here: map labels "
                  "fall back to ASCII");
        QTemporaryDir dir;
        auto draw = [&](const std::string &name, const QString &file) {
            MapPicture picture;
            picture.positions = FloatArray({3, 2}, {0.f, 0.f, 1.f, 1.f, 0.5f, 0.2f});
            picture.clusters = {0, 0, 0};
            picture.clusterNames = {name};
            picture.title = name;
            const QString path = dir.filePath(file);
            writeMapPng(picture, path.toStdString());
            QFile png(path);
            return png.open(QIODevice::ReadOnly) ? png.readAll() : QByteArray();
        };
        const QByteArray question = draw("caf?", "question.png");
        QVERIFY(question.size() > 1000);
        QCOMPARE(draw("caf?", "again.png"), question);
        QVERIFY(draw("café", "accent.png") != question);
        QVERIFY(draw("κύκλος", "greek.png") != draw("??????", "questions.png"));
    }

    void modalityGapAndCentring()
    {
        // Two modalities in two cones around different directions.
        const int d = 32;
        detail::Random random(6);
        FloatArray images({200, d}), texts({100, d});
        for (int i = 0; i < 200; ++i)
            for (int j = 0; j < d; ++j)
                images.row(i)[j] = float((j == 0 ? 3.0 : 0.0) + 0.5 * random.normal());
        for (int i = 0; i < 100; ++i)
            for (int j = 0; j < d; ++j)
                texts.row(i)[j] = float((j == 1 ? 3.0 : 0.0) + 0.5 * random.normal());
        const ModalityGap gap = modalityGap(images, texts);
        QVERIFY2(gap.distance > 1.0 && gap.distance < std::sqrt(2.0),
                 qPrintable(QString::number(gap.distance)));
        QVERIFY(std::abs(gap.cosine) < 0.1);
        const ModalityGap none = modalityGap(images, images);
        QCOMPARE(none.distance, 0.0);
        QVERIFY(std::abs(none.cosine - 1) < 1e-12);
        centreRows(images);
        centreRows(texts);
        for (int i = 0; i < 5; ++i) {
            double norm = 0;
            for (int j = 0; j < d; ++j)
                norm += double(images.row(i)[j]) * images.row(i)[j];
            QVERIFY(std::abs(norm - 1) < 1e-5);
        }
        QVERIFY(modalityGap(images, texts).distance < 0.2 * gap.distance);
        QVERIFY_THROWS_EXCEPTION(Error, modalityGap(images, FloatArray({1, d + 1})));
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingMap)
#include "tst_embeddingmap.moc"
