#include "clinsight/foundation/protectedfile.h"
#include "instancestore_p.h"
#include "dcmnet_p.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace cs::pacs {

bool isUid(const QString &uid)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]+(\\.[0-9]+)*$"));
    return !uid.isEmpty() && uid.size() <= 64 && re.match(uid).hasMatch();
}

namespace {

Result<ReceivedInstance> identify(DcmDataset &ds, const QString &expectedSop, const QString &onlyStudy)
{
    ReceivedInstance r;
    r.sopClassUid = tagText(&ds, DCM_SOPClassUID);
    r.sopInstanceUid = tagText(&ds, DCM_SOPInstanceUID);
    r.studyUid = tagText(&ds, DCM_StudyInstanceUID);
    r.seriesUid = tagText(&ds, DCM_SeriesInstanceUID);
    r.patientId = tagText(&ds, DCM_PatientID);
    r.modality = tagText(&ds, DCM_Modality);
    const auto refuse = [&](const QString &field, const QString &why) {
        return makeError(Error::Code::Format, {}, field, why);
    };
    if (!isUid(r.sopClassUid)) return refuse(QStringLiteral("SOP Class UID (0008,0016)"), QStringLiteral("missing or not a UID"));
    if (!isUid(r.sopInstanceUid)) return refuse(QStringLiteral("SOP Instance UID (0008,0018)"), QStringLiteral("missing or not a UID"));
    if (!isUid(r.studyUid)) return refuse(QStringLiteral("Study Instance UID (0020,000D)"), QStringLiteral("missing or not a UID"));
    if (!expectedSop.isEmpty() && expectedSop != r.sopInstanceUid)
        return refuse(QStringLiteral("SOP Instance UID (0008,0018)"),
                      QStringLiteral("%1 in the data set, %2 in the C-STORE request").arg(r.sopInstanceUid, expectedSop));
    if (!onlyStudy.isEmpty() && onlyStudy != r.studyUid)
        return refuse(QStringLiteral("Study Instance UID (0020,000D)"),
                      QStringLiteral("%1 is not the study being retrieved (%2)").arg(r.studyUid, onlyStudy));
    return r;
}

QString targetFolder(const QString &folder, bool perStudy, const QString &studyUid)
{
    return perStudy ? QDir(folder).filePath(studyUid) : folder;
}

Status renameInto(const QString &tmp, const QString &final)
{
    // Encrypted at rest when a signed-in workstation installed its cipher (protectedfile.h).
    if (auto st = protectFile(tmp); !st) return st.error();
    QFile::remove(final);   // a re-sent instance replaces the earlier copy of itself
    if (!QFile::rename(tmp, final)) {
        QFile::remove(tmp);
        return makeError(Error::Code::Io, final, {}, QStringLiteral("could not be written"));
    }
    return Ok{};
}

} // namespace

Result<ReceivedInstance> storeDataset(DcmDataset &ds, int originalXfer, const QString &folder, bool perStudy,
                                      const QString &expectedSop, const QString &onlyStudy)
{
    auto id = identify(ds, expectedSop, onlyStudy);
    if (!id) return id.error();
    ReceivedInstance r = id.value();
    const QString dir = targetFolder(folder, perStudy, r.studyUid);
    if (!QDir().mkpath(dir)) return makeError(Error::Code::Io, dir, {}, QStringLiteral("folder could not be created"));
    r.file = QDir(dir).filePath(r.sopInstanceUid + QStringLiteral(".dcm"));
    const QString tmp = r.file + QStringLiteral(".part");
    DcmFileFormat ff(&ds);   // copies the data set
    E_TransferSyntax xfer = E_TransferSyntax(originalXfer);
    if (xfer == EXS_Unknown) xfer = EXS_LittleEndianExplicit;
    const OFCondition c = ff.saveFile(tmp.toLocal8Bit().constData(), xfer);
    if (c.bad()) {
        QFile::remove(tmp);
        return makeError(Error::Code::Io, r.file, {}, QStringLiteral("could not be written: %1").arg(QString::fromLatin1(c.text())));
    }
    if (auto s = renameInto(tmp, r.file); !s) return s.error();
    return r;
}

