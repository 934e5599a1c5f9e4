// The desktop program's responsiveness (issue 7), and the screenshots of docs/.
//
// usage:
//   bench_ui setup --dir DIR [--n 100000] [--threads 2] [--seed 1]
//       Writes N small distinct JPEGs (160x120: a gradient and a few coloured shapes) into DIR/photos/NNN/
//       and a Lodestone library in DIR/library whose catalog lists them, with random unit embeddings (dim
//       512) for one model record and no model file: no model runs. What is already there is reused (photos
//       by file, the catalog when it holds N photos). Prints one JSON object.
//   bench_ui run --dir DIR [--n 100000] [--cache cold|warm] [--size 1280x800] [--scroll-photos 3000]
//                [--scroll-seconds 12] [--passes 2] [--timeout 60]
//       The desktop program's start-up on that library, as app/desktop/main.cpp does it (QApplication,
//       Preferences, LibraryController, MainWindow, show), timed from main's first line: the first paint of
//       the window, the grid model holding all N rows, the first visible thumbnails painted. The time from
//       exec to main (loading the shared libraries and their static initialisers, LibTorch's above all) is
//       added from LODESTONE_BENCH_EXEC_NS when set (`LODESTONE_BENCH_EXEC_NS=$(date +%s%N) bench_ui run
//       ...`), else estimated from /proc/self/stat. Then the grid is scrolled at a steady pace (a scroll-bar
//       step every 16 ms, --scroll-photos photos in
//       --scroll-seconds) while thumbnails stream in, --passes times over the same rows (the first pass
//       with the thumbnail cache as --cache says, later ones with it warm), and the time the UI thread is
//       busy per event-loop iteration is reported. --cache cold: a new, empty thumbnail cache folder (removed
//       afterwards); warm: DIR/thumbnails, kept between runs. Prints one JSON object.
//   bench_ui screenshots --library L --out DIR [--model M] [--size 1280x800] [--search "a red circle"]
//                        [--labels "a red shape;a blue shape;..."] [--columns 4]
//                        [--map-method umap] [--map-clusters 0] [--probe "red circle - red + blue"]
//                        [--world L/../world] [--train-arch tiny] [--train-minutes 3] [--train-steps 60]
//                        [--train-seconds 60] [--train-batch 64] [--train-warmup 10]
//       Opens the main window on a copy of a library (with its most recently used model, or M; the copy's
//       stored classification dropped), the zoom set so that --columns columns fill the grid, and saves
//       DIR/screenshot-grid.png, then DIR/screenshot-search.png after a text search, then
//       DIR/screenshot-classify.png after a classification; then, in the Map tab, DIR/screenshot-map.png
//       once the map of the library's photos (--map-clusters 0: clusters chosen automatically) and the probe
//       are drawn; then, in the Train tab, DIR/screenshot-train.png mid-run: a --train-arch model trains on
//       the shapes world --world (for --train-minutes, batches of --train-batch, --train-warmup warm-up
//       steps, into a temporary folder) and is grabbed at
//       --train-steps steps or --train-seconds after its first step, whichever is first, then stopped.
//       Run it on a real display or Xvfb (xcb).
//
// How the UI thread's time is measured: QApplication::notify is wrapped, and the time spent in each
// top-level event dispatch (posted events, timers, window-system events, the paint of a frame) is added
// to the current event-loop iteration; an iteration ends when the event dispatcher is about to block
// (QAbstractEventDispatcher::aboutToBlock, emitted once per processEvents call while the loop waits). The
// busy time of an iteration is how long input would have waited at worst in it.

#include "classify/classifypanel.h"
#include "grid/photogridmodel.h"
#include "grid/photogridview.h"
#include "library/catalog.h"
#include "library/contenthash.h"
#include "library/librarycontroller.h"
#include "map/mapview.h"
#include "search/searchfield.h"
#include "settings/preferences.h"
#include "settings/translations.h"
#include "thumbnails/thumbnailloader.h"
#include "train/trainingcurvemodel.h"
#include "train/trainview.h"
#include "window/mainwindow.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QBuffer>
#include <QCursor>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace lodestone;
using namespace lodestone::ui;
using Clock = std::chrono::steady_clock;

