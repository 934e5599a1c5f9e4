#include "classify/classifypanel.h"

#include "classify/labelcountmodel.h"
#include "grid/photogridmodel.h"
#include "library/librarycontroller.h"

#include "lodestone/export.h"
#include "lodestone/query.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QVBarModelMapper>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <exception>

namespace lodestone::ui {

namespace {

const QString DefaultTemplates = QStringLiteral("default");
const QString NoTemplates = QStringLiteral("none");

// Template combo items: the ensembles by name, then (once one is chosen) a file, then "From file…".
enum TemplateItem { DefaultItem = 0, NoneItem = 1 };

} // namespace

ClassifyPanel::ClassifyPanel(LibraryController *controller, PhotoGridModel *grid, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_grid(grid)
    , m_counts(new LabelCountModel(this))
    , m_chartRows(new QSortFilterProxyModel(this))
{
    buildLayout();
    connectController();
    connect(m_grid, &PhotoGridModel::labelsChanged, this, [this] {
        // A filter index means another label now: show everything again.
        m_grid->setLabelFilter(std::nullopt);
        rebuildFilter();
    });
    rebuildFilter();
    refreshResults();
    updateRunButton();
}

void ClassifyPanel::buildLayout()
{
    auto *layout = new QVBoxLayout(this);

    auto *labelsTitle = new QLabel(tr("&Labels, one per line:"), this);
    m_labelsEdit = new QPlainTextEdit(this);
    m_labelsEdit->setObjectName(QStringLiteral("labelsEdit"));
    m_labelsEdit->setPlaceholderText(tr("a photo of a dog\na photo of a cat\na beach at sunset"));
    m_labelsEdit->setTabChangesFocus(true);
    labelsTitle->setBuddy(m_labelsEdit);
    layout->addWidget(labelsTitle);
    layout->addWidget(m_labelsEdit, /*stretch=*/1);

    auto *form = new QFormLayout;
    m_templates = new QComboBox(this);
    m_templates->setObjectName(QStringLiteral("templatesCombo"));
    const int defaultCount = int(defaultPromptTemplates().size());
    m_templates->addItem(tr("Default (%n template(s))", nullptr, defaultCount), DefaultTemplates);
    m_templates->addItem(tr("None (labels as typed)"), NoTemplates);
    m_templates->addItem(tr("From file…")); // no data: opens the file dialog
    m_templates->setToolTip(tr("Each label is put into every template (\"a photo of a {}.\") and the "
                               "results are averaged, which usually labels photos better."));
    connect(m_templates, &QComboBox::activated, this, &ClassifyPanel::onTemplateActivated);
    form->addRow(tr("&Templates:"), m_templates);

    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setObjectName(QStringLiteral("thresholdSpin"));
    m_threshold->setRange(0.0, 1.0);
    m_threshold->setSingleStep(0.05);
    m_threshold->setDecimals(2);
    m_threshold->setValue(0.0);
    m_threshold->setToolTip(tr("A photo whose best label has a lower probability than this is put under "
                               "\"None of these\". 0 labels every photo."));
    form->addRow(tr("\"None of these\" &below:"), m_threshold);

    m_scope = new QComboBox(this);
    m_scope->setObjectName(QStringLiteral("scopeCombo"));
    m_scope->addItem(tr("Whole library"));
    m_scope->addItem(tr("Selected photos"));
    form->addRow(tr("&Apply to:"), m_scope);
    layout->addLayout(form);

    auto *runRow = new QHBoxLayout;
    m_runButton = new QPushButton(this);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setToolTip(tr("Label the photos with the typed labels (Ctrl+Return)"));
    connect(m_runButton, &QPushButton::clicked, this,
            [this] { run(m_scope->currentIndex() == int(Scope::Selection)); });
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, [this] {
        if (m_runButton->isEnabled())
            m_runButton->click();
    });
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // busy indicator: the controller reports no progress for a classification
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(m_runButton->sizeHint().height() / 2);
    m_busy->setVisible(false);
    runRow->addWidget(m_runButton);
    runRow->addWidget(m_busy, /*stretch=*/1);
    runRow->addStretch();
    layout->addLayout(runRow);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto *filterRow = new QFormLayout;
    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("filterCombo"));
    connect(m_filter, &QComboBox::activated, this, [this](int index) {
        const QVariant data = m_filter->itemData(index);
        setFilter(data.isValid() ? std::optional<int>(data.toInt()) : std::nullopt);
    });
    filterRow->addRow(tr("&Show:"), m_filter);
    layout->addLayout(filterRow);

