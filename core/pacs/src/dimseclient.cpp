// DIMSE client: one DcmSCU association per call, configured from a PacsNode.
#include "clinsight/foundation/protectedfile.h"
#include "clinsight/pacs/dimse.h"
#include "clinsight/pacs/storagelistener.h"
#include "dcmnet_p.h"

#include <dcmtk/dcmdata/dcistrmb.h>
#include "instancestore_p.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/scu.h>

#include <QDir>
#include <QFileInfo>
#include <functional>
#include <memory>
#include <mutex>

namespace cs {

namespace {

using pacs::conditionText;
using pacs::dimseStatusText;

Error netError(const PacsNode &n, const QString &step, const QString &why)
{
    return makeError(Error::Code::Io, n.label(), step, why);
}

// An SCU that keeps C-GET's incoming instances through the shared instance store
// and reports retrieve progress; cancel is polled between responses.
class ClinSightScu : public DcmSCU {
public:
    ClinSightScu(const PacsNode &n, JobControl *control) : m_control(control)
    {
        pacs::configureDcmtkLogging();
        setAETitle(n.callingAeTitle.toLatin1().constData());
        setPeerHostName(n.host.toLatin1().constData());
        setPeerPort(Uint16(n.port));
        setPeerAETitle(n.calledAeTitle.toLatin1().constData());
        setConnectionTimeout(n.timeoutSeconds);
        setACSETimeout(Uint32(n.timeoutSeconds));
        setDIMSETimeout(Uint32(n.timeoutSeconds));
        setDIMSEBlockingMode(DIMSE_NONBLOCKING);
        setMaxReceivePDULength(ASC_DEFAULTMAXPDU);
    }
    QString getFolder, getStudyUid;
    std::vector<ReceivedInstance> received;
    QStringList refused;

protected:
    OFCondition handleSTORERequest(const T_ASC_PresentationContextID presID, DcmDataset *incoming,
                                   OFBool &continueCGETSession, Uint16 &status) override
    {
        std::unique_ptr<DcmDataset> ds(incoming);
        continueCGETSession = OFTrue;
        if (!ds) { status = STATUS_STORE_Error_CannotUnderstand; return EC_IllegalParameter; }
        auto r = pacs::storeDataset(*ds, int(ds->getOriginalXfer()), getFolder, false, {}, getStudyUid);
        if (r) {
            received.push_back(r.value());
            status = STATUS_STORE_Success;
        } else {
            refused << r.error().message();
            status = r.error().code == Error::Code::Io ? STATUS_STORE_Refused_OutOfResources : STATUS_STORE_Error_CannotUnderstand;
        }
        (void)presID;
        return EC_Normal;
    }
    OFCondition handleMOVEResponse(const T_ASC_PresentationContextID presID, RetrieveResponse *rsp, OFBool &waitForNext) override
    {
        const OFCondition c = DcmSCU::handleMOVEResponse(presID, rsp, waitForNext);
        progress(rsp);
        if (m_control && m_control->isCancelled() && waitForNext) sendCANCELRequest(presID);
        return c;
    }
    OFCondition handleCGETResponse(const T_ASC_PresentationContextID presID, RetrieveResponse *rsp, OFBool &cont) override
    {
        const OFCondition c = DcmSCU::handleCGETResponse(presID, rsp, cont);
        progress(rsp);
        if (m_control && m_control->isCancelled() && cont) sendCANCELRequest(presID);
        return c;
    }

private:
    void progress(RetrieveResponse *rsp)
    {
        if (!m_control || !rsp) return;
        const int total = rsp->m_numberOfCompletedSubops + rsp->m_numberOfFailedSubops + rsp->m_numberOfWarningSubops
                          + rsp->m_numberOfRemainingSubops;
        if (m_control->total() == 0 && total > 0) m_control->setTotal(total);
        const int done = rsp->m_numberOfCompletedSubops + rsp->m_numberOfFailedSubops + rsp->m_numberOfWarningSubops;
        if (done > m_control->done()) m_control->advance(done - m_control->done(), QStringLiteral("instances"));
    }
    JobControl *m_control;
};

Status associate(ClinSightScu &scu, const PacsNode &n, const QString &step)
{
    if (!n.hasDimse()) return makeError(Error::Code::Invalid, n.label(), step, QStringLiteral("the node has no DIMSE address"));
    if (const QString p = n.problem(); !p.isEmpty()) return makeError(Error::Code::Invalid, n.label(), step, p);
    OFCondition c = scu.initNetwork();
    if (c.bad()) return netError(n, step, QStringLiteral("network could not be initialised: %1").arg(conditionText(c)));
    c = scu.negotiateAssociation();
    if (c.bad()) {
        const QString t = conditionText(c);
        if (t.contains(QLatin1String("Rejected"), Qt::CaseInsensitive))
            return netError(n, step, QStringLiteral("association rejected (%1): check the called AE title '%2' and that the PACS "
                                                    "accepts ours, '%3'").arg(t, n.calledAeTitle, n.callingAeTitle));
        if (c == NET_EC_NoAcceptablePresentationContexts)
            return netError(n, step, QStringLiteral("the PACS accepted none of the services asked for (%1)").arg(t));
        return netError(n, step, QStringLiteral("no association with %1:%2 (%3)").arg(n.host).arg(n.port).arg(t));
    }
    return Ok{};
}

T_ASC_PresentationContextID contextFor(ClinSightScu &scu, const char *sopClass)
{
    return scu.findPresentationContextID(sopClass, "");
}

void freeResponses(OFList<QRResponse *> &l) { for (auto *r : l) delete r; l.clear(); }
void freeResponses(OFList<RetrieveResponse *> &l) { for (auto *r : l) delete r; l.clear(); }

// One C-FIND on an open association: each pending match's identifier to onMatch, the final
// status checked, the association released (aborted on a network error).
Status runFind(ClinSightScu &scu, const PacsNode &node, const QString &step, DcmDataset &query,
               const std::function<void(DcmDataset *)> &onMatch)
{
    OFList<QRResponse *> responses;
    const OFCondition c = scu.sendFINDRequest(contextFor(scu, UID_FINDStudyRootQueryRetrieveInformationModel), &query, &responses);
    if (c.bad()) { freeResponses(responses); scu.abortAssociation(); return netError(node, step, conditionText(c)); }
    Uint16 finalStatus = 0xFFFF;
    for (QRResponse *r : responses) {
        if (pacs::isDimsePending(r->m_status)) { if (r->m_dataset) onMatch(r->m_dataset); }
        else finalStatus = r->m_status;
    }
    freeResponses(responses);
    scu.releaseAssociation();
    if (!pacs::isDimseSuccess(finalStatus))
        return netError(node, step, QStringLiteral("the PACS answered %1").arg(dimseStatusText(finalStatus)));
    return Ok{};
}

// An association for C-FIND (Study Root) with the node.
Status openFind(ClinSightScu &scu, const PacsNode &node, const QString &step)
{
    scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, pacs::uncompressedTransferSyntaxes());
    return associate(scu, node, step);
}

} // namespace

