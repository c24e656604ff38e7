#pragma once
// Which inputs the model's branches were built for. A branch that does not
// apply says why in words a clinician reads ("modality CT: the image branch
// applies to chest radiographs (CR/DX) only"). Reentrant.
#include "clinsight/dicom/dicom.h"

namespace cs {

// Whether the image branch applies to this DICOM instance (chest CR/DX, greyscale).
bool imageBranchApplies(const DicomInstanceInfo &info, QString *reason);

} // namespace cs
