#include "grid/photogridmodel.h"

#include "thumbnails/thumbnailloader.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>
#include <climits>
#include <numeric>

namespace lodestone::ui {

namespace {

const std::vector<std::string> NoLabels;

// EXIF "YYYY-MM-DDTHH:MM:SS" (local time of the camera), else the file's modification time.
qint64 photoDateMs(const Photo &photo)
{
    if (photo.takenAt.size() >= 19) {
        const QDateTime taken =
            QDateTime::fromString(QString::fromLatin1(photo.takenAt.data(), 19), Qt::ISODate);
        if (taken.isValid())
            return taken.toMSecsSinceEpoch();
    }
    return photo.modifiedNs / 1000000;
}

} // namespace

PhotoGridModel::PhotoGridModel(ThumbnailLoader *thumbnails, QObject *parent)
    : QAbstractListModel(parent)
    , m_thumbnails(thumbnails)
{
    connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, this, &PhotoGridModel::onThumbnailReady);
    connect(m_thumbnails, &ThumbnailLoader::thumbnailFailed, this, &PhotoGridModel::onThumbnailReady);
}

int PhotoGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant PhotoGridModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items[m_rows[index.row()]];
    const auto labelText = [&]() -> QString {
        if (!m_classification || item.labelIndex < 0)
            return {};
        return QString::fromStdString(m_classification->labels[item.labelIndex]);
    };
    switch (role) {
    case Qt::DisplayRole:
        return item.name;
    case Qt::ToolTipRole: {
        QString tip = item.path;
        if (item.hasScore)
            tip += QStringLiteral("\n") + tr("Similarity %1").arg(double(item.score), 0, 'f', 3);
        if (item.labelIndex >= 0)
            tip += QStringLiteral("\n") + tr("%1 (%2%)").arg(labelText()).arg(qRound(item.confidence * 100));
        else if (item.labelIndex == -1)
            tip += QStringLiteral("\n") + tr("None of these labels");
        return tip;
    }
    case Qt::DecorationRole: {
        const QPixmap pixmap =
            m_thumbnails->thumbnail(item.photo.id, item.path, QString::fromStdString(item.photo.contentHash));
        return pixmap.isNull() ? QVariant() : QVariant(pixmap);
    }
    case PhotoIdRole:
        return qint64(item.photo.id);
    case PathRole:
        return item.path;
    case ScoreRole:
        return item.hasScore ? QVariant(item.score) : QVariant();
    case LabelRole:
        return labelText();
    case LabelIndexRole:
        return item.labelIndex >= -1 ? QVariant(item.labelIndex) : QVariant();
    case ConfidenceRole:
        return item.labelIndex >= -1 ? QVariant(item.confidence) : QVariant();
    case DateRole:
        return QDateTime::fromMSecsSinceEpoch(item.dateMs);
    case ThumbnailFailedRole:
        return m_thumbnails->hasFailed(item.photo.id);
    default:
        return {};
    }
}

QHash<int, QByteArray> PhotoGridModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{PhotoIdRole, "photoId"},
                  {PathRole, "path"},
                  {ScoreRole, "score"},
                  {LabelRole, "label"},
                  {LabelIndexRole, "labelIndex"},
                  {ConfidenceRole, "confidence"},
                  {DateRole, "date"},
                  {ThumbnailFailedRole, "thumbnailFailed"}});
    return names;
}

const std::vector<std::string> &PhotoGridModel::labels() const
{
    return m_classification ? m_classification->labels : NoLabels;
}

qint64 PhotoGridModel::photoIdAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_items[m_rows[row]].photo.id : 0;
}

int PhotoGridModel::rowOfPhoto(qint64 photoId) const
{
    const auto it = m_itemOfPhoto.constFind(photoId);
    return it == m_itemOfPhoto.constEnd() ? -1 : m_rowOfItem[*it];
}

bool PhotoGridModel::passesFilter(const Item &item) const
{
    return !m_labelFilter || item.labelIndex == *m_labelFilter;
}

