#include "train/trainview.h"

#include "library/librarycontroller.h"
#include "train/trainingcurvemodel.h"
#include "train/trainworker.h"

#include "lodestone/clipconfig.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMetaType>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>
#include <QVXYModelMapper>
#include <QValueAxis>

#include <algorithm>
#include <climits>
#include <cmath>

namespace lodestone::ui {

namespace {

constexpr int DataKindCount = 5;

QString formatDuration(double seconds)
{
    const qint64 s = std::max<qint64>(0, qint64(std::llround(seconds)));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

TrainView::TrainView(LibraryController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_curve(new TrainingCurveModel(this))
{
    qRegisterMetaType<lodestone::TrainProgress>();
    qRegisterMetaType<QList<lodestone::TrainProgress>>();
    qRegisterMetaType<lodestone::TrainResult>();
    buildUi();
    m_output->setText(defaultOutputFolder());
    if (m_controller) {
        connect(m_controller, &LibraryController::modelLoading, this, &TrainView::updateModelChoice);
        connect(m_controller, &LibraryController::modelLoaded, this, &TrainView::updateModelChoice);
        connect(m_controller, &LibraryController::modelFailed, this, &TrainView::updateModelChoice);
    }
    updateModelChoice();
    onDataKindChanged();
    updateLengthFields();
    setState(State::Idle);
}

TrainView::~TrainView()
{
    if (m_worker)
        m_worker->cancel();
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        delete m_worker;
    }
}

// --- widgets ---

void TrainView::buildUi()
{
    // Settings and the run side by side; the splitter lets a narrow window scroll the settings rather than
    // forcing the whole window wider.
    auto *layout = new QHBoxLayout(this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_settings = buildSettings();
    scroll->setWidget(m_settings);
    scroll->setMinimumWidth(240);
    splitter->addWidget(scroll);
    splitter->addWidget(buildRunPanel());
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({m_settings->sizeHint().width() + 24, 600});
    layout->addWidget(splitter);
}

QWidget *TrainView::buildSettings()
{
    const TrainConfig defaults;
    auto *settings = new QWidget;
    auto *layout = new QVBoxLayout(settings);

    // Data: one path per kind, so that switching kinds keeps what was typed for each.
    auto *dataBox = new QGroupBox(tr("Data"), settings);
    auto *dataForm = new QFormLayout(dataBox);
    m_dataKind = new QComboBox(dataBox);
    m_dataKind->setObjectName(QStringLiteral("dataKindCombo"));
    m_dataKind->addItem(tr("Folders as labels"), int(DataKind::Folders));
    m_dataKind->addItem(tr("Captions CSV/TSV"), int(DataKind::CaptionsCsv));
    m_dataKind->addItem(tr("Sidecar captions"), int(DataKind::Sidecar));
    m_dataKind->addItem(tr("WebDataset shards"), int(DataKind::WebDataset));
    m_dataKind->addItem(tr("Synthetic shapes world"), int(DataKind::ShapesWorld));
    connect(m_dataKind, &QComboBox::currentIndexChanged, this, &TrainView::onDataKindChanged);
    dataForm->addRow(tr("&Source:"), m_dataKind);
    auto *pathRow = new QHBoxLayout;
    m_dataPath = new QLineEdit(dataBox);
    m_dataPath->setObjectName(QStringLiteral("dataPathEdit"));
    m_dataPath->setClearButtonEnabled(true);
    connect(m_dataPath, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_shownKind >= 0)
            m_dataPaths[m_shownKind] = text;
    });
    m_dataBrowse = new QPushButton(tr("&Browse…"), dataBox);
    m_dataBrowse->setObjectName(QStringLiteral("dataBrowseButton"));
    connect(m_dataBrowse, &QPushButton::clicked, this, &TrainView::browseData);
    pathRow->addWidget(m_dataPath, 1);
    pathRow->addWidget(m_dataBrowse);
    auto *pathLabel = new QLabel(tr("&Path:"), dataBox);
    pathLabel->setBuddy(m_dataPath);
    dataForm->addRow(pathLabel, pathRow);
    m_shapesCount = new QSpinBox(dataBox);
    m_shapesCount->setObjectName(QStringLiteral("shapesCountSpin"));
    m_shapesCount->setRange(16, 1000000);
    m_shapesCount->setSingleStep(1000);
    m_shapesCount->setValue(8000);
    m_shapesCount->setToolTip(tr("Training photos drawn when the folder holds no shapes world yet"));
    m_shapesCountLabel = new QLabel(tr("P&hotos:"), dataBox);
    m_shapesCountLabel->setBuddy(m_shapesCount);
    dataForm->addRow(m_shapesCountLabel, m_shapesCount);
    m_dataHint = new QLabel(dataBox);
    m_dataHint->setWordWrap(true);
    m_dataHint->setForegroundRole(QPalette::PlaceholderText);
    dataForm->addRow(m_dataHint);
    layout->addWidget(dataBox);

    // Model: a new one of a preset shape, or the one the library uses, tuned further.
    auto *modelBox = new QGroupBox(tr("Model"), settings);
    auto *modelForm = new QFormLayout(modelBox);
    m_fromScratch = new QRadioButton(tr("From &scratch:"), modelBox);
    m_fromScratch->setObjectName(QStringLiteral("fromScratchRadio"));
    m_fromScratch->setChecked(true);
    m_arch = new QComboBox(modelBox);
    m_arch->setObjectName(QStringLiteral("archCombo"));
    for (const std::string &name : ClipConfig::presetNames())
        m_arch->addItem(QString::fromStdString(name));
    m_arch->setCurrentText(QString::fromStdString(defaults.arch));
    m_arch->setToolTip(tr("The shape of a new model: tiny, tiny-conv and small train on a CPU"));
    modelForm->addRow(m_fromScratch, m_arch);
    m_fineTune = new QRadioButton(tr("&Fine-tune the current model"), modelBox);
    m_fineTune->setObjectName(QStringLiteral("fineTuneRadio"));
    modelForm->addRow(m_fineTune);
    m_currentModel = new QLabel(modelBox);
    m_currentModel->setWordWrap(true);
    m_currentModel->setForegroundRole(QPalette::PlaceholderText);
    modelForm->addRow(m_currentModel);
    auto *locks = new QHBoxLayout;
    m_lockImage = new QCheckBox(tr("Lock &image tower"), modelBox);
    m_lockImage->setObjectName(QStringLiteral("lockImageCheck"));
    m_lockText = new QCheckBox(tr("Lock &text tower"), modelBox);
    m_lockText->setObjectName(QStringLiteral("lockTextCheck"));
    locks->addWidget(m_lockImage);
    locks->addWidget(m_lockText);
    locks->addStretch();
    modelForm->addRow(locks);
    connect(m_fineTune, &QRadioButton::toggled, this, &TrainView::updateModelChoice);
    layout->addWidget(modelBox);

    // Hyperparameters, with TrainConfig's defaults.
    auto *paramsBox = new QGroupBox(tr("Training"), settings);
    auto *params = new QFormLayout(paramsBox);
    auto *lengthRow = new QHBoxLayout;
    m_lengthKind = new QComboBox(paramsBox);
    m_lengthKind->setObjectName(QStringLiteral("lengthCombo"));
    m_lengthKind->addItem(tr("Minutes"));
    m_lengthKind->addItem(tr("Steps"));
    connect(m_lengthKind, &QComboBox::currentIndexChanged, this, &TrainView::updateLengthFields);
    m_minutes = new QDoubleSpinBox(paramsBox);
    m_minutes->setObjectName(QStringLiteral("minutesSpin"));
    m_minutes->setRange(0.1, 100000);
    m_minutes->setDecimals(1);
    m_minutes->setValue(5);
    m_minutes->setToolTip(tr("The schedule is sized from the speed measured over the first steps"));
    m_steps = new QSpinBox(paramsBox);
    m_steps->setObjectName(QStringLiteral("stepsSpin"));
    m_steps->setRange(1, INT_MAX);
    m_steps->setSingleStep(100);
    m_steps->setValue(1000);
    lengthRow->addWidget(m_minutes, 1);
    lengthRow->addWidget(m_steps, 1);
    lengthRow->addWidget(m_lengthKind);
    auto *lengthLabel = new QLabel(tr("&Length:"), paramsBox);
    lengthLabel->setBuddy(m_lengthKind);
    params->addRow(lengthLabel, lengthRow);
    m_batch = new QSpinBox(paramsBox);
    m_batch->setObjectName(QStringLiteral("batchSpin"));
    m_batch->setRange(2, 65536);
    m_batch->setValue(defaults.batchSize);
    m_batch->setToolTip(tr("Photos per contrastive batch: each is told apart from the others"));
    params->addRow(tr("&Batch size:"), m_batch);
    m_learningRate = new QDoubleSpinBox(paramsBox);
    m_learningRate->setObjectName(QStringLiteral("learningRateSpin"));
    m_learningRate->setDecimals(6);
    m_learningRate->setRange(0.000001, 1.0);
    m_learningRate->setSingleStep(0.0001);
    m_learningRate->setValue(defaults.learningRate);
    m_learningRate->setToolTip(tr("Peak learning rate, reached after the warm-up, then cosine decay"));
    params->addRow(tr("Learning &rate:"), m_learningRate);
    m_warmup = new QSpinBox(paramsBox);
    m_warmup->setObjectName(QStringLiteral("warmupSpin"));
    m_warmup->setRange(0, INT_MAX);
    m_warmup->setValue(int(defaults.warmupSteps));
    m_warmup->setSuffix(tr(" steps"));
    params->addRow(tr("&Warm-up:"), m_warmup);
    m_seed = new QSpinBox(paramsBox);
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_seed->setRange(0, INT_MAX);
    m_seed->setValue(int(defaults.seed));
    m_seed->setToolTip(tr("Seed for the initial weights, the data order and the augmentation"));
    params->addRow(tr("S&eed:"), m_seed);
    m_evalEvery = new QSpinBox(paramsBox);
    m_evalEvery->setObjectName(QStringLiteral("evalEverySpin"));
    m_evalEvery->setRange(0, INT_MAX);
    m_evalEvery->setSingleStep(10);
    m_evalEvery->setValue(50);
    m_evalEvery->setSuffix(tr(" steps"));
    m_evalEvery->setSpecialValueText(tr("Off"));
    m_evalEvery->setToolTip(tr("Measure recall@1 on held-out photos of the data every this many steps "
                               "(the shapes world has them); 0: off"));
    params->addRow(tr("E&valuate every:"), m_evalEvery);
    m_loss = new QComboBox(paramsBox);
    m_loss->setObjectName(QStringLiteral("lossCombo"));
    m_loss->addItem(tr("InfoNCE (softmax)"), int(ContrastiveLoss::InfoNce));
    m_loss->addItem(tr("Sigmoid"), int(ContrastiveLoss::Sigmoid));
    m_loss->setCurrentIndex(m_loss->findData(int(defaults.loss)));
    params->addRow(tr("L&oss:"), m_loss);
    m_hardNegatives = new QComboBox(paramsBox);
    m_hardNegatives->setObjectName(QStringLiteral("hardNegativesCombo"));
    m_hardNegatives->addItem(tr("Off (random batches)"), int(BatchComposition::Random));
    m_hardNegatives->addItem(tr("Captions one word apart"), int(BatchComposition::OneWordOff));
    m_hardNegatives->addItem(tr("Nearest neighbours"), int(BatchComposition::Neighbours));
    m_hardNegatives->setCurrentIndex(m_hardNegatives->findData(int(defaults.composition)));
    m_hardNegatives->setToolTip(tr("Put confusable photos into the same batch"));
    params->addRow(tr("&Hard negatives:"), m_hardNegatives);
    m_hardNegativeBeta = new QDoubleSpinBox(paramsBox);
    m_hardNegativeBeta->setObjectName(QStringLiteral("hardNegativeBetaSpin"));
    m_hardNegativeBeta->setRange(0, 10);
    m_hardNegativeBeta->setSingleStep(0.1);
    m_hardNegativeBeta->setValue(defaults.hardNegativeBeta);
    m_hardNegativeBeta->setSpecialValueText(tr("Off"));
    m_hardNegativeBeta->setToolTip(tr("HN-NCE: weigh the negatives most like the positive more (0: off)"));
    params->addRow(tr("Hard-negative &weight:"), m_hardNegativeBeta);
    m_augment = new QCheckBox(tr("&Augment the photos (crops, flips, blur, colour)"), paramsBox);
    m_augment->setObjectName(QStringLiteral("augmentCheck"));
    m_augment->setChecked(defaults.augment.enabled);
    params->addRow(m_augment);
    m_device = new QComboBox(paramsBox);
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_device->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda"));
    m_device->setCurrentIndex(std::max(0, m_device->findData(QString::fromStdString(defaults.device))));
    params->addRow(tr("&Device:"), m_device);
    layout->addWidget(paramsBox);

    auto *outputBox = new QGroupBox(tr("Output"), settings);
    auto *outputRow = new QHBoxLayout(outputBox);
    m_output = new QLineEdit(outputBox);
    m_output->setObjectName(QStringLiteral("outputEdit"));
    m_output->setToolTip(tr("The run folder: checkpoints, metrics.jsonl and, at the end, the model"));
    connect(m_output, &QLineEdit::textEdited, this, [this] { m_outputChosen = true; });
    connect(m_output, &QLineEdit::textChanged, this, &TrainView::updateButtons);
    auto *outputBrowse = new QPushButton(tr("B&rowse…"), outputBox);
    outputBrowse->setObjectName(QStringLiteral("outputBrowseButton"));
    connect(outputBrowse, &QPushButton::clicked, this, &TrainView::browseOutput);
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(outputBrowse);
    layout->addWidget(outputBox);
    layout->addStretch();
    return settings;
}

QWidget *TrainView::buildRunPanel()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *buttons = new QHBoxLayout;
    m_startButton = new QPushButton(tr("S&tart"), panel);
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_startButton->setToolTip(tr("Start a new run into the output folder"));
    connect(m_startButton, &QPushButton::clicked, this, &TrainView::start);
    m_pauseButton = new QPushButton(tr("&Pause"), panel);
    m_pauseButton->setObjectName(QStringLiteral("pauseButton"));
    m_pauseButton->setToolTip(tr("Stop after this step with a checkpoint; Resume continues from it"));
    connect(m_pauseButton, &QPushButton::clicked, this, &TrainView::pause);
    m_resumeButton = new QPushButton(tr("Res&ume"), panel);
    m_resumeButton->setObjectName(QStringLiteral("resumeButton"));
    m_resumeButton->setToolTip(tr("Continue the run in the output folder from its last checkpoint"));
    connect(m_resumeButton, &QPushButton::clicked, this, &TrainView::resume);
    m_stopButton = new QPushButton(tr("St&op"), panel);
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setToolTip(tr("End the run; its latest checkpoint becomes the model"));
    connect(m_stopButton, &QPushButton::clicked, this, &TrainView::stop);
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_pauseButton);
    buttons->addWidget(m_resumeButton);
    buttons->addWidget(m_stopButton);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_progress = new QProgressBar(panel);
    m_progress->setObjectName(QStringLiteral("trainProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v / %m"));
    layout->addWidget(m_progress);
    m_status = new QLabel(panel);
    m_status->setObjectName(QStringLiteral("trainStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_lossSeries = new QLineSeries;
    setUpChart(m_curve, m_lossSeries, TrainingCurveModel::LossColumn, m_lossX, m_lossY, tr("Loss"),
               QStringLiteral("lossChart"), m_lossChart);
    m_scaleSeries = new QLineSeries;
    setUpChart(m_curve, m_scaleSeries, TrainingCurveModel::LogitScaleColumn, m_scaleX, m_scaleY,
               tr("Logit scale (1 / temperature)"), QStringLiteral("scaleChart"), m_scaleChart);
    // Recall exists at evaluated steps only: the series maps the rows whose recall is not empty.
    auto *evaluatedRows = new QSortFilterProxyModel(this);
    evaluatedRows->setSourceModel(m_curve);
    evaluatedRows->setFilterKeyColumn(TrainingCurveModel::RecallColumn);
    evaluatedRows->setFilterRegularExpression(QRegularExpression(QStringLiteral(".")));
    m_recallSeries = new QLineSeries;
    m_recallSeries->setPointsVisible(true);
    setUpChart(evaluatedRows, m_recallSeries, TrainingCurveModel::RecallColumn, m_recallX, m_recallY,
               tr("Recall@1 (held-out)"), QStringLiteral("recallChart"), m_recallChart);
    m_lossChart->setParent(panel);
    m_scaleChart->setParent(panel);
    m_recallChart->setParent(panel);
    layout->addWidget(m_lossChart, /*stretch=*/3);
    layout->addWidget(m_scaleChart, /*stretch=*/2);
    layout->addWidget(m_recallChart, /*stretch=*/2);
    connect(m_curve, &QAbstractItemModel::rowsInserted, this, &TrainView::updateAxes);
    connect(m_curve, &QAbstractItemModel::rowsRemoved, this, &TrainView::updateAxes);
    connect(m_curve, &QAbstractItemModel::modelReset, this, &TrainView::updateAxes);

    auto *resultRow = new QHBoxLayout;
    m_result = new QLabel(panel);
    m_result->setObjectName(QStringLiteral("trainResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_useModelButton = new QPushButton(tr("&Use this model"), panel);
    m_useModelButton->setObjectName(QStringLiteral("useModelButton"));
    m_useModelButton->setToolTip(tr("Search and classify with the trained model; the library is re-embedded "
                                    "in the background"));
    connect(m_useModelButton, &QPushButton::clicked, this, &TrainView::useModel);
    resultRow->addWidget(m_result, 1);
    resultRow->addWidget(m_useModelButton);
    layout->addLayout(resultRow);
    return panel;
}

void TrainView::setUpChart(QAbstractItemModel *model, QLineSeries *series, int yColumn, QValueAxis *&xAxis,
                           QValueAxis *&yAxis, const QString &title, const QString &objectName,
                           QWidget *&view)
{
    // The series follows the curve model: the mapper adds a point for every row appended.
    auto *mapper = new QVXYModelMapper(this);
    mapper->setXColumn(TrainingCurveModel::StepColumn);
    mapper->setYColumn(yColumn);
    mapper->setSeries(series);
    mapper->setModel(model);

    auto *chart = new QChart;
    chart->addSeries(series);
    chart->setTitle(title);
    chart->legend()->setVisible(false);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundVisible(false);
    chart->setMargins(QMargins(0, 0, 0, 0));
    xAxis = new QValueAxis;
    xAxis->setLabelFormat(QStringLiteral("%d"));
    xAxis->setTitleText(tr("Step"));
    yAxis = new QValueAxis;
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    const QBrush text = palette().brush(QPalette::WindowText);
    chart->setTitleBrush(text);
    xAxis->setLabelsBrush(text);
    xAxis->setTitleBrush(text);
    yAxis->setLabelsBrush(text);

    auto *chartView = new QChartView(chart);
    chartView->setObjectName(objectName);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(140);
    view = chartView;
}

void TrainView::updateAxes()
{
    const auto fit = [this](QValueAxis *x, QValueAxis *y, int column, bool fromZero) {
        const auto [firstStep, lastStep] = m_curve->range(TrainingCurveModel::StepColumn);
        const double span = std::max(lastStep - firstStep, 1.0);
        x->setRange(firstStep, firstStep + span);
        // Whole steps only: ticks every 1, 2 or 5 times a power of ten, about five of them.
        const double rough = std::max(span / 5, 1.0), power = std::pow(10.0, std::floor(std::log10(rough)));
        const double unit = rough / power;
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(0);
        x->setTickInterval(power * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10));
        auto [low, high] = m_curve->range(column);
        if (fromZero)
            low = std::min(low, 0.0);
        const double pad = std::max((high - low) * 0.05, 1e-3);
        y->setRange(fromZero && low >= 0 ? 0.0 : low - pad, high + pad);
        y->applyNiceNumbers();
    };
    fit(m_lossX, m_lossY, TrainingCurveModel::LossColumn, /*fromZero=*/true);
    fit(m_scaleX, m_scaleY, TrainingCurveModel::LogitScaleColumn, /*fromZero=*/false);
    fit(m_recallX, m_recallY, TrainingCurveModel::RecallColumn, /*fromZero=*/true);
    m_recallY->setRange(0, 1); // a fraction: the whole scale, so that curves of runs compare
}

// --- settings ---

void TrainView::onDataKindChanged()
{
    const int kind = m_dataKind->currentData().toInt();
    m_shownKind = kind;
    m_dataPath->setText(m_dataPaths[kind]);
    const bool shapes = kind == int(DataKind::ShapesWorld);
    m_shapesCount->setVisible(shapes);
    m_shapesCountLabel->setVisible(shapes);
    switch (DataKind(kind)) {
    case DataKind::Folders:
        m_dataPath->setPlaceholderText(tr("A folder of label folders"));
        m_dataHint->setText(
            tr("One subfolder per label; each photo is captioned with a prompt naming its folder."));
        break;
    case DataKind::CaptionsCsv:
        m_dataPath->setPlaceholderText(tr("A .csv or .tsv file"));
        m_dataHint->setText(tr("Columns path (or image, filepath, file_name) and caption (or text, title); "
                               "relative paths are relative to the file's folder."));
        break;
    case DataKind::Sidecar:
        m_dataPath->setPlaceholderText(tr("A folder of photos"));
        m_dataHint->setText(tr("Each photo with its caption in a same-named .txt file beside it."));
        break;
    case DataKind::WebDataset:
        m_dataPath->setPlaceholderText(tr("A .tar shard or a pattern"));
        m_dataHint->setText(tr("Uncompressed WebDataset shards; a pattern such as shard-{000..009}.tar "
                               "names several."));
        break;
    case DataKind::ShapesWorld:
        m_dataPath->setPlaceholderText(tr("A folder for the shapes world"));
        m_dataHint->setText(tr("Drawn shapes with truthful captions. When the folder holds no world yet, "
                               "one is drawn first."));
        break;
    }
}

void TrainView::browseData()
{
    const QString current = m_dataPath->text();
    QString chosen;
    switch (dataKind()) {
    case DataKind::CaptionsCsv:
        chosen = QFileDialog::getOpenFileName(this, tr("Captions file"), current,
                                              tr("Captions (*.csv *.tsv);;All files (*)"));
        break;
    case DataKind::WebDataset:
        chosen = QFileDialog::getOpenFileName(this, tr("WebDataset shard"), current,
                                              tr("WebDataset shards (*.tar);;All files (*)"));
        break;
    default:
        chosen = QFileDialog::getExistingDirectory(this, tr("Training data folder"), current);
        break;
    }
    if (!chosen.isEmpty())
        m_dataPath->setText(QDir::toNativeSeparators(chosen));
}

void TrainView::browseOutput()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Run folder"), m_output->text());
    if (!chosen.isEmpty())
        setOutputFolder(QDir::toNativeSeparators(chosen));
}

void TrainView::updateModelChoice()
{
    const bool hasModel = m_controller && m_controller->hasModel();
    if (hasModel) {
        const ModelSummary &summary = m_controller->modelSummary();
        m_currentModel->setText(
            tr("%1 (%2-dimensional), %3").arg(summary.name).arg(summary.dim).arg(summary.path));
    } else {
        m_currentModel->setText(tr("No model is loaded."));
    }
    m_fineTune->setEnabled(hasModel);
    if (!hasModel && m_fineTune->isChecked())
        m_fromScratch->setChecked(true);
    const bool fineTune = m_fineTune->isChecked();
    m_arch->setEnabled(!fineTune);
    m_lockImage->setEnabled(fineTune);
    m_lockText->setEnabled(fineTune);
}

void TrainView::updateLengthFields()
{
    const bool minutes = m_lengthKind->currentIndex() == 0;
    m_minutes->setVisible(minutes);
    m_steps->setVisible(!minutes);
}

void TrainView::setDataKind(DataKind kind)
{
    m_dataKind->setCurrentIndex(m_dataKind->findData(int(kind)));
}

TrainView::DataKind TrainView::dataKind() const
{
    return DataKind(m_dataKind->currentData().toInt());
}

void TrainView::setDataPath(const QString &path)
{
    m_dataPath->setText(path);
}

QString TrainView::dataPath() const
{
    return m_dataPath->text().trimmed();
}

void TrainView::setShapesPhotoCount(int count)
{
    m_shapesCount->setValue(count);
}

void TrainView::setArchitecture(const QString &preset)
{
    m_fromScratch->setChecked(true);
    m_arch->setCurrentText(preset);
}

void TrainView::setTimeLimitMinutes(double minutes)
{
    m_lengthKind->setCurrentIndex(0);
    m_minutes->setValue(minutes);
}

void TrainView::setOutputFolder(const QString &folder)
{
    m_outputChosen = !folder.isEmpty();
    m_output->setText(folder);
}

QString TrainView::outputFolder() const
{
    return m_output->text().trimmed();
}

QString TrainView::dataSpec() const
{
    const QString path = QDir::fromNativeSeparators(dataPath());
    switch (dataKind()) {
    case DataKind::Folders:
        return QStringLiteral("folders:") + path;
    case DataKind::CaptionsCsv:
        return QStringLiteral("csv:") + path;
    case DataKind::Sidecar:
        return QStringLiteral("sidecar:") + path;
    case DataKind::WebDataset:
        return QStringLiteral("wds:") + path;
    case DataKind::ShapesWorld:
        return QStringLiteral("shapes:") + path;
    }
    return {};
}

TrainConfig TrainView::trainConfig() const
{
    TrainConfig config;
    if (!dataPath().isEmpty())
        config.dataSpecs = {dataSpec().toStdString()};
    config.outDir = QDir::fromNativeSeparators(outputFolder()).toStdString();
    if (m_fineTune->isChecked() && m_controller && m_controller->hasModel()) {
        config.init = m_controller->modelSummary().path.toStdString();
        config.lockImageTower = m_lockImage->isChecked();
        config.lockTextTower = m_lockText->isChecked();
    } else {
        config.arch = m_arch->currentText().toStdString();
    }
    if (m_lengthKind->currentIndex() == 0)
        config.timeLimitMinutes = m_minutes->value();
    else
        config.steps = m_steps->value();
    config.batchSize = m_batch->value();
    config.learningRate = m_learningRate->value();
    config.warmupSteps = m_warmup->value();
    config.seed = uint64_t(m_seed->value());
    config.evalEverySteps = m_evalEvery->value();
    config.loss = ContrastiveLoss(m_loss->currentData().toInt());
    config.composition = BatchComposition(m_hardNegatives->currentData().toInt());
    config.hardNegativeBeta = m_hardNegativeBeta->value();
    config.augment.enabled = m_augment->isChecked();
    config.device = m_device->currentData().toString().toStdString();
    return config;
}

QString TrainView::defaultOutputFolder() const
{
    const QString runs = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                             .filePath(QStringLiteral("runs"));
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString folder = QDir(runs).filePath(stamp);
    for (int n = 2; QFileInfo::exists(folder); ++n)
        folder = QDir(runs).filePath(stamp + QLatin1Char('-') + QString::number(n));
    return QDir::toNativeSeparators(folder);
}

QList<TrainProgress> TrainView::readMetrics(const QString &runFolder) const
{
    // metrics.jsonl: one JSON object per logged step (every TrainConfig::logEverySteps steps).
    QList<TrainProgress> reports;
    QFile file(QDir(QDir::fromNativeSeparators(runFolder)).filePath(QStringLiteral("metrics.jsonl")));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return reports;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        if (!line.contains(QLatin1String("step")))
            continue;
        TrainProgress report;
        report.step = line.value(QLatin1String("step")).toInteger();
        report.epoch = line.value(QLatin1String("epoch")).toInt();
        report.loss = line.value(QLatin1String("loss")).toDouble(NAN);
        report.logitScale = line.value(QLatin1String("logit_scale")).toDouble(NAN);
        report.learningRate = line.value(QLatin1String("lr")).toDouble(NAN);
        report.recallAt1 = line.value(QLatin1String("recall_at_1")).toDouble(-1);
        report.recallAt5 = line.value(QLatin1String("recall_at_5")).toDouble(-1);
        if (std::isfinite(report.loss) && std::isfinite(report.logitScale)) // a skipped step logs no loss
            reports.append(report);
    }
    return reports;
}

QString TrainView::latestCheckpoint(const QString &runFolder) const
{
    // The trainer's commit pointer: checkpoints/latest names the newest complete checkpoint folder.
    const QDir checkpoints(
        QDir(QDir::fromNativeSeparators(runFolder)).filePath(QStringLiteral("checkpoints")));
    QFile pointer(checkpoints.filePath(QStringLiteral("latest")));
    if (runFolder.isEmpty() || !pointer.open(QIODevice::ReadOnly))
        return {};
    const QString name = QString::fromUtf8(pointer.readAll()).trimmed();
    if (name.isEmpty() ||
        !QFileInfo::exists(checkpoints.filePath(name + QStringLiteral("/trainer_state.json"))))
        return {};
    return checkpoints.filePath(name);
}

// --- the run ---

void TrainView::start()
{
    if (m_worker)
        return;
    if (dataPath().isEmpty()) {
        fail(tr("Choose the training data first."));
        return;
    }
    if (m_fineTune->isChecked() && !(m_controller && m_controller->hasModel())) {
        fail(tr("Load a model to fine-tune first."));
        return;
    }
    if (!m_outputChosen || outputFolder().isEmpty())
        m_output->setText(defaultOutputFolder());
    TrainConfig config = trainConfig();
    config.resume = false;
    m_shapesDir.clear();
    if (dataKind() == DataKind::ShapesWorld) {
        m_shapesDir = dataPath();
        m_shapesPhotos = m_shapesCount->value();
    }
    m_curve->clear();
    m_modelDir.clear();
    m_result->clear();
    launch(std::move(config));
}

void TrainView::pause()
{
    if (!m_worker || (m_state != State::Running && m_state != State::Preparing))
        return;
    m_pauseRequested = true;
    m_worker->cancel();
    setState(State::Pausing);
}

void TrainView::resume()
{
    if (m_worker)
        return;
    TrainConfig config;
    if (m_state == State::Paused && m_runConfig) {
        config = *m_runConfig;
    } else {
        // A run left in the output folder (an earlier session's): the settings shown, continued.
        if (dataPath().isEmpty()) {
            fail(tr("Choose the training data first."));
            return;
        }
        config = trainConfig();
        m_shapesDir = dataKind() == DataKind::ShapesWorld ? dataPath() : QString();
        m_shapesPhotos = m_shapesCount->value();
        m_curve->clear();
        m_curve->append(readMetrics(outputFolder()));
    }
    config.resume = true;
    m_modelDir.clear();
    m_result->clear();
    launch(std::move(config));
}

void TrainView::stop()
{
    if (m_worker) {
        if (m_state == State::Stopping)
            return;
        m_stopRequested = true;
        m_worker->cancel();
        setState(State::Stopping);
        return;
    }
    if (m_state != State::Paused)
        return;
    // A paused run has nothing running: its checkpoint is the result.
    TrainResult result;
    result.cancelled = true;
    result.steps = m_curve->lastStep();
    m_stopRequested = true;
    onFinished(result);
}

void TrainView::useModel()
{
    if (m_modelDir.isEmpty()) {
        fail(tr("There is no trained model yet."));
        return;
    }
    if (!m_controller) {
        fail(tr("There is no library to use the model with."));
        return;
    }
    m_controller->loadModel(m_modelDir);
    m_result->setText(tr("Loading %1; the library is embedded with it in the background.")
                          .arg(QDir::toNativeSeparators(m_modelDir)));
}

void TrainView::launch(TrainConfig config)
{
    TrainWorker::Job job;
    job.config = config;
    if (!m_shapesDir.isEmpty() &&
        !QFileInfo::exists(QDir(m_shapesDir).filePath(QStringLiteral("world.json")))) {
        job.shapesDir = QDir::fromNativeSeparators(m_shapesDir).toStdString();
        job.shapesPhotos = m_shapesPhotos;
        job.shapesSeed = config.seed;
    }
    const bool preparing = !job.shapesDir.empty();
    m_runConfig = std::move(config);
    m_pauseRequested = false;
    m_stopRequested = false;

    m_thread = new QThread(this);
    m_worker = new TrainWorker(std::move(job));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_worker, &TrainWorker::run);
    connect(m_worker, &TrainWorker::generating, this, [this](int done, int total) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
        m_status->setText(tr("Drawing the shapes world: %1 of %2 photos").arg(done).arg(total));
    });
    connect(m_worker, &TrainWorker::trainingStarted, this, [this] {
        if (m_state == State::Preparing)
            setState(State::Running);
        m_progress->setRange(0, 0); // busy until the first step
        m_status->setText(tr("Reading the data and preparing the model…"));
    });
    connect(m_worker, &TrainWorker::progressed, this, &TrainView::onReports);
    connect(m_worker, &TrainWorker::finished, this, &TrainView::onFinished);
    connect(m_worker, &TrainWorker::failed, this, &TrainView::onFailed);
    setState(preparing ? State::Preparing : State::Running);
    if (preparing)
        m_status->setText(tr("Drawing the shapes world…"));
    m_thread->start();
    Q_EMIT trainingStarted();
}

