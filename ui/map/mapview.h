#pragma once

#include "map/mapjobs.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

class QChart;
class QComboBox;
class QGraphicsPolygonItem;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineEdit;
class QLineSeries;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QScatterSeries;
class QSpinBox;
class QValueAxis;

namespace lodestone::ui {

class LibraryController;
class MapChartView;
class MapPointModel;
class ThumbnailLoader;

// The embedding map tab: the library's photos in 2D (PCA, t-SNE or UMAP), coloured by k-means cluster or
// by zero-shot label, cluster names drawn at their centres; hovering shows a photo's thumbnail, clicking or
// Shift-dragging selects photos; probes (`dog - puppy + cat`) drawn as arrows from their first term to their
// result, with their nearest photos listed. Maps and probes are computed on the view's own pool, each job
// with its own catalog connection; a map can be cancelled, and the destructor cancels and waits.
// UI thread only.
class MapView : public QWidget {
    Q_OBJECT
public:
    enum class ColourBy { Cluster, Label };

    MapView(LibraryController *controller, ThumbnailLoader *thumbnails, QWidget *parent = nullptr);
    ~MapView() override; // cancels the running map and waits for every job

    // Starts computing the map with the settings shown (cancelling a running one); computeFinished(),
    // computeCancelled() or errorOccurred() follows.
    void compute();
    // Asks the running computation to stop; computeCancelled() follows once it has, and the map shown
    // before stays as it was.
    void cancel();
    bool isComputing() const { return m_computing; }

    // Highlights these photos' points (the grid's selection); photos not on the map are ignored.
    void setSelectedPhotos(const std::vector<int64_t> &ids);
    std::vector<int64_t> selectedPhotos() const { return m_selectedIds; }

    // Computes a probe expression in the background and draws it on the current map; probeAdded() or
    // errorOccurred() follows.
    void addProbe(const QString &expression);
    void clearProbes();

    void setMethod(MapMethod method);
    void setClusterCount(int clusters); // 0: automatic
    void setColourBy(ColourBy colourBy);
    // Point series with more than this many points are drawn with OpenGL (0: never). Default 5 000; the
    // offscreen platform has no OpenGL, so there it is 0.
    void setOpenGlThreshold(int points) { m_openGlThreshold = points; }

    // For tests and the window.
    MapPointModel *pointModel() const { return m_model; }
    QChart *chart() const { return m_chart; }
    MapChartView *chartView() const { return m_chartView; }
    QList<QScatterSeries *> pointSeries() const { return m_groupSeries; } // one per cluster or label
    QScatterSeries *selectionSeries() const { return m_selectionSeries; }
    QList<QLineSeries *> probeArrows() const;
    QListWidget *probeList() const { return m_probeList; }
    QStringList groupLabels() const; // the names drawn at the clusters' (or labels') centres
    QLabel *hoverPopup() const { return m_hoverPopup; }

Q_SIGNALS:
    void photosSelected(std::vector<int64_t> ids);
    void computeFinished();
    void computeCancelled();
    void probeAdded(const QString &expression);
    void errorOccurred(const QString &message);

private:
    struct Probe {
        ProbePlacement placement;
        QLineSeries *arrow = nullptr;
        QGraphicsPolygonItem *head = nullptr;
        QGraphicsSimpleTextItem *text = nullptr;
    };

    void buildControls();
    void setBusy(bool busy);
    void onProgress(quint64 serial, const QString &phase, qint64 done, qint64 total);
    void onMapComputed(quint64 serial, std::shared_ptr<const MapData> data, const QString &error);
    void onProbeComputed(quint64 mapVersion, const ProbePlacement &placement);
    void clearMap();
    void rebuildSeries();
    void updateSelectionSeries();
    void updateOverlay();
    void updateLabels();
    void onPointHovered(int row, QPoint globalPos);
    void showHoverPopup();
    void onThumbnailReady(qint64 photoId);
    void selectRows(const std::vector<int> &rows);
    QPixmap thumbnailOf(int64_t photoId) const;
    QHash<qint64, QString> currentLabels() const;
    void attach(QScatterSeries *series);

    LibraryController *m_controller;
    ThumbnailLoader *m_thumbnails;
    MapPointModel *m_model;

    QComboBox *m_method = nullptr;
    QSpinBox *m_clusters = nullptr;
    QComboBox *m_colourBy = nullptr;
    QPushButton *m_compute = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_resetZoom = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_probeEdit = nullptr;
    QPushButton *m_clearProbes = nullptr;
    QListWidget *m_probeList = nullptr;
    QLabel *m_hoverPopup = nullptr;

    QChart *m_chart = nullptr;
    MapChartView *m_chartView = nullptr;
    QValueAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
    QList<QScatterSeries *> m_groupSeries;
    QScatterSeries *m_selectionSeries = nullptr;
    QScatterSeries *m_probeStarts = nullptr;
    QScatterSeries *m_probeEnds = nullptr;
    std::vector<QGraphicsSimpleTextItem *> m_groupTexts;
    std::vector<QPointF> m_groupCentres;
    std::vector<Probe> m_probes;
    QRectF m_fullRange;
    int m_openGlThreshold = 5000;

    std::shared_ptr<const MapData> m_data;
    quint64 m_mapVersion = 0; // changes with every map shown (or cleared): probes of older maps are dropped
    std::vector<int64_t> m_selectedIds;
    int m_hoveredRow = -1;
    QPoint m_hoverPos;

    bool m_computing = false;
    quint64 m_jobSerial = 0;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    QThreadPool m_pool;
};

} // namespace lodestone::ui
