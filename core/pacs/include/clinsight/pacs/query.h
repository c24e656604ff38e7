#pragma once
// What a study-level query asks for and what comes back, the same for DIMSE
// C-FIND and DICOMweb QIDO-RS; and what a retrieve delivered. Plain values.
#include <QString>
#include <QStringList>

namespace cs {

struct StudyQuery {
    QString patientId;
    QString patientName;           // DICOM wildcard matching (* ?) is passed through
    QStringList modalities;        // ModalitiesInStudy: any of these (also filtered here: not every PACS matches lists)
    QString dateFrom, dateTo;      // YYYYMMDD, either may be empty
    QString studyUid;
    QString accessionNumber;
};

struct StudyMatch {
    QString studyUid, patientId, patientName, patientBirthDate, patientSex;
    QString studyDate, studyTime, studyDescription, accessionNumber;
    QStringList modalities;        // ModalitiesInStudy
    int seriesCount = -1, instanceCount = -1;   // -1: the PACS did not say
};

struct SeriesMatch {
    QString studyUid, seriesUid, modality, seriesDescription, bodyPart;
    int seriesNumber = -1, instanceCount = -1;   // -1: the PACS did not say
};

// A study fetched into a folder. complete is true only when the PACS reported
// every sub-operation done and every file arrived and was checked; otherwise the
// folder is not left under the destination's name (see retrieveStudy).
struct RetrievedStudy {
    QString studyUid;
    QString folder;                // DEST/<StudyInstanceUID>, absolute
    QStringList files;             // one per received instance
    int completed = 0, failed = 0, warnings = 0;
    bool complete = false;
};

// "20040826" is in [from, to] (inclusive; empty bounds are open). Malformed dates never match a bounded range.
bool studyDateInRange(const QString &date, const QString &from, const QString &to);
// Whether a match passes the query's modality filter (no filter: always).
bool matchesModalities(const StudyMatch &m, const QStringList &wanted);
// "FROM-TO" as the CLI takes it (YYYYMMDD-YYYYMMDD, either side may be empty); false when malformed.
bool parseDateRange(const QString &text, QString &from, QString &to);

} // namespace cs
