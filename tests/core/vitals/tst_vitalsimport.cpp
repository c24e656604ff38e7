// Vitals importers on real PhysioNet files, a hand-written FHIR bundle, and bad input.
#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kVitals = QStringLiteral(CLINSIGHT_SHARED_DATA "/vitals");
const QString kTestData = QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data");

QString write(QTemporaryDir &d, const QString &name, const QByteArray &content)
{
    const QString p = d.filePath(name);
    QFile f(p);
    f.open(QIODevice::WriteOnly);
    f.write(content);
    return p;
}
} // namespace

class TestVitalsImport : public QObject {
    Q_OBJECT
private slots:
    void physionet2019_countsMatchFile()
    {
        const QDir dir(kVitals + "/physionet2019/training_setB");
        if (!dir.exists()) QSKIP("../shared/data/vitals is absent");
        const QStringList files = dir.entryList({"*.psv"}, QDir::Files, QDir::Name).mid(0, 200);
        QVERIFY(files.size() == 200);
        for (const QString &f : files) {
            const QString path = dir.filePath(f);
            auto t = cs::importPhysioNet2019(path);
            QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
            // Independent count of the non-NaN cells of the mapped columns.
            QFile raw(path);
            QVERIFY(raw.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = raw.readAll().trimmed().split('\n');
            const QList<QByteArray> header = lines[0].trimmed().split('|');
            int cells = 0;
            for (int r = 1; r < lines.size(); ++r) {
                const QList<QByteArray> c = lines[r].trimmed().split('|');
                for (const auto &[name, v] : cs::physioNet2019Columns())
                    if (c[header.indexOf(name.toLatin1())] != "NaN") ++cells;
            }
            QCOMPARE(t->rowsRead, int(lines.size()) - 1);
            QCOMPARE(int(t->labels.size()), t->rowsRead);
            QCOMPARE(t->sampleCount() + int(t->excluded.size()), cells);  // psv has one value per cell: no merges
        }
    }

    void physionet2012_countsMatchFile()
    {
        const QDir dir(kVitals + "/physionet2012/set-a");
        if (!dir.exists()) QSKIP("../shared/data/vitals is absent");
        const QStringList files = dir.entryList({"*.txt"}, QDir::Files, QDir::Name).mid(0, 100);
        int checked = 0;
        for (const QString &f : files) {
            auto t = cs::importPhysioNet2012(dir.filePath(f));
            QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
            QFile raw(dir.filePath(f));
            raw.open(QIODevice::ReadOnly);
            const int lines = int(raw.readAll().trimmed().split('\n').size()) - 1;
            QCOMPARE(t->rowsRead, lines);
            QVERIFY(t->sampleCount() > 0);
            QCOMPARE(t->patientId, QFileInfo(f).completeBaseName());
            ++checked;
        }
        QCOMPARE(checked, 100);
        auto outcomes = cs::importPhysioNet2012Outcomes(kVitals + "/physionet2012/Outcomes-a.txt");
        QVERIFY(outcomes.ok());
        QVERIFY(outcomes->size() >= 3990);
    }

    void fhirBundle_handWritten()
    {
        auto r = cs::importFhirBundle(kTestData + "/fhir_bundle.json");
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QCOMPARE(int(r->size()), 1);
        const cs::VitalsTimeline &t = r->front();
        QCOMPARE(t.patientId, QStringLiteral("Patient/p1"));
        QCOMPARE(t.sampleCount(cs::var::HR), 1);  // Hz excluded, entered-in-error ignored
        QCOMPARE(t.series.at(cs::var::HR)[0].value, 118.0);
        QVERIFY(std::abs(t.series.at(cs::var::SBP)[0].value - 90.0) < 0.01);  // 12 kPa = 90 mmHg
        QCOMPARE(t.series.at(cs::var::DBP)[0].value, 55.0);
        QVERIFY(std::abs(t.series.at(cs::var::Temp)[0].value - 39.0) < 1e-9);  // 102.2 F = 39 C
        QCOMPARE(t.series.at(cs::var::Temp)[0].hours, 1.5);
        QCOMPARE(int(t.excluded.size()), 1);
        QVERIFY(t.excluded[0].reason.contains("unknown unit 'Hz'"));
    }

    void badInput_clearErrors()
    {
        QTemporaryDir d;
        struct Case { const char *name; QByteArray content; const char *expect; };
        const Case cases[] = {
            {"empty.psv", "", "empty"},
            {"semicolon.psv", "HR;O2Sat;Temp\n80;98;37\n", "delimiter"},
            {"noheader.csv", "1,2,3\n", "unknown vitals format"},
            {"short.txt", "Time,Parameter,Value\n00:07,HR\n", "line 2"},
            {"badtime.txt", "Time,Parameter,Value\n7 o'clock,HR,80\n", "HH:MM"},
            {"badjson.json", "{\"resourceType\": \"Bundle\", \"entry\": [", "invalid JSON"},
            {"notbundle.json", "{\"resourceType\": \"Patient\"}", "not a FHIR Bundle"},
            {"long.csv", "patient_id,time,variable,value,unit\np,yesterday,HR,80,/min\n", "ISO-8601"},
        };
        for (const Case &c : cases) {
            const QString p = write(d, c.name, c.content);
            auto r = cs::importVitals(p);
            QVERIFY2(!r.ok(), c.name);
            QVERIFY2(r.error().message().contains(p), qPrintable(r.error().message()));
            QVERIFY2(r.error().message().contains(QLatin1String(c.expect)), qPrintable(r.error().message()));
        }
    }

    void badValues_flaggedNotCrashing()
    {
        QTemporaryDir d;
        const QString p = write(d, "x.psv",
            "HR|O2Sat|Temp|SBP|MAP|DBP|Resp|SepsisLabel\n"
            "80|98|37|120|80|60|16|0\n"
            "abc|98|37|120|80|60|16|0\n"   // text in a numeric column
            "-5|98|37|120|80|60|16|0\n"    // negative
            "80|98|370|120|80|60|16|0\n"   // absurd temperature
            "80|98|37|120|80|60|16|0\n");
        auto t = cs::importVitals(p);
        QVERIFY(t.ok());
        QCOMPARE(t->sampleCount(cs::var::HR), 3);
        QCOMPARE(t->sampleCount(cs::var::Temp), 4);
        QCOMPARE(int(t->excluded.size()), 3);
        QVERIFY(t->excluded[0].reason.contains("not a number"));
        QVERIFY(t->excluded[1].reason.contains("implausible"));
        QVERIFY(t->excluded[2].reason.contains("Temp"));
    }

    void longCsv_unitsDuplicatesAndTimeOrder()
    {
        QTemporaryDir d;
        const QString p = write(d, "long.csv",
            "patient_id,time,variable,value,unit\n"
            "A,2024-03-01T10:00:00Z,HR,100,/min\n"
            "A,2024-03-01T08:00:00Z,HR,80,/min\n"      // out of order
            "A,2024-03-01T08:00:00Z,HR,90,/min\n"      // duplicate time
            "A,2024-03-01T08:30:00Z,Temp,100.4,[degF]\n"
            "A,2024-03-01T08:30:00Z,SBP,16,kPa\n"
            "A,2024-03-01T09:00:00Z,SpO2,95,furlongs\n"
            "B,2024-03-02T00:00:00Z,HR,70,/min\n");
        auto r = cs::importGenericCsv(p);
        QVERIFY(r.ok());
        QCOMPARE(int(r->size()), 2);
        const auto &a = r->front();
        QCOMPARE(a.patientId, QStringLiteral("A"));
        const auto &hr = a.series.at(cs::var::HR);
        QCOMPARE(int(hr.size()), 2);
        QCOMPARE(hr[0].hours, 0.0);
        QCOMPARE(hr[0].value, 85.0);  // duplicates merged to their mean
        QCOMPARE(hr[1].hours, 2.0);
        QVERIFY(std::abs(a.series.at(cs::var::Temp)[0].value - 38.0) < 1e-9);
        QVERIFY(std::abs(a.series.at(cs::var::SBP)[0].value - 120.01) < 0.01);
        QCOMPARE(int(a.excluded.size()), 1);
        QVERIFY(a.cleaningLog.join('\n').contains("merged"));
        QVERIFY(a.cleaningLog.join('\n').contains("sorted"));
    }

    void features_areCausal()
    {
        const QString path = kVitals + "/physionet2019/training_setB/p100002.psv";
        if (!QFile::exists(path)) QSKIP("../shared/data/vitals is absent");
        auto t = cs::importPhysioNet2019(path);
        QVERIFY(t.ok());
        const QStringList vars = cs::defaultModelVariables();
        const auto full = cs::buildHourlyGrid(t.value(), vars);
        const int cut = 10;
        cs::VitalsTimeline truncated = t.value();
        for (auto &[k, s] : truncated.series)
            s.erase(std::remove_if(s.begin(), s.end(), [&](const cs::VitalSample &x) { return x.hours >= cut + 1; }), s.end());
        const auto part = cs::buildHourlyGrid(truncated, vars, full.hours);
        const auto norm = cs::fitNormalization({full}, vars);
        const auto fa = cs::modelFeatures(full, norm, t.value());
        const auto fb = cs::modelFeatures(part, norm, truncated);
        const int F = norm.featureCount();
        for (int h = 0; h <= cut; ++h)
            for (int k = 0; k < F; ++k)
                QCOMPARE(fa[size_t(h) * F + k], fb[size_t(h) * F + k]);
    }
};

QTEST_GUILESS_MAIN(TestVitalsImport)
#include "tst_vitalsimport.moc"
