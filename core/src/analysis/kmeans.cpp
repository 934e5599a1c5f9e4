#include "lodestone/embeddingmap.h"

#include "analysis/linalg.h"
#include "analysis/parallel.h"
#include "analysis/random.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lodestone {

namespace {

constexpr int64_t kAssignGrain = 256; // points per task when assigning
constexpr int64_t kUpdateGrain = 32;  // dimensions per task when recomputing centroids

struct Run {
    FloatArray centroids;
    std::vector<int> assignment;
    std::vector<float> distances; // squared, of each point to its centroid
    double inertia = std::numeric_limits<double>::infinity();
    int iterations = 0;
};

// Nearest centroid of each point (ties to the lower index) and the inertia, summed per chunk in order.
double assign(const FloatArray &points, const std::vector<float> &norms, const FloatArray &centroids,
              std::vector<int> &assignment, std::vector<float> &distances, int threads)
{
    const int64_t n = points.dim(0), d = points.dim(1), k = centroids.dim(0);
    const std::vector<float> centroidNorms = detail::squaredNorms(centroids);
    const int64_t chunks = (n + kAssignGrain - 1) / kAssignGrain;
    std::vector<double> partial(size_t(chunks), 0.0);
    detail::parallelFor(n, kAssignGrain, threads, [&](int64_t begin, int64_t end) {
        std::vector<float> dots(size_t((end - begin) * k));
        detail::dotProducts(points.row(begin), end - begin, centroids.data.data(), k, d, dots.data());
        double sum = 0;
        for (int64_t i = begin; i < end; ++i) {
            int best = 0;
            float bestDistance = std::numeric_limits<float>::infinity();
            for (int64_t c = 0; c < k; ++c) {
                const float dist =
                    norms[size_t(i)] + centroidNorms[size_t(c)] - 2 * dots[size_t((i - begin) * k + c)];
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = int(c);
                }
            }
            assignment[size_t(i)] = best;
            distances[size_t(i)] = std::max(0.0f, bestDistance);
            sum += distances[size_t(i)];
        }
        partial[size_t(begin / kAssignGrain)] = sum;
    });
    double inertia = 0;
    for (double p : partial)
        inertia += p;
    return inertia;
}

// Means of the assigned points, summed in point order per block of dimensions. Empty clusters take the
// points farthest from their centroids.
void updateCentroids(const FloatArray &points, const std::vector<int> &assignment,
                     const std::vector<float> &distances, FloatArray &centroids, int threads)
{
    const int64_t n = points.dim(0), d = points.dim(1), k = centroids.dim(0);
    std::vector<int64_t> counts(size_t(k), 0);
    for (int64_t i = 0; i < n; ++i)
        ++counts[size_t(assignment[size_t(i)])];
    detail::parallelFor(d, kUpdateGrain, threads, [&](int64_t j0, int64_t j1) {
        std::vector<double> sums(size_t(k * (j1 - j0)), 0.0);
        for (int64_t i = 0; i < n; ++i) {
            const float *p = points.row(i);
            double *s = &sums[size_t(assignment[size_t(i)] * (j1 - j0))];
            for (int64_t j = j0; j < j1; ++j)
                s[j - j0] += p[j];
        }
        for (int64_t c = 0; c < k; ++c)
            if (counts[size_t(c)] > 0)
                for (int64_t j = j0; j < j1; ++j)
                    centroids.row(c)[j] =
                        float(sums[size_t(c * (j1 - j0) + (j - j0))] / double(counts[size_t(c)]));
    });
    std::vector<int64_t> farthest;
    for (int64_t c = 0; c < k; ++c) {
        if (counts[size_t(c)] > 0)
            continue;
        if (farthest.empty()) {
            farthest.resize(size_t(n));
            for (int64_t i = 0; i < n; ++i)
                farthest[size_t(i)] = i;
            std::stable_sort(farthest.begin(), farthest.end(), [&](int64_t a, int64_t b) {
                return distances[size_t(a)] > distances[size_t(b)];
            });
        }
        const int64_t donor = farthest[size_t(c % n)];
        std::copy_n(points.row(donor), d, centroids.row(c));
    }
}