void TrainView::onReports(const QList<TrainProgress> &reports)
{
    if (reports.isEmpty())
        return;
    m_curve->append(reports);
    const TrainProgress &last = reports.back();
    m_progress->setRange(0, int(std::clamp<qint64>(last.totalSteps, 1, INT_MAX)));
    m_progress->setValue(int(std::clamp<qint64>(last.step, 0, INT_MAX)));
    QString text = tr("Step %1 of %2 · epoch %3 · loss %4 · logit scale %5 · %6 samples/s · %7 left")
                       .arg(last.step)
                       .arg(last.totalSteps)
                       .arg(last.epoch + 1)
                       .arg(last.loss, 0, 'f', 4)
                       .arg(last.logitScale, 0, 'f', 2)
                       .arg(last.samplesPerSecond, 0, 'f', 0)
                       .arg(formatDuration(last.etaSeconds));
    if (last.skippedSteps > 0)
        text +=
            QLatin1Char('\n') + tr("%n step(s) skipped (non-finite loss)", nullptr, int(last.skippedSteps));
    if (last.failedImages > 0)
        text += QLatin1Char('\n') + tr("%n photo(s) could not be read", nullptr, int(last.failedImages));
    m_status->setText(text);
    Q_EMIT progressed(last.step, last.totalSteps, last.loss);
}

