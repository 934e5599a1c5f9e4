#include "map/mapview.h"

#include "library/librarycontroller.h"
#include "map/mapchartview.h"
#include "map/mappointmodel.h"
#include "thumbnails/thumbnailloader.h"

#include <QChart>
#include <QComboBox>
#include <QFileInfo>
#include <QGraphicsPolygonItem>
#include <QGraphicsSimpleTextItem>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace lodestone::ui {

namespace {

constexpr int PhotoIdRole = Qt::UserRole + 1; // probe list items: the photo's id (none for headers)

// Distinct colours for clusters and labels (Tableau 20, the strong half first); grey for "none".
QColor groupColour(int group)
{
    static const QRgb colours[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b,
                                   0xe377c2, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a,
                                   0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xdbdb8d, 0x9edae5};
    if (group < 0)
        return QColor(0x9e, 0x9e, 0x9e);
    return QColor(colours[size_t(group) % std::size(colours)]);
}

QString phaseText(const QString &phase)
{
    if (phase == QLatin1String("neighbours"))
        return MapView::tr("Finding neighbours");
    if (phase == QLatin1String("affinities"))
        return MapView::tr("Computing affinities");
    if (phase == QLatin1String("layout"))
        return MapView::tr("Laying out");
    if (phase == QLatin1String("clusters"))
        return MapView::tr("Clustering");
    return phase;
}

float median(std::vector<float> values)
{
    if (values.empty())
        return 0;
    const auto middle = values.begin() + std::ptrdiff_t(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

} // namespace

MapView::MapView(LibraryController *controller, ThumbnailLoader *thumbnails, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_thumbnails(thumbnails)
    , m_model(new MapPointModel(this))
{
    m_pool.setMaxThreadCount(2); // a map and a probe at once
    // The offscreen platform (the tests) has no OpenGL context for the chart's GL series.
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        m_openGlThreshold = 0;
    buildControls();

    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, this, &MapView::onThumbnailReady);
    connect(m_controller, &LibraryController::classificationFinished, this, &MapView::updateLabels);
    connect(m_controller, &LibraryController::snapshotReady, this, &MapView::updateLabels);
    connect(m_controller, &LibraryController::modelLoaded, this, [this] {
        // A map belongs to the model it was computed with.
        cancel();
        clearMap();
        m_status->setText(tr("The model changed: compute the map again."));
    });
}

MapView::~MapView()
{
    if (m_cancelFlag)
        *m_cancelFlag = true;
    m_pool.clear();
    m_pool.waitForDone();
}

void MapView::buildControls()
{
    m_method = new QComboBox;
    m_method->addItem(tr("PCA"), int(MapMethod::Pca));
    m_method->addItem(tr("t-SNE"), int(MapMethod::Tsne));
    m_method->addItem(tr("UMAP"), int(MapMethod::Umap));
    m_method->setCurrentIndex(2);
    m_method->setToolTip(tr("How the embeddings are projected to two dimensions"));

    m_clusters = new QSpinBox;
    m_clusters->setRange(0, 50);
    m_clusters->setSpecialValueText(tr("Automatic"));
    m_clusters->setToolTip(
        tr("Number of k-means clusters; Automatic picks the one with the best silhouette"));

    m_colourBy = new QComboBox;
    m_colourBy->addItem(tr("Cluster"), int(ColourBy::Cluster));
    m_colourBy->addItem(tr("Label"), int(ColourBy::Label));
    m_colourBy->setToolTip(tr("Colour the points by k-means cluster or by zero-shot label"));
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, [this] { rebuildSeries(); });

    m_compute = new QPushButton(tr("Compute"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setEnabled(false);
    m_resetZoom = new QPushButton(tr("Reset zoom"));
    connect(m_compute, &QPushButton::clicked, this, &MapView::compute);
    connect(m_cancel, &QPushButton::clicked, this, &MapView::cancel);

    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    m_progress->setTextVisible(true);
    // Shown while a map computes: it must not widen the window either (windows do not shrink back).
    m_progress->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_progress->setMinimumWidth(80);
    m_status = new QLabel;
    // Long messages (a probe's expression) must not widen the window: the label takes what width is left.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Method:")));
    controls->addWidget(m_method);
    controls->addWidget(new QLabel(tr("Clusters:")));
    controls->addWidget(m_clusters);
    controls->addWidget(new QLabel(tr("Colour by:")));
    controls->addWidget(m_colourBy);
    controls->addWidget(m_compute);
    controls->addWidget(m_cancel);
    controls->addWidget(m_resetZoom);
    controls->addWidget(m_progress, 1);
    controls->addWidget(m_status, 1);

    m_chart = new QChart;
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_axisX = new QValueAxis;
    m_axisY = new QValueAxis;
    m_axisX->setLabelsVisible(false);
    m_axisY->setLabelsVisible(false);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);

    m_selectionSeries = new QScatterSeries;
    m_selectionSeries->setName(tr("Selected"));
    m_selectionSeries->setMarkerSize(13);
    m_selectionSeries->setColor(Qt::transparent);
    m_selectionSeries->setBorderColor(Qt::black);
    m_selectionSeries->setPen(QPen(Qt::black, 2.5));
    m_probeStarts = new QScatterSeries;
    m_probeStarts->setName(tr("Probe start"));
    m_probeStarts->setMarkerSize(10);
    m_probeStarts->setColor(Qt::white);
    m_probeStarts->setBorderColor(Qt::black);
    m_probeEnds = new QScatterSeries;
    m_probeEnds->setName(tr("Probe"));
    m_probeEnds->setMarkerShape(QScatterSeries::MarkerShapeStar);
    m_probeEnds->setMarkerSize(18);
    m_probeEnds->setColor(QColor(0xd6, 0x27, 0x28));
    m_probeEnds->setBorderColor(Qt::black);
    for (QScatterSeries *series : {m_selectionSeries, m_probeStarts, m_probeEnds})
        attach(series);

    m_chartView = new MapChartView(m_chart);
    m_chartView->setAxes(m_axisX, m_axisY);
    m_chartView->setMinimumSize(320, 240);
    m_chartView->setToolTip(tr("Wheel: zoom. Drag: pan. Ctrl+drag: zoom to a rectangle. Shift+drag: select. "
                               "Click: select a photo."));
    connect(m_resetZoom, &QPushButton::clicked, m_chartView, &MapChartView::resetZoom);
    connect(m_chart, &QChart::plotAreaChanged, this, &MapView::updateOverlay);
    connect(m_chartView, &MapChartView::visibleRangeChanged, this, &MapView::updateOverlay);
    connect(m_chartView, &MapChartView::pointClicked, this, [this](int row) { selectRows({row}); });
    connect(m_chartView, &MapChartView::pointsSelected, this, &MapView::selectRows);
    connect(m_chartView, &MapChartView::pointHovered, this, &MapView::onPointHovered);

    m_probeEdit = new QLineEdit;
    m_probeEdit->setPlaceholderText(tr("Probe, e.g. dog - puppy + cat"));
    m_probeEdit->setClearButtonEnabled(true);
    connect(m_probeEdit, &QLineEdit::returnPressed, this, [this] {
        addProbe(m_probeEdit->text());
        m_probeEdit->clear();
    });
    m_clearProbes = new QPushButton(tr("Clear probes"));
    connect(m_clearProbes, &QPushButton::clicked, this, &MapView::clearProbes);
    m_probeList = new QListWidget;
    m_probeList->setIconSize(QSize(48, 48));
    m_probeList->setUniformItemSizes(false);
    connect(m_probeList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QVariant id = item->data(PhotoIdRole);
        if (!id.isValid())
            return;
        const std::vector<int64_t> ids = {int64_t(id.toLongLong())};
        setSelectedPhotos(ids);
        Q_EMIT photosSelected(ids);
    });
    connect(m_probeList, &QListWidget::itemClicked, m_probeList, &QListWidget::itemActivated);

    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("Probes")));
    sideLayout->addWidget(m_probeEdit);
    sideLayout->addWidget(m_clearProbes);
    sideLayout->addWidget(m_probeList, 1);

    auto *splitter = new QSplitter;
    splitter->addWidget(m_chartView);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setCollapsible(0, false);
    side->setMinimumWidth(180);
    splitter->setSizes({760, 240});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    // A small frameless popup with the hovered photo's thumbnail (a QToolTip cannot show a pixmap).
    m_hoverPopup = new QLabel(this, Qt::ToolTip | Qt::FramelessWindowHint);
    m_hoverPopup->setAlignment(Qt::AlignCenter);
    m_hoverPopup->setMargin(4);
    m_hoverPopup->setStyleSheet(
        QStringLiteral("QLabel { background: palette(base); border: 1px solid gray; }"));
    m_hoverPopup->hide();
}

