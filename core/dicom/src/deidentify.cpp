// DICOM PS3.15 Basic Application Level Confidentiality Profile with the Retain
// Longitudinal Temporal Information with Modified Dates Option (deidentify.h).
#include "clinsight/dicom/deidentify.h"

#include "dicom_p.h"

#include <QCryptographicHash>
#include <QDate>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QStringList>
#include <QUuid>

#include <map>

namespace cs {

namespace {

enum class Action { Remove, Empty, Pseudonym };

// PS3.15 Table E.1-1, the attributes the basic profile removes (X) or empties (Z), by tag.
// UIDs (U), dates (option: shifted) and person names are handled by their VR wherever they are.
const std::map<DcmTagKey, Action> &profile()
{
    static const std::map<DcmTagKey, Action> t = [] {
        std::map<DcmTagKey, Action> m;
        const std::initializer_list<std::pair<Uint16, Uint16>> removed = {
            {0x0008, 0x0015}, {0x0008, 0x0024}, {0x0008, 0x0025}, {0x0008, 0x0034}, {0x0008, 0x0035}, {0x0008, 0x0080},
            {0x0008, 0x0081}, {0x0008, 0x0082}, {0x0008, 0x0092}, {0x0008, 0x0094}, {0x0008, 0x0096}, {0x0008, 0x0201},
            {0x0008, 0x1010}, {0x0008, 0x1030}, {0x0008, 0x103E}, {0x0008, 0x1040}, {0x0008, 0x1048}, {0x0008, 0x1049},
            {0x0008, 0x1050}, {0x0008, 0x1052}, {0x0008, 0x1060}, {0x0008, 0x1062}, {0x0008, 0x1070}, {0x0008, 0x1072},
            {0x0008, 0x1080}, {0x0008, 0x1084}, {0x0008, 0x1110}, {0x0008, 0x1111}, {0x0008, 0x1120}, {0x0008, 0x2111},
            {0x0008, 0x4000},
            {0x0010, 0x0021}, {0x0010, 0x0032}, {0x0010, 0x0050}, {0x0010, 0x0101}, {0x0010, 0x0102}, {0x0010, 0x1000},
            {0x0010, 0x1001}, {0x0010, 0x1002}, {0x0010, 0x1005}, {0x0010, 0x1010}, {0x0010, 0x1020}, {0x0010, 0x1030},
            {0x0010, 0x1040}, {0x0010, 0x1050}, {0x0010, 0x1060}, {0x0010, 0x1080}, {0x0010, 0x1081}, {0x0010, 0x1090},
            {0x0010, 0x2000}, {0x0010, 0x2110}, {0x0010, 0x2150}, {0x0010, 0x2152}, {0x0010, 0x2154}, {0x0010, 0x2160},
            {0x0010, 0x2180}, {0x0010, 0x21A0}, {0x0010, 0x21B0}, {0x0010, 0x21C0}, {0x0010, 0x21D0}, {0x0010, 0x21F0},
            {0x0010, 0x2203}, {0x0010, 0x2297}, {0x0010, 0x2299}, {0x0010, 0x4000},
            {0x0018, 0x1000}, {0x0018, 0x1004}, {0x0018, 0x1005}, {0x0018, 0x1008}, {0x0018, 0x1010}, {0x0018, 0x1030},
            {0x0018, 0x1400}, {0x0018, 0x4000}, {0x0018, 0x700A}, {0x0018, 0x9424}, {0x0018, 0xA003},
            {0x0020, 0x4000}, {0x0020, 0x9158}, {0x0028, 0x4000},
            {0x0032, 0x0012}, {0x0032, 0x1020}, {0x0032, 0x1021}, {0x0032, 0x1030}, {0x0032, 0x1032}, {0x0032, 0x1033},
            {0x0032, 0x1060}, {0x0032, 0x1070}, {0x0032, 0x4000},
            {0x0038, 0x0010}, {0x0038, 0x0011}, {0x0038, 0x0020}, {0x0038, 0x0040}, {0x0038, 0x0050}, {0x0038, 0x0060},
            {0x0038, 0x0061}, {0x0038, 0x0062}, {0x0038, 0x0300}, {0x0038, 0x0400}, {0x0038, 0x0500}, {0x0038, 0x4000},
            {0x0040, 0x0001}, {0x0040, 0x0002}, {0x0040, 0x0004}, {0x0040, 0x0006}, {0x0040, 0x0007}, {0x0040, 0x000B},
            {0x0040, 0x0010}, {0x0040, 0x0011}, {0x0040, 0x0012}, {0x0040, 0x0241}, {0x0040, 0x0242}, {0x0040, 0x0243},
            {0x0040, 0x0244}, {0x0040, 0x0248}, {0x0040, 0x0253}, {0x0040, 0x0254}, {0x0040, 0x0275}, {0x0040, 0x0280},
            {0x0040, 0x0555}, {0x0040, 0x1001}, {0x0040, 0x1004}, {0x0040, 0x1005}, {0x0040, 0x1010}, {0x0040, 0x1011},
            {0x0040, 0x1101}, {0x0040, 0x1102}, {0x0040, 0x1103}, {0x0040, 0x1400}, {0x0040, 0x2001}, {0x0040, 0x2008},
            {0x0040, 0x2009}, {0x0040, 0x2010}, {0x0040, 0x2016}, {0x0040, 0x2017}, {0x0040, 0x2400}, {0x0040, 0x3001},
            {0x0040, 0x4025}, {0x0040, 0x4027}, {0x0040, 0x4030}, {0x0040, 0x4034}, {0x0040, 0x4035}, {0x0040, 0x4036},
            {0x0040, 0x4037}, {0x0040, 0xA027}, {0x0040, 0xA078}, {0x0040, 0xA07A}, {0x0040, 0xA07C}, {0x0040, 0xA088},
            {0x0070, 0x0001}, {0x0070, 0x0086}, {0x0088, 0x0200},
            {0x0400, 0x0100}, {0x0400, 0x0402}, {0x0400, 0x0403}, {0x0400, 0x0404}, {0x0400, 0x0550}, {0x0400, 0x0561},
            {0x4008, 0x0042}, {0x4008, 0x0102}, {0x4008, 0x010A}, {0x4008, 0x010B}, {0x4008, 0x010C}, {0x4008, 0x0111},
            {0x4008, 0x0114}, {0x4008, 0x0115}, {0x4008, 0x0118}, {0x4008, 0x0119}, {0x4008, 0x011A}, {0x4008, 0x0202},
            {0x4008, 0x0300}, {0x4008, 0x4000}, {0x300E, 0x0008}, {0xFFFA, 0xFFFA}, {0xFFFC, 0xFFFC}, {0x0002, 0x0016}};
        for (const auto &[g, e] : removed) m[DcmTagKey(g, e)] = Action::Remove;
        for (const auto &[g, e] : std::initializer_list<std::pair<Uint16, Uint16>>{
                 {0x0008, 0x0050}, {0x0008, 0x0090}, {0x0010, 0x0030}, {0x0010, 0x0040}, {0x0020, 0x0010}, {0x0070, 0x0084}})
            m[DcmTagKey(g, e)] = Action::Empty;
        m[DCM_PatientName] = Action::Pseudonym;
        m[DCM_PatientID] = Action::Pseudonym;
        return m;
    }();
    return t;
}

// UIDs that name a kind of thing, not an instance: kept even outside the standard's root.
bool isClassOrSchemeUid(const DcmTagKey &k)
{
    static const std::initializer_list<DcmTagKey> kept = {
        DCM_SOPClassUID, DCM_ReferencedSOPClassUID, DCM_MediaStorageSOPClassUID, DCM_TransferSyntaxUID, DCM_CodingSchemeUID,
        DCM_ContextUID, DCM_MappingResourceUID, DCM_ReferencedSOPClassUIDInFile, DCM_ContextGroupExtensionCreatorUID,
        DCM_ImplementationClassUID, DCM_RelatedGeneralSOPClassUID, DCM_OriginalSpecializedSOPClassUID, DCM_SOPClassesInStudy,
        DCM_ReferencedTransferSyntaxUIDInFile, DCM_PrivateInformationCreatorUID};
    for (const DcmTagKey &t : kept)
        if (t == k) return true;
    return false;
}

bool burnsInText(const QString &modality)
{
    static const QStringList m = {"US", "XA", "RF", "ES", "XC", "GM", "OT", "SC", "DOC", "IVUS"};
    return m.contains(modality.trimmed().toUpper());
}

QString shiftedDate(const QString &value, int days)
{
    const QDate d = QDate::fromString(value.left(8), QStringLiteral("yyyyMMdd"));
    if (!d.isValid()) return {};   // never keep a date that could not be moved
    return d.addDays(days).toString(QStringLiteral("yyyyMMdd")) + value.mid(8);
}

struct Walker {
    const DeidentifyOptions &o;
    bool isSr = false;

