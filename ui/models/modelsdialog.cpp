#include "models/modelsdialog.h"

#include "library/librarycontroller.h"

#include <QColor>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPalette>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace lodestone::ui {

namespace {

constexpr auto DefaultRepository = "openai/clip-vit-base-patch32";

QLabel *makeValueLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

ModelsDialog::ModelsDialog(LibraryController *controller, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_downloader(new ModelDownloader(this))
{
    setWindowTitle(tr("Models"));
    setModal(false);

    // --- the model in use ---
    auto *current = new QGroupBox(tr("Model in use"), this);
    m_name = makeValueLabel(current, QStringLiteral("modelName"));
    m_dim = makeValueLabel(current, QStringLiteral("modelDim"));
    m_parameters = makeValueLabel(current, QStringLiteral("modelParameters"));
    m_device = makeValueLabel(current, QStringLiteral("modelDevice"));
    m_path = makeValueLabel(current, QStringLiteral("modelPath"));
    m_modelState = makeValueLabel(current, QStringLiteral("modelState"));
    m_openFolder = new QPushButton(tr("Open Model Folder…"), current);
    m_openFolder->setObjectName(QStringLiteral("openModelFolder"));
    m_openFolder->setToolTip(tr("A Hugging Face or OpenCLIP folder, or a Lodestone checkpoint."));
    auto *currentForm = new QFormLayout(current);
    currentForm->addRow(tr("Name:"), m_name);
    currentForm->addRow(tr("Embedding width:"), m_dim);
    currentForm->addRow(tr("Parameters:"), m_parameters);
    currentForm->addRow(tr("Device:"), m_device);
    currentForm->addRow(tr("Folder:"), m_path);
    currentForm->addRow(m_modelState);
    currentForm->addRow(m_openFolder);

    // --- download ---
    auto *download = new QGroupBox(tr("Download from Hugging Face"), this);
    m_repository = new QLineEdit(QString::fromLatin1(DefaultRepository), download);
    m_repository->setObjectName(QStringLiteral("repository"));
    m_repository->setToolTip(tr("A CLIP repository with safetensors weights, as owner/name."));
    m_target = new QLineEdit(defaultTargetFolder(m_repository->text()), download);
    m_target->setObjectName(QStringLiteral("targetFolder"));
    m_browse = new QPushButton(tr("Browse…"), download);
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(m_browse);
    m_download = new QPushButton(tr("Download"), download);
    m_download->setObjectName(QStringLiteral("download"));
    m_cancel = new QPushButton(tr("Cancel"), download);
    m_cancel->setObjectName(QStringLiteral("cancelDownload"));
    m_use = new QPushButton(tr("Use this model"), download);
    m_use->setObjectName(QStringLiteral("useModel"));
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_download);
    buttonRow->addWidget(m_cancel);
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_use);
    m_progress = new QProgressBar(download);
    m_progress->setObjectName(QStringLiteral("downloadProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progressText = makeValueLabel(download, QStringLiteral("downloadStatus"));
    auto *downloadForm = new QFormLayout(download);
    downloadForm->addRow(tr("Repository:"), m_repository);
    downloadForm->addRow(tr("Save to:"), targetRow);
    downloadForm->addRow(buttonRow);
    downloadForm->addRow(m_progress);
    downloadForm->addRow(m_progressText);

    m_error = makeValueLabel(this, QStringLiteral("error"));
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
    m_error->setPalette(errorPalette);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(current);
    layout->addWidget(download);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_openFolder, &QPushButton::clicked, this, &ModelsDialog::openModelFolder);
    connect(m_browse, &QPushButton::clicked, this, &ModelsDialog::browseTarget);
    connect(m_download, &QPushButton::clicked, this, &ModelsDialog::startDownload);
    connect(m_cancel, &QPushButton::clicked, m_downloader, &ModelDownloader::cancel);
    connect(m_use, &QPushButton::clicked, this, &ModelsDialog::useDownloadedModel);
    connect(m_repository, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (!m_targetEdited)
            m_target->setText(defaultTargetFolder(text));
        updateButtons();
    });
    connect(m_target, &QLineEdit::textEdited, this, [this] { m_targetEdited = true; });

    connect(m_downloader, &ModelDownloader::statusChanged, m_progressText, &QLabel::setText);
    connect(m_downloader, &ModelDownloader::progressed, this, &ModelsDialog::onProgress);
    connect(m_downloader, &ModelDownloader::finished, this, [this](const QString &folder) {
        m_downloadedFolder = folder;
        m_progress->setRange(0, 1000);
        m_progress->setValue(1000);
        updateButtons();
    });
    connect(m_downloader, &ModelDownloader::failed, this,
            [this](ModelDownloader::Failure, const QString &, const QString &message) {
                showError(message);
                updateButtons();
            });
    connect(m_downloader, &ModelDownloader::canceled, this, [this] { updateButtons(); });