void MapView::attach(QScatterSeries *series)
{
    m_chart->addSeries(series);
    series->attachAxis(m_axisX);
    series->attachAxis(m_axisY);
    for (QLegendMarker *marker : m_chart->legend()->markers(series))
        marker->setVisible(series != m_selectionSeries && series != m_probeStarts && series != m_probeEnds);
}

void MapView::setMethod(MapMethod method)
{
    m_method->setCurrentIndex(m_method->findData(int(method)));
}

void MapView::setClusterCount(int clusters)
{
    m_clusters->setValue(clusters);
}

void MapView::setColourBy(ColourBy colourBy)
{
    m_colourBy->setCurrentIndex(m_colourBy->findData(int(colourBy)));
}

void MapView::setBusy(bool busy)
{
    m_computing = busy;
    m_compute->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    m_method->setEnabled(!busy);
    m_clusters->setEnabled(!busy);
    m_progress->setVisible(busy);
    if (busy) {
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Starting…"));
    }
}

// --- computing ---

void MapView::compute()
{
    if (m_computing) {
        // The running job stops on its own; its result is dropped.
        *m_cancelFlag = true;
        setBusy(false);
    }
    if (!m_controller->hasModel()) {
        const QString message = tr("Load a model before computing the map.");
        m_status->setText(message);
        Q_EMIT errorOccurred(message);
        return;
    }
    MapRequest request;
    request.libraryFolder = m_controller->libraryFolder().toStdString();
    request.modelId = m_controller->modelSummary().id.toStdString();
    request.model = m_controller->model();
    request.options.method = MapMethod(m_method->currentData().toInt());
    request.clusters = m_clusters->value();

    const quint64 serial = ++m_jobSerial;
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_cancelFlag = cancelFlag;
    setBusy(true);
    m_status->setText(tr("Computing the %1 map…").arg(m_method->currentText()));

    (void)QtConcurrent::run(&m_pool, [this, serial, request, cancelFlag] {
        // Progress is posted at most every 100 ms per phase (and at each phase's start and end).
        QString lastPhase;
        auto lastPost = std::chrono::steady_clock::time_point();
        const MapProgressCallback progress = [&](const MapProgress &p) {
            const QString phase = QString::fromStdString(p.phase);
            const auto now = std::chrono::steady_clock::now();
            if (phase == lastPhase && p.done != p.total && now - lastPost < std::chrono::milliseconds(100))
                return;
            lastPhase = phase;
            lastPost = now;
            QMetaObject::invokeMethod(
                this,
                [this, serial, phase, done = qint64(p.done), total = qint64(p.total)] {
                    onProgress(serial, phase, done, total);
                },
                Qt::QueuedConnection);
        };
        std::shared_ptr<const MapData> data;
        QString error;
        try {
            data = std::make_shared<const MapData>(computeLibraryMap(request, progress, cancelFlag.get()));
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        // The view outlives this job: its destructor waits for the pool.
        QMetaObject::invokeMethod(
            this, [this, serial, data, error] { onMapComputed(serial, data, error); }, Qt::QueuedConnection);
    });
}

void MapView::cancel()
{
    if (!m_computing || !m_cancelFlag)
        return;
    *m_cancelFlag = true;
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("Cancelling…"));
}

