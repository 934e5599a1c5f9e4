#include "classify/labelcountmodel.h"

#include <algorithm>
#include <numeric>

namespace lodestone::ui {

LabelCountModel::LabelCountModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void LabelCountModel::setClassification(std::shared_ptr<const Classification> classification)
{
    std::vector<QString> labels;
    std::vector<qint64> counts;
    if (classification) {
        const int labelCount = int(classification->labels.size());
        labels.reserve(labelCount);
        for (const std::string &label : classification->labels)
            labels.push_back(QString::fromStdString(label));
        counts.assign(labelCount + 1, 0);
        for (const PhotoLabel &photo : classification->photos) {
            if (photo.labelIndex >= 0 && photo.labelIndex < labelCount)
                ++counts[photo.labelIndex];
            else
                ++counts[labelCount]; // "none of these" (and anything out of range, which should not occur)
        }
    }
    m_classification = std::move(classification);

    if (labels != m_labels || counts.size() != m_counts.size()) {
        beginResetModel();
        m_labels = std::move(labels);
        m_counts = std::move(counts);
        endResetModel();
        return;
    }
    if (counts == m_counts)
        return; // a fresh snapshot of the same classification: nothing to redraw
    m_counts = std::move(counts);
    Q_EMIT dataChanged(index(0, CountColumn), index(rowCount() - 1, CountColumn));
}

int LabelCountModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_counts.size());
}

int LabelCountModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LabelCountModel::labelText(int row) const
{
    return row < int(m_labels.size()) ? m_labels[row] : tr("None of these");
}

QVariant LabelCountModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == LabelColumn)
            return labelText(row);
        return m_counts[row];
    case Qt::ToolTipRole: {
        const qint64 total = totalCount();
        const int percent = total > 0 ? qRound(100.0 * double(m_counts[row]) / double(total)) : 0;
        return tr("%1: %n photo(s) (%2%)", nullptr, int(m_counts[row]))
            .arg(labelText(row), QString::number(percent));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == CountColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    case LabelIndexRole:
        return labelIndexOfRow(row);
    case OrderRole:
        return row;
    default:
        return {};
    }
}

QVariant LabelCountModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LabelColumn:
        return tr("Label");
    case CountColumn:
        return tr("Photos");
    default:
        return {};
    }
}

int LabelCountModel::labelIndexOfRow(int row) const
{
    return row >= 0 && row < int(m_labels.size()) ? row : -1;
}

qint64 LabelCountModel::countAt(int row) const
{
    return row >= 0 && row < int(m_counts.size()) ? m_counts[row] : 0;
}

qint64 LabelCountModel::maxCount() const
{
    return m_counts.empty() ? 0 : *std::max_element(m_counts.begin(), m_counts.end());
}

qint64 LabelCountModel::totalCount() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), qint64(0));
}

} // namespace lodestone::ui
