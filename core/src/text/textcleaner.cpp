#include "text/textcleaner.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace lodestone {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// ---------------------------------------------------------------------------------------------------
// UTF-8

// Decodes one code point at `pos` and advances past it. Invalid input yields U+FFFD and skips the maximal
// invalid subsequence, as CPython's UTF-8 decoder with errors="replace" does.
char32_t nextCodePoint(std::string_view bytes, size_t &pos)
{
    const auto byteAt = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
    const uint8_t lead = byteAt(pos);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    int need = 0;
    char32_t cp = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
        cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        cp = lead & 0x0F;
        if (lead == 0xE0)
            lo = 0xA0; // no overlong forms
        else if (lead == 0xED)
            hi = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        cp = lead & 0x07;
        if (lead == 0xF0)
            lo = 0x90;
        else if (lead == 0xF4)
            hi = 0x8F; // nothing above U+10FFFF
    } else {
        ++pos;
        return kReplacement;
    }
    ++pos;
    for (int got = 0; got < need; ++got) {
        if (pos >= bytes.size())
            return kReplacement;
        const uint8_t next = byteAt(pos);
        if (next < lo || next > hi)
            return kReplacement;
        cp = (cp << 6) | (next & 0x3F);
        lo = 0x80;
        hi = 0xBF;
        ++pos;
    }
    return cp;
}

