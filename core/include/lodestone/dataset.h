#pragma once

#include "lodestone/image.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lodestone {

// Limits on what a caption source hands over; an item beyond one is recorded as a failure naming the limit.
// A caption of more bytes than this (before whitespace is cleaned) is refused, whichever source it comes
// from: a CSV/TSV cell, a COCO string, a sidecar .txt file, a WebDataset .txt or .cls member. Real captions
// are far shorter, and the tokenizer keeps only a context's worth of tokens.
constexpr size_t kMaxCaptionBytes = size_t(64) << 10;
// The largest WebDataset image member accepted: the image decoder reads no larger file either.
constexpr uint64_t kMaxTarMemberBytes = uint64_t(1) << 30;

// Where a sample's encoded image lives: a whole file, or (size > 0) the bytes [offset, offset + size) of
// `path`, a member of an uncompressed .tar shard.
struct ImageRef {
    std::string path;
    uint64_t offset = 0;
    uint64_t size = 0;
    std::string member; // the member's name inside the shard (messages only); empty for whole files
};

// One image-caption pair. `attributes` carries what the source knows besides the caption: "label" for
// folders:, the labels.csv columns for shapes:, "image_id" for coco:, "label" from a .cls member for wds:.
struct Sample {
    ImageRef image;
    std::string caption;
    std::map<std::string, std::string> attributes;
};

enum class Split { Train, Test };

// A row, file or member left out while reading a source, and why.
struct ReadFailure {
    std::string path;
    std::string reason;
};

// A list of captioned images read from one or more sources. Reading checks that each image file exists
// (not that it decodes: the loader finds that out and records it) and that each caption is non-empty;
// what fails is recorded in failures() and left out. Samples keep the order of the source (files and
// directories in sorted order), so the same source always gives the same indices. Immutable once built;
// safe to read from several threads.
class CaptionDataset {
public:
    CaptionDataset() = default;

    // Reads a source from its spec (ARCHITECTURE.md):
    //   csv:FILE[:IMAGE_COLUMN:CAPTION_COLUMN]  comma-separated, or tab-separated when FILE ends in .tsv;
    //       columns by header name (default "path"/"image"/"filepath"/"file_name" and
    //       "caption"/"text"/"title"); relative image paths are relative to FILE's folder.
    //   coco:ANNOTATIONS.json:IMAGE_DIR  COCO captions, one sample per caption; attribute "image_id".
    //   sidecar:DIR  every image under DIR (recursive) with a same-named .txt beside it (photo.jpg with
    //       photo.txt or photo.jpg.txt); the caption is the file's text with whitespace runs made single
    //       spaces. Images without one are recorded as failures.
    //   folders:DIR  DIR/<label>/... images (recursive below the label folder); the caption is a prompt
    //       template ("a photo of a {label}.") chosen deterministically from the image's relative path;
    //       attribute "label" is the folder name with '_' and '-' read as spaces, "folder" the name as is.
    //   wds:SHARD_PATTERN  WebDataset .tar shards (fromWebDataset).
    //   shapes:DIR  the synthetic world: DIR/train or DIR/test by `split`, captions.csv (path,caption)
    //       joined by path with labels.csv (path,kind,colour,shape,count,size,relation,colour2,shape2;
    //       optional); every non-empty labels.csv column becomes an attribute.
    // `split` only matters for shapes:. Throws Error naming the spec and the file at fault when the spec
    // is malformed, a file cannot be read or parsed, a needed column is missing, or nothing usable is found.
    static CaptionDataset fromSpec(const std::string &spec, Split split = Split::Train);

    // The sources one by one (what fromSpec calls); same contracts.
    static CaptionDataset fromCsv(const std::string &file, const std::string &imageColumn = {},
                                  const std::string &captionColumn = {});
    static CaptionDataset fromCoco(const std::string &annotationsJson, const std::string &imageDir);
    static CaptionDataset fromSidecar(const std::string &dir);
    static CaptionDataset fromFolders(const std::string &dir);
    static CaptionDataset fromShapes(const std::string &dir, Split split);
    // WebDataset shards: the pattern is expanded (expandShardPattern), each shard read in order with
    // libarchive. Members are grouped by key (the member path up to the first '.' of its file name, as
    // WebDataset does); a group needs an image (.jpg, .jpeg, .png or .webp, first found in that order) and
    // a .txt caption; a .cls member becomes attribute "label". Images are referenced by offset and size
    // into the shard, not copied. Compressed shards (gzip, bzip2, xz, zstd) are refused naming the shard,
    // as is every wds: source in a build without libarchive.
    static CaptionDataset fromWebDataset(const std::string &pattern);

    // Several sources mixed: samples in the order given, failures and descriptions joined.
    static CaptionDataset concat(std::vector<CaptionDataset> parts);

    size_t size() const { return m_samples.size(); }
    bool empty() const { return m_samples.empty(); }
    const Sample &operator[](size_t i) const { return m_samples[i]; } // i < size(), unchecked
    const std::vector<Sample> &samples() const { return m_samples; }
    // Sorted distinct values of attribute `key` among the samples that have it.
    std::vector<std::string> attributeValues(const std::string &key) const;
    // Rows, files and members skipped while reading the sources (missing image file, empty caption...).
    const std::vector<ReadFailure> &failures() const { return m_failures; }
    // "csv:/data/x.csv (1200 samples, 3 skipped)"; sources joined with " + ".
    std::string description() const { return m_description; }

private:
    // Builds a dataset read from one source; throws Error when it holds no sample (naming `source` and
    // the first failures, which usually say why).
    static CaptionDataset fromSource(std::vector<Sample> samples, std::vector<ReadFailure> failures,
                                     const std::string &source);

    std::vector<Sample> m_samples;
    std::vector<ReadFailure> m_failures;
    std::string m_description;
};

// Expands a shard pattern: brace ranges ("shard-{000..009}.tar", zero padding kept), brace lists
// ("{a,b}"), then shell globs (*, ?, [..]) against the file system; globs that match nothing and plain
// names are kept as written. Order: brace order, glob matches sorted. Throws Error on an unbalanced or
// malformed brace, or an expansion to more than a million names or 128 MiB of names in all.
std::vector<std::string> expandShardPattern(const std::string &pattern);

// The encoded bytes of a sample's image. Throws Error naming the file (and member) when it cannot be read
// or a member range lies beyond the end of its shard. Thread-safe.
std::vector<uint8_t> readImageBytes(const ImageRef &ref);

// Reads and decodes a sample's image (decodeImage / decodeImageBytes). Throws Error naming the file and
// member. Thread-safe.
Image8 decodeSampleImage(const ImageRef &ref, const DecodeOptions &options = {});

// "photo.jpg" for a whole file, "shard-000.tar:0001.jpg" for a member: how messages name an image.
std::string imageRefName(const ImageRef &ref);

} // namespace lodestone
