#pragma once
// One patient's assessment as a PDF a clinician can file or hand over: the
// image with the Grad-CAM overlay, the vitals risk per hour with the attention
// band, NEWS2/qSOFA, each risk beside its alert level, the saved notes with
// author and time, the model's identity and card summary, and the disclaimer.
// Drawn with QPdfWriter/QPainter, so this library needs QtGui: it sits outside
// core (which stays headless) and is built only with CLINSIGHT_BUILD_GUI.
// Reentrant (QPdfWriter and QImage work off the GUI thread).
#include "clinsight/clinical/assessment.h"
#include "clinsight/storage/clinicalstore.h"

namespace cs {

struct ReportInputs {
    const PatientAssessment *assessment = nullptr;
    const HybridModel *model = nullptr;           // may be null: scores only, said so
    std::vector<NoteRecord> notes;                // saved notes of this patient
    QString notesUnavailable;                     // non-empty: why no notes could be read
    QString author;                               // who produced the report
};

Status writeAssessmentReport(const ReportInputs &in, const QString &pdfPath);

} // namespace cs
