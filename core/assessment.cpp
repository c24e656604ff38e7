#include "assessment.h"

#include "imagefile.h"
#include "vitalsimport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <numeric>

namespace cs {

QString demoCohortDir()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/clinsight/demo"),
        QStringLiteral(CLINSIGHT_DATADIR "/demo"),
        QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo"),
    };
    for (const QString &c : candidates)
        if (QFileInfo::exists(c + QStringLiteral("/ATTRIBUTION.md"))) return QDir::cleanPath(c);
    return QDir::cleanPath(candidates.last());
}

Result<std::vector<PatientInputs>> readCohort(const QString &dirPath)
{
    const QDir dir(dirPath);
    if (!dir.exists())
        return makeError(Error::Code::Io, dirPath, {}, QStringLiteral("cohort folder does not exist"));
    std::vector<PatientInputs> out;
    for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir p(dir.filePath(sub));
        PatientInputs in;
        in.id = sub;
        in.displayName = sub;
        in.folder = p.absolutePath();
        QFile meta(p.filePath(QStringLiteral("patient.json")));
        if (meta.open(QIODevice::ReadOnly)) {
            QJsonParseError e;
            const QJsonObject o = QJsonDocument::fromJson(meta.readAll(), &e).object();
            if (e.error != QJsonParseError::NoError)
                return makeError(Error::Code::Format, meta.fileName(), QStringLiteral("offset %1").arg(e.offset), e.errorString());
            in.displayName = o.value(QStringLiteral("name")).toString(sub);
            in.description = o.value(QStringLiteral("description")).toString();
            const QJsonValue h = o.value(QStringLiteral("image_hour"));
            if (h.isDouble()) in.imageHour = h.toDouble();
            else if (!h.isUndefined())
                return makeError(Error::Code::Format, meta.fileName(), QStringLiteral("image_hour"), QStringLiteral("must be a number of hours"));
        }
        for (const QString &f : p.entryList(QDir::Files, QDir::Name)) {
            const QString lower = f.toLower();
            if (lower == QLatin1String("patient.json") || lower.endsWith(QLatin1String(".md")) || lower.endsWith(QLatin1String(".txt.license")))
                continue;
            if (lower.endsWith(QLatin1String(".dcm")) || lower.endsWith(QLatin1String(".png")) || lower.endsWith(QLatin1String(".jpg")) || !lower.contains('.'))
                in.imagePaths << p.filePath(f);
            else if (in.vitalsPath.isEmpty() && (lower.endsWith(QLatin1String(".psv")) || lower.endsWith(QLatin1String(".csv"))
                                                 || lower.endsWith(QLatin1String(".txt")) || lower.endsWith(QLatin1String(".json"))))
                in.vitalsPath = p.filePath(f);
        }
        out.push_back(in);
    }
    if (out.empty())
        return makeError(Error::Code::Format, dirPath, {}, QStringLiteral("no patient folders (expected DIR/<patient-id>/ with images and vitals)"));
    return out;
}

