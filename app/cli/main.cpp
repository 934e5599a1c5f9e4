// lodestone-cli: the command line for headless and scripted use. Results go to stdout, progress to
// stderr; exit status 0 on success, 1 with a one-line reason on stderr otherwise.

#include "commands.h"

#include "lodestone/error.h"

#include <iostream>

int main(int argc, char **argv)
{
    CLI::App app{"Lodestone: explore photo collections through a contrastive image-text embedding",
                 "lodestone-cli"};
    app.set_version_flag("--version", std::string("lodestone-cli ") + LODESTONE_VERSION);
    app.require_subcommand(1);
    lodestone::cli::addModelCommands(app);
    lodestone::cli::addDataCommands(app);
    lodestone::cli::addTrainCommands(app);
    lodestone::cli::addLibraryCommands(app);
    lodestone::cli::addDemoCommands(app);
    lodestone::cli::addMapCommands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e);
    } catch (const std::exception &e) {
        std::cerr << "lodestone-cli: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