void MapView::onProgress(quint64 serial, const QString &phase, qint64 done, qint64 total)
{
    if (serial != m_jobSerial || !m_computing || (m_cancelFlag && *m_cancelFlag))
        return;
    // QProgressBar holds ints: scale large totals down.
    const double scale = total > 1000000 ? 1000000.0 / double(total) : 1.0;
    m_progress->setRange(0, int(double(total) * scale));
    m_progress->setValue(int(double(done) * scale));
    m_progress->setFormat(tr("%1: %p%").arg(phaseText(phase)));
}

void MapView::onMapComputed(quint64 serial, std::shared_ptr<const MapData> data, const QString &error)
{
    if (serial != m_jobSerial)
        return; // replaced by a newer computation
    const bool cancelled = m_cancelFlag && *m_cancelFlag;
    setBusy(false);
    if (cancelled || (data && data->cancelled)) {
        // Whatever the job got to is dropped: the map shown before stays as it was.
        m_status->setText(tr("Cancelled."));
        Q_EMIT computeCancelled();
        return;
    }
    if (!error.isEmpty() || !data) {
        const QString message = tr("The map could not be computed: %1").arg(error);
        m_status->setText(message);
        Q_EMIT errorOccurred(message);
        return;
    }
    if (data->photoIds.empty()) {
        const QString message = tr("The map needs at least two photos indexed with the current model.");
        m_status->setText(message);
        Q_EMIT errorOccurred(message);
        return;
    }

    clearMap();
    m_data = data;
    ++m_mapVersion;
    const QHash<qint64, QString> labels = currentLabels();
    std::vector<MapPoint> points(data->photoIds.size());
    std::vector<QPointF> positions(points.size());
    for (size_t i = 0; i < points.size(); ++i) {
        const float *row = data->map.positions.row(int64_t(i));
        points[i] = {data->photoIds[i], row[0], row[1], data->clusters[i],
                     labels.value(qint64(data->photoIds[i]))};
        positions[i] = QPointF(row[0], row[1]);
    }
    m_model->setPoints(std::move(points));
    m_chartView->setPoints(std::move(positions));

    QRectF bounds;
    for (const MapPoint &p : m_model->points())
        bounds |= QRectF(QPointF(p.x, p.y), QSizeF(1e-6, 1e-6));
    const double padX = std::max(bounds.width() * 0.05, 1e-3), padY = std::max(bounds.height() * 0.05, 1e-3);
    m_fullRange = bounds.adjusted(-padX, -padY, padX, padY);
    m_chartView->setFullRange(m_fullRange);
    rebuildSeries();
    updateSelectionSeries();

    const int clusters = int(data->clusterNames.size());
    m_status->setText(tr("%n photo(s)", nullptr, int(data->photoIds.size())) + QStringLiteral(", ") +
                      tr("%n cluster(s)", nullptr, clusters) + QStringLiteral(", ") +
                      tr("%1 s").arg(data->map.seconds, 0, 'f', 1));
    Q_EMIT computeFinished();
}

