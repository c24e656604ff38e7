// The storage SCP: DcmSCP serving on its own thread, stopping on a flag it
// polls at every connection timeout (one second).
#include "clinsight/pacs/storagelistener.h"
#include "clinsight/pacs/pacsnode.h"
#include "dcmnet_p.h"
#include "instancestore_p.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/scp.h>

#include <QDir>
#include <atomic>
#include <mutex>
#include <thread>

namespace cs {

QStringList AssociationReport::studyUids() const
{
    QStringList l;
    for (const auto &i : stored)
        if (!l.contains(i.studyUid)) l << i.studyUid;
    return l;
}

namespace {

class StoreScp : public DcmSCP {
public:
    StorageListener::Params params;
    StorageListener::AssociationCallback callback;
    std::atomic<bool> stopFlag{false};
    mutable std::mutex statusMutex;
    ListenerStatus status;
    AssociationReport current;
    bool contextsAdded = false;

protected:
    OFCondition handleIncomingCommand(T_DIMSE_Message *msg, const DcmPresentationContextInfo &info) override
    {
        if (msg->CommandField != DIMSE_C_STORE_RQ) return DcmSCP::handleIncomingCommand(msg, info);
        T_DIMSE_C_StoreRQ &req = msg->msg.CStoreRQ;
        DcmDataset *raw = nullptr;
        const OFCondition c = receiveSTORERequest(req, info.presentationContextID, raw);
        std::unique_ptr<DcmDataset> ds(raw);
        const QString sop = QString::fromLatin1(req.AffectedSOPInstanceUID).trimmed();
        if (c.bad() || !ds) {
            note(QStringLiteral("SOP Instance %1: transfer failed (%2)").arg(sop, pacs::conditionText(c)));
            return c;   // the association ends; the listener keeps serving
        }
        const DcmXfer xfer(info.acceptedTransferSyntax.c_str());
        auto r = pacs::storeDataset(*ds, int(xfer.getXfer()), params.storeDir, !params.flat, sop, params.onlyStudyUid);
        Uint16 st = STATUS_STORE_Success;
        if (r) {
            current.stored.push_back(r.value());
        } else {
            note(QStringLiteral("SOP Instance %1: %2").arg(sop.isEmpty() ? QStringLiteral("(none)") : sop, r.error().message()));
            st = r.error().code == Error::Code::Io ? STATUS_STORE_Refused_OutOfResources : STATUS_STORE_Error_CannotUnderstand;
        }
        return sendSTOREResponse(info.presentationContextID, req, st);
    }
    OFBool checkCalledAETitleAccepted(const OFString &calledAE) override
    {
        return QString::fromLatin1(calledAE.c_str()).trimmed() == params.aeTitle;
    }
    void notifyAssociationRequest(const T_ASC_Parameters &p, DcmSCPActionType &action) override
    {
        current = AssociationReport{};
        current.callingAeTitle = QString::fromLatin1(p.DULparams.callingAPTitle).trimmed();
        current.peerHost = QString::fromLatin1(p.DULparams.callingPresentationAddress).trimmed();
        DcmSCP::notifyAssociationRequest(p, action);
    }
    void notifyReleaseRequest() override { current.released = true; }
    void notifyAssociationTermination() override
    {
        {
            std::lock_guard<std::mutex> g(statusMutex);
            status.associations += 1;
            status.instancesStored += int(current.stored.size());
            status.instancesRefused += int(current.refused.size());
            status.lastEvent = QStringLiteral("%1 %2 instance(s) from %3 (%4)%5")
                                   .arg(current.released ? QStringLiteral("stored") : QStringLiteral("association aborted after"))
                                   .arg(current.stored.size()).arg(current.callingAeTitle, current.peerHost)
                                   .arg(current.refused.isEmpty() ? QString() : QStringLiteral(", %1 refused").arg(current.refused.size()));
        }
        if (callback) callback(current);
        current = AssociationReport{};
    }
    OFBool stopAfterConnectionTimeout() override { return stopFlag.load(); }
    OFBool stopAfterCurrentAssociation() override { return stopFlag.load(); }

private:
    void note(const QString &what) { current.refused << what; }
};

} // namespace

struct StorageListener::Impl {
    StoreScp scp;
    std::thread thread;
};

StorageListener::StorageListener() : d(std::make_unique<Impl>()) {}
StorageListener::~StorageListener() { stop(); }

Status StorageListener::start(const Params &p, AssociationCallback onAssociation)
{
    const QString where = QStringLiteral("storage SCP %1 on port %2").arg(p.aeTitle).arg(p.port);
    if (d->thread.joinable()) return makeError(Error::Code::Invalid, where, {}, QStringLiteral("already listening"));
    if (!isValidAeTitle(p.aeTitle)) return makeError(Error::Code::Invalid, where, QStringLiteral("AE title"), QStringLiteral("1-16 printable characters, no backslash"));
    if (p.port < 1 || p.port > 65535) return makeError(Error::Code::Invalid, where, QStringLiteral("port"), QStringLiteral("must be 1-65535"));
    if (!QDir().mkpath(p.storeDir)) return makeError(Error::Code::Io, p.storeDir, {}, QStringLiteral("store folder could not be created"));
    pacs::configureDcmtkLogging();
    StoreScp &scp = d->scp;
    scp.params = p;
    scp.params.storeDir = QDir(p.storeDir).absolutePath();
    scp.callback = std::move(onAssociation);
    scp.stopFlag = false;
    DcmSCPConfig &cfg = scp.getConfig();
    cfg.setAETitle(p.aeTitle.toLatin1().constData());
    cfg.setPort(Uint16(p.port));
    cfg.setConnectionBlockingMode(DUL_NOBLOCK);
    cfg.setConnectionTimeout(1);
    cfg.setACSETimeout(Uint32(p.timeoutSeconds));
    cfg.setDIMSETimeout(Uint32(p.timeoutSeconds));
    cfg.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    cfg.setHostLookupEnabled(OFFalse);
    const OFList<OFString> ts = pacs::receivingTransferSyntaxes();
    if (!scp.contextsAdded) {
        scp.setEnableVerification();
        for (const QString &cls : pacs::allStorageSopClasses()) scp.addPresentationContext(cls.toLatin1().constData(), ts);
        scp.contextsAdded = true;
    }
    const OFCondition c = scp.openListenPort();
    if (c.bad())
        return makeError(Error::Code::Io, where, {}, QStringLiteral("cannot listen: %1 (is the port in use?)").arg(pacs::conditionText(c)));
    {
        std::lock_guard<std::mutex> g(scp.statusMutex);
        scp.status = ListenerStatus{};
        scp.status.listening = true;
        scp.status.aeTitle = p.aeTitle;
        scp.status.port = p.port;
        scp.status.lastEvent = QStringLiteral("listening");
    }
    d->thread = std::thread([this] {
        d->scp.acceptAssociations();
        std::lock_guard<std::mutex> g(d->scp.statusMutex);
        d->scp.status.listening = false;
    });
    return Ok{};
}

void StorageListener::stop()
{
    if (!d->thread.joinable()) return;
    d->scp.stopFlag = true;
    d->thread.join();
}

ListenerStatus StorageListener::status() const
{
    std::lock_guard<std::mutex> g(d->scp.statusMutex);
    return d->scp.status;
}

} // namespace cs
