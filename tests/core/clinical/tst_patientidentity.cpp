// Patient identity: the hospital identifier chosen from DICOM, the vitals
// record or patient.json; the import folder only when none has one; sources
// of different patients reported as a conflict.
#include "clinsight/clinical/patientidentity.h"

#include <QtTest>

namespace {
cs::DicomInstanceInfo image(const QString &id, const QString &issuer = {}, const QString &name = {}, const QString &born = {})
{
    cs::DicomInstanceInfo i;
    i.patientId = id;
    i.issuerOfPatientId = issuer;
    i.patientName = name;
    i.patientBirthDate = born;
    return i;
}
cs::VitalsTimeline vitals(const QString &id, const QString &format)
{
    cs::VitalsTimeline t;
    t.patientId = id;
    t.format = format;
    return t;
}
const QString kCsv = QStringLiteral("ClinSight long CSV");
} // namespace

class TestPatientIdentity : public QObject {
    Q_OBJECT
private slots:
    void dicomIdentifier_isTheKey()
    {
        const auto img = image("MRN123", "HOSP-A");
        const auto c = cs::checkIdentity(&img, nullptr, {}, "/data/cohort1/patient01");
        QCOMPARE(c.identity.key(), QStringLiteral("id:HOSP-A/MRN123"));
        QVERIFY(c.conflict.isEmpty());
        // the same patient imported from another folder is the same patient
        QCOMPARE(cs::checkIdentity(&img, nullptr, {}, "/elsewhere/p").identity.key(), c.identity.key());
        QVERIFY(c.identity.basis().contains("MRN123"));
    }
    void noIdentifier_folderIsTheKey()
    {
        const auto psv = vitals("p100002", "PhysioNet 2019 PSV");   // a file name, not a recorded identifier
        const auto a = cs::checkIdentity(nullptr, &psv, {}, "/data/cohortA/patient01");
        const auto b = cs::checkIdentity(nullptr, &psv, {}, "/data/cohortB/patient01");
        QCOMPARE(a.identity.key(), QStringLiteral("folder:/data/cohortA/patient01"));
        QVERIFY(a.identity.key() != b.identity.key());   // same folder name, different patients
        QVERIFY(a.identity.basis().contains("no patient identifier"));
    }
    void vitalsIdentifier_usedAndCompared()
    {
        const auto fhir = vitals("Patient/MRN123", "FHIR R4 Bundle");
        const auto img = image("MRN123");
        const auto same = cs::checkIdentity(&img, &fhir, {}, "/x");
        QVERIFY2(same.conflict.isEmpty(), qPrintable(same.conflict));   // "Patient/" reference prefix is not part of the id
        const auto other = image("MRN999");
        const auto bad = cs::checkIdentity(&other, &fhir, {}, "/x");
        QVERIFY(!bad.conflict.isEmpty());
        QVERIFY2(bad.conflict.contains("MRN999") && bad.conflict.contains("MRN123"), qPrintable(bad.conflict));
        QCOMPARE(cs::checkIdentity(nullptr, &fhir, {}, "/x").identity.key(), QStringLiteral("id:/MRN123"));
    }
    void differentIssuers_conflict()
    {
        const auto img = image("42", "HOSP-A");
        cs::DeclaredIdentity d;
        d.patientId = "42";
        d.issuer = "HOSP-B";
        QVERIFY(!cs::checkIdentity(&img, nullptr, d, "/x").conflict.isEmpty());
        d.issuer = "hosp-a";
        QVERIFY(cs::checkIdentity(&img, nullptr, d, "/x").conflict.isEmpty());
    }
    void nameAndBirthDate_whenNoIdentifiers()
    {
        const auto img = image({}, {}, "Doe^Jane", "19500102");
        cs::DeclaredIdentity d;
        d.name = "Jane Doe";
        d.birthDate = "1950-01-02";
        QVERIFY(cs::checkIdentity(&img, nullptr, d, "/x").conflict.isEmpty());
        d.birthDate = "1951-01-02";
        const auto c = cs::checkIdentity(&img, nullptr, d, "/x");
        QVERIFY2(c.conflict.contains("born"), qPrintable(c.conflict));
    }
    void uncheckableLink_isDisclosed()
    {
        const auto img = image("MRN1");
        const auto psv = vitals("p1", "PhysioNet 2019 PSV");
        const auto c = cs::checkIdentity(&img, &psv, {}, "/x");
        QVERIFY(c.conflict.isEmpty());
        QCOMPARE(c.notes.size(), 1);
        QVERIFY(c.notes.first().contains("no patient identifier"));
    }
};

QTEST_GUILESS_MAIN(TestPatientIdentity)
#include "tst_patientidentity.moc"
