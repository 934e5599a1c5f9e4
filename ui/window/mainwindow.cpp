#include "window/mainwindow.h"

#include "classify/classifypanel.h"
#include "grid/photogridmodel.h"
#include "grid/photogridview.h"
#include "library/folderlistmodel.h"
#include "library/librarycontroller.h"
#include "map/mapview.h"
#include "models/modelsdialog.h"
#include "search/searchfield.h"
#include "settings/preferencesdialog.h"
#include "thumbnails/thumbnailloader.h"
#include "train/trainview.h"
#include "viewer/photoviewer.h"
#include "window/messagebar.h"
#include "window/statusarea.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace lodestone::ui {

namespace {

QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (mime && mime->hasUrls())
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
    return paths;
}

QString durationText(double seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 90)
        return QObject::tr("%n s", nullptr, int(std::lround(seconds)));
    if (seconds < 90 * 60)
        return QObject::tr("%n min", nullptr, int(std::lround(seconds / 60)));
    return QObject::tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
}

} // namespace

MainWindow::MainWindow(LibraryController *controller, const Preferences &preferences,
                       const QString &thumbnailCache, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_preferences(preferences)
    , m_thumbnails(new ThumbnailLoader(thumbnailCache, 256, this))
    , m_gridModel(new PhotoGridModel(m_thumbnails, this))
    , m_folderModel(new FolderListModel(this))
{
    setWindowTitle(tr("Lodestone"));
    setAcceptDrops(true);
    buildLayout();
    buildActions();
    connectController();
    applyPreferences();
    restoreWindowState();

    if (m_controller->snapshot())
        showSnapshot();
    m_controller->refreshSnapshot();
    if (m_controller->hasModel())
        updateModelLabel();
    else if (!m_controller->isLoadingModel())
        offerDemo();
}

void MainWindow::offerDemo()
{
    m_messageBar->showMessage(
        tr("No model is loaded. Open a CLIP model (File → Open Model…), or try Lodestone on "
           "its built-in demo: a small model trained here in a few minutes on a synthetic "
           "world of shapes."),
        MessageBar::Level::Information);
    m_messageBar->setAction(tr("Try the Demo"), [this] { startDemo(); });
}

MainWindow::~MainWindow() = default;

// --- building ---

void MainWindow::buildLayout()
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);

    m_messageBar = new MessageBar(central);
    layout->addWidget(m_messageBar);

    // Tabs: the photos (search and grid) and the map of the embedding space.
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs, 1);
    auto *photosPage = new QWidget(m_tabs);
    auto *photosLayout = new QVBoxLayout(photosPage);
    photosLayout->setContentsMargins(0, 6, 0, 0);
    m_tabs->addTab(photosPage, tr("Photos"));

    auto *bar = new QHBoxLayout;
    m_searchField = new SearchField(central);
    m_searchField->setObjectName(QStringLiteral("searchField"));
    m_sortOrder = new QComboBox(central);
    m_sortOrder->setObjectName(QStringLiteral("sortOrder"));
    m_sortOrder->addItem(tr("Relevance"), int(PhotoGridModel::SortOrder::Relevance));
    m_sortOrder->addItem(tr("Date"), int(PhotoGridModel::SortOrder::Date));
    m_sortOrder->addItem(tr("Name"), int(PhotoGridModel::SortOrder::Name));
    m_sortOrder->setCurrentIndex(1);
    m_sortOrder->setToolTip(tr("Sort order"));
    m_zoom = new QSlider(Qt::Horizontal, central);
    m_zoom->setObjectName(QStringLiteral("zoom"));
    m_zoom->setRange(64, 384);
    m_zoom->setValue(160);
    m_zoom->setMaximumWidth(140);
    m_zoom->setToolTip(tr("Thumbnail size"));
    bar->addWidget(m_searchField, 1);
    bar->addWidget(new QLabel(tr("Sort:"), central));
    bar->addWidget(m_sortOrder);
    bar->addWidget(m_zoom);
    photosLayout->addLayout(bar);

    m_searchError = new QLabel(central);
    m_searchError->setObjectName(QStringLiteral("searchError"));
    m_searchError->setWordWrap(true);
    m_searchError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_searchError->hide();
    photosLayout->addWidget(m_searchError);

    m_gridView = new PhotoGridView(central);
    m_gridView->setObjectName(QStringLiteral("photoGrid"));
    m_gridView->setModel(m_gridModel);
    photosLayout->addWidget(m_gridView, 1);

    m_mapView = new MapView(m_controller, m_thumbnails, m_tabs);
    m_mapView->setObjectName(QStringLiteral("mapView"));
    m_tabs->addTab(m_mapView, tr("Map"));
    m_trainView = new TrainView(m_controller, m_tabs);
    m_trainView->setObjectName(QStringLiteral("trainView"));
    m_tabs->addTab(m_trainView, tr("Train"));
    setCentralWidget(central);
    connect(m_trainView, &TrainView::errorOccurred, this, [this](const QString &message) {
        m_demoFolder.clear();
        m_messageBar->showMessage(message, MessageBar::Level::Error);
    });
    connect(m_trainView, &TrainView::trainingFinished, this, [this](const QString &modelDir) {
        if (!m_demoFolder.isEmpty())
            demoTrained(modelDir);
    });

    // The grid's selection and the map's highlighted points follow each other.
    connect(m_gridView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_mapView->setSelectedPhotos(m_gridView->selectedPhotoIds()); });
    connect(m_mapView, &MapView::photosSelected, this,
            [this](const std::vector<int64_t> &ids) { m_gridView->selectPhotos(ids); });
    connect(m_mapView, &MapView::errorOccurred, this,
            [this](const QString &message) { m_messageBar->showMessage(message, MessageBar::Level::Error); });

    // Library panel.
    auto *libraryDock = new QDockWidget(tr("Library"), this);
    libraryDock->setObjectName(QStringLiteral("libraryDock"));
    auto *libraryPanel = new QWidget(libraryDock);
    auto *libraryLayout = new QVBoxLayout(libraryPanel);
    m_folderView = new QListView(libraryPanel);
    m_folderView->setObjectName(QStringLiteral("folderList"));
    m_folderView->setModel(m_folderModel);
    m_folderView->setTextElideMode(Qt::ElideMiddle);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add Folder…"), libraryPanel);
    auto *remove = new QPushButton(tr("Remove"), libraryPanel);
    remove->setToolTip(
        tr("Remove the selected folder's photos from the library (nothing is deleted from disk)"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    m_failuresLabel = new QLabel(libraryPanel);
    m_failuresLabel->setObjectName(QStringLiteral("failures"));
    m_failuresLabel->setWordWrap(true);
    m_failuresLabel->hide();
    libraryLayout->addWidget(m_folderView, 1);
    libraryLayout->addLayout(buttons);
    libraryLayout->addWidget(m_failuresLabel);
    auto *dropHint =
        new QLabel(tr("Drop folders or photos anywhere on the window to add them."), libraryPanel);
    dropHint->setWordWrap(true);
    dropHint->setEnabled(false);
    libraryLayout->addWidget(dropHint);
    libraryDock->setWidget(libraryPanel);
    addDockWidget(Qt::LeftDockWidgetArea, libraryDock);
    connect(add, &QPushButton::clicked, this, &MainWindow::addFolderDialog);
    connect(remove, &QPushButton::clicked, this, &MainWindow::removeSelectedFolder);
    connect(m_failuresLabel, &QLabel::linkActivated, this, [this] {
        const auto snapshot = m_controller->snapshot();
        if (!snapshot)
            return;
        QStringList lines;
        for (const Photo &p : snapshot->failures)
            lines << QStringLiteral("%1: %2").arg(QString::fromStdString(p.path),
                                                  QString::fromStdString(p.error));
        auto *box =
            new QMessageBox(QMessageBox::Information, tr("Files that could not be read"),
                            tr("%n file(s) could not be read. They are skipped and tried again at the "
                               "next indexing run.",
                               nullptr, int(lines.size())),
                            QMessageBox::Close, this);
        box->setDetailedText(lines.join(QLatin1Char('\n')));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        box->show();
    });

    // Classification panel.
    auto *classifyDock = new QDockWidget(tr("Classify"), this);
    classifyDock->setObjectName(QStringLiteral("classifyDock"));
    m_classifyPanel = new ClassifyPanel(m_controller, m_gridModel, classifyDock);
    m_classifyPanel->setSelectionProvider([this] { return m_gridView->selectedPhotoIds(); });
    classifyDock->setWidget(m_classifyPanel);
    addDockWidget(Qt::RightDockWidgetArea, classifyDock);
    connect(m_classifyPanel, &ClassifyPanel::errorOccurred, this,
            [this](const QString &message) { m_messageBar->showMessage(message, MessageBar::Level::Error); });

    // Status bar.
    m_statusArea = new StatusArea(this);
    m_countLabel = new QLabel(this);
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    statusBar()->addWidget(m_statusArea, 1);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_modelLabel);

    // Grid interactions.
    connect(m_gridView, &PhotoGridView::photoActivated, this, &MainWindow::openPhoto);
    connect(m_gridView, &PhotoGridView::findSimilarRequested, this, &MainWindow::findSimilar);
    connect(m_sortOrder, &QComboBox::activated, this, [this] {
        m_gridModel->setSortOrder(PhotoGridModel::SortOrder(m_sortOrder->currentData().toInt()));
    });
    connect(m_zoom, &QSlider::valueChanged, m_gridView, &PhotoGridView::setCellSize);
    connect(m_gridModel, &QAbstractItemModel::modelReset, this, &MainWindow::updateModelLabel);
    connect(m_searchField, &SearchField::queryChanged, this, &MainWindow::search);
    connect(m_searchField, &SearchField::imageDropped, this, [this](const QString &path) {
        const std::optional<Photo> known =
            m_controller->library().photoByPath(QFileInfo(path).absoluteFilePath().toStdString());
        if (known) // already embedded: no need to decode it again
            m_searchField->setQuery(QStringLiteral("photo:%1").arg(known->id));
        else
            m_searchField->setQuery(QStringLiteral("image:\"%1\"").arg(path));
    });
    connect(m_statusArea, &StatusArea::cancelRequested, this, [this] {
        m_controller->cancelIndexing();
        m_statusArea->showProgress(tr("Cancelling…"), 0, 0, false);
    });
}

void MainWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Add &Folder…"), QKeySequence(tr("Ctrl+Shift+O")), this, &MainWindow::addFolderDialog);
    file->addAction(tr("Add &Photos…"), this, &MainWindow::addPhotosDialog);
    file->addAction(tr("Open &Model…"), QKeySequence(tr("Ctrl+M")), this, &MainWindow::openModelDialog);
    file->addAction(tr("Models and &Downloads…"), this, &MainWindow::showModels);
    file->addSeparator();
    file->addAction(tr("&Rescan Library"), QKeySequence::Refresh, m_controller,
                    &LibraryController::startIndexing);
    file->addAction(tr("&Export Labels as CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Labels"), QStringLiteral("labels.csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            m_classifyPanel->exportCsv(path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("Select &All"), QKeySequence::SelectAll, m_gridView, &QAbstractItemView::selectAll);
    edit->addAction(tr("&Find"), QKeySequence::Find, this, [this] {
        m_searchField->setFocus();
        m_searchField->selectAll();
    });
    edit->addSeparator();
    edit->addAction(tr("&Preferences…"), QKeySequence::Preferences, this, &MainWindow::showPreferences);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Lodestone"), this, &MainWindow::showAbout);
}

void MainWindow::connectController()
{
    connect(m_controller, &LibraryController::snapshotReady, this, &MainWindow::showSnapshot);
    connect(m_controller, &LibraryController::classificationFinished, this,
            [this] { m_gridModel->setClassification(m_controller->classification()); });
    connect(m_controller, &LibraryController::modelLoading, this, [this](const QString &path) {
        m_statusArea->showProgress(tr("Loading model %1…").arg(QFileInfo(path).fileName()), 0, 0, false);
    });
    connect(m_controller, &LibraryController::modelLoaded, this, [this] {
        if (m_messageBar->level() == MessageBar::Level::Information)
            m_messageBar->hide();
        updateModelLabel();
        if (!m_controller->isIndexing())
            m_statusArea->showIdle(tr("Model ready"));
        if (!m_searchField->text().trimmed().isEmpty())
            search(m_searchField->text().trimmed());
    });
    connect(m_controller, &LibraryController::modelFailed, this, [this](const QString &message) {
        m_statusArea->showIdle({});
        m_messageBar->showMessage(message, MessageBar::Level::Error);
    });
    connect(m_controller, &LibraryController::indexingStarted, this, [this] {
        m_folderModel->setIndexing(true);
        m_statusArea->showProgress(tr("Scanning folders…"), 0, 0);
    });
    connect(m_controller, &LibraryController::indexProgressed, this,
            [this](const QString &phase, qint64 done, qint64 total, double perSecond, double eta,
                   const QString &) {
                if (phase == QLatin1String("scanning")) {
                    m_statusArea->showProgress(tr("Scanning folders: %n file(s) found", nullptr, int(done)),
                                               0, 0);
                    return;
                }
                QString text = tr("Indexing %1 of %2 photos").arg(done).arg(total);
                if (perSecond > 0)
                    text += QStringLiteral(" · ") + tr("%1/s").arg(perSecond, 0, 'f', 1);
                if (eta >= 0)
                    text += QStringLiteral(" · ") + tr("%1 left").arg(durationText(eta));
                m_statusArea->showProgress(text, done, total);
            });
    connect(m_controller, &LibraryController::indexFinished, this, &MainWindow::showIndexSummary);
    connect(m_controller, &LibraryController::indexFailed, this, [this](const QString &message) {
        m_folderModel->setIndexing(false);
        m_statusArea->showIdle(tr("Indexing stopped"));
        m_messageBar->showMessage(tr("Indexing stopped: %1").arg(message), MessageBar::Level::Error);
    });
    connect(m_controller, &LibraryController::searchFinished, this,
            [this](std::shared_ptr<const SearchResults> results) {
                m_searchError->hide();
                m_gridModel->setScores(*results);
                m_sortOrder->setCurrentIndex(
                    m_sortOrder->findData(int(PhotoGridModel::SortOrder::Relevance)));
                m_gridView->scrollToTop();
                m_statusArea->showIdle(
                    tr("Ranked %n photo(s) by similarity", nullptr, int(results->scores.size())));
            });
    connect(m_controller, &LibraryController::searchFailed, this,
            [this](const QString &expression, const QString &message) {
                if (expression != m_searchField->text().trimmed())
                    return; // an older query
                m_searchError->setText(message);
                m_searchError->show();
            });
    connect(m_controller, &LibraryController::errorOccurred, this,
            [this](const QString &message) { m_messageBar->showMessage(message, MessageBar::Level::Error); });
}

void MainWindow::applyPreferences()
{
    m_controller->setDevice(m_preferences.device);
    m_controller->setBatchSize(m_preferences.batchSize);
    m_thumbnails->setDiskCacheLimit(qint64(m_preferences.thumbnailCacheMiB) << 20);
}

void MainWindow::restoreWindowState()
{
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_zoom->setValue(settings.value(QStringLiteral("window/zoom"), 160).toInt());
    const int sort = m_sortOrder->findData(settings.value(QStringLiteral("window/sort"), 1).toInt());
    if (sort > 0) { // relevance needs a search; the grid starts without one
        m_sortOrder->setCurrentIndex(sort);
        m_gridModel->setSortOrder(PhotoGridModel::SortOrder(m_sortOrder->currentData().toInt()));
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/zoom"), m_zoom->value());
    settings.setValue(QStringLiteral("window/sort"), m_sortOrder->currentData());
    if (m_viewer)
        m_viewer->close();
    QMainWindow::closeEvent(event);
}

// --- what the window shows ---

void MainWindow::showSnapshot()
{
    const auto snapshot = m_controller->snapshot();
    if (!snapshot)
        return;
    m_gridModel->setSnapshot(snapshot);
    m_gridModel->setClassification(m_controller->classification());
    m_folderModel->setFolders(snapshot->folders);
    if (snapshot->failures.empty()) {
        m_failuresLabel->hide();
    } else {
        m_failuresLabel->setText(tr("%n file(s) could not be read. <a href=\"#\">Show</a>", nullptr,
                                    int(snapshot->failures.size())));
        m_failuresLabel->show();
    }
    updateModelLabel();
}

void MainWindow::updateModelLabel()
{
    const int shown = m_gridModel->rowCount();
    const int total = m_gridModel->totalPhotos();
    m_countLabel->setText(shown == total ? tr("%n photo(s)", nullptr, total)
                                         : tr("%1 of %n photo(s)", nullptr, total).arg(shown));
    if (!m_controller->hasModel()) {
        m_modelLabel->setText(tr("No model"));
        return;
    }
    const ModelSummary &model = m_controller->modelSummary();
    m_modelLabel->setText(tr("%1 · %2-d · %3").arg(model.name).arg(model.dim).arg(model.device));
    m_modelLabel->setToolTip(
        tr("%1\n%2 parameters\nidentity %3")
            .arg(model.path, QLocale().toString(model.parameterCount), model.id.left(16)));
}

void MainWindow::showIndexSummary(const IndexSummary &summary)
{
    m_folderModel->setIndexing(false);
    const qint64 inLibrary = summary.indexed + summary.unchanged + summary.moved;
    QString text = summary.cancelled
                       ? tr("Indexing cancelled: %n photo(s) indexed", nullptr, int(summary.indexed))
                       : tr("Library up to date: %n photo(s)", nullptr, int(inLibrary)) +
                             QStringLiteral(", ") + tr("%n new", nullptr, int(summary.indexed));
    if (summary.moved > 0)
        text += QStringLiteral(", ") + tr("%n moved", nullptr, int(summary.moved));
    if (summary.removed > 0)
        text += QStringLiteral(", ") + tr("%n removed", nullptr, int(summary.removed));
    if (summary.failed > 0)
        text += QStringLiteral(", ") + tr("%n failed", nullptr, int(summary.failed));
    m_statusArea->showIdle(text);
    if (!summary.errors.empty()) {
        QStringList lines;
        for (const IndexFailure &f : summary.errors)
            lines << QStringLiteral("%1: %2").arg(QString::fromStdString(f.path),
                                                  QString::fromStdString(f.error));
        m_messageBar->showMessage(
            tr("%n file(s) could not be read and were skipped.", nullptr, int(summary.errors.size())),
            MessageBar::Level::Warning, lines.join(QLatin1Char('\n')));
    }
}

// --- actions ---

void MainWindow::addPaths(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    const QStringList problems = m_controller->addFolders(paths);
    if (!problems.isEmpty())
        m_messageBar->showMessage(tr("%n item(s) could not be added.", nullptr, int(problems.size())),
                                  MessageBar::Level::Warning, problems.join(QLatin1Char('\n')));
    else if (!m_controller->hasModel() && !m_controller->isLoadingModel())
        m_messageBar->showMessage(tr("Added. The photos are indexed as soon as a model is open (File → Open "
                                     "Model…)."),
                                  MessageBar::Level::Information);
}

void MainWindow::search(const QString &query)
{
    if (query.isEmpty()) {
        m_searchError->hide();
        m_gridModel->clearScores();
        m_sortOrder->setCurrentIndex(m_sortOrder->findData(int(m_gridModel->sortOrder())));
        if (!m_statusArea->isBusy())
            m_statusArea->showIdle({});
        return;
    }
    m_controller->search(query);
}

void MainWindow::findSimilar(qint64 photoId)
{
    m_searchField->setQuery(QStringLiteral("photo:%1").arg(photoId));
}

void MainWindow::openPhoto(qint64 photoId)
{
    if (!m_viewer) {
        m_viewer = new PhotoViewer(m_controller, m_thumbnails, this);
        connect(m_viewer, &PhotoViewer::findSimilarRequested, this, &MainWindow::findSimilar);
    }
    m_viewer->showPhoto(photoId);
    m_viewer->show();
    m_viewer->raise();
    m_viewer->activateWindow();
}

QString MainWindow::searchError() const
{
    return m_searchError->isHidden() ? QString() : m_searchError->text();
}

void MainWindow::addFolderDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Folder"));
    if (!folder.isEmpty())
        addPaths({folder});
}

void MainWindow::addPhotosDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add Photos"), {}, tr("Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.gif)"));
    addPaths(files);
}

