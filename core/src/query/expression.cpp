#include "lodestone/error.h"
#include "lodestone/query.h"
#include "query/querytext.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace lodestone {

namespace {

using query::isSpace;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// A recursive-descent reader of the grammar in query.h:
//   expression := [sign] term (sign term)*        sign := '+' | '-' at the start of a token
//   term       := [number '*'] ( '"' text '"' | 'image:' path | 'photo:' digits | words )
// Messages give 1-based columns counted in characters (UTF-8 code points), as an editor shows them.
class Parser {
public:
    explicit Parser(const std::string &text)
        : m_s(text)
    {}

    std::vector<QueryTerm> parse()
    {
        skipSpaces();
        if (atEnd())
            throw Error("query: the expression is empty");
        std::vector<QueryTerm> terms;
        float sign = 1;
        char op = 0;
        size_t opPos = 0;
        if (m_s[m_pos] == '+' || m_s[m_pos] == '-') {
            op = m_s[m_pos];
            opPos = m_pos++;
            sign = op == '-' ? -1.0f : 1.0f;
        }
        terms.push_back(term(sign, op, opPos));
        for (;;) {
            skipSpaces();
            if (atEnd())
                return terms;
            const char c = m_s[m_pos];
            if (c == '+' || c == '-') {
                opPos = m_pos++;
                terms.push_back(term(c == '-' ? -1.0f : 1.0f, c, opPos));
            } else if (c == '*') {
                fail("unexpected '*' (a weight goes before its term, as in 0.5 * dog)", m_pos);
            } else {
                fail("expected '+' or '-' between terms", m_pos);
            }
        }
    }

private:
    bool atEnd() const { return m_pos >= m_s.size(); }

    bool startsWith(size_t pos, std::string_view prefix) const
    {
        return m_s.compare(pos, prefix.size(), prefix) == 0;
    }

    void skipSpaces()
    {
        while (!atEnd() && isSpace(m_s[m_pos]))
            ++m_pos;
    }

    int column(size_t pos) const
    {
        int column = 1;
        for (size_t i = 0; i < pos && i < m_s.size(); ++i)
            if ((static_cast<unsigned char>(m_s[i]) & 0xc0) != 0x80) // not a UTF-8 continuation byte
                ++column;
        return column;
    }

    [[noreturn]] void fail(const std::string &what, size_t pos) const
    {
        throw Error("query: " + what + " at column " + std::to_string(column(pos)));
    }

    // One term after an operator `op` (0 for the first term without a sign) found at opPos.
    QueryTerm term(float sign, char op, size_t opPos)
    {
        skipSpaces();
        if (atEnd() || m_s[m_pos] == '+' || m_s[m_pos] == '-')
            fail(std::string("expected a term after '") + op + "'", opPos);
        QueryTerm t;
        t.weight = sign;
        if (const std::optional<float> w = weight())
            t.weight *= *w;
        if (m_s[m_pos] == '*')
            fail("unexpected '*' (a weight goes before its term, as in 0.5 * dog)", m_pos);
        const size_t start = m_pos;
        if (m_s[m_pos] == '"') {
            t.kind = QueryTerm::Kind::Text;
            t.value = quoted();
            if (query::collapseSpaces(t.value).empty())
                fail("empty text", start);
        } else if (startsWith(m_pos, "image:")) {
            t.kind = QueryTerm::Kind::Image;
            m_pos += 6;
            if (!atEnd() && m_s[m_pos] == '"') {
                t.value = quoted();
            } else {
                while (!atEnd() && !isSpace(m_s[m_pos]))
                    t.value += m_s[m_pos++];
            }
            if (t.value.empty())
                fail("'image:' without a path", start);
        } else if (startsWith(m_pos, "photo:")) {
            t.kind = QueryTerm::Kind::Photo;
            m_pos += 6;
            std::string id;
            while (!atEnd() && !isSpace(m_s[m_pos]) && m_s[m_pos] != '+' && m_s[m_pos] != '-' &&
                   m_s[m_pos] != '"' && m_s[m_pos] != '*')
                id += m_s[m_pos++];
            if (id.empty())
                fail("'photo:' without an id", start);
            int64_t value = -1;
            const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
            if (!isDigit(id[0]) || ec != std::errc() || end != id.data() + id.size())
                fail("bad photo id '" + id + "' (expected a number, as in photo:42)", start);
            t.value = std::to_string(value);
        } else {
            t.kind = QueryTerm::Kind::Text;
            t.value = words();
        }
        return t;
    }