void appendUtf8(std::string &out, char32_t c)
{
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        c = kReplacement;
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

// ---------------------------------------------------------------------------------------------------
// Character classes, derived from utf8proc's Unicode data; the few code points it cannot classify for a
// property are listed where that property is used.

utf8proc_category_t categoryOf(char32_t c)
{
    return utf8proc_category(utf8proc_int32_t(c));
}

bool isLetter(char32_t c)
{
    switch (categoryOf(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return true;
    default:
        return false;
    }
}

bool isNumber(char32_t c)
{
    const utf8proc_category_t cat = categoryOf(c);
    return cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
}

// `\s` of Python's `regex` module: the White_Space property, which is the separators (Z*) plus the
// C0 controls TAB..CR and NEL. (Unlike str.isspace, it excludes U+001C..U+001F.)
bool isRegexSpace(char32_t c)
{
    if ((c >= 0x09 && c <= 0x0D) || c == 0x85)
        return true;
    const utf8proc_category_t cat = categoryOf(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Python's str.isspace (what str.strip() removes): category Zs or bidirectional class WS, B or S.
bool isPythonSpace(char32_t c)
{
    const utf8proc_property_t *p = utf8proc_get_property(utf8proc_int32_t(c));
    return p->category == UTF8PROC_CATEGORY_ZS || p->bidi_class == UTF8PROC_BIDI_CLASS_WS ||
           p->bidi_class == UTF8PROC_BIDI_CLASS_B || p->bidi_class == UTF8PROC_BIDI_CLASS_S;
}

// Under IGNORECASE, `regex` treats a character as a member of [\p{L}] when one of its case variants is
// a letter; the negated class [^\s\p{L}\p{N}] then rejects it (U+0345 COMBINING YPOGEGRAMMENI, whose
// upper case is Ι), although [\p{L}]+ does not accept it either: such a character belongs to no piece.
bool isLetterByCase(char32_t c)
{
    const auto i = utf8proc_int32_t(c);
    return isLetter(char32_t(utf8proc_toupper(i))) || isLetter(char32_t(utf8proc_tolower(i))) ||
           isLetter(char32_t(utf8proc_totitle(i)));
}

// Python's Case_Ignorable: marks, format characters, modifier letters and symbols, and the Word_Break
// classes MidLetter, MidNumLet and Single_Quote (those few are listed here, utf8proc has no word breaks).
bool isCaseIgnorable(char32_t c)
{
    switch (categoryOf(c)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_SK:
        return true;
    default:
        break;
    }
    static constexpr char32_t kWordBreakMids[] = {0x0027, 0x002E, 0x003A, 0x00B7, 0x0387, 0x055F,
                                                  0x05F4, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13,
                                                  0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A};
    return std::find(std::begin(kWordBreakMids), std::end(kWordBreakMids), c) != std::end(kWordBreakMids);
}

// Python's Cased (Lowercase, Uppercase or Titlecase). utf8proc has no Other_Lowercase/Other_Uppercase
// property; a case mapping stands in for it, which leaves out ª, º and the squared and negative circled
// capital letters of U+1F130..U+1F189 (added by hand; checked against Python over all code points).
bool isCased(char32_t c)
{
    switch (categoryOf(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
        return true;
    default:
        break;
    }
    if (c == 0xAA || c == 0xBA || (c >= 0x1F130 && c <= 0x1F149) || (c >= 0x1F150 && c <= 0x1F169) ||
        (c >= 0x1F170 && c <= 0x1F189))
        return true;
    const auto i = utf8proc_int32_t(c);
    return utf8proc_tolower(i) != i || utf8proc_toupper(i) != i || utf8proc_totitle(i) != i;
}

bool isAsciiDigit(char32_t c)
{
    return c >= '0' && c <= '9';
}
bool isAsciiHexDigit(char32_t c)
{
    return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isAsciiAlpha(char32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAsciiAlnum(char32_t c)
{
    return isAsciiDigit(c) || isAsciiAlpha(c);
}

// ---------------------------------------------------------------------------------------------------
// HTML character references

// Windows-1252 for 0x80..0x9F; the five bytes it leaves undefined stay the C1 control (as Python's html
// module and ftfy's "sloppy-windows-1252" both do).
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

struct NamedEntity {
    const char *name;
    char32_t codePoint;
    bool alsoWithoutSemicolon; // one of HTML5's legacy names, recognised without the ';'
};

// The HTML 4 entities (Latin-1, symbols and Greek, special characters) plus &apos; and the upper-case
// legacy aliases, with the values of Python's html.entities.html5 (which differ from HTML 4 for lang and
// rang). A subset of Python's 2231-entry table. Sorted by name (byte order) for binary search.
constexpr NamedEntity kEntities[] = {
    {"AElig", 0x00C6, true},    {"AMP", 0x0026, true},      {"Aacute", 0x00C1, true},
    {"Acirc", 0x00C2, true},    {"Agrave", 0x00C0, true},   {"Alpha", 0x0391, false},
    {"Aring", 0x00C5, true},    {"Atilde", 0x00C3, true},   {"Auml", 0x00C4, true},
    {"Beta", 0x0392, false},    {"COPY", 0x00A9, true},     {"Ccedil", 0x00C7, true},
    {"Chi", 0x03A7, false},     {"Dagger", 0x2021, false},  {"Delta", 0x0394, false},
    {"ETH", 0x00D0, true},      {"Eacute", 0x00C9, true},   {"Ecirc", 0x00CA, true},
    {"Egrave", 0x00C8, true},   {"Epsilon", 0x0395, false}, {"Eta", 0x0397, false},
    {"Euml", 0x00CB, true},     {"GT", 0x003E, true},       {"Gamma", 0x0393, false},
    {"Iacute", 0x00CD, true},   {"Icirc", 0x00CE, true},    {"Igrave", 0x00CC, true},
    {"Iota", 0x0399, false},    {"Iuml", 0x00CF, true},     {"Kappa", 0x039A, false},
    {"LT", 0x003C, true},       {"Lambda", 0x039B, false},  {"Mu", 0x039C, false},
    {"Ntilde", 0x00D1, true},   {"Nu", 0x039D, false},      {"OElig", 0x0152, false},
    {"Oacute", 0x00D3, true},   {"Ocirc", 0x00D4, true},    {"Ograve", 0x00D2, true},
    {"Omega", 0x03A9, false},   {"Omicron", 0x039F, false}, {"Oslash", 0x00D8, true},
    {"Otilde", 0x00D5, true},   {"Ouml", 0x00D6, true},     {"Phi", 0x03A6, false},
    {"Pi", 0x03A0, false},      {"Prime", 0x2033, false},   {"Psi", 0x03A8, false},
    {"QUOT", 0x0022, true},     {"REG", 0x00AE, true},      {"Rho", 0x03A1, false},
    {"Scaron", 0x0160, false},  {"Sigma", 0x03A3, false},   {"THORN", 0x00DE, true},
    {"Tau", 0x03A4, false},     {"Theta", 0x0398, false},   {"Uacute", 0x00DA, true},
    {"Ucirc", 0x00DB, true},    {"Ugrave", 0x00D9, true},   {"Upsilon", 0x03A5, false},
    {"Uuml", 0x00DC, true},     {"Xi", 0x039E, false},      {"Yacute", 0x00DD, true},
    {"Yuml", 0x0178, false},    {"Zeta", 0x0396, false},    {"aacute", 0x00E1, true},
    {"acirc", 0x00E2, true},    {"acute", 0x00B4, true},    {"aelig", 0x00E6, true},
    {"agrave", 0x00E0, true},   {"alefsym", 0x2135, false}, {"alpha", 0x03B1, false},
    {"amp", 0x0026, true},      {"and", 0x2227, false},     {"ang", 0x2220, false},
    {"apos", 0x0027, false},    {"aring", 0x00E5, true},    {"asymp", 0x2248, false},
    {"atilde", 0x00E3, true},   {"auml", 0x00E4, true},     {"bdquo", 0x201E, false},
    {"beta", 0x03B2, false},    {"brvbar", 0x00A6, true},   {"bull", 0x2022, false},
    {"cap", 0x2229, false},     {"ccedil", 0x00E7, true},   {"cedil", 0x00B8, true},
    {"cent", 0x00A2, true},     {"chi", 0x03C7, false},     {"circ", 0x02C6, false},
    {"clubs", 0x2663, false},   {"cong", 0x2245, false},    {"copy", 0x00A9, true},
    {"crarr", 0x21B5, false},   {"cup", 0x222A, false},     {"curren", 0x00A4, true},
    {"dArr", 0x21D3, false},    {"dagger", 0x2020, false},  {"darr", 0x2193, false},
    {"deg", 0x00B0, true},      {"delta", 0x03B4, false},   {"diams", 0x2666, false},
    {"divide", 0x00F7, true},   {"eacute", 0x00E9, true},   {"ecirc", 0x00EA, true},
    {"egrave", 0x00E8, true},   {"empty", 0x2205, false},   {"emsp", 0x2003, false},
    {"ensp", 0x2002, false},    {"epsilon", 0x03B5, false}, {"equiv", 0x2261, false},
    {"eta", 0x03B7, false},     {"eth", 0x00F0, true},      {"euml", 0x00EB, true},
    {"euro", 0x20AC, false},    {"exist", 0x2203, false},   {"fnof", 0x0192, false},
    {"forall", 0x2200, false},  {"frac12", 0x00BD, true},   {"frac14", 0x00BC, true},
    {"frac34", 0x00BE, true},   {"frasl", 0x2044, false},   {"gamma", 0x03B3, false},
    {"ge", 0x2265, false},      {"gt", 0x003E, true},       {"hArr", 0x21D4, false},
    {"harr", 0x2194, false},    {"hearts", 0x2665, false},  {"hellip", 0x2026, false},
    {"iacute", 0x00ED, true},   {"icirc", 0x00EE, true},    {"iexcl", 0x00A1, true},
    {"igrave", 0x00EC, true},   {"image", 0x2111, false},   {"infin", 0x221E, false},
    {"int", 0x222B, false},     {"iota", 0x03B9, false},    {"iquest", 0x00BF, true},
    {"isin", 0x2208, false},    {"iuml", 0x00EF, true},     {"kappa", 0x03BA, false},
    {"lArr", 0x21D0, false},    {"lambda", 0x03BB, false},  {"lang", 0x27E8, false},
    {"laquo", 0x00AB, true},    {"larr", 0x2190, false},    {"lceil", 0x2308, false},
    {"ldquo", 0x201C, false},   {"le", 0x2264, false},      {"lfloor", 0x230A, false},
    {"lowast", 0x2217, false},  {"loz", 0x25CA, false},     {"lrm", 0x200E, false},
    {"lsaquo", 0x2039, false},  {"lsquo", 0x2018, false},   {"lt", 0x003C, true},
    {"macr", 0x00AF, true},     {"mdash", 0x2014, false},   {"micro", 0x00B5, true},
    {"middot", 0x00B7, true},   {"minus", 0x2212, false},   {"mu", 0x03BC, false},
    {"nabla", 0x2207, false},   {"nbsp", 0x00A0, true},     {"ndash", 0x2013, false},
    {"ne", 0x2260, false},      {"ni", 0x220B, false},      {"not", 0x00AC, true},
    {"notin", 0x2209, false},   {"nsub", 0x2284, false},    {"ntilde", 0x00F1, true},
    {"nu", 0x03BD, false},      {"oacute", 0x00F3, true},   {"ocirc", 0x00F4, true},
    {"oelig", 0x0153, false},   {"ograve", 0x00F2, true},   {"oline", 0x203E, false},
    {"omega", 0x03C9, false},   {"omicron", 0x03BF, false}, {"oplus", 0x2295, false},
    {"or", 0x2228, false},      {"ordf", 0x00AA, true},     {"ordm", 0x00BA, true},
    {"oslash", 0x00F8, true},   {"otilde", 0x00F5, true},   {"otimes", 0x2297, false},
    {"ouml", 0x00F6, true},     {"para", 0x00B6, true},     {"part", 0x2202, false},
    {"permil", 0x2030, false},  {"perp", 0x22A5, false},    {"phi", 0x03C6, false},
    {"pi", 0x03C0, false},      {"piv", 0x03D6, false},     {"plusmn", 0x00B1, true},
    {"pound", 0x00A3, true},    {"prime", 0x2032, false},   {"prod", 0x220F, false},
    {"prop", 0x221D, false},    {"psi", 0x03C8, false},     {"quot", 0x0022, true},
    {"rArr", 0x21D2, false},    {"radic", 0x221A, false},   {"rang", 0x27E9, false},
    {"raquo", 0x00BB, true},    {"rarr", 0x2192, false},    {"rceil", 0x2309, false},
    {"rdquo", 0x201D, false},   {"real", 0x211C, false},    {"reg", 0x00AE, true},
    {"rfloor", 0x230B, false},  {"rho", 0x03C1, false},     {"rlm", 0x200F, false},
    {"rsaquo", 0x203A, false},  {"rsquo", 0x2019, false},   {"sbquo", 0x201A, false},
    {"scaron", 0x0161, false},  {"sdot", 0x22C5, false},    {"sect", 0x00A7, true},
    {"shy", 0x00AD, true},      {"sigma", 0x03C3, false},   {"sigmaf", 0x03C2, false},
    {"sim", 0x223C, false},     {"spades", 0x2660, false},  {"sub", 0x2282, false},
    {"sube", 0x2286, false},    {"sum", 0x2211, false},     {"sup", 0x2283, false},
    {"sup1", 0x00B9, true},     {"sup2", 0x00B2, true},     {"sup3", 0x00B3, true},
    {"supe", 0x2287, false},    {"szlig", 0x00DF, true},    {"tau", 0x03C4, false},
    {"there4", 0x2234, false},  {"theta", 0x03B8, false},   {"thetasym", 0x03D1, false},
    {"thinsp", 0x2009, false},  {"thorn", 0x00FE, true},    {"tilde", 0x02DC, false},
    {"times", 0x00D7, true},    {"trade", 0x2122, false},   {"uArr", 0x21D1, false},
    {"uacute", 0x00FA, true},   {"uarr", 0x2191, false},    {"ucirc", 0x00FB, true},
    {"ugrave", 0x00F9, true},   {"uml", 0x00A8, true},      {"upsih", 0x03D2, false},
    {"upsilon", 0x03C5, false}, {"uuml", 0x00FC, true},     {"weierp", 0x2118, false},
    {"xi", 0x03BE, false},      {"yacute", 0x00FD, true},   {"yen", 0x00A5, true},
    {"yuml", 0x00FF, true},     {"zeta", 0x03B6, false},    {"zwj", 0x200D, false},
    {"zwnj", 0x200C, false},
};

// The entity called `name` (code points compared with the ASCII names), or nullptr.
const NamedEntity *findEntity(std::u32string_view name)
{
    if (name.empty() || name.size() > 8)
        return nullptr;
    char ascii[9] = {};
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == 0 || name[i] > 0x7F)
            return nullptr;
        ascii[i] = char(name[i]);
    }
    const auto *end = std::end(kEntities);
    const auto *it =
        std::lower_bound(std::begin(kEntities), end, ascii,
                         [](const NamedEntity &e, const char *n) { return std::strcmp(e.name, n) < 0; });
    return it != end && std::strcmp(it->name, ascii) == 0 ? it : nullptr;
}

// Python's html._replace_charref for a numeric reference; `overflow` when the digits exceed any code point.
void appendNumericReference(std::u32string &out, uint64_t number, bool overflow)
{
    if (!overflow && number == 0x00) {
        out += kReplacement;
        return;
    }
    if (!overflow && number == 0x0D) {
        out += U'\r';
        return;
    }
    if (!overflow && number >= 0x80 && number <= 0x9F) {
        out += char32_t(kWindows1252High[number - 0x80]);
        return;
    }
    if (overflow || number > 0x10FFFF || (number >= 0xD800 && number <= 0xDFFF)) {
        out += kReplacement;
        return;
    }
    // Python's _invalid_codepoints: dropped.
    const bool invalid = (number >= 0x01 && number <= 0x08) || number == 0x0B ||
                         (number >= 0x0E && number <= 0x1F) || (number >= 0x7F && number <= 0x9F) ||
                         (number >= 0xFDD0 && number <= 0xFDEF) || (number & 0xFFFE) == 0xFFFE;
    if (!invalid)
        out += char32_t(number);
}

// Python's html.unescape over code points: the pattern
//   &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)
// replaced as html._replace_charref does.
std::u32string pythonHtmlUnescape(std::u32string_view s)
{
    if (s.find(U'&') == std::u32string_view::npos)
        return std::u32string(s);
    std::u32string out;
    out.reserve(s.size());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        if (s[i] != U'&') {
            out += s[i++];
            continue;
        }
        const size_t start = i + 1;
        if (start < n && s[start] == U'#') {
            const bool hex = start + 1 < n && (s[start + 1] == U'x' || s[start + 1] == U'X');
            size_t k = start + (hex ? 2 : 1);
            const size_t digitsBegin = k;
            uint64_t number = 0;
            bool overflow = false;
            while (k < n && (hex ? isAsciiHexDigit(s[k]) : isAsciiDigit(s[k]))) {
                const char32_t c = s[k];
                const unsigned digit = isAsciiDigit(c) ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10);
                number = number * (hex ? 16 : 10) + digit;
                if (number > 0x10FFFF)
                    overflow = true, number = 0x110000; // keep it bounded; the value no longer matters
                ++k;
            }
            if (k == digitsBegin) { // "&#" or "&#x" without digits: not a reference
                out += s[i++];
                continue;
            }
            if (k < n && s[k] == U';')
                ++k;
            appendNumericReference(out, number, overflow);
            i = k;
            continue;
        }
        size_t k = start;
        while (k < n && k - start < 32) {
            const char32_t c = s[k];
            if (c == U'\t' || c == U'\n' || c == U'\f' || c == U' ' || c == U'<' || c == U'&' || c == U'#' ||
                c == U';')
                break;
            ++k;
        }
        if (k == start) {
            out += s[i++];
            continue;
        }
        const std::u32string_view name = s.substr(start, k - start);
        const bool semicolon = k < n && s[k] == U';';
        const size_t end = semicolon ? k + 1 : k;
        const NamedEntity *whole = findEntity(name);
        if (whole && (semicolon || whole->alsoWithoutSemicolon)) {
            out += whole->codePoint;
            i = end;
            continue;
        }
        // The longest prefix that is a legacy (semicolon-less) name; what follows it stays.
        const std::u32string_view ref = s.substr(start, end - start);
        bool replaced = false;
        for (size_t x = ref.size() - 1; x >= 2; --x) {
            const NamedEntity *e = findEntity(ref.substr(0, x));
            if (e && e->alsoWithoutSemicolon) {
                out += e->codePoint;
                out += ref.substr(x);
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            out += U'&';
            out += ref;
        }
        i = end;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------
// The character-level part of ftfy 6's fix_text

// ftfy.fixes.unescape_html: `&#?[0-9A-Za-z]{1,24};` replaced by ftfy's entity table (HTML5 names with
// their ';', plus upper-cased variants of lower-case names such as &EACUTE; -> É), numeric references
// through html.unescape unless the result still holds a ';'.
std::u32string ftfyUnescapeHtml(std::u32string_view s)
{
    if (s.find(U'&') == std::u32string_view::npos)
        return std::u32string(s);
    std::u32string out;
    out.reserve(s.size());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        if (s[i] != U'&') {
            out += s[i++];
            continue;
        }
        const bool numeric = i + 1 < n && s[i + 1] == U'#';
        const size_t begin = i + (numeric ? 2 : 1);
        size_t k = begin;
        while (k < n && k - begin < 25 && isAsciiAlnum(s[k]))
            ++k;
        if (k == begin || k - begin > 24 || k >= n || s[k] != U';') {
            out += s[i++];
            continue;
        }
        const std::u32string_view entity = s.substr(i, k + 1 - i);
        const std::u32string_view name = s.substr(begin, k - begin);
        i = k + 1;
        if (numeric) {
            const std::u32string decoded = pythonHtmlUnescape(entity);
            out += decoded.find(U';') == std::u32string::npos ? decoded : std::u32string(entity);
            continue;
        }
        if (const NamedEntity *e = findEntity(name)) {
            out += e->codePoint;
            continue;
        }
        // An upper-cased lower-case name, unless html.unescape would read the upper-case spelling itself.
        std::u32string lower(name);
        bool allUpper = true;
        for (char32_t &c : lower) {
            if (c >= 'a' && c <= 'z')
                allUpper = false;
            if (c >= 'A' && c <= 'Z')
                c = c - 'A' + 'a';
        }
        const NamedEntity *e = allUpper ? findEntity(lower) : nullptr;
        if (e && pythonHtmlUnescape(entity) == entity) {
            if (e->codePoint == 0xDF) // Python's full upper-case mapping of ß
                out += U"SS";
            else
                out += char32_t(utf8proc_toupper(utf8proc_int32_t(e->codePoint)));
            continue;
        }
        out += entity;
    }
    return out;
}

// ftfy.fixes.remove_terminal_escapes: `\033\[((?:\d|;)*)([a-zA-Z])` removed (`\d`: any decimal digit).
std::u32string removeTerminalEscapes(std::u32string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == 0x1B && i + 1 < s.size() && s[i + 1] == U'[') {
            size_t k = i + 2;
            while (k < s.size() && (s[k] == U';' || categoryOf(s[k]) == UTF8PROC_CATEGORY_ND))
                ++k;
            if (k < s.size() && isAsciiAlpha(s[k])) {
                i = k + 1;
                continue;
            }
        }
        out += s[i++];
    }
    return out;
}

// ftfy's CONTROL_CHARS.
bool isRemovedControl(char32_t c)
{
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F) ||
           c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

std::u32string utf8procMap(std::u32string_view s, utf8proc_option_t options)
{
    const std::string utf8 = encodeUtf8(s);
    utf8proc_uint8_t *mapped = nullptr;
    const utf8proc_ssize_t len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t *>(utf8.data()),
                                              utf8proc_ssize_t(utf8.size()), &mapped, options);
    if (len < 0) // only on allocation failure: the input is valid UTF-8 by construction
        return std::u32string(s);
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    return decodeUtf8(std::string_view(reinterpret_cast<const char *>(mapped), size_t(len)));
}

std::u32string nfc(std::u32string_view s)
{
    // Nothing below U+0300 changes under NFC or composes with its neighbour.
    if (std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x300; }))
        return std::u32string(s);
    return utf8procMap(s, utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
}

// ftfy's width map: U+3000 to a space, U+FF01..U+FFEF to their NFKC forms (computed once from utf8proc).
const std::array<std::u32string, 0xFFF0 - 0xFF01> &widthMap()
{
    static const std::array<std::u32string, 0xFFF0 - 0xFF01> map = [] {
        std::array<std::u32string, 0xFFF0 - 0xFF01> m;
        for (char32_t c = 0xFF01; c < 0xFFF0; ++c) {
            const std::u32string one(1, c);
            const std::u32string alt =
                utf8procMap(one, utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
            if (alt != one)
                m[c - 0xFF01] = alt;
        }
        return m;
    }();
    return map;
}

// ftfy's LIGATURES (Latin typographic ligatures and legacy digraphs), or an empty view.
std::u32string_view ligature(char32_t c)
{
    struct Ligature {
        char32_t from;
        std::u32string_view to;
    };
    static constexpr Ligature kLigatures[] = {
        {0x0132, U"IJ"},      {0x0133, U"ij"},      {0x0149, U"\u02BCn"}, {0x01C4, U"D\u017D"},
        {0x01C5, U"D\u017E"}, {0x01C6, U"d\u017E"}, {0x01C7, U"LJ"},      {0x01C8, U"Lj"},
        {0x01C9, U"lj"},      {0x01CA, U"NJ"},      {0x01CB, U"Nj"},      {0x01CC, U"nj"},
        {0x01F1, U"DZ"},      {0x01F2, U"Dz"},      {0x01F3, U"dz"},      {0xFB00, U"ff"},
        {0xFB01, U"fi"},      {0xFB02, U"fl"},      {0xFB03, U"ffi"},     {0xFB04, U"ffl"},
        {0xFB05, U"\u017Ft"}, {0xFB06, U"st"},
    };
    if (c < 0x0132 || (c > 0x01F3 && c < 0xFB00) || c > 0xFB06)
        return {};
    for (const Ligature &l : kLigatures) {
        if (l.from == c)
            return l.to;
    }
    return {};
}

// One pass of ftfy's fixers after unescaping, in ftfy's order: fix_c1_controls, fix_latin_ligatures,
// fix_character_width, uncurl_quotes, fix_line_breaks, remove_terminal_escapes, remove_control_chars
// (fix_surrogates has nothing to do on decoded code points). All but the last two map characters one
// by one, so they run as one loop.
std::u32string fixCharacters(std::u32string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    const auto &width = widthMap();
    for (size_t i = 0; i < s.size(); ++i) {
        char32_t c = s[i];
        if (c >= 0x80 && c <= 0x9F)
            c = kWindows1252High[c - 0x80];
        std::u32string_view piece = ligature(c);
        if (piece.empty()) {
            if (c == 0x3000)
                piece = U" ";
            else if (c >= 0xFF01 && c < 0xFFF0 && !width[c - 0xFF01].empty())
                piece = width[c - 0xFF01];
            else
                piece = std::u32string_view(&c, 1);
        }
        for (char32_t p : piece) {
            if (p == 0x02BC || (p >= 0x2018 && p <= 0x201B))
                p = U'\'';
            else if (p >= 0x201C && p <= 0x201F)
                p = U'"';
            if (p == U'\r') {
                if (piece.size() == 1 && i + 1 < s.size() && s[i + 1] == U'\n')
                    ++i; // "\r\n" -> "\n"
                p = U'\n';
            } else if (p == 0x2028 || p == 0x2029 || p == 0x85) {
                p = U'\n';
            }
            out += p;
        }
    }
    std::u32string cleaned = removeTerminalEscapes(out);
    cleaned.erase(std::remove_if(cleaned.begin(), cleaned.end(), isRemovedControl), cleaned.end());
    return cleaned;
}

// Text that none of the fixers would touch: printable ASCII (no '&' when unescaping), TAB and LF.
bool untouchedByFixers(std::u32string_view s, bool unescape)
{
    return std::all_of(s.begin(), s.end(), [unescape](char32_t c) {
        return ((c >= 0x20 && c <= 0x7E) || c == U'\t' || c == U'\n') && !(unescape && c == U'&');
    });
}

// ftfy.fix_and_explain on one segment: the fixers in ftfy's order until nothing changes. ftfy loops
// without bound; 64 rounds only cut short text escaped more than 64 levels deep.
std::u32string fixSegment(std::u32string segment, bool unescape)
{
    if (untouchedByFixers(segment, unescape))
        return segment;
    for (int round = 0; round < 64; ++round) {
        std::u32string text = unescape ? ftfyUnescapeHtml(segment) : segment;
        text = nfc(fixCharacters(text));
        if (text == segment)
            break;
        segment = std::move(text);
    }
    return segment;
}

// ftfy.fix_text: independent segments ending after each '\n' (at most 10^6 code points); its HTML
// unescaping stops for good at the first segment that holds a '<'.
std::u32string fixTextCodePoints(std::u32string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    bool unescape = true;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t brk = s.find(U'\n', pos);
        brk = brk == std::u32string_view::npos ? s.size() : brk + 1;
        brk = std::min(brk, pos + 1000000);
        const std::u32string_view segment = s.substr(pos, brk - pos);
        if (unescape && segment.find(U'<') != std::u32string_view::npos)
            unescape = false;
        out += fixSegment(std::u32string(segment), unescape);
        pos = brk;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------
// Whitespace and case

std::u32string pythonStrip(std::u32string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && isPythonSpace(s[b]))
        ++b;
    while (e > b && isPythonSpace(s[e - 1]))
        --e;
    return std::u32string(s.substr(b, e - b));
}

std::u32string whitespaceCleanCodePoints(std::u32string_view s)
{
    std::u32string collapsed;
    collapsed.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        if (isRegexSpace(s[i])) {
            collapsed += U' ';
            while (i < s.size() && isRegexSpace(s[i]))
                ++i;
        } else {
            collapsed += s[i++];
        }
    }
    return pythonStrip(collapsed);
}

// Python's handle_capital_sigma: Σ is final when a cased letter precedes it and none follows it
// (case-ignorable characters skipped both ways).
bool isFinalSigma(std::u32string_view s, size_t i)
{
    size_t j = i;
    while (j > 0 && isCaseIgnorable(s[j - 1]))
        --j;
    if (j == 0 || !isCased(s[j - 1]))
        return false;
    size_t k = i + 1;
    while (k < s.size() && isCaseIgnorable(s[k]))
        ++k;
    return k == s.size() || !isCased(s[k]);
}

std::u32string lowerCodePoints(std::u32string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const char32_t c = s[i];
        if (c < 0x80) {
            out += (c >= 'A' && c <= 'Z') ? c + 32 : c;
        } else if (c == 0x130) { // the one unconditional multi-character lower-case mapping
            out += U"i\u0307";
        } else if (c == 0x3A3) {
            out += isFinalSigma(s, i) ? char32_t(0x3C2) : char32_t(0x3C3);
        } else {
            out += char32_t(utf8proc_tolower(utf8proc_int32_t(c)));
        }
    }
    return out;
}

