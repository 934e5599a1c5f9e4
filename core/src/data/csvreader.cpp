#include "data/csvreader.h"

#include "io/fileio.h"
#include "lodestone/error.h"

#include <algorithm>
#include <cctype>

namespace lodestone {

namespace {

bool endsWithNoCase(const std::string &s, const std::string &suffix)
{
    if (s.size() < suffix.size())
        return false;
    return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                      [](char a, char b) { return std::tolower(uint8_t(a)) == std::tolower(uint8_t(b)); });
}

std::string normalisedName(const std::string &s)
{
    std::string out = trimSpaces(s);
    for (char &c : out)
        c = char(std::tolower(uint8_t(c)));
    return out;
}

} // namespace

std::string trimSpaces(const std::string &s)
{
    size_t b = 0;
    size_t e = s.size();
    while (b < e && std::isspace(uint8_t(s[b])))
        ++b;
    while (e > b && std::isspace(uint8_t(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

CsvReader::CsvReader(std::string text, char delimiter, std::string nameForErrors)
    : m_text(std::move(text))
    , m_delimiter(delimiter)
    , m_name(std::move(nameForErrors))
{
    if (m_text.size() >= 3 && uint8_t(m_text[0]) == 0xEF && uint8_t(m_text[1]) == 0xBB &&
        uint8_t(m_text[2]) == 0xBF)
        m_pos = 3;
}

CsvReader CsvReader::fromFile(const std::string &path)
{
    const bool tabs = endsWithNoCase(path, ".tsv") || endsWithNoCase(path, ".tab");
    return CsvReader(readFileText(path), tabs ? '\t' : ',', path);
}

bool CsvReader::next(CsvRecord &record)
{
    const size_t n = m_text.size();
    // Blank lines carry no record (a trailing newline at the end of the file is the common case).
    while (m_pos < n && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        if (m_text[m_pos] == '\r' && m_pos + 1 < n && m_text[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
    }
    if (m_pos >= n)
        return false;

    record.fields.clear();
    record.line = m_line;
    std::string field;
    bool atFieldStart = true;
    while (true) {
        if (m_pos >= n) {
            record.fields.push_back(std::move(field));
            return true;
        }
        const char c = m_text[m_pos];
        if (atFieldStart && c == '"') {
            const int64_t startLine = m_line;
            ++m_pos;
            while (true) {
                const size_t quote = m_text.find('"', m_pos);
                if (quote == std::string::npos) {
                    throw Error("reading '" + m_name + "': line " + std::to_string(startLine) +
                                ": quoted field is never closed");
                }
                m_line += std::count(m_text.begin() + std::ptrdiff_t(m_pos),
                                     m_text.begin() + std::ptrdiff_t(quote), '\n');
                field.append(m_text, m_pos, quote - m_pos);
                m_pos = quote + 1;
                if (m_pos < n && m_text[m_pos] == '"') { // "" is one quote
                    field.push_back('"');
                    ++m_pos;
                    continue;
                }
                break;
            }
            atFieldStart = false;
            continue;
        }
        atFieldStart = false;
        if (c == m_delimiter) {
            record.fields.push_back(std::move(field));
            field.clear();
            atFieldStart = true;
            ++m_pos;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && m_pos + 1 < n && m_text[m_pos + 1] == '\n')
                ++m_pos;
            ++m_pos;
            ++m_line;
            record.fields.push_back(std::move(field));
            return true;
        } else {
            // Copy the run of ordinary characters at once: most of a caption file is such runs.
            size_t end = m_pos + 1;
            while (end < n && m_text[end] != m_delimiter && m_text[end] != '\n' && m_text[end] != '\r')
                ++end;
            field.append(m_text, m_pos, end - m_pos);
            m_pos = end;
        }
    }
}

int CsvTable::column(const std::vector<std::string> &candidates) const
{
    for (const std::string &candidate : candidates) {
        const std::string wanted = normalisedName(candidate);
        for (size_t i = 0; i < header.size(); ++i) {
            if (normalisedName(header[i]) == wanted)
                return int(i);
        }
    }
    return -1;
}

int CsvTable::requireColumn(const std::vector<std::string> &candidates) const
{
    const int col = column(candidates);
    if (col >= 0)
        return col;
    std::string wanted;
    for (const std::string &c : candidates)
        wanted += (wanted.empty() ? "'" : " or '") + c + "'";
    std::string found;
    for (const std::string &h : header)
        found += (found.empty() ? "" : ",") + h;
    throw Error("reading '" + name + "': no column " + wanted + " in the header (" + found + ")");
}

const std::string &CsvTable::field(const CsvRecord &row, int col)
{
    static const std::string empty;
    return col >= 0 && size_t(col) < row.fields.size() ? row.fields[size_t(col)] : empty;
}

CsvTable CsvTable::read(const std::string &path)
{
    CsvReader reader = CsvReader::fromFile(path);
    CsvTable table;
    table.name = path;
    CsvRecord record;
    if (!reader.next(record))
        throw Error("reading '" + path + "': the file is empty (expected a header line)");
    table.header = std::move(record.fields);
    while (reader.next(record))
        table.rows.push_back(std::move(record));
    return table;
}

} // namespace lodestone
