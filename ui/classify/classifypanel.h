#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class QBarCategoryAxis;
class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QHorizontalBarSeries;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QValueAxis;

namespace lodestone::ui {

class LabelCountModel;
class LibraryController;
class PhotoGridModel;

// The classification panel: the user types labels (one per line), picks the template ensemble and the
// "none of these" threshold, and runs zero-shot classification on the library or on the selection. Shows
// the counts per label as a bar chart, filters the grid by label, and exports the results as CSV.
//
// It reads the controller's classification() whenever it changes (classificationFinished, snapshotReady);
// giving that classification to the grid model is the window's job. UI thread only.
class ClassifyPanel : public QWidget {
    Q_OBJECT
public:
    ClassifyPanel(LibraryController *controller, PhotoGridModel *grid, QWidget *parent = nullptr);

    // Where "Selection" gets its photo ids (the grid's selected photos).
    void setSelectionProvider(std::function<std::vector<int64_t>()> selectedPhotoIds);

    // For tests and scripted use: the same as typing and clicking.
    void setLabels(const QStringList &labels);
    QStringList labels() const; // the typed labels, trimmed, empty lines left out
    // The template ensemble: "default", "none" or a file of templates (ClassifyRequest::templates).
    void setTemplates(const QString &spec);
    QString templates() const;
    void setThreshold(double threshold); // 0..1
    // Classifies the whole library, or the photos of the selection provider (an error when there are
    // none: an empty selection never means "everything"). classificationFinished or errorOccurred follows.
    void run(bool selectionOnly = false);
    bool isRunning() const { return m_running; }
    void setFilter(std::optional<int> labelIndex); // as PhotoGridModel::setLabelFilter
    bool exportCsv(const QString &filePath);       // false (and errorOccurred) when it cannot

    // The counts per label of the controller's classification, as the chart shows them.
    LabelCountModel *labelCounts() const { return m_counts; }

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    enum class Scope { Library = 0, Selection = 1 };

    void buildLayout();
    void connectController();
    void updateRunButton();
    void refreshResults(); // from the controller's classification
    void showSummary();
    void rebuildFilter(); // from the grid's labels
    void updateChart();
    void onTemplateActivated(int index);
    void chooseTemplateFile();
    void exportDialog();
    void onClassificationFinished();
    void onClassifyFailed(const QString &message);

    LibraryController *m_controller;
    PhotoGridModel *m_grid;
    std::function<std::vector<int64_t>()> m_selectedPhotoIds;
    LabelCountModel *m_counts;
    QSortFilterProxyModel *m_chartRows; // the counts bottom-up, so that the chart lists the labels top-down
    bool m_running = false;
    int m_templateIndex = 0; // the last chosen template item, to return to when "From file…" is cancelled
    QString m_exportPath;

    QPlainTextEdit *m_labelsEdit = nullptr;
    QComboBox *m_templates = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QComboBox *m_scope = nullptr;
    QPushButton *m_runButton = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_summary = nullptr;
    QComboBox *m_filter = nullptr;
    QChartView *m_chartView = nullptr;
    QChart *m_chart = nullptr;
    QHorizontalBarSeries *m_series = nullptr;
    QBarCategoryAxis *m_categoryAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    QPushButton *m_exportButton = nullptr;
};

} // namespace lodestone::ui