void TrainView::endWorker()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void TrainView::onFinished(const TrainResult &result)
{
    const bool paused = m_pauseRequested && !m_stopRequested;
    endWorker();
    m_pauseRequested = false;
    m_stopRequested = false;
    const QString runFolder = QString::fromStdString(m_runConfig ? m_runConfig->outDir : std::string());
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    if (result.cancelled && paused) {
        setState(State::Paused);
        m_result->setText(tr("Paused at step %1. Resume continues from its checkpoint.").arg(result.steps));
        Q_EMIT trainingPaused(result.steps);
        return;
    }
    if (result.cancelled) {
        // Stopped: the trainer's last checkpoint is a model folder like any other.
        m_runConfig.reset();
        m_modelDir = latestCheckpoint(runFolder);
        setState(State::Idle);
        if (m_modelDir.isEmpty()) {
            m_result->setText(tr("Stopped before the first step."));
            return;
        }
        m_result->setText(
            tr("Stopped at step %1. Model: %2").arg(result.steps).arg(QDir::toNativeSeparators(m_modelDir)));
        Q_EMIT trainingFinished(m_modelDir);
        return;
    }
    m_runConfig.reset();
    m_modelDir = QString::fromStdString(result.modelDir);
    m_progress->setValue(m_progress->maximum());
    setState(State::Idle);
    m_result->setText(tr("Finished: %n step(s), final loss %1, %2. Model: %3", nullptr, int(result.steps))
                          .arg(result.finalLoss, 0, 'f', 4)
                          .arg(formatDuration(result.seconds))
                          .arg(QDir::toNativeSeparators(m_modelDir)));
    Q_EMIT trainingFinished(m_modelDir);
}

