#include "settings/preferencesdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lodestone::ui {

namespace {

// Selects the item whose data is `value`, adding it (shown as is) when the list has none: a value set
// elsewhere, such as "cuda:1" or a language without its own entry, survives the dialog unchanged.
void selectValue(QComboBox *combo, const QString &value)
{
    int index = combo->findData(value);
    if (index < 0) {
        combo->addItem(value, value);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

} // namespace

PreferencesDialog::PreferencesDialog(const Preferences &preferences, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));

    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA"), QStringLiteral("cuda"));
    m_device->setToolTip(tr("Where the model runs. Automatic uses the GPU when there is one."));
    selectValue(m_device, preferences.device);

    m_batchSize = new QSpinBox(this);
    m_batchSize->setObjectName(QStringLiteral("batchSize"));
    m_batchSize->setRange(1, 1024);
    m_batchSize->setValue(preferences.batchSize);
    m_batchSize->setToolTip(tr("Photos the encoder takes at once while indexing."));

    m_cacheMiB = new QSpinBox(this);
    m_cacheMiB->setObjectName(QStringLiteral("thumbnailCacheMiB"));
    m_cacheMiB->setRange(16, 65536);
    m_cacheMiB->setSuffix(tr(" MiB"));
    m_cacheMiB->setValue(preferences.thumbnailCacheMiB);
    m_cacheMiB->setToolTip(tr("Disk space kept for thumbnails; the oldest are dropped first."));

    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System default"), QString());
    // Language names in their own language, as people look for them.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    selectValue(m_language, preferences.language);

    auto *form = new QFormLayout;
    form->addRow(tr("&Device:"), m_device);
    form->addRow(tr("&Batch size:"), m_batchSize);
    form->addRow(tr("&Thumbnail cache:"), m_cacheMiB);
    form->addRow(tr("&Language:"), m_language);

    auto *note = new QLabel(
        tr("Device changes apply when a model is next loaded; language changes at the next start."), this);
    note->setObjectName(QStringLiteral("note"));
    note->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("buttons"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

Preferences PreferencesDialog::preferences() const
{
    Preferences preferences;
    preferences.device = m_device->currentData().toString();
    preferences.batchSize = m_batchSize->value();
    preferences.thumbnailCacheMiB = m_cacheMiB->value();
    preferences.language = m_language->currentData().toString();
    return preferences;
}

} // namespace lodestone::ui
