#include "clinsight/clinical/storagerecords.h"

namespace cs {

PatientRecord patientRecord(const PatientAssessment &a)
{
    PatientRecord p;
    p.id = a.identity.key();
    p.displayName = a.inputs.displayName;
    p.folder = a.inputs.folder;
    p.hospitalId = a.identity.patientId;
    p.issuer = a.identity.issuer;
    p.identityBasis = a.identity.basis();
    return p;
}

InferenceRecord inferenceRecord(const PatientAssessment &a)
{
    InferenceRecord r;
    r.patient = patientRecord(a);
    if (a.imageInfo) {
        const DicomInstanceInfo &i = *a.imageInfo;
        r.study = StudyRecord{i.path, i.studyUid, i.seriesUid, i.sopInstanceUid, i.modality, i.bodyPart, i.studyDate,
                              i.rows, i.columns, i.frames, a.imageSha256};
    }
    if (a.vitals)
        r.vitals = VitalsSourceRecord{a.vitals->sourceFile, a.vitals->format, a.vitalsSha256, a.vitals->rowsRead,
                                      a.vitals->sampleCount(), int(a.vitals->excluded.size())};
    r.modelName = a.modelName;
    r.modelVersion = a.modelVersion;
    r.imageSha256 = a.imageSha256;
    r.vitalsSha256 = a.vitalsSha256;
    if (a.image && a.image->applicable) r.imageRisk = a.image->risk;
    if (a.vitalsRisk && a.vitalsRisk->applicable) r.vitalsRisk = a.vitalsRisk->riskPerHour.back();
    if (a.fused.available) {
        r.fusedRisk = a.fused.risk;
        r.imageShare = a.fused.imageShare;
        r.vitalsShare = a.fused.vitalsShare;
    }
    if (const HourlyScores *s = a.lastScores()) {
        r.news2 = s->news2.points;
        r.news2Partial = s->news2.partial;
        r.qsofa = s->qsofa.points;
    }
    r.flagged = a.flagged;
    r.notes = a.notes.join('\n');
    return r;
}

} // namespace cs
