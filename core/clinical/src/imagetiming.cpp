#include "clinsight/clinical/imagetiming.h"

namespace cs {

std::optional<ImageTiming> imageTimeOnTimeline(const PatientAssessment &a)
{
    if (!a.vitals || !a.frame) return std::nullopt;
    if (a.vitals->start && a.imageInfo && !a.imageInfo->acquisitionDateTime.isEmpty()) {
        const QDateTime acq = QDateTime::fromString(a.imageInfo->acquisitionDateTime, Qt::ISODate);
        if (acq.isValid()) return ImageTiming{a.vitals->start->secsTo(acq) / 3600.0, ImageTiming::Source::WallClock};
    }
    if (a.inputs.imageHour) return ImageTiming{*a.inputs.imageHour, ImageTiming::Source::PatientJson};
    return std::nullopt;
}

} // namespace cs
