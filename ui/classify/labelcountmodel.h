#pragma once

#include "lodestone/library.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace lodestone::ui {

// Photos per label of a classification: one row per label, then a last row "None of these"; columns: the
// label and its count. Counted over the photos the classification holds (the whole library, or the
// selection it was run on). Feeds the classification bar chart. UI thread only.
class LabelCountModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { LabelColumn = 0, CountColumn = 1, ColumnCount = 2 };
    enum Role {
        LabelIndexRole = Qt::UserRole + 1, // int: index into the labels, -1 for "None of these"
        OrderRole,                         // int: the row (labels as typed, then "None of these"), to sort by
    };

    explicit LabelCountModel(QObject *parent = nullptr);

    // Counts a classification (null: no rows). The same labels again only update the counts (dataChanged,
    // nothing when they are unchanged); other labels reset the model. O(photos).
    void setClassification(std::shared_ptr<const Classification> classification);
    std::shared_ptr<const Classification> classification() const { return m_classification; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The label index of a row (-1 for the "None of these" row), as PhotoGridModel::setLabelFilter takes it.
    int labelIndexOfRow(int row) const;
    qint64 countAt(int row) const; // 0 outside the rows
    qint64 maxCount() const;       // the largest count; 0 when there are no rows
    qint64 totalCount() const;     // the sum of the counts: the photos the classification holds

private:
    QString labelText(int row) const;

    std::shared_ptr<const Classification> m_classification;
    std::vector<QString> m_labels; // the classification's labels, made once
    std::vector<qint64> m_counts;  // per row: each label, then "None of these"
};

} // namespace lodestone::ui
