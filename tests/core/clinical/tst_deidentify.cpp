// De-identified export (DICOM PS3.15 basic profile, modified dates), on real
// corpus files with identifying data planted the ways real files carry it: in
// the patient module, in kept sequences two levels deep, in private tags (also
// nested), in overlay comments and referenced UIDs. Nothing planted survives in
// any output byte; UIDs are replaced consistently (one study stays one study,
// references follow); dates move by the patient's offset, times stay; the
// method is recorded; dciodvfy finds no error the input did not have. Images
// that may show text are refused unless confirmed. A patient folder's vitals and
// patient.json get the same pseudonym and offset as its images.
#include "clinsight/clinical/deidentifiedexport.h"
#include "clinsight/clinical/triage.h"
#include "clinsight/dicom/deidentify.h"
#include "clinsight/vitals/vitalsimport.h"
#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/filehash.h"
#include "clinsight/foundation/protectedfile.h"
#include "clinsight/security/filecipher.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QStringList kPlanted = {"Planted", "PLANTED", "MRN-7741", "19450102", "ACC-99812"};

QString str(DcmItem *item, const DcmTagKey &k)
{
    OFString v;
    item->findAndGetOFStringArray(k, v);
    return QString::fromLatin1(v.c_str());
}

// The corpus CT with identifying data planted everywhere a real file carries it.
// sop: its new SOP Instance UID (two instances of one study); ref: a SOP it references.
bool plant(const QString &out, const QString &sop, const QString &ref, const char *modality = "CT", const char *burnedIn = nullptr)
{
    DcmFileFormat ff;
    if (ff.loadFile((kData + "/dicom/pydicom-testfiles/CT_small.dcm").toLocal8Bit().constData()).bad()) return false;
    DcmDataset *ds = ff.getDataset();
    ds->putAndInsertString(DCM_SOPInstanceUID, sop.toLatin1().constData());
    ds->putAndInsertString(DCM_StudyInstanceUID, "1.3.6.1.4.1.99999.1.1");
    ds->putAndInsertString(DCM_SeriesInstanceUID, "1.3.6.1.4.1.99999.1.2");
    ds->putAndInsertString(DCM_Modality, modality);
    if (burnedIn) ds->putAndInsertString(DCM_BurnedInAnnotation, burnedIn);
    ds->putAndInsertString(DCM_PatientName, "Planted^Secretname");
    ds->putAndInsertString(DCM_PatientID, "MRN-7741");
    ds->putAndInsertString(DCM_IssuerOfPatientID, "PLANTED HOSPITAL");
    ds->putAndInsertString(DCM_PatientBirthDate, "19450102");
    ds->putAndInsertString(DCM_PatientAddress, "1 Planted Street");
    ds->putAndInsertString(DCM_AccessionNumber, "ACC-99812");
    ds->putAndInsertString(DCM_InstitutionName, "Planted General Hospital");
    ds->putAndInsertString(DCM_StationName, "PLANTED-CT1");
    ds->putAndInsertString(DCM_StudyDescription, "Planted study of the chest");
    ds->putAndInsertString(DCM_OperatorsName, "Planted^Operator");
    ds->putAndInsertString(DCM_StudyDate, "20200315");
    ds->putAndInsertString(DCM_StudyTime, "101112");
    DcmItem *other = nullptr;
    ds->findOrCreateSequenceItem(DCM_OtherPatientIDsSequence, other, -2);
    other->putAndInsertString(DCM_PatientID, "PLANTED-OTHER-ID");
    // Two levels deep in a sequence the profile keeps: a reference, a person name, a date, a private tag.
    DcmItem *refItem = nullptr;
    ds->findOrCreateSequenceItem(DCM_ReferencedImageSequence, refItem, -2);
    refItem->putAndInsertString(DCM_ReferencedSOPClassUID, UID_CTImageStorage);
    refItem->putAndInsertString(DCM_ReferencedSOPInstanceUID, ref.toLatin1().constData());
    DcmItem *purpose = nullptr;
    refItem->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose, -2);
    purpose->putAndInsertString(DCM_CodeValue, "121311");
    purpose->putAndInsertString(DCM_CodingSchemeDesignator, "DCM");
    purpose->putAndInsertString(DCM_CodeMeaning, "Localizer");
    purpose->putAndInsertString(DCM_ObservationDateTime, "20200316101500");
    purpose->putAndInsertString(DCM_PersonName, "Planted^Deepname");
    purpose->putAndInsertString(DcmTag(0x0011, 0x0010, EVR_LO), "PLANTED NESTED CREATOR");
    purpose->putAndInsertString(DcmTag(0x0011, 0x1001, EVR_LO), "Planted nested private text");
    DcmItem *observer = nullptr;
    ds->findOrCreateSequenceItem(DCM_VerifyingObserverSequence, observer, -2);
    observer->putAndInsertString(DCM_VerifyingObserverName, "Planted^Observer");
    observer->putAndInsertString(DCM_VerifyingOrganization, "Planted Radiology Group");
    ds->putAndInsertString(DcmTag(0x0009, 0x0010, EVR_LO), "PLANTED CREATOR");
    ds->putAndInsertString(DcmTag(0x0009, 0x1001, EVR_LO), "Planted private name");
    ds->putAndInsertString(DcmTag(0x6000, 0x4000, EVR_LT), "Planted overlay comment");
    return ff.saveFile(out.toLocal8Bit().constData(), EXS_LittleEndianExplicit).good();
}

