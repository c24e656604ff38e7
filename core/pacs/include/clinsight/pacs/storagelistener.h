#pragma once
// ClinSight's storage SCP: accepts C-ECHO and C-STORE of any storage SOP class
// from modalities, routers and PACS, and keeps each instance as
// STORE/<StudyInstanceUID>/<SOPInstanceUID>.dcm (written to a temporary name
// and renamed, so a dropped transfer never leaves a half file). Objects without
// the UIDs that identify them are refused with a DIMSE failure status and the
// reason; the listener keeps serving after any peer's error.
// Threading: start() binds the port on the caller's thread (a port in use is an
// error at once) and serves on its own thread; the callback runs on that
// thread after each association; stop() may be called from any thread and
// returns once the serving thread has ended.
#include "clinsight/foundation/error.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace cs {

struct ReceivedInstance {
    QString file, studyUid, seriesUid, sopInstanceUid, sopClassUid, patientId, modality;
};

struct AssociationReport {
    QString callingAeTitle, peerHost;
    std::vector<ReceivedInstance> stored;
    QStringList refused;           // "SOP Instance 1.2.3: missing Study Instance UID (0020,000D)"
    bool released = false;         // ended by an A-RELEASE (else aborted or dropped)
    QStringList studyUids() const; // of stored, unique, in arrival order
};

struct ListenerStatus {
    bool listening = false;
    QString aeTitle;
    int port = 0;
    int associations = 0, instancesStored = 0, instancesRefused = 0;
    QString lastEvent;             // "stored 3 instances from ORTHANC (127.0.0.1)"
};

class StorageListener {
public:
    struct Params {
        QString aeTitle = QStringLiteral("CLINSIGHT");
        int port = 0;
        QString storeDir;
        // Only instances of this study are kept (a C-MOVE destination for one retrieve);
        // empty: any study.
        QString onlyStudyUid;
        // Store instances flat in storeDir (not in a per-study sub-folder).
        bool flat = false;
        int timeoutSeconds = 30;
    };
    using AssociationCallback = std::function<void(const AssociationReport &)>;

    StorageListener();
    ~StorageListener();   // stops
    StorageListener(const StorageListener &) = delete;
    StorageListener &operator=(const StorageListener &) = delete;

    Status start(const Params &params, AssociationCallback onAssociation = {});
    void stop();
    ListenerStatus status() const;

    struct Impl;
private:
    std::unique_ptr<Impl> d;
};

} // namespace cs
