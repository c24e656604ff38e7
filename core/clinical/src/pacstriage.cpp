#include "clinsight/clinical/pacstriage.h"
#include "clinsight/foundation/version.h"
#include "clinsight/imaging/saliencycapture.h"
#include "clinsight/pacs/dicomweb.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <algorithm>

namespace cs {

ResultDocument resultDocumentOf(const PatientAssessment &a, const HybridModel &model)
{
    const ModelThresholds th = model.thresholds();
    ResultDocument d;
    if (a.imageInfo) d.source = *a.imageInfo;
    d.modelName = model.name();
    d.modelVersion = model.version();
    d.weightsSha256 = model.manifest().value(QStringLiteral("files")).toObject().value(QStringLiteral("weights.pt")).toString();
    d.modelSigner = model.signature().summary();
    if (a.image) d.image = ResultRisk{a.image->risk, th.image, a.image->alert};
    if (a.vitalsRisk && a.vitalsRisk->applicable && !a.vitalsRisk->riskPerHour.empty())
        d.vitals = ResultRisk{a.vitalsRisk->riskPerHour.back(), th.vitals, a.vitalsRisk->alertPerHour.empty() ? false : a.vitalsRisk->alertPerHour.back() != 0};
    if (a.fused.available) d.fused = ResultRisk{a.fused.risk, th.fused, a.fused.alert};
    if (const HourlyScores *s = a.lastScores()) {
        d.news2 = s->news2.points;
        d.news2Partial = s->news2.partial;
        d.qsofa = s->qsofa.points;
        d.qsofaPartial = s->qsofa.partial;
    }
    d.flagged = a.flagged;
    d.notes = a.notes;
    return d;
}

Result<std::vector<WrittenObject>> writeResultObjects(const PatientAssessment &a, const HybridModel &model, const QString &outDir)
{
    if (!a.imageInfo || !a.image || !a.image->applicable || !a.frame)
        return makeError(Error::Code::NotApplicable, a.imagePath, {}, a.image ? a.image->notApplicableReason : QStringLiteral("no DICOM image was scored"));
    if (a.image->gradCam.isNull())
        return makeError(Error::Code::Invalid, a.imagePath, QStringLiteral("Grad-CAM"), QStringLiteral("not computed for this assessment"));
    if (!QDir().mkpath(outDir)) return makeError(Error::Code::Io, outDir, {}, QStringLiteral("folder could not be created"));
    const ResultDocument doc = resultDocumentOf(a, model);
    const QString base = QDir(outDir).filePath(a.imageInfo->sopInstanceUid);
    auto sr = writeResultSr(doc, base + QStringLiteral(".sr.dcm"));
    if (!sr) return sr.error();
    const ModelThresholds th = model.thresholds();
    const QStringList caption = {
        QStringLiteral("ClinSight %1 %2 - Grad-CAM of the image branch (red: regions that raised the risk most)").arg(doc.modelName, doc.modelVersion),
        QStringLiteral("Pneumonia risk (image branch) %1% - alert level %2% - %3 - %4")
            .arg(a.image->risk * 100, 0, 'f', 1).arg(th.image * 100, 0, 'f', 1)
            .arg(a.image->alert ? QStringLiteral("ABOVE ALERT LEVEL") : QStringLiteral("below alert level"),
                 relativeToAlertLevel(a.image->risk, th.image)),
        QStringLiteral("For research and decision support - not a diagnosis."),
    };
    auto capture = composeSaliencyCapture(*a.frame, a.image->gradCam, caption);
    if (!capture) return capture.error();
    SecondaryCaptureDocument sc;
    sc.source = *a.imageInfo;
    sc.rgb = std::move(capture.value());
    sc.derivationDescription = QStringLiteral("Displayed frame of %1 with the Grad-CAM heatmap of %2 %3 (weights SHA-256 %4) blended over it; caption burned in")
                                   .arg(a.imageInfo->sopInstanceUid, doc.modelName, doc.modelVersion, doc.weightsSha256.left(16));
    sc.softwareVersion = QStringLiteral("ClinSight ") + clinsightVersion();
    auto scw = writeSecondaryCapture(sc, base + QStringLiteral(".sc.dcm"));
    if (!scw) { QFile::remove(sr->path); return scw.error(); }
    return std::vector<WrittenObject>{sr.value(), scw.value()};
}

PatientInputs studyFolderInputs(const QString &folder, const QString &label)
{
    PatientInputs in;
    in.id = label;
    in.displayName = label;
    in.folder = QDir(folder).absolutePath();
    const QDir d(folder);
    for (const QString &f : d.entryList(QDir::Files, QDir::Name)) {
        const QString p = d.filePath(f);
        // Our own results in the study (an earlier run's SR and capture) are never scored.
        auto h = readDicomHeader(p);
        if (h && h->seriesDescription.startsWith(QLatin1String("ClinSight "))) continue;
        if (!h && h.error().code == Error::Code::Unsupported) continue;   // SR, presentation states: no image
        in.imagePaths << p;
    }
    return in;
}

namespace {

QString labelOf(const StudyMatch &m)
{
    QString date = m.studyDate;
    if (date.size() == 8) date = date.left(4) + QLatin1Char('-') + date.mid(4, 2) + QLatin1Char('-') + date.mid(6, 2);
    return (m.patientId.isEmpty() ? QStringLiteral("(no patient id)") : m.patientId) + (date.isEmpty() ? QString() : QLatin1Char(' ') + date);
}

} // namespace

void sortPacsWorklist(std::vector<PacsTriageStudy> &list)
{
    std::stable_sort(list.begin(), list.end(), [](const PacsTriageStudy &x, const PacsTriageStudy &y) {
        const bool sx = x.assessment.has_value(), sy = y.assessment.has_value();
        if (sx != sy) return sx;
        if (!sx) return false;
        if (x.assessment->flagged != y.assessment->flagged) return x.assessment->flagged;
        if (x.applicable != y.applicable) return x.applicable;
        return x.assessment->priority > y.assessment->priority;
    });
}

Result<std::vector<PacsTriageStudy>> triagePacs(const HybridModel *model, const PacsTriageParams &p, JobControl &control)
{
    JobControl findStage;
    findStage.shareCancellation(control);
    auto found = p.dicomWeb ? dicomWebFindStudies(p.node, p.query, findStage) : dimseFindStudies(p.node, p.query, findStage);
    if (!found) return found.error();
    control.setTotal(qint64(found->size()));
    const QString studiesDir = QDir(p.workDir).filePath(QStringLiteral("studies"));
    const QString resultsDir = QDir(p.workDir).filePath(QStringLiteral("results"));
    std::vector<PacsTriageStudy> out;
    for (const StudyMatch &m : found.value()) {
        if (control.isCancelled()) return cancelledError(QStringLiteral("PACS triage"));
        PacsTriageStudy row;
        row.match = m;
        JobControl stage;
        stage.shareCancellation(control);
        auto got = p.dicomWeb ? dicomWebRetrieveStudy(p.node, m.studyUid, studiesDir, stage)
                              : dimseRetrieveStudy(p.node, m.studyUid, studiesDir, p.method, stage);
        if (!got) {
            if (got.error().code == Error::Code::Cancelled) return got.error();
            row.failure = got.error().message();
        } else {
            auto a = assessPatient(model, studyFolderInputs(got->folder, labelOf(m)), p.storeResults);
            if (!a) {
                row.failure = a.error().message();
            } else {
                row.assessment = std::move(a.value());
                row.applicable = row.assessment->image && row.assessment->image->applicable;
                if (p.storeResults && model && row.applicable) {
                    auto written = writeResultObjects(*row.assessment, *model, resultsDir);
                    if (!written) {
                        row.failure = written.error().message();
                    } else {
                        row.results = written.value();
                        QStringList files;
                        for (const auto &w : row.results) files << w.path;
                        JobControl store;
                        store.shareCancellation(control);
                        auto s = p.dicomWeb ? dicomWebStoreFiles(p.node, files, store) : dimseStoreFiles(p.node, files, store);
                        if (s) row.resultsStored = true;
                        else row.failure = s.error().message();
                    }
                }
            }
        }
        out.push_back(std::move(row));
        control.advance(1, m.studyUid);
    }
    sortPacsWorklist(out);
    return out;
}

} // namespace cs
