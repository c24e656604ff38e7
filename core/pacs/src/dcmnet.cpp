#include "dcmnet_p.h"
#include "clinsight/foundation/environment.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/oflog/oflog.h>

#include <mutex>

namespace cs::pacs {

namespace {
const char *const kCompressed[] = {
    UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax,
    UID_JPEGLSLosslessTransferSyntax, UID_JPEGLSLossyTransferSyntax,
    UID_JPEGProcess14SV1TransferSyntax, UID_JPEGProcess14TransferSyntax,
    UID_JPEGProcess1TransferSyntax, UID_JPEGProcess2_4TransferSyntax,
    UID_RLELosslessTransferSyntax, UID_DeflatedExplicitVRLittleEndianTransferSyntax,
};
const char *const kUncompressed[] = {
    UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
};
} // namespace

OFList<OFString> receivingTransferSyntaxes()
{
    OFList<OFString> l;
    for (const char *u : kCompressed) l.push_back(u);
    for (const char *u : kUncompressed) l.push_back(u);
    return l;
}

OFList<OFString> uncompressedTransferSyntaxes()
{
    OFList<OFString> l;
    l.push_back(UID_LittleEndianExplicitTransferSyntax);
    l.push_back(UID_LittleEndianImplicitTransferSyntax);
    return l;
}

QStringList receivableTransferSyntaxUids()
{
    QStringList l;
    for (const char *u : kUncompressed) l << QString::fromLatin1(u);
    for (const char *u : kCompressed) l << QString::fromLatin1(u);
    return l;
}

QStringList allStorageSopClasses()
{
    QStringList l;
    for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i) l << QString::fromLatin1(dcmAllStorageSOPClassUIDs[i]);
    return l;
}

QStringList commonStorageSopClasses()
{
    return {QStringLiteral(UID_ComputedRadiographyImageStorage), QStringLiteral(UID_DigitalXRayImageStorageForPresentation),
            QStringLiteral(UID_DigitalXRayImageStorageForProcessing), QStringLiteral(UID_CTImageStorage),
            QStringLiteral(UID_MRImageStorage), QStringLiteral(UID_UltrasoundImageStorage),
            QStringLiteral(UID_UltrasoundMultiframeImageStorage), QStringLiteral(UID_SecondaryCaptureImageStorage),
            QStringLiteral(UID_ComprehensiveSRStorage), QStringLiteral(UID_EnhancedSRStorage),
            QStringLiteral(UID_BasicTextSRStorage), QStringLiteral(UID_DigitalMammographyXRayImageStorageForPresentation)};
}

QString conditionText(const OFCondition &c)
{
    return QString::fromLatin1(c.text());
}

QString dimseStatusText(Uint16 s)
{
    QString what;
    switch (s) {
    case 0x0000: what = QStringLiteral("success"); break;
    case 0x0122: what = QStringLiteral("SOP class not supported"); break;
    case 0x0124: what = QStringLiteral("not authorised"); break;
    case 0xA700: case 0xA701: case 0xA702: what = QStringLiteral("refused: out of resources"); break;
    case 0xA801: what = QStringLiteral("move destination unknown"); break;
    case 0xA900: what = QStringLiteral("data set does not match SOP class"); break;
    case 0xB000: what = QStringLiteral("warning: some sub-operations failed"); break;
    case 0xFE00: what = QStringLiteral("cancelled"); break;
    case 0xFF00: case 0xFF01: what = QStringLiteral("pending"); break;
    default:
        if ((s & 0xF000) == 0xC000) what = QStringLiteral("unable to process");
        else if ((s & 0xF000) == 0xA000) what = QStringLiteral("refused");
        else if ((s & 0xF000) == 0xB000) what = QStringLiteral("warning");
        else what = QStringLiteral("failure");
    }
    return QStringLiteral("0x%1 (%2)").arg(QStringLiteral("%1").arg(s, 4, 16, QLatin1Char('0')).toUpper(), what);
}

QString tagText(DcmItem *item, const DcmTagKey &key, bool all)
{
    OFString v;
    if (!item) return {};
    if (all ? item->findAndGetOFStringArray(key, v).bad() : item->findAndGetOFString(key, v).bad()) return {};
    return QString::fromUtf8(v.c_str()).trimmed();
}

int tagInt(DcmItem *item, const DcmTagKey &key)
{
    bool ok = false;
    const int n = tagText(item, key).toInt(&ok);
    return ok ? n : -1;
}

bool isDimseSuccess(Uint16 s) { return s == 0x0000; }
bool isDimsePending(Uint16 s) { return s == 0xFF00 || s == 0xFF01; }
bool isDimseWarning(Uint16 s) { return s == 0x0001 || (s & 0xF000) == 0xB000; }

void configureDcmtkLogging()
{
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(cs::env::dcmtkLogging() ? OFLogger::DEBUG_LOG_LEVEL : OFLogger::OFF_LOG_LEVEL);
    });
}

} // namespace cs::pacs
