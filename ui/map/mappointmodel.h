#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QString>

#include <cstdint>
#include <vector>

namespace lodestone::ui {

// One photo on the map.
struct MapPoint {
    int64_t photoId = 0;
    float x = 0, y = 0; // map coordinates (the projection's units)
    int cluster = -1;   // k-means cluster; -1 when none
    QString label;      // the photo's zero-shot label; empty when it has none
};

// The photos of the embedding map, one row per photo: id, x, y, cluster, label. Rows are in the order the
// map was computed (photo id order). UI thread only.
class MapPointModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, XColumn, YColumn, ClusterColumn, LabelColumn, ColumnCount };
    enum Role {
        PhotoIdRole = Qt::UserRole + 1, // qint64, whatever the column
        PositionRole,                   // QPointF (x, y)
        ClusterRole,                    // int
        LabelRole,                      // QString
    };

    explicit MapPointModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces every point (a model reset).
    void setPoints(std::vector<MapPoint> points);
    void clear();
    // Sets each photo's label from `labels` (photo id -> label; photos not in it get none); dataChanged.
    void setLabels(const QHash<qint64, QString> &labels);

    const std::vector<MapPoint> &points() const { return m_points; }
    const MapPoint &point(int row) const { return m_points[size_t(row)]; }
    // The row of a photo; -1 when it is not on the map.
    int rowOfPhoto(int64_t photoId) const;

private:
    std::vector<MapPoint> m_points;
    QHash<qint64, int> m_rowOfPhoto;
};

} // namespace lodestone::ui
