#pragma once
// A patient's vital-sign and lab course as ClinSight reads it: per-variable
// time series, each value with time (hours from the start of the record),
// unit and source, plus every value that cleaning excluded and why, so a
// clinician can audit what the scores and the model saw.

#include "clinsight/foundation/error.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <vector>

namespace cs {

// Canonical variable names. Labs keep their PhysioNet names (Lactate, WBC, ...).
namespace var {
inline const QString HR = QStringLiteral("HR");         // /min
inline const QString SBP = QStringLiteral("SBP");       // mmHg
inline const QString DBP = QStringLiteral("DBP");       // mmHg
inline const QString MAP = QStringLiteral("MAP");       // mmHg
inline const QString SpO2 = QStringLiteral("SpO2");     // %
inline const QString RR = QStringLiteral("RR");         // /min
inline const QString Temp = QStringLiteral("Temp");     // degrees Celsius
inline const QString EtCO2 = QStringLiteral("EtCO2");   // mmHg
inline const QString FiO2 = QStringLiteral("FiO2");     // fraction 0.21-1
inline const QString OnO2 = QStringLiteral("OnO2");     // 1 supplemental oxygen / ventilated, 0 air
inline const QString AVPU = QStringLiteral("AVPU");     // 0 Alert, 1 new Confusion, 2 Voice, 3 Pain, 4 Unresponsive
inline const QString GCS = QStringLiteral("GCS");       // 3-15
inline const QString WBC = QStringLiteral("WBC");       // 10^9/L
inline const QString PaCO2 = QStringLiteral("PaCO2");   // mmHg
inline const QString Lactate = QStringLiteral("Lactate"); // mmol/L
}

struct VitalSample {
    double hours = 0;     // since the start of the record
    double value = 0;     // in the canonical unit of the variable
    QString source;       // "file.psv row 12", "Observation/abc"
};

struct ExcludedValue {
    QString variable;
    double hours = 0;
    QString rawValue, rawUnit;
    QString source;
    QString reason;       // "implausible: HR 450 /min outside 20-300"
};

class VitalsTimeline {
public:
    QString patientId;
    QString sourceFile;
    QString format;                         // "PhysioNet 2019 PSV", "FHIR R4 Bundle", ...
    std::optional<QDateTime> start;         // wall-clock time of hour 0 when known
    std::optional<double> age;              // years
    QString sex;                            // "F", "M" or empty
    QString careUnit;                       // "medical ICU", "surgical ICU" or empty (PhysioNet 2019 Unit1/Unit2)
    std::optional<double> hospitalAdmissionHours; // hospital admission relative to hour 0 (PhysioNet 2019 HospAdmTime; <= 0)
    std::map<QString, std::vector<VitalSample>> series; // sorted by time after clean()
    std::vector<ExcludedValue> excluded;
    QStringList cleaningLog;                // duplicates merged, order fixed, units converted
    int rowsRead = 0;                       // rows/observations in the source
    std::vector<int> labels;                // per source row where the format carries one (PhysioNet 2019 SepsisLabel)
    int coveredHours = 0;                   // the record spans at least these hours even where its last ones hold no value
                                            // (set by withHoursBlanked, so a blanked last hour still exists)

    // Adds one raw value: converts its unit, checks plausibility, and either
    // stores it or records it in excluded with the reason.
    void addRaw(const QString &variable, double hours, double value, const QString &unit, const QString &source);
    void addExcluded(const QString &variable, double hours, const QString &raw, const QString &unit,
                     const QString &source, const QString &reason);
    // Sorts every series by time and merges values recorded at the same time
    // (mean; logged). Deterministic for any input order.
    void finalize();

    double durationHours() const;            // last sample time (0 if empty)
    int sampleCount() const;
    int sampleCount(const QString &variable) const;
    // The record as it stood at the end of hour hours-1: values before
    // `hours`, the first `hours` rows and labels. Used to check causality and
    // to score a past hour exactly as it was scored then.
    VitalsTimeline truncatedTo(int hours) const;
    // The record with every value inside the given hours ([h, h+1)) removed, as
    // if nothing had been charted then: the hourly input carries the earlier
    // values forward. Length, labels and everything else unchanged. Used to
    // test what the model's attention points at.
    VitalsTimeline withHoursBlanked(const std::vector<int> &hours) const;
    // Last value at or before hours, no older than maxAgeHours.
    std::optional<VitalSample> latest(const QString &variable, double hours, double maxAgeHours) const;
};

// Converts a value to the canonical unit of variable. Empty unit means the
// canonical unit. Returns an error reason for unknown units.
Result<double> toCanonicalUnit(const QString &variable, double value, const QString &unit);
QString canonicalUnit(const QString &variable);
// Physiologically plausible range in the canonical unit; nullopt when unchecked.
std::optional<std::pair<double, double>> plausibleRange(const QString &variable);

} // namespace cs
