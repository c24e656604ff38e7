// ClinSight's result objects: Comprehensive SR through dcmsr, Secondary
// Capture through dcmdata. Concepts without a standard code use ClinSight's
// private coding scheme 99CLINSIGHT, declared in the Coding Scheme
// Identification Sequence; algorithm name and version use DCM 111001/111003.
#include "clinsight/dicom/resultobjects.h"
#include "clinsight/foundation/protectedfile.h"
#include "dicom_p.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <QFileInfo>
#include <QUuid>
#include <vector>

namespace cs {

namespace {

constexpr const char *kScheme = "99CLINSIGHT";
constexpr const char *kSchemeUid = "2.25.112309441378620030509038992153587706099";

DSRCodedEntryValue concept(const char *code, const char *meaning) { return DSRCodedEntryValue(code, kScheme, meaning); }
OFString latin(const QString &s) { return OFString(s.toUtf8().constData()); }

QString pct(double p) { return QString::number(p * 100.0, 'f', 2); }

bool isLossy(const QString &ts)
{
    static const QStringList lossy = {QStringLiteral("1.2.840.10008.1.2.4.50"), QStringLiteral("1.2.840.10008.1.2.4.51"),
                                      QStringLiteral("1.2.840.10008.1.2.4.81"), QStringLiteral("1.2.840.10008.1.2.4.91"),
                                      QStringLiteral("1.2.840.10008.1.2.4.203")};
    return lossy.contains(ts);
}

Error writeError(const QString &path, const QString &field, const OFCondition &c)
{
    return makeError(Error::Code::Io, path, field, QStringLiteral("could not be written: %1").arg(QString::fromLatin1(c.text())));
}

Status requireSource(const DicomInstanceInfo &s, const QString &path)
{
    if (s.studyUid.isEmpty() || s.sopInstanceUid.isEmpty() || s.sopClassUid.isEmpty())
        return makeError(Error::Code::Invalid, path, QStringLiteral("source image"),
                         QStringLiteral("the scored image has no Study/SOP Instance/SOP Class UID to refer to"));
    return Ok{};
}

// Adds a sibling (or the first child) and sets its value through fn; false on failure.
class TreeWriter {
public:
    explicit TreeWriter(DSRDocumentTree &t) : m_tree(t) {}
    OFCondition add(DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType vt, const DSRCodedEntryValue &name, bool child = false)
    {
        const DSRTypes::E_AddMode mode = (child || m_firstChild) ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent;
        m_firstChild = false;
        if (m_tree.addContentItem(rel, vt, mode) == 0) return EC_IllegalCall;
        return m_tree.getCurrentContentItem().setConceptName(name);
    }
    void expectChild() { m_firstChild = true; }
    DSRContentItem &item() { return m_tree.getCurrentContentItem(); }
    OFCondition text(const DSRCodedEntryValue &name, const QString &value)
    {
        OFCondition c = add(DSRTypes::RT_contains, DSRTypes::VT_Text, name);
        return c.good() ? item().setStringValue(latin(value.isEmpty() ? QStringLiteral("(not recorded)") : value)) : c;
    }
    OFCondition num(const DSRCodedEntryValue &name, const QString &value, const DSRCodedEntryValue &unit)
    {
        OFCondition c = add(DSRTypes::RT_contains, DSRTypes::VT_Num, name);
        return c.good() ? item().setNumericValue(DSRNumericMeasurementValue(latin(value), unit)) : c;
    }
    OFCondition yesNo(const DSRCodedEntryValue &name, bool yes)
    {
        OFCondition c = add(DSRTypes::RT_contains, DSRTypes::VT_Code, name);
        return c.good() ? item().setCodeValue(yes ? DSRCodedEntryValue("373066001", "SCT", "Yes") : DSRCodedEntryValue("373067005", "SCT", "No")) : c;
    }
private:
    DSRDocumentTree &m_tree;
    bool m_firstChild = true;
};

const DSRCodedEntryValue kPercent("%", "UCUM", "percent");
const DSRCodedEntryValue kScore("{score}", "UCUM", "score");

} // namespace

QString newDicomUid() { return dicomdetail::uidFromUuidBytes(QUuid::createUuid().toRfc4122()); }

QString dicomdetail::uidFromUuidBytes(const QByteArray &bytes)
{
    const QByteArray hex = bytes.left(16).toHex();
    // 128-bit unsigned to decimal by repeated division of the hex digits.
    std::vector<int> digits;
    for (char c : hex) digits.push_back(QByteArray(1, c).toInt(nullptr, 16));
    QString dec;
    while (!digits.empty()) {
        std::vector<int> q;
        int rem = 0;
        for (int d : digits) {
            const int cur = rem * 16 + d;
            if (!q.empty() || cur / 10) q.push_back(cur / 10);
            rem = cur % 10;
        }
        dec.prepend(QChar('0' + rem));
        digits = q;
    }
    return QStringLiteral("2.25.") + dec;
}

Result<WrittenObject> writeResultSr(const ResultDocument &d, const QString &path)
{
    if (auto s = requireSource(d.source, path); !s) return s.error();
    const DicomInstanceInfo &src = d.source;
    DSRDocument doc(DSRTypes::DT_ComprehensiveSR);
    doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
    doc.createNewSeriesInStudy(latin(src.studyUid));
    doc.setPatientName(latin(src.patientName));
    doc.setPatientID(latin(src.patientId));
    if (!src.issuerOfPatientId.isEmpty()) doc.setIssuerOfPatientID(latin(src.issuerOfPatientId));
    doc.setPatientBirthDate(latin(src.patientBirthDate), OFFalse);
    doc.setPatientSex(latin(src.patientSex), OFFalse);
    doc.setStudyDate(latin(src.studyDate), OFFalse);
    doc.setStudyTime(latin(src.studyTime), OFFalse);
    doc.setAccessionNumber(latin(src.accessionNumber), OFFalse);
    doc.setStudyDescription(latin(src.studyDescription), OFFalse);
    doc.setSeriesDescription("ClinSight AI result - not a diagnosis");
    doc.setSeriesNumber(latin(QString::number(d.seriesNumber)));
    doc.setInstanceNumber(latin(QString::number(d.instanceNumber)));
    doc.setManufacturer("ClinSight");
    doc.setManufacturerModelName(latin(d.modelName));
    doc.setSoftwareVersions(latin(d.modelVersion));
    doc.setContentDate(latin(d.created.toString(QStringLiteral("yyyyMMdd"))));
    doc.setContentTime(latin(d.created.toString(QStringLiteral("HHmmss"))));
    doc.getCodingSchemeIdentification().addItem(kScheme, kSchemeUid, "ClinSight AI result concepts", "ClinSight project");
    doc.getCurrentRequestedProcedureEvidence().addItem(latin(src.studyUid), latin(src.seriesUid), latin(src.sopClassUid), latin(src.sopInstanceUid));

    DSRDocumentTree &tree = doc.getTree();
    TreeWriter w(tree);
    OFCondition c = EC_Normal;
    const auto step = [&](OFCondition r) { if (c.good()) c = r; };
    if (tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) == 0) return makeError(Error::Code::Internal, path, QStringLiteral("SR root"), QStringLiteral("not created"));
    step(tree.getCurrentContentItem().setConceptName(concept("CS-0001", "ClinSight AI triage result")));
    w.expectChild();
    step(w.text(concept("CS-0002", "Disclaimer"), d.disclaimer));
    step(w.text(DSRCodedEntryValue("111001", "DCM", "Algorithm Name"), d.modelName));
    step(w.text(DSRCodedEntryValue("111003", "DCM", "Algorithm Version"), d.modelVersion));
    step(w.text(concept("CS-0003", "Model weights SHA-256"), d.weightsSha256));
    step(w.text(concept("CS-0004", "Model bundle signed by"), d.modelSigner));
    step(w.num(concept("CS-0010", "Pneumonia risk (image branch)"), pct(d.image.risk), kPercent));
    // The risk is inferred from the scored image.
    step(w.add(DSRTypes::RT_inferredFrom, DSRTypes::VT_Image, concept("CS-0020", "Source image"), true));
    if (c.good()) step(w.item().setImageReference(DSRImageReferenceValue(latin(src.sopClassUid), latin(src.sopInstanceUid))));
    if (c.good() && tree.goUp() == 0) c = EC_IllegalCall;
    step(w.num(concept("CS-0011", "Alert level (image branch)"), pct(d.image.threshold), kPercent));
    step(w.yesNo(concept("CS-0012", "Above alert level (image branch)"), d.image.alert));
    if (d.vitals) {
        step(w.num(concept("CS-0013", "Sepsis risk (vitals branch)"), pct(d.vitals->risk), kPercent));
        step(w.num(concept("CS-0014", "Alert level (vitals branch)"), pct(d.vitals->threshold), kPercent));
        step(w.yesNo(concept("CS-0015", "Above alert level (vitals branch)"), d.vitals->alert));
    }
    if (d.fused) {
        step(w.num(concept("CS-0016", "Fused risk (image and vitals)"), pct(d.fused->risk), kPercent));
        step(w.num(concept("CS-0017", "Alert level (fused)"), pct(d.fused->threshold), kPercent));
        step(w.yesNo(concept("CS-0018", "Above alert level (fused)"), d.fused->alert));
    }
    if (d.news2) {
        step(w.num(concept("CS-0030", "NEWS2 score"), QString::number(*d.news2), kScore));
        if (d.news2Partial) step(w.text(concept("CS-0032", "Score note"), QStringLiteral("NEWS2 is partial: a component's input was missing and not scored")));
    }
    if (d.qsofa) {
        step(w.num(concept("CS-0031", "qSOFA score"), QString::number(*d.qsofa), kScore));
        if (d.qsofaPartial) step(w.text(concept("CS-0032", "Score note"), QStringLiteral("qSOFA is partial: a component's input was missing and not scored")));
    }
    step(w.yesNo(concept("CS-0040", "Flagged for review"), d.flagged));
    for (const QString &n : d.notes) step(w.text(concept("CS-0041", "Input note"), n));
    if (c.bad()) return makeError(Error::Code::Internal, path, QStringLiteral("SR content"), QString::fromLatin1(c.text()));
    doc.completeDocument();

