#pragma once

// The text cleaning and pre-tokenising of OpenAI CLIP's `simple_tokenizer.py`, as free functions over
// UTF-8. Every function accepts any bytes: invalid UTF-8 is decoded as Python's `errors="replace"` does
// (one U+FFFD per maximal invalid subsequence). All functions are pure and thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace lodestone {

// UTF-8 to code points, invalid sequences replaced by U+FFFD (never throws).
std::u32string decodeUtf8(std::string_view bytes);
// Code points to UTF-8. Surrogates and values above U+10FFFF become U+FFFD.
std::string encodeUtf8(std::u32string_view codePoints);

// Python's `html.unescape` (one level): numeric references with or without ';' (Windows-1252 remapping
// of &#128;..&#159;, U+FFFD for out-of-range values, forbidden code points dropped) and named references,
// including the semicolon-less legacy names and the longest-prefix rule. Named references cover the
// HTML 4 set (Latin-1, symbols and Greek, special characters) plus `&apos;`: a subset of Python's
// 2231-entry HTML5 table; names outside it are left as they are.
std::string unescapeHtml(std::string_view text);

// The part of `ftfy.fix_text` (ftfy 6 defaults) that is a plain character mapping: its own HTML
// unescaping (only while no '<' has been seen), C1 controls read as Windows-1252, Latin ligatures,
// full/half-width forms, curly quotes, line breaks, terminal escapes, control characters, NFC, repeated
// until nothing changes. Not replicated: ftfy's heuristic mojibake repair (`fix_encoding`), so text that
// was decoded with the wrong codec keeps its mojibake.
std::string fixText(std::string_view text);

// `regex.sub(r'\s+', ' ', text).strip()` with `\s` as Python's `regex` module defines it (the Unicode
// White_Space property).
std::string whitespaceClean(std::string_view text);

// Python's `str.lower()`: per code point (utf8proc), plus the two context-free differences of Python's
// full case mapping: U+0130 becomes "i\u0307" and a capital sigma at the end of a word becomes 'ς'.
std::string lowerCase(std::string_view text);

// The reference cleaning: `whitespace_clean(basic_clean(text)).lower()`, with `fixText` in place of
// `ftfy.fix_text`, then `html.unescape` twice.
std::string cleanText(std::string_view text);

// The reference pre-tokenising pattern (flags IGNORECASE)
//   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// as `regex.findall` applies it: the pieces, as views into `text`, in order. Meant for cleaned text.
std::vector<std::string_view> splitWords(std::string_view text);

} // namespace lodestone