    // `number *` at the current position: consumes it and returns the number. Anything else (a text that
    // merely starts with digits, such as "3 dogs") is left alone.
    std::optional<float> weight()
    {
        size_t p = m_pos;
        const auto digits = [&] {
            const size_t from = p;
            while (p < m_s.size() && isDigit(m_s[p]))
                ++p;
            return p > from;
        };
        bool any = digits();
        if (p < m_s.size() && m_s[p] == '.') {
            ++p;
            any = digits() || any;
        }
        if (!any)
            return std::nullopt;
        if (p < m_s.size() && (m_s[p] == 'e' || m_s[p] == 'E')) {
            size_t q = p + 1;
            if (q < m_s.size() && (m_s[q] == '+' || m_s[q] == '-'))
                ++q;
            if (q < m_s.size() && isDigit(m_s[q])) {
                p = q;
                digits();
            }
        }
        const size_t numberEnd = p;
        while (p < m_s.size() && isSpace(m_s[p]))
            ++p;
        if (p >= m_s.size() || m_s[p] != '*')
            return std::nullopt;
        double value = 0;
        const auto [end, ec] = std::from_chars(m_s.data() + m_pos, m_s.data() + numberEnd, value);
        if (ec != std::errc() || end != m_s.data() + numberEnd || !std::isfinite(float(value)))
            fail("weight '" + m_s.substr(m_pos, numberEnd - m_pos) + "' is not a finite number", m_pos);
        const size_t starPos = p;
        m_pos = p + 1;
        skipSpaces();
        if (atEnd() || m_s[m_pos] == '+' || m_s[m_pos] == '-')
            fail("expected a term after '*'", starPos);
        return float(value);
    }

    // A double-quoted string at the current position; `\"` and `\\` are escapes, any other backslash is
    // kept as typed (Windows paths).
    std::string quoted()
    {
        const size_t start = m_pos++;
        std::string out;
        while (!atEnd()) {
            const char c = m_s[m_pos++];
            if (c == '"')
                return out;
            if (c == '\\' && !atEnd() && (m_s[m_pos] == '"' || m_s[m_pos] == '\\'))
                out += m_s[m_pos++];
            else
                out += c;
        }
        fail("unterminated quote", start);
    }

    // Bare words up to a '+' or '-' that starts a whitespace-separated token, an `image:` or `photo:` token,
    // a quote or a '*'. Inner white space collapses to single spaces.
    std::string words()
    {
        const size_t start = m_pos;
        size_t end = m_pos;
        size_t p = m_pos;
        while (p < m_s.size()) {
            const char c = m_s[p];
            if (c == '"' || c == '*')
                break;
            if (isSpace(c)) {
                size_t q = p;
                while (q < m_s.size() && isSpace(m_s[q]))
                    ++q;
                if (q == m_s.size() || m_s[q] == '+' || m_s[q] == '-' || startsWith(q, "image:") ||
                    startsWith(q, "photo:"))
                    break;
                p = q;
                continue;
            }
            end = ++p;
        }
        m_pos = end;
        return query::collapseSpaces(std::string_view(m_s).substr(start, end - start));
    }

    const std::string &m_s;
    size_t m_pos = 0;
};

} // namespace

std::vector<QueryTerm> parseQuery(const std::string &expression)
{
    return Parser(expression).parse();
}