    // The chart is fed from the count model: the mapper makes one bar set from the count column. A horizontal
    // bar chart draws its first category at the bottom, so it reads the rows in reverse.
    m_chartRows->setSourceModel(m_counts);
    m_chartRows->setSortRole(LabelCountModel::OrderRole);
    m_chartRows->sort(LabelCountModel::LabelColumn, Qt::DescendingOrder);
    m_series = new QHorizontalBarSeries;
    m_series->setLabelsVisible(true);
    m_series->setLabelsFormat(QStringLiteral("@value"));
    m_series->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
    connect(m_series, &QAbstractBarSeries::clicked, this, [this](int index, QBarSet *) {
        const QModelIndex row = m_chartRows->index(index, LabelCountModel::LabelColumn);
        if (row.isValid())
            setFilter(row.data(LabelCountModel::LabelIndexRole).toInt());
    });
    auto *mapper = new QVBarModelMapper(this);
    mapper->setFirstBarSetColumn(LabelCountModel::CountColumn);
    mapper->setLastBarSetColumn(LabelCountModel::CountColumn);
    mapper->setFirstRow(0);
    mapper->setSeries(m_series);
    mapper->setModel(m_chartRows);

    m_chart = new QChart;
    m_chart->addSeries(m_series);
    m_chart->legend()->setVisible(false);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundVisible(false);
    m_chart->setMargins(QMargins(0, 0, 0, 0));
    m_categoryAxis = new QBarCategoryAxis;
    m_valueAxis = new QValueAxis;
    m_valueAxis->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(m_categoryAxis, Qt::AlignLeft);
    m_chart->addAxis(m_valueAxis, Qt::AlignBottom);
    m_series->attachAxis(m_categoryAxis);
    m_series->attachAxis(m_valueAxis);
    const QBrush text = palette().brush(QPalette::WindowText);
    m_categoryAxis->setLabelsBrush(text);
    m_valueAxis->setLabelsBrush(text);

    m_chartView = new QChartView(m_chart, this);
    m_chartView->setObjectName(QStringLiteral("countsChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(160);
    m_chartView->setToolTip(tr("Photos per label; click a bar to show only its photos"));
    layout->addWidget(m_chartView, /*stretch=*/2);
    connect(m_chartRows, &QAbstractItemModel::modelReset, this, &ClassifyPanel::updateChart);
    connect(m_chartRows, &QAbstractItemModel::dataChanged, this, &ClassifyPanel::updateChart);
    connect(m_chartRows, &QAbstractItemModel::layoutChanged, this, &ClassifyPanel::updateChart);

    auto *exportRow = new QHBoxLayout;
    m_exportButton = new QPushButton(tr("&Export CSV…"), this);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setToolTip(tr("Save each photo's label and probabilities as a CSV file"));
    connect(m_exportButton, &QPushButton::clicked, this, &ClassifyPanel::exportDialog);
    exportRow->addStretch();
    exportRow->addWidget(m_exportButton);
    layout->addLayout(exportRow);
}

void ClassifyPanel::connectController()
{
    connect(m_controller, &LibraryController::modelLoading, this, &ClassifyPanel::updateRunButton);
    connect(m_controller, &LibraryController::modelFailed, this, &ClassifyPanel::updateRunButton);
    connect(m_controller, &LibraryController::modelLoaded, this, [this] {
        updateRunButton();
        refreshResults(); // the new model has its own classification, or none
    });
    connect(m_controller, &LibraryController::snapshotReady, this, &ClassifyPanel::refreshResults);
    connect(m_controller, &LibraryController::classificationFinished, this,
            &ClassifyPanel::onClassificationFinished);
    connect(m_controller, &LibraryController::classifyFailed, this, &ClassifyPanel::onClassifyFailed);
}

void ClassifyPanel::setSelectionProvider(std::function<std::vector<int64_t>()> selectedPhotoIds)
{
    m_selectedPhotoIds = std::move(selectedPhotoIds);
}

void ClassifyPanel::setLabels(const QStringList &labels)
{
    m_labelsEdit->setPlainText(labels.join(QLatin1Char('\n')));
}

QStringList ClassifyPanel::labels() const
{
    QStringList labels;
    const QStringList lines = m_labelsEdit->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString label = line.trimmed();
        if (!label.isEmpty())
            labels << label;
    }
    return labels;
}

void ClassifyPanel::setTemplates(const QString &spec)
{
    if (spec == DefaultTemplates || spec.isEmpty()) {
        m_templateIndex = DefaultItem;
    } else if (spec == NoTemplates) {
        m_templateIndex = NoneItem;
    } else {
        // One file item, just above "From file…", replaced by each new choice.
        const QString text = tr("File: %1").arg(QFileInfo(spec).fileName());
        const int fileItem = NoneItem + 1;
        if (m_templates->count() == fileItem + 1)
            m_templates->insertItem(fileItem, text, spec);
        m_templates->setItemText(fileItem, text);
        m_templates->setItemData(fileItem, spec);
        m_templates->setItemData(fileItem, QDir::toNativeSeparators(spec), Qt::ToolTipRole);
        m_templateIndex = fileItem;
    }
    m_templates->setCurrentIndex(m_templateIndex);
}

QString ClassifyPanel::templates() const
{
    return m_templates->itemData(m_templateIndex).toString();
}

void ClassifyPanel::setThreshold(double threshold)
{
    m_threshold->setValue(threshold);
}

void ClassifyPanel::onTemplateActivated(int index)
{
    if (m_templates->itemData(index).isValid())
        m_templateIndex = index;
    else
        chooseTemplateFile();
}

void ClassifyPanel::chooseTemplateFile()
{
    const QString current = templates();
    const QString startDir = current == DefaultTemplates || current == NoTemplates
                                 ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                                 : QFileInfo(current).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose Prompt Templates"), startDir,
                                                      tr("Text files (*.txt);;All files (*)"));
    if (path.isEmpty()) {
        m_templates->setCurrentIndex(m_templateIndex); // cancelled: keep the previous choice
        return;
    }
    try {
        (void)loadPromptTemplates(path.toStdString()); // a small file: say now what is wrong with it
    } catch (const std::exception &e) {
        m_templates->setCurrentIndex(m_templateIndex);
        Q_EMIT errorOccurred(tr("The templates in %1 cannot be used: %2")
                                 .arg(QDir::toNativeSeparators(path), QString::fromUtf8(e.what())));
        return;
    }
    setTemplates(path);
}