Result<PatientAssessment> assessPatient(const HybridModel *model, const PatientInputs &in, bool withGradCam)
{
    PatientAssessment a;
    a.inputs = in;
    if (model) { a.modelName = model->name(); a.modelVersion = model->version(); }
    else a.notes << QStringLiteral("model unavailable: no model risk");

    for (const QString &path : in.imagePaths) {
        if (looksLikeRasterFile(path)) {
            auto f = readGreyImage(path);
            if (!f) { a.notes << f.error().message(); continue; }
            a.frame = f.value();
        } else {
            auto src = DicomImageSource::open(path);
            if (!src) { a.notes << src.error().message(); continue; }
            auto f = src->render(0);
            if (!f) { a.notes << f.error().message(); continue; }
            a.imageInfo = src->info();
            a.frame = f.value();
        }
        a.imagePath = path;
        a.imageSha256 = sha256OfFile(path);
        break;
    }
    if (!a.frame) a.notes << QStringLiteral("no readable image");

    if (!in.vitalsPath.isEmpty()) {
        auto t = importVitals(in.vitalsPath);
        if (t) {
            a.vitals = t.value();
            a.vitals->labels.assign(a.vitals->labels.size(), -1);  // labels are never an input
            a.vitalsSha256 = sha256OfFile(in.vitalsPath);
            const int hours = buildHourlyGrid(*a.vitals, {}, -1).hours;
            a.scores = scoreTimeline(*a.vitals, hours);
            if (!a.vitals->excluded.empty())
                a.notes << QStringLiteral("%1 vitals value(s) excluded by cleaning").arg(a.vitals->excluded.size());
        } else {
            a.notes << t.error().message();
        }
    } else {
        a.notes << QStringLiteral("no vitals record");
    }
    if (const HourlyScores *s = a.lastScores(); s && s->news2.partial)
        a.notes << QStringLiteral("NEWS2 partial (%1)").arg(s->news2.completeness());

    if (model) {
        if (a.frame) {
            auto r = model->scoreImage(*a.frame, a.imageInfo ? &*a.imageInfo : nullptr, withGradCam);
            if (!r) return r.error();
            a.image = r.value();
            if (!a.image->applicable) a.notes << QStringLiteral("image not scored: ") + a.image->notApplicableReason;
        }
        if (a.vitals) {
            auto r = model->scoreVitals(*a.vitals);
            if (!r) return r.error();
            a.vitalsRisk = r.value();
            if (!a.vitalsRisk->missingVariables.isEmpty())
                a.notes << QStringLiteral("never measured: ") + a.vitalsRisk->missingVariables.join(QStringLiteral(", "));
            std::vector<int> idx(a.vitalsRisk->attention.size());
            std::iota(idx.begin(), idx.end(), 0);
            std::stable_sort(idx.begin(), idx.end(), [&](int x, int y) { return a.vitalsRisk->attention[x] > a.vitalsRisk->attention[y]; });
            a.topAttentionHours.assign(idx.begin(), idx.begin() + std::min<size_t>(3, idx.size()));
        }
        if (a.image && a.vitalsRisk) {
            a.fused = model->fuse(*a.image, *a.vitalsRisk);
            if (!a.fused.available) a.notes << QStringLiteral("no fused risk: ") + a.fused.unavailableReason;
        } else {
            a.fused.unavailableReason = QStringLiteral("needs both an image and vitals");
        }
    }
    double branchMax = 0;
    if (a.image && a.image->applicable) { branchMax = std::max(branchMax, a.image->risk); a.flagged |= a.image->alert; }
    if (a.vitalsRisk && a.vitalsRisk->applicable) {
        branchMax = std::max(branchMax, a.vitalsRisk->riskPerHour.back());
        a.flagged |= a.vitalsRisk->alertPerHour.back() == 1;
    }
    if (a.fused.available) a.flagged |= a.fused.alert;
    a.priority = a.fused.available ? a.fused.risk : branchMax;
    return a;
}

void sortByUrgency(std::vector<PatientAssessment> &list)
{
    std::stable_sort(list.begin(), list.end(), [](const PatientAssessment &x, const PatientAssessment &y) {
        if (x.flagged != y.flagged) return x.flagged;
        if (x.priority != y.priority) return x.priority > y.priority;
        const int nx = x.lastScores() ? x.lastScores()->news2.points : -1, ny = y.lastScores() ? y.lastScores()->news2.points : -1;
        if (nx != ny) return nx > ny;
        return x.inputs.id < y.inputs.id;
    });
}

Result<std::vector<PatientAssessment>> triageCohort(const HybridModel *model, const QString &dir, JobControl &control)
{
    auto cohort = readCohort(dir);
    if (!cohort) return cohort.error();
    control.setTotal(qint64(cohort->size()));
    std::vector<PatientAssessment> out;
    for (const auto &in : cohort.value()) {
        if (control.isCancelled()) return cancelledError(QStringLiteral("triage"));
        auto a = assessPatient(model, in, false);
        if (a) {
            out.push_back(std::move(a.value()));
        } else {
            PatientAssessment failed;
            failed.inputs = in;
            failed.notes << a.error().message();
            out.push_back(std::move(failed));
        }
        control.advance(1, in.id);
    }
    sortByUrgency(out);
    return out;
}

} // namespace cs
