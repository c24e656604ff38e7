#pragma once
// When the image was taken, in hours of the patient's vitals timeline, so
// the timeline can mark it. The rule: from wall-clock times when both the
// DICOM (acquisition/content/study date+time) and the vitals record carry
// them; else from the cohort's patient.json "image_hour" (sources such as
// PhysioNet keep hours only); else unknown. Reentrant.
#include "clinsight/clinical/assessment.h"

#include <optional>

namespace cs {

struct ImageTiming {
    enum class Source { WallClock, PatientJson };
    double hours = 0;      // hours after the vitals record's start
    Source source = Source::WallClock;
};

std::optional<ImageTiming> imageTimeOnTimeline(const PatientAssessment &a);

} // namespace cs