// Case-insensitive comparison with an ASCII lower-case literal as the `regex` module does it: besides
// the upper-case letters, 'ſ' (U+017F) matches 's'.
bool matchesLiteral(const std::vector<char32_t> &cps, size_t pos, std::string_view literal)
{
    if (cps.size() - pos < literal.size())
        return false;
    for (size_t k = 0; k < literal.size(); ++k) {
        const char32_t want = char32_t(static_cast<unsigned char>(literal[k]));
        char32_t c = cps[pos + k];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != want && !(want == 's' && c == 0x17F))
            return false;
    }
    return true;
}

} // namespace

std::u32string decodeUtf8(std::string_view bytes)
{
    std::u32string out;
    out.reserve(bytes.size());
    size_t pos = 0;
    while (pos < bytes.size())
        out += nextCodePoint(bytes, pos);
    return out;
}

std::string encodeUtf8(std::u32string_view codePoints)
{
    std::string out;
    out.reserve(codePoints.size());
    for (char32_t c : codePoints)
        appendUtf8(out, c);
    return out;
}

std::string unescapeHtml(std::string_view text)
{
    return encodeUtf8(pythonHtmlUnescape(decodeUtf8(text)));
}

std::string fixText(std::string_view text)
{
    return encodeUtf8(fixTextCodePoints(decodeUtf8(text)));
}