namespace {

Clock::time_point g_mainStart;
int64_t g_mainStartRealNs = 0; // CLOCK_REALTIME at main's first line

double msSince(Clock::time_point start, Clock::time_point end = Clock::now())
{
    return std::chrono::duration<double, std::milli>(end - start).count();
}

// Milliseconds from the process's creation (fork) to now, from /proc/self/stat (clock ticks, usually 10 ms)
// and CLOCK_BOOTTIME; -1 when unknown.
double processAgeMs()
{
    std::ifstream in("/proc/self/stat");
    std::string stat;
    std::getline(in, stat);
    const size_t close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    // Fields after the command name start with field 3 (state); starttime is field 22.
    size_t pos = close + 2;
    for (int field = 3; field < 22 && pos != std::string::npos; ++field)
        pos = stat.find(' ', pos) + 1;
    if (pos == 0 || pos == std::string::npos)
        return -1;
    const double startTicks = std::strtod(stat.c_str() + pos, nullptr);
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double nowMs = double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
    return nowMs - startTicks * 1e3 / double(sysconf(_SC_CLK_TCK));
}

struct Args {
    std::map<std::string, std::string> values;
    std::string get(const std::string &key, const std::string &fallback) const
    {
        const auto it = values.find(key);
        return it == values.end() ? fallback : it->second;
    }
    int getInt(const std::string &key, int fallback) const
    {
        return std::stoi(get(key, std::to_string(fallback)));
    }
    double getDouble(const std::string &key, double fallback) const
    {
        const auto it = values.find(key);
        return it == values.end() ? fallback : std::stod(it->second);
    }
};

QSize parseSize(const std::string &text)
{
    const size_t x = text.find('x');
    if (x == std::string::npos)
        return {1280, 800};
    return {std::stoi(text.substr(0, x)), std::stoi(text.substr(x + 1))};
}

void printJson(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
    std::fflush(stdout);
}

// --- statistics ---

QJsonObject summarise(std::vector<double> ms)
{
    QJsonObject out;
    out[QStringLiteral("count")] = qint64(ms.size());
    if (ms.empty())
        return out;
    std::sort(ms.begin(), ms.end());
    const auto quantile = [&](double q) {
        return ms[std::min(ms.size() - 1, size_t(std::floor(q * double(ms.size() - 1) + 0.5)))];
    };
    const auto round2 = [](double v) { return std::round(v * 100) / 100; };
    out[QStringLiteral("max_ms")] = round2(ms.back());
    out[QStringLiteral("p99_ms")] = round2(quantile(0.99));
    out[QStringLiteral("p50_ms")] = round2(quantile(0.5));
    out[QStringLiteral("over_16ms")] =
        qint64(std::count_if(ms.begin(), ms.end(), [](double v) { return v > 16; }));
    out[QStringLiteral("over_50ms")] =
        qint64(std::count_if(ms.begin(), ms.end(), [](double v) { return v > 50; }));
    return out;
}

// --- setup: photos and catalog ---

std::string photoPath(const std::string &photos, int i)
{
    char name[64];
    std::snprintf(name, sizeof name, "/%03d/%06d.jpg", i / 1000, i);
    return photos + name;
}

QByteArray makeJpeg(int index, uint32_t seed)
{
    std::mt19937 rng(seed * 2654435761u + uint32_t(index));
    std::uniform_int_distribution<int> byte(0, 255);
    const auto colour = [&] { return QColor(byte(rng), byte(rng), byte(rng)); };
    QImage image(160, 120, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    std::uniform_real_distribution<double> unit(0, 1);
    QLinearGradient gradient(QPointF(unit(rng) * 160, unit(rng) * 120),
                             QPointF(unit(rng) * 160, unit(rng) * 120));
    gradient.setColorAt(0, colour());
    gradient.setColorAt(1, colour());
    painter.fillRect(image.rect(), gradient);
    painter.setPen(Qt::NoPen);
    const int shapes = 2 + index % 4;
    for (int s = 0; s < shapes; ++s) {
        painter.setBrush(colour());
        const QRectF box(unit(rng) * 130, unit(rng) * 90, 12 + unit(rng) * 50, 12 + unit(rng) * 50);
        switch (byte(rng) % 3) {
        case 0:
            painter.drawEllipse(box);
            break;
        case 1:
            painter.drawRect(box);
            break;
        default: {
            QPainterPath triangle;
            triangle.moveTo(box.center().x(), box.top());
            triangle.lineTo(box.bottomRight());
            triangle.lineTo(box.bottomLeft());
            triangle.closeSubpath();
            painter.drawPath(triangle);
        }
        }
    }
    painter.end();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "JPG", 85))
        throw std::runtime_error("encoding a JPEG failed (is the Qt JPEG image plugin installed?)");
    return bytes;
}

int64_t countPhotos(detail::Catalog &catalog)
{
    auto s = catalog.statement("SELECT count(*) FROM photos");
    return s->step() ? s->int64(0) : 0;
}