void MapView::clearMap()
{
    clearProbes();
    m_data.reset();
    ++m_mapVersion;
    m_model->clear();
    m_chartView->setPoints({});
    m_hoveredRow = -1;
    m_hoverPopup->hide();
    rebuildSeries();
    updateSelectionSeries();
}

QHash<qint64, QString> MapView::currentLabels() const
{
    QHash<qint64, QString> labels;
    const std::shared_ptr<const Classification> classification = m_controller->classification();
    if (!classification)
        return labels;
    for (const PhotoLabel &p : classification->photos)
        if (p.labelIndex >= 0 && p.labelIndex < int(classification->labels.size()))
            labels.insert(qint64(p.photoId),
                          QString::fromStdString(classification->labels[size_t(p.labelIndex)]));
    return labels;
}

void MapView::updateLabels()
{
    if (m_model->rowCount() == 0)
        return;
    m_model->setLabels(currentLabels());
    if (ColourBy(m_colourBy->currentData().toInt()) == ColourBy::Label)
        rebuildSeries();
}

// --- drawing ---

void MapView::rebuildSeries()
{
    for (QScatterSeries *series : std::as_const(m_groupSeries)) {
        m_chart->removeSeries(series);
        delete series;
    }
    m_groupSeries.clear();
    for (QGraphicsSimpleTextItem *text : m_groupTexts)
        delete text;
    m_groupTexts.clear();
    m_groupCentres.clear();
    const std::vector<MapPoint> &points = m_model->points();
    if (points.empty() || !m_data)
        return;

    // Groups: clusters (named by the vocabulary), or labels in the classification's order then "no label".
    QStringList names;
    std::vector<int> groupOf(points.size());
    if (ColourBy(m_colourBy->currentData().toInt()) == ColourBy::Cluster) {
        for (size_t c = 0; c < m_data->clusterNames.size(); ++c)
            names << QString::fromStdString(m_data->clusterNames[c]);
        for (size_t i = 0; i < points.size(); ++i)
            groupOf[i] = points[i].cluster;
    } else {
        QHash<QString, int> index;
        if (const auto classification = m_controller->classification())
            for (const std::string &label : classification->labels) {
                index.insert(QString::fromStdString(label), int(names.size()));
                names << QString::fromStdString(label);
            }
        const int none = int(names.size());
        names << tr("No label");
        for (size_t i = 0; i < points.size(); ++i)
            groupOf[i] = points[i].label.isEmpty() ? none : index.value(points[i].label, none);
    }

    std::vector<QList<QPointF>> groupPoints(size_t(names.size()));
    std::vector<std::vector<float>> xs(size_t(names.size())), ys(size_t(names.size()));
    for (size_t i = 0; i < points.size(); ++i) {
        const int g = groupOf[i];
        if (g < 0 || g >= names.size())
            continue;
        groupPoints[size_t(g)].append(QPointF(points[i].x, points[i].y));
        xs[size_t(g)].push_back(points[i].x);
        ys[size_t(g)].push_back(points[i].y);
    }

    const bool openGl = m_openGlThreshold > 0 && int64_t(points.size()) > m_openGlThreshold;
    const qreal markerSize = points.size() > 20000 ? 3 : points.size() > 2000 ? 5 : 8;
    // The highlight and probe series stay on top: taken out and put back after the groups.
    for (QScatterSeries *series : {m_selectionSeries, m_probeStarts, m_probeEnds})
        m_chart->removeSeries(series);
    for (int g = 0; g < names.size(); ++g) {
        if (groupPoints[size_t(g)].isEmpty())
            continue;
        auto *series = new QScatterSeries;
        const bool isNone =
            ColourBy(m_colourBy->currentData().toInt()) == ColourBy::Label && g == names.size() - 1;
        const QString name = names[g].isEmpty() ? tr("Cluster %1").arg(g + 1) : names[g];
        series->setName(tr("%1 (%2)").arg(name).arg(groupPoints[size_t(g)].size()));
        series->setColor(groupColour(isNone ? -1 : g));
        series->setBorderColor(Qt::transparent);
        series->setMarkerSize(markerSize);
        series->setUseOpenGL(openGl);
        series->replace(groupPoints[size_t(g)]);
        attach(series);
        m_groupSeries.append(series);

        auto *text = new QGraphicsSimpleTextItem(name, m_chart);
        QFont font = text->font();
        font.setBold(true);
        text->setFont(font);
        text->setBrush(groupColour(isNone ? -1 : g).darker(160));
        text->setZValue(10);
        m_groupTexts.push_back(text);
        m_groupCentres.emplace_back(median(xs[size_t(g)]), median(ys[size_t(g)]));
    }
    for (QScatterSeries *series : {m_selectionSeries, m_probeStarts, m_probeEnds})
        attach(series);
    updateOverlay();
}