    DcmFileFormat ff;
    c = doc.write(*ff.getDataset());
    if (c.bad()) return writeError(path, QStringLiteral("SR document"), c);
    c = ff.saveFile(path.toLocal8Bit().constData(), EXS_LittleEndianExplicit);
    if (c.bad()) return writeError(path, {}, c);
    if (auto st = protectFile(path); !st) return st.error();   // encrypted at rest in a signed-in workstation
    WrittenObject o;
    o.path = QFileInfo(path).absoluteFilePath();
    o.sopClassUid = QString::fromLatin1(UID_ComprehensiveSRStorage);
    OFString sop, series;
    ff.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, sop);
    ff.getDataset()->findAndGetOFString(DCM_SeriesInstanceUID, series);
    o.sopInstanceUid = QString::fromLatin1(sop.c_str());
    o.seriesUid = QString::fromLatin1(series.c_str());
    o.studyUid = src.studyUid;
    return o;
}

Result<WrittenObject> writeSecondaryCapture(const SecondaryCaptureDocument &d, const QString &path)
{
    if (auto s = requireSource(d.source, path); !s) return s.error();
    const DisplayFrame &f = d.rgb;
    if (f.channels != 3 || f.width <= 0 || f.height <= 0 || f.width > 65535 || f.height > 65535
        || f.pixels.size() != size_t(f.width) * size_t(f.height) * 3)
        return makeError(Error::Code::Invalid, path, QStringLiteral("pixels"), QStringLiteral("the capture must be an RGB frame of at most 65535 x 65535"));
    const DicomInstanceInfo &src = d.source;
    DcmFileFormat ff;
    DcmDataset *ds = ff.getDataset();
    WrittenObject o;
    o.sopClassUid = QString::fromLatin1(UID_SecondaryCaptureImageStorage);
    o.sopInstanceUid = newDicomUid();
    o.seriesUid = newDicomUid();
    o.studyUid = src.studyUid;
    const QString date = d.created.toString(QStringLiteral("yyyyMMdd")), time = d.created.toString(QStringLiteral("HHmmss"));
    OFCondition c = EC_Normal;
    const auto put = [&](const DcmTagKey &k, const QString &v) { if (c.good()) c = ds->putAndInsertString(k, latin(v).c_str()); };
    put(DCM_SpecificCharacterSet, QStringLiteral("ISO_IR 192"));
    put(DCM_SOPClassUID, o.sopClassUid);
    put(DCM_SOPInstanceUID, o.sopInstanceUid);
    put(DCM_ImageType, QStringLiteral("DERIVED\\SECONDARY"));
    put(DCM_InstanceCreationDate, date);
    put(DCM_InstanceCreationTime, time);
    put(DCM_PatientName, src.patientName);
    put(DCM_PatientID, src.patientId);
    if (!src.issuerOfPatientId.isEmpty()) put(DCM_IssuerOfPatientID, src.issuerOfPatientId);
    put(DCM_PatientBirthDate, src.patientBirthDate);
    put(DCM_PatientSex, src.patientSex);
    put(DCM_StudyInstanceUID, src.studyUid);
    put(DCM_StudyDate, src.studyDate);
    put(DCM_StudyTime, src.studyTime);
    put(DCM_ReferringPhysicianName, {});
    put(DCM_StudyID, {});
    put(DCM_AccessionNumber, src.accessionNumber);
    if (!src.studyDescription.isEmpty()) put(DCM_StudyDescription, src.studyDescription);
    put(DCM_Modality, QStringLiteral("OT"));
    put(DCM_SeriesInstanceUID, o.seriesUid);
    put(DCM_Laterality, {});
    put(DCM_SeriesNumber, QString::number(d.seriesNumber));
    put(DCM_SeriesDescription, QStringLiteral("ClinSight Grad-CAM overlay - not a diagnosis"));
    put(DCM_Manufacturer, QStringLiteral("ClinSight"));
    put(DCM_ConversionType, QStringLiteral("WSD"));
    put(DCM_SecondaryCaptureDeviceManufacturer, QStringLiteral("ClinSight"));
    put(DCM_SecondaryCaptureDeviceSoftwareVersions, d.softwareVersion);
    put(DCM_DateOfSecondaryCapture, date);
    put(DCM_TimeOfSecondaryCapture, time);
    put(DCM_InstanceNumber, QString::number(d.instanceNumber));
    put(DCM_PatientOrientation, {});
    put(DCM_ContentDate, date);
    put(DCM_ContentTime, time);
    put(DCM_DerivationDescription, d.derivationDescription.left(1024));
    put(DCM_BurnedInAnnotation, QStringLiteral("YES"));
    put(DCM_LossyImageCompression, isLossy(src.transferSyntaxUid) ? QStringLiteral("01") : QStringLiteral("00"));
    put(DCM_PhotometricInterpretation, QStringLiteral("RGB"));
    if (c.good()) {
        DcmItem *ref = nullptr;
        c = ds->findOrCreateSequenceItem(DCM_SourceImageSequence, ref, -2);
        if (c.good() && ref) {
            c = ref->putAndInsertString(DCM_ReferencedSOPClassUID, latin(src.sopClassUid).c_str());
            if (c.good()) c = ref->putAndInsertString(DCM_ReferencedSOPInstanceUID, latin(src.sopInstanceUid).c_str());
        }
    }
    if (c.good()) c = ds->putAndInsertUint16(DCM_SamplesPerPixel, 3);
    if (c.good()) c = ds->putAndInsertUint16(DCM_PlanarConfiguration, 0);
    if (c.good()) c = ds->putAndInsertUint16(DCM_Rows, Uint16(f.height));
    if (c.good()) c = ds->putAndInsertUint16(DCM_Columns, Uint16(f.width));
    if (c.good()) c = ds->putAndInsertUint16(DCM_BitsAllocated, 8);
    if (c.good()) c = ds->putAndInsertUint16(DCM_BitsStored, 8);
    if (c.good()) c = ds->putAndInsertUint16(DCM_HighBit, 7);
    if (c.good()) c = ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    if (c.good()) c = ds->putAndInsertUint8Array(DCM_PixelData, f.pixels.data(), static_cast<unsigned long>(f.pixels.size()));
    if (c.bad()) return makeError(Error::Code::Internal, path, QStringLiteral("secondary capture"), QString::fromLatin1(c.text()));
    c = ff.saveFile(path.toLocal8Bit().constData(), EXS_LittleEndianExplicit);
    if (c.bad()) return writeError(path, {}, c);
    if (auto st = protectFile(path); !st) return st.error();   // encrypted at rest in a signed-in workstation
    o.path = QFileInfo(path).absoluteFilePath();
    return o;
}