int runSetup(const Args &args)
{
    const std::string dir = std::filesystem::absolute(args.get("--dir", "")).lexically_normal().string();
    if (dir.empty() || dir == "/")
        throw std::runtime_error("setup needs --dir");
    const int n = args.getInt("--n", 100000);
    const int threads = std::max(1, args.getInt("--threads", 2));
    const uint32_t seed = uint32_t(args.getInt("--seed", 1));
    const std::string photos = dir + "/photos";
    const std::string libraryFolder = dir + "/library";
    QJsonObject out;
    out[QStringLiteral("mode")] = QStringLiteral("setup");
    out[QStringLiteral("photos")] = n;

    // 1. The JPEGs, each thread taking every threads-th photo; existing files are kept.
    const Clock::time_point start = Clock::now();
    for (int folder = 0; folder <= (n - 1) / 1000; ++folder) {
        char name[16];
        std::snprintf(name, sizeof name, "/%03d", folder);
        std::filesystem::create_directories(photos + name);
    }
    std::atomic<int> written{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = t; i < n; i += threads) {
                const std::string path = photoPath(photos, i);
                if (std::filesystem::exists(path))
                    continue;
                const QByteArray bytes = makeJpeg(i, seed);
                const std::string temporary = path + ".part";
                {
                    std::ofstream file(temporary, std::ios::binary);
                    file.write(bytes.constData(), bytes.size());
                }
                std::filesystem::rename(temporary, path);
                ++written;
            }
        });
    }
    for (std::thread &w : workers)
        w.join();
    out[QStringLiteral("jpegs_written")] = written.load();
    out[QStringLiteral("jpegs_seconds")] = msSince(start) / 1000;

    // 2. The catalog, unless it already lists N photos: what the indexer would write for these files (stat,
    // content hash, size), with random unit embeddings for one model record instead of a model's.
    const Clock::time_point catalogStart = Clock::now();
    std::filesystem::create_directories(libraryFolder);
    detail::Catalog catalog(libraryFolder + "/catalog.db");
    const int64_t existing = countPhotos(catalog);
    if (existing != n) {
        if (existing != 0)
            throw std::runtime_error(libraryFolder + " holds a catalog of " + std::to_string(existing) +
                                     " photos, not " + std::to_string(n) + ": remove it first");
        constexpr int Dim = 512;
        catalog.addFolder(photos);
        int64_t folderId = 0;
        for (const detail::FolderRow &f : catalog.folders())
            if (f.path == photos)
                folderId = f.id;
        ModelRecord record;
        record.id = "bench-ui-random-512"; // no model file: the window starts without a model
        record.name = "random unit vectors";
        record.dim = Dim;
        const int64_t modelRow = catalog.upsertModel(record);
        std::mt19937 rng(seed);
        std::normal_distribution<float> normal;
        std::uniform_int_distribution<int> days(0, 12 * 365);
        std::uniform_int_distribution<int> secondsOfDay(0, 86399);
        std::vector<float> vector(Dim);
        constexpr int Batch = 5000;
        for (int first = 0; first < n; first += Batch) {
            detail::Catalog::Transaction transaction(catalog);
            for (int i = first; i < std::min(n, first + Batch); ++i) {
                Photo photo;
                photo.path = photoPath(photos, i);
                std::ifstream file(photo.path, std::ios::binary);
                const std::string bytes((std::istreambuf_iterator<char>(file)),
                                        std::istreambuf_iterator<char>());
                struct stat st {};
                if (::stat(photo.path.c_str(), &st) != 0)
                    throw std::runtime_error("cannot stat " + photo.path);
                photo.sizeBytes = int64_t(st.st_size);
                photo.modifiedNs = int64_t(st.st_mtim.tv_sec) * 1000000000 + int64_t(st.st_mtim.tv_nsec);
                photo.contentHash = detail::contentHash(bytes.data(), bytes.size());
                photo.width = 160;
                photo.height = 120;
                const time_t taken =
                    time_t(1325376000) + time_t(days(rng)) * 86400 + secondsOfDay(rng); // from 2012
                char date[32];
                tm utc{};
                gmtime_r(&taken, &utc);
                std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
                photo.takenAt = date;
                photo.status = PhotoStatus::Ok;
                const int64_t id = catalog.insertPhoto(photo, folderId);
                double norm = 0;
                for (float &x : vector) {
                    x = normal(rng);
                    norm += double(x) * x;
                }
                const float scale = float(1 / std::sqrt(norm));
                for (float &x : vector)
                    x *= scale;
                catalog.putEmbedding(modelRow, id, vector.data(), Dim);
            }
            if (first + Batch >= n)
                catalog.bumpModelVersion(modelRow);
            transaction.commit();
        }
        out[QStringLiteral("catalog_written")] = true;
    } else {
        out[QStringLiteral("catalog_written")] = false;
    }
    out[QStringLiteral("catalog_seconds")] = msSince(catalogStart) / 1000;
    out[QStringLiteral("library")] = QString::fromStdString(libraryFolder);
    out[QStringLiteral("catalog_bytes")] = qint64(std::filesystem::file_size(libraryFolder + "/catalog.db"));
    printJson(out);
    return 0;
}

// --- the instrumented application ---

class BenchApplication : public QApplication {
public:
    BenchApplication(int &argc, char **argv)
        : QApplication(argc, argv)
    {}

    // Called at the end of every top-level event dispatch (after its time is taken), with whether a widget
    // of the watched window was painted during it.
    std::function<void(bool painted)> afterTopLevel;
    QWidget *watched = nullptr;
    std::function<void()> waitCondition; // see waitUntil()

    bool notify(QObject *receiver, QEvent *event) override
    {
        const bool topLevel = m_depth == 0;
        if (!topLevel && event->type() == QEvent::Paint && watched) {
            if (auto *widget = qobject_cast<QWidget *>(receiver); widget && widget->window() == watched)
                m_painted = true;
        }
        if (!topLevel) {
            ++m_depth;
            const bool result = QApplication::notify(receiver, event);
            --m_depth;
            return result;
        }
        const Clock::time_point t0 = Clock::now();
        const QEvent::Type type = event->type();
        const char *className = receiver->metaObject()->className();
        m_painted = false;
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = msSince(t0);
        m_iterationBusyMs += ms;
        if (m_recording) {
            m_eventMs.push_back(ms);
            if (m_painted)
                m_paintMs.push_back(ms);
            Cost &cost = m_costs[std::string(className) + " / " + eventName(type)];
            cost.totalMs += ms;
            cost.maxMs = std::max(cost.maxMs, ms);
            ++cost.count;
        }
        if (afterTopLevel)
            afterTopLevel(m_painted);
        if (waitCondition)
            waitCondition();
        return result;
    }

    // The dispatcher is about to wait: the iteration's busy time is complete.
    void endIteration()
    {
        if (m_recording && m_iterationBusyMs > 0)
            m_iterationMs.push_back(m_iterationBusyMs);
        m_maxIterationMs = std::max(m_maxIterationMs, m_iterationBusyMs);
        m_iterationBusyMs = 0;
    }

    void startRecording()
    {
        m_eventMs.clear();
        m_paintMs.clear();
        m_iterationMs.clear();
        m_costs.clear();
        m_recording = true;
    }

