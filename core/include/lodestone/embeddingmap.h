#pragma once

// The embedding map: 2D projections of embeddings (PCA, t-SNE, UMAP), clusters (k-means++) and their
// names, new points placed into an existing map, the quality of a projection and the modality gap, and
// the picture of a map. Plain value types only; every function is synchronous and safe to call from any
// thread on its own arguments. Long computations take a progress callback (called on the calling thread)
// and a cancel flag that they check between iterations: when it is set they return what they have, marked
// `cancelled`, rather than throwing.
//
// Points are rows of a [N, D] FloatArray; distances between them are Euclidean (for L2-normalised
// embeddings, a monotone function of cosine similarity). Positions are [N, 2] rows (x, y).
// Everything is deterministic for a given seed and input, whatever the number of threads (on one machine:
// CPUs with and without AVX2 round some sums differently).

#include "lodestone/floatarray.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lodestone {

struct MapProgress {
    std::string phase; // "neighbours", "affinities", "layout", "clusters"
    int64_t done = 0;  // steps of this phase finished
    int64_t total = 0; // steps in this phase
};
using MapProgressCallback = std::function<void(const MapProgress &)>;

// ---------------------------------------------------------------------------------------------------------
// PCA

// An exact principal component analysis: the eigenvectors of the covariance matrix (computed in double
// precision, decomposed by Householder tridiagonalisation and the implicit QL method).
struct Pca {
    std::vector<float> mean; // [D]
    // [C, D]: orthonormal rows, by decreasing variance. Sign convention: each row's coefficient of largest
    // magnitude (the first such, by index) is positive.
    FloatArray components;
    std::vector<double> variances; // [C]: variance along each component (covariance eigenvalue, divisor N-1)
    double totalVariance = 0;      // trace of the covariance matrix

    // Coordinates of `points` [M, D] along the components: (points - mean) · componentsᵀ, [M, C].
    // Throws Error when D differs from the fitted dimension.
    FloatArray project(const FloatArray &points) const;
};

// Fits the first `components` principal components of `points` [N, D] (N >= 2, 1 <= components <= D).
// Costs N·D²/2 multiply-adds for the covariance plus O(D³) for the decomposition. Throws Error on bad shapes.
Pca fitPca(const FloatArray &points, int components = 2, int threads = 0);

// ---------------------------------------------------------------------------------------------------------
// Clusters

struct KMeansOptions {
    // Number of clusters; 0 chooses it: the K in [minClusters, min(maxClusters, sqrt(N))] whose clustering
    // of a sample has the best silhouette.
    int clusters = 0;
    int minClusters = 2;
    int maxClusters = 20;
    int maxIterations = 100;   // Lloyd iterations per run
    int restarts = 3;          // k-means++ seedings per K (on the sample); the lowest inertia wins
    double tolerance = 1e-6;   // stop when the inertia improves by less than this fraction
    int64_t sampleSize = 5000; // N above this: seeding, restarts and the choice of K use this many points
    int64_t silhouetteSample = 2000; // points the silhouette is computed on (a subset of the sample)
    uint64_t seed = 1;
    int threads = 0; // 0: one per core
};

struct KMeansResult {
    FloatArray centroids;        // [K, D]
    std::vector<int> assignment; // [N], cluster of each point
    std::vector<int64_t> sizes;  // [K]
    double inertia = 0;          // sum of squared distances of points to their centroid
    int iterations = 0;          // Lloyd iterations of the final run on all points
    double silhouette = 0;       // of the final clustering, on the silhouette sample (0 when K == 1)
    std::vector<std::pair<int, double>> candidates; // automatic K: (K, silhouette) of each K tried
    bool cancelled = false;
};

// k-means++ seeding then Lloyd iterations. Deterministic for a seed. An empty cluster is re-seeded with
// the point farthest from its centroid. Throws Error for K > N or bad shapes.
KMeansResult kmeans(const FloatArray &points, const KMeansOptions &options = {},
                    const MapProgressCallback &progress = {}, const std::atomic<bool> *cancel = nullptr);

// Mean silhouette coefficient of a clustering, computed on (at most) `sampleSize` points drawn with `seed`
// and the distances among them. In [-1, 1]; 0 when fewer than two clusters occur in the sample.
double silhouetteScore(const FloatArray &points, const std::vector<int> &assignment,
                       int64_t sampleSize = 2000, uint64_t seed = 1, int threads = 0);

struct ClusterName {
    std::string text;
    float score = 0; // cosine similarity between the text's vector and what distinguishes the cluster
};