Status dimseEcho(const PacsNode &node)
{
    ClinSightScu scu(node, nullptr);
    scu.addPresentationContext(UID_VerificationSOPClass, pacs::uncompressedTransferSyntaxes());
    if (auto s = associate(scu, node, QStringLiteral("C-ECHO")); !s) return s;
    const OFCondition c = scu.sendECHORequest(contextFor(scu, UID_VerificationSOPClass));
    if (c.bad()) { scu.abortAssociation(); return netError(node, QStringLiteral("C-ECHO"), conditionText(c)); }
    scu.releaseAssociation();
    return Ok{};
}

Result<std::vector<StudyMatch>> dimseFindStudies(const PacsNode &node, const StudyQuery &q, JobControl &control)
{
    const QString step = QStringLiteral("C-FIND (study level)");
    ClinSightScu scu(node, &control);
    if (auto s = openFind(scu, node, step); !s) return s.error();
    DcmDataset query;
    const auto put = [&](const DcmTagKey &k, const QString &v) { query.putAndInsertString(k, v.toUtf8().constData()); };
    put(DCM_QueryRetrieveLevel, QStringLiteral("STUDY"));
    put(DCM_SpecificCharacterSet, QStringLiteral("ISO_IR 192"));
    put(DCM_StudyInstanceUID, q.studyUid);
    put(DCM_PatientID, q.patientId);
    put(DCM_PatientName, q.patientName);
    put(DCM_PatientBirthDate, {});
    put(DCM_PatientSex, {});
    put(DCM_StudyDate, (q.dateFrom.isEmpty() && q.dateTo.isEmpty()) ? QString() : q.dateFrom + QLatin1Char('-') + q.dateTo);
    put(DCM_StudyTime, {});
    put(DCM_AccessionNumber, q.accessionNumber);
    put(DCM_StudyDescription, {});
    put(DCM_ModalitiesInStudy, q.modalities.join(QLatin1Char('\\')));
    put(DCM_NumberOfStudyRelatedSeries, {});
    put(DCM_NumberOfStudyRelatedInstances, {});
    std::vector<StudyMatch> out;
    auto found = runFind(scu, node, step, query, [&](DcmDataset *d) {
        StudyMatch m;
        m.studyUid = pacs::tagText(d, DCM_StudyInstanceUID);
        m.patientId = pacs::tagText(d, DCM_PatientID);
        m.patientName = pacs::tagText(d, DCM_PatientName);
        m.patientBirthDate = pacs::tagText(d, DCM_PatientBirthDate);
        m.patientSex = pacs::tagText(d, DCM_PatientSex);
        m.studyDate = pacs::tagText(d, DCM_StudyDate);
        m.studyTime = pacs::tagText(d, DCM_StudyTime);
        m.studyDescription = pacs::tagText(d, DCM_StudyDescription);
        m.accessionNumber = pacs::tagText(d, DCM_AccessionNumber);
        m.modalities = pacs::tagText(d, DCM_ModalitiesInStudy, true).split(QLatin1Char('\\'), Qt::SkipEmptyParts);
        m.seriesCount = pacs::tagInt(d, DCM_NumberOfStudyRelatedSeries);
        m.instanceCount = pacs::tagInt(d, DCM_NumberOfStudyRelatedInstances);
        if (!pacs::isUid(m.studyUid)) return;   // a match we could never retrieve
        // Not every PACS matches value lists and ranges: checked here as well.
        if (!matchesModalities(m, q.modalities) || !studyDateInRange(m.studyDate, q.dateFrom, q.dateTo)) return;
        out.push_back(m);
    });
    if (!found) return found.error();
    return out;
}

