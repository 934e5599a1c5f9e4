#include "viewer/photoviewer.h"

#include "library/librarycontroller.h"
#include "thumbnails/thumbnailloader.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPixmap>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <numeric>

namespace lodestone::ui {

namespace {

constexpr int PhotoIdRole = Qt::UserRole;
constexpr int PathRole = Qt::UserRole + 1;
constexpr int HashRole = Qt::UserRole + 2;
constexpr int IconEdge = 96;

QLabel *makeValueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString percent(float probability)
{
    return QLocale().toString(double(probability) * 100.0, 'f', 1) + QLatin1Char('%');
}

} // namespace

PhotoViewer::PhotoViewer(LibraryController *controller, ThumbnailLoader *thumbnails, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_thumbnails(thumbnails)
{
    setModal(false);
    setSizeGripEnabled(true);
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    setWindowFlag(Qt::WindowMinimizeButtonHint);
    setWindowTitle(tr("Photo"));
    resize(1100, 760);
    // One decode at a time is the useful one; a second thread lets a new photo start while a stale decode
    // ends.
    m_pool.setMaxThreadCount(2);

    m_image = new QLabel(this);
    m_image->setObjectName(QStringLiteral("photoImage"));
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setWordWrap(true);
    // Ignored: the pixmap follows the label's size, never the other way round.
    m_image->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_image->setMinimumSize(240, 180);
    m_image->installEventFilter(this);
    m_rescale.setSingleShot(true);
    m_rescale.setInterval(0);
    connect(&m_rescale, &QTimer::timeout, this, &PhotoViewer::updateScaledPixmap);

    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);

    auto *metadataBox = new QGroupBox(tr("Details"), details);
    metadataBox->setObjectName(QStringLiteral("metadata"));
    auto *form = new QFormLayout(metadataBox);
    m_fileName = makeValueLabel(QStringLiteral("metadataFileName"), metadataBox);
    m_folder = makeValueLabel(QStringLiteral("metadataFolder"), metadataBox);
    m_size = makeValueLabel(QStringLiteral("metadataSize"), metadataBox);
    m_dimensions = makeValueLabel(QStringLiteral("metadataDimensions"), metadataBox);
    m_taken = makeValueLabel(QStringLiteral("metadataTaken"), metadataBox);
    m_modified = makeValueLabel(QStringLiteral("metadataModified"), metadataBox);
    m_contentHash = makeValueLabel(QStringLiteral("metadataContentHash"), metadataBox);
    m_contentHash->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    form->addRow(tr("File name:"), m_fileName);
    form->addRow(tr("Folder:"), m_folder);
    form->addRow(tr("Size:"), m_size);
    form->addRow(tr("Dimensions:"), m_dimensions);
    form->addRow(tr("Taken:"), m_taken);
    form->addRow(tr("Modified:"), m_modified);
    form->addRow(tr("Content hash:"), m_contentHash);
    detailsLayout->addWidget(metadataBox);

    auto *labelsBox = new QGroupBox(tr("Labels"), details);
    auto *labelsLayout = new QVBoxLayout(labelsBox);
    m_labels = makeValueLabel(QStringLiteral("labels"), labelsBox);
    m_labels->setTextFormat(Qt::PlainText);
    labelsLayout->addWidget(m_labels);
    detailsLayout->addWidget(labelsBox);

    m_findSimilar = new QPushButton(tr("Find similar"), details);
    m_findSimilar->setObjectName(QStringLiteral("findSimilar"));
    m_findSimilar->setToolTip(tr("Rank the whole library by similarity to this photo"));
    m_findSimilar->setEnabled(false);
    connect(m_findSimilar, &QPushButton::clicked, this, [this] {
        if (m_photoId != 0)
            Q_EMIT findSimilarRequested(m_photoId);
    });
    detailsLayout->addWidget(m_findSimilar);
    detailsLayout->addStretch(1);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_image);
    top->addWidget(details);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 1);
    top->setCollapsible(0, false);

    auto *neighboursBox = new QGroupBox(tr("Similar photos"), this);
    auto *neighboursLayout = new QVBoxLayout(neighboursBox);
    m_neighbourStatus = new QLabel(neighboursBox);
    m_neighbourStatus->setObjectName(QStringLiteral("neighbourStatus"));
    m_neighbours = new QListWidget(neighboursBox);
    m_neighbours->setObjectName(QStringLiteral("neighbours"));
    m_neighbours->setViewMode(QListView::IconMode);
    m_neighbours->setFlow(QListView::LeftToRight);
    m_neighbours->setWrapping(false);
    m_neighbours->setMovement(QListView::Static);
    m_neighbours->setResizeMode(QListView::Adjust);
    m_neighbours->setUniformItemSizes(true);
    m_neighbours->setSelectionMode(QAbstractItemView::SingleSelection);
    m_neighbours->setIconSize(QSize(IconEdge, IconEdge));
    m_neighbours->setGridSize(QSize(IconEdge + 24, IconEdge + fontMetrics().height() + 12));
    m_neighbours->setFixedHeight(m_neighbours->gridSize().height() +
                                 m_neighbours->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 8);
    connect(m_neighbours, &QListWidget::itemActivated, this, &PhotoViewer::onNeighbourChosen);
    connect(m_neighbours, &QListWidget::itemClicked, this, &PhotoViewer::onNeighbourChosen);
    neighboursLayout->addWidget(m_neighbourStatus);
    neighboursLayout->addWidget(m_neighbours);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(top, 1);
    layout->addWidget(neighboursBox);

    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, this, &PhotoViewer::onThumbnailReady);
    connect(m_controller, &LibraryController::classificationFinished, this, &PhotoViewer::showLabels);
    // A model that arrives (or an index run that embeds this photo) makes neighbours possible.
    connect(m_controller, &LibraryController::modelLoaded, this, &PhotoViewer::requestNeighbours);
    connect(m_controller, &LibraryController::indexFinished, this, &PhotoViewer::requestNeighbours);

    showImageMessage(tr("No photo"));
}

