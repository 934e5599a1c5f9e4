#include "map/mappointmodel.h"

#include <QPointF>

namespace lodestone::ui {

MapPointModel::MapPointModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int MapPointModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int MapPointModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MapPointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MapPoint &p = m_points[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case IdColumn:
            return qint64(p.photoId);
        case XColumn:
            return double(p.x);
        case YColumn:
            return double(p.y);
        case ClusterColumn:
            return p.cluster;
        case LabelColumn:
            return p.label;
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() == LabelColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case PhotoIdRole:
        return qint64(p.photoId);
    case PositionRole:
        return QPointF(p.x, p.y);
    case ClusterRole:
        return p.cluster;
    case LabelRole:
        return p.label;
    default:
        return {};
    }
}

QVariant MapPointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Photo");
    case XColumn:
        return tr("x");
    case YColumn:
        return tr("y");
    case ClusterColumn:
        return tr("Cluster");
    case LabelColumn:
        return tr("Label");
    default:
        return {};
    }
}

void MapPointModel::setPoints(std::vector<MapPoint> points)
{
    beginResetModel();
    m_points = std::move(points);
    m_rowOfPhoto.clear();
    m_rowOfPhoto.reserve(qsizetype(m_points.size()));
    for (size_t row = 0; row < m_points.size(); ++row)
        m_rowOfPhoto.insert(qint64(m_points[row].photoId), int(row));
    endResetModel();
}

void MapPointModel::clear()
{
    setPoints({});
}

void MapPointModel::setLabels(const QHash<qint64, QString> &labels)
{
    if (m_points.empty())
        return;
    for (MapPoint &p : m_points)
        p.label = labels.value(qint64(p.photoId));
    Q_EMIT dataChanged(index(0, LabelColumn), index(rowCount() - 1, LabelColumn),
                       {Qt::DisplayRole, Qt::EditRole, LabelRole});
}

int MapPointModel::rowOfPhoto(int64_t photoId) const
{
    return m_rowOfPhoto.value(qint64(photoId), -1);
}

} // namespace lodestone::ui