// Greedy k-means++ (as scikit-learn seeds): each new centre is the best of 2 + ln K candidates drawn with
// probability proportional to the squared distance to the nearest centre chosen so far.
FloatArray seedPlusPlus(const FloatArray &points, const std::vector<float> &norms, int k, uint64_t seed)
{
    const int64_t n = points.dim(0), d = points.dim(1);
    detail::Random random(seed);
    FloatArray centres({k, d});
    const int trials = 2 + int(std::log(double(k)));
    std::vector<float> closest(static_cast<size_t>(n)), candidateDistances(static_cast<size_t>(n)),
        bestDistances(static_cast<size_t>(n)), dots(static_cast<size_t>(n));
    auto distancesTo = [&](int64_t c, std::vector<float> &out) {
        detail::dotProducts(points.row(c), 1, points.data.data(), n, d, dots.data());
        for (int64_t i = 0; i < n; ++i)
            out[size_t(i)] = std::max(0.0f, norms[size_t(c)] + norms[size_t(i)] - 2 * dots[size_t(i)]);
    };
    int64_t first = int64_t(random.below(uint64_t(n)));
    std::copy_n(points.row(first), d, centres.row(0));
    distancesTo(first, closest);
    for (int c = 1; c < k; ++c) {
        double potential = 0;
        for (float v : closest)
            potential += v;
        int64_t best = -1;
        double bestPotential = std::numeric_limits<double>::infinity();
        for (int t = 0; t < trials; ++t) {
            int64_t candidate = n - 1;
            if (potential > 0) {
                double target = random.uniform() * potential;
                for (int64_t i = 0; i < n; ++i) {
                    target -= closest[size_t(i)];
                    if (target < 0) {
                        candidate = i;
                        break;
                    }
                }
            } else {
                candidate = int64_t(random.below(uint64_t(n)));
            }
            distancesTo(candidate, candidateDistances);
            double candidatePotential = 0;
            for (int64_t i = 0; i < n; ++i)
                candidatePotential += std::min(closest[size_t(i)], candidateDistances[size_t(i)]);
            if (candidatePotential < bestPotential) {
                bestPotential = candidatePotential;
                best = candidate;
                for (int64_t i = 0; i < n; ++i)
                    bestDistances[size_t(i)] = std::min(closest[size_t(i)], candidateDistances[size_t(i)]);
            }
        }
        std::copy_n(points.row(best), d, centres.row(c));
        closest.swap(bestDistances);
    }
    return centres;
}

Run lloyd(const FloatArray &points, const std::vector<float> &norms, FloatArray centroids,
          const KMeansOptions &options, int threads, const std::atomic<bool> *cancel)
{
    const int64_t n = points.dim(0);
    Run run;
    run.centroids = std::move(centroids);
    run.assignment.assign(size_t(n), -1);
    run.distances.assign(size_t(n), 0.0f);
    std::vector<int> previous;
    double previousInertia = std::numeric_limits<double>::infinity();
    bool consistent = false; // the assignment is the nearest-centroid one for the current centroids
    for (int it = 0; it < options.maxIterations; ++it) {
        if (cancel && *cancel)
            break;
        previous = run.assignment;
        run.inertia = assign(points, norms, run.centroids, run.assignment, run.distances, threads);
        run.iterations = it + 1;
        consistent = true;
        if (run.assignment == previous ||
            (std::isfinite(previousInertia) &&
             previousInertia - run.inertia <= options.tolerance * previousInertia))
            break;
        previousInertia = run.inertia;
        updateCentroids(points, run.assignment, run.distances, run.centroids, threads);
        consistent = false;
    }
    if (!consistent)
        run.inertia = assign(points, norms, run.centroids, run.assignment, run.distances, threads);
    return run;
}