    QJsonObject stopRecording()
    {
        m_recording = false;
        QJsonObject out;
        out[QStringLiteral("iterations")] = summarise(m_iterationMs);
        out[QStringLiteral("frames_with_paint")] = summarise(m_paintMs);
        out[QStringLiteral("events")] = summarise(m_eventMs);
        // Where the time went: the receivers and event types that cost most in total.
        std::vector<std::pair<std::string, Cost>> costs(m_costs.begin(), m_costs.end());
        std::sort(costs.begin(), costs.end(),
                  [](const auto &a, const auto &b) { return a.second.totalMs > b.second.totalMs; });
        QJsonArray top;
        for (size_t i = 0; i < std::min<size_t>(6, costs.size()); ++i) {
            QJsonObject c;
            c[QStringLiteral("what")] = QString::fromStdString(costs[i].first);
            c[QStringLiteral("count")] = costs[i].second.count;
            c[QStringLiteral("total_ms")] = std::round(costs[i].second.totalMs * 10) / 10;
            c[QStringLiteral("max_ms")] = std::round(costs[i].second.maxMs * 100) / 100;
            top.append(c);
        }
        out[QStringLiteral("costliest_events")] = top;
        return out;
    }

private:
    struct Cost {
        double totalMs = 0;
        double maxMs = 0;
        qint64 count = 0;
    };
    static std::string eventName(QEvent::Type type)
    {
        switch (type) {
        case QEvent::MetaCall:
            return "MetaCall (queued call)";
        case QEvent::Timer:
            return "Timer";
        case QEvent::UpdateRequest:
            return "UpdateRequest (paint)";
        case QEvent::UpdateLater:
            return "UpdateLater";
        case QEvent::LayoutRequest:
            return "LayoutRequest";
        case QEvent::Expose:
            return "Expose";
        default:
            return "type " + std::to_string(int(type));
        }
    }

    int m_depth = 0;
    bool m_painted = false;
    bool m_recording = false;
    double m_iterationBusyMs = 0;
    double m_maxIterationMs = 0;
    std::vector<double> m_eventMs;
    std::vector<double> m_paintMs;
    std::vector<double> m_iterationMs;
    std::map<std::string, Cost> m_costs;
};

// The grid rows whose cells intersect the viewport.
std::vector<int> visibleRows(PhotoGridView *view)
{
    std::vector<int> rows;
    const QAbstractItemModel *model = view->model();
    const int count = model->rowCount();
    const QSize grid = view->gridSize();
    const QRect area = view->viewport()->rect();
    if (count == 0 || !grid.isValid() || grid.width() <= 0 || grid.height() <= 0)
        return rows;
    const int columns = std::max(1, area.width() / grid.width());
    const int offset = view->verticalScrollBar()->value();
    const int firstLine = std::max(0, offset / grid.height() - 1);
    const int lastLine = (offset + area.height()) / grid.height() + 1;
    for (int row = firstLine * columns; row < std::min(count, (lastLine + 1) * columns); ++row)
        if (view->visualRect(model->index(row, 0)).intersects(area))
            rows.push_back(row);
    return rows;
}

// How many of the visible cells have their thumbnail in memory (asking for it, as painting does).
std::pair<int, int> thumbnailCoverage(PhotoGridView *view)
{
    const std::vector<int> rows = visibleRows(view);
    int ready = 0;
    for (int row : rows)
        if (!view->model()->index(row, 0).data(Qt::DecorationRole).isNull())
            ++ready;
    return {ready, int(rows.size())};
}

// Runs the event loop (blocking when idle, as the program's does) until `done` is true, checked after every
// top-level event, or `timeoutMs` passed; returns whether it is done.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    auto *app = static_cast<BenchApplication *>(QCoreApplication::instance());
    QEventLoop loop;
    bool ok = false;
    app->waitCondition = [&] {
        if (!ok && done()) {
            ok = true;
            loop.quit();
        }
    };
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    app->waitCondition = nullptr;
    return ok;
}

// --- run: start-up and scrolling ---

