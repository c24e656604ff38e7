// Error values, Result, and the job abstraction.
#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"
#include "clinsight/foundation/version.h"

#include <QRegularExpression>
#include <QtTest>
#include <stdexcept>

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
    void version_isConfiguredCommit()
    {
        QCOMPARE(cs::clinsightVersion(), QStringLiteral(CLINSIGHT_EXPECTED_VERSION));
        const QString c = cs::buildCommit();
        QVERIFY2(c == QLatin1String("unknown") || QRegularExpression(QStringLiteral("^[0-9a-f]{40}$")).match(c).hasMatch(), qPrintable(c));
    }
};

QTEST_GUILESS_MAIN(TestFoundation)
#include "tst_foundation.moc"