PhotoViewer::~PhotoViewer()
{
    m_decoding.cancel();
    m_pool.waitForDone();
}

qint64 PhotoViewer::photoId() const
{
    return m_photoId;
}

void PhotoViewer::showPhoto(qint64 photoId)
{
    m_photoId = photoId;
    m_picture = QImage();
    const std::optional<Photo> photo = m_controller->library().photo(photoId);
    showMetadata(photo);
    showLabels();
    m_findSimilar->setEnabled(photo.has_value());
    if (photo) {
        setWindowTitle(m_fileName->text());
        showImageMessage(tr("Loading…"));
        startDecode(QString::fromStdString(photo->path));
    } else {
        ++m_decodeSerial; // whatever is decoding belongs to another photo
        m_decoding.cancel();
        setWindowTitle(tr("Photo"));
        showImageMessage(tr("This photo is no longer in the library."));
    }
    requestNeighbours();
}

void PhotoViewer::startDecode(const QString &path)
{
    m_decoding.cancel(); // only drops it if it has not started; a running one finishes and is ignored
    const quint64 serial = ++m_decodeSerial;
    m_decoding = QtConcurrent::run(&m_pool, [path]() -> Decoded {
        // The worker boundary: nothing thrown here may reach the event loop.
        try {
            Decoded decoded;
            decoded.image = ThumbnailLoader::readScaled(path, DecodeEdge, &decoded.error);
            if (decoded.image.isNull() && decoded.error.isEmpty())
                decoded.error = PhotoViewer::tr("the file could not be decoded");
            return decoded;
        } catch (const std::exception &e) {
            return {QImage(), QString::fromUtf8(e.what())};
        } catch (...) {
            return {QImage(), PhotoViewer::tr("unknown error")};
        }
    });
    auto *watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, serial] {
        watcher->deleteLater();
        const QFuture<Decoded> future = watcher->future();
        if (serial != m_decodeSerial || future.isCanceled() || future.resultCount() == 0)
            return; // a previous photo's picture
        onDecoded(future.result());
    });
    watcher->setFuture(m_decoding);
}