Result<std::vector<SeriesMatch>> dimseFindSeries(const PacsNode &node, const QString &studyUid, JobControl &control)
{
    const QString step = QStringLiteral("C-FIND (series level)");
    if (!pacs::isUid(studyUid)) return makeError(Error::Code::Invalid, node.label(), step, QStringLiteral("'%1' is not a Study Instance UID").arg(studyUid));
    ClinSightScu scu(node, &control);
    if (auto s = openFind(scu, node, step); !s) return s.error();
    DcmDataset query;
    for (const auto &[k, v] : std::initializer_list<std::pair<DcmTagKey, QString>>{
             {DCM_QueryRetrieveLevel, QStringLiteral("SERIES")}, {DCM_StudyInstanceUID, studyUid}, {DCM_SeriesInstanceUID, {}},
             {DCM_Modality, {}}, {DCM_SeriesNumber, {}}, {DCM_SeriesDescription, {}}, {DCM_BodyPartExamined, {}},
             {DCM_NumberOfSeriesRelatedInstances, {}}})
        query.putAndInsertString(k, v.toUtf8().constData());
    std::vector<SeriesMatch> out;
    auto found = runFind(scu, node, step, query, [&](DcmDataset *d) {
        SeriesMatch m;
        m.studyUid = studyUid;
        m.seriesUid = pacs::tagText(d, DCM_SeriesInstanceUID);
        m.modality = pacs::tagText(d, DCM_Modality);
        m.seriesDescription = pacs::tagText(d, DCM_SeriesDescription);
        m.bodyPart = pacs::tagText(d, DCM_BodyPartExamined);
        m.seriesNumber = pacs::tagInt(d, DCM_SeriesNumber);
        m.instanceCount = pacs::tagInt(d, DCM_NumberOfSeriesRelatedInstances);
        if (pacs::isUid(m.seriesUid)) out.push_back(m);
    });
    if (!found) return found.error();
    return out;
}

