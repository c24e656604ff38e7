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

// "2.25." + the decimal of 16 bytes laid out as a UUID (PS3.5 B.2): ClinSight's new UIDs
// (random) and de-identification's (keyed hash) alike.
QString uidFromUuidBytes(const QByteArray &bytes);

// Loads a file; large values stay on disk until accessed when lazy is true.
Result<std::unique_ptr<DcmFileFormat>> loadDicomFile(const QString &path, bool lazy);

} // namespace cs::dicomdetail
