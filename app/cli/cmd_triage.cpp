// clinsight-cli triage DIR [--json]: the headless worklist.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/clinical/triage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cli {

namespace {
QJsonValue opt(bool has, double v) { return has ? QJsonValue(v) : QJsonValue(); }
QString pct(bool has, double v) { return has ? QStringLiteral("%1%").arg(v * 100, 0, 'f', 1) : QStringLiteral("n/a"); }
} // namespace

int triage(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Cohort folder: DIR/<patient-id>/ holding images (*.dcm, *.png) and one vitals file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    const QCommandLineOption scoresOnly(QStringLiteral("scores-only"),
                                        QStringLiteral("List by NEWS2 and qSOFA alone, without the model (also when its bundle is refused)."));
    p.addOptions({json, scoresOnly, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("The headless worklist: every patient of a cohort scored (image branch, vitals\n"
                                       "branch, fused risk, NEWS2, qSOFA) and listed most urgent first, with the hours the\n"
                                       "model attended to most. Progress on stderr; exit 0 when the list was produced."), code, 1, 1))
        return code;
    const QString dir = p.positionalArguments().first();
    // A bundle that is missing or fails verification stops the worklist: a list ranked without
    // the model must be asked for (--scores-only), never slipped in silently.
    cs::Result<cs::HybridModel> model = cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("--scores-only"),
                                                      QStringLiteral("scores only, as asked"));
    if (!p.isSet(scoresOnly)) {
        model = loadModel(p);
        if (!model) {
            err() << "clinsight-cli: model bundle refused: " << model.error().message()
                  << "\nclinsight-cli: no worklist produced; --scores-only lists by NEWS2 and qSOFA without the model\n";
            err().flush();
            return model.error().code == cs::Error::Code::Integrity ? kExitIntegrity : kExitFailure;
        }
    } else {
        err() << "clinsight-cli: --scores-only: no model risks; ranked by NEWS2 and qSOFA\n";
    }
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("triage")));
    auto r = cs::runJob<std::vector<cs::PatientAssessment>>(control, [&](cs::JobControl &c) {
        return cs::triageCohort(model ? &model.value() : nullptr, dir, c);
    });
    if (!r) return fail(r.error());
    const auto &list = r.value();
    if (p.isSet(json)) {
        QJsonArray rows;
        int rank = 0;
        for (const auto &a : list) {
            const cs::HourlyScores *s = a.lastScores();
            const bool img = a.image && a.image->applicable, vit = a.vitalsRisk && a.vitalsRisk->applicable;
            QJsonArray top;
            for (int h : a.topAttentionHours) top.append(h);
            rows.append(QJsonObject{
                {"rank", ++rank}, {"patient", a.inputs.id}, {"name", a.inputs.displayName},
                {"identity", a.identity.key()}, {"identityBasis", a.identity.basis()},
                {"identityConflict", a.identityConflict.isEmpty() ? QJsonValue() : QJsonValue(a.identityConflict)},
                {"scored", a.failure.isEmpty()},
                {"fusedRisk", opt(a.fused.available, a.fused.risk)},
                {"imageRisk", opt(img, img ? a.image->risk : 0)},
                {"vitalsRisk", opt(vit, vit ? a.vitalsRisk->riskPerHour.back() : 0)},
                {"imageShare", opt(a.fused.available, a.fused.imageShare)}, {"vitalsShare", opt(a.fused.available, a.fused.vitalsShare)},
                {"news2", s ? QJsonValue(s->news2.points) : QJsonValue()}, {"news2Partial", s ? QJsonValue(s->news2.partial) : QJsonValue()},
                {"news2Band", s ? QJsonValue(s->news2.band) : QJsonValue()},
                {"qsofa", s ? QJsonValue(s->qsofa.points) : QJsonValue()},
                {"flag", a.flagged}, {"topAttentionHours", top},
                {"image", a.imagePath}, {"vitals", a.inputs.vitalsPath}, {"notes", QJsonArray::fromStringList(a.notes)}});
        }
        const QJsonObject root{{"model", model ? QJsonValue(model->name() + ' ' + model->version()) : QJsonValue()},
                               {"modelSigner", model ? QJsonValue(model->signature().summary()) : QJsonValue()},
                               {"disclaimer", "For research and decision support - not a diagnosis."}, {"patients", rows}};
        out() << QJsonDocument(root).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    QTextStream &o = out();
    o << "ClinSight worklist - " << dir << " - model "
      << (model ? QStringLiteral("%1 %2, signed by %3").arg(model->name(), model->version(), model->signature().summary())
                : QStringLiteral("not used (scores only)"))
      << "\nFor research and decision support - not a diagnosis.\n\n";
    o << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9\n").arg("#", 2).arg("patient", -26).arg("fused", 7).arg("image", 7)
             .arg("vitals", 7).arg("NEWS2", 6).arg("qSOFA", 5).arg("flag", 4).arg("top attention hours");
    int rank = 0;
    for (const auto &a : list) {
        const cs::HourlyScores *s = a.lastScores();
        const bool img = a.image && a.image->applicable, vit = a.vitalsRisk && a.vitalsRisk->applicable;
        QStringList top;
        for (int h : a.topAttentionHours) top << QString::number(h);
        o << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9\n").arg(++rank, 2).arg(a.inputs.id.left(26), -26)
                 .arg(pct(a.fused.available, a.fused.risk), 7).arg(pct(img, img ? a.image->risk : 0), 7)
                 .arg(pct(vit, vit ? a.vitalsRisk->riskPerHour.back() : 0), 7)
                 .arg(s ? QString::number(s->news2.points) + (s->news2.partial ? "*" : " ") : QStringLiteral("n/a"), 6)
                 .arg(s ? QString::number(s->qsofa.points) + (s->qsofa.partial ? "*" : " ") : QStringLiteral("n/a"), 5)
                 .arg(a.flagged ? QStringLiteral("FLAG") : QString(), 4).arg(top.join(','));
        for (const QString &n : a.notes) o << "      - " << n << "\n";
    }
    o << "\n* partial: a component's input was missing and not scored.\n";
    return kExitOk;
}

} // namespace cli
