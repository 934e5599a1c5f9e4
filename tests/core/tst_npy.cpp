#include "lodestone/error.h"
#include "lodestone/floatarray.h"
#include "lodestone/npy.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace lodestone;

class TestNpy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("vector") << QList<qint64>{5};
        QTest::newRow("matrix") << QList<qint64>{3, 4};
        QTest::newRow("pixels") << QList<qint64>{2, 3, 8, 8};
        QTest::newRow("empty rows") << QList<qint64>{0, 64};
    }

    void roundTrip()
    {
        QFETCH(QList<qint64>, shape);
        QTemporaryDir dir;
        std::vector<int64_t> dims(shape.begin(), shape.end());
        FloatArray a(dims);
        for (size_t i = 0; i < a.data.size(); ++i)
            a.data[i] = float(i) * 0.25f - 3.0f;
        const std::string path = dir.filePath("a.npy").toStdString();
        writeNpy(path, a);
        const FloatArray b = readNpy(path);
        QCOMPARE(b.shape, a.shape);
        QCOMPARE(b.data, a.data);
        // The header length keeps the data 64-byte aligned, as NumPy writes it.
        std::ifstream in(path, std::ios::binary);
        char head[10];
        in.read(head, 10);
        const int headerLength = uint8_t(head[8]) | (uint8_t(head[9]) << 8);
        QCOMPARE((10 + headerLength) % 64, 0);
    }

    void normalizeRowsGivesUnitNorm()
    {
        FloatArray a({2, 2}, {3, 4, 0, 0});
        normalizeRows(a);
        QCOMPARE(a.data, (std::vector<float>{0.6f, 0.8f, 0, 0}));
    }

    void refusesMalformedFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not npy") << QByteArray("hello world") << "not a NumPy";
        QTest::newRow("int dtype") << npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", 4)
                                   << "unsupported dtype";
        QTest::newRow("fortran") << npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", 4)
                                 << "Fortran";
        QTest::newRow("truncated data")
            << npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 8) << "truncated";
    }

    void refusesMalformedFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.npy");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        try {
            readNpy(path.toStdString());
            QFAIL("expected an Error");
        } catch (const Error &e) {
            const QString message = e.what();
            QVERIFY2(message.contains(path) && message.contains(reason), qPrintable(message));
        }
    }

private:
    static QByteArray npy(const QByteArray &header, int dataBytes)
    {
        QByteArray out("\x93NUMPY\x01\x00", 8);
        out.append(char(header.size() & 0xff)).append(char(header.size() >> 8)).append(header);
        out.append(QByteArray(dataBytes, '\0'));
        return out;
    }
};

QTEST_APPLESS_MAIN(TestNpy)
#include "tst_npy.moc"