// Names each cluster by the `count` texts whose vectors [T, D] (normalised here) are most similar to the
// normalised difference between the cluster's mean and the mean of all points, best first. A cluster whose
// mean equals the overall mean (a single cluster) is named by its mean direction instead. Clusters without
// points get no names. Result: [clusters][<= count]. Throws Error on mismatched shapes.
std::vector<std::vector<ClusterName>> nameClusters(const FloatArray &points,
                                                   const std::vector<int> &assignment, int clusters,
                                                   const FloatArray &textVectors,
                                                   const std::vector<std::string> &texts, int count = 3);

// ---------------------------------------------------------------------------------------------------------
// Projections

// How t-SNE computes the repulsion of every point by all others in each iteration.
enum class TsneRepulsion {
    Auto,      // Barnes–Hut below kTsneFftFrom points, FFT interpolation from there
    BarnesHut, // a quadtree, O(N log N): exact enough and cheapest for small sets
    Fft,       // polynomial interpolation on a grid, convolved by FFT (FIt-SNE), O(N): large sets
};
// Where the FFT's grid, whose cost follows the layout's extent, gets cheaper than the quadtree: measured on
// 2 cores between 30 000 points (Barnes–Hut 19.5 s of layout, FFT 25.0 s) and 70 000 (53.6 s, 38.2 s).
constexpr int64_t kTsneFftFrom = 40000;

struct TsneOptions {
    double perplexity = 30; // lowered to (N-1)/3 for small N
    int iterations = 750;   // in all, early exaggeration included (openTSNE's 250 + 500)
    int exaggerationIterations = 250;
    double earlyExaggeration = 12;
    double exaggeration = 1; // after the early phase
    double learningRate = 0; // 0: max(N / earlyExaggeration, 200)
    double theta = 0.5;      // Barnes–Hut opening angle (cell side / distance): larger is faster, coarser
    TsneRepulsion repulsion = TsneRepulsion::Auto; // resolved to BarnesHut or Fft in the map made
};

struct UmapOptions {
    int neighbours = 15; // the point itself included, as umap-learn counts
    float minDist = 0.1f;
    float spread = 1.0f;
    float a = 0, b = 0; // the low-dimensional curve 1/(1 + a·d^(2b)); 0: fitted to minDist and spread
    int epochs = 0;     // 0: 500 for N <= 10 000, else 200
    float learningRate = 1;
    int negativeSampleRate = 5;
    float repulsionStrength = 1;
};

// Fits (a, b) of 1/(1 + a·d^(2b)) to the curve that is 1 up to minDist and exp(-(d - minDist) / spread)
// beyond, by least squares on 300 points in [0, 3·spread] (as umap-learn does). minDist 0.1, spread 1 gives
// a ≈ 1.577, b ≈ 0.895.
std::pair<float, float> fitUmapCurve(float minDist, float spread);

enum class MapMethod { Pca, Tsne, Umap };
// "pca", "tsne" (or "t-sne"), "umap"; throws Error for anything else.
MapMethod parseMapMethod(const std::string &name);
std::string mapMethodName(MapMethod method);
// "auto", "bh" (or "barnes-hut"), "fft"; throws Error for anything else.
TsneRepulsion parseTsneRepulsion(const std::string &name);
std::string tsneRepulsionName(TsneRepulsion repulsion);

struct MapOptions {
    MapMethod method = MapMethod::Umap;
    uint64_t seed = 1; // the approximate neighbour graph (large N) and UMAP's sampling
    int threads = 0;   // 0: one per core. UMAP's SGD layout runs on one thread (so that it is deterministic)
    TsneOptions tsne;
    UmapOptions umap;
};

// A 2D map of [N, D] points: what computeMap returns and what placePoints needs besides the points.
struct EmbeddingMap {
    MapMethod method = MapMethod::Pca;
    FloatArray positions; // [N, 2]
    // The first two principal components: the map itself for PCA, the initialisation for t-SNE and UMAP.
    Pca pca;
    MapOptions options; // as used: the learning rate, a and b resolved
    int iterations = 0; // optimisation iterations (t-SNE) or epochs (UMAP) run
    bool cancelled = false;
    double seconds = 0;
};

