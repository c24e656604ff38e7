#include "clinsight/clinical/assessment.h"

#include "clinsight/foundation/filehash.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/vitals/vitalsimport.h"

#include <algorithm>
#include <numeric>

namespace cs {

Result<PatientAssessment> assessPatient(const HybridModel *model, const PatientInputs &in, bool withGradCam)
{
    PatientAssessment a;
    a.inputs = in;
    if (model) { a.modelName = model->name(); a.modelVersion = model->version(); a.modelSigner = model->signature().summary(); }
    else a.notes << QStringLiteral("model unavailable: no model risk");

    for (const QString &path : in.imagePaths) {
        auto img = loadScorableImage(path);
        if (!img) { a.notes << img.error().message(); continue; }
        // A result ClinSight sent back to the PACS (the Grad-CAM capture) is never scored as the patient's image.
        if (img->dicom && img->dicom->seriesDescription.startsWith(QLatin1String("ClinSight "))) continue;
        a.frame = std::move(img.value().frame);
        a.imageInfo = std::move(img.value().dicom);
        a.imagePath = path;
        a.imageSha256 = sha256OfFile(path);
        break;
    }
    if (!a.frame) a.notes << QStringLiteral("no readable image");

    if (!in.vitalsPath.isEmpty()) {
        auto t = importVitals(in.vitalsPath);
        // A file of several patients: take the one the image or patient.json names, if any.
        const QString wanted = a.imageInfo && !a.imageInfo->patientId.isEmpty() ? a.imageInfo->patientId : in.declared.patientId;
        if (!t && !wanted.isEmpty() && t.error().field == QLatin1String("patient")) t = importVitals(in.vitalsPath, wanted);
        if (t) {
            a.vitals = t.value();
            a.vitals->labels.assign(a.vitals->labels.size(), -1);  // labels are never an input
            a.vitalsSha256 = sha256OfFile(in.vitalsPath);
            const int hours = buildHourlyGrid(*a.vitals, {}, -1).hours;
            a.scores = scoreTimeline(*a.vitals, hours);
            if (!a.vitals->excluded.empty())
                a.notes << QStringLiteral("%1 vitals value(s) excluded by cleaning").arg(a.vitals->excluded.size());
        } else {
            a.notes << t.error().message();
        }
    } else {
        a.notes << QStringLiteral("no vitals record");
    }
    const IdentityCheck id = checkIdentity(a.imageInfo ? &*a.imageInfo : nullptr, a.vitals ? &*a.vitals : nullptr, in.declared, in.folder);
    a.identity = id.identity;
    a.identityConflict = id.conflict;
    if (!id.conflict.isEmpty()) a.notes << QStringLiteral("IDENTITY CONFLICT: ") + id.conflict;
    a.notes << id.notes;
    if (const HourlyScores *s = a.lastScores(); s && s->news2.partial)
        a.notes << QStringLiteral("NEWS2 partial (%1)").arg(s->news2.completeness());

    if (model) {
        if (a.frame) {
            auto r = model->scoreImage(*a.frame, a.imageInfo ? &*a.imageInfo : nullptr, withGradCam);
            if (!r) return r.error();
            a.image = r.value();
            if (!a.image->applicable) a.notes << QStringLiteral("image not scored: ") + a.image->notApplicableReason;
        }
        if (a.vitals) {
            auto r = model->scoreVitals(*a.vitals);
            if (!r) return r.error();
            a.vitalsRisk = r.value();
            if (!a.vitalsRisk->missingVariables.isEmpty())
                a.notes << QStringLiteral("never measured: ") + a.vitalsRisk->missingVariables.join(QStringLiteral(", "));
            std::vector<int> idx(a.vitalsRisk->attention.size());
            std::iota(idx.begin(), idx.end(), 0);
            std::stable_sort(idx.begin(), idx.end(), [&](int x, int y) { return a.vitalsRisk->attention[x] > a.vitalsRisk->attention[y]; });
            a.topAttentionHours.assign(idx.begin(), idx.begin() + std::min<size_t>(3, idx.size()));
        }
        if (a.vitalsRisk) a.notes << a.vitalsRisk->inputNotes;
        if (!a.identityConflict.isEmpty()) {
            a.fused.unavailableReason = QStringLiteral("image and vitals are not of the same patient");
        } else if (a.image && a.vitalsRisk) {
            a.fused = model->fuse(*a.image, *a.vitalsRisk);
            if (!a.fused.available) a.notes << QStringLiteral("no fused risk: ") + a.fused.unavailableReason;
        } else {
            a.fused.unavailableReason = QStringLiteral("needs both an image and vitals");
        }
    }
    double branchMax = 0;
    if (a.image && a.image->applicable) { branchMax = std::max(branchMax, a.image->risk); a.flagged |= a.image->alert; }
    if (a.vitalsRisk && a.vitalsRisk->applicable) {
        branchMax = std::max(branchMax, a.vitalsRisk->riskPerHour.back());
        a.flagged |= a.vitalsRisk->alertPerHour.back() == 1;
    }
    if (a.fused.available) a.flagged |= a.fused.alert;
    a.priority = a.fused.available ? a.fused.risk : branchMax;
    return a;
}

} // namespace cs