QStringList survivors(const QString &dir, const QStringList &needles)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        f.open(QIODevice::ReadOnly);
        const QByteArray b = f.readAll();
        for (const QString &n : needles)
            if (b.contains(n.toUtf8())) hits << QFileInfo(f.fileName()).fileName() + ": " + n;
    }
    return hits;
}

QStringList dciodvfyErrors(const QString &file)
{
    QProcess p;
    p.start("dciodvfy", {file});
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit) return {"Error - dciodvfy did not run (scripts/install-deps.sh installs dicom3tools)"};
    QStringList out;
    for (const QString &l : QString::fromLatin1(p.readAllStandardError() + p.readAllStandardOutput()).split('\n'))
        if (l.startsWith("Error")) out << l.trimmed();
    return out;
}

} // namespace

class TestDeidentify : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(kData + "/dicom/pydicom-testfiles/CT_small.dcm")) QSKIP("../shared/data is absent");
    }

    void plantedIdentifiers_removedEverywhere_uidsConsistent_datesMoved()
    {
        const QString in = m_dir.filePath("in"), out = m_dir.filePath("out");
        QDir().mkpath(in);
        QVERIFY(plant(in + "/a.dcm", "1.3.6.1.4.1.99999.1.3.1", "1.3.6.1.4.1.99999.1.3.2"));
        QVERIFY(plant(in + "/b.dcm", "1.3.6.1.4.1.99999.1.3.2", "1.3.6.1.4.1.99999.1.3.1"));
        QCOMPARE(survivors(in, kPlanted).size(), 2 * kPlanted.size());   // the plant took: every needle in both files
        auto r = cs::exportDeidentified({in + "/a.dcm", in + "/b.dcm"}, out, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QCOMPARE(r->written, 2);
        QCOMPARE(r->patients, 1);   // one patient (same ID): one pseudonym
        QCOMPARE(survivors(out, kPlanted + QStringList{"1.3.6.1.4.1.99999"}), QStringList());
        DcmFileFormat a, b;
        QVERIFY(a.loadFile(r->items[0].output.toLocal8Bit().constData()).good());
        QVERIFY(b.loadFile(r->items[1].output.toLocal8Bit().constData()).good());
        DcmDataset *da = a.getDataset(), *db = b.getDataset();
        // One study in, one study out; each instance its own UID; references follow.
        QCOMPARE(str(da, DCM_StudyInstanceUID), str(db, DCM_StudyInstanceUID));
        QVERIFY(str(da, DCM_StudyInstanceUID).startsWith("2.25."));
        QVERIFY(str(da, DCM_SOPInstanceUID) != str(db, DCM_SOPInstanceUID));
        QCOMPARE(str(a.getMetaInfo(), DCM_MediaStorageSOPInstanceUID), str(da, DCM_SOPInstanceUID));
        DcmItem *ref = nullptr;
        QVERIFY(db->findAndGetSequenceItem(DCM_ReferencedImageSequence, ref).good());
        QCOMPARE(str(ref, DCM_ReferencedSOPInstanceUID), str(da, DCM_SOPInstanceUID));
        QCOMPARE(str(ref, DCM_ReferencedSOPClassUID), QStringLiteral(UID_CTImageStorage));   // class UIDs kept
        // The patient: pseudonym; birth date emptied; identifying sequences gone.
        const QString pseudonym = str(da, DCM_PatientName);
        QVERIFY(pseudonym.startsWith("CS-"));
        QCOMPARE(str(da, DCM_PatientID), pseudonym);
        QCOMPARE(str(da, DCM_PatientBirthDate), QString());
        QVERIFY(!da->tagExists(DCM_OtherPatientIDsSequence) && !da->tagExists(DCM_IssuerOfPatientID) && !da->tagExists(DCM_InstitutionName));
        QVERIFY(!da->tagExists(DcmTagKey(0x0009, 0x1001)) && !da->tagExists(DcmTagKey(0x0009, 0x0010)) && !da->tagExists(DcmTagKey(0x6000, 0x4000)));
        DcmItem *purpose = nullptr;
        QVERIFY(ref->findAndGetSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose).good());
        QCOMPARE(str(purpose, DCM_CodeValue), QStringLiteral("121311"));   // the clinical content of the nesting stays
        QVERIFY(!purpose->tagExists(DcmTagKey(0x0011, 0x1001)));
        QCOMPARE(str(purpose, DCM_PersonName), QString());
        // Dates by the patient's offset, times kept.
        const QDate study = QDate::fromString(str(da, DCM_StudyDate), "yyyyMMdd");
        const int shift = int(QDate(2020, 3, 15).daysTo(study));
        QVERIFY2(shift <= -365 && shift >= -3650, qPrintable(QString::number(shift)));
        QCOMPARE(QDate::fromString(str(purpose, DCM_ObservationDateTime).left(8), "yyyyMMdd"), QDate(2020, 3, 16).addDays(shift));
        QCOMPARE(str(purpose, DCM_ObservationDateTime).mid(8), QStringLiteral("101500"));
        QCOMPARE(str(da, DCM_StudyTime), QStringLiteral("101112"));
        // What was done.
        QCOMPARE(str(da, DCM_PatientIdentityRemoved), QStringLiteral("YES"));
        QCOMPARE(str(da, DCM_LongitudinalTemporalInformationModified), QStringLiteral("MODIFIED"));
        QStringList codes;
        DcmItem *code = nullptr;
        for (int i = 0; da->findAndGetSequenceItem(DCM_DeidentificationMethodCodeSequence, code, i).good(); ++i) codes << str(code, DCM_CodeValue);
        QCOMPARE(codes, (QStringList{"113100", "113107"}));
        // Valid DICOM still: no error dciodvfy did not already report for the input.
        const QStringList before = dciodvfyErrors(in + "/a.dcm"), after = dciodvfyErrors(r->items[0].output);
        QVERIFY2(!before.join("").contains("did not run"), qPrintable(before.join("\n")));
        QStringList added;
        for (const QString &e : after) if (!before.contains(e)) added << e;
        QVERIFY2(added.isEmpty(), qPrintable(added.join("\n")));
        // A second export with its own secret: the UIDs cannot be linked across exports.
        auto again = cs::exportDeidentified({in + "/a.dcm"}, m_dir.filePath("out2"), {});
        QVERIFY(again.ok());
        DcmFileFormat c;
        QVERIFY(c.loadFile(again->items[0].output.toLocal8Bit().constData()).good());
        QVERIFY(str(c.getDataset(), DCM_StudyInstanceUID) != str(da, DCM_StudyInstanceUID));
    }

    void protectedFiles_readByTheLoader_andDeidentified()
    {
        // A study a signed-in workstation keeps encrypted at rest is read in memory and exported in clear.
        const QString f = m_dir.filePath("protected.dcm");
        QVERIFY(QFile::copy(kData + "/dicom/pydicom-testfiles/JPEG2000.dcm", f));
        QFile::setPermissions(f, QFile::ReadOwner | QFile::WriteOwner);
        const auto clear = cs::readDicomHeader(f);
        QVERIFY(clear.ok());
        cs::installFileCipher(cs::security::makeFileCipher(QByteArray(32, '\x11')));
        QVERIFY(cs::protectFile(f).ok());
        QVERIFY(cs::isProtectedFile(f));
        const auto header = cs::readDicomHeader(f);
        QVERIFY2(header.ok(), qPrintable(header.ok() ? QString() : header.error().message()));
        QCOMPARE(header->sopInstanceUid, clear->sopInstanceUid);
        QCOMPARE(cs::sha256OfFile(f), cs::sha256OfFile(kData + "/dicom/pydicom-testfiles/JPEG2000.dcm"));   // the content's hash
        auto src = cs::DicomImageSource::open(f);
        QVERIFY(src.ok() && src->render(0).ok());
        auto r = cs::exportDeidentified({f}, m_dir.filePath("from-protected"), {});
        QVERIFY(r.ok());
        QCOMPARE(r->written, 1);
        QVERIFY(!cs::isProtectedFile(r->items[0].output));   // a research copy is written in clear, by design
        cs::installFileCipher(nullptr);
        auto locked = cs::readDicomHeader(f);
        QVERIFY(!locked.ok());
        QCOMPARE(locked.error().code, cs::Error::Code::Denied);
    }

    void compressedPixels_keepTheirTransferSyntax()
    {
        auto r = cs::exportDeidentified({kData + "/dicom/pydicom-testfiles/JPEG2000.dcm"}, m_dir.filePath("j2k"), {});
        QVERIFY(r.ok());
        QCOMPARE(r->written, 1);
        DcmFileFormat f;
        QVERIFY(f.loadFile(r->items[0].output.toLocal8Bit().constData()).good());
        QCOMPARE(str(f.getMetaInfo(), DCM_TransferSyntaxUID), QStringLiteral(UID_JPEG2000TransferSyntax));
    }

    void burnedInText_refusedUnlessConfirmed()
    {
        const QString in = m_dir.filePath("burned");
        QDir().mkpath(in);
        QVERIFY(plant(in + "/yes.dcm", "1.3.6.1.4.1.99999.2.1", "1.3.6.1.4.1.99999.2.2", "CT", "YES"));
        QVERIFY(plant(in + "/us.dcm", "1.3.6.1.4.1.99999.2.2", "1.3.6.1.4.1.99999.2.1", "US"));   // not recorded, a modality that burns text in
        QVERIFY(plant(in + "/no.dcm", "1.3.6.1.4.1.99999.2.3", "1.3.6.1.4.1.99999.2.1", "US", "NO"));
        auto r = cs::exportDeidentified({in + "/yes.dcm", in + "/us.dcm", in + "/no.dcm"}, m_dir.filePath("burned-out"), {});
        QVERIFY(r.ok());
        QCOMPARE(r->refused, 2);
        QCOMPARE(r->written, 1);
        QVERIFY(r->items[0].refusedForBurnedInText && r->items[0].problem.contains("BurnedInAnnotation") && r->items[0].problem.contains("yes.dcm"));
        QVERIFY(r->items[1].problem.contains("US images often carry burned-in text"));
        QVERIFY(r->items[0].output.isEmpty());
        auto confirmed = cs::exportDeidentified({in + "/yes.dcm", in + "/us.dcm"}, m_dir.filePath("burned-ok"), {true, {}, {}});
        QVERIFY(confirmed.ok());
        QCOMPARE(confirmed->written, 2);
    }

    void badInput_namedAndNothingWritten()
    {
        const QString junk = m_dir.filePath("junk.dcm");
        { QFile f(junk); f.open(QIODevice::WriteOnly); f.write(QByteArray(300, 'z')); }
        auto r = cs::exportDeidentified({junk, m_dir.filePath("missing.dcm")}, m_dir.filePath("bad-out"), {});
        QVERIFY(r.ok());
        QCOMPARE(r->failed, 2);
        QVERIFY(r->items[0].problem.contains("junk.dcm"));
        QCOMPARE(QDir(m_dir.filePath("bad-out")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
        // A folder that is not empty is never written into.
        QVERIFY(!cs::exportDeidentified({junk}, m_dir.path(), {}).ok());
    }

    void patientFolder_vitalsAndPatientJson_samePseudonymAndOffset()
    {
        const QString cohort = m_dir.filePath("cohort"), patient = cohort + "/planted-patient";
        QDir().mkpath(patient);
        QVERIFY(plant(patient + "/image.dcm", "1.3.6.1.4.1.99999.3.1", "1.3.6.1.4.1.99999.3.1"));
        {
            QFile v(patient + "/vitals.csv");
            QVERIFY(v.open(QIODevice::WriteOnly));
            v.write("patient_id,time,variable,value,unit\n"
                    "MRN-7741,2020-03-15T08:00:00Z,HR,88,/min\nMRN-7741,2020-03-15T09:00:00Z,HR,95,/min\n"
                    "MRN-7741,2020-03-15T09:00:00Z,Temp,38.4,Cel\n");
            QFile j(patient + "/patient.json");
            QVERIFY(j.open(QIODevice::WriteOnly));
            j.write(R"({"name": "Planted Secretname", "description": "Planted: admitted from home", "patient_id": "MRN-7741",
                       "issuer": "PLANTED HOSPITAL", "patient_name": "Planted^Secretname", "birth_date": "19450102", "image_hour": 1})");
        }
        const QString out = m_dir.filePath("cohort-out");
        auto r = cs::exportDeidentified({cohort}, out, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QCOMPARE(r->failed + r->refused, 0);
        QCOMPARE(r->written, 3);
        QCOMPARE(r->patients, 1);
        QCOMPARE(survivors(out, kPlanted + QStringList{"2020-03-15", "20200315", "planted-patient"}), QStringList());
        const QString pseudonym = r->items[0].pseudonym;
        const QString folder = out + "/" + pseudonym;
        // The image and the vitals moved by the same number of days.
        DcmFileFormat f;
        QVERIFY(f.loadFile(r->items[0].output.toLocal8Bit().constData()).good());
        const int shift = int(QDate(2020, 3, 15).daysTo(QDate::fromString(str(f.getDataset(), DCM_StudyDate), "yyyyMMdd")));
        auto vitals = cs::importVitals(folder + "/vitals.csv");
        QVERIFY2(vitals.ok(), qPrintable(vitals.ok() ? QString() : vitals.error().message()));
        QCOMPARE(vitals->patientId, pseudonym);
        QVERIFY(vitals->start.has_value());
        QCOMPARE(vitals->start->toUTC(), QDateTime(QDate(2020, 3, 15), QTime(8, 0), Qt::UTC).addDays(shift));
        QCOMPARE(vitals->sampleCount("HR"), 2);
        QCOMPARE(vitals->sampleCount("Temp"), 1);
        QFile j(folder + "/patient.json");
        QVERIFY(j.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(j.readAll()).object();
        QCOMPARE(o["name"].toString(), pseudonym);
        QCOMPARE(o["patient_id"].toString(), pseudonym);
        QCOMPARE(o["image_hour"].toInt(), 1);
        QVERIFY(!o.contains("birth_date") && !o.contains("issuer") && !o.contains("description"));
        // The copy is a ClinSight cohort again.
        auto again = cs::readCohort(out);
        QVERIFY(again.ok());
        QCOMPARE(int(again->size()), 1);
        QVERIFY(again->front().problem.isEmpty());
        QCOMPARE(again->front().declared.patientId, pseudonym);
    }
};

QTEST_GUILESS_MAIN(TestDeidentify)
#include "tst_deidentify.moc"