Result<ReceivedInstance> storePart10(const QByteArray &bytes, const QString &folder, const QString &onlyStudy)
{
    DcmInputBufferStream in;
    in.setBuffer(bytes.constData(), offile_off_t(bytes.size()));
    in.setEos();
    DcmFileFormat ff;
    ff.transferInit();
    const OFCondition c = ff.read(in);
    ff.transferEnd();
    if (c.bad())
        return makeError(Error::Code::Format, {}, QStringLiteral("part 10 file"), QStringLiteral("not readable DICOM: %1").arg(QString::fromLatin1(c.text())));
    auto id = identify(*ff.getDataset(), {}, onlyStudy);
    if (!id) return id.error();
    ReceivedInstance r = id.value();
    if (!QDir().mkpath(folder)) return makeError(Error::Code::Io, folder, {}, QStringLiteral("folder could not be created"));
    r.file = QDir(folder).filePath(r.sopInstanceUid + QStringLiteral(".dcm"));
    const QString tmp = r.file + QStringLiteral(".part");
    QFile f(tmp);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.flush()) {
        f.remove();
        return makeError(Error::Code::Io, r.file, {}, QStringLiteral("could not be written"));
    }
    f.close();
    if (auto s = renameInto(tmp, r.file); !s) return s.error();
    return r;
}

Result<PartialStudyFolder> PartialStudyFolder::create(const QString &destDir, const QString &studyUid, const QString &nodeLabel)
{
    if (!isUid(studyUid))
        return makeError(Error::Code::Invalid, nodeLabel, QStringLiteral("Study Instance UID"), QStringLiteral("'%1' is not a DICOM UID").arg(studyUid));
    if (!QDir().mkpath(destDir))
        return makeError(Error::Code::Io, destDir, {}, QStringLiteral("destination folder could not be created"));
    PartialStudyFolder p;
    p.m_dest = QDir(destDir).absolutePath();
    p.m_uid = studyUid;
    p.m_path = QDir(p.m_dest).filePath(QStringLiteral(".partial-%1-%2").arg(studyUid).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));
    if (!QDir().mkpath(p.m_path))
        return makeError(Error::Code::Io, p.m_path, {}, QStringLiteral("folder could not be created"));
    return p;
}

PartialStudyFolder::PartialStudyFolder(PartialStudyFolder &&o) noexcept
    : m_dest(std::move(o.m_dest)), m_uid(std::move(o.m_uid)), m_path(std::move(o.m_path)), m_committed(o.m_committed)
{
    o.m_committed = true;   // the moved-from object owns nothing
}

PartialStudyFolder::~PartialStudyFolder()
{
    if (!m_committed && !m_path.isEmpty()) QDir(m_path).removeRecursively();
}

Result<RetrievedStudy> PartialStudyFolder::commit(RetrievedStudy study, const QString &nodeLabel, const QString &step)
{
    const QString final = QDir(m_dest).filePath(m_uid);
    const QString old = final + QStringLiteral(".replaced");
    QDir(old).removeRecursively();
    const bool hadOld = QFileInfo::exists(final);
    if (hadOld && !QDir().rename(final, old))
        return makeError(Error::Code::Io, nodeLabel, step, QStringLiteral("%1 could not be replaced").arg(final));
    if (!QDir().rename(m_path, final)) {
        if (hadOld) QDir().rename(old, final);   // the earlier copy is put back
        return makeError(Error::Code::Io, nodeLabel, step, QStringLiteral("%1 could not be moved into place").arg(m_path));
    }
    m_committed = true;
    if (hadOld) QDir(old).removeRecursively();
    study.folder = final;
    for (QString &f : study.files) f = QDir(final).filePath(QFileInfo(f).fileName());
    study.complete = true;
    return study;
}

} // namespace cs::pacs
