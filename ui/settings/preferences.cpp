#include "settings/preferences.h"

#include <QSettings>

#include <algorithm>

namespace lodestone::ui {

Preferences Preferences::load(const QSettings &settings)
{
    Preferences p;
    p.device = settings.value(QStringLiteral("model/device"), p.device).toString();
    p.batchSize =
        std::clamp(settings.value(QStringLiteral("indexing/batchSize"), p.batchSize).toInt(), 1, 1024);
    p.thumbnailCacheMiB = std::clamp(
        settings.value(QStringLiteral("thumbnails/cacheMiB"), p.thumbnailCacheMiB).toInt(), 16, 1 << 20);
    p.language = settings.value(QStringLiteral("ui/language"), p.language).toString();
    return p;
}

void Preferences::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("model/device"), device);
    settings.setValue(QStringLiteral("indexing/batchSize"), batchSize);
    settings.setValue(QStringLiteral("thumbnails/cacheMiB"), thumbnailCacheMiB);
    settings.setValue(QStringLiteral("ui/language"), language);
}

} // namespace lodestone::ui
