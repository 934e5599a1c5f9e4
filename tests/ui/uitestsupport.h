#pragma once

// What the GUI tests share: a folder of real photos (drawn by the shapes world, PNG) and a small model with a
// tokenizer, both made on the spot (a few seconds on a CPU) so that the tests need nothing from outside.
// The model is randomly initialised: its space is arbitrary but real, which is all the UI tests need
// (ranking, labelling, nearest neighbours); what training achieves is tested in the core.

#include "grid/photogridmodel.h"

#include "lodestone/clipconfig.h"
#include "lodestone/clipmodel.h"
#include "lodestone/shapesworld.h"
#include "lodestone/tokenizer.h"

#include <QDir>
#include <QSignalSpy>
#include <QString>
#include <QtTest>

#include <string>
#include <vector>

namespace lodestone::test {

struct UiFixture {
    QString photos; // a folder of PNG photos (the shapes world's train split)
    QString model;  // a Lodestone checkpoint folder
    int photoCount = 0;
};

// Writes `photoCount` photos and a "tiny" model under `dir`.
inline UiFixture makeUiFixture(const QString &dir, int photoCount = 24)
{
    ShapesWorldOptions options;
    options.trainCount = photoCount;
    options.testCount = 4;
    options.seed = 11;
    options.imageSize = 64;
    const std::string world = QDir(dir).filePath(QStringLiteral("world")).toStdString();
    writeShapesWorld(world, options);

    const std::vector<std::string> captions = {"a red circle",     "a blue square",    "a green triangle",
                                               "two yellow stars", "a photo of a dog", "a beach at sunset"};
    ClipTokenizer tokenizer = ClipTokenizer::trainBpe(captions, 600);
    ClipConfig config = ClipConfig::preset("tiny");
    config.text.vocabSize = tokenizer.vocabSize();
    config.text.endToken = tokenizer.endToken();
    ClipModel model(config, "cpu", /*seed=*/5);
    model.setTokenizer(std::move(tokenizer));
    const QString modelDir = QDir(dir).filePath(QStringLiteral("model"));
    model.save(modelDir.toStdString());

    UiFixture fixture;
    fixture.photos = QString::fromStdString(world) + QStringLiteral("/train/images");
    fixture.model = modelDir;
    fixture.photoCount = photoCount;
    return fixture;
}

// The photo ids of the grid's rows, top to bottom.
inline std::vector<qint64> shownIds(const ui::PhotoGridModel &model)
{
    std::vector<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.push_back(model.index(row).data(ui::PhotoGridModel::PhotoIdRole).toLongLong());
    return ids;
}

} // namespace lodestone::test