bool PhotoGridModel::lessThan(int a, int b) const
{
    const Item &x = m_items[a];
    const Item &y = m_items[b];
    switch (m_sortOrder) {
    case SortOrder::Relevance:
        if (x.hasScore != y.hasScore)
            return x.hasScore;
        if (x.hasScore && x.score != y.score)
            return x.score > y.score;
        [[fallthrough]]; // unscored: newest first
    case SortOrder::Date:
        if (x.dateMs != y.dateMs)
            return x.dateMs > y.dateMs;
        break;
    case SortOrder::Name:
        if (const int c = x.name.compare(y.name, Qt::CaseInsensitive); c != 0)
            return c < 0;
        break;
    }
    return x.photo.id < y.photo.id;
}

void PhotoGridModel::rebuildRows(bool keepPersistentIndexes)
{
    const auto build = [this] {
        m_rows.clear();
        for (int i = 0; i < int(m_items.size()); ++i)
            if (passesFilter(m_items[i]))
                m_rows.push_back(i);
        std::sort(m_rows.begin(), m_rows.end(), [this](int a, int b) { return lessThan(a, b); });
        m_rowOfItem.assign(m_items.size(), -1);
        for (int row = 0; row < int(m_rows.size()); ++row)
            m_rowOfItem[m_rows[row]] = row;
    };
    if (!keepPersistentIndexes) {
        beginResetModel();
        build();
        endResetModel();
        return;
    }
    // The same rows in a new order: views keep their selection and current item.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> itemsBefore;
    itemsBefore.reserve(before.size());
    for (const QModelIndex &index : before)
        itemsBefore.push_back(index.isValid() ? m_rows[index.row()] : -1);
    build();
    QModelIndexList after;
    after.reserve(before.size());
    for (int item : itemsBefore)
        after.push_back(item >= 0 && m_rowOfItem[item] >= 0 ? index(m_rowOfItem[item]) : QModelIndex());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void PhotoGridModel::setPhotos(const std::vector<Photo> &photos)
{
    QHash<qint64, const Photo *> incoming;
    incoming.reserve(int(photos.size()));
    for (const Photo &p : photos)
        incoming.insert(p.id, &p);

    // 1. Photos that left the library: their rows go, bottom up, in contiguous ranges.
    std::vector<int> goneRows;
    std::vector<char> gone(m_items.size(), 0);
    for (int i = 0; i < int(m_items.size()); ++i) {
        if (!incoming.contains(m_items[i].photo.id)) {
            gone[i] = 1;
            if (m_rowOfItem[i] >= 0)
                goneRows.push_back(m_rowOfItem[i]);
        }
    }
    std::sort(goneRows.begin(), goneRows.end(), std::greater<>());
    for (size_t k = 0; k < goneRows.size();) {
        size_t end = k;
        while (end + 1 < goneRows.size() && goneRows[end + 1] == goneRows[end] - 1)
            ++end;
        const int first = goneRows[end];
        const int last = goneRows[k];
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        k = end + 1;
    }
    if (std::find(gone.begin(), gone.end(), 1) != gone.end()) {
        std::vector<int> newIndex(m_items.size(), -1);
        std::vector<Item> kept;
        kept.reserve(m_items.size());
        for (int i = 0; i < int(m_items.size()); ++i) {
            if (!gone[i]) {
                newIndex[i] = int(kept.size());
                kept.push_back(std::move(m_items[i]));
            }
        }
        m_items = std::move(kept);
        for (int &item : m_rows)
            item = newIndex[item];
    }
    if (!goneRows.empty() || int(m_itemOfPhoto.size()) != int(m_items.size())) {
        m_itemOfPhoto.clear();
        for (int i = 0; i < int(m_items.size()); ++i)
            m_itemOfPhoto.insert(m_items[i].photo.id, i);
    }

    m_rowOfItem.assign(m_items.size(), -1);
    for (int row = 0; row < int(m_rows.size()); ++row)
        m_rowOfItem[m_rows[row]] = row;

    // 2. Photos that stay: a moved file has a new path.
    int firstMovedRow = INT_MAX, lastMovedRow = -1;
    for (int i = 0; i < int(m_items.size()); ++i) {
        Item &item = m_items[i];
        const Photo &now = *incoming.value(item.photo.id);
        if (now.path != item.photo.path || now.contentHash != item.photo.contentHash) {
            item.photo = now;
            item.path = QString::fromStdString(now.path);
            item.name = QFileInfo(item.path).fileName();
            if (const int row = m_rowOfItem[i]; row >= 0) {
                firstMovedRow = std::min(firstMovedRow, row);
                lastMovedRow = std::max(lastMovedRow, row);
            }
        }
    }

    // 3. New photos: appended, then put in their place by the sort order.
    const int firstNew = int(m_items.size());
    for (const Photo &p : photos) {
        if (m_itemOfPhoto.contains(p.id))
            continue;
        Item item;
        item.photo = p;
        item.path = QString::fromStdString(p.path);
        item.name = QFileInfo(item.path).fileName();
        item.dateMs = photoDateMs(p);
        m_itemOfPhoto.insert(p.id, int(m_items.size()));
        m_items.push_back(std::move(item));
    }
    const bool wasEmpty = firstNew == 0;
    m_rowOfItem.resize(m_items.size(), -1);
    for (int i = firstNew; i < int(m_items.size()); ++i)
        applyLabel(m_items[i]);
    if (wasEmpty) {
        rebuildRows(false);
        return;
    }
    std::vector<int> added;
    for (int i = firstNew; i < int(m_items.size()); ++i)
        if (passesFilter(m_items[i]))
            added.push_back(i);
    if (!added.empty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
        for (int i : added) {
            m_rowOfItem[i] = int(m_rows.size());
            m_rows.push_back(i);
        }
        endInsertRows();
    }
    if (lastMovedRow >= 0)
        Q_EMIT dataChanged(index(firstMovedRow), index(lastMovedRow));
    // Nothing new (the usual case while indexing refreshes a large library): no sorting on the UI thread.
    if (!added.empty() || lastMovedRow >= 0)
        rebuildRows(true);
}

void PhotoGridModel::setScores(const SearchResults &results)
{
    for (Item &item : m_items)
        item.hasScore = false;
    for (const ScoredPhoto &s : results.scores) {
        const auto it = m_itemOfPhoto.constFind(s.photoId);
        if (it != m_itemOfPhoto.constEnd()) {
            m_items[*it].score = s.score;
            m_items[*it].hasScore = true;
        }
    }
    m_hasScores = true;
    m_sortOrder = SortOrder::Relevance;
    rebuildRows(true);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {ScoreRole, Qt::ToolTipRole});
}