    void put(DcmElement *el, const QString &v) { el->putString(v.toLatin1().constData()); }

    void walk(DcmItem *item)
    {
        for (long i = long(item->card()) - 1; i >= 0; --i) {
            DcmElement *el = item->getElement(unsigned(i));
            const DcmTag tag = el->getTag();
            const Uint16 g = tag.getGroup(), e = tag.getElement();
            const bool overlayText = (g & 0xFF00) == 0x6000 && (e == 0x3000 || e == 0x4000 || e == 0x0022 || e == 0x1500);
            const auto action = profile().find(DcmTagKey(g, e));
            if (tag.isPrivate() || (g & 0xFF00) == 0x5000 || overlayText || (action != profile().end() && action->second == Action::Remove)) {
                delete item->remove(el);
                continue;
            }
            if (action != profile().end()) {
                put(el, action->second == Action::Pseudonym ? o.patient.pseudonym : QString());
                continue;
            }
            if (el->ident() == EVR_SQ) {
                auto *sq = static_cast<DcmSequenceOfItems *>(el);
                for (unsigned long k = 0; k < sq->card(); ++k) walk(sq->getItem(k));
                continue;
            }
            OFString raw;
            el->getOFStringArray(raw);
            const QString value = QString::fromLatin1(raw.c_str());
            switch (el->ident()) {
            case EVR_UI: {
                if (value.isEmpty() || isClassOrSchemeUid(tag)) break;
                QStringList out;
                for (const QString &u : value.split('\\'))
                    out << (u.startsWith(QLatin1String("1.2.840.10008.")) ? u : deidentifiedUid(u, o.secret));
                put(el, out.join('\\'));
                break;
            }
            case EVR_DA:
            case EVR_DT: {
                if (value.isEmpty()) break;
                QStringList out;
                for (const QString &d : value.split('\\')) {
                    const QString s = shiftedDate(d.trimmed(), o.patient.dateShiftDays);
                    if (!s.isEmpty()) out << s;
                }
                put(el, out.join('\\'));
                break;
            }
            case EVR_PN:
                if (!value.isEmpty()) put(el, {});
                break;
            default:
                // Free text in a structured report's content may name anyone: removed, its item kept.
                if (isSr && tag == DCM_TextValue && !value.isEmpty()) put(el, QStringLiteral("(removed at de-identification)"));
                break;
            }
        }
    }
};

QString text(DcmItem *ds, const DcmTagKey &k) { return dicomdetail::str(ds, k).trimmed(); }

} // namespace

QByteArray newDeidentifySecret()
{
    QByteArray s(32, '\0');
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(s.data()), reinterpret_cast<quint32 *>(s.data() + s.size()));
    return s;
}

