// Error values, Result, and the job abstraction.
#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"
#include "clinsight/foundation/version.h"

#include <QRegularExpression>
#include <QtTest>
#include <atomic>
#include <stdexcept>
#include <thread>

class TestFoundation : public QObject {
    Q_OBJECT
private slots:
    void errorMessage_namesFileFieldReason()
    {
        const cs::Error e = cs::makeError(cs::Error::Code::Format, "/data/a.dcm", "Rows (0028,0010)", "missing or zero");
        QCOMPARE(e.message(), QStringLiteral("/data/a.dcm: Rows (0028,0010): missing or zero"));
        const cs::Error noField = cs::makeError(cs::Error::Code::Io, "/x", {}, "file does not exist");
        QCOMPARE(noField.message(), QStringLiteral("/x: file does not exist"));
    }
    void result_holdsValueOrError()
    {
        cs::Result<int> ok = 5;
        QVERIFY(ok.ok());
        QCOMPARE(ok.value(), 5);
        cs::Result<int> bad = cs::makeError(cs::Error::Code::Invalid, {}, "x", "negative");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().field, QStringLiteral("x"));
    }
    void runJob_exception_becomesFailedResult()
    {
        cs::JobControl c;
        auto r = cs::runJob<int>(c, [](cs::JobControl &) -> cs::Result<int> { throw std::runtime_error("boom"); });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, cs::Error::Code::Internal);
        QCOMPARE(r.error().reason, QStringLiteral("boom"));
    }
    void runJob_progressAndCancel()
    {
        cs::JobControl c;
        QList<qint64> seen;
        qint64 totalSeen = -1;
        c.setProgressCallback([&](qint64 d, qint64 t, const QString &) { seen << d; totalSeen = t; });
        auto r = cs::runJob<int>(c, [](cs::JobControl &ctl) -> cs::Result<int> {
            ctl.setTotal(10);
            for (int i = 0; i < 10; ++i) {
                if (ctl.isCancelled()) return cs::cancelledError("count");
                if (i == 4) ctl.requestCancel();
                ctl.advance();
            }
            return 10;
        });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, cs::Error::Code::Cancelled);
        QCOMPARE(totalSeen, qint64(10));
        QCOMPARE(c.done(), qint64(5));  // stopped at the first poll after the request
    }
    void threadHandoff_runsOnTheTargetsThread_neverAfterItIsGone()
    {
        auto *target = new QObject;
        const cs::ThreadHandoff handoff(target);
        std::atomic<bool> posted{false};
        Qt::HANDLE ranOn = nullptr;
        std::thread worker([&] { posted = handoff.post([&] { ranOn = QThread::currentThreadId(); }); });
        worker.join();
        QVERIFY(posted);
        QTRY_VERIFY(ranOn != nullptr);
        QCOMPARE(ranOn, QThread::currentThreadId());   // the target's thread, not the worker's
        delete target;
        QVERIFY(!handoff.post([] {}));

        // A worker posting flat out while the target is destroyed: nothing it posted runs afterwards.
        for (int round = 0; round < 100; ++round) {
            auto *obj = new QObject;
            const cs::ThreadHandoff h(obj);
            std::atomic<bool> stop{false}, gone{false};
            std::atomic<int> ranBefore{0}, ranAfter{0}, refused{0};
            std::thread w([&] {
                for (int i = 0; i < 20000 && !stop; ++i)
                    if (!h.post([&] { ++(gone ? ranAfter : ranBefore); })) ++refused;
            });
            while (ranBefore == 0) QCoreApplication::processEvents();
            delete obj;
            gone = true;
            stop = true;
            w.join();
            QCoreApplication::processEvents();
            QCOMPARE(ranAfter.load(), 0);
            QVERIFY(!h.post([] {}));
        }
    }
    void version_isConfiguredCommit()
    {
        QCOMPARE(cs::clinsightVersion(), QStringLiteral(CLINSIGHT_EXPECTED_VERSION));
        const QString c = cs::buildCommit();
        QVERIFY2(c == QLatin1String("unknown") || QRegularExpression(QStringLiteral("^[0-9a-f]{40}$")).match(c).hasMatch(), qPrintable(c));
    }
};

QTEST_GUILESS_MAIN(TestFoundation)
#include "tst_foundation.moc"
