#pragma once

#include "lodestone/trainer.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <optional>
#include <string>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QThread;
class QValueAxis;

namespace lodestone::ui {

class LibraryController;
class TrainWorker;
class TrainingCurveModel;

// The training tab: choose the data (folders as labels, a captions CSV/TSV, sidecar captions, WebDataset
// shards or the synthetic shapes world, written first when its folder has none), start from scratch or
// fine-tune the controller's model, set the main hyperparameters, then start, pause, resume or stop. The run
// goes on a TrainWorker thread; its loss, logit scale and held-out recall@1 (every N steps, when the data
// has a test split) are charted live from a TrainingCurveModel, with progress and ETA. When it is done, "Use
// this model" has the controller load the result (and re-embed the library). Pause stops between steps with a
// checkpoint and Resume continues it in the same folder; Stop ends the run, keeping its latest checkpoint as
// the model. Errors come back as errorOccurred(). UI thread only; the destructor cancels a run and waits for
// it.
class TrainView : public QWidget {
    Q_OBJECT
public:
    // The kinds of training data, in the order of the data combo.
    enum class DataKind { Folders = 0, CaptionsCsv, Sidecar, WebDataset, ShapesWorld };
    enum class State {
        Idle,      // nothing running (never started, finished, stopped or failed)
        Preparing, // writing the shapes world
        Running,
        Pausing,  // cancel asked for; waiting for the checkpoint
        Paused,   // a checkpoint to resume from
        Stopping, // cancel asked for; the run then ends
    };

    explicit TrainView(LibraryController *controller, QWidget *parent = nullptr);
    ~TrainView() override;

    // --- the settings (the same as the widgets) ---
    void setDataKind(DataKind kind);
    DataKind dataKind() const;
    void setDataPath(const QString &path); // of the current kind; each kind keeps its own
    QString dataPath() const;
    void setShapesPhotoCount(int count);         // training photos of a shapes world written here
    void setArchitecture(const QString &preset); // a new model of this preset (ClipConfig::presetNames())
    void setTimeLimitMinutes(double minutes);    // train for this long rather than a number of steps
    void setOutputFolder(const QString &folder);
    QString outputFolder() const;
    // The run the widgets describe (data spec, output folder, model, hyperparameters). Throws nothing;
    // an incomplete choice (no data path) is reported by start().
    lodestone::TrainConfig trainConfig() const;

    // --- the run ---
    void start();    // a new run into outputFolder() (a fresh timestamped folder unless one was chosen)
    void pause();    // stop between steps with a checkpoint; resume() continues it
    void resume();   // continue the paused run, or the run whose checkpoint is in outputFolder()
    void stop();     // end the run; its latest checkpoint becomes the result
    void useModel(); // the controller loads the latest result (and re-embeds the library)

    State state() const { return m_state; }
    bool isRunning() const { return m_worker != nullptr; }
    TrainingCurveModel *curveModel() const { return m_curve; }
    QString modelDir() const { return m_modelDir; } // the latest result; empty before one

Q_SIGNALS:
    void trainingStarted();                                       // start() or resume() launched a run
    void progressed(qint64 step, qint64 totalSteps, double loss); // the latest step, ~20 times a second
    void trainingPaused(qint64 step);                             // its checkpoint is at `step`
    // The run ended with a model folder ClipModel::load takes: the finished model, or after stop() the
    // latest checkpoint.
    void trainingFinished(const QString &modelDir);
    void errorOccurred(const QString &message); // bad data or settings; the view is idle again

private:
    void buildUi();
    QWidget *buildSettings();
    QWidget *buildRunPanel();
    void setUpChart(QAbstractItemModel *model, QLineSeries *series, int yColumn, QValueAxis *&xAxis,
                    QValueAxis *&yAxis, const QString &title, const QString &objectName, QWidget *&view);
    void onDataKindChanged();
    void browseData();
    void browseOutput();
    void updateModelChoice();
    void updateLengthFields();
    void launch(lodestone::TrainConfig config);
    void onReports(const QList<lodestone::TrainProgress> &reports);
    void onFinished(const lodestone::TrainResult &result);
    void onFailed(const QString &message);
    void endWorker();
    void setState(State state);
    void updateButtons();
    void updateAxes();
    void fail(const QString &message);
    QString latestCheckpoint(const QString &runFolder) const;
    QList<lodestone::TrainProgress> readMetrics(const QString &runFolder) const; // the steps it logged
    QString defaultOutputFolder() const;
    QString dataSpec() const;

    QPointer<LibraryController> m_controller; // not owned
    TrainingCurveModel *m_curve;
    State m_state = State::Idle;
    QThread *m_thread = nullptr;
    TrainWorker *m_worker = nullptr;
    bool m_pauseRequested = false;
    bool m_stopRequested = false;
    std::optional<lodestone::TrainConfig> m_runConfig; // of the run going or paused
    QString m_modelDir;
    QString m_shapesDir; // the shapes world the run reads; empty for other data
    int m_shapesPhotos = 0;
    bool m_outputChosen = false; // typed or browsed, rather than the default
    QString m_dataPaths[5];      // per DataKind
    int m_shownKind = -1;

    // settings
    QWidget *m_settings = nullptr;
    QComboBox *m_dataKind = nullptr;
    QLineEdit *m_dataPath = nullptr;
    QPushButton *m_dataBrowse = nullptr;
    QLabel *m_dataHint = nullptr;
    QLabel *m_shapesCountLabel = nullptr;
    QSpinBox *m_shapesCount = nullptr;
    QRadioButton *m_fromScratch = nullptr;
    QRadioButton *m_fineTune = nullptr;
    QComboBox *m_arch = nullptr;
    QLabel *m_currentModel = nullptr;
    QCheckBox *m_lockImage = nullptr;
    QCheckBox *m_lockText = nullptr;
    QComboBox *m_lengthKind = nullptr;
    QSpinBox *m_steps = nullptr;
    QDoubleSpinBox *m_minutes = nullptr;
    QSpinBox *m_batch = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QSpinBox *m_warmup = nullptr;
    QSpinBox *m_seed = nullptr;
    QSpinBox *m_evalEvery = nullptr;
    QComboBox *m_loss = nullptr;
    QComboBox *m_hardNegatives = nullptr;
    QDoubleSpinBox *m_hardNegativeBeta = nullptr;
    QCheckBox *m_augment = nullptr;
    QComboBox *m_device = nullptr;
    QLineEdit *m_output = nullptr;

    // run
    QPushButton *m_startButton = nullptr;
    QPushButton *m_pauseButton = nullptr;
    QPushButton *m_resumeButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    QPushButton *m_useModelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_result = nullptr;
    QLineSeries *m_lossSeries = nullptr;
    QLineSeries *m_scaleSeries = nullptr;
    QLineSeries *m_recallSeries = nullptr;
    QValueAxis *m_lossX = nullptr;
    QValueAxis *m_lossY = nullptr;
    QValueAxis *m_scaleX = nullptr;
    QValueAxis *m_scaleY = nullptr;
    QValueAxis *m_recallX = nullptr;
    QValueAxis *m_recallY = nullptr;
    QWidget *m_lossChart = nullptr;
    QWidget *m_scaleChart = nullptr;
    QWidget *m_recallChart = nullptr;
};

} // namespace lodestone::ui
