#include "clinsight/model/vitalslayout.h"

namespace cs {

QString vitalsLayoutName(VitalsLayout layout)
{
    return layout == VitalsLayout::Query ? QStringLiteral("lstm-query-attention-context-v2")
                                         : QStringLiteral("lstm-additive-attention-v1");
}

std::optional<VitalsLayout> vitalsLayoutFromName(const QString &name)
{
    for (VitalsLayout l : {VitalsLayout::Additive, VitalsLayout::Query})
        if (name == vitalsLayoutName(l)) return l;
    return std::nullopt;
}

QString knownVitalsLayouts()
{
    return vitalsLayoutName(VitalsLayout::Additive) + QStringLiteral(", ") + vitalsLayoutName(VitalsLayout::Query);
}

} // namespace cs
