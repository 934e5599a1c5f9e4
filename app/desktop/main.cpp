// lodestone [--model M] [--library L] [FOLDER...]: the desktop program. A thin main: arguments, translator,
// the library controller and the main window; everything else lives in lodestone_ui.

#include "library/librarycontroller.h"
#include "settings/preferences.h"
#include "settings/translations.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

#include <exception>
#include <memory>

using namespace lodestone::ui;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Lodestone"));
    QApplication::setApplicationName(QStringLiteral("Lodestone"));
    QApplication::setApplicationVersion(QStringLiteral(LODESTONE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.lodestone.Lodestone"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/org.lodestone.Lodestone.png")));

    const Preferences preferences = Preferences::load(QSettings());
    installTranslators(app, preferences.language);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Explore photo collections through a contrastive image-text embedding."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption modelOption(
        QStringLiteral("model"),
        QApplication::translate("main",
                                "Model folder or file (Hugging Face, OpenCLIP, Lodestone checkpoint)."),
        QStringLiteral("M"));
    const QCommandLineOption libraryOption(
        QStringLiteral("library"),
        QApplication::translate("main", "Library folder (default: in the user's data folder)."),
        QStringLiteral("L"));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QApplication::translate("main",
                                "Start the built-in demo when no model is loaded: a small model trained here "
                                "on a synthetic world of shapes, then search, labels and the map to try."));
    parser.addOption(modelOption);
    parser.addOption(libraryOption);
    parser.addOption(demoOption);
    parser.addPositionalArgument(QStringLiteral("folders"),
                                 QApplication::translate("main", "Photo folders to add and index."),
                                 QStringLiteral("[FOLDER...]"));
    parser.process(app);

    const QString libraryFolder =
        parser.isSet(libraryOption)
            ? QDir(parser.value(libraryOption)).absolutePath()
            : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/library");
    std::unique_ptr<LibraryController> controller;
    try {
        controller = std::make_unique<LibraryController>(libraryFolder);
    } catch (const std::exception &e) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Lodestone"),
                              QApplication::translate("main", "The library %1 cannot be opened: %2")
                                  .arg(libraryFolder, QString::fromUtf8(e.what())));
        return 1;
    }
    controller->setDevice(preferences.device);
    controller->setBatchSize(preferences.batchSize);

    MainWindow window(controller.get(), preferences,
                      QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                          QStringLiteral("/thumbnails"));
    window.show();

    if (parser.isSet(modelOption))
        controller->loadModel(QDir(parser.value(modelOption)).absolutePath());
    else if (!controller->loadDefaultModel() && parser.isSet(demoOption))
        window.startDemo();
    QStringList folders;
    for (const QString &folder : parser.positionalArguments())
        folders << QDir(folder).absolutePath();
    window.addPaths(folders);

    const int status = QApplication::exec();
    return status;
}
