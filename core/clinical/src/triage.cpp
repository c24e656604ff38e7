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
        if (meta.exists()) {
            // A bad patient.json makes this patient unreadable, never the whole cohort.
            auto problem = [&](const QString &field, const QString &why) {
                in.problem = makeError(Error::Code::Format, meta.fileName(), field, why).message();
            };
            QJsonParseError e;
            const QJsonDocument doc = meta.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(meta.readAll(), &e) : QJsonDocument();
            if (!meta.isOpen()) {
                problem({}, QStringLiteral("unreadable"));
            } else if (e.error != QJsonParseError::NoError || !doc.isObject()) {
                problem(QStringLiteral("offset %1").arg(e.offset), e.error != QJsonParseError::NoError ? e.errorString() : QStringLiteral("not a JSON object"));
            } else {
                const QJsonObject o = doc.object();
                in.displayName = o.value(QStringLiteral("name")).toString(sub);
                in.description = o.value(QStringLiteral("description")).toString();
                in.declared.patientId = o.value(QStringLiteral("patient_id")).toString();
                in.declared.issuer = o.value(QStringLiteral("issuer")).toString();
                in.declared.name = o.value(QStringLiteral("patient_name")).toString();
                in.declared.birthDate = o.value(QStringLiteral("birth_date")).toString();
                const QJsonValue h = o.value(QStringLiteral("image_hour"));
                if (h.isDouble()) in.imageHour = h.toDouble();
                else if (!h.isUndefined()) problem(QStringLiteral("image_hour"), QStringLiteral("must be a number of hours"));
            }
        }
        for (const QString &f : p.entryList(QDir::Files, QDir::Name)) {
            const QString lower = f.toLower();
            if (lower == QLatin1String("patient.json") || lower.endsWith(QLatin1String(".md")) || lower.endsWith(QLatin1String(".txt.license")))
                continue;
            if (lower.endsWith(QLatin1String(".dcm")) || lower.endsWith(QLatin1String(".png")) || lower.endsWith(QLatin1String(".jpg")) || lower.endsWith(QLatin1String(".jpeg")) || !lower.contains('.'))
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

Result<std::vector<PatientAssessment>> triageCohort(const HybridModel *model, const QString &dir, JobControl &control,
                                                    const std::function<void(const PatientAssessment &)> &onAssessed)
{
    auto cohort = readCohort(dir);
    if (!cohort) return cohort.error();
    control.setTotal(qint64(cohort->size()));
    std::vector<PatientAssessment> out;
    for (const auto &in : cohort.value()) {
        if (control.isCancelled()) return cancelledError(QStringLiteral("triage"));
        auto a = in.problem.isEmpty() ? assessPatient(model, in, false) : Result<PatientAssessment>(makeError(Error::Code::Format, {}, {}, in.problem));
        if (a) {
            a->frame.reset();   // scores, not pixels: see triage.h
            out.push_back(std::move(a.value()));
        } else {
            // Kept on the worklist with its reason: a patient nobody could score is not a patient to drop.
            PatientAssessment failed;
            failed.inputs = in;
            failed.identity.importSource = in.folder;
            failed.failure = a.error().message();
            failed.notes << QStringLiteral("NOT SCORED: ") + failed.failure;
            out.push_back(std::move(failed));
        }
        if (onAssessed) onAssessed(out.back());
        control.advance(1, in.id);
    }
    sortByUrgency(out);
    return out;
}

} // namespace cs
