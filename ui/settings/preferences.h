#pragma once

#include <QString>

class QSettings;

namespace lodestone::ui {

// What the user sets in Preferences, persisted with QSettings.
struct Preferences {
    QString device = QStringLiteral("auto"); // auto | cpu | cuda | cuda:N: where the model runs
    int batchSize = 32;                      // photos per encoder batch while indexing
    int thumbnailCacheMiB = 1024;            // disk cache of thumbnails
    QString language;                        // "" = the system's; else "en", "de", "fr", ...

    static Preferences load(const QSettings &settings);
    void save(QSettings &settings) const;
    bool operator==(const Preferences &) const = default;
};

} // namespace lodestone::ui
