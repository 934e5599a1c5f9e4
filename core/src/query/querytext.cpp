#include "query/querytext.h"

namespace lodestone {

namespace query {

std::string collapseSpaces(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (const char c : text) {
        if (isSpace(c)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out += ' ';
        pendingSpace = false;
        out += c;
    }
    return out;
}

std::string comparableText(std::string_view text)
{
    std::string out = collapseSpaces(text);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

std::vector<std::string> contentLines(std::string_view text)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        while (!line.empty() && isSpace(line.front()))
            line.remove_prefix(1);
        while (!line.empty() && isSpace(line.back()))
            line.remove_suffix(1);
        if (!line.empty() && line.front() != '#')
            lines.emplace_back(line);
        start = end + 1;
    }
    return lines;
}

float dot(const float *a, const float *b, int64_t n)
{
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; ++j)
            lanes[j] += a[i + j] * b[i + j];
    float sum = 0;
    for (; i < n; ++i)
        sum += a[i] * b[i];
    for (int j = 0; j < 8; ++j)
        sum += lanes[j];
    return sum;
}

} // namespace query

} // namespace lodestone
