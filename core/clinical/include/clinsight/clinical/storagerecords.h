#pragma once
// A patient's assessment as the plain records the clinical database stores
// (storage sits below clinical and never sees PatientAssessment). Reentrant.
#include "clinsight/clinical/assessment.h"
#include "clinsight/storage/clinicalstore.h"

namespace cs {

PatientRecord patientRecord(const PatientAssessment &a);   // keyed by a.identity.key()
InferenceRecord inferenceRecord(const PatientAssessment &a);

} // namespace cs
