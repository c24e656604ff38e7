#pragma once
// Importers of vital-sign records. Each returns a cleaned VitalsTimeline
// (values converted to canonical units, implausible values excluded with the
// reason) or an Error naming the file, the line/field and the problem.
//
// Generic long CSV (documented in README): header
//   patient_id,time,variable,value,unit
// time ISO-8601 (e.g. 2024-03-01T08:00:00Z), variable one of HR, SBP, DBP,
// MAP, SpO2, RR, Temp, EtCO2, FiO2, OnO2, AVPU, GCS or a lab name, unit UCUM
// or empty for the canonical unit. One file may hold several patients.

#include "clinsight/vitals/vitalstimeline.h"

#include <QHash>
#include <vector>

namespace cs {

Result<VitalsTimeline> importPhysioNet2019(const QString &path);
Result<VitalsTimeline> importPhysioNet2012(const QString &path);
Result<std::vector<VitalsTimeline>> importGenericCsv(const QString &path);
Result<std::vector<VitalsTimeline>> importFhirBundle(const QString &path);

// Detects the format from the extension and first line. A file holding
// several patients (long CSV, FHIR) is refused with the list of patients,
// unless patientId names one of them, which is then returned.
Result<VitalsTimeline> importVitals(const QString &path, const QString &patientId = {});
// Whether patientId of this timeline was recorded in the file (long CSV,
// FHIR, PhysioNet 2012 RecordID) rather than taken from the file name.
bool patientIdRecordedInFile(const VitalsTimeline &t);

// PhysioNet 2012 Outcomes file: RecordID -> in-hospital death (0/1).
Result<QHash<QString, int>> importPhysioNet2012Outcomes(const QString &path);

// The PhysioNet 2019 column names and the canonical variable each maps to.
const std::vector<std::pair<QString, QString>> &physioNet2019Columns();

} // namespace cs