void PhotoGridModel::clearScores()
{
    if (!m_hasScores)
        return;
    for (Item &item : m_items)
        item.hasScore = false;
    m_hasScores = false;
    if (m_sortOrder == SortOrder::Relevance)
        m_sortOrder = SortOrder::Date;
    rebuildRows(true);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {ScoreRole, Qt::ToolTipRole});
}

void PhotoGridModel::setClassification(std::shared_ptr<const Classification> classification)
{
    const bool labelsChangedNow = (m_classification ? m_classification->labels : NoLabels) !=
                                  (classification ? classification->labels : NoLabels);
    m_classification = std::move(classification);
    m_labelOfPhoto.clear();
    if (m_classification)
        for (int i = 0; i < int(m_classification->photos.size()); ++i)
            m_labelOfPhoto.insert(m_classification->photos[i].photoId, i);
    for (Item &item : m_items)
        applyLabel(item);
    const bool filtering = m_labelFilter.has_value();
    if (m_labelFilter && (!m_classification || *m_labelFilter >= int(m_classification->labels.size())))
        m_labelFilter.reset(); // labels that no longer exist
    if (filtering)
        rebuildRows(false);
    else if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                           {LabelRole, LabelIndexRole, ConfidenceRole, Qt::ToolTipRole});
    if (labelsChangedNow)
        Q_EMIT labelsChanged();
}

void PhotoGridModel::applyLabel(Item &item) const
{
    const auto it = m_labelOfPhoto.constFind(item.photo.id);
    if (it == m_labelOfPhoto.constEnd()) {
        item.labelIndex = -2;
        item.confidence = 0;
        return;
    }
    const PhotoLabel &label = m_classification->photos[*it];
    item.labelIndex = label.labelIndex;
    item.confidence = label.probability;
}

void PhotoGridModel::setSortOrder(SortOrder order)
{
    if (order == m_sortOrder)
        return;
    m_sortOrder = order;
    rebuildRows(true);
}

void PhotoGridModel::setLabelFilter(std::optional<int> labelIndex)
{
    if (labelIndex == m_labelFilter)
        return;
    m_labelFilter = labelIndex;
    rebuildRows(false);
}

void PhotoGridModel::onThumbnailReady(qint64 photoId)
{
    const int row = rowOfPhoto(photoId);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole, ThumbnailFailedRole});
}

} // namespace lodestone::ui
