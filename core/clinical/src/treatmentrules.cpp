#include "clinsight/clinical/treatmentrules.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace cs {

namespace {

// The inputs whose age the rules limit (the names used in the rules file).
const QStringList kInputs = {QStringLiteral("lactate"), QStringLiteral("map"), QStringLiteral("blood_pressure"),
                             QStringLiteral("respiratory_rate"), QStringLiteral("consciousness"), QStringLiteral("urea")};

const QStringList kTopKeys = {QStringLiteral("name"), QStringLiteral("version"), QStringLiteral("disclaimer"), QStringLiteral("rules"),
                              QStringLiteral("input_max_age_hours"), QStringLiteral("input_max_age_source")};
const QStringList kRuleKeys = {QStringLiteral("id"), QStringLiteral("when"), QStringLiteral("text"), QStringLiteral("guideline"),
                               QStringLiteral("max_age_hours")};
const QStringList kConditions = {QStringLiteral("any_of"), QStringLiteral("news2_min"), QStringLiteral("news2_max"),
                                 QStringLiteral("news2_partial"), QStringLiteral("news2_any_component_3"), QStringLiteral("qsofa_min"),
                                 QStringLiteral("vitals_alert"), QStringLiteral("image_alert")};
const QStringList kPlaceholders = {QStringLiteral("news2"), QStringLiteral("red_parameters"), QStringLiteral("news2_missing"),
                                   QStringLiteral("sepsis_reason"), QStringLiteral("lactate"), QStringLiteral("map"),
                                   QStringLiteral("image_risk"), QStringLiteral("curb65")};

Status checkCondition(const QJsonObject &when, const QString &path, const QString &at)
{
    for (auto it = when.begin(); it != when.end(); ++it) {
        if (!kConditions.contains(it.key()))
            return makeError(Error::Code::Format, path, at + '.' + it.key(),
                             QStringLiteral("unknown condition: the rule would never fire (known: %1)").arg(kConditions.join(QStringLiteral(", "))));
        if (it.key() == QLatin1String("any_of")) {
            const QJsonArray alts = it.value().toArray();
            for (int i = 0; i < alts.size(); ++i)
                if (auto st = checkCondition(alts[i].toObject(), path, at + QStringLiteral(".any_of[%1]").arg(i)); !st) return st;
        }
    }
    return Ok{};
}

} // namespace

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
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!kTopKeys.contains(it.key()))
            return makeError(Error::Code::Format, path, it.key(), QStringLiteral("unknown key: this ClinSight would ignore it"));
    auto maxAges = [&path](const QJsonValue &v, const QString &field, std::map<QString, double> &into) -> Status {
        if (v.isUndefined()) return Ok{};
        if (!v.isObject()) return makeError(Error::Code::Format, path, field, QStringLiteral("must be an object of input: hours"));
        const QJsonObject m = v.toObject();
        for (auto it = m.begin(); it != m.end(); ++it) {
            if (!kInputs.contains(it.key()))
                return makeError(Error::Code::Format, path, field + '.' + it.key(),
                                 QStringLiteral("unknown input (known: %1)").arg(kInputs.join(QStringLiteral(", "))));
            if (!it.value().isDouble() || it.value().toDouble() <= 0)
                return makeError(Error::Code::Format, path, field + '.' + it.key(), QStringLiteral("must be a positive number of hours"));
            into[it.key()] = it.value().toDouble();
        }
        return Ok{};
    };
    if (auto st = maxAges(o.value(QStringLiteral("input_max_age_hours")), QStringLiteral("input_max_age_hours"), r.m_defaultMaxAge); !st)
        return st.error();
    for (int i = 0; i < r.m_rules.size(); ++i) {
        const QJsonObject rule = r.m_rules[i].toObject();
        const QString at = QStringLiteral("rules[%1]").arg(i);
        for (const char *k : {"id", "text", "guideline"})
            if (rule.value(QLatin1String(k)).toString().isEmpty())
                return makeError(Error::Code::Format, path, at + '.' + QLatin1String(k), QStringLiteral("missing"));
        for (auto it = rule.begin(); it != rule.end(); ++it)
            if (!kRuleKeys.contains(it.key()))
                return makeError(Error::Code::Format, path, at + '.' + it.key(), QStringLiteral("unknown key: this ClinSight would ignore it"));
        if (auto st = checkCondition(rule.value(QStringLiteral("when")).toObject(), path, at + QStringLiteral(".when")); !st)
            return st.error();
        const QString text = rule.value(QStringLiteral("text")).toString();
        for (const auto &m : QRegularExpression(QStringLiteral("\\{([a-z0-9_]+)\\}")).globalMatch(text))
            if (!kPlaceholders.contains(m.captured(1)))
                return makeError(Error::Code::Format, path, at + QStringLiteral(".text"),
                                 QStringLiteral("unknown placeholder {%1}").arg(m.captured(1)));
        std::map<QString, double> own;
        if (auto st = maxAges(rule.value(QStringLiteral("max_age_hours")), at + QStringLiteral(".max_age_hours"), own); !st)
            return st.error();
        r.m_ruleMaxAge.push_back(own);
    }
    for (const QString &in : kInputs)
        if (!r.m_defaultMaxAge.count(in))
            return makeError(Error::Code::Format, path, QStringLiteral("input_max_age_hours.") + in,
                             QStringLiteral("missing: every input needs a maximum age"));
    return r;
}

