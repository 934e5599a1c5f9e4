#pragma once

#include "models/modeldownloader.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace lodestone::ui {

class LibraryController;

// The model in use (name, embedding width, parameters, device, path), opening another model folder, and
// downloading a Hugging Face CLIP repository with progress, cancel and "Use this model". Non-modal: show()
// it; it follows the controller's modelLoading/modelLoaded/modelFailed. UI thread only.
class ModelsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelsDialog(LibraryController *controller, QWidget *parent = nullptr);
    ~ModelsDialog() override;

    // The downloader the Download section drives (tests point it at a local server).
    ModelDownloader *downloader() const { return m_downloader; }
    // Where a repository goes by default: AppDataLocation/models/<owner_name>.
    static QString defaultTargetFolder(const QString &repository);

private:
    void updateModelInfo();
    void openModelFolder();
    void browseTarget();
    void startDownload();
    void useDownloadedModel();
    void updateButtons();
    void showError(const QString &message);
    void onProgress(const QString &file, qint64 fileDone, qint64 fileTotal, qint64 overallDone,
                    qint64 overallTotal, double bytesPerSecond);

    QPointer<LibraryController> m_controller;
    ModelDownloader *m_downloader = nullptr;

    QLabel *m_name = nullptr;
    QLabel *m_dim = nullptr;
    QLabel *m_parameters = nullptr;
    QLabel *m_device = nullptr;
    QLabel *m_path = nullptr;
    QLabel *m_modelState = nullptr;
    QPushButton *m_openFolder = nullptr;

    QLineEdit *m_repository = nullptr;
    QLineEdit *m_target = nullptr;
    QPushButton *m_browse = nullptr;
    QPushButton *m_download = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_use = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressText = nullptr;
    QLabel *m_error = nullptr;

    bool m_targetEdited = false; // the user chose a folder: stop following the repository name
    QString m_downloadedFolder;
};

} // namespace lodestone::ui