void MainWindow::openModelDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Open Model Folder (Hugging Face, OpenCLIP or Lodestone checkpoint)"));
    if (!folder.isEmpty())
        m_controller->loadModel(folder);
}

void MainWindow::showModels()
{
    // One dialog, kept: a download goes on while it is closed.
    if (!m_modelsDialog)
        m_modelsDialog = new ModelsDialog(m_controller, this);
    m_modelsDialog->show();
    m_modelsDialog->raise();
    m_modelsDialog->activateWindow();
}

void MainWindow::removeSelectedFolder()
{
    const QModelIndex index = m_folderView->currentIndex();
    if (!index.isValid())
        return;
    m_controller->removeFolder(index.data(FolderListModel::PathRole).toString());
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(m_preferences, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Preferences before = m_preferences;
    m_preferences = dialog.preferences();
    QSettings settings;
    m_preferences.save(settings);
    applyPreferences();
    if (m_preferences.language != before.language || m_preferences.device != before.device)
        m_messageBar->showMessage(tr("The new language applies at the next start; the new device at the next "
                                     "model load."),
                                  MessageBar::Level::Information);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Lodestone"),
        tr("<h3>Lodestone %1</h3><p>Explore photo collections through a contrastive image–text "
           "embedding: search by text or by example, classify with labels you type, and see how "
           "your photos cluster.</p>")
            .arg(QApplication::applicationVersion()));
}

