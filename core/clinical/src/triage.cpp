#include "clinsight/clinical/triage.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace cs {

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
