#pragma once
// One patient scored end to end, as both the worklist (GUI) and headless
// triage need it: the image (first displayable frame) and the vitals record
// loaded, the early-warning scores per hour, each model branch where it
// applies, the fused risk, and what was missing or not applicable.
//
// Cohort folder layout (the demo's, and `clinsight-cli triage DIR`):
//   DIR/<patient-id>/patient.json   optional {"name": "...", "description": "...", "image_hour": 12}
//                                   image_hour: when the image was taken, in hours of the vitals record,
//                                   for sources without wall-clock times (PhysioNet hours)
//   DIR/<patient-id>/*.dcm|*.png    images (the first readable one is scored)
//   DIR/<patient-id>/*.psv|*.csv|*.txt|*.json (not patient.json)  vitals
#include "earlywarning.h"
#include "job.h"
#include "model.h"

#include <optional>

namespace cs {

struct PatientInputs {
    QString id, displayName, description;
    QString folder;
    QStringList imagePaths;
    QString vitalsPath;
    std::optional<double> imageHour;   // from patient.json
};

struct PatientAssessment {
    PatientInputs inputs;
    std::optional<DicomInstanceInfo> imageInfo;   // absent for PNG
    QString imagePath;
    std::optional<DisplayFrame> frame;            // the scored frame (first)
    std::optional<VitalsTimeline> vitals;
    std::vector<HourlyScores> scores;             // per hour
    std::optional<ImageRisk> image;
    std::optional<VitalsRisk> vitalsRisk;
    FusedRisk fused;
    QStringList notes;                            // what was missing, skipped, not applicable
    QString imageSha256, vitalsSha256;
    QString modelName, modelVersion;
    bool flagged = false;                         // any model output above its threshold
    double priority = 0;                          // sort key: fused risk, else the highest branch risk
    std::vector<int> topAttentionHours;           // most-attended hours of the last hour's attention
    const HourlyScores *lastScores() const { return scores.empty() ? nullptr : &scores.back(); }
};

Result<std::vector<PatientInputs>> readCohort(const QString &dir);
// The bundled demo cohort: installed share/clinsight/demo, else resources/demo in the source tree.
QString demoCohortDir();
// model may be null: scores only, and the notes say the model is unavailable.
Result<PatientAssessment> assessPatient(const HybridModel *model, const PatientInputs &in, bool withGradCam);
// Every patient of a cohort, most urgent first; failures are kept as notes, never dropped.
Result<std::vector<PatientAssessment>> triageCohort(const HybridModel *model, const QString &dir, JobControl &control);
void sortByUrgency(std::vector<PatientAssessment> &list);

} // namespace cs
