#include "io/fileio.h"
#include "lodestone/error.h"
#include "lodestone/query.h"
#include "query/embeddedtext.h"
#include "query/querytext.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lodestone {

namespace {

// Templates from a file's text: one per line, '#' comments and blank lines skipped, each holding `{}`.
std::vector<std::string> parseTemplates(std::string_view text, const std::string &source)
{
    std::vector<std::string> templates = query::contentLines(text);
    for (const std::string &t : templates)
        if (t.find("{}") == std::string::npos)
            throw Error("prompt templates " + source + ": '" + t + "' has no {} where the label goes");
    if (templates.empty())
        throw Error("prompt templates " + source +
                    ": no templates (use \"none\" to classify labels as typed)");
    return templates;
}

std::string applyTemplate(const std::string &templ, const std::string &label)
{
    std::string out;
    size_t from = 0;
    for (size_t at; (at = templ.find("{}", from)) != std::string::npos; from = at + 2)
        out.append(templ, from, at - from).append(label);
    return out.append(templ, from, std::string::npos);
}

} // namespace

std::vector<std::string> defaultPromptTemplates()
{
    return parseTemplates(embedded::defaultPromptsText(), "(built in)");
}

std::vector<std::string> loadPromptTemplates(const std::string &spec)
{
    if (spec == "default")
        return defaultPromptTemplates();
    if (spec == "none")
        return {};
    std::string text;
    try {
        text = readFileText(spec, /*maxBytes=*/uint64_t(16) << 20);
    } catch (...) {
        rethrowWithContext("prompt templates");
    }
    return parseTemplates(text, "'" + spec + "'");
}

FloatArray labelVectors(const std::vector<std::string> &labels, const std::vector<std::string> &templates,
                        const Embedder &embedder)
{
    const int64_t d = embedder.dim();
    const size_t perLabel = templates.empty() ? 1 : templates.size();
    std::vector<std::string> texts;
    texts.reserve(labels.size() * perLabel);
    for (const std::string &label : labels) {
        const std::string clean = query::collapseSpaces(label);
        if (clean.empty())
            throw Error("classify: empty label");
        if (templates.empty())
            texts.push_back(clean);
        for (const std::string &t : templates)
            texts.push_back(applyTemplate(t, clean));
    }
    FloatArray out({int64_t(labels.size()), d});
    if (labels.empty())
        return out;
    FloatArray rows;
    try {
        rows = embedder.embedTexts(texts);
    } catch (...) {
        rethrowWithContext("classify: embedding the labels");
    }
    if (rows.rank() != 2 || rows.dim(0) != int64_t(texts.size()) || rows.dim(1) != d)
        throw Error("classify: the embedder returned " + rows.shapeString() + " for " +
                    std::to_string(texts.size()) + " texts of dimension " + std::to_string(d));
    normalizeRows(rows); // the contract says normalised; a hand-made embedder may not be exact
    for (size_t l = 0; l < labels.size(); ++l) {
        float *mean = out.row(int64_t(l));
        for (size_t t = 0; t < perLabel; ++t) {
            const float *r = rows.row(int64_t(l * perLabel + t));
            for (int64_t j = 0; j < d; ++j)
                mean[j] += r[j];
        }
        for (int64_t j = 0; j < d; ++j)
            mean[j] /= float(perLabel);
    }
    normalizeRows(out);
    return out;
}

Classification classify(const FloatArray &photoEmbeddings, const std::vector<int64_t> &photoIds,
                        const std::vector<std::string> &labels, const FloatArray &labelVectors,
                        float logitScale, float threshold)
{
    if (labels.empty())
        throw Error("classify: no labels");
    if (labelVectors.rank() != 2 || labelVectors.dim(0) != int64_t(labels.size()))
        throw Error("classify: " + std::to_string(labels.size()) + " labels but label vectors of shape " +
                    labelVectors.shapeString());
    const int64_t d = labelVectors.dim(1);
    if (photoEmbeddings.rank() != 2 || photoEmbeddings.dim(1) != d)
        throw Error("classify: photo embeddings of shape " + photoEmbeddings.shapeString() +
                    " against label vectors of dimension " + std::to_string(d));
    if (photoEmbeddings.dim(0) != int64_t(photoIds.size()))
        throw Error("classify: " + std::to_string(photoEmbeddings.dim(0)) + " photo embeddings but " +
                    std::to_string(photoIds.size()) + " photo ids");
    if (!(threshold >= 0 && threshold <= 1))
        throw Error("classify: threshold " + std::to_string(threshold) + " is not a probability in [0, 1]");
    if (!std::isfinite(logitScale))
        throw Error("classify: the logit scale is not finite");

    Classification result;
    result.labels = labels;
    result.threshold = threshold;
    const size_t n = photoIds.size();
    const size_t numLabels = labels.size();
    // Photos in id order, as Classification promises, whatever order they came in.
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return photoIds[a] < photoIds[b]; });
    result.photos.reserve(n);
    std::vector<double> logits(numLabels);
    for (const size_t i : order) {
        const float *photo = photoEmbeddings.row(int64_t(i));
        double maxLogit = -INFINITY;
        for (size_t l = 0; l < numLabels; ++l) {
            logits[l] = double(logitScale) * query::dot(photo, labelVectors.row(int64_t(l)), d);
            maxLogit = std::max(maxLogit, logits[l]);
        }
        // Softmax shifted by the largest logit: exp never overflows, and the best label's term is 1.
        double total = 0;
        for (double &z : logits) {
            z = std::exp(z - maxLogit);
            total += z;
        }
        PhotoLabel p;
        p.photoId = photoIds[i];
        p.probabilities.resize(numLabels);
        int best = 0;
        for (size_t l = 0; l < numLabels; ++l) {
            p.probabilities[l] = float(logits[l] / total);
            if (p.probabilities[l] > p.probabilities[size_t(best)])
                best = int(l);
        }
        p.probability = p.probabilities[size_t(best)];
        p.labelIndex = p.probability < threshold ? -1 : best;
        result.photos.push_back(std::move(p));
    }
    return result;
}

} // namespace lodestone