Result<QStringList> readSrContent(const QString &path)
{
    auto loaded = dicomdetail::loadDicomFile(path, false);
    if (!loaded) return loaded.error();
    DcmFileFormat &ff = *loaded.value();
    DSRDocument doc;
    OFCondition c = doc.read(*ff.getDataset());
    if (c.bad()) return makeError(Error::Code::Format, path, QStringLiteral("SR content"), QString::fromLatin1(c.text()));
    QStringList lines;
    DSRDocumentTree &tree = doc.getTree();
    if (tree.gotoRoot() == 0) return lines;
    do {
        DSRContentItem &item = tree.getCurrentContentItem();
        const QString name = QString::fromUtf8(item.getConceptName().getCodeMeaning().c_str());
        QString value;
        switch (item.getValueType()) {
        case DSRTypes::VT_Num:
            if (auto *n = item.getNumericValuePtr())
                value = QString::fromLatin1(n->getNumericValue().c_str()) + QLatin1Char(' ') + QString::fromUtf8(n->getMeasurementUnit().getCodeValue().c_str());
            break;
        case DSRTypes::VT_Code:
            if (auto *v = item.getCodeValuePtr()) value = QString::fromUtf8(v->getCodeMeaning().c_str());
            break;
        case DSRTypes::VT_Image:
            if (auto *v = item.getImageReferencePtr()) value = QString::fromLatin1(v->getSOPInstanceUID().c_str());
            break;
        case DSRTypes::VT_Container: break;
        default: value = QString::fromUtf8(item.getStringValue().c_str());
        }
        lines << (value.isEmpty() ? name : name + QStringLiteral(" = ") + value);
    } while (tree.iterate() != 0);
    return lines;
}

} // namespace cs
