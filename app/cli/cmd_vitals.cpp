// clinsight-cli vitals FILE [--json]
#include "cli.h"
#include "clinsight/scores/hourlyscores.h"
#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace cli {

namespace {

QJsonObject scoreJson(const cs::ScoreResult &s)
{
    QJsonArray comps;
    for (const auto &c : s.components)
        comps.append(QJsonObject{{QStringLiteral("parameter"), c.parameter},
                                 {QStringLiteral("value"), c.value ? QJsonValue(*c.value) : QJsonValue()},
                                 {QStringLiteral("unit"), c.unit},
                                 {QStringLiteral("points"), c.missing ? QJsonValue() : QJsonValue(c.points)},
                                 {QStringLiteral("missing"), c.missing}});
    return {{QStringLiteral("points"), s.points}, {QStringLiteral("partial"), s.partial},
            {QStringLiteral("completeness"), s.completeness()}, {QStringLiteral("missing"), s.missingCount},
            {QStringLiteral("band"), s.band}, {QStringLiteral("alert"), s.alert}, {QStringLiteral("components"), comps}};
}

QString cell(float v, int prec)
{
    return std::isnan(v) ? QStringLiteral("-") : QString::number(double(v), 'f', prec);
}

} // namespace

int vitals(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("PhysioNet 2019 .psv, PhysioNet 2012 CSV, ClinSight long CSV or FHIR R4 Bundle JSON."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    const QCommandLineOption scale2(QStringLiteral("spo2-scale2"), QStringLiteral("Score SpO2 on NEWS2 scale 2 (target 88-92%, hypercapnic respiratory failure)."));
    p.addOptions({json, scale2});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Imports a vitals record, cleans it (units, implausible values, duplicate\n"
                                       "times) and prints the hourly grid with NEWS2, qSOFA and SIRS per hour.\n"
                                       "A score with a missing component is marked partial; missing is never scored as normal."),
               code, 1, 1))
        return code;
    auto t = cs::importVitals(p.positionalArguments().first());
    if (!t)
        return fail(t.error());
    const QStringList shown = {cs::var::HR, cs::var::SBP, cs::var::DBP, cs::var::MAP, cs::var::SpO2, cs::var::RR,
                               cs::var::Temp, cs::var::FiO2, cs::var::GCS};
    const cs::HourlyGrid g = cs::buildHourlyGrid(t.value(), shown);
    const auto scores = cs::scoreTimeline(t.value(), g.hours, p.isSet(scale2) ? cs::SpO2Scale::Scale2 : cs::SpO2Scale::Scale1);

    if (p.isSet(json)) {
        QJsonArray hours, excluded;
        for (int h = 0; h < g.hours; ++h) {
            QJsonObject values, measured;
            for (int v = 0; v < shown.size(); ++v) {
                const float x = g.at(h, v);
                values.insert(shown[v], std::isnan(x) ? QJsonValue() : QJsonValue(double(x)));
                measured.insert(shown[v], bool(g.measured[std::size_t(h) * shown.size() + v]));
            }
            hours.append(QJsonObject{{QStringLiteral("hour"), h}, {QStringLiteral("values"), values},
                                     {QStringLiteral("measured"), measured},
                                     {QStringLiteral("news2"), scoreJson(scores[h].news2)},
                                     {QStringLiteral("qsofa"), scoreJson(scores[h].qsofa)},
                                     {QStringLiteral("sirs"), scoreJson(scores[h].sirs)}});
        }
        for (const auto &e : t->excluded)
            excluded.append(QJsonObject{{QStringLiteral("variable"), e.variable}, {QStringLiteral("hours"), e.hours},
                                        {QStringLiteral("value"), e.rawValue}, {QStringLiteral("unit"), e.rawUnit},
                                        {QStringLiteral("source"), e.source}, {QStringLiteral("reason"), e.reason}});
        QJsonObject units;
        for (const auto &v : shown) units.insert(v, cs::canonicalUnit(v));
        const QJsonObject root{{QStringLiteral("file"), t->sourceFile}, {QStringLiteral("format"), t->format},
                               {QStringLiteral("patientId"), t->patientId}, {QStringLiteral("rowsRead"), t->rowsRead},
                               {QStringLiteral("samples"), t->sampleCount()}, {QStringLiteral("units"), units},
                               {QStringLiteral("spo2Scale"), p.isSet(scale2) ? 2 : 1},
                               {QStringLiteral("excluded"), excluded},
                               {QStringLiteral("cleaningLog"), QJsonArray::fromStringList(t->cleaningLog)},
                               {QStringLiteral("hours"), hours}};
        out() << QJsonDocument(root).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    QTextStream &o = out();
    o << t->format << "  " << t->sourceFile << "  patient " << t->patientId << "  " << t->rowsRead << " rows, "
      << t->sampleCount() << " values, " << t->excluded.size() << " excluded\n";
    o << QStringLiteral("%1").arg(QStringLiteral("hour"), 5);
    for (const auto &v : shown) o << QStringLiteral("%1").arg(v, 7);
    o << "  NEWS2 (complete)  qSOFA   SIRS\n";
    for (int h = 0; h < g.hours; ++h) {
        o << QStringLiteral("%1").arg(h, 5);
        for (int v = 0; v < shown.size(); ++v)
            o << QStringLiteral("%1").arg(cell(g.at(h, v), shown[v] == cs::var::FiO2 ? 2 : 1), 7);
        const auto &s = scores[h];
        o << QStringLiteral("  %1%2 (%3)").arg(s.news2.points, 3).arg(s.news2.partial ? QStringLiteral("*") : QStringLiteral(" "))
                 .arg(QStringLiteral("%1/7").arg(7 - s.news2.missingCount))
          << QStringLiteral("   %1%2").arg(s.qsofa.points, 3).arg(s.qsofa.partial ? QStringLiteral("*") : QStringLiteral(" "))
          << QStringLiteral("  %1%2").arg(s.sirs.points, 3).arg(s.sirs.partial ? QStringLiteral("*") : QStringLiteral(" ")) << "\n";
    }
    o << "* partial: a component's input is missing and was not scored (never assumed normal)\n";
    for (const auto &e : t->excluded)
        o << "excluded  " << e.source << "  " << e.variable << " " << e.rawValue << " " << e.rawUnit << ": " << e.reason << "\n";
    for (const auto &l : t->cleaningLog)
        o << "cleaning  " << l << "\n";
    return kExitOk;
}

} // namespace cli
