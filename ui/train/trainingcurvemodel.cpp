#include "train/trainingcurvemodel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lodestone::ui {

TrainingCurveModel::TrainingCurveModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TrainingCurveModel::append(const QList<lodestone::TrainProgress> &reports)
{
    if (reports.isEmpty())
        return;
    // A resumed run starts again after its checkpoint, which may lie before the last step shown.
    if (!m_points.empty() && reports.front().step <= m_points.back().step)
        removeFromStep(reports.front().step);
    std::vector<Point> added;
    added.reserve(size_t(reports.size()));
    qint64 last = m_points.empty() ? std::numeric_limits<qint64>::min() : m_points.back().step;
    for (const lodestone::TrainProgress &report : reports) {
        if (report.step <= last)
            continue; // keeps the steps strictly increasing, whatever arrives
        last = report.step;
        added.push_back(
            Point{report.step, report.loss, report.logitScale, report.learningRate,
                  report.evaluated() ? report.recallAt1 : std::numeric_limits<double>::quiet_NaN()});
    }
    if (added.empty())
        return;
    const int first = int(m_points.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_points.insert(m_points.end(), added.begin(), added.end());
    endInsertRows();
}

void TrainingCurveModel::removeFromStep(qint64 step)
{
    const auto from = std::lower_bound(m_points.begin(), m_points.end(), step,
                                       [](const Point &point, qint64 s) { return point.step < s; });
    if (from == m_points.end())
        return;
    const int first = int(from - m_points.begin());
    beginRemoveRows({}, first, int(m_points.size()) - 1);
    m_points.erase(from, m_points.end());
    endRemoveRows();
}

void TrainingCurveModel::clear()
{
    if (m_points.empty())
        return;
    beginResetModel();
    m_points.clear();
    endResetModel();
}

int TrainingCurveModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int TrainingCurveModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

double TrainingCurveModel::value(const Point &point, int column)
{
    switch (column) {
    case StepColumn:
        return double(point.step);
    case LossColumn:
        return point.loss;
    case LogitScaleColumn:
        return point.logitScale;
    case LearningRateColumn:
        return point.learningRate;
    case RecallColumn:
        return point.recall;
    default:
        return 0;
    }
}

QVariant TrainingCurveModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    const Point &point = m_points[size_t(index.row())];
    if (index.column() == StepColumn)
        return point.step;
    if (index.column() == RecallColumn && std::isnan(point.recall))
        return {};
    return value(point, index.column());
}

QVariant TrainingCurveModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case StepColumn:
        return tr("Step");
    case LossColumn:
        return tr("Loss");
    case LogitScaleColumn:
        return tr("Logit scale");
    case LearningRateColumn:
        return tr("Learning rate");
    case RecallColumn:
        return tr("Recall@1 (held-out)");
    default:
        return {};
    }
}

qint64 TrainingCurveModel::stepAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_points[size_t(row)].step : 0;
}

double TrainingCurveModel::valueAt(int row, int column) const
{
    return row >= 0 && row < rowCount() ? value(m_points[size_t(row)], column) : 0;
}

qint64 TrainingCurveModel::lastStep() const
{
    return m_points.empty() ? 0 : m_points.back().step;
}

std::pair<double, double> TrainingCurveModel::range(int column) const
{
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const Point &point : m_points) {
        const double v = value(point, column);
        if (!std::isfinite(v))
            continue;
        low = std::min(low, v);
        high = std::max(high, v);
    }
    return low <= high ? std::pair{low, high} : std::pair{0.0, 0.0};
}

} // namespace lodestone::ui
