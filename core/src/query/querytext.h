#pragma once

// Small helpers the query sources share: text clean-up and dense vector arithmetic on float rows.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lodestone::query {

// ASCII white space, as the query grammar and the text files count it.
inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `text` without leading and trailing ASCII white space, inner runs of white space turned into one space.
std::string collapseSpaces(std::string_view text);
// ASCII lower case (other bytes unchanged), after collapseSpaces: how term texts and vocabulary entries
// are compared.
std::string comparableText(std::string_view text);
// The lines of `text` (LF or CRLF), trimmed, without empty lines and lines starting with '#'.
std::vector<std::string> contentLines(std::string_view text);

// Inner product of two float vectors of length n, summed in eight independent lanes (vectorisable).
float dot(const float *a, const float *b, int64_t n);

} // namespace lodestone::query
