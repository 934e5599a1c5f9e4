// CSV/TSV caption files: the RFC 4180 reader (quotes, doubled quotes, CR/LF, byte order mark) in memory with
// both delimiters, then a whole caption source (header, column names, paths, captions) through
// CaptionDataset::fromCsv on a scratch copy, named .tsv when the input starts with 't' (as a "text<TAB>path"
// header does) and .csv otherwise.

#include "fuzzsupport.h"

#include "data/csvreader.h"
#include "lodestone/dataset.h"
#include "lodestone/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    for (const char delimiter : {',', '\t'}) {
        try {
            lodestone::CsvReader reader(text, delimiter, "fuzz");
            lodestone::CsvRecord record;
            int64_t line = 0;
            while (reader.next(record)) {
                // Records come in order, each on a line of its own or after it.
                if (record.fields.empty() || record.line <= line)
                    __builtin_trap();
                line = record.line;
            }
        } catch (const lodestone::Error &) {
        }
    }

    // Paths in the file resolve against the scratch folder, which holds one image for rows to find.
    const std::filesystem::path dir = lodestone::fuzz::scratchDir();
    static const bool image = [&] {
        lodestone::fuzz::writeFile(dir / "a.jpg", "\xff\xd8\xff", 3);
        return true;
    }();
    (void)image;
    const std::filesystem::path path = dir / (size > 0 && data[0] == 't' ? "captions.tsv" : "captions.csv");
    lodestone::fuzz::writeFile(path, data, size);
    try {
        const lodestone::CaptionDataset dataset = lodestone::CaptionDataset::fromCsv(path.string());
        for (const lodestone::Sample &sample : dataset.samples()) {
            if (sample.caption.empty())
                __builtin_trap();
        }
    } catch (const lodestone::Error &) {
    }
    return 0;
}
