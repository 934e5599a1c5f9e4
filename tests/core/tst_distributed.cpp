// Data-parallel training (issue 4) on loopback with Gloo: the test re-executes itself as the ranks
// (--rank-child), so every rank is a real process with its own process group.
#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/shapesworld.h"
#include "lodestone/trainer.h"
#include "model/clipmodel_p.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>

using namespace lodestone;

namespace {

TrainConfig smallRun(const std::string &world, const std::string &out, int64_t steps)
{
    TrainConfig c;
    c.dataSpecs = {"shapes:" + world};
    c.outDir = out;
    c.arch = "tiny";
    c.bpeVocabSize = 600;
    c.device = "cpu";
    c.steps = steps;
    c.batchSize = 16; // global: 8 per rank with two ranks
    c.warmupSteps = 2;
    c.learningRate = 1e-3;
    c.seed = 5;
    c.workers = 1;
    c.augment.enabled = false;
    c.logEverySteps = 1;
    c.checkpointEverySteps = 1000;
    return c;
}

// A port that was free a moment ago (the rank-0 store binds it right after).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(fd);
        return 0;
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

// --rank-child WORLD OUT RANK WORLD_SIZE PORT STEPS TIMEOUT_S: trains as one rank, prints "step N" per step.
int rankChild(int argc, char **argv)
{
    if (argc != 9) {
        std::cerr << "usage: tst_distributed --rank-child WORLD OUT RANK WORLD_SIZE PORT STEPS TIMEOUT_S\n";
        return 2;
    }
    TrainConfig config = smallRun(argv[2], argv[3], std::atoll(argv[7]));
    config.distributed.rank = std::atoi(argv[4]);
    config.distributed.worldSize = std::atoi(argv[5]);
    config.distributed.masterAddr = "127.0.0.1";
    config.distributed.masterPort = std::atoi(argv[6]);
    config.distributed.timeoutSeconds = std::atof(argv[8]);
    try {
        Trainer trainer(config);
        const TrainResult result =
            trainer.run([](const TrainProgress &p) { std::cout << "step " << p.step << std::endl; });
        std::cout << "done " << result.steps << std::endl;
        return 0;
    } catch (const std::exception &e) {
        std::cerr << "rank child: " << e.what() << std::endl;
        return 1;
    }
}

std::unique_ptr<QProcess> startRank(const std::string &world, const std::string &out, int rank, int port,
                                    int64_t steps, double timeoutSeconds)
{
    auto child = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OMP_NUM_THREADS", "1"); // two ranks share the machine
    child->setProcessEnvironment(env);
    child->start(QCoreApplication::applicationFilePath(),
                 {"--rank-child", QString::fromStdString(world), QString::fromStdString(out),
                  QString::number(rank), "2", QString::number(port), QString::number(steps),
                  QString::number(timeoutSeconds)});
    child->waitForStarted(); // QProcess's destructor kills a rank still running when a check fails
    return child;
}

std::map<std::string, torch::Tensor> weightsOf(const ClipModel &model)
{
    std::map<std::string, torch::Tensor> weights;
    for (const auto &item : model.impl().module->named_parameters())
        weights[item.key()] = item.value().detach().clone();
    return weights;
}

double maxDifference(const std::map<std::string, torch::Tensor> &a,
                     const std::map<std::string, torch::Tensor> &b)
{
    double worst = 0;
    for (const auto &[name, tensor] : a)
        worst = std::max(worst, (tensor - b.at(name)).abs().max().item<double>());
    return worst;
}

std::map<int64_t, double> lossesOf(const std::string &runDir)
{
    std::map<int64_t, double> losses;
    std::ifstream in(runDir + "/metrics.jsonl");
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        losses[j.at("step").get<int64_t>()] = j.at("loss").get<double>();
    }
    return losses;
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_world;

private Q_SLOTS:
    void initTestCase()
    {
        m_world = m_dir.filePath("world").toStdString();
        ShapesWorldOptions options;
        options.trainCount = 64;
        options.testCount = 8;
        options.imageSize = 32;
        options.seed = 2;
        writeShapesWorld(m_world, options);
    }

    // Two ranks with 8 samples each train exactly as one process on the 16 combined: same loss at every
    // step and the same weights, which differ from the initial ones by far more than the tolerance.
    void twoRanksTrainAsOneProcessOnTheCombinedBatch()
    {
        const int64_t steps = 4;
        const std::string single = m_dir.filePath("single").toStdString();
        const std::string parallel = m_dir.filePath("parallel").toStdString();
        Trainer(smallRun(m_world, single, steps)).run();

        const int port = freePort();
        QVERIFY(port > 0);
        auto rank0 = startRank(m_world, parallel, 0, port, steps, 60);
        auto rank1 = startRank(m_world, parallel, 1, port, steps, 60);
        for (QProcess *child : {rank0.get(), rank1.get()}) {
            QVERIFY(child->waitForFinished(240000));
            QVERIFY2(child->exitStatus() == QProcess::NormalExit && child->exitCode() == 0,
                     child->readAllStandardError().constData());
        }
        // Both ranks exited 0: at the end they compared checksums of their weights and found them identical.

        const ClipModel one = ClipModel::load(single + "/model");
        const ClipModel two = ClipModel::load(parallel + "/model");
        const ClipModel initial(one.config(), "cpu", /*seed=*/5);
        const auto oneWeights = weightsOf(one);
        const double difference = maxDifference(oneWeights, weightsOf(two));
        const double moved = maxDifference(oneWeights, weightsOf(initial));
        qInfo("max |w(1 process) - w(2 ranks)| = %.3g, max |w(trained) - w(initial)| = %.3g", difference,
              moved);
        QVERIFY2(difference < 2e-5, qPrintable(QString::number(difference)));
        QVERIFY2(moved > 100 * 2e-5, qPrintable(QString::number(moved)));

        const auto oneLosses = lossesOf(single), twoLosses = lossesOf(parallel);
        QCOMPARE(int64_t(twoLosses.size()), steps);
        for (const auto &[step, loss] : oneLosses)
            QVERIFY2(std::abs(loss - twoLosses.at(step)) < 1e-4,
                     qPrintable(QString("step %1: %2 vs %3").arg(step).arg(loss).arg(twoLosses.at(step))));
    }