QStringList MapView::groupLabels() const
{
    QStringList out;
    for (const QGraphicsSimpleTextItem *text : m_groupTexts)
        out << text->text();
    return out;
}

QList<QLineSeries *> MapView::probeArrows() const
{
    QList<QLineSeries *> out;
    for (const Probe &probe : m_probes)
        out << probe.arrow;
    return out;
}

void MapView::updateOverlay()
{
    const QRectF plot = m_chart->plotArea();
    // Group names centred on their clusters' medians; hidden when the centre is scrolled out of view.
    for (size_t g = 0; g < m_groupTexts.size(); ++g) {
        QGraphicsSimpleTextItem *text = m_groupTexts[g];
        const QPointF at = m_chart->mapToPosition(m_groupCentres[g], m_selectionSeries);
        const QRectF box = text->boundingRect();
        text->setPos(at - QPointF(box.width() / 2, box.height() / 2));
        text->setVisible(plot.contains(at));
    }
    // Probe arrowheads and expressions at their results.
    for (const Probe &probe : m_probes) {
        const QPointF from =
            m_chart->mapToPosition(QPointF(probe.placement.fromX, probe.placement.fromY), m_selectionSeries);
        const QPointF to =
            m_chart->mapToPosition(QPointF(probe.placement.toX, probe.placement.toY), m_selectionSeries);
        const QPointF d = to - from;
        const double length = std::hypot(d.x(), d.y());
        if (length > 1e-6) {
            const QPointF u = d / length, n(-u.y(), u.x());
            const double size = 12;
            probe.head->setPolygon(
                QPolygonF({to, to - u * size + n * size * 0.45, to - u * size - n * size * 0.45}));
        } else {
            probe.head->setPolygon({});
        }
        probe.head->setVisible(plot.contains(to));
        probe.text->setPos(to + QPointF(10, -probe.text->boundingRect().height() - 4));
        probe.text->setVisible(plot.contains(to));
    }
}

