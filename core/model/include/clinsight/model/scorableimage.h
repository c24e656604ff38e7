#pragma once
// "File -> frame the model can score", one rule for the workstation, triage,
// the CLI and the training data: a PNG/JPEG is read as grey; anything else is
// opened as DICOM and its first frame rendered with the file's default
// window (modality LUT, VOI, presentation LUT), keeping the DICOM header so
// applicability can be judged. Reentrant.
#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/error.h"
#include "clinsight/imaging/frame.h"

#include <optional>

namespace cs {

struct ScorableImage {
    QString path;
    DisplayFrame frame;
    std::optional<DicomInstanceInfo> dicom;   // absent for PNG/JPEG
};

Result<ScorableImage> loadScorableImage(const QString &path);

} // namespace cs