int runUi(BenchApplication &app, const Args &args, double processToMainMs)
{
    const std::string dir = std::filesystem::absolute(args.get("--dir", "")).lexically_normal().string();
    const int n = args.getInt("--n", 100000);
    const std::string cacheMode = args.get("--cache", "cold");
    const QSize windowSize = parseSize(args.get("--size", "1280x800"));
    const int scrollPhotos = args.getInt("--scroll-photos", 3000);
    const double scrollSeconds = args.getDouble("--scroll-seconds", 12);
    const int passes = args.getInt("--passes", 2);
    const int timeoutMs = args.getInt("--timeout", 60) * 1000;

    QJsonObject out;
    out[QStringLiteral("mode")] = QStringLiteral("run");
    out[QStringLiteral("platform")] = QGuiApplication::platformName();
    out[QStringLiteral("photos")] = n;
    out[QStringLiteral("cache")] = QString::fromStdString(cacheMode);
    out[QStringLiteral("cores")] = int(std::thread::hardware_concurrency());

    QJsonObject startup;
    // Exec to main: from LODESTONE_BENCH_EXEC_NS (CLOCK_REALTIME in ns, e.g. `date +%s%N` in the shell right
    // before exec) when given, else from the process's start time in /proc (10 ms ticks, fork rather than
    // exec).
    double execToMainMs = std::round(processToMainMs);
    QString execToMainFrom = QStringLiteral("/proc/self/stat starttime");
    if (const QByteArray execNs = qgetenv("LODESTONE_BENCH_EXEC_NS"); !execNs.isEmpty()) {
        execToMainMs = std::round((double(g_mainStartRealNs) - execNs.toDouble()) / 1e4) / 100;
        execToMainFrom = QStringLiteral("LODESTONE_BENCH_EXEC_NS");
    }
    startup[QStringLiteral("exec_to_main_ms")] = execToMainMs;
    startup[QStringLiteral("exec_to_main_from")] = execToMainFrom;
    startup[QStringLiteral("qapplication_ms")] = msSince(g_mainStart);

    // Settings of this run only (window geometry, zoom, sort): the defaults, as on a first start.
    QTemporaryDir settingsDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QApplication::setOrganizationName(QStringLiteral("Lodestone"));
    QApplication::setApplicationName(QStringLiteral("Lodestone"));

    std::optional<QTemporaryDir> coldCache;
    QString cacheFolder = QString::fromStdString(dir) + QStringLiteral("/thumbnails");
    if (cacheMode == "cold") {
        coldCache.emplace(QString::fromStdString(dir) + QStringLiteral("/thumbnails-cold-XXXXXX"));
        cacheFolder = coldCache->path();
    }

    const Preferences preferences = Preferences::load(QSettings());
    installTranslators(*QCoreApplication::instance(), preferences.language); // as main.cpp does
    LibraryController controller(QString::fromStdString(dir) + QStringLiteral("/library"));
    controller.setDevice(preferences.device);
    controller.setBatchSize(preferences.batchSize);
    startup[QStringLiteral("controller_ms")] = msSince(g_mainStart);
    MainWindow window(&controller, preferences, cacheFolder);
    window.resize(windowSize);
    startup[QStringLiteral("window_constructed_ms")] = msSince(g_mainStart);
    app.watched = &window;
    PhotoGridView *view = window.gridView();
    PhotoGridModel *model = window.gridModel();

    std::optional<double> firstPaint, allRows, thumbsPainted;
    std::optional<std::pair<int, int>> coverageAtRows;
    app.afterTopLevel = [&](bool painted) {
        if (painted && !firstPaint)
            firstPaint = msSince(g_mainStart);
        if (!allRows && model->rowCount() == n) {
            allRows = msSince(g_mainStart);
            coverageAtRows = thumbnailCoverage(view);
        }
        if (painted && allRows && !thumbsPainted) {
            const auto [ready, visible] = thumbnailCoverage(view);
            if (visible > 0 && ready == visible)
                thumbsPainted = msSince(g_mainStart);
        }
    };
    QObject::connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock, &app,
                     [&app] { app.endIteration(); });

    window.show();
    controller.loadDefaultModel(); // as main does; the synthetic library's model has no file: nothing loads
    startup[QStringLiteral("show_called_ms")] = msSince(g_mainStart);
    app.startRecording();
    const bool startedUp = waitUntil([&] { return firstPaint && thumbsPainted; }, timeoutMs);
    QJsonObject startupLoop = app.stopRecording();
    startup[QStringLiteral("first_paint_ms")] = firstPaint ? QJsonValue(*firstPaint) : QJsonValue();
    if (firstPaint)
        startup[QStringLiteral("exec_to_first_paint_ms")] = std::round(execToMainMs + *firstPaint);
    if (thumbsPainted)
        startup[QStringLiteral("exec_to_first_thumbnails_painted_ms")] =
            std::round(execToMainMs + *thumbsPainted);
    startup[QStringLiteral("all_rows_ms")] = allRows ? QJsonValue(*allRows) : QJsonValue();
    startup[QStringLiteral("first_thumbnails_painted_ms")] =
        thumbsPainted ? QJsonValue(*thumbsPainted) : QJsonValue();
    if (coverageAtRows)
        startup[QStringLiteral("thumbnails_ready_when_rows_arrived")] =
            QStringLiteral("%1 of %2").arg(coverageAtRows->first).arg(coverageAtRows->second);
    startup[QStringLiteral("completed")] = startedUp;
    startup[QStringLiteral("ui_thread_until_then")] = startupLoop;
    startup[QStringLiteral("rows")] = model->rowCount();
    out[QStringLiteral("startup")] = startup;
    app.afterTopLevel = nullptr;

    // What later updates of the whole grid cost the UI thread, called directly as the window's slots call
    // them: a catalog refresh with nothing changed (every second while indexing runs), a search result and a
    // classification for every photo, and clearing the search.
    if (const auto snapshot = controller.snapshot(); snapshot && startedUp) {
        QJsonObject updates;
        const auto timed = [&](const char *name, const std::function<void()> &call) {
            const Clock::time_point t0 = Clock::now();
            call();
            updates[QLatin1String(name)] = std::round(msSince(t0) * 10) / 10;
            waitUntil([] { return false; }, 300); // the views catch up, unmeasured
        };
        // A fresh snapshot with the same content, as the controller reads one each second while indexing.
        const auto unchanged = std::make_shared<const CatalogSnapshot>(*snapshot);
        timed("refresh_unchanged_ms", [&] { model->setSnapshot(unchanged); });
        auto results = std::make_shared<SearchResults>();
        results->expression = QStringLiteral("\"synthetic\"");
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> score(-0.2f, 0.4f);
        for (const Photo &p : snapshot->photos)
            results->scores.push_back({p.id, score(rng)});
        timed("search_results_ms", [&] { model->setScores(*results); });
        timed("clear_search_ms", [&] { model->clearScores(); });
        auto classification = std::make_shared<Classification>();
        classification->labels = {"a", "b", "c", "d", "e"};
        std::uniform_int_distribution<int> label(-1, 4);
        for (const Photo &p : snapshot->photos)
            classification->photos.push_back({p.id, label(rng), 0.5f, {0.1f, 0.1f, 0.5f, 0.2f, 0.1f}});
        timed("classification_ms", [&] { model->setClassification(classification); });
        timed("label_filter_ms", [&] { model->setLabelFilter(2); });
        timed("clear_filter_ms", [&] { model->setLabelFilter(std::nullopt); });
        timed("no_classification_ms", [&] { model->setClassification(nullptr); });
        view->scrollToTop();
        out[QStringLiteral("model_updates")] = updates;
    }

    // Scrolling: a scroll-bar step every 16 ms, the same rows on every pass.
    QScrollBar *bar = view->verticalScrollBar();
    const QSize grid = view->gridSize();
    const int columns = std::max(1, view->viewport()->width() / std::max(1, grid.width()));
    const int distance =
        std::min(bar->maximum(), int(std::ceil(double(scrollPhotos) / columns)) * grid.height());
    const int ticks = std::max(1, int(scrollSeconds * 1000 / 16));
    QJsonObject scroll;
    scroll[QStringLiteral("viewport")] =
        QStringLiteral("%1x%2").arg(view->viewport()->width()).arg(view->viewport()->height());
    scroll[QStringLiteral("cell")] = QStringLiteral("%1x%2").arg(grid.width()).arg(grid.height());
    scroll[QStringLiteral("columns")] = columns;
    scroll[QStringLiteral("pixels")] = distance;
    scroll[QStringLiteral("photos_passed")] = distance / std::max(1, grid.height()) * columns;
    scroll[QStringLiteral("planned_seconds")] = scrollSeconds;
    scroll[QStringLiteral("thumbnail_threads")] = std::max(1, QThread::idealThreadCount() - 1);
    QJsonArray passResults;
    for (int pass = 0; pass < passes; ++pass) {
        bar->setValue(0);
        waitUntil([] { return false; }, 500); // settle: the top's thumbnails come in, nothing measured
        std::vector<double> tickGapsMs;
        std::vector<double> coverage;
        int tick = 0;
        Clock::time_point lastTick = Clock::now();
        const Clock::time_point passStart = Clock::now();
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(16);
        bool finished = false;
        // After the step's event has been timed: how many visible cells have their thumbnail.
        bool checkCoverage = false;
        app.afterTopLevel = [&](bool) {
            if (!checkCoverage)
                return;
            checkCoverage = false;
            const auto [ready, visible] = thumbnailCoverage(view);
            if (visible > 0)
                coverage.push_back(double(ready) / visible);
        };
        QObject::connect(&timer, &QTimer::timeout, &app, [&] {
            const Clock::time_point now = Clock::now();
            tickGapsMs.push_back(msSince(lastTick, now));
            lastTick = now;
            ++tick;
            bar->setValue(int(std::lround(double(distance) * tick / ticks)));
            checkCoverage = true;
            if (tick >= ticks) {
                timer.stop();
                finished = true;
            }
        });
        app.startRecording();
        timer.start();
        waitUntil([&] { return finished; }, int(scrollSeconds * 1000) * 4 + 10000);
        QJsonObject result = app.stopRecording();
        app.afterTopLevel = nullptr;
        result[QStringLiteral("pass")] = pass + 1;
        result[QStringLiteral("thumbnail_cache")] =
            pass == 0 ? QString::fromStdString(cacheMode) : QStringLiteral("warm (memory)");
        result[QStringLiteral("seconds")] = msSince(passStart) / 1000;
        result[QStringLiteral("tick_intervals")] = summarise(tickGapsMs);
        double meanCoverage = 0;
        for (double c : coverage)
            meanCoverage += c;
        result[QStringLiteral("mean_visible_thumbnails_ready")] =
            coverage.empty() ? 0.0 : std::round(meanCoverage / double(coverage.size()) * 1000) / 1000;
        result[QStringLiteral("thumbnails_pending_at_end")] = window.thumbnails()->pendingCount();
        passResults.append(result);
    }
    scroll[QStringLiteral("passes")] = passResults;
    out[QStringLiteral("scroll")] = scroll;
    printJson(out);
    app.watched = nullptr;
    return startedUp ? 0 : 1;
}

