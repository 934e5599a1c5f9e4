#pragma once

#include "lodestone/floatarray.h"
#include "lodestone/image.h"

#include <cstdint>
#include <string>

namespace lodestone {

// Training-time augmentation. Every change keeps the caption true of the picture: crops are conservative
// (counted objects stay in view), a horizontal flip rewrites "left" and "right" in the caption, and the
// hue is only shifted when the caption names no colour.
struct AugmentOptions {
    bool enabled = true;
    // Random resized crop: area fraction in [cropScaleMin, 1], aspect ratio in [3/4, 4/3] (log-uniform).
    float cropScaleMin = 0.8f;
    float blurProbability =
        0.1f;                // Gaussian blur, sigma uniform in [0.1, 1.5] px (times R / 224 when R > 224)
    float brightness = 0.2f; // factor uniform in [1 - brightness, 1 + brightness]
    float contrast = 0.2f;   // factor uniform in [1 - contrast, 1 + contrast], around the mean grey
    float rotationDegrees = 8.0f; // uniform in [-rotationDegrees, rotationDegrees], borders replicated
    bool horizontalFlip = true;   // probability 1/2; swaps left <-> right words in the caption
    float hueShiftDegrees = 0.0f; // uniform in [-h, h]; only when captionNamesColour() is false
};

// One training view: [3, R, R] pixels (R = config.imageSize) normalised like preprocessImage, and the
// caption, rewritten where the view requires it.
struct AugmentedView {
    FloatArray pixels;
    std::string caption;
};

// Crop -> resize (Pillow's bicubic, as preprocessImage) -> rotate -> flip -> blur -> brightness ->
// contrast -> hue -> normalise. Every random value is drawn from `seed` in a fixed order, whatever the
// options, so a view depends only on (image, caption, config, options, seed): the same on any thread, run
// or platform. Alpha is dropped (straight colour, as preprocessImage). With options.enabled == false the
// pixels are exactly preprocessImage(image, config) and the caption is unchanged. Throws Error on an
// invalid image or config (as preprocessImage). Thread-safe.
AugmentedView augment(const Image8 &image, const std::string &caption, const PreprocessConfig &config,
                      const AugmentOptions &options, uint64_t seed);

// The seed of one sample's view in one epoch: a hash of the three, so that views depend on neither the
// worker that makes them nor the order they are made in.
uint64_t sampleSeed(uint64_t seed, int64_t epoch, uint64_t datasetIndex);

// The caption of the mirrored picture: whole words "left"/"right" (and "leftmost"/"rightmost",
// "left-hand"/"right-hand") swapped, keeping their case ("Left" -> "Right", "LEFT" -> "RIGHT").
std::string mirrorCaption(const std::string &caption);

// Whether the caption names a colour (whole words, any case: red, green, blue, yellow, purple, orange,
// pink, brown, black, white, grey, gray, ... and their -ish forms), which forbids hue shifts.
bool captionNamesColour(const std::string &caption);

} // namespace lodestone
