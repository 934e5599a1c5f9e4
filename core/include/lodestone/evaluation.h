#pragma once

#include "lodestone/clipmodel.h"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lodestone {

struct EvalOptions {
    int batchSize = 128;
    int workers = 2;
    // Prompt templates for zero-shot labels of folder datasets ("{}" is the label).
    std::vector<std::string> templates{"a photo of a {}.", "a picture of a {}.", "an image of a {}."};
};

// Retrieval and zero-shot figures of a model on a held-out set (the fields of `eval --json`).
struct EvalResult {
    // Recall@K, image->text and text->image. Identical captions count as one text: an image's hit is its
    // caption's text among the top K distinct captions; a caption's hit is any image with that caption.
    std::map<std::string, double> recall; // "i2t@1", "i2t@5", "i2t@10", "t2i@1", "t2i@5", "t2i@10"
    // Zero-shot accuracies: "top1" (folder labels, or colour+shape in the shapes world), and for the shapes
    // world "seen", "held_out", "colour", "shape", "count", "relation". Absent when not measurable.
    std::map<std::string, double> zeroShot;
    std::map<std::string, int64_t> counts; // how many photos each figure rests on
    int64_t images = 0;
    int64_t captions = 0; // distinct captions
    int64_t failedImages = 0;

    std::string toJson() const; // {"recall": {...}, "zero_shot": {...}, "counts": {...}, ...}
};

// Evaluates `model` on the test split of a data spec (CaptionDataset::fromSpec with Split::Test).
// Throws Error when the data cannot be read or holds no image.
EvalResult evaluate(const ClipModel &model, const std::string &dataSpec, const EvalOptions &options = {},
                    const std::function<void(int64_t done, int64_t total)> &progress = {});

} // namespace lodestone
