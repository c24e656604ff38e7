// A patient assessed end to end: branches that do not apply are reported and
// the others still scored.
#include "clinsight/clinical/assessment.h"
#include "clinsight/clinical/pacstriage.h"
#include "clinsight/clinical/triage.h"
#include "clinsight/clinical/storagerecords.h"
#include "clinsight/model/hybridmodel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
const QString kDemo = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo");
void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &f : QDir(from).entryList(QDir::Files)) QFile::copy(from + '/' + f, to + '/' + f);
}
void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(content);
}
[[maybe_unused]] bool haveData() { return QDir(kData + "/cxr/kermany224/train").exists(); }
} // namespace

class TestAssessment : public QObject {
    Q_OBJECT
private slots:
    // ClinSight's own Grad-CAM capture back in a study (retrieved from the PACS) is never scored
    // in place of the radiograph, even when it sorts first.
    void ownResultCapture_isNotScored()
    {
        const QString rg1 = kData + QStringLiteral("/dicom/pydicom-data/RG1_J2KI.dcm");
        if (!QFile::exists(rg1)) QSKIP("../shared/data not present");
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        QTemporaryDir dir;
        cs::PatientInputs in;
        in.id = in.displayName = QStringLiteral("study");
        in.folder = dir.path();
        in.imagePaths = {rg1};
        auto first = cs::assessPatient(&m.value(), in, true);
        QVERIFY(first.ok() && first->image && first->image->applicable);
        auto written = cs::writeResultObjects(first.value(), m.value(), dir.filePath(QStringLiteral("results")));
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message()));
        in.imagePaths = {written->at(1).path, rg1};   // the capture first
        auto again = cs::assessPatient(&m.value(), in, false);
        QVERIFY(again.ok());
        QCOMPARE(again->imagePath, rg1);
        QVERIFY(std::abs(again->image->risk - first->image->risk) < 1e-6);
    }
    void notApplicable_imageStillScoresVitals()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        auto cohort = cs::readCohort(QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo"));
        QVERIFY(cohort.ok());
        const auto it = std::find_if(cohort->begin(), cohort->end(), [](const auto &p) { return p.id.contains("ct-not-applicable"); });
        QVERIFY(it != cohort->end());
        auto a = cs::assessPatient(&m.value(), *it, false);
        QVERIFY(a.ok());
        QVERIFY(a->image && !a->image->applicable);
        QVERIFY(a->image->notApplicableReason.contains("CT"));
        QVERIFY(a->vitalsRisk && a->vitalsRisk->applicable);
        QVERIFY(!a->fused.available);
    }

    void badPatient_listedWithReason_othersScored()
    {
        QTemporaryDir dir;
        copyDir(kDemo + "/demo01-septic-pneumonia", dir.filePath("good"));
        copyDir(kDemo + "/demo02-low-risk", dir.filePath("bad"));
        writeFile(dir.filePath("bad/patient.json"), "{\"name\": \"broken");
        cs::JobControl c;
        auto r = cs::triageCohort(nullptr, dir.path(), c);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QCOMPARE(int(r->size()), 2);
        const auto bad = std::find_if(r->begin(), r->end(), [](const auto &a) { return a.inputs.id == "bad"; });
        const auto good = std::find_if(r->begin(), r->end(), [](const auto &a) { return a.inputs.id == "good"; });
        QVERIFY(bad != r->end() && good != r->end());
        QVERIFY2(bad->failure.contains("patient.json"), qPrintable(bad->failure));
        QVERIFY(bad->notes.join(" ").contains("NOT SCORED"));
        QVERIFY(good->failure.isEmpty());
        QVERIFY(!good->scores.empty());
        // The worklist holds scores, not pixels: the image is named, its frame released.
        QVERIFY2(good->imagePath.endsWith("chest.jpeg"), qPrintable(good->imagePath));
        QVERIFY(!good->imageSha256.isEmpty());
        QVERIFY(!good->frame);
    }
    void triage_cancelledMidway()
    {
        cs::JobControl c;
        int seen = 0;
        c.setProgressCallback([&](qint64 done, qint64, const QString &) { if (done >= 2) c.requestCancel(); seen = int(done); });
        auto r = cs::triageCohort(nullptr, kDemo, c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, cs::Error::Code::Cancelled);
        QCOMPARE(seen, 2);   // stopped at the next patient, not at the end
    }
    void sameFolderName_differentPatients_reimportUpdates()
    {
        QTemporaryDir a, b, db;
        for (auto *d : {&a, &b}) copyDir(kDemo + "/demo02-low-risk", d->filePath("patient01"));
        auto store = cs::ClinicalStore::open(db.filePath("c.sqlite"), QByteArray(32, '\x42'));   // a test database key
        QVERIFY(store.ok());
        cs::JobControl c;
        for (const QString &cohort : {a.path(), b.path(), a.path()}) {      // A, B, then A again
            auto r = cs::triageCohort(nullptr, cohort, c);
            QVERIFY(r.ok());
            for (const auto &p : r.value()) QVERIFY(store->recordInference(cs::inferenceRecord(p), "tester").ok());
        }
        auto patients = store->patients();
        QVERIFY(patients.ok());
        QCOMPARE(int(patients->size()), 2);   // two patients named patient01, A re-imported once
        for (const auto &p : patients.value()) {
            QCOMPARE(p.displayName, QStringLiteral("DEMO02"));
            QVERIFY2(p.id.startsWith("folder:"), qPrintable(p.id));
        }
    }
    void sameIdentifier_isOnePatient_acrossFolders()
    {
        QTemporaryDir a, b;
        for (auto *d : {&a, &b}) {
            QDir().mkpath(d->filePath("x"));
            writeFile(d->filePath("x/vitals.csv"), "patient_id,time,variable,value,unit\nMRN-7,2024-03-01T08:00:00Z,HR,80,/min\n");
        }
        QDir().rename(b.filePath("x"), b.filePath("other-name"));
        cs::JobControl c;
        auto ra = cs::triageCohort(nullptr, a.path(), c), rb = cs::triageCohort(nullptr, b.path(), c);
        QVERIFY(ra.ok() && rb.ok());
        QCOMPARE(ra->front().identity.key(), QStringLiteral("id:/MRN-7"));
        QCOMPARE(rb->front().identity.key(), ra->front().identity.key());
    }
    void imageAndVitalsOfDifferentPatients_conflictNoFusion()
    {
        auto model = cs::HybridModel::load(kBundle);
        QVERIFY(model.ok());
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("p"));
        QVERIFY(QFile::copy(kDemo + "/demo06-chest-cr/RG1_J2KI.dcm", dir.filePath("p/cr.dcm")));   // PatientID 9RG1
        QString csv = "patient_id,time,variable,value,unit\n";
        for (int h = 0; h < 6; ++h) csv += QStringLiteral("OTHER-1,2024-03-01T%1:00:00Z,HR,%2,/min\n").arg(8 + h, 2, 10, QChar('0')).arg(90 + h);
        writeFile(dir.filePath("p/vitals.csv"), csv.toUtf8());
        auto in = cs::readCohort(dir.path());
        QVERIFY(in.ok());
        auto r = cs::assessPatient(&model.value(), in->front(), false);
        QVERIFY(r.ok());
        QVERIFY2(r->identityConflict.contains("9RG1") && r->identityConflict.contains("OTHER-1"), qPrintable(r->identityConflict));
        QVERIFY(!r->fused.available);
        QVERIFY(r->notes.join(" ").contains("IDENTITY CONFLICT"));
        QVERIFY(r->image && r->image->applicable);   // each branch still describes its own data
    }
    void multiPatientVitals_pickedByImageId_orRefusedWithList()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("p"));
        QVERIFY(QFile::copy(kDemo + "/demo06-chest-cr/RG1_J2KI.dcm", dir.filePath("p/cr.dcm")));   // PatientID 9RG1
        writeFile(dir.filePath("p/vitals.csv"), "patient_id,time,variable,value,unit\n"
                                                "OTHER-1,2024-03-01T08:00:00Z,HR,140,/min\n"
                                                "9RG1,2024-03-01T08:00:00Z,HR,72,/min\n");
        auto in = cs::readCohort(dir.path());
        QVERIFY(in.ok());
        auto r = cs::assessPatient(nullptr, in->front(), false);
        QVERIFY(r.ok());
        QVERIFY(r->vitals);
        QCOMPARE(r->vitals->patientId, QStringLiteral("9RG1"));
        QCOMPARE(r->vitals->series.at(cs::var::HR).front().value, 72.0);
        QVERIFY(r->identityConflict.isEmpty());
        QFile::remove(dir.filePath("p/cr.dcm"));
        in = cs::readCohort(dir.path());
        r = cs::assessPatient(nullptr, in->front(), false);
        QVERIFY(r.ok());
        QVERIFY(!r->vitals);
        QVERIFY2(r->notes.join(" ").contains("holds 2 patients (9RG1, OTHER-1)"), qPrintable(r->notes.join(" | ")));
    }
    void missingSexAndAge_disclosed()
    {
        auto model = cs::HybridModel::load(kBundle);
        QVERIFY(model.ok());
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("p"));
        QString csv = "patient_id,time,variable,value,unit\n";
        for (int h = 0; h < 4; ++h) csv += QStringLiteral("M1,2024-03-01T%1:00:00Z,HR,%2,/min\n").arg(8 + h, 2, 10, QChar('0')).arg(100 + h);
        writeFile(dir.filePath("p/vitals.csv"), csv.toUtf8());
        auto in = cs::readCohort(dir.path());
        auto r = cs::assessPatient(&model.value(), in->front(), false);
        QVERIFY(r.ok() && r->vitalsRisk);
        QCOMPARE(r->vitalsRisk->inputNotes.size(), 3);   // age, sex, ICU type
        const QString notes = r->notes.join(" | ");
        QVERIFY2(notes.contains("sex not recorded") && notes.contains("age not recorded") && notes.contains("ICU type"),
                 qPrintable(notes));
    }
};

QTEST_GUILESS_MAIN(TestAssessment)
#include "tst_assessment.moc"
