#include "clinsight/model/applicability.h"

namespace cs {

bool imageBranchApplies(const DicomInstanceInfo &info, QString *reason)
{
    auto no = [reason](const QString &r) { if (reason) *reason = r; return false; };
    const QString m = info.modality.toUpper();
    if (m != QLatin1String("CR") && m != QLatin1String("DX"))
        return no(QStringLiteral("modality %1: the image branch applies to chest radiographs (CR/DX) only")
                      .arg(m.isEmpty() ? QStringLiteral("unknown") : m));
    const QString b = info.bodyPart.toUpper();
    if (!b.isEmpty() && b != QLatin1String("CHEST") && b != QLatin1String("THORAX"))
        return no(QStringLiteral("body part %1: the image branch applies to chest radiographs only").arg(b));
    if (info.samplesPerPixel != 1)
        return no(QStringLiteral("colour image: the image branch reads greyscale radiographs only"));
    return true;
}

} // namespace cs