// Projects `points` [N, D] (N >= 2) to 2D with the chosen method.
//  - PCA: the first two principal components.
//  - t-SNE: Barnes–Hut t-SNE (van der Maaten 2014): affinities from the 3·perplexity nearest neighbours,
//    PCA initialisation scaled to standard deviation 1e-4, early exaggeration, momentum 0.5 then 0.8,
//    adaptive gains. Multi-threaded.
//  - UMAP: fuzzy simplicial set of the k-nearest-neighbour graph (smooth kNN distances, fuzzy union), PCA
//    initialisation (not spectral) scaled to [0, 10], SGD with negative sampling as umap-learn does.
// Nearest neighbours are exact up to 8 000 points; beyond, each point's 3k nearest along the first 64
// principal components (brute force up to 40 000 points, an hnswlib graph built on one thread beyond) are
// re-ranked by their exact distances (recall ≥ 0.97 on the benchmark's clustered data).
// When cancelled, the positions are those reached so far. Throws Error on bad shapes or options.
EmbeddingMap computeMap(const FloatArray &points, const MapOptions &options = {},
                        const MapProgressCallback &progress = {}, const std::atomic<bool> *cancel = nullptr);

struct PlacementOptions {
    int neighbours = 10;      // map points whose positions are averaged
    int refineIterations = 0; // t-SNE and UMAP: optimisation steps of the new points with the map fixed
    int threads = 0;
};

// Places new points [M, D] into `map`, computed from `mapPoints` [N, D] (the same rows, unchanged), without
// moving the map. PCA: the exact projection. t-SNE and UMAP: the average of the positions of the new
// point's nearest map points in D dimensions, weighted by the method's affinities (t-SNE: Gaussian
// calibrated to a perplexity of neighbours/3; UMAP: fuzzy memberships), then, when asked, refineIterations
// steps of the method's own objective with the map fixed (t-SNE: gradient steps on the point's KL divergence,
// repulsion through the map's Barnes–Hut tree; UMAP: umap-learn's transform, SGD with negative samples at a
// quarter of the learning rate). Returns [M, 2]. Throws Error on bad shapes.
FloatArray placePoints(const EmbeddingMap &map, const FloatArray &mapPoints, const FloatArray &newPoints,
                       const PlacementOptions &options = {});

// ---------------------------------------------------------------------------------------------------------
// Quality

struct MapQuality {
    int k = 0;
    int64_t sampled = 0;        // points the measures were averaged over
    double trustworthiness = 0; // Venna & Kaski: 1 = no false neighbours in 2D (ranks over all N points)
    double neighbourPreservation = 0; // mean fraction of each point's k nearest neighbours kept in 2D
};

// Both measures for the points [N, D] and their positions [N, 2], averaged over `sampleSize` points drawn
// with `seed` (all of them when N <= sampleSize); costs sampleSize·N·D. Needs k < N/2. Throws Error on
// mismatched shapes.
MapQuality mapQuality(const FloatArray &points, const FloatArray &positions, int k = 10,
                      int64_t sampleSize = 1000, uint64_t seed = 1, int threads = 0);

// ---------------------------------------------------------------------------------------------------------
// The modality gap (Liang et al., 2022): image and text embeddings of a contrastive model lie in two
// separate cones.

struct ModalityGap {
    double distance = 0; // |mean of the normalised image rows - mean of the normalised text rows|
    double cosine = 0;   // cosine similarity of the two means
};
// Throws Error when either array is empty or the dimensions differ.
ModalityGap modalityGap(const FloatArray &images, const FloatArray &texts);

// Subtracts the mean row from every row of `rows` [N, D], then L2-normalises each row: applied to each
// modality separately before mapping images and texts together, it removes the gap.
void centreRows(FloatArray &rows);

// ---------------------------------------------------------------------------------------------------------
// The picture

struct MapPicture {
    FloatArray positions;                  // [N, 2]
    std::vector<int> clusters;             // [N]: colour of each point; -1 draws it grey
    std::vector<std::string> clusterNames; // drawn at the median position of each cluster's points
    struct Marker {
        float x = 0, y = 0;
        std::string text;
    };
    std::vector<Marker> markers; // texts placed in the map, drawn as labelled diamonds
    struct Arrow {
        float fromX = 0, fromY = 0, toX = 0, toY = 0;
        std::string text; // drawn at the head
    };
    std::vector<Arrow> arrows; // probes: from their first term to their result
    std::string title;
    int width = 1600, height = 1200; // pixels
};

// Draws the map with OpenCV and writes it as PNG. Throws Error when it cannot be written.
void writeMapPng(const MapPicture &picture, const std::string &path);
// Whether writeMapPng draws labels in any script its font has: OpenCV's FreeType module and a font
// (LODESTONE_MAP_FONT, else DejaVu Sans from fonts-dejavu-core) were found. Otherwise labels are drawn
// in OpenCV's Hershey font, ASCII only, with '?' for anything else.
bool mapLabelsDrawUnicode();

} // namespace lodestone