namespace {

// SOP classes of the study as the PACS lists them (SOP Classes in Study), else the common ones.
QStringList studySopClasses(const PacsNode &node, const QString &studyUid)
{
    ClinSightScu scu(node, nullptr);
    QStringList classes;
    const QString step = QStringLiteral("C-FIND (SOP classes in study)");
    if (openFind(scu, node, step).ok()) {
        DcmDataset q;
        q.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
        q.putAndInsertString(DCM_StudyInstanceUID, studyUid.toLatin1().constData());
        q.putAndInsertString(DCM_SOPClassesInStudy, "");
        // A PACS that cannot say is not an error: the common classes are proposed instead.
        (void)runFind(scu, node, step, q, [&](DcmDataset *d) {
            classes << pacs::tagText(d, DCM_SOPClassesInStudy, true).split(QLatin1Char('\\'), Qt::SkipEmptyParts);
        });
    }
    classes.removeDuplicates();
    classes.removeIf([](const QString &c) { return !pacs::isUid(c); });
    return classes.isEmpty() ? pacs::commonStorageSopClasses() : classes;
}

Result<RetrievedStudy> finishRetrieve(const PacsNode &node, const QString &step, pacs::PartialStudyFolder &partial,
                                      const QString &studyUid, const OFList<RetrieveResponse *> &responses,
                                      const std::vector<ReceivedInstance> &received, const QStringList &refused,
                                      JobControl &control)
{
    if (control.isCancelled()) return cancelledError(step);
    if (responses.empty()) return netError(node, step, QStringLiteral("no final response from the PACS"));
    const RetrieveResponse *last = responses.back();
    RetrievedStudy s;
    s.studyUid = studyUid;
    s.completed = last->m_numberOfCompletedSubops;
    s.failed = last->m_numberOfFailedSubops;
    s.warnings = last->m_numberOfWarningSubops;
    for (const auto &r : received) s.files << r.file;
    s.files.removeDuplicates();
    if (last->m_status == 0xA801)
        return netError(node, step, QStringLiteral("the PACS does not know ClinSight's AE title '%1' as a move destination "
                                                   "(add it with host and port %2 to the PACS)").arg(node.callingAeTitle).arg(node.localPort));
    if (!pacs::isDimseSuccess(last->m_status) && !pacs::isDimseWarning(last->m_status))
        return netError(node, step, QStringLiteral("the PACS answered %1; %2 instance(s) arrived, study not kept")
                                        .arg(dimseStatusText(last->m_status)).arg(s.files.size()));
    if (s.failed > 0 || !refused.isEmpty())
        return netError(node, step, QStringLiteral("incomplete: %1 instance(s) failed at the PACS, %2 refused here%3; study not kept")
                                        .arg(s.failed).arg(refused.size()).arg(refused.isEmpty() ? QString() : QStringLiteral(" (") + refused.first() + QLatin1Char(')')));
    if (s.files.isEmpty())
        return netError(node, step, QStringLiteral("the PACS sent no instances of study %1").arg(studyUid));
    if (s.completed + s.warnings > 0 && s.files.size() < s.completed + s.warnings)
        return netError(node, step, QStringLiteral("incomplete: the PACS reported %1 instance(s) sent, %2 arrived; study not kept")
                                        .arg(s.completed + s.warnings).arg(s.files.size()));
    return partial.commit(s, node.label(), step);
}

} // namespace