void PhotoViewer::onDecoded(const Decoded &decoded)
{
    if (decoded.image.isNull()) {
        showImageMessage(tr("This photo cannot be shown:\n%1").arg(decoded.error));
        return;
    }
    m_picture = decoded.image;
    updateScaledPixmap();
}

void PhotoViewer::showImageMessage(const QString &text)
{
    m_picture = QImage();
    m_image->setPixmap(QPixmap());
    m_image->setText(text);
}

void PhotoViewer::updateScaledPixmap()
{
    if (m_picture.isNull())
        return;
    const qreal ratio = m_image->devicePixelRatioF();
    const QSize target = m_image->contentsRect().size() * ratio;
    if (target.isEmpty())
        return;
    QPixmap pixmap =
        QPixmap::fromImage(m_picture.scaled(target, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    pixmap.setDevicePixelRatio(ratio);
    m_image->setPixmap(pixmap);
}

bool PhotoViewer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_image && event->type() == QEvent::Resize)
        m_rescale.start();
    return QDialog::eventFilter(watched, event);
}

void PhotoViewer::showMetadata(const std::optional<Photo> &photo)
{
    const QList<QLabel *> values = {m_fileName, m_folder,   m_size,       m_dimensions,
                                    m_taken,    m_modified, m_contentHash};
    if (!photo) {
        for (QLabel *label : values)
            label->clear();
        return;
    }
    const QLocale locale;
    const QFileInfo file(QString::fromStdString(photo->path));
    m_fileName->setText(file.fileName());
    m_folder->setText(QDir::toNativeSeparators(file.absolutePath()));
    m_size->setText(locale.formattedDataSize(photo->sizeBytes));
    m_dimensions->setText(photo->width > 0 && photo->height > 0
                              ? tr("%1 × %2 pixels").arg(photo->width).arg(photo->height)
                              : tr("Unknown"));
    const QDateTime taken = QDateTime::fromString(QString::fromStdString(photo->takenAt), Qt::ISODate);
    m_taken->setText(taken.isValid() ? locale.toString(taken, QLocale::LongFormat) : tr("Unknown"));
    m_modified->setText(
        locale.toString(QDateTime::fromMSecsSinceEpoch(photo->modifiedNs / 1000000), QLocale::LongFormat));
    m_contentHash->setText(photo->contentHash.empty() ? tr("Unknown")
                                                      : QString::fromStdString(photo->contentHash));
}

void PhotoViewer::showLabels()
{
    const std::shared_ptr<const Classification> classification = m_controller->classification();
    if (!classification || m_photoId == 0) {
        m_labels->setText(tr("Not classified. Type labels in the Classify panel to label your photos."));
        return;
    }
    const auto &photos = classification->photos;
    const auto found =
        std::lower_bound(photos.begin(), photos.end(), m_photoId,
                         [](const PhotoLabel &label, qint64 id) { return label.photoId < id; });
    if (found == photos.end() || found->photoId != m_photoId) {
        m_labels->setText(tr("Not in the latest classification."));
        return;
    }
    const PhotoLabel &label = *found;
    const auto labelName = [&](size_t index) {
        return index < classification->labels.size() ? QString::fromStdString(classification->labels[index])
                                                     : QString();
    };

    QStringList lines;
    if (label.labelIndex < 0)
        lines << tr("None of these (best below %1)").arg(percent(classification->threshold));
    else
        lines << tr("%1 (%2)").arg(labelName(size_t(label.labelIndex)), percent(label.probability));

    std::vector<size_t> order(label.probabilities.size());
    std::iota(order.begin(), order.end(), size_t(0));
    const size_t top = std::min<size_t>(order.size(), TopLabels);
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(),
                      [&](size_t a, size_t b) { return label.probabilities[a] > label.probabilities[b]; });
    if (top > 0) {
        lines << QString();
        for (size_t i = 0; i < top; ++i)
            lines << tr("%1: %2").arg(labelName(order[i]), percent(label.probabilities[order[i]]));
    }
    m_labels->setText(lines.join(QLatin1Char('\n')));
}

