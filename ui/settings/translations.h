#pragma once

#include <QString>

class QCoreApplication;

namespace lodestone::ui {

// Installs Lodestone's translations (built into lodestone_ui under :/i18n) and Qt's own for `language`
// ("" = the system's, else "de", "fr", ...) on `app`. English needs one too: it holds the plural forms
// ("1 photo", "2 photos"). Returns whether Lodestone's own translation was found.
bool installTranslators(QCoreApplication &app, const QString &language);

} // namespace lodestone::ui
