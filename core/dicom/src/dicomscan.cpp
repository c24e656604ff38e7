#include "dicom_p.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <cmath>
#include <map>

namespace cs {

int DicomSeriesInfo::frameCount() const
{
    int n = 0;
    for (const auto &i : instances) n += i.frames;
    return n;
}

int DicomScan::instanceCount() const
{
    int n = 0;
    for (const auto &p : patients)
        for (const auto &st : p.studies)
            for (const auto &se : st.series) n += int(se.instances.size());
    return n;
}

namespace {

bool isDicomDir(const QString &path)
{
    return QFileInfo(path).fileName().compare(QLatin1String("DICOMDIR"), Qt::CaseInsensitive) == 0;
}

// Files referenced by IMAGE (and other leaf) records of a DICOMDIR, resolved
// against the DICOMDIR's folder. Errors if it is not a readable DICOMDIR.
Result<QStringList> filesOfDicomDir(const QString &path)
{
    auto ff = dicomdetail::loadDicomFile(path, false);
    if (!ff)
        return ff.error();
    DcmSequenceOfItems *records = nullptr;
    if (ff.value()->getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || !records)
        return makeError(Error::Code::Format, path, dicomdetail::tagName(DCM_DirectoryRecordSequence),
                         QStringLiteral("missing: not a DICOMDIR"));
    const QDir base = QFileInfo(path).absoluteDir();
    QStringList files;
    for (unsigned long k = 0; k < records->card(); ++k) {
        DcmItem *rec = records->getItem(k);
        OFString id;
        if (rec->findAndGetOFStringArray(DCM_ReferencedFileID, id).bad() || id.empty())
            continue;
        QString rel = QString::fromLatin1(id.c_str()).trimmed().replace('\\', '/');
        QString full = base.filePath(rel);
        if (!QFileInfo::exists(full)) {
            // ISO 9660 media are often copied with lower-case names.
            const QString lower = base.filePath(rel.toLower());
            if (QFileInfo::exists(lower)) full = lower;
        }
        files << full;
    }
    return files;
}

struct Scanned {
    QString path;
    Result<DicomInstanceInfo> header = makeError(Error::Code::Internal, {}, {}, {});
};

std::array<double, 3> sliceNormal(const DicomInstanceInfo &i)
{
    const auto &o = i.orientation;
    return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

void orderSeries(DicomSeriesInfo &s)
{
    auto &v = s.instances;
    const bool geometric = v.size() > 1 && std::all_of(v.begin(), v.end(), [](const DicomInstanceInfo &i) {
        return i.hasPosition && i.hasOrientation;
    });
    if (geometric) {
        const auto n = sliceNormal(v.front());
        auto proj = [&n](const DicomInstanceInfo &i) {
            return i.position[0] * n[0] + i.position[1] * n[1] + i.position[2] * n[2];
        };
        std::stable_sort(v.begin(), v.end(), [&](const auto &a, const auto &b) { return proj(a) < proj(b); });
        std::vector<double> gaps;
        for (size_t k = 1; k < v.size(); ++k) gaps.push_back(proj(v[k]) - proj(v[k - 1]));
        std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
        s.sliceSpacing = std::abs(gaps[gaps.size() / 2]);
        s.orderedByPosition = true;
    } else {
        std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
            return a.instanceNumber != b.instanceNumber ? a.instanceNumber < b.instanceNumber : a.path < b.path;
        });
        s.orderedByPosition = false;
    }
}

} // namespace

DicomScan scanDicom(const QStringList &inputs, JobControl &control)
{
    DicomScan scan;
    QStringList files;
    for (const QString &in : inputs) {
        const QFileInfo fi(in);
        if (fi.isDir()) {
            QDirIterator it(in, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
            QStringList found;
            while (it.hasNext()) {
                const QString f = it.next();
                if (!isDicomDir(f)) found << f;  // its references are found by the walk itself
            }
            found.sort();
            files << found;
        } else if (isDicomDir(in)) {
            auto refs = filesOfDicomDir(in);
            if (refs) files << refs.value();
            else scan.skipped.push_back({in, refs.error()});
        } else {
            files << in;
        }
    }
    files.removeDuplicates();
    scan.filesSeen = int(files.size());
    control.setTotal(files.size());

    std::function<Scanned(const QString &)> readOne = [&control](const QString &f) {
        Scanned s;
        s.path = f;
        if (control.isCancelled())
            s.header = cancelledError(QStringLiteral("scan"));
        else
            s.header = readDicomHeader(f);
        control.advance(1, f);
        return s;
    };
    // Its own pool: callers are jobs on the global pool, which a blocking map there could starve.
    static QThreadPool scanPool;
    const QList<Scanned> results = QtConcurrent::blockingMapped(&scanPool, files, readOne);

    // Group, keeping first-seen order of patients/studies/series stable by sorting keys.
    std::map<QString, DicomPatientInfo> patients;
    std::map<QString, std::map<QString, DicomStudyInfo>> studies;
    std::map<QString, std::map<QString, DicomSeriesInfo>> series;
    for (const Scanned &s : results) {
        if (!s.header) {
            if (s.header.error().code != Error::Code::Cancelled)
                scan.skipped.push_back({s.path, s.header.error()});
            continue;
        }
        const DicomInstanceInfo &i = s.header.value();
        const QString pKey = i.patientId + QChar(0x1f) + i.patientName;
        auto &p = patients[pKey];
        p.patientId = i.patientId; p.patientName = i.patientName; p.sex = i.patientSex; p.birthDate = i.patientBirthDate;
        auto &st = studies[pKey][i.studyUid];
        st.studyUid = i.studyUid; st.date = i.studyDate; st.time = i.studyTime;
        st.description = i.studyDescription; st.accessionNumber = i.accessionNumber;
        auto &se = series[i.studyUid][i.seriesUid];
        se.seriesUid = i.seriesUid; se.modality = i.modality; se.description = i.seriesDescription;
        se.bodyPart = i.bodyPart; se.seriesNumber = i.seriesNumber;
        se.instances.push_back(i);
    }
    for (auto &[pKey, p] : patients) {
        for (auto &[studyUid, st] : studies[pKey]) {
            for (auto &[seriesUid, se] : series[studyUid]) {
                orderSeries(se);
                st.series.push_back(std::move(se));
            }
            std::sort(st.series.begin(), st.series.end(), [](const auto &a, const auto &b) { return a.seriesNumber < b.seriesNumber; });
            p.studies.push_back(std::move(st));
        }
        scan.patients.push_back(std::move(p));
    }
    return scan;
}

std::vector<DicomSeriesInfo> imageSeries(const DicomScan &scan)
{
    std::vector<DicomSeriesInfo> found;
    for (const auto &pt : scan.patients)
        for (const auto &st : pt.studies)
            for (const auto &se : st.series)
                if (se.frameCount() > 0) found.push_back(se);
    std::stable_sort(found.begin(), found.end(), [](const DicomSeriesInfo &a, const DicomSeriesInfo &b) { return a.frameCount() > b.frameCount(); });
    return found;
}

} // namespace cs