namespace {

// The end of the record: values are judged as of the last scored hour.
double recordEnd(const PatientAssessment &a)
{
    if (!a.scores.empty()) return a.scores.back().hour + 0.999999;
    return a.vitals ? a.vitals->durationHours() : 0;
}

// The last value of one input, or why there is none to use.
struct Reading {
    std::optional<double> value;
    QString stale;   // "lactate 31 h old, not used"
};

Reading reading(const PatientAssessment &a, const QString &var, const QString &label, double maxAge)
{
    Reading r;
    if (!a.vitals) return r;
    const double now = recordEnd(a);
    auto s = a.vitals->latest(var, now, 1e9);
    if (!s) return r;
    const double age = now - s->hours;
    if (age > maxAge) r.stale = QStringLiteral("%1 %2 h old, not used (limit %3 h)").arg(label).arg(age, 0, 'f', 0).arg(maxAge, 0, 'g', 3);
    else r.value = s->value;
    return r;
}

QString fmt(const Reading &r, const QString &unit)
{
    if (r.value) return QStringLiteral("%1 %2").arg(*r.value, 0, 'g', 4).arg(unit);
    return r.stale.isEmpty() ? QStringLiteral("not recorded") : r.stale;
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

QString curb65Summary(const PatientAssessment &a, const std::map<QString, double> &maxAge)
{
    QStringList met, unknown, stale;
    QSet<QString> staleInputs;
    int n = 0;
    auto get = [&](const QString &var, const QString &label, const QString &input) {
        Reading r = reading(a, var, label, maxAge.at(input));
        if (!r.stale.isEmpty()) { stale << r.stale; staleInputs.insert(input); }
        return r.value;
    };
    // Not recorded at all (a stale value is named as such instead).
    auto missing = [&](const QString &what, const QString &input) { if (!staleInputs.contains(input)) unknown << what; };
    const auto gcs = get(var::GCS, QStringLiteral("GCS"), QStringLiteral("consciousness"));
    const auto avpu = get(var::AVPU, QStringLiteral("ACVPU"), QStringLiteral("consciousness"));
    if (gcs || avpu) { if ((gcs && *gcs < 15) || (avpu && *avpu > 0)) { ++n; met << QStringLiteral("confusion"); } }
    else missing(QStringLiteral("confusion"), QStringLiteral("consciousness"));
    const auto bun = get(QStringLiteral("BUN"), QStringLiteral("urea"), QStringLiteral("urea"));  // mg/dL in PhysioNet; urea mmol/L = BUN x 0.357
    if (bun) { if (*bun * 0.357 > 7.0) { ++n; met << QStringLiteral("urea > 7 mmol/L"); } }
    else missing(QStringLiteral("urea"), QStringLiteral("urea"));
    const auto rr = get(var::RR, QStringLiteral("respiratory rate"), QStringLiteral("respiratory_rate"));
    if (rr) { if (*rr >= 30) { ++n; met << QStringLiteral("RR >= 30"); } }
    else missing(QStringLiteral("respiratory rate"), QStringLiteral("respiratory_rate"));
    const auto sbp = get(var::SBP, QStringLiteral("systolic BP"), QStringLiteral("blood_pressure"));
    const auto dbp = get(var::DBP, QStringLiteral("diastolic BP"), QStringLiteral("blood_pressure"));
    if (sbp || dbp) { if ((sbp && *sbp < 90) || (dbp && *dbp <= 60)) { ++n; met << QStringLiteral("SBP < 90 or DBP <= 60"); } }
    else missing(QStringLiteral("blood pressure"), QStringLiteral("blood_pressure"));
    const std::optional<double> age = a.vitals ? a.vitals->age : std::nullopt;
    if (age) { if (*age >= 65) { ++n; met << QStringLiteral("age >= 65"); } }
    else unknown << QStringLiteral("age");
    QString out = QStringLiteral("%1 of 5 criteria met").arg(n);
    if (!met.isEmpty()) out += QStringLiteral(" (%1)").arg(met.join(QStringLiteral(", ")));
    if (!unknown.isEmpty()) out += QStringLiteral("; not recorded: %1").arg(unknown.join(QStringLiteral(", ")));
    if (!stale.isEmpty()) out += QStringLiteral("; %1").arg(stale.join(QStringLiteral("; ")));
    return out;
}

QString curb65Summary(const PatientAssessment &a) { return curb65Summary(a, TreatmentRules::guidelineMaxAges()); }

const std::map<QString, double> &TreatmentRules::guidelineMaxAges()
{
    static const std::map<QString, double> m = {{QStringLiteral("lactate"), 6}, {QStringLiteral("map"), 1},
                                                {QStringLiteral("blood_pressure"), 4}, {QStringLiteral("respiratory_rate"), 4},
                                                {QStringLiteral("consciousness"), 12}, {QStringLiteral("urea"), 24}};
    return m;
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
    for (int i = 0; i < m_rules.size(); ++i) {
        const QJsonObject rule = m_rules[i].toObject();
        std::map<QString, double> maxAge = m_defaultMaxAge;
        for (const auto &[k, v] : m_ruleMaxAge[size_t(i)]) maxAge[k] = v;
        if (!matches(rule.value(QStringLiteral("when")).toObject(), a)) continue;
        QString text = rule.value(QStringLiteral("text")).toString();
        text.replace(QStringLiteral("{news2}"), s ? QString::number(s->news2.points) : QStringLiteral("n/a"));
        text.replace(QStringLiteral("{red_parameters}"), red.join(QStringLiteral(", ")));
        text.replace(QStringLiteral("{news2_missing}"), missing.join(QStringLiteral(", ")));
        text.replace(QStringLiteral("{sepsis_reason}"), sepsisReason.join(QStringLiteral(", ")));
        text.replace(QStringLiteral("{lactate}"), fmt(reading(a, var::Lactate, QStringLiteral("lactate"), maxAge.at(QStringLiteral("lactate"))), QStringLiteral("mmol/L")));
        text.replace(QStringLiteral("{map}"), fmt(reading(a, var::MAP, QStringLiteral("MAP"), maxAge.at(QStringLiteral("map"))), QStringLiteral("mmHg")));
        text.replace(QStringLiteral("{image_risk}"), a.image ? QStringLiteral("%1%").arg(a.image->risk * 100, 0, 'f', 0) : QStringLiteral("n/a"));
        text.replace(QStringLiteral("{curb65}"), curb65Summary(a, maxAge));
        out.push_back({rule.value(QStringLiteral("id")).toString(), text, rule.value(QStringLiteral("guideline")).toString()});
    }
    return out;
}

} // namespace cs
