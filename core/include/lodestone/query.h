#pragma once

#include "lodestone/floatarray.h"
#include "lodestone/library.h"

#include <string>
#include <vector>

namespace lodestone {

class ClipModel;

// What turns texts and images into embedding rows: a ClipModel (ModelEmbedder), or in tests vectors chosen
// by hand. Rows are L2-normalised.
class Embedder {
public:
    virtual ~Embedder() = default;
    virtual int dim() const = 0;
    virtual float logitScale() const = 0; // the factor applied to cosine similarities before a softmax
    virtual FloatArray embedTexts(const std::vector<std::string> &texts) const = 0; // [N, D]
    // Decodes and preprocesses as the model wants; throws Error naming the first file that fails.
    virtual FloatArray embedImages(const std::vector<std::string> &paths) const = 0; // [N, D]
};

class ModelEmbedder final : public Embedder {
public:
    explicit ModelEmbedder(const ClipModel &model)
        : m_model(model)
    {}
    int dim() const override;
    float logitScale() const override;
    FloatArray embedTexts(const std::vector<std::string> &texts) const override;
    FloatArray embedImages(const std::vector<std::string> &paths) const override;

private:
    const ClipModel &m_model;
};

// One term of a query expression: weight * (text | image file | catalogued photo).
struct QueryTerm {
    enum class Kind { Text, Image, Photo };
    Kind kind = Kind::Text;
    float weight = 1;
    std::string value; // the text, the image path, or the photo id in decimal
};

// Parses a weighted sum of texts and images:
//   "golden retriever" + 0.5 * image:/photos/pool.jpg - "fruit"
//   dog - puppy + cat
//   image:"/photos/with spaces.jpg" + 2*photo:42
// A term is an optional number and `*`, then a double-quoted text (backslash escapes `"` and `\`; any other
// backslash is kept, for Windows paths), `image:PATH` (PATH quoted or up to the next space), `photo:ID`, or
// bare words up to the next `+` or `-` that starts a whitespace-separated token (so "t-shirt" and "c++" stay
// words, while `dog - puppy` and `dog -puppy` are two terms). The operator's sign multiplies the weight
// (`dog - 0.5 * cat` weighs cat -0.5); the first term may carry a sign too. Inner white space of bare words
// collapses to one space; quoted texts stay as typed. Throws Error saying what is wrong and where, as a
// 1-based column in characters: "query: expected a term after '+' at column 12".
std::vector<QueryTerm> parseQuery(const std::string &expression);

// The normalised weighted sum of the terms' normalised vectors. `library` and `modelId` resolve photo:
// terms (may be null when there are none). Throws Error when a term cannot be embedded or the sum is zero.
std::vector<float> queryVector(const std::vector<QueryTerm> &terms, const Embedder &embedder,
                               const Library *library = nullptr, const std::string &modelId = {});

// Prompt templates for zero-shot classification: each holds `{}` where the label goes.
std::vector<std::string> defaultPromptTemplates(); // resources/prompts/default.txt, built in
// "default", "none" (no templates: labels used as typed) or a file with one template per line ('#' comments).
// Throws Error for a file that cannot be read or a template without `{}`.
std::vector<std::string> loadPromptTemplates(const std::string &spec);

// One vector per label: the mean of the normalised embeddings of the label in every template (the label
// itself when there are no templates), normalised again. [L, D]. Labels' white space is trimmed and
// collapsed; `{}` is replaced wherever it appears. All texts go to the embedder in one call. Throws Error for
// an empty label or when the embedder fails.
FloatArray labelVectors(const std::vector<std::string> &labels, const std::vector<std::string> &templates,
                        const Embedder &embedder);

// Zero-shot classification of photo embeddings [N, D] (normalised) against label vectors [L, D]: per photo
// the softmax of logitScale * cosine similarity, the best label and its probability, labelIndex -1 when that
// probability is below `threshold` (a probability equal to it keeps the label). Ties go to the first label.
// Photos come out in id order; `templates` is left empty for the caller to record. Throws Error on shape
// mismatches, no labels, or a threshold outside [0, 1].
Classification classify(const FloatArray &photoEmbeddings, const std::vector<int64_t> &photoIds,
                        const std::vector<std::string> &labels, const FloatArray &labelVectors,
                        float logitScale, float threshold);

// The vocabulary probes and map clusters are named from: a few thousand common visual words and phrases,
// resources/vocabulary.txt, built in.
const std::vector<std::string> &defaultVocabulary();

struct TextHit {
    std::string text;
    float score = 0; // cosine similarity
};

// The vocabulary's normalised text vectors for one model [V, D], cached in the library folder
// (cache/vocabulary-<modelId>-<XXH3-64 of the entries, hex>.npy, written atomically) so they are embedded
// once per model. A cache file of another shape or unreadable is embedded again and replaced; a cache that
// cannot be written is skipped. Throws Error when the embedder fails.
FloatArray vocabularyVectors(const Library &library, const std::string &modelId,
                             const std::vector<std::string> &vocabulary, const Embedder &embedder);

// The k rows of `vectors` nearest to `query` (inner product), best first.
std::vector<TextHit> nearestTexts(const std::vector<float> &query, const FloatArray &vectors,
                                  const std::vector<std::string> &texts, int k);

// A vector-arithmetic probe such as `dog - puppy + cat`: its vector (queryVector), the k nearest photos
// (Library::search) and the k nearest texts of defaultVocabulary() (vocabularyVectors, so cached per model).
// Vocabulary entries equal to one of the expression's own texts (case-insensitively, white space trimmed
// and collapsed) are left out of the texts: `dog - puppy + cat` would otherwise mostly answer "cat".
// Throws Error as parseQuery and queryVector do.
struct ProbeResult {
    std::vector<float> vector;
    std::vector<SearchHit> photos;
    std::vector<TextHit> texts;
};
ProbeResult probe(const Library &library, const std::string &modelId, const std::string &expression,
                  const Embedder &embedder, int k);

} // namespace lodestone
