#pragma once
// One patient scored end to end, as both the worklist (GUI) and headless
// triage need it: the image (first displayable frame) and the vitals record
// loaded, the early-warning scores per hour, each model branch where it
// applies, the fused risk, and what was missing or not applicable.
// Reentrant: assessPatient may run on any worker thread.
#include "clinsight/clinical/patientidentity.h"
#include "clinsight/scores/hourlyscores.h"
#include "clinsight/foundation/job.h"
#include "clinsight/model/hybridmodel.h"

#include <optional>

namespace cs {

struct PatientInputs {
    QString id;                        // the cohort folder's name: a label within one import, never the
                                       // patient's identity (PatientAssessment::identity is)
    QString displayName, description;
    QString folder;                    // absolute
    QStringList imagePaths;
    QString vitalsPath;
    std::optional<double> imageHour;   // from patient.json
    DeclaredIdentity declared;         // from patient.json
    QString problem;                   // why this patient cannot be read (e.g. a malformed patient.json)
};

struct PatientAssessment {
    PatientInputs inputs;
    std::optional<DicomInstanceInfo> imageInfo;   // absent for PNG
    QString imagePath;
    std::optional<DisplayFrame> frame;            // the scored frame (first); released by triageCohort
    std::optional<VitalsTimeline> vitals;
    std::vector<HourlyScores> scores;             // per hour
    std::optional<ImageRisk> image;
    std::optional<VitalsRisk> vitalsRisk;
    FusedRisk fused;
    PatientIdentity identity;                     // who this is: the database key and its basis
    QString identityConflict;                     // non-empty: image, vitals or patient.json are of different
                                                  // patients; no fused risk, the GUI blocks until acknowledged
    QString failure;                              // non-empty: the patient could not be assessed at all, and why
    QStringList notes;                            // what was missing, skipped, not applicable
    QString imageSha256, vitalsSha256;
    QString modelName, modelVersion;
    QString modelSigner;   // who signed the bundle (BundleSignature::summary()), verified when it was loaded
    bool flagged = false;                         // any model output above its threshold
    double priority = 0;                          // sort key: fused risk, else the highest branch risk
    std::vector<int> topAttentionHours;           // most-attended hours of the last hour's attention
    const HourlyScores *lastScores() const { return scores.empty() ? nullptr : &scores.back(); }
};

// model may be null: scores only, and the notes say the model is unavailable.
Result<PatientAssessment> assessPatient(const HybridModel *model, const PatientInputs &in, bool withGradCam);
} // namespace cs
