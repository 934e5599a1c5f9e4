#pragma once

#include "settings/preferences.h"

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace lodestone::ui {

// Edits Preferences: device, batch size, thumbnail cache size, language. Language and device take effect on
// the next start and the next model load; the dialog says so.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const Preferences &preferences, QWidget *parent = nullptr);
    Preferences preferences() const;

private:
    QComboBox *m_device = nullptr;
    QSpinBox *m_batchSize = nullptr;
    QSpinBox *m_cacheMiB = nullptr;
    QComboBox *m_language = nullptr;
};

} // namespace lodestone::ui