    // A launcher that starts one rank (`torchrun --nproc-per-node 1`, `--nproc 1`) gets a group of one,
    // which trains exactly as the plain process does: the group's collectives change nothing but the cost.
    void aGroupOfOneRankTrainsAsOneProcess()
    {
        const int port = freePort();
        QVERIFY(port > 0);
        qputenv("WORLD_SIZE", "1");
        qputenv("RANK", "0");
        qputenv("MASTER_PORT", QByteArray::number(port));
        const DistributedConfig launched = DistributedConfig::fromEnvironment();
        qunsetenv("WORLD_SIZE");
        qunsetenv("RANK");
        qunsetenv("MASTER_PORT");
        QVERIFY(launched.joinGroup);
        QVERIFY(launched.parallel());
        QVERIFY(!DistributedConfig::fromEnvironment().parallel()); // no launcher: no group

        const int64_t steps = 3;
        const std::string single = m_dir.filePath("one-single").toStdString();
        const std::string group = m_dir.filePath("one-group").toStdString();
        Trainer(smallRun(m_world, single, steps)).run();
        TrainConfig config = smallRun(m_world, group, steps);
        config.distributed = launched;
        Trainer(config).run();

        const double difference = maxDifference(weightsOf(ClipModel::load(single + "/model")),
                                                weightsOf(ClipModel::load(group + "/model")));
        QVERIFY2(difference < 2e-5, qPrintable(QString::number(difference)));
        const auto singleLosses = lossesOf(single), groupLosses = lossesOf(group);
        QCOMPARE(int64_t(groupLosses.size()), steps);
        for (const auto &[step, loss] : singleLosses)
            QVERIFY2(std::abs(loss - groupLosses.at(step)) < 1e-4,
                     qPrintable(QString("step %1: %2 vs %3").arg(step).arg(loss).arg(groupLosses.at(step))));
    }

    // A rank that dies (SIGKILL) or hangs (SIGSTOP) mid-run: the other ends with an error naming the
    // failed collective instead of waiting forever, within the collective timeout.
    void aLostRankEndsTheRunWithAnError_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("killed") << int(SIGKILL);
        QTest::newRow("stopped") << int(SIGSTOP);
    }

    void aLostRankEndsTheRunWithAnError()
    {
        QFETCH(int, signal);
        const double timeoutSeconds = 10;
        const std::string out = m_dir.filePath(QString("lost-%1").arg(signal)).toStdString();
        const int port = freePort();
        QVERIFY(port > 0);
        auto rank0 = startRank(m_world, out, 0, port, 100000, timeoutSeconds);
        auto rank1 = startRank(m_world, out, 1, port, 100000, timeoutSeconds);
        QByteArray seen;
        while (!seen.contains("step 3")) {
            QVERIFY2(rank1->state() == QProcess::Running || rank1->canReadLine(),
                     rank1->readAllStandardError().constData());
            if (!rank1->canReadLine() && !rank1->waitForReadyRead(120000))
                QFAIL(("rank 1 made no progress: " + rank1->readAllStandardError()).constData());
            seen += rank1->readAll();
        }
        ::kill(pid_t(rank1->processId()), signal);
        QElapsedTimer clock;
        clock.start();
        const bool ended = rank0->waitForFinished(int((timeoutSeconds + 50) * 1000));
        const double seconds = clock.elapsed() / 1000.0;
        if (signal == SIGSTOP)
            ::kill(pid_t(rank1->processId()), SIGKILL);
        rank1->waitForFinished(30000);
        if (!ended) {
            rank0->kill();
            rank0->waitForFinished(10000);
            QFAIL("rank 0 still running after its peer was lost");
        }
        const QByteArray error = rank0->readAllStandardError();
        qInfo("rank 0 ended %.1f s after rank 1 was lost: %s", seconds, error.trimmed().constData());
        QCOMPARE(rank0->exitStatus(), QProcess::NormalExit);
        QCOMPARE(rank0->exitCode(), 1);
        QVERIFY2(error.contains("distributed training") && error.contains("rank 0 of 2"), error.constData());
        QVERIFY2(seconds < timeoutSeconds + 30, qPrintable(QString::number(seconds)));
    }
};

int main(int argc, char **argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "--rank-child") == 0)
        return rankChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestDistributed test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_distributed.moc"