// --- selection ---

void MapView::selectRows(const std::vector<int> &rows)
{
    std::vector<int64_t> ids;
    ids.reserve(rows.size());
    for (int row : rows)
        if (row >= 0 && row < m_model->rowCount())
            ids.push_back(m_model->point(row).photoId);
    setSelectedPhotos(ids);
    Q_EMIT photosSelected(ids);
}

void MapView::setSelectedPhotos(const std::vector<int64_t> &ids)
{
    m_selectedIds = ids;
    updateSelectionSeries();
}

void MapView::updateSelectionSeries()
{
    QList<QPointF> points;
    for (int64_t id : m_selectedIds) {
        const int row = m_model->rowOfPhoto(id);
        if (row >= 0)
            points.append(QPointF(m_model->point(row).x, m_model->point(row).y));
    }
    m_selectionSeries->replace(points);
}

// --- hover ---

QPixmap MapView::thumbnailOf(int64_t photoId) const
{
    if (!m_thumbnails || !m_data)
        return {};
    const auto file = m_data->files.find(photoId);
    if (file == m_data->files.end())
        return {};
    return m_thumbnails->thumbnail(qint64(photoId), QString::fromStdString(file->second.path),
                                   QString::fromStdString(file->second.contentHash));
}

void MapView::onPointHovered(int row, QPoint globalPos)
{
    m_hoveredRow = row;
    m_hoverPos = globalPos;
    showHoverPopup();
}

