#pragma once

#include "lodestone/trainer.h"

#include <QAbstractTableModel>
#include <QList>

#include <utility>
#include <vector>

namespace lodestone::ui {

// The curves of a training run: one row per reported step, in step order; columns: the step, the loss, the
// logit scale (the inverse temperature), the learning rate and the held-out recall@1 (TrainProgress::
// recallAt1: the mean of image->text and text->image), all numbers (Qt::DisplayRole and Qt::EditRole).
// The recall column has no value (an invalid QVariant; NaN from valueAt) at steps without an evaluation,
// so a QSortFilterProxyModel keeping rows with a non-empty recall feeds its chart only evaluated steps.
// Feeds the training charts through QVXYModelMapper. UI thread only.
class TrainingCurveModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StepColumn = 0,
        LossColumn,
        LogitScaleColumn,
        LearningRateColumn,
        RecallColumn,
        ColumnCount
    };

    explicit TrainingCurveModel(QObject *parent = nullptr);

    // Appends reports in step order (rowsInserted once). A report whose step is not after the last row's
    // (a resumed run redoing steps after its checkpoint) first removes the rows from that step on.
    void append(const QList<lodestone::TrainProgress> &reports);
    void append(const lodestone::TrainProgress &report) { append(QList<lodestone::TrainProgress>{report}); }
    void clear(); // no rows (modelReset)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    qint64 stepAt(int row) const;              // 0 outside the rows
    double valueAt(int row, int column) const; // 0 outside the rows and columns
    qint64 lastStep() const;                   // 0 when there are no rows
    // The smallest and largest finite value of a column ({0, 0} when there is none).
    std::pair<double, double> range(int column) const;

private:
    struct Point {
        qint64 step = 0;
        double loss = 0;
        double logitScale = 0;
        double learningRate = 0;
        double recall = 0; // NaN: not evaluated at this step
    };
    static double value(const Point &point, int column);
    void removeFromStep(qint64 step);

    std::vector<Point> m_points;
};

} // namespace lodestone::ui
