#include "lodestone/error.h"
#include "lodestone/query.h"
#include "query/querytext.h"

#include <algorithm>
#include <set>

namespace lodestone {

ProbeResult probe(const Library &library, const std::string &modelId, const std::string &expression,
                  const Embedder &embedder, int k)
{
    const std::vector<QueryTerm> terms = parseQuery(expression);
    ProbeResult result;
    result.vector = queryVector(terms, embedder, &library, modelId);
    result.photos = library.search(modelId, result.vector, k);

    // The expression's own texts are left out of the nearest texts: `dog - puppy + cat` lands near "cat",
    // and saying so teaches nothing. Compared case-insensitively, white space trimmed and collapsed.
    std::set<std::string> ownTexts;
    for (const QueryTerm &t : terms)
        if (t.kind == QueryTerm::Kind::Text)
            ownTexts.insert(query::comparableText(t.value));
    const std::vector<std::string> &vocabulary = defaultVocabulary();
    const FloatArray vectors = vocabularyVectors(library, modelId, vocabulary, embedder);
    const int wanted = std::max(k, 0);
    const int64_t asked =
        std::min<int64_t>(int64_t(wanted) + int64_t(ownTexts.size()), int64_t(vocabulary.size()));
    std::vector<TextHit> hits = nearestTexts(result.vector, vectors, vocabulary, int(asked));
    for (TextHit &hit : hits) {
        if (int(result.texts.size()) == wanted)
            break;
        if (!ownTexts.count(query::comparableText(hit.text)))
            result.texts.push_back(std::move(hit));
    }
    return result;
}

} // namespace lodestone