QString deidentifiedUid(const QString &uid, const QByteArray &secret)
{
    QByteArray h = QMessageAuthenticationCode::hash(uid.trimmed().toLatin1(), secret, QCryptographicHash::Sha256).left(16);
    h[6] = char((h[6] & 0x0F) | 0x40);   // shaped as a version-4 UUID, as 2.25 UIDs are (PS3.5 B.2)
    h[8] = char((h[8] & 0x3F) | 0x80);
    return dicomdetail::uidFromUuidBytes(h);
}

Result<QString> dicomPatientKey(const QString &path)
{
    auto ff = dicomdetail::loadDicomFile(path, true);
    if (!ff) return ff.error();
    DcmDataset *ds = ff.value()->getDataset();
    const QString id = text(ds, DCM_PatientID), issuer = text(ds, DCM_IssuerOfPatientID), name = text(ds, DCM_PatientName);
    if (!id.isEmpty()) return QStringLiteral("id:%1/%2").arg(issuer, id);
    if (!name.isEmpty()) return QStringLiteral("name:") + name;
    return QStringLiteral("unidentified");
}

Result<DeidentifiedFile> deidentifyDicomFile(const QString &input, const QString &output, const DeidentifyOptions &o)
{
    if (o.secret.size() < 16) return makeError(Error::Code::Invalid, input, QStringLiteral("secret"), QStringLiteral("no export key"));
    if (o.patient.pseudonym.trimmed().isEmpty()) return makeError(Error::Code::Invalid, input, QStringLiteral("pseudonym"), QStringLiteral("empty"));
    if (QFileInfo::exists(output)) return makeError(Error::Code::Io, output, {}, QStringLiteral("exists already; nothing overwritten"));
    auto loaded = dicomdetail::loadDicomFile(input, false);
    if (!loaded) return loaded.error();
    DcmFileFormat &ff = *loaded.value();
    DcmDataset *ds = ff.getDataset();
    // Pixels that may show a name: refused unless the user confirmed.
    if (ds->tagExists(DCM_PixelData) && !o.allowBurnedInAnnotation) {
        const QString burned = text(ds, DCM_BurnedInAnnotation).toUpper(), modality = text(ds, DCM_Modality);
        if (burned == QLatin1String("YES"))
            return makeError(Error::Code::Denied, input, QStringLiteral("BurnedInAnnotation (0028,0301)"),
                             QStringLiteral("YES: the pixels show text that may identify the patient; confirm to export it anyway"));
        if (burned.isEmpty() && burnsInText(modality))
            return makeError(Error::Code::Denied, input, QStringLiteral("BurnedInAnnotation (0028,0301)"),
                             QStringLiteral("not recorded, and %1 images often carry burned-in text; confirm to export it anyway").arg(modality));
    }
    DeidentifiedFile r;
    r.output = output;
    Walker w{o, text(ds, DCM_Modality) == QLatin1String("SR")};
    w.walk(ds);
    // What was done, as PS3.15 E.1.1 asks.
    OFCondition c = ds->putAndInsertString(DCM_PatientIdentityRemoved, "YES");
    if (c.good()) c = ds->putAndInsertString(DCM_LongitudinalTemporalInformationModified, "MODIFIED");
    if (c.good()) c = ds->putAndInsertString(DCM_DeidentificationMethod,
                                             "PS3.15 E.1-1 basic profile, modified dates (ClinSight)");
    if (c.good()) {
        ds->findAndDeleteElement(DCM_DeidentificationMethodCodeSequence);
        for (const auto &[value, meaning] : {std::pair<const char *, const char *>{"113100", "Basic Application Confidentiality Profile"},
                                             {"113107", "Retain Longitudinal Temporal Information Modified Dates Option"}}) {
            DcmItem *code = nullptr;
            c = ds->findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, code, -2);
            if (c.good()) c = code->putAndInsertString(DCM_CodeValue, value);
            if (c.good()) c = code->putAndInsertString(DCM_CodingSchemeDesignator, "DCM");
            if (c.good()) c = code->putAndInsertString(DCM_CodeMeaning, meaning);
            if (c.bad()) break;
        }
    }
    if (c.bad()) return makeError(Error::Code::Internal, input, QStringLiteral("de-identification attributes"), QString::fromLatin1(c.text()));
    r.sopInstanceUid = text(ds, DCM_SOPInstanceUID);
    // A new file meta header (from the de-identified data set), the pixel data in its own transfer syntax.
    const E_TransferSyntax xfer = ds->getOriginalXfer();
    const QString tmp = output + QStringLiteral(".part");
    c = ff.saveFile(OFFilename(tmp.toLocal8Bit().constData()), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_createNewMeta);
    if (c.bad()) {
        QFile::remove(tmp);
        return makeError(Error::Code::Io, output, {}, QStringLiteral("cannot write: %1").arg(QString::fromLatin1(c.text())));
    }
    if (!QFile::rename(tmp, output)) {
        QFile::remove(tmp);
        return makeError(Error::Code::Io, output, {}, QStringLiteral("cannot write"));
    }
    return r;
}

} // namespace cs