void TrainView::onFailed(const QString &message)
{
    endWorker();
    m_pauseRequested = false;
    m_stopRequested = false;
    m_runConfig.reset();
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    setState(State::Idle);
    m_status->clear();
    fail(tr("Training failed: %1").arg(message));
}

void TrainView::fail(const QString &message)
{
    m_result->setText(message);
    Q_EMIT errorOccurred(message);
}

void TrainView::setState(State state)
{
    m_state = state;
    updateButtons();
}

void TrainView::updateButtons()
{
    const bool idle = m_state == State::Idle;
    const bool running = m_state == State::Running || m_state == State::Preparing;
    const bool paused = m_state == State::Paused;
    m_settings->setEnabled(idle);
    m_startButton->setEnabled(idle);
    m_pauseButton->setEnabled(running);
    m_stopButton->setEnabled(running || paused);
    // Resume: the paused run, or an unfinished run found in the output folder.
    bool resumable = paused;
    if (idle && !outputFolder().isEmpty()) {
        const QDir run(QDir::fromNativeSeparators(outputFolder()));
        resumable = !latestCheckpoint(outputFolder()).isEmpty() &&
                    !QFileInfo::exists(run.filePath(QStringLiteral("model/lodestone.json")));
    }
    m_resumeButton->setEnabled(resumable);
    m_useModelButton->setEnabled(!m_modelDir.isEmpty() && m_controller != nullptr);
}

} // namespace lodestone::ui
