#pragma once
// Private to core's DICOM translation units: DCMTK helpers. Never include
// from a public header.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include "clinsight/dicom/dicom.h"

namespace cs::dicomdetail {

QString str(DcmItem *item, const DcmTagKey &tag);
int intValue(DcmItem *item, const DcmTagKey &tag, int fallback = 0);
int vm(DcmItem *item, const DcmTagKey &tag);
QString tagName(const DcmTagKey &tag); // "Rows (0028,0010)"

// The Transfer Syntax UID as written in the file meta (also for syntaxes this
// DCMTK does not know, e.g. HTJ2K); falls back to the syntax DCMTK detected.
QString transferSyntaxUidOf(DcmFileFormat &ff);
bool isJpeg2000Syntax(const QString &uid);

// Fills info from a loaded dataset; returns an error for non-image or
// inconsistent image attributes.
Result<DicomInstanceInfo> headerFromDataset(const QString &path, DcmFileFormat &ff);

// Loads a file; large values stay on disk until accessed when lazy is true.
Result<std::unique_ptr<DcmFileFormat>> loadDicomFile(const QString &path, bool lazy);

} // namespace cs::dicomdetail