// Euclidean distances among the rows of `points` [M, D], [M, M].
std::vector<float> pairwiseDistances(const FloatArray &points, int threads)
{
    const int64_t m = points.dim(0), d = points.dim(1);
    const std::vector<float> norms = detail::squaredNorms(points);
    std::vector<float> out(size_t(m * m));
    detail::parallelFor(m, 64, threads, [&](int64_t begin, int64_t end) {
        detail::dotProducts(points.row(begin), end - begin, points.data.data(), m, d,
                            &out[size_t(begin * m)]);
        for (int64_t i = begin; i < end; ++i)
            for (int64_t j = 0; j < m; ++j) {
                float &v = out[size_t(i * m + j)];
                v = i == j ? 0.0f : std::sqrt(std::max(0.0f, norms[size_t(i)] + norms[size_t(j)] - 2 * v));
            }
    });
    return out;
}

double silhouetteFromDistances(const std::vector<float> &distances, const std::vector<int> &labels)
{
    const int64_t m = int64_t(labels.size());
    int k = 0;
    for (int l : labels)
        k = std::max(k, l + 1);
    std::vector<int64_t> sizes(size_t(k), 0);
    for (int l : labels)
        ++sizes[size_t(l)];
    int present = 0;
    for (int64_t s : sizes)
        present += s > 0;
    if (present < 2)
        return 0;
    double total = 0;
    std::vector<double> sums(static_cast<size_t>(k));
    for (int64_t i = 0; i < m; ++i) {
        const int own = labels[size_t(i)];
        if (sizes[size_t(own)] <= 1)
            continue; // a singleton's silhouette is 0
        std::fill(sums.begin(), sums.end(), 0.0);
        for (int64_t j = 0; j < m; ++j)
            sums[size_t(labels[size_t(j)])] += distances[size_t(i * m + j)];
        const double a = sums[size_t(own)] / double(sizes[size_t(own)] - 1);
        double b = std::numeric_limits<double>::infinity();
        for (int c = 0; c < k; ++c)
            if (c != own && sizes[size_t(c)] > 0)
                b = std::min(b, sums[size_t(c)] / double(sizes[size_t(c)]));
        const double denominator = std::max(a, b);
        total += denominator > 0 ? (b - a) / denominator : 0.0;
    }
    return total / double(m);
}

void checkPoints(const FloatArray &points, const char *what)
{
    if (points.rank() != 2 || points.dim(0) < 1 || points.dim(1) < 1)
        throw Error(std::string(what) + ": expected a non-empty [N, D] array, got " + points.shapeString());
}

} // namespace

double silhouetteScore(const FloatArray &points, const std::vector<int> &assignment, int64_t sampleSize,
                       uint64_t seed, int threads)
{
    checkPoints(points, "silhouette");
    if (int64_t(assignment.size()) != points.dim(0))
        throw Error("silhouette: " + std::to_string(assignment.size()) + " cluster labels for " +
                    std::to_string(points.dim(0)) + " points");
    for (int label : assignment)
        if (label < 0)
            throw Error("silhouette: negative cluster label " + std::to_string(label));
    const std::vector<int64_t> sample = detail::sampleIndices(points.dim(0), sampleSize, seed);
    std::vector<int> labels;
    for (int64_t i : sample)
        labels.push_back(assignment[size_t(i)]);
    return silhouetteFromDistances(pairwiseDistances(detail::gatherRows(points, sample), threads), labels);
}

