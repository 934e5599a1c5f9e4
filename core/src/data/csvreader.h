#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

// One record of a delimited file and the (1-based) line it starts on, for messages.
struct CsvRecord {
    std::vector<std::string> fields;
    int64_t line = 0;
};

// A reader for RFC 4180 comma- and tab-separated text: quoted fields ("a, b"), doubled quotes inside
// them (""), newlines inside quoted fields, CRLF or LF line ends, a UTF-8 byte order mark at the start,
// and a last line without a line end. Lenient where real files are (as Python's csv module): a quote
// inside an unquoted field is an ordinary character, and text after a closing quote is appended to the
// field. Blank lines are skipped. An unterminated quoted field is an Error naming the source and the line
// it starts on. Not thread-safe; one reader per text.
class CsvReader {
public:
    // `text` is the whole file; `nameForErrors` (usually its path) goes into messages.
    CsvReader(std::string text, char delimiter, std::string nameForErrors);

    // Reads the file at `path`; the delimiter is a tab when it ends in .tsv or .tab (any case), else a
    // comma. Throws Error naming the file when it cannot be read.
    static CsvReader fromFile(const std::string &path);

    // The next record into `record`; false at the end of the text. Throws Error on malformed input.
    bool next(CsvRecord &record);

    char delimiter() const { return m_delimiter; }
    const std::string &name() const { return m_name; }

private:
    std::string m_text;
    char m_delimiter;
    std::string m_name;
    size_t m_pos = 0;
    int64_t m_line = 1;
};

// A delimited file read whole: the first record is the header, names matched case-insensitively after
// trimming spaces.
struct CsvTable {
    std::string name;
    std::vector<std::string> header;
    std::vector<CsvRecord> rows;

    // Index of the first header column equal to one of `candidates` (in the order given), or -1.
    int column(const std::vector<std::string> &candidates) const;
    // Like column() but throws Error naming the file, the columns wanted and the header found.
    int requireColumn(const std::vector<std::string> &candidates) const;
    // Field `col` of a row, or "" when the row is short.
    static const std::string &field(const CsvRecord &row, int col);

    // Reads a whole file with a header (CsvReader::fromFile). Throws Error naming the file when it cannot
    // be read, is malformed or has no header.
    static CsvTable read(const std::string &path);
};

// `s` without leading and trailing ASCII whitespace (cells and header names are trimmed this way).
std::string trimSpaces(const std::string &s);

} // namespace lodestone