void ClassifyPanel::run(bool selectionOnly)
{
    m_scope->setCurrentIndex(int(selectionOnly ? Scope::Selection : Scope::Library));
    ClassifyRequest request;
    request.labels = labels();
    request.templates = templates();
    request.threshold = float(m_threshold->value());
    if (selectionOnly) {
        if (m_selectedPhotoIds)
            request.photoIds = m_selectedPhotoIds();
        if (request.photoIds.empty()) {
            // An empty list would mean the whole library to the controller.
            Q_EMIT errorOccurred(tr("No photos are selected: select some in the grid, or classify the "
                                    "whole library."));
            return;
        }
    }
    m_running = true;
    updateRunButton();
    m_summary->setText(selectionOnly
                           ? tr("Classifying %n selected photo(s)…", nullptr, int(request.photoIds.size()))
                           : tr("Classifying the library…"));
    m_controller->classify(request); // may answer at once (classifyFailed) for a malformed request
}

void ClassifyPanel::onClassificationFinished()
{
    m_running = false;
    updateRunButton();
    refreshResults();
}

void ClassifyPanel::onClassifyFailed(const QString &message)
{
    m_running = false;
    updateRunButton();
    showSummary();
    Q_EMIT errorOccurred(tr("Classification failed: %1").arg(message));
}

void ClassifyPanel::updateRunButton()
{
    const bool hasModel = m_controller->hasModel();
    m_runButton->setEnabled(hasModel && !m_running);
    m_runButton->setText(m_running ? tr("Classifying…") : tr("&Classify"));
    m_busy->setVisible(m_running);
    if (!hasModel && !m_running)
        m_runButton->setToolTip(tr("Load a model first: File → Open Model"));
    else
        m_runButton->setToolTip(tr("Label the photos with the typed labels (Ctrl+Return)"));
}

void ClassifyPanel::refreshResults()
{
    const auto classification = m_controller->classification();
    m_counts->setClassification(classification);
    m_exportButton->setEnabled(classification != nullptr);
    // At start-up (or after a model change) show what the stored classification was asked, unless the
    // user has typed something already.
    if (classification && m_labelsEdit->toPlainText().trimmed().isEmpty()) {
        QStringList labels;
        for (const std::string &label : classification->labels)
            labels << QString::fromStdString(label);
        setLabels(labels);
        m_threshold->setValue(classification->threshold);
        setTemplates(classification->templates.empty() ? NoTemplates : DefaultTemplates);
    }
    if (!m_running)
        showSummary();
}

