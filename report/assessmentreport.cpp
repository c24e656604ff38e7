#include "assessmentreport.h"
#include "clinsight/foundation/version.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImage>
#include <QJsonObject>
#include <QPainter>
#include <QFile>
#include <QPdfWriter>
#include <algorithm>
#include <cmath>

namespace cs {

namespace {

QImage frameImage(const DisplayFrame &f)
{
    QImage img(f.width, f.height, f.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
    for (int y = 0; y < f.height; ++y)
        std::copy_n(f.pixels.data() + size_t(y) * f.width * f.channels, size_t(f.width) * f.channels, img.scanLine(y));
    return img;
}

// The workstation's jet overlay at half opacity, transparent where the map is ~0,
// at the frame's resolution (the page shows the whole frame).
QImage overlayImage(const ImageRisk &r)
{
    const HeatmapGrid &m = r.gradCam;
    const std::vector<float> full = heatmapOnFrame(m);
    QImage img(m.frameWidth, m.frameHeight, QImage::Format_ARGB32);
    for (int y = 0; y < m.frameHeight; ++y) {
        auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
        const float *row = &full[size_t(y) * size_t(m.frameWidth)];
        for (int x = 0; x < m.frameWidth; ++x) {
            const HeatmapColour c = heatmapColour(row[x]);
            line[x] = qRgba(int(c.r * 255), int(c.g * 255), int(c.b * 255), int(255 * 0.5f * c.alpha));
        }
    }
    return img;
}

QString pct(double p) { return QStringLiteral("%1%").arg(p * 100, 0, 'f', 1); }

class Page {
public:
    Page(QPdfWriter &w, QPainter &p) : m_w(w), m_p(p) { m_width = w.width(); m_height = w.height(); }
    int y = 0;
    int width() const { return m_width; }
    void ensure(int h) { if (y + h > m_height) { m_w.newPage(); y = 0; } }
    void text(const QString &t, int pointSize, bool bold = false, QColor colour = Qt::black)
    {
        QFont f(QStringLiteral("DejaVu Sans"), pointSize);
        f.setBold(bold);
        m_p.setFont(f);
        m_p.setPen(colour);
        const QRect r = m_p.boundingRect(QRect(0, 0, m_width, 100000), Qt::TextWordWrap, t);
        ensure(r.height());
        m_p.drawText(QRect(0, y, m_width, r.height()), Qt::TextWordWrap, t);
        y += r.height() + m_p.fontMetrics().height() / 4;
    }
    QPainter &painter() { return m_p; }
private:
    QPdfWriter &m_w;
    QPainter &m_p;
    int m_width, m_height;
};

void vitalsChart(Page &pg, const VitalsRisk &v, double threshold, const std::vector<HourlyScores> &scores)
{
    const int h = pg.width() / 3;
    pg.ensure(h + 40);
    QPainter &p = pg.painter();
    const QRect box(0, pg.y, pg.width(), h);
    p.setPen(QPen(Qt::gray, 2));
    p.drawRect(box);
    const int n = int(v.riskPerHour.size());
    if (n > 0) {
        const double dx = double(box.width()) / std::max(1, n);
        // Attention band: the last hour's attention over the hours before it.
        const float amax = v.attention.empty() ? 1.f : *std::max_element(v.attention.begin(), v.attention.end());
        for (int t = 0; t < int(v.attention.size()) && t < n; ++t) {
            const int a = int(160 * v.attention[size_t(t)] / std::max(amax, 1e-6f));
            p.fillRect(QRectF(box.left() + t * dx, box.top(), dx, box.height()), QColor(255, 140, 0, a));
        }
        const auto yOf = [&](double r) { return box.bottom() - r * box.height(); };
        p.setPen(QPen(QColor(200, 0, 0), 2, Qt::DashLine));
        p.drawLine(QPointF(box.left(), yOf(threshold)), QPointF(box.right(), yOf(threshold)));
        p.setPen(QPen(QColor(0, 70, 160), 6));
        for (int t = 1; t < n; ++t)
            p.drawLine(QPointF(box.left() + (t - 0.5) * dx, yOf(v.riskPerHour[size_t(t - 1)])), QPointF(box.left() + (t + 0.5) * dx, yOf(v.riskPerHour[size_t(t)])));
        p.setPen(QPen(QColor(0, 130, 0), 4));
        for (int t = 1; t < n && t < int(scores.size()); ++t)
            p.drawLine(QPointF(box.left() + (t - 0.5) * dx, yOf(scores[size_t(t - 1)].news2.points / 20.0)),
                       QPointF(box.left() + (t + 0.5) * dx, yOf(scores[size_t(t)].news2.points / 20.0)));
    }
    pg.y += h + 10;
    pg.text(QStringLiteral("Blue: sepsis risk per hour (0-100%); red dashed: alert level %1; green: NEWS2 (0-20); orange band: the model's "
                           "attention over the hours before the last (darker = more).").arg(pct(threshold)), 8);
}

} // namespace

Status writeAssessmentReport(const ReportInputs &in, const QString &pdfPath)
{
    if (!in.assessment) return makeError(Error::Code::Invalid, pdfPath, {}, QStringLiteral("no assessment to report"));
    const PatientAssessment &a = *in.assessment;
    QPdfWriter w(pdfPath);
    w.setPageSize(QPageSize(QPageSize::A4));
    w.setResolution(200);
    w.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    w.setTitle(QStringLiteral("ClinSight assessment - %1").arg(a.inputs.displayName));
    w.setCreator(QStringLiteral("ClinSight ") + clinsightVersion());
    QPainter p;
    if (!p.begin(&w)) return makeError(Error::Code::Io, pdfPath, {}, QStringLiteral("could not be written"));
    Page pg(w, p);
    pg.text(QStringLiteral("ClinSight assessment - %1").arg(a.inputs.displayName), 16, true);
    pg.text(QStringLiteral("FOR RESEARCH AND DECISION SUPPORT - NOT A DIAGNOSIS. Every number below is a prompt for a clinician's review."), 10, true, QColor(176, 0, 32));
    QStringList who;
    if (a.imageInfo) who << QStringLiteral("Patient %1 (ID %2), born %3, sex %4").arg(a.imageInfo->patientName, a.imageInfo->patientId, a.imageInfo->patientBirthDate, a.imageInfo->patientSex);
    who << QStringLiteral("Identity: %1 (%2)").arg(a.identity.key(), a.identity.basis());
    if (!a.identityConflict.isEmpty()) who << QStringLiteral("IDENTITY CONFLICT: ") + a.identityConflict;
    who << QStringLiteral("Report made %1 by %2 with ClinSight %3").arg(QDateTime::currentDateTime().toString(Qt::ISODate), in.author, clinsightVersion());
    pg.text(who.join(QLatin1Char('\n')), 9);

    const ModelThresholds th = in.model ? in.model->thresholds() : ModelThresholds{};
    if (a.frame) {
        QImage img = frameImage(*a.frame);
        const bool overlay = a.image && a.image->applicable && !a.image->gradCam.isNull();
        if (overlay) {
            QPainter op(&img);
            op.drawImage(QRect(0, 0, img.width(), img.height()), overlayImage(*a.image));
        }
        const int side = pg.width() * 6 / 10;
        const QSize s = img.size().scaled(side, side, Qt::KeepAspectRatio);
        pg.ensure(s.height() + 10);
        p.drawImage(QRect(0, pg.y, s.width(), s.height()), img);
        pg.y += s.height() + 10;
        pg.text(QStringLiteral("%1 (%2)%3").arg(a.imageInfo ? a.imageInfo->modality + QStringLiteral(" ") + a.imageInfo->bodyPart : QStringLiteral("image"),
                                                 QFileInfo(a.imagePath).fileName(),
                                                 overlay ? QStringLiteral(": Grad-CAM of the image branch (red: regions that raised the risk most). ") + th.imageExplanationFaithfulness
                                                         : QString()), 8);
    }

    QStringList risks;
    if (!in.model) risks << QStringLiteral("Model unavailable: no model risk (scores only).");
    if (a.image && a.image->applicable)
        risks << QStringLiteral("Pneumonia risk (image branch): %1 - alert level %2 (%3)%4").arg(pct(a.image->risk), pct(th.image), relativeToAlertLevel(a.image->risk, th.image),
                                                                                                  a.image->alert ? QStringLiteral(" - ABOVE ALERT LEVEL") : QString());
    else if (a.image) risks << QStringLiteral("Image branch: not applicable - ") + a.image->notApplicableReason;
    if (a.vitalsRisk && a.vitalsRisk->applicable && !a.vitalsRisk->riskPerHour.empty()) {
        const double r = a.vitalsRisk->riskPerHour.back();
        risks << QStringLiteral("Sepsis risk (vitals branch, hour %1): %2 - alert level %3 (%4)").arg(a.vitalsRisk->riskPerHour.size() - 1).arg(pct(r), pct(th.vitals), relativeToAlertLevel(r, th.vitals));
        if (!th.vitalsAlertConsequences.isEmpty()) risks << QStringLiteral("  At this alert level on validation: ") + th.vitalsAlertConsequences;
    }
    if (a.fused.available)
        risks << QStringLiteral("Fused risk: %1 - alert level %2 - image share %3, vitals share %4").arg(pct(a.fused.risk), pct(th.fused), pct(a.fused.imageShare), pct(a.fused.vitalsShare));
    else if (!a.fused.unavailableReason.isEmpty()) risks << QStringLiteral("No fused risk: ") + a.fused.unavailableReason;
    if (const HourlyScores *s = a.lastScores())
        risks << QStringLiteral("NEWS2 %1%2 (%3), qSOFA %4%5 - at the last hour").arg(s->news2.points).arg(s->news2.partial ? QStringLiteral(" partial") : QString(), s->news2.band)
                     .arg(s->qsofa.points).arg(s->qsofa.partial ? QStringLiteral(" partial") : QString());
    risks << (a.flagged ? QStringLiteral("FLAGGED for review: an output is above its alert level.") : QStringLiteral("Not flagged."));
    pg.text(QStringLiteral("Risks and scores"), 12, true);
    pg.text(risks.join(QLatin1Char('\n')), 9);
    if (a.vitalsRisk && a.vitalsRisk->applicable) vitalsChart(pg, *a.vitalsRisk, th.vitals, a.scores);
    if (!a.notes.isEmpty()) {
        pg.text(QStringLiteral("What was missing or not applicable"), 12, true);
        pg.text(QStringLiteral("- ") + a.notes.join(QStringLiteral("\n- ")), 8);
    }
    pg.text(QStringLiteral("Treatment notes saved for this patient"), 12, true);
    if (!in.notesUnavailable.isEmpty()) pg.text(QStringLiteral("Notes not included: ") + in.notesUnavailable, 9, false, QColor(176, 0, 32));
    else if (in.notes.empty()) pg.text(QStringLiteral("None saved."), 9);
    for (const NoteRecord &n : in.notes)
        pg.text(QStringLiteral("[%1] %2 by %3, %4 (model %5, rules %6)%7").arg(n.status.toUpper(), n.text, n.author, n.savedAt.toString(Qt::ISODate), n.modelVersion, n.rulesVersion,
                                                                           n.guideline.isEmpty() ? QString() : QStringLiteral(" - ") + n.guideline), 9);
    pg.text(QStringLiteral("The model"), 12, true);
    if (in.model) {
        const QJsonObject m = in.model->manifest();
        pg.text(QStringLiteral("%1 %2, signed by %3; weights SHA-256 %4.\nIntended use: %5\nModel card: %6 in the model bundle.")
                    .arg(in.model->name(), in.model->version(), in.model->signature().summary(),
                         m.value(QStringLiteral("files")).toObject().value(QStringLiteral("weights.pt")).toString(),
                         m.value(QStringLiteral("intended_use")).toString(), QFileInfo(in.model->modelCardPath()).fileName()), 8);
    } else {
        pg.text(QStringLiteral("No model was used."), 8);
    }
    pg.text(QStringLiteral("ClinSight is for research and decision support - it is not a diagnosis."), 9, true, QColor(176, 0, 32));
    if (!p.end()) return makeError(Error::Code::Io, pdfPath, {}, QStringLiteral("could not be completed"));
    QFile::setPermissions(pdfPath, QFile::ReadOwner | QFile::WriteOwner);   // it names the patient: the owner's alone
    return Ok{};
}

} // namespace cs
