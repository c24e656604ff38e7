#include "clinsight/clinical/treatmentrules.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cs {

Result<TreatmentRules> TreatmentRules::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("rules file missing or unreadable"));
    QJsonParseError e;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll(), &e).object();
    if (e.error != QJsonParseError::NoError)
        return makeError(Error::Code::Format, path, QStringLiteral("offset %1").arg(e.offset), e.errorString());
    TreatmentRules r;
    r.m_path = path;
    r.m_version = o.value(QStringLiteral("version")).toString();
    r.m_disclaimer = o.value(QStringLiteral("disclaimer")).toString();
    r.m_rules = o.value(QStringLiteral("rules")).toArray();
    if (r.m_version.isEmpty())
        return makeError(Error::Code::Format, path, QStringLiteral("version"), QStringLiteral("missing: rules must be versioned"));
    for (int i = 0; i < r.m_rules.size(); ++i) {
        const QJsonObject rule = r.m_rules[i].toObject();
        for (const char *k : {"id", "text", "guideline"})
            if (rule.value(QLatin1String(k)).toString().isEmpty())
                return makeError(Error::Code::Format, path, QStringLiteral("rules[%1].%2").arg(i).arg(QLatin1String(k)), QStringLiteral("missing"));
    }
    return r;
}

namespace {

std::optional<double> latest(const PatientAssessment &a, const QString &v)
{
    if (!a.vitals) return std::nullopt;
    auto s = a.vitals->latest(v, 1e9, 1e9);
    return s ? std::optional<double>(s->value) : std::nullopt;
}

QString fmt(std::optional<double> v, const QString &unit)
{
    return v ? QStringLiteral("%1 %2").arg(*v, 0, 'g', 4).arg(unit) : QStringLiteral("not recorded");
}

bool matches(const QJsonObject &when, const PatientAssessment &a)
{
    const HourlyScores *s = a.lastScores();
    for (auto it = when.begin(); it != when.end(); ++it) {
        const QString k = it.key();
        const QJsonValue v = it.value();
        if (k == QLatin1String("any_of")) {
            bool any = false;
            for (const auto &c : v.toArray()) any = any || matches(c.toObject(), a);
            if (!any) return false;
        } else if (k == QLatin1String("news2_min")) {
            if (!s || s->news2.points < v.toInt()) return false;
        } else if (k == QLatin1String("news2_max")) {
            if (!s || s->news2.points > v.toInt()) return false;
        } else if (k == QLatin1String("news2_partial")) {
            if (!s || s->news2.partial != v.toBool()) return false;
        } else if (k == QLatin1String("news2_any_component_3")) {
            if (!s) return false;
            bool red = false;
            for (const auto &c : s->news2.components) red = red || (!c.missing && c.points == 3);
            if (red != v.toBool()) return false;
        } else if (k == QLatin1String("qsofa_min")) {
            if (!s || s->qsofa.points < v.toInt()) return false;
        } else if (k == QLatin1String("vitals_alert")) {
            const bool alert = a.vitalsRisk && a.vitalsRisk->applicable && a.vitalsRisk->alertPerHour.back() == 1;
            if (alert != v.toBool()) return false;
        } else if (k == QLatin1String("image_alert")) {
            const bool alert = a.image && a.image->applicable && a.image->alert;
            if (alert != v.toBool()) return false;
        } else {
            return false;  // unknown condition: never fire silently
        }
    }
    return true;
}

} // namespace

QString curb65Summary(const PatientAssessment &a)
{
    QStringList met, unknown;
    int n = 0;
    const auto gcs = latest(a, var::GCS), avpu = latest(a, var::AVPU);
    if (gcs || avpu) { if ((gcs && *gcs < 15) || (avpu && *avpu > 0)) { ++n; met << QStringLiteral("confusion"); } }
    else unknown << QStringLiteral("confusion");
    const auto bun = latest(a, QStringLiteral("BUN"));  // mg/dL in PhysioNet; urea mmol/L = BUN x 0.357
    if (bun) { if (*bun * 0.357 > 7.0) { ++n; met << QStringLiteral("urea > 7 mmol/L"); } }
    else unknown << QStringLiteral("urea");
    const auto rr = latest(a, var::RR);
    if (rr) { if (*rr >= 30) { ++n; met << QStringLiteral("RR >= 30"); } }
    else unknown << QStringLiteral("respiratory rate");
    const auto sbp = latest(a, var::SBP), dbp = latest(a, var::DBP);
    if (sbp || dbp) { if ((sbp && *sbp < 90) || (dbp && *dbp <= 60)) { ++n; met << QStringLiteral("SBP < 90 or DBP <= 60"); } }
    else unknown << QStringLiteral("blood pressure");
    const std::optional<double> age = a.vitals ? a.vitals->age : std::nullopt;
    if (age) { if (*age >= 65) { ++n; met << QStringLiteral("age >= 65"); } }
    else unknown << QStringLiteral("age");
    QString out = QStringLiteral("%1 of 5 criteria met").arg(n);
    if (!met.isEmpty()) out += QStringLiteral(" (%1)").arg(met.join(QStringLiteral(", ")));
    if (!unknown.isEmpty()) out += QStringLiteral("; not recorded: %1").arg(unknown.join(QStringLiteral(", ")));
    return out;
}

std::vector<Suggestion> TreatmentRules::suggest(const PatientAssessment &a) const
{
    std::vector<Suggestion> out;
    const HourlyScores *s = a.lastScores();
    QStringList red, missing;
    if (s)
        for (const auto &c : s->news2.components) {
            if (c.missing) missing << c.parameter;
            else if (c.points == 3) red << c.parameter;
        }
    QStringList sepsisReason;
    if (a.vitalsRisk && a.vitalsRisk->applicable && a.vitalsRisk->alertPerHour.back() == 1)
        sepsisReason << QStringLiteral("vitals model risk %1%").arg(a.vitalsRisk->riskPerHour.back() * 100, 0, 'f', 0);
    if (s && s->qsofa.points >= 2) sepsisReason << QStringLiteral("qSOFA %1").arg(s->qsofa.points);
    for (const auto &rv : m_rules) {
        const QJsonObject rule = rv.toObject();
        if (!matches(rule.value(QStringLiteral("when")).toObject(), a)) continue;
        QString text = rule.value(QStringLiteral("text")).toString();
        text.replace(QStringLiteral("{news2}"), s ? QString::number(s->news2.points) : QStringLiteral("n/a"));
        text.replace(QStringLiteral("{red_parameters}"), red.join(QStringLiteral(", ")));
        text.replace(QStringLiteral("{news2_missing}"), missing.join(QStringLiteral(", ")));
        text.replace(QStringLiteral("{sepsis_reason}"), sepsisReason.join(QStringLiteral(", ")));
        text.replace(QStringLiteral("{lactate}"), fmt(latest(a, var::Lactate), QStringLiteral("mmol/L")));
        text.replace(QStringLiteral("{map}"), fmt(latest(a, var::MAP), QStringLiteral("mmHg")));
        text.replace(QStringLiteral("{image_risk}"), a.image ? QStringLiteral("%1%").arg(a.image->risk * 100, 0, 'f', 0) : QStringLiteral("n/a"));
        text.replace(QStringLiteral("{curb65}"), curb65Summary(a));
        out.push_back({rule.value(QStringLiteral("id")).toString(), text, rule.value(QStringLiteral("guideline")).toString()});
    }
    return out;
}

} // namespace cs