Result<RetrievedStudy> dimseRetrieveStudy(const PacsNode &node, const QString &studyUid, const QString &destDir,
                                          RetrieveMethod method, JobControl &control)
{
    const QString step = method == RetrieveMethod::Move ? QStringLiteral("C-MOVE") : QStringLiteral("C-GET");
    auto partial = pacs::PartialStudyFolder::create(destDir, studyUid, node.label());
    if (!partial) return partial.error();
    DcmDataset key;
    key.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
    key.putAndInsertString(DCM_StudyInstanceUID, studyUid.toLatin1().constData());
    OFList<RetrieveResponse *> responses;
    std::vector<ReceivedInstance> received;
    QStringList refused;

    if (method == RetrieveMethod::Move) {
        if (node.localPort <= 0)
            return makeError(Error::Code::Invalid, node.label(), step, QStringLiteral("C-MOVE needs the port of our storage SCP that the PACS sends to (--port)"));
        StorageListener listener;
        StorageListener::Params lp;
        lp.aeTitle = node.callingAeTitle;
        lp.port = node.localPort;
        lp.storeDir = partial->path();
        lp.onlyStudyUid = studyUid;
        lp.flat = true;
        lp.timeoutSeconds = node.timeoutSeconds;
        std::mutex m;
        auto started = listener.start(lp, [&](const AssociationReport &r) {
            std::lock_guard<std::mutex> g(m);
            received.insert(received.end(), r.stored.begin(), r.stored.end());
            refused << r.refused;
        });
        if (!started) return netError(node, step, QStringLiteral("our storage SCP could not listen: %1").arg(started.error().message()));
        ClinSightScu scu(node, &control);
        scu.addPresentationContext(UID_MOVEStudyRootQueryRetrieveInformationModel, pacs::uncompressedTransferSyntaxes());
        if (auto s = associate(scu, node, step); !s) return s.error();
        const OFCondition c = scu.sendMOVERequest(contextFor(scu, UID_MOVEStudyRootQueryRetrieveInformationModel),
                                                  node.callingAeTitle.toLatin1().constData(), &key, &responses);
        if (c.bad()) {
            freeResponses(responses);
            scu.abortAssociation();
            return netError(node, step, QStringLiteral("%1 (a PACS that does not know our AE title '%2' as a move destination may end the association)")
                                            .arg(conditionText(c), node.callingAeTitle));
        }
        scu.releaseAssociation();
        listener.stop();   // sub-associations have ended when the final response came
        std::lock_guard<std::mutex> g(m);
        auto r = finishRetrieve(node, step, partial.value(), studyUid, responses, received, refused, control);
        freeResponses(responses);
        return r;
    }

    ClinSightScu scu(node, &control);
    scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, pacs::uncompressedTransferSyntaxes());
    // One context per (SOP class, transfer syntax): the PACS sends each file in the syntax it has it in.
    const QStringList classes = studySopClasses(node, studyUid).mid(0, 12);
    for (const QString &cls : classes)
        for (const QString &ts : pacs::receivableTransferSyntaxUids()) {
            OFList<OFString> one;
            one.push_back(ts.toLatin1().constData());
            scu.addPresentationContext(cls.toLatin1().constData(), one, ASC_SC_ROLE_SCP);
        }
    scu.getFolder = partial->path();
    scu.getStudyUid = studyUid;
    if (auto s = associate(scu, node, step); !s) return s.error();
    const OFCondition c = scu.sendCGETRequest(contextFor(scu, UID_GETStudyRootQueryRetrieveInformationModel), &key, &responses);
    if (c.bad()) { freeResponses(responses); scu.abortAssociation(); return netError(node, step, conditionText(c)); }
    scu.releaseAssociation();
    auto r = finishRetrieve(node, step, partial.value(), studyUid, responses, scu.received, scu.refused, control);
    freeResponses(responses);
    return r;
}

