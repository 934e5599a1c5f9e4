#pragma once

#include "lodestone/library.h"

#include <string>

namespace lodestone {

// Exports of one model's view of a library. Each writes its files atomically and throws Error naming the
// file that could not be written, or saying what is missing (no embeddings, no classification).

// labels.csv: path,label,probability then one probability column per label ("none of these" rows have an
// empty label). Needs a stored classification.
void exportLabelsCsv(const Library &library, const std::string &modelId, const std::string &outFolder);
// The same CSV as text (what `classify --csv` prints).
std::string labelsCsv(const Library &library, const std::string &modelId);

// embeddings.npy (float32 [N, D], normalised) and metadata.csv
// (row,photo_id,path,taken_at,width,height,label) with one line per row of the array.
void exportEmbeddingsNpy(const Library &library, const std::string &modelId, const std::string &outFolder);

// The TensorBoard Embedding Projector's vectors.tsv (one tab-separated row per photo) and metadata.tsv (a
// header line, then path, file name, label, taken_at per photo).
void exportProjector(const Library &library, const std::string &modelId, const std::string &outFolder);

} // namespace lodestone