void PhotoViewer::requestNeighbours()
{
    const quint64 serial = ++m_neighbourSerial;
    m_neighbours->clear();
    if (m_photoId == 0) {
        m_neighbourStatus->clear();
        return;
    }
    if (!m_controller->hasModel()) {
        m_neighbourStatus->setText(tr("Load a model to see similar photos."));
        return;
    }
    m_neighbourStatus->setText(tr("Finding similar photos…"));
    m_controller->findNeighbours(
        m_photoId, NeighbourCount, this,
        [this, serial](std::vector<SearchHit> hits) {
            if (serial == m_neighbourSerial)
                showNeighbours(hits);
        },
        [this, serial](const QString &message) {
            if (serial == m_neighbourSerial)
                m_neighbourStatus->setText(tr("Similar photos cannot be found: %1").arg(message));
        });
}

void PhotoViewer::showNeighbours(const std::vector<SearchHit> &hits)
{
    m_neighbours->clear();
    if (hits.empty()) {
        m_neighbourStatus->setText(
            tr("No similar photos: this photo has no embedding with the current model."));
        return;
    }
    m_neighbourStatus->setText(tr("The %n most similar photos", nullptr, int(hits.size())));
    QPixmap placeholder(IconEdge, IconEdge);
    placeholder.fill(Qt::transparent);
    const QLocale locale;
    for (const SearchHit &hit : hits) {
        const QString path = QString::fromStdString(hit.path);
        const std::optional<Photo> photo = m_controller->library().photo(hit.photoId);
        const QString hash = photo ? QString::fromStdString(photo->contentHash) : QString();
        const QString similarity = locale.toString(double(hit.score), 'f', 3);

        auto *item = new QListWidgetItem(similarity);
        item->setData(PhotoIdRole, qint64(hit.photoId));
        item->setData(PathRole, path);
        item->setData(HashRole, hash);
        item->setToolTip(tr("%1\nSimilarity %2").arg(QDir::toNativeSeparators(path), similarity));
        QPixmap thumbnail = m_thumbnails ? m_thumbnails->thumbnail(hit.photoId, path, hash) : QPixmap();
        item->setIcon(QIcon(thumbnail.isNull() ? placeholder : thumbnail));
        m_neighbours->addItem(item);
    }
}

void PhotoViewer::onNeighbourChosen(QListWidgetItem *item)
{
    if (!item)
        return;
    const qint64 id = item->data(PhotoIdRole).toLongLong();
    // Later: showPhoto refills the list, which must not happen inside the list's own signal. A click that
    // also activates (single-click styles) asks twice; the second finds the photo already shown.
    QTimer::singleShot(0, this, [this, id] {
        if (id != m_photoId)
            showPhoto(id);
    });
}

void PhotoViewer::onThumbnailReady(qint64 photoId)
{
    for (int row = 0; row < m_neighbours->count(); ++row) {
        QListWidgetItem *item = m_neighbours->item(row);
        if (item->data(PhotoIdRole).toLongLong() != photoId)
            continue;
        const QPixmap thumbnail = m_thumbnails->thumbnail(photoId, item->data(PathRole).toString(),
                                                          item->data(HashRole).toString());
        if (!thumbnail.isNull())
            item->setIcon(QIcon(thumbnail));
    }
}

} // namespace lodestone::ui