    if (m_controller) {
        connect(m_controller, &LibraryController::modelLoading, this, [this](const QString &path) {
            m_modelState->setText(tr("Loading %1…").arg(QDir::toNativeSeparators(path)));
            updateButtons();
        });
        connect(m_controller, &LibraryController::modelLoaded, this, [this] {
            m_error->hide();
            updateModelInfo();
            updateButtons();
        });
        connect(m_controller, &LibraryController::modelFailed, this, [this](const QString &message) {
            updateModelInfo();
            showError(message);
            updateButtons();
        });
    }
    updateModelInfo();
    updateButtons();
}

ModelsDialog::~ModelsDialog() = default;

QString ModelsDialog::defaultTargetFolder(const QString &repository)
{
    QString name = repository.trimmed();
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    if (name.isEmpty())
        name = QStringLiteral("model");
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("models/") + name);
}

void ModelsDialog::updateModelInfo()
{
    const bool loading = m_controller && m_controller->isLoadingModel();
    if (!m_controller || !m_controller->hasModel()) {
        const QString none = tr("none");
        m_name->setText(none);
        m_dim->clear();
        m_parameters->clear();
        m_device->clear();
        m_path->clear();
        if (!loading)
            m_modelState->setText(tr("No model is loaded: open a model folder or download one."));
        return;
    }
    const ModelSummary &summary = m_controller->modelSummary();
    const QLocale locale;
    m_name->setText(summary.name);
    m_dim->setText(locale.toString(summary.dim));
    m_parameters->setText(
        summary.parameterCount >= 1000000
            ? tr("%1 million").arg(locale.toString(double(summary.parameterCount) / 1e6, 'f', 1))
            : locale.toString(summary.parameterCount));
    m_device->setText(summary.device);
    m_path->setText(QDir::toNativeSeparators(summary.path));
    if (!loading)
        m_modelState->clear();
}

void ModelsDialog::openModelFolder()
{
    const QString start =
        m_controller && m_controller->hasModel() ? m_controller->modelSummary().path : m_target->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"), start);
    if (folder.isEmpty() || !m_controller)
        return;
    m_error->hide();
    m_controller->loadModel(folder);
}

void ModelsDialog::browseTarget()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Save the Model In"), m_target->text());
    if (folder.isEmpty())
        return;
    m_target->setText(folder);
    m_targetEdited = true;
}

void ModelsDialog::startDownload()
{
    const QString repository = m_repository->text().trimmed();
    if (!ModelDownloader::isValidRepository(repository)) {
        showError(tr("\"%1\" is not a repository name; expected owner/name, such as %2.")
                      .arg(repository, QString::fromLatin1(DefaultRepository)));
        return;
    }
    m_error->hide();
    m_downloadedFolder.clear();
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_downloader->start(repository, m_target->text().trimmed());
    updateButtons();
}

void ModelsDialog::useDownloadedModel()
{
    if (m_downloadedFolder.isEmpty() || !m_controller)
        return;
    m_error->hide();
    m_controller->loadModel(m_downloadedFolder);
}

void ModelsDialog::updateButtons()
{
    const bool running = m_downloader->isRunning();
    const bool loading = m_controller && m_controller->isLoadingModel();
    m_download->setEnabled(!running && !m_repository->text().trimmed().isEmpty());
    m_cancel->setEnabled(running);
    m_repository->setEnabled(!running);
    m_target->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_use->setVisible(!m_downloadedFolder.isEmpty());
    m_use->setEnabled(!m_downloadedFolder.isEmpty() && !running && !loading && m_controller);
    m_openFolder->setEnabled(!loading && m_controller);
}

void ModelsDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void ModelsDialog::onProgress(const QString &file, qint64 fileDone, qint64 fileTotal, qint64 overallDone,
                              qint64 overallTotal, double bytesPerSecond)
{
    const QLocale locale;
    if (overallTotal > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000.0 * double(overallDone) / double(overallTotal)));
    } else {
        m_progress->setRange(0, 0); // busy
    }
    if (file.isEmpty())
        return;
    const QString total = fileTotal >= 0 ? locale.formattedDataSize(fileTotal) : tr("unknown size");
    QString text = tr("%1: %2 of %3").arg(file, locale.formattedDataSize(fileDone), total);
    if (bytesPerSecond > 0)
        text += QStringLiteral(", ") + tr("%1/s").arg(locale.formattedDataSize(qint64(bytesPerSecond)));
    if (overallTotal > 0)
        text += QStringLiteral(" — ") +
                tr("%1 of %2 in all")
                    .arg(locale.formattedDataSize(overallDone), locale.formattedDataSize(overallTotal));
    m_progressText->setText(text);
}

} // namespace lodestone::ui