Status dimseStoreFiles(const PacsNode &node, const QStringList &files, JobControl &control)
{
    const QString step = QStringLiteral("C-STORE");
    // Read every file first: a file we cannot read is our error, not the PACS'.
    std::vector<std::unique_ptr<DcmFileFormat>> objects;
    QStringList classes, syntaxes;
    for (const QString &f : files) {
        auto ff = std::make_unique<DcmFileFormat>();
        auto content = readFileContent(f);   // decrypted in memory when ClinSight protected it
        if (!content) return content.error();
        DcmInputBufferStream in;
        in.setBuffer(content->constData(), offile_off_t(content->size()));
        in.setEos();
        ff->transferInit();
        const OFCondition c = ff->read(in);
        ff->transferEnd();
        if (c.bad()) return makeError(Error::Code::Io, f, {}, QStringLiteral("not readable DICOM: %1").arg(conditionText(c)));
        classes << pacs::tagText(ff->getDataset(), DCM_SOPClassUID);
        syntaxes << QString::fromLatin1(DcmXfer(ff->getDataset()->getOriginalXfer()).getXferID());
        objects.push_back(std::move(ff));
    }
    ClinSightScu scu(node, &control);
    // Each class uncompressed, and each compressed syntax a file is in on its own context:
    // an instance is forwarded as it is, never decompressed on the way.
    QStringList proposed;
    for (int i = 0; i < classes.size(); ++i) {
        const QString key = classes[i];
        if (!proposed.contains(key)) { scu.addPresentationContext(key.toLatin1().constData(), pacs::uncompressedTransferSyntaxes()); proposed << key; }
        const bool uncompressed = syntaxes[i] == QLatin1String(UID_LittleEndianExplicitTransferSyntax) || syntaxes[i] == QLatin1String(UID_LittleEndianImplicitTransferSyntax);
        const QString both = classes[i] + QLatin1Char('|') + syntaxes[i];
        if (!uncompressed && !proposed.contains(both)) {
            OFList<OFString> one;
            one.push_back(syntaxes[i].toLatin1().constData());
            scu.addPresentationContext(classes[i].toLatin1().constData(), one);
            proposed << both;
        }
    }
    if (auto s = associate(scu, node, step); !s) return s;
    control.setTotal(qint64(files.size()));
    for (size_t i = 0; i < objects.size(); ++i) {
        if (control.isCancelled()) { scu.abortAssociation(); return cancelledError(step); }
        const QByteArray cls = classes[int(i)].toLatin1(), ts = syntaxes[int(i)].toLatin1();
        T_ASC_PresentationContextID pc = scu.findPresentationContextID(cls.constData(), ts.constData());
        DcmDataset *ds = objects[i]->getDataset();
        if (pc == 0) {
            pc = scu.findPresentationContextID(cls.constData(), UID_LittleEndianExplicitTransferSyntax);
            if (pc == 0) pc = scu.findPresentationContextID(cls.constData(), UID_LittleEndianImplicitTransferSyntax);
            if (pc != 0 && ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) pc = 0;
        }
        if (pc == 0) { scu.abortAssociation(); return netError(node, step, QStringLiteral("%1: the PACS accepts neither SOP class %2 in %3 nor uncompressed").arg(files[int(i)], classes[int(i)], syntaxes[int(i)])); }
        Uint16 status = 0;
        const OFCondition c = scu.sendSTORERequest(pc, OFFilename(), ds, status);
        if (c.bad()) { scu.abortAssociation(); return netError(node, step, QStringLiteral("%1: %2").arg(QFileInfo(files[int(i)]).fileName(), conditionText(c))); }
        if (!pacs::isDimseSuccess(status) && !pacs::isDimseWarning(status)) {
            scu.releaseAssociation();
            return netError(node, step, QStringLiteral("%1 refused: %2").arg(QFileInfo(files[int(i)]).fileName(), dimseStatusText(status)));
        }
        control.advance(1, QFileInfo(files[int(i)]).fileName());
    }
    scu.releaseAssociation();
    return Ok{};
}

} // namespace cs