// --- screenshots ---

bool saveGrab(MainWindow &window, const QString &path)
{
    const QPixmap pixmap = window.grab();
    const bool ok = pixmap.save(path, "PNG");
    std::fprintf(stderr, "bench_ui: %s %s (%dx%d)\n", ok ? "wrote" : "could not write", qPrintable(path),
                 pixmap.width(), pixmap.height());
    return ok;
}

// Waits until the visible thumbnails are in and a frame has been painted with them.
void settleThumbnails(MainWindow &window)
{
    waitUntil(
        [&] {
            const auto [ready, visible] = thumbnailCoverage(window.gridView());
            return visible > 0 && ready == visible && window.thumbnails()->pendingCount() == 0;
        },
        30000);
    waitUntil([] { return false; }, 400);
}

int runScreenshots(BenchApplication &, const Args &args)
{
    const QString library = QDir(QString::fromStdString(args.get("--library", ""))).absolutePath();
    const QString outDir = QDir(QString::fromStdString(args.get("--out", "docs"))).absolutePath();
    const QString modelPath = QString::fromStdString(args.get("--model", ""));
    const QSize windowSize = parseSize(args.get("--size", "1280x800"));
    const QString query = QString::fromStdString(args.get("--search", "a red circle"));
    const QStringList labels =
        QString::fromStdString(args.get("--labels", "a red shape;a green shape;a blue shape;a yellow shape;"
                                                    "a purple shape;an orange shape"))
            .split(QLatin1Char(';'), Qt::SkipEmptyParts);
    const QString probe = QString::fromStdString(args.get("--probe", "red circle - red + blue"));
    // The shapes world the demo library was drawn from (its training photos feed the training picture).
    const QString world =
        QDir::cleanPath(QDir(QString::fromStdString(
                                 args.get("--world", (library + QStringLiteral("/../world")).toStdString())))
                            .absolutePath());
    QDir().mkpath(outDir);

    QTemporaryDir scratch; // settings and thumbnail cache of this run only
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.path());
    QApplication::setOrganizationName(QStringLiteral("Lodestone"));
    QApplication::setApplicationName(QStringLiteral("Lodestone"));

    // A copy of the library, so that the classification made here does not replace its own, and without a
    // stored classification, so that the first picture shows the plain grid.
    const std::string copy = scratch.path().toStdString() + "/library";
    std::filesystem::copy(library.toStdString(), copy, std::filesystem::copy_options::recursive);
    {
        detail::Catalog catalog(copy + "/catalog.db");
        catalog.exec("DELETE FROM classifications");
    }

    const Preferences preferences = Preferences::load(QSettings());
    installTranslators(*QCoreApplication::instance(), QStringLiteral("en")); // English, with its plural forms
    LibraryController controller(QString::fromStdString(copy));
    controller.setDevice(QStringLiteral("cpu"));
    MainWindow window(&controller, preferences, scratch.path() + QStringLiteral("/thumbnails"));
    window.resize(windowSize);
    window.show();
    // Show each tab once so that their layouts are in force: the window cannot be narrower than the widest
    // tab needs, and every picture should have the same size. When that is more than --size, say so.
    for (int i = window.tabs()->count() - 1; i >= 0; --i) {
        window.tabs()->setCurrentIndex(i);
        waitUntil([] { return false; }, 50);
    }
    window.resize(windowSize);
    waitUntil([] { return false; }, 50);
    if (window.size() != windowSize)
        std::fprintf(stderr, "bench_ui: the window is %dx%d, not %dx%d: its minimum size is %dx%d\n",
                     window.width(), window.height(), windowSize.width(), windowSize.height(),
                     window.minimumSizeHint().width(), window.minimumSizeHint().height());
    bool modelReady = false;
    QString failure;
    QObject::connect(&controller, &LibraryController::modelLoaded, &window, [&] { modelReady = true; });
    QObject::connect(&controller, &LibraryController::modelFailed, &window,
                     [&](const QString &message) { failure = message; });
    if (!modelPath.isEmpty())
        controller.loadModel(QDir(modelPath).absolutePath());
    else if (!controller.loadDefaultModel())
        throw std::runtime_error("the library has no model: give --model");
    if (!waitUntil([&] { return modelReady || !failure.isEmpty(); }, 120000) || !modelReady)
        throw std::runtime_error("the model did not load: " + failure.toStdString());
    // Let the start-up index run (nothing new to embed) and the snapshot settle.
    waitUntil([&] { return !controller.isIndexing() && window.gridModel()->rowCount() > 0; }, 120000);
    // Thumbnails as large as still fill the grid's width with --columns columns (the zoom slider's job):
    // the largest zoom that puts photo columns-1 on the first line.
    const int columns = args.getInt("--columns", 4);
    if (auto *zoom = window.findChild<QSlider *>(QStringLiteral("zoom"));
        zoom && window.gridModel()->rowCount() >= columns) {
        PhotoGridView *view = window.gridView();
        const auto fits = [&] {
            const QModelIndex first = window.gridModel()->index(0, 0);
            const QModelIndex last = window.gridModel()->index(columns - 1, 0);
            return view->visualRect(first).top() == view->visualRect(last).top();
        };
        for (int value = zoom->maximum(); value >= zoom->minimum(); value -= 2) {
            zoom->setValue(value);
            view->doItemsLayout();
            if (fits())
                break;
        }
    }
    window.gridView()->scrollToTop();
    settleThumbnails(window);
    int status = 0;
    status |= saveGrab(window, outDir + QStringLiteral("/screenshot-grid.png")) ? 0 : 1;

    bool searched = false;
    QObject::connect(&controller, &LibraryController::searchFinished, &window, [&] { searched = true; });
    window.searchField()->setQuery(query);
    if (!waitUntil([&] { return searched; }, 60000))
        throw std::runtime_error("the search did not finish: " + window.searchError().toStdString());
    settleThumbnails(window);
    status |= saveGrab(window, outDir + QStringLiteral("/screenshot-search.png")) ? 0 : 1;

    window.searchField()->setQuery(QString());
    bool classified = false;
    QString classifyError;
    QObject::connect(&controller, &LibraryController::classificationFinished, &window,
                     [&] { classified = true; });
    QObject::connect(&controller, &LibraryController::classifyFailed, &window,
                     [&](const QString &message) { classifyError = message; });
    window.classifyPanel()->setLabels(labels);
    window.classifyPanel()->run();
    if (!waitUntil([&] { return classified || !classifyError.isEmpty(); }, 120000) || !classified)
        throw std::runtime_error("the classification did not finish: " + classifyError.toStdString());
    window.gridView()->scrollToTop();
    settleThumbnails(window);
    status |= saveGrab(window, outDir + QStringLiteral("/screenshot-classify.png")) ? 0 : 1;

    // The map: UMAP of the library's photos, automatic clusters with their names, and a probe with its
    // arrow and nearest photos. The pointer is parked off the window so that no point shows its hover popup.
    if (QScreen *screen = window.screen())
        QCursor::setPos(screen, screen->geometry().bottomRight());
    MapView *map = window.mapView();
    window.tabs()->setCurrentWidget(map);
    bool mapped = false, probed = false;
    QString mapError;
    QObject::connect(map, &MapView::computeFinished, &window, [&] { mapped = true; });
    QObject::connect(map, &MapView::probeAdded, &window, [&] { probed = true; });
    QObject::connect(map, &MapView::errorOccurred, &window,
                     [&](const QString &message) { mapError = message; });
    map->setMethod(parseMapMethod(args.get("--map-method", "umap")));
    map->setClusterCount(args.getInt("--map-clusters", 0));
    map->setColourBy(MapView::ColourBy::Cluster);
    map->compute();
    if (!waitUntil([&] { return mapped || !mapError.isEmpty(); }, 300000) || !mapped)
        throw std::runtime_error("the map was not computed: " + mapError.toStdString());
    map->addProbe(probe);
    if (!waitUntil([&] { return probed || !mapError.isEmpty(); }, 60000) || !probed)
        throw std::runtime_error("the probe was not placed: " + mapError.toStdString());
    // The probe's nearest photos are listed with thumbnails: let them arrive and be painted.
    waitUntil([&] { return window.thumbnails()->pendingCount() == 0; }, 30000);
    waitUntil([] { return false; }, 800);
    status |= saveGrab(window, outDir + QStringLiteral("/screenshot-map.png")) ? 0 : 1;

    // Training, mid-run: a small model on the demo's shapes world, grabbed once its loss curve has some
    // length, then stopped.
    TrainView *train = window.trainView();
    window.tabs()->setCurrentWidget(train);
    bool trainFailed = false, trainEnded = false;
    QString trainError;
    qint64 lastStep = 0;
    QObject::connect(train, &TrainView::errorOccurred, &window, [&](const QString &message) {
        trainFailed = true;
        trainError = message;
    });
    QObject::connect(train, &TrainView::progressed, &window,
                     [&](qint64 step, qint64, double) { lastStep = step; });
    QObject::connect(train, &TrainView::trainingFinished, &window, [&] { trainEnded = true; });
    train->setDataKind(TrainView::DataKind::ShapesWorld);
    train->setDataPath(world);
    {
        // The count the world was drawn with (shown in the form; the world is not redrawn).
        QFile file(world + QStringLiteral("/world.json"));
        if (file.open(QIODevice::ReadOnly))
            if (const int photos = QJsonDocument::fromJson(file.readAll())[QLatin1String("train")].toInt();
                photos > 0)
                train->setShapesPhotoCount(photos);
    }
    // Small batches and a short warm-up, so that a minute on a shared CPU charts a curve that falls.
    if (auto *batch = train->findChild<QSpinBox *>(QStringLiteral("batchSpin")))
        batch->setValue(args.getInt("--train-batch", 64));
    if (auto *warmup = train->findChild<QSpinBox *>(QStringLiteral("warmupSpin")))
        warmup->setValue(args.getInt("--train-warmup", 10));
    train->setArchitecture(QString::fromStdString(args.get("--train-arch", "tiny")));
    train->setTimeLimitMinutes(args.getDouble("--train-minutes", 3));
    train->setOutputFolder(scratch.path() + QStringLiteral("/train-run"));
    // Grab at --train-steps steps, or --train-seconds after the first step, whichever comes first.
    const qint64 stepsWanted = args.getInt("--train-steps", 60);
    const int trainSeconds = args.getInt("--train-seconds", 60);
    QElapsedTimer trainClock;
    trainClock.start();
    train->start();
    // Reading the world and building the model come first.
    waitUntil([&] { return trainFailed || trainEnded || lastStep > 0; }, 300000);
    waitUntil([&] { return trainFailed || trainEnded || lastStep >= stepsWanted; }, trainSeconds * 1000);
    if (trainFailed)
        throw std::runtime_error("the training run failed: " + trainError.toStdString());
    if (train->curveModel()->rowCount() < 2)
        throw std::runtime_error("the training run charted no curve");
    waitUntil([] { return false; }, 600); // the chart's latest reports painted
    std::fprintf(stderr, "bench_ui: training at step %lld after %.0f s\n", (long long)lastStep,
                 trainClock.elapsed() / 1000.0);
    status |= saveGrab(window, outDir + QStringLiteral("/screenshot-train.png")) ? 0 : 1;
    train->stop();
    if (!waitUntil([&] { return !train->isRunning() && train->state() == TrainView::State::Idle; }, 120000))
        throw std::runtime_error("the training run did not stop");
    window.tabs()->setCurrentIndex(0);
    return status;
}

