#pragma once

// The synthetic captioned "shapes world": small drawn photos of one to three coloured shapes with truthful
// captions in varied wording, and colour-shape compositions held out of training, to measure zero-shot
// recognition of compositions a model has never seen. `lodestone-cli make-shapes` writes it; training
// (`shapes:DIR`) and `eval` read it.
//
// On disk (DIR is the folder given to writeShapesWorld):
//   DIR/world.json          seed, image size, counts, vocabulary and the held-out compositions
//   DIR/{train,test}/images/NNNNNN.png
//   DIR/{train,test}/captions.csv   path,caption
//   DIR/{train,test}/labels.csv     path,kind,colour,shape,count,size,relation,colour2,shape2
//   DIR/{train,test}/objects.csv    path,object,colour,shape,size,x,y,radius  (one row per drawn object)
// Paths are relative to the split folder. kind is single, count or relation; count is the number of
// objects; size (small or large) applies to every object of the image; relation, colour2 and shape2 are
// set for relation images only ("the colour shape is RELATION the colour2 shape2"), empty otherwise.
// objects.csv gives each object's centre and circumradius in pixels (object 0 is the labelled one).

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lodestone {

// A colour-shape pair such as {"red", "triangle"}.
using ShapesComposition = std::pair<std::string, std::string>;

struct ShapesWorldOptions {
    int trainCount = 0; // images in DIR/train, >= 1
    int testCount = -1; // images in DIR/test; -1: max(200, trainCount / 5)
    uint64_t seed = 0;  // same seed and options: the same files, byte for byte
    int imageSize = 64; // square images, 16..1024 pixels
    int threads = 0;    // worker threads; 0: all hardware threads (the output does not depend on it)
    // Compositions kept out of every object of the train split. Then every other test image (indices
    // 0, 2, 4, ...) shows one as its labelled object (its partner in a relation image may be any other
    // composition); the other test images show seen compositions only.
    std::vector<ShapesComposition> holdout;
};

// What a world holds; writeShapesWorld returns it and DIR/world.json records it.
struct ShapesWorldSummary {
    std::string dir;
    int trainCount = 0;
    int testCount = 0;
    int testHeldOutCount = 0; // test images whose labelled object (colour, shape) is held out
    int imageSize = 0;
    uint64_t seed = 0;
    std::vector<ShapesComposition> holdout;
    double seconds = 0; // generation time (0 when read back)
};

// One row of labels.csv; count is 0 when the cell is empty.
struct ShapesLabel {
    std::string path; // relative to the split folder
    std::string kind; // "single", "count" or "relation"
    std::string colour;
    std::string shape;
    int count = 0;
    std::string size;
    std::string relation;
    std::string colour2;
    std::string shape2;
};

// Writes DIR/train, DIR/test and DIR/world.json (creating folders, overwriting files of the same names).
// `progress(done, total)` is called on the calling thread now and then, and once at the end; generation
// runs on options.threads workers. Cancelling (`*cancel` set) stops between images and throws Error.
// Throws Error for bad options (count < 1, unknown or all-covering holdout, size out of range) and for
// folders or files that cannot be written, naming them. Safe to call from several threads on different dirs.
ShapesWorldSummary writeShapesWorld(const std::string &dir, const ShapesWorldOptions &options,
                                    const std::function<void(int done, int total)> &progress = {},
                                    const std::atomic<bool> *cancel = nullptr);

// Reads DIR/world.json back (seconds is 0). Throws Error when it is missing or malformed.
ShapesWorldSummary readShapesWorld(const std::string &dir);

// Reads SPLIT_DIR/labels.csv (SPLIT_DIR is DIR/train or DIR/test). Throws Error naming the file and line.
std::vector<ShapesLabel> readShapesLabels(const std::string &splitDir);

// The vocabulary, in a fixed order: colours (red, green, blue, yellow, purple, orange), shapes (circle,
// square, triangle, star, hexagon), sizes (small, large), relations ("left of", "right of", "above",
// "below").
const std::vector<std::string> &shapesColours();
const std::vector<std::string> &shapesShapes();
const std::vector<std::string> &shapesSizes();
const std::vector<std::string> &shapesRelations();

// Parses "red:triangle,blue:star" (spaces and case ignored, duplicates dropped; empty text: none).
// Throws Error naming an unknown colour or shape, or an item that is not COLOUR:SHAPE.
std::vector<ShapesComposition> parseHoldout(const std::string &text);
// "red:triangle,blue:star"
std::string formatHoldout(const std::vector<ShapesComposition> &holdout);

// Zero-shot prompts in the captions' own vocabulary:
// "a photo of a red circle", "a photo of an orange star"
std::string shapesColourShapePrompt(const std::string &colour, const std::string &shape);
// "a photo of two red circles" (count 2 or 3; 1 gives the colour-shape prompt)
std::string shapesCountPrompt(int count, const std::string &colour, const std::string &shape);
// "a photo of a red circle left of a green star"
std::string shapesRelationPrompt(const std::string &colour, const std::string &shape,
                                 const std::string &relation, const std::string &colour2,
                                 const std::string &shape2);

} // namespace lodestone
