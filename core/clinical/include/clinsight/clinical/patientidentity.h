#pragma once
// Who a patient is, kept apart from how the worklist names them. The
// identity survives re-imports and never merges two patients because their
// folders share a name:
//   1. the hospital identifier: DICOM Patient ID (+ Issuer of Patient ID), else
//      the identifier recorded in the vitals file, else one declared in
//      patient.json ("patient_id", "issuer");
//   2. without any identifier: the absolute folder the patient was imported from.
// The sources are also cross-checked: an image and a vitals record (or a
// declared identity) of different patients are a conflict the user must see.
// Plain values, reentrant.
#include "clinsight/dicom/dicom.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <QString>

namespace cs {

// What patient.json declares about who the patient is (all optional).
struct DeclaredIdentity {
    QString patientId, issuer, name, birthDate;   // birthDate as YYYYMMDD or YYYY-MM-DD
};

struct PatientIdentity {
    QString patientId, issuer;      // the hospital identifier chosen by the rule above
    QString idSource;               // "DICOM", "vitals record", "patient.json" or empty
    QString importSource;           // absolute folder (or file) imported from
    QString key() const;            // the database key: "id:<issuer>/<id>" or "folder:<path>"
    QString basis() const;          // in words, for the risk panel and the record
};

struct IdentityCheck {
    PatientIdentity identity;
    QString conflict;               // empty when consistent; else what differs, in words
    QStringList notes;              // what could not be checked
};

// Builds the identity from whatever sources are present (null when absent).
IdentityCheck checkIdentity(const DicomInstanceInfo *image, const VitalsTimeline *vitals, const DeclaredIdentity &declared,
                            const QString &importSource);

} // namespace cs