void ClassifyPanel::showSummary()
{
    if (!m_controller->hasModel()) {
        m_summary->setText(tr("Load a model to classify photos."));
        return;
    }
    const qint64 total = m_counts->totalCount();
    if (m_counts->rowCount() == 0) {
        m_summary->setText(tr("Type some labels and press Classify."));
        return;
    }
    const qint64 none = m_counts->countAt(m_counts->rowCount() - 1);
    QString text = tr("%n photo(s) labelled", nullptr, int(total));
    if (none > 0)
        text += QStringLiteral(" · ") + tr("%n with none of these labels", nullptr, int(none));
    m_summary->setText(text);
}

void ClassifyPanel::rebuildFilter()
{
    const std::vector<std::string> &labels = m_grid->labels();
    const QSignalBlocker blocker(m_filter);
    m_filter->clear();
    m_filter->addItem(tr("All photos"));
    for (int i = 0; i < int(labels.size()); ++i)
        m_filter->addItem(QString::fromStdString(labels[i]), i);
    if (!labels.empty())
        m_filter->addItem(tr("None of these"), PhotoGridModel::NoneOfTheseFilter);
    m_filter->setEnabled(!labels.empty());
    const std::optional<int> current = m_grid->labelFilter();
    m_filter->setCurrentIndex(current ? std::max(0, m_filter->findData(*current)) : 0);
}

void ClassifyPanel::setFilter(std::optional<int> labelIndex)
{
    const int labelCount = int(m_grid->labels().size());
    if (labelIndex && (*labelIndex >= labelCount || *labelIndex < PhotoGridModel::NoneOfTheseFilter))
        labelIndex.reset(); // no such label: show everything
    m_grid->setLabelFilter(labelIndex);
    const QSignalBlocker blocker(m_filter);
    m_filter->setCurrentIndex(labelIndex ? std::max(0, m_filter->findData(*labelIndex)) : 0);
}

void ClassifyPanel::updateChart()
{
    // Categories are the label column; the axis needs them unique, and two typed labels may be the same.
    QStringList categories;
    QSet<QString> seen;
    for (int row = 0; row < m_chartRows->rowCount(); ++row) {
        const QString label = m_chartRows->index(row, LabelCountModel::LabelColumn).data().toString();
        QString category = label;
        for (int n = 2; seen.contains(category); ++n)
            category = tr("%1 (%2)").arg(label, QString::number(n));
        seen.insert(category);
        categories << category;
    }
    if (m_categoryAxis->categories() != categories) {
        m_categoryAxis->clear();
        m_categoryAxis->append(categories);
    }

    // Whole numbers on the value axis: a tick per photo while the counts are small, nice steps after.
    const qint64 maxCount = m_counts->maxCount();
    m_valueAxis->setRange(0, double(std::max<qint64>(1, maxCount)));
    if (maxCount <= 10)
        m_valueAxis->setTickCount(int(std::max<qint64>(1, maxCount)) + 1);
    else
        m_valueAxis->applyNiceNumbers();
}

void ClassifyPanel::exportDialog()
{
    if (m_exportPath.isEmpty())
        m_exportPath = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                           .filePath(QStringLiteral("labels.csv"));
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export Labels"), m_exportPath, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".csv");
    if (exportCsv(path))
        m_exportPath = path;
}

bool ClassifyPanel::exportCsv(const QString &filePath)
{
    if (!m_controller->hasModel() || !m_controller->classification()) {
        Q_EMIT errorOccurred(tr("There are no labels to export yet: classify the photos first."));
        return false;
    }
    std::string csv;
    try {
        csv = labelsCsv(m_controller->library(), m_controller->modelSummary().id.toStdString());
    } catch (const std::exception &e) {
        Q_EMIT errorOccurred(tr("Exporting the labels failed: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(csv.data(), qint64(csv.size())) != qint64(csv.size()) || !file.commit()) {
        Q_EMIT errorOccurred(tr("The labels could not be written to %1: %2")
                                 .arg(QDir::toNativeSeparators(filePath), file.errorString()));
        return false;
    }
    m_summary->setText(tr("Labels exported to %1").arg(QDir::toNativeSeparators(filePath)));
    return true;
}

} // namespace lodestone::ui
