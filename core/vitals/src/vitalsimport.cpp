#include "clinsight/vitals/vitalsimport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cmath>
#include <map>

namespace cs {

namespace {

Result<QByteArray> readAll(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return makeError(Error::Code::Io, path, {}, QStringLiteral("file does not exist"));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot open: %1").arg(f.errorString()));
    QByteArray data = f.readAll();
    if (data.trimmed().isEmpty())
        return makeError(Error::Code::Format, path, {}, QStringLiteral("file is empty"));
    return data;
}

QList<QByteArray> lines(const QByteArray &data)
{
    QList<QByteArray> out = data.split('\n');
    for (auto &l : out) if (l.endsWith('\r')) l.chop(1);
    while (!out.isEmpty() && out.last().trimmed().isEmpty()) out.removeLast();
    return out;
}

// One timestamped observation of a multi-patient source (long CSV, FHIR).
struct RawObservation {
    QString variable;
    QDateTime time;
    bool numeric = false;
    double value = 0;
    QString rawValue, unit, source;
};

// Per patient: hours counted from the patient's earliest observation; values
// that are not numbers are excluded with notNumberReason.
std::vector<VitalsTimeline> timelinesFrom(std::map<QString, std::vector<RawObservation>> &perPatient, const QString &path,
                                          const QString &format, const QString &notNumberReason, const QString &extraLog)
{
    std::vector<VitalsTimeline> out;
    for (auto &[pid, rows] : perPatient) {
        VitalsTimeline t;
        t.patientId = pid;
        t.sourceFile = path;
        t.format = format;
        QDateTime start = rows.front().time;
        for (const auto &x : rows) if (x.time < start) start = x.time;
        t.start = start;
        for (const auto &x : rows) {
            const double h = start.msecsTo(x.time) / 3600000.0;
            if (!x.numeric) t.addExcluded(x.variable, h, x.rawValue, x.unit, x.source, notNumberReason);
            else t.addRaw(x.variable, h, x.value, x.unit, x.source);
            ++t.rowsRead;
        }
        if (!extraLog.isEmpty()) t.cleaningLog << extraLog;
        t.finalize();
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace

const std::vector<std::pair<QString, QString>> &physioNet2019Columns()
{
    static const std::vector<std::pair<QString, QString>> cols = {
        {"HR", var::HR}, {"O2Sat", var::SpO2}, {"Temp", var::Temp}, {"SBP", var::SBP}, {"MAP", var::MAP},
        {"DBP", var::DBP}, {"Resp", var::RR}, {"EtCO2", var::EtCO2}, {"BaseExcess", "BaseExcess"},
        {"HCO3", "HCO3"}, {"FiO2", var::FiO2}, {"pH", "pH"}, {"PaCO2", var::PaCO2}, {"SaO2", "SaO2"},
        {"AST", "AST"}, {"BUN", "BUN"}, {"Alkalinephos", "Alkalinephos"}, {"Calcium", "Calcium"},
        {"Chloride", "Chloride"}, {"Creatinine", "Creatinine"}, {"Bilirubin_direct", "Bilirubin_direct"},
        {"Glucose", "Glucose"}, {"Lactate", var::Lactate}, {"Magnesium", "Magnesium"}, {"Phosphate", "Phosphate"},
        {"Potassium", "Potassium"}, {"Bilirubin_total", "Bilirubin_total"}, {"TroponinI", "TroponinI"},
        {"Hct", "Hct"}, {"Hgb", "Hgb"}, {"PTT", "PTT"}, {"WBC", var::WBC}, {"Fibrinogen", "Fibrinogen"},
        {"Platelets", "Platelets"},
    };
    return cols;
}

Result<VitalsTimeline> importPhysioNet2019(const QString &path)
{
    auto data = readAll(path);
    if (!data) return data.error();
    const QList<QByteArray> ls = lines(data.value());
    const QList<QByteArray> header = ls.first().split('|');
    if (header.size() < 2)
        return makeError(Error::Code::Format, path, QStringLiteral("line 1"),
                         QStringLiteral("no '|' delimiter: not a PhysioNet 2019 .psv header"));
    QHash<QByteArray, int> col;
    for (int i = 0; i < header.size(); ++i) col.insert(header[i].trimmed(), i);
    for (const char *required : {"HR", "O2Sat", "Temp", "SBP", "Resp"})
        if (!col.contains(required))
            return makeError(Error::Code::Format, path, QStringLiteral("line 1"),
                             QStringLiteral("column '%1' missing from the header").arg(QLatin1String(required)));
    VitalsTimeline t;
    t.sourceFile = path;
    t.patientId = QFileInfo(path).completeBaseName();
    t.format = QStringLiteral("PhysioNet 2019 PSV");
    const QString fileName = QFileInfo(path).fileName();
    const int labelCol = col.value("SepsisLabel", -1);
    const int ageCol = col.value("Age", -1), sexCol = col.value("Gender", -1);
    const int unit1Col = col.value("Unit1", -1), unit2Col = col.value("Unit2", -1), admCol = col.value("HospAdmTime", -1);
    for (int r = 1; r < ls.size(); ++r) {
        const QList<QByteArray> cells = ls[r].split('|');
        if (cells.size() != header.size())
            return makeError(Error::Code::Format, path, QStringLiteral("line %1").arg(r + 1),
                             QStringLiteral("%1 fields, the header has %2").arg(cells.size()).arg(header.size()));
        const double hour = r - 1;  // one row per hour from ICU admission
        const QString src = QStringLiteral("%1 row %2").arg(fileName).arg(r);
        for (const auto &[name, variable] : physioNet2019Columns()) {
            const int c = col.value(name.toLatin1(), -1);
            if (c < 0) continue;
            const QByteArray cell = cells[c].trimmed();
            if (cell.isEmpty() || cell == "NaN") continue;
            bool ok = false;
            const double v = cell.toDouble(&ok);
            if (!ok) {
                t.addExcluded(variable, hour, QString::fromUtf8(cell), {}, src, QStringLiteral("not a number"));
                continue;
            }
            t.addRaw(variable, hour, v, {}, src);
        }
        if (r == 1) {
            bool ok = false;
            if (ageCol >= 0) { const double a = cells[ageCol].toDouble(&ok); if (ok && a > 0 && a < 120) t.age = a; }
            if (sexCol >= 0) { const int g = cells[sexCol].toInt(&ok); if (ok) t.sex = g == 1 ? QStringLiteral("M") : QStringLiteral("F"); }
            if (unit1Col >= 0 && cells[unit1Col].trimmed() == "1") t.careUnit = QStringLiteral("medical ICU");
            else if (unit2Col >= 0 && cells[unit2Col].trimmed() == "1") t.careUnit = QStringLiteral("surgical ICU");
            if (admCol >= 0) { const double a = cells[admCol].toDouble(&ok); if (ok && std::isfinite(a)) t.hospitalAdmissionHours = a; }
        }
        int label = -1;
        if (labelCol >= 0) {
            bool ok = false;
            label = cells[labelCol].trimmed().toInt(&ok);
            if (!ok) label = -1;
        }
        t.labels.push_back(label);
        ++t.rowsRead;
    }
    if (t.rowsRead == 0)
        return makeError(Error::Code::Format, path, {}, QStringLiteral("header only, no rows"));
    t.finalize();
    return t;
}

Result<VitalsTimeline> importPhysioNet2012(const QString &path)
{
    auto data = readAll(path);
    if (!data) return data.error();
    const QList<QByteArray> ls = lines(data.value());
    if (ls.first().trimmed() != "Time,Parameter,Value")
        return makeError(Error::Code::Format, path, QStringLiteral("line 1"),
                         QStringLiteral("expected header 'Time,Parameter,Value'"));
    static const std::map<QByteArray, QString> map2012 = {
        {"HR", var::HR}, {"NISysABP", var::SBP}, {"SysABP", var::SBP}, {"NIDiasABP", var::DBP}, {"DiasABP", var::DBP},
        {"NIMAP", var::MAP}, {"MAP", var::MAP}, {"RespRate", var::RR}, {"Temp", var::Temp}, {"GCS", var::GCS},
        {"FiO2", var::FiO2}, {"MechVent", var::OnO2}, {"SaO2", "SaO2"}, {"Lactate", var::Lactate}, {"WBC", var::WBC},
        {"PaCO2", var::PaCO2}, {"Creatinine", "Creatinine"}, {"Platelets", "Platelets"}, {"BUN", "BUN"},
        {"HCO3", "HCO3"}, {"pH", "pH"}, {"Glucose", "Glucose"}, {"K", "Potassium"}, {"Na", "Sodium"},
        {"Mg", "Magnesium"}, {"HCT", "Hct"}, {"Bilirubin", "Bilirubin_total"}, {"AST", "AST"}, {"ALT", "ALT"},
        {"ALP", "Alkalinephos"}, {"Albumin", "Albumin"}, {"PaO2", "PaO2"}, {"TroponinI", "TroponinI"},
        {"TroponinT", "TroponinT"}, {"Urine", "Urine"}, {"Weight", "Weight"}, {"Cholesterol", "Cholesterol"},
    };
    VitalsTimeline t;
    t.sourceFile = path;
    t.patientId = QFileInfo(path).completeBaseName();
    t.format = QStringLiteral("PhysioNet 2012 CSV");
    const QString fileName = QFileInfo(path).fileName();
    for (int r = 1; r < ls.size(); ++r) {
        const QList<QByteArray> cells = ls[r].split(',');
        const QString where = QStringLiteral("line %1").arg(r + 1);
        if (cells.size() != 3)
            return makeError(Error::Code::Format, path, where, QStringLiteral("%1 fields, expected 3 (Time,Parameter,Value)").arg(cells.size()));
        const QList<QByteArray> hm = cells[0].split(':');
        bool okH = false, okM = false;
        const int hh = hm.value(0).toInt(&okH), mm = hm.value(1).toInt(&okM);
        if (hm.size() != 2 || !okH || !okM || mm < 0 || mm > 59)
            return makeError(Error::Code::Format, path, where, QStringLiteral("time '%1' is not HH:MM").arg(QString::fromUtf8(cells[0])));
        const double hours = hh + mm / 60.0;
        const QByteArray param = cells[1].trimmed();
        bool ok = false;
        const double v = cells[2].toDouble(&ok);
        ++t.rowsRead;
        if (param.isEmpty()) continue;  // PhysioNet 2012 has a few empty parameter lines
        const QString src = QStringLiteral("%1 line %2").arg(fileName).arg(r + 1);
        if (!ok) {
            t.addExcluded(QString::fromUtf8(param), hours, QString::fromUtf8(cells[2]), {}, src, QStringLiteral("not a number"));
            continue;
        }
        if (param == "RecordID") { t.patientId = QString::number(qint64(v)); continue; }
        if (param == "Age") { if (v > 0) t.age = v; continue; }
        if (param == "Gender") { t.sex = v == 1 ? QStringLiteral("M") : v == 0 ? QStringLiteral("F") : QString(); continue; }
        if (param == "Height" || param == "ICUType") continue;
        if ((param == "Weight" || param == "Temp" || param == "HR") && v < 0) {  // -1 marks "unknown" in this set
            t.addExcluded(QString::fromUtf8(param), hours, QString::number(v), {}, src, QStringLiteral("negative value: unknown"));
            continue;
        }
        const auto it = map2012.find(param);
        const QString variable = it == map2012.end() ? QString::fromUtf8(param) : it->second;
        if (variable == var::FiO2 && v == 0) {  // some stays record FiO2 0 meaning not given
            t.addExcluded(variable, hours, QStringLiteral("0"), {}, src, QStringLiteral("FiO2 0 is not physiological"));
            continue;
        }
        t.addRaw(variable, hours, v, {}, src);
    }
    t.finalize();
    return t;
}

Result<QHash<QString, int>> importPhysioNet2012Outcomes(const QString &path)
{
    auto data = readAll(path);
    if (!data) return data.error();
    const QList<QByteArray> ls = lines(data.value());
    const QList<QByteArray> header = ls.first().split(',');
    const int idCol = header.indexOf("RecordID"), deathCol = header.indexOf("In-hospital_death");
    if (idCol < 0 || deathCol < 0)
        return makeError(Error::Code::Format, path, QStringLiteral("line 1"), QStringLiteral("needs RecordID and In-hospital_death columns"));
    QHash<QString, int> out;
    for (int r = 1; r < ls.size(); ++r) {
        const QList<QByteArray> c = ls[r].split(',');
        bool ok = false;
        const int d = c.value(deathCol).toInt(&ok);
        if (c.size() != header.size() || !ok || (d != 0 && d != 1))
            return makeError(Error::Code::Format, path, QStringLiteral("line %1").arg(r + 1), QStringLiteral("malformed outcome row"));
        out.insert(QString::fromUtf8(c[idCol]), d);
    }
    return out;
}

Result<std::vector<VitalsTimeline>> importGenericCsv(const QString &path)
{
    auto data = readAll(path);
    if (!data) return data.error();
    const QList<QByteArray> ls = lines(data.value());
    const QList<QByteArray> header = ls.first().trimmed().split(',');
    const QList<QByteArray> expected = {"patient_id", "time", "variable", "value", "unit"};
    if (header != expected)
        return makeError(Error::Code::Format, path, QStringLiteral("line 1"),
                         QStringLiteral("expected header 'patient_id,time,variable,value,unit'"));
    std::map<QString, std::vector<RawObservation>> perPatient;
    const QString fileName = QFileInfo(path).fileName();
    for (int r = 1; r < ls.size(); ++r) {
        const QString where = QStringLiteral("line %1").arg(r + 1);
        if (ls[r].trimmed().isEmpty()) continue;
        const QList<QByteArray> c = ls[r].split(',');
        if (c.size() != 5)
            return makeError(Error::Code::Format, path, where, QStringLiteral("%1 fields, expected 5").arg(c.size()));
        const QDateTime tm = QDateTime::fromString(QString::fromUtf8(c[1]).trimmed(), Qt::ISODate);
        if (!tm.isValid())
            return makeError(Error::Code::Format, path, where + QStringLiteral(" time"),
                             QStringLiteral("'%1' is not an ISO-8601 date-time").arg(QString::fromUtf8(c[1])));
        bool ok = false;
        const double v = c[3].trimmed().toDouble(&ok);
        perPatient[QString::fromUtf8(c[0]).trimmed()].push_back(
            {QString::fromUtf8(c[2]).trimmed(), tm, ok, v, QString::fromUtf8(c[3]), QString::fromUtf8(c[4]).trimmed(),
             QStringLiteral("%1 line %2").arg(fileName).arg(r + 1)});
    }
    if (perPatient.empty())
        return makeError(Error::Code::Format, path, {}, QStringLiteral("no data rows"));
    return timelinesFrom(perPatient, path, QStringLiteral("Generic long CSV"), QStringLiteral("not a number"), {});
}

Result<std::vector<VitalsTimeline>> importFhirBundle(const QString &path)
{
    auto data = readAll(path);
    if (!data) return data.error();
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(data.value(), &perr);
    if (perr.error != QJsonParseError::NoError)
        return makeError(Error::Code::Format, path, QStringLiteral("offset %1").arg(perr.offset),
                         QStringLiteral("invalid JSON: %1").arg(perr.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("resourceType")).toString() != QLatin1String("Bundle"))
        return makeError(Error::Code::Format, path, QStringLiteral("resourceType"), QStringLiteral("not a FHIR Bundle"));
    static const std::map<QString, QString> loinc = {
        {"8867-4", var::HR}, {"8480-6", var::SBP}, {"8462-4", var::DBP}, {"8478-0", var::MAP},
        {"59408-5", var::SpO2}, {"2708-6", var::SpO2}, {"9279-1", var::RR}, {"8310-5", var::Temp},
        {"8331-1", var::Temp}, {"3150-0", var::FiO2}, {"9269-2", var::GCS}, {"19994-3", var::FiO2},
        {"2524-7", var::Lactate}, {"32693-4", var::Lactate}, {"6690-2", var::WBC}, {"2019-8", var::PaCO2},
        {"11557-6", var::PaCO2}, {"19889-5", var::EtCO2},
    };
    std::map<QString, std::vector<RawObservation>> perPatient;
    const QJsonArray entries = root.value(QLatin1String("entry")).toArray();
    if (entries.isEmpty())
        return makeError(Error::Code::Format, path, QStringLiteral("entry"), QStringLiteral("bundle has no entries"));
    int unknownCodes = 0;
    for (int e = 0; e < entries.size(); ++e) {
        const QJsonObject res = entries[e].toObject().value(QLatin1String("resource")).toObject();
        if (res.value(QLatin1String("resourceType")).toString() != QLatin1String("Observation")) continue;
        const QString where = QStringLiteral("entry[%1]").arg(e);
        const QString status = res.value(QLatin1String("status")).toString();
        if (status == QLatin1String("entered-in-error") || status == QLatin1String("cancelled")) continue;
        QString timeStr = res.value(QLatin1String("effectiveDateTime")).toString();
        if (timeStr.isEmpty()) timeStr = res.value(QLatin1String("effectivePeriod")).toObject().value(QLatin1String("start")).toString();
        const QDateTime tm = QDateTime::fromString(timeStr, Qt::ISODate);
        if (!tm.isValid())
            return makeError(Error::Code::Format, path, where + QStringLiteral(".effectiveDateTime"),
                             QStringLiteral("'%1' is not a FHIR dateTime").arg(timeStr));
        QString patient = res.value(QLatin1String("subject")).toObject().value(QLatin1String("reference")).toString();
        if (patient.isEmpty()) patient = QStringLiteral("unknown");
        const QString src = QStringLiteral("Observation/%1").arg(res.value(QLatin1String("id")).toString(where));
        auto codeOf = [](const QJsonObject &codeable) {
            for (const auto &c : codeable.value(QLatin1String("coding")).toArray()) {
                const QJsonObject co = c.toObject();
                if (co.value(QLatin1String("system")).toString() == QLatin1String("http://loinc.org"))
                    return co.value(QLatin1String("code")).toString();
            }
            return QString();
        };
        auto take = [&](const QJsonObject &holder, const QString &code, const QString &field) {
            const auto it = loinc.find(code);
            if (it == loinc.end()) { ++unknownCodes; return; }
            const QJsonObject q = holder.value(QLatin1String("valueQuantity")).toObject();
            if (q.isEmpty()) return;
            QString unit = q.value(QLatin1String("code")).toString();
            if (unit.isEmpty()) unit = q.value(QLatin1String("unit")).toString();
            const QJsonValue v = q.value(QLatin1String("value"));
            perPatient[patient].push_back({it->second, tm, v.isDouble(), v.toDouble(), v.toVariant().toString(), unit, src + field});
        };
        const QString code = codeOf(res.value(QLatin1String("code")).toObject());
        take(res, code, {});
        const QJsonArray comps = res.value(QLatin1String("component")).toArray();
        for (int k = 0; k < comps.size(); ++k)
            take(comps[k].toObject(), codeOf(comps[k].toObject().value(QLatin1String("code")).toObject()),
                 QStringLiteral(".component[%1]").arg(k));
    }
    if (perPatient.empty())
        return makeError(Error::Code::Format, path, QStringLiteral("entry"),
                         QStringLiteral("no Observation with a known LOINC vital-sign code and a valueQuantity"));
    return timelinesFrom(perPatient, path, QStringLiteral("FHIR R4 Bundle"), QStringLiteral("valueQuantity.value is not a number"),
                         unknownCodes ? QStringLiteral("%1 observation value(s) with codes ClinSight does not use were ignored").arg(unknownCodes)
                                      : QString());
}

Result<VitalsTimeline> importVitals(const QString &path, const QString &patientId)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("psv"))
        return importPhysioNet2019(path);
    auto data = readAll(path);
    if (!data) return data.error();
    const QByteArray first = data.value().left(data.value().indexOf('\n')).trimmed();
    // A file holding several patients is never read as one of them silently:
    // the wanted patient is taken by identifier, else the file is refused with the list.
    auto firstOf = [&path, &patientId](Result<std::vector<VitalsTimeline>> r) -> Result<VitalsTimeline> {
        if (!r) return r.error();
        if (r.value().size() == 1 && (patientId.isEmpty() || r.value().front().patientId == patientId))
            return std::move(r.value().front());
        QStringList ids;
        for (auto &t : r.value()) {
            if (!patientId.isEmpty() && t.patientId == patientId) return std::move(t);
            ids << t.patientId;
        }
        if (!patientId.isEmpty())
            return makeError(Error::Code::Invalid, path, QStringLiteral("patient"),
                             QStringLiteral("holds no record of patient %1 (it holds: %2)").arg(patientId, ids.join(QStringLiteral(", "))));
        return makeError(Error::Code::Invalid, path, QStringLiteral("patient"),
                         QStringLiteral("holds %1 patients (%2): split the file per patient or choose one")
                             .arg(ids.size()).arg(ids.join(QStringLiteral(", "))));
    };
    if (suffix == QLatin1String("json") || first.startsWith('{'))
        return firstOf(importFhirBundle(path));
    if (first == "Time,Parameter,Value")
        return importPhysioNet2012(path);
    if (first.startsWith("patient_id,"))
        return firstOf(importGenericCsv(path));
    if (first.contains('|'))
        return importPhysioNet2019(path);
    return makeError(Error::Code::Format, path, QStringLiteral("line 1"),
                     QStringLiteral("unknown vitals format (expected PhysioNet .psv, PhysioNet 2012 CSV, "
                                    "ClinSight long CSV or a FHIR R4 Bundle)"));
}

bool patientIdRecordedInFile(const VitalsTimeline &t)
{
    // PhysioNet 2019 files carry no identifier: theirs is the file name.
    return !t.patientId.isEmpty() && t.format != QLatin1String("PhysioNet 2019 PSV");
}

} // namespace cs