std::vector<float> queryVector(const std::vector<QueryTerm> &terms, const Embedder &embedder,
                               const Library *library, const std::string &modelId)
{
    if (terms.empty())
        throw Error("query: no terms");
    const int64_t d = embedder.dim();

    // Texts in one batch, images in another; rows[i] points at term i's vector.
    std::vector<std::string> texts, images;
    for (const QueryTerm &t : terms) {
        if (t.kind == QueryTerm::Kind::Text)
            texts.push_back(t.value);
        else if (t.kind == QueryTerm::Kind::Image)
            images.push_back(t.value);
    }
    const auto checkShape = [d](const FloatArray &rows, size_t n, const char *what) {
        if (rows.rank() != 2 || rows.dim(0) != int64_t(n) || rows.dim(1) != d)
            throw Error(std::string("query: the embedder returned ") + rows.shapeString() + " for " +
                        std::to_string(n) + " " + what + ", expected [" + std::to_string(n) + "," +
                        std::to_string(d) + "]");
    };
    FloatArray textRows, imageRows;
    if (!texts.empty()) {
        try {
            textRows = embedder.embedTexts(texts);
        } catch (...) {
            rethrowWithContext("query: embedding the texts");
        }
        checkShape(textRows, texts.size(), "texts");
    }
    if (!images.empty()) {
        try {
            imageRows = embedder.embedImages(images);
        } catch (...) {
            rethrowWithContext("query: embedding the images");
        }
        checkShape(imageRows, images.size(), "images");
    }

    std::vector<double> sum(size_t(d), 0.0);
    double totalWeight = 0;
    size_t nextText = 0, nextImage = 0;
    std::vector<float> photoVector;
    for (const QueryTerm &t : terms) {
        const float *v = nullptr;
        std::string name;
        switch (t.kind) {
        case QueryTerm::Kind::Text:
            v = textRows.row(int64_t(nextText++));
            name = "\"" + t.value + "\"";
            break;
        case QueryTerm::Kind::Image:
            v = imageRows.row(int64_t(nextImage++));
            name = "image:" + t.value;
            break;
        case QueryTerm::Kind::Photo: {
            name = "photo:" + t.value;
            if (!library)
                throw Error("query: " + name + " needs a library");
            int64_t id = 0;
            const auto [end, ec] = std::from_chars(t.value.data(), t.value.data() + t.value.size(), id);
            if (ec != std::errc() || end != t.value.data() + t.value.size())
                throw Error("query: bad photo id '" + t.value + "'");
            std::optional<std::vector<float>> stored = library->embedding(modelId, id);
            if (!stored) {
                if (!library->photo(id))
                    throw Error("query: " + name + ": no photo " + t.value + " in the library");
                throw Error("query: " + name + ": the photo has no embedding with model " + modelId);
            }
            if (int64_t(stored->size()) != d)
                throw Error("query: " + name + ": its embedding has " + std::to_string(stored->size()) +
                            " dimensions, the embedder " + std::to_string(d));
            photoVector = std::move(*stored);
            v = photoVector.data();
            break;
        }
        }
        double norm = 0;
        for (int64_t j = 0; j < d; ++j)
            norm += double(v[j]) * v[j];
        norm = std::sqrt(norm);
        if (!(norm > 0) || !std::isfinite(norm))
            throw Error("query: " + name + " has no direction (its vector's norm is " + std::to_string(norm) +
                        ")");
        const double scale = double(t.weight) / norm;
        for (int64_t j = 0; j < d; ++j)
            sum[size_t(j)] += scale * v[j];
        totalWeight += std::abs(double(t.weight));
    }

    double norm = 0;
    for (const double x : sum)
        norm += x * x;
    norm = std::sqrt(norm);
    // The terms cancel out (`dog - dog`, all weights 0): no direction to search in.
    if (!(norm > 1e-6 * totalWeight) || norm == 0)
        throw Error("query: the weighted sum of the terms is zero (they cancel out)");
    std::vector<float> out(static_cast<size_t>(d));
    for (size_t j = 0; j < out.size(); ++j)
        out[j] = float(sum[j] / norm);
    return out;
}

} // namespace lodestone