std::string whitespaceClean(std::string_view text)
{
    return encodeUtf8(whitespaceCleanCodePoints(decodeUtf8(text)));
}

std::string lowerCase(std::string_view text)
{
    return encodeUtf8(lowerCodePoints(decodeUtf8(text)));
}

std::string cleanText(std::string_view text)
{
    // basic_clean: ftfy.fix_text (here its character-level part, see fixText), html.unescape twice, strip.
    std::u32string s = fixTextCodePoints(decodeUtf8(text));
    s = pythonHtmlUnescape(pythonHtmlUnescape(s));
    s = pythonStrip(s);
    // whitespace_clean, then lower().
    return encodeUtf8(lowerCodePoints(whitespaceCleanCodePoints(s)));
}

std::vector<std::string_view> splitWords(std::string_view text)
{
    std::vector<char32_t> cps;
    std::vector<size_t> offsets; // byte offset of each code point, plus the end
    cps.reserve(text.size());
    offsets.reserve(text.size() + 1);
    for (size_t pos = 0; pos < text.size();) {
        offsets.push_back(pos);
        cps.push_back(nextCodePoint(text, pos));
    }
    offsets.push_back(text.size());

    std::vector<std::string_view> words;
    const size_t n = cps.size();
    const auto piece = [&](size_t from, size_t to) {
        words.push_back(text.substr(offsets[from], offsets[to] - offsets[from]));
    };
    static constexpr std::string_view kContractions[] = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};
    size_t i = 0;
    while (i < n) {
        const char32_t c = cps[i];
        if (c == U'<') {
            if (matchesLiteral(cps, i, "<|startoftext|>")) {
                piece(i, i + 15);
                i += 15;
                continue;
            }
            if (matchesLiteral(cps, i, "<|endoftext|>")) {
                piece(i, i + 13);
                i += 13;
                continue;
            }
        }
        if (c == U'\'') {
            bool matched = false;
            for (std::string_view contraction : kContractions) {
                if (matchesLiteral(cps, i, contraction)) {
                    piece(i, i + contraction.size());
                    i += contraction.size();
                    matched = true;
                    break;
                }
            }
            if (matched)
                continue;
        }
        if (isLetter(c)) {
            size_t k = i + 1;
            while (k < n && isLetter(cps[k]))
                ++k;
            piece(i, k);
            i = k;
            continue;
        }
        if (isNumber(c)) {
            piece(i, i + 1);
            ++i;
            continue;
        }
        const auto isOther = [](char32_t x) {
            return !isRegexSpace(x) && !isLetter(x) && !isNumber(x) && !isLetterByCase(x);
        };
        if (isOther(c)) {
            size_t k = i + 1;
            while (k < n && isOther(cps[k]))
                ++k;
            piece(i, k);
            i = k;
            continue;
        }
        ++i; // whitespace (and the rare character no alternative accepts)
    }
    return words;
}

} // namespace lodestone
