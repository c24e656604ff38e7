#pragma once
// De-identification of DICOM files for research export: the Basic Application
// Level Confidentiality Profile of DICOM PS3.15 (Annex E, Table E.1-1) with the
// Retain Longitudinal Temporal Information with Modified Dates Option.
//
// At every nesting level: the attributes the profile lists are removed,
// emptied or replaced (patient name and ID by a pseudonym); every other person
// name is emptied; private attributes and curve/overlay text are removed;
// every instance UID (any UI value outside the DICOM standard's own root
// 1.2.840.10008 except class, syntax and coding-scheme UIDs) is replaced by a
// UID derived from it with the export's secret key (HMAC-SHA-256 -> 2.25.*),
// so one input study becomes one output study and references stay consistent
// within an export; dates (DA, and the date of DT) move by the patient's
// offset, times are kept. Patient Identity Removed YES, Longitudinal Temporal
// Information Modified MODIFIED, De-identification Method and its Code Sequence
// (113100, 113107) are written. Pixel data and transfer syntax are unchanged.
//
// Images that may show text in their pixels are refused unless the caller
// confirms: Burned In Annotation YES, or absent for modalities that burn text
// in (US, XA, RF, ES, XC, GM, OT, SC, DOC). Reentrant.
#include "clinsight/foundation/error.h"

#include <QByteArray>
#include <QString>

namespace cs {

struct DeidentifyPatient {
    QString pseudonym;        // the new Patient Name and Patient ID
    int dateShiftDays = 0;    // added to every date
};

struct DeidentifyOptions {
    QByteArray secret;                 // the export's UID key (random per export, never written)
    DeidentifyPatient patient;
    bool allowBurnedInAnnotation = false;   // the user confirmed images that may show text
};

struct DeidentifiedFile {
    QString output;
    QString sopInstanceUid;   // the new one (the exporter names the file after it)
};

// The original patient's key ("issuer/id", else the name) of a DICOM file, for
// choosing its DeidentifyPatient; empty with an error for a file that is not DICOM.
Result<QString> dicomPatientKey(const QString &path);

// Writes the de-identified copy of input to output (which must not exist).
// Error::Code::Denied for an image refused for burned-in text (the reason says
// why), Format/Io for unreadable input; nothing is written on error.
Result<DeidentifiedFile> deidentifyDicomFile(const QString &input, const QString &output, const DeidentifyOptions &options);

// The UID an original UID becomes under secret (2.25.<decimal of 128 bits>).
QString deidentifiedUid(const QString &uid, const QByteArray &secret);

// A random 32-byte export secret.
QByteArray newDeidentifySecret();

} // namespace cs
