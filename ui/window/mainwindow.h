#pragma once

#include "settings/preferences.h"

#include <QMainWindow>
#include <QPointer>

class QComboBox;
class QLabel;
class QListView;
class QSlider;
class QTabWidget;

namespace lodestone {
struct IndexSummary;
}

namespace lodestone::ui {

class ClassifyPanel;
class FolderListModel;
class LibraryController;
class MapView;
class MessageBar;
class ModelsDialog;
class PhotoGridModel;
class PhotoGridView;
class PhotoViewer;
class SearchField;
class StatusArea;
class ThumbnailLoader;
class TrainView;

// The main window: the library panel (folders, counts, indexing state) on the left, the photo grid in the
// centre under the search field, the classification panel on the right, and the status area with progress
// and cancel at the bottom. Folders and photos dropped anywhere on it are added and indexed.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `thumbnailCache` is the folder of the on-disk thumbnail cache.
    MainWindow(LibraryController *controller, const Preferences &preferences, const QString &thumbnailCache,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    // What a drop does: folders and photos are added to the library and indexed in the background; what
    // cannot be added is reported.
    void addPaths(const QStringList &paths);
    void search(const QString &query); // as typed in the search field
    void findSimilar(qint64 photoId);  // photo:ID in the search field
    void openPhoto(qint64 photoId);    // the viewer
    // The first-run demo: a synthetic shapes world is drawn into `folder` (default: the user's data folder),
    // a small model trains on it for `minutes` with its curve in the Train tab, the held-out photos are
    // indexed, and search, the classification panel and the map are set up with suggestions. demoReady()
    // follows; a failure shows in the message bar.
    void startDemo(const QString &folder = {}, int photos = 8000, double minutes = 4);

    PhotoGridModel *gridModel() const { return m_gridModel; }
    PhotoGridView *gridView() const { return m_gridView; }
    SearchField *searchField() const { return m_searchField; }
    ClassifyPanel *classifyPanel() const { return m_classifyPanel; }
    MapView *mapView() const { return m_mapView; }
    TrainView *trainView() const { return m_trainView; }
    QTabWidget *tabs() const { return m_tabs; }
    StatusArea *statusArea() const { return m_statusArea; }
    MessageBar *messageBar() const { return m_messageBar; }
    FolderListModel *folderModel() const { return m_folderModel; }
    ThumbnailLoader *thumbnails() const { return m_thumbnails; }
    QString searchError() const; // the message under the search field; empty when the query is fine

Q_SIGNALS:
    void demoReady();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildLayout();
    void connectController();
    void applyPreferences();
    void showIndexSummary(const lodestone::IndexSummary &summary);
    void showSnapshot();
    void updateModelLabel();
    void addFolderDialog();
    void addPhotosDialog();
    void openModelDialog();
    void showModels();
    void removeSelectedFolder();
    void showPreferences();
    void showAbout();
    void restoreWindowState();
    void offerDemo();
    void demoTrained(const QString &modelDir);
    void demoIndexed();

    LibraryController *m_controller;
    Preferences m_preferences;
    ThumbnailLoader *m_thumbnails;
    PhotoGridModel *m_gridModel;
    FolderListModel *m_folderModel;

    QTabWidget *m_tabs = nullptr;
    PhotoGridView *m_gridView = nullptr;
    MapView *m_mapView = nullptr;
    TrainView *m_trainView = nullptr;
    QString m_demoFolder; // set while the first-run demo is under way
    SearchField *m_searchField = nullptr;
    QLabel *m_searchError = nullptr;
    QComboBox *m_sortOrder = nullptr;
    QSlider *m_zoom = nullptr;
    QListView *m_folderView = nullptr;
    QLabel *m_failuresLabel = nullptr;
    ClassifyPanel *m_classifyPanel = nullptr;
    StatusArea *m_statusArea = nullptr;
    MessageBar *m_messageBar = nullptr;
    QLabel *m_modelLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    QPointer<PhotoViewer> m_viewer;
    QPointer<ModelsDialog> m_modelsDialog;
};

} // namespace lodestone::ui