void MapView::showHoverPopup()
{
    if (m_hoveredRow < 0 || m_hoveredRow >= m_model->rowCount() || !m_data) {
        m_hoverPopup->hide();
        return;
    }
    const MapPoint &point = m_model->point(m_hoveredRow);
    const auto file = m_data->files.find(point.photoId);
    const QString name = file == m_data->files.end()
                             ? tr("Photo %1").arg(point.photoId)
                             : QFileInfo(QString::fromStdString(file->second.path)).fileName();
    const QPixmap thumbnail = thumbnailOf(point.photoId);
    if (thumbnail.isNull()) {
        m_hoverPopup->setPixmap({});
        m_hoverPopup->setText(name);
    } else {
        m_hoverPopup->setPixmap(thumbnail.scaled(160, 160, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    }
    m_hoverPopup->setToolTip(name);
    m_hoverPopup->adjustSize();
    m_hoverPopup->move(m_hoverPos + QPoint(16, 16));
    m_hoverPopup->show();
    m_hoverPopup->raise();
}

void MapView::onThumbnailReady(qint64 photoId)
{
    if (m_hoveredRow >= 0 && m_hoveredRow < m_model->rowCount() &&
        qint64(m_model->point(m_hoveredRow).photoId) == photoId)
        showHoverPopup();
    for (int i = 0; i < m_probeList->count(); ++i) {
        QListWidgetItem *item = m_probeList->item(i);
        if (item->data(PhotoIdRole).isValid() && item->data(PhotoIdRole).toLongLong() == photoId)
            item->setIcon(QIcon(thumbnailOf(photoId)));
    }
}

// --- probes ---

void MapView::addProbe(const QString &expression)
{
    const QString trimmed = expression.trimmed();
    if (trimmed.isEmpty())
        return;
    if (!m_controller->hasModel() || !m_data) {
        const QString message = tr("Compute a map before adding probes.");
        Q_EMIT errorOccurred(message);
        return;
    }
    ProbeRequest request;
    request.libraryFolder = m_controller->libraryFolder().toStdString();
    request.modelId = m_controller->modelSummary().id.toStdString();
    request.model = m_controller->model();
    request.map = m_data;
    request.expression = trimmed.toStdString();
    const quint64 version = m_mapVersion;
    m_status->setText(tr("Placing “%1”…").arg(trimmed));
    (void)QtConcurrent::run(&m_pool, [this, request, version, trimmed] {
        std::optional<ProbePlacement> placement;
        QString error;
        try {
            placement = computeProbe(request);
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        QMetaObject::invokeMethod(
            this,
            [this, version, placement, error, trimmed] {
                if (placement) {
                    onProbeComputed(version, *placement);
                } else {
                    const QString message = tr("Probe “%1”: %2").arg(trimmed, error);
                    m_status->setText(message);
                    Q_EMIT errorOccurred(message);
                }
            },
            Qt::QueuedConnection);
    });
}

void MapView::onProbeComputed(quint64 mapVersion, const ProbePlacement &placement)
{
    if (mapVersion != m_mapVersion)
        return; // placed into a map that is no longer shown
    const QString expression = QString::fromStdString(placement.expression);
    Probe probe;
    probe.placement = placement;
    const QPointF from(placement.fromX, placement.fromY), to(placement.toX, placement.toY);
    probe.arrow = new QLineSeries;
    probe.arrow->setName(expression);
    probe.arrow->setPen(QPen(QColor(0x30, 0x30, 0x30), 2));
    probe.arrow->append(from);
    probe.arrow->append(to);
    m_chart->addSeries(probe.arrow);
    probe.arrow->attachAxis(m_axisX);
    probe.arrow->attachAxis(m_axisY);
    for (QLegendMarker *marker : m_chart->legend()->markers(probe.arrow))
        marker->setVisible(false);
    probe.head = new QGraphicsPolygonItem(m_chart);
    probe.head->setBrush(QColor(0x30, 0x30, 0x30));
    probe.head->setPen(Qt::NoPen);
    probe.head->setZValue(11);
    probe.text = new QGraphicsSimpleTextItem(expression, m_chart);
    probe.text->setZValue(11);
    QFont font = probe.text->font();
    font.setBold(true);
    probe.text->setFont(font);
    m_probeStarts->append(from);
    m_probeEnds->append(to);
    m_probes.push_back(probe);

    // Text vectors may land outside the photos' extent: widen the full view to hold both ends.
    const QRectF ends = QRectF(from, to).normalized();
    if (!m_fullRange.contains(ends)) {
        const bool atFull = m_chartView->visibleRange() == m_fullRange;
        const double pad = 0.05 * std::max(m_fullRange.width(), m_fullRange.height());
        m_fullRange |= ends.adjusted(-pad, -pad, pad, pad);
        if (atFull)
            m_chartView->setFullRange(m_fullRange);
    }

    auto *header = new QListWidgetItem(expression, m_probeList);
    QFont headerFont = header->font();
    headerFont.setBold(true);
    header->setFont(headerFont);
    header->setFlags(Qt::ItemIsEnabled);
    for (const SearchHit &hit : placement.photos) {
        auto *item = new QListWidgetItem(m_probeList);
        item->setText(tr("%1 (%2)")
                          .arg(QFileInfo(QString::fromStdString(hit.path)).fileName())
                          .arg(double(hit.score), 0, 'f', 3));
        item->setData(PhotoIdRole, qint64(hit.photoId));
        item->setToolTip(QString::fromStdString(hit.path));
        const QPixmap thumbnail = thumbnailOf(hit.photoId);
        if (!thumbnail.isNull())
            item->setIcon(QIcon(thumbnail));
    }
    updateOverlay();
    m_status->setText(tr("Probe “%1” placed.").arg(expression));
    Q_EMIT probeAdded(expression);
}

void MapView::clearProbes()
{
    for (Probe &probe : m_probes) {
        m_chart->removeSeries(probe.arrow);
        delete probe.arrow;
        delete probe.head;
        delete probe.text;
    }
    m_probes.clear();
    m_probeStarts->clear();
    m_probeEnds->clear();
    m_probeList->clear();
}

} // namespace lodestone::ui
