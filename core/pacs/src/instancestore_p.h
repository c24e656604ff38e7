#pragma once
// Received instances kept on disk, shared by the storage SCP, C-GET and WADO-RS:
// identity checked (SOP Class/Instance and Study UIDs present and well-formed,
// so a peer's UID can never name a path outside the store), written to a
// temporary name and renamed. And the per-retrieve folder that only becomes
// DEST/<StudyUID> when the retrieve is complete. DCMTK types stay in the .cpp.
#include "clinsight/foundation/error.h"
#include "clinsight/pacs/query.h"
#include "clinsight/pacs/storagelistener.h"

#include <QString>

class DcmDataset;

namespace cs::pacs {

// A DICOM UID: 1-64 characters of digits and dots, no leading/trailing/double dot.
bool isUid(const QString &uid);

// Saves a received dataset (ownership stays with the caller) under folder:
// folder/<SOPInstanceUID>.dcm, or folder/<StudyUID>/<SOPInstanceUID>.dcm when perStudy.
// expectedSopInstanceUid (from the C-STORE request) must match when given;
// onlyStudyUid refuses other studies. The error's reason is what the peer is told.
Result<ReceivedInstance> storeDataset(DcmDataset &dataset, int originalXfer, const QString &folder, bool perStudy,
                                      const QString &expectedSopInstanceUid, const QString &onlyStudyUid);
// The same for a Part 10 file's bytes (a WADO-RS part).
Result<ReceivedInstance> storePart10(const QByteArray &bytes, const QString &folder, const QString &onlyStudyUid);

class PartialStudyFolder {
public:
    // DEST/.partial-<uid>-<random>; the study UID is checked first.
    static Result<PartialStudyFolder> create(const QString &destDir, const QString &studyUid, const QString &nodeLabel);
    PartialStudyFolder(PartialStudyFolder &&o) noexcept;
    PartialStudyFolder &operator=(PartialStudyFolder &&) = delete;
    PartialStudyFolder(const PartialStudyFolder &) = delete;
    ~PartialStudyFolder();   // removes the partial folder unless committed
    QString path() const { return m_path; }
    // Renames the partial folder to DEST/<uid> (replacing an earlier copy only now).
    Result<RetrievedStudy> commit(RetrievedStudy study, const QString &nodeLabel, const QString &step);
private:
    PartialStudyFolder() = default;
    QString m_dest, m_uid, m_path;
    bool m_committed = false;
};

} // namespace cs::pacs