// --- the first-run demo ---

void MainWindow::startDemo(const QString &folder, int photos, double minutes)
{
    m_demoFolder = folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                          QStringLiteral("/demo")
                                    : folder;
    m_trainView->setDataKind(TrainView::DataKind::ShapesWorld);
    m_trainView->setDataPath(m_demoFolder + QStringLiteral("/world"));
    m_trainView->setShapesPhotoCount(photos);
    m_trainView->setArchitecture(QStringLiteral("tiny-conv"));
    m_trainView->setTimeLimitMinutes(minutes);
    m_trainView->setOutputFolder(m_demoFolder + QStringLiteral("/run-") +
                                 QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    m_tabs->setCurrentWidget(m_trainView);
    m_messageBar->showMessage(
        tr("The demo: drawing a world of coloured shapes, then training a small model on it "
           "for %n minute(s). Watch its loss fall here; the photos it has not seen are "
           "indexed when it is done.",
           nullptr, int(std::ceil(minutes))),
        MessageBar::Level::Information);
    m_trainView->start();
}

void MainWindow::demoTrained(const QString &modelDir)
{
    // Load the model, then index the world's held-out test photos with it (adding the folder starts the
    // indexing once the model is in).
    connect(
        m_controller, &LibraryController::modelLoaded, this,
        [this] {
            connect(m_controller, &LibraryController::indexFinished, this, &MainWindow::demoIndexed,
                    Qt::SingleShotConnection);
            addPaths({m_demoFolder + QStringLiteral("/world/test/images")});
        },
        Qt::SingleShotConnection);
    m_classifyPanel->setLabels({tr("a red shape"), tr("a green shape"), tr("a blue shape"),
                                tr("a yellow shape"), tr("a purple shape"), tr("an orange shape")});
    m_controller->loadModel(modelDir);
}

void MainWindow::demoIndexed()
{
    m_demoFolder.clear();
    m_tabs->setCurrentIndex(0);
    m_searchField->setQuery(tr("a red circle"));
    m_mapView->setMethod(MapMethod::Umap);
    connect(
        m_mapView, &MapView::computeFinished, this,
        [this] { m_mapView->addProbe(QStringLiteral("red circle - red + blue")); }, Qt::SingleShotConnection);
    m_mapView->compute();
    m_messageBar->showMessage(
        tr("The demo is ready. The grid is ranked by “a red circle”: try your own words. "
           "Press Classify to sort the photos by the colours typed there, and open the Map "
           "tab to see the space, with the probe “red circle - red + blue”."),
        MessageBar::Level::Information);
    Q_EMIT demoReady();
}

// --- drag and drop ---

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

} // namespace lodestone::ui
