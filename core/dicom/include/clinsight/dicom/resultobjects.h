#pragma once
// The DICOM objects ClinSight writes back to the PACS for one scored image:
//  - a Comprehensive SR in the source study, referencing the scored image, with
//    each risk as a numeric item (%), thresholds, alert flags, NEWS2/qSOFA when
//    vitals were available, the model's identity and the disclaimer;
//  - a Secondary Capture of the frame with the Grad-CAM overlay and its caption
//    burned in (ImageType DERIVED\SECONDARY, Burned In Annotation YES).
// Both take plain records (no model or assessment types) and are written
// explicit VR little endian, the patient and study copied from the source
// image. DCMTK stays inside the .cpp. Reentrant.
#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/error.h"
#include "clinsight/imaging/frame.h"

#include <QDateTime>
#include <optional>

namespace cs {

// One risk of the result: calibrated probability 0..1 with the branch's alert level.
struct ResultRisk {
    double risk = 0, threshold = 0.5;
    bool alert = false;
};

struct ResultDocument {
    DicomInstanceInfo source;            // the image that was scored (patient, study, SOP class/instance)
    QString modelName, modelVersion, weightsSha256, modelSigner;
    ResultRisk image;                    // "Pneumonia risk (image branch)"
    std::optional<ResultRisk> vitals;    // "Sepsis risk (vitals branch)", when vitals were available
    std::optional<ResultRisk> fused;     // "Fused risk (image and vitals)"
    std::optional<int> news2, qsofa;
    bool news2Partial = false, qsofaPartial = false;
    bool flagged = false;                // any output above its alert level
    QStringList notes;                   // what was missing or not applicable, in words
    QString disclaimer = QStringLiteral("For research and decision support - not a diagnosis");
    QDateTime created = QDateTime::currentDateTime();
    int seriesNumber = 9901, instanceNumber = 1;
};

struct SecondaryCaptureDocument {
    DicomInstanceInfo source;
    DisplayFrame rgb;                    // the composed capture (composeSaliencyCapture), channels 3
    QString derivationDescription;       // what the pixels are ("Grad-CAM overlay of the image branch ...")
    QString softwareVersion;
    QDateTime created = QDateTime::currentDateTime();
    int seriesNumber = 9902, instanceNumber = 1;
};

struct WrittenObject {
    QString path, sopClassUid, sopInstanceUid, seriesUid, studyUid;
};

// A new globally unique DICOM UID (2.25.<UUID as a decimal integer>).
QString newDicomUid();

Result<WrittenObject> writeResultSr(const ResultDocument &doc, const QString &path);
Result<WrittenObject> writeSecondaryCapture(const SecondaryCaptureDocument &doc, const QString &path);

// Reads back a ClinSight result SR as "concept meaning = value" lines in tree order
// (what the tests check; also reads SRs written by others).
Result<QStringList> readSrContent(const QString &path);

} // namespace cs
