#pragma once
// A cohort folder read and triaged: every patient assessed, the worklist
// sorted most urgent first (flagged, then risk, then NEWS2). Runs as a job.
//
// Cohort folder layout (the demo's, and `clinsight-cli triage DIR`):
//   DIR/<patient-id>/patient.json   optional {"name": "...", "description": "...", "image_hour": 12}
//                                   image_hour: when the image was taken, in hours of the vitals record,
//                                   for sources without wall-clock times (PhysioNet hours)
//   DIR/<patient-id>/*.dcm|*.png    images (the first readable one is scored)
//   DIR/<patient-id>/*.psv|*.csv|*.txt|*.json (not patient.json)  vitals
#include "clinsight/clinical/assessment.h"

#include <functional>

namespace cs {

Result<std::vector<PatientInputs>> readCohort(const QString &dir);
// Every patient of a cohort, most urgent first; failures are kept as notes, never dropped.
// The assessments hold no pixels: each patient's frame is released once scored (imagePath
// and imageInfo still name the image), so a worklist of hundreds of full-size films costs
// their scores, not their films; opening a patient reads its image again (assessPatient).
// onAssessed, when given, is called on the job's thread with each patient as soon as it
// is assessed (or could not be), in cohort order: a worklist can list them while the rest are scored.
Result<std::vector<PatientAssessment>> triageCohort(const HybridModel *model, const QString &dir, JobControl &control,
                                                    const std::function<void(const PatientAssessment &)> &onAssessed = {});
void sortByUrgency(std::vector<PatientAssessment> &list);

} // namespace cs