Args parseArgs(int argc, char **argv, int first)
{
    Args args;
    for (int i = first; i < argc; ++i) {
        const std::string key = argv[i];
        if (key.rfind("--", 0) != 0 || i + 1 >= argc)
            throw std::runtime_error("expected --option value, got '" + key + "'");
        args.values[key] = argv[++i];
    }
    return args;
}

} // namespace

int main(int argc, char **argv)
{
    g_mainStart = Clock::now();
    timespec realNow{};
    clock_gettime(CLOCK_REALTIME, &realNow);
    g_mainStartRealNs = int64_t(realNow.tv_sec) * 1000000000 + realNow.tv_nsec;
    const double processToMainMs = processAgeMs();
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: bench_ui setup|run|screenshots [--option value]... (see bench_ui.cpp)\n");
        return 2;
    }
    const std::string mode = argv[1];
    try {
        const Args args = parseArgs(argc, argv, 2);
        if (mode == "setup") {
            QCoreApplication app(argc, argv); // image plugins; no window
            return runSetup(args);
        }
        BenchApplication app(argc, argv);
        if (mode == "run")
            return runUi(app, args, processToMainMs);
        if (mode == "screenshots")
            return runScreenshots(app, args);
        std::fprintf(stderr, "bench_ui: unknown mode '%s'\n", mode.c_str());
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_ui: %s\n", e.what());
        return 1;
    }
}
