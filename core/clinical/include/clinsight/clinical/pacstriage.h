#pragma once
// The hospital side of triage: studies found on a PACS (DIMSE or DICOMweb),
// retrieved, scored (images alone when no vitals are mapped), listed most
// urgent first, and with storeResults one Comprehensive SR and one secondary
// capture with the Grad-CAM overlay per scored study sent back into the source
// study. Studies the image branch does not apply to are listed as such, with
// no SR. Runs as a job; every per-study failure is kept in its row, never dropped.
#include "clinsight/clinical/assessment.h"
#include "clinsight/dicom/resultobjects.h"
#include "clinsight/pacs/dimse.h"
#include "clinsight/pacs/query.h"

#include <optional>

namespace cs {

// The objects ClinSight writes for one assessed patient, into outDir:
// <SOPInstanceUID>.sr.dcm and .sc.dcm. NotApplicable when the image branch did not score
// the image (no result to report), Invalid when Grad-CAM was not computed.
Result<std::vector<WrittenObject>> writeResultObjects(const PatientAssessment &a, const HybridModel &model, const QString &outDir);
ResultDocument resultDocumentOf(const PatientAssessment &a, const HybridModel &model);

// A retrieved study folder as a patient to assess: every instance but ClinSight's own results.
PatientInputs studyFolderInputs(const QString &folder, const QString &label);

struct PacsTriageParams {
    PacsNode node;
    bool dicomWeb = false;                       // QIDO/WADO/STOW instead of C-FIND/C-MOVE|C-GET/C-STORE
    RetrieveMethod method = RetrieveMethod::Move;
    StudyQuery query;
    QString workDir;                             // studies land in workDir/<StudyUID>, results in workDir/results
    bool storeResults = false;
};

struct PacsTriageStudy {
    StudyMatch match;
    QString failure;                             // retrieve, scoring or store error, naming node and step
    std::optional<PatientAssessment> assessment;
    bool applicable = false;                     // the image branch scored an image of this study
    std::vector<WrittenObject> results;          // written (and, with storeResults, stored)
    bool resultsStored = false;
};

Result<std::vector<PacsTriageStudy>> triagePacs(const HybridModel *model, const PacsTriageParams &params, JobControl &control);
// Most urgent first: scored and flagged, then by priority; failures last.
void sortPacsWorklist(std::vector<PacsTriageStudy> &list);

} // namespace cs