KMeansResult kmeans(const FloatArray &points, const KMeansOptions &options,
                    const MapProgressCallback &progress, const std::atomic<bool> *cancel)
{
    checkPoints(points, "k-means");
    const int64_t n = points.dim(0);
    const int threads = detail::resolveThreads(options.threads);
    if (options.clusters > n)
        throw Error("k-means: " + std::to_string(options.clusters) + " clusters asked of " +
                    std::to_string(n) + " points");
    if (options.clusters < 0 || options.minClusters < 1 || options.maxIterations < 1 || options.restarts < 1)
        throw Error("k-means: invalid options");

    std::vector<int> candidatesK;
    if (options.clusters > 0) {
        candidatesK.push_back(options.clusters);
    } else {
        const int upper = int(std::min<int64_t>(options.maxClusters, int64_t(std::sqrt(double(n)))));
        for (int k = options.minClusters; k <= upper; ++k)
            candidatesK.push_back(k);
        if (candidatesK.empty())
            candidatesK.push_back(int(std::min<int64_t>(options.minClusters, n)));
    }

    // Seeding, restarts and the choice of K on a sample; the silhouette on a subset of it.
    const std::vector<int64_t> sampleRows = detail::sampleIndices(n, options.sampleSize, options.seed);
    const bool sampled = int64_t(sampleRows.size()) < n;
    const FloatArray sample = sampled ? detail::gatherRows(points, sampleRows) : FloatArray();
    const FloatArray &fitPoints = sampled ? sample : points;
    const std::vector<float> fitNorms = detail::squaredNorms(fitPoints);
    const std::vector<int64_t> silhouetteRows =
        detail::sampleIndices(fitPoints.dim(0), options.silhouetteSample, options.seed + 1);
    const bool needSilhouette = candidatesK.size() > 1 || candidatesK[0] > 1;
    const std::vector<float> silhouetteDistances =
        needSilhouette ? pairwiseDistances(detail::gatherRows(fitPoints, silhouetteRows), threads)
                       : std::vector<float>();
    auto silhouetteOf = [&](const std::vector<int> &assignment, const std::vector<int64_t> &rows) {
        if (!needSilhouette)
            return 0.0;
        std::vector<int> labels;
        for (int64_t i : rows)
            labels.push_back(assignment[size_t(i)]);
        return silhouetteFromDistances(silhouetteDistances, labels);
    };

    KMeansResult result;
    const int64_t totalRuns = int64_t(candidatesK.size()) * options.restarts + (sampled ? 1 : 0);
    int64_t runsDone = 0;
    auto report = [&] {
        if (progress)
            progress({"clusters", runsDone, totalRuns});
    };
    report();
    Run chosen;
    double chosenSilhouette = -std::numeric_limits<double>::infinity();
    for (int k : candidatesK) {
        Run best;
        for (int r = 0; r < options.restarts; ++r) {
            if (cancel && *cancel)
                break;
            const uint64_t seed = options.seed * 1000003ULL + uint64_t(k) * 101ULL + uint64_t(r);
            Run run = lloyd(fitPoints, fitNorms, seedPlusPlus(fitPoints, fitNorms, k, seed), options, threads,
                            cancel);
            if (run.inertia < best.inertia)
                best = std::move(run);
            ++runsDone;
            report();
        }
        if (best.assignment.empty())
            break; // cancelled before any run
        const double silhouette = silhouetteOf(best.assignment, silhouetteRows);
        result.candidates.push_back({k, silhouette});
        if (silhouette > chosenSilhouette) {
            chosenSilhouette = silhouette;
            chosen = std::move(best);
        }
    }
    result.cancelled = cancel && *cancel;
    if (chosen.assignment.empty())
        return result;

    if (sampled) {
        const std::vector<float> norms = detail::squaredNorms(points);
        chosen = lloyd(points, norms, std::move(chosen.centroids), options, threads, cancel);
        ++runsDone;
        report();
        std::vector<int64_t> rows;
        for (int64_t i : silhouetteRows)
            rows.push_back(sampleRows[size_t(i)]);
        std::vector<int> labels;
        result.silhouette = 0;
        if (needSilhouette) {
            for (int64_t i : rows)
                labels.push_back(chosen.assignment[size_t(i)]);
            result.silhouette = silhouetteFromDistances(silhouetteDistances, labels);
        }
    } else {
        result.silhouette = silhouetteOf(chosen.assignment, silhouetteRows);
    }
    result.cancelled = cancel && *cancel;
    const int64_t k = chosen.centroids.dim(0);
    result.sizes.assign(size_t(k), 0);
    for (int c : chosen.assignment)
        ++result.sizes[size_t(c)];
    result.centroids = std::move(chosen.centroids);
    result.assignment = std::move(chosen.assignment);
    result.inertia = chosen.inertia;
    result.iterations = chosen.iterations;
    return result;
}

} // namespace lodestone
