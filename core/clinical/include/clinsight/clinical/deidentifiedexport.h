#pragma once
// A de-identified copy of patients for research (DICOM PS3.15, deidentify.h):
// each patient gets one pseudonym ("CS-" + 10 hex digits) and one date offset
// (1 to 10 years back, whole days), both derived from the export's random
// secret, and the same pseudonym and offset are applied to everything exported
// with the patient: the DICOM files (ClinSight's own SR and secondary capture
// results among them), the vitals record and patient.json.
//
// Output: OUT/<pseudonym>/ holding the DICOM files (<new SOP Instance UID>.dcm),
// the vitals (vitals.psv copied for PhysioNet 2019, whose rows hold no identifier
// or wall-clock time; vitals.csv in the generic long format, times shifted, for
// long CSV and FHIR sources) and patient.json (name and patient_id = pseudonym,
// image_hour kept; description, issuer, patient name and birth date dropped).
// OUT/<pseudonym> is itself a ClinSight patient folder. PNG/JPEG images carry no
// annotation flag: refused unless burned-in text is confirmed, then re-encoded
// without any metadata. Nothing is written for an input that fails; each such
// input is listed with the reason. The secret is never written; with a mapping
// file the data custodian gets the original -> pseudonym table (owner-only).
#include "clinsight/clinical/assessment.h"
#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"

#include <QStringList>
#include <functional>
#include <vector>

namespace cs {

struct DeidentifyExportOptions {
    bool allowBurnedInAnnotation = false;
    QString mappingFile;   // empty: none written
    // When set, each patient folder is assessed and its results.json written with it
    // (writeDeidentifiedResults below).
    std::function<Result<PatientAssessment>(const PatientInputs &)> assess;
};

struct DeidentifyExportItem {
    QString input, output;      // output empty when not written
    QString pseudonym;
    QString problem;            // why not written
    bool refusedForBurnedInText = false;
};

struct DeidentifyExportResult {
    std::vector<DeidentifyExportItem> items;
    int written = 0, refused = 0, failed = 0, patients = 0;
};

// inputs: DICOM files, patient folders or cohort folders (one sub-folder per patient).
// The result lists every input file; an Error only when OUT cannot be used at all.
Result<DeidentifyExportResult> exportDeidentified(const QStringList &inputs, const QString &outDir, const DeidentifyExportOptions &options,
                                                  JobControl *control = nullptr);

// ClinSight's results for the patient, exported with them as results.json: the model's
// identity, each branch's risk and alert, the fused risk and shares, the risk per
// hour of the vitals record, NEWS2 and qSOFA at its last hour, the disclaimer.
// Identifiers, file names, content hashes and free-text notes are left out; hours
// count from the start of the vitals record (no wall-clock time).
Status writeDeidentifiedResults(const PatientAssessment &a, const QString &pseudonym, const QString &path);

// The pseudonym an export gave the patient folder folder (empty when none of its files was written).
QString pseudonymOfFolder(const DeidentifyExportResult &r, const QString &folder);

} // namespace cs
