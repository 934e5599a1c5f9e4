#pragma once

// Each group of lodestone-cli subcommands registers itself on the CLI11 app. A subcommand's callback does
// the work and throws lodestone::Error on failure; main turns that into a one-line reason and exit 1.

#include <CLI/CLI.hpp>

namespace lodestone::cli {

// tokenize, preprocess, embed-text, embed-image, embed-pixels
void addModelCommands(CLI::App &app);
// make-shapes (the synthetic captioned world)
void addDataCommands(CLI::App &app);
// train, eval
void addTrainCommands(CLI::App &app);
// index, search, classify, probe, export (the photo library)
void addLibraryCommands(CLI::App &app);
// demo (the embedded default: world, training, library, questions)
void addDemoCommands(CLI::App &app);
// map (projections, clusters and probes of a library)
void addMapCommands(CLI::App &app);

} // namespace lodestone::cli
