#include "riskpanel.h"

#include "clinsight/clinical/assessment.h"

#include <QTextBrowser>
#include <QVBoxLayout>

namespace ui {

RiskPanel::RiskPanel(QWidget *parent) : QWidget(parent), m_view(new QTextBrowser(this))
{
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_view);
    m_view->setOpenLinks(false);
    connect(m_view, &QTextBrowser::anchorClicked, this, [this](const QUrl &u) {
        if (u.toString() == QLatin1String("modelcard")) emit modelCardRequested();
    });
    showMessage(tr("Select a patient in the worklist."));
}

void RiskPanel::showMessage(const QString &text)
{
    m_view->setHtml(QStringLiteral("<p>%1</p><p><i>%2</i></p>").arg(text.toHtmlEscaped(),
                    tr("For research and decision support — not a diagnosis.")));
}

QString RiskPanel::text() const { return m_view->toPlainText(); }

namespace {
QString pct(double v) { return QStringLiteral("%1%").arg(v * 100, 0, 'f', 1); }
QString scoreTable(const cs::ScoreResult &s)
{
    QString h = QStringLiteral("<table cellspacing=0 cellpadding=1>");
    for (const auto &c : s.components)
        h += QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td>&nbsp;%3</td></tr>")
                 .arg(c.parameter.toHtmlEscaped(),
                      c.value ? QStringLiteral("%1 %2").arg(*c.value, 0, 'g', 4).arg(c.unit.toHtmlEscaped()) : QStringLiteral("<i>missing</i>"),
                      c.missing ? QStringLiteral("<font color=#a60>not scored</font>") : QString::number(c.points));
    return h + QStringLiteral("</table>");
}
} // namespace

void RiskPanel::showAssessment(const cs::PatientAssessment &a, const cs::ModelThresholds &thr)
{
    QString h;
    h += QStringLiteral("<h3>%1</h3>").arg(a.inputs.displayName.toHtmlEscaped());
    if (!a.identityConflict.isEmpty())
        h += QStringLiteral("<p style=\"background:#c00;color:white;padding:4px\"><b>%1</b> %2</p>")
                 .arg(tr("IDENTITY CONFLICT — do not act on these results together:"), a.identityConflict.toHtmlEscaped());
    if (!a.failure.isEmpty())
        h += QStringLiteral("<p style=\"color:#c00\"><b>%1</b> %2</p>").arg(tr("Not scored:"), a.failure.toHtmlEscaped());
    h += QStringLiteral("<p><small>%1</small></p>").arg(tr("Identity: %1").arg(a.identity.basis()).toHtmlEscaped());
    if (!a.inputs.description.isEmpty()) h += QStringLiteral("<p><small>%1</small></p>").arg(a.inputs.description.toHtmlEscaped());
    if (a.fused.available) {
        const QString colour = a.fused.alert ? QStringLiteral("#c00") : QStringLiteral("#060");
        h += QStringLiteral("<p><b>Hybrid risk: <font size=+2 color=%1>%2</font></b> (%5; alert at %3)%4</p>")
                 .arg(colour, pct(a.fused.risk), pct(thr.fused), a.fused.alert ? tr(" — <b>flagged</b>") : QString(),
                      cs::relativeToAlertLevel(a.fused.risk, thr.fused));
        h += QStringLiteral("<p>Share of the hybrid risk: image %1, vitals %2</p>").arg(pct(a.fused.imageShare), pct(a.fused.vitalsShare));
    } else {
        h += QStringLiteral("<p><b>Hybrid risk: not available</b> — %1</p>").arg(a.fused.unavailableReason.toHtmlEscaped());
    }
    h += QStringLiteral("<ul>");
    if (a.image && a.image->applicable)
        h += QStringLiteral("<li>Image branch (pneumonia): <b>%1</b> (%4; alert at %2)%3</li>").arg(pct(a.image->risk), pct(thr.image),
                 a.image->alert ? tr(" — above threshold") : QString(), cs::relativeToAlertLevel(a.image->risk, thr.image));
    else
        h += QStringLiteral("<li>Image branch: not scored — %1</li>").arg(
            (a.image ? a.image->notApplicableReason : tr("no image or no model")).toHtmlEscaped());
    if (a.vitalsRisk && a.vitalsRisk->applicable) {
        h += QStringLiteral("<li>Vitals branch (sepsis within 6 h), hour %1: <b>%2</b> (%5; alert at %3)%4")
                 .arg(a.vitalsRisk->hours - 1).arg(pct(a.vitalsRisk->riskPerHour.back()), pct(thr.vitals),
                      a.vitalsRisk->alertPerHour.back() ? tr(" — above threshold") : QString(),
                      cs::relativeToAlertLevel(a.vitalsRisk->riskPerHour.back(), thr.vitals));
        if (!thr.vitalsAlertConsequences.isEmpty())
            h += QStringLiteral("<br><small>%1</small>").arg(thr.vitalsAlertConsequences.toHtmlEscaped());
        for (const QString &n : a.vitalsRisk->inputNotes) h += QStringLiteral("<br><small>%1</small>").arg(n.toHtmlEscaped());
        h += QStringLiteral("</li>");
    }
    else
        h += QStringLiteral("<li>Vitals branch: not scored</li>");
    h += QStringLiteral("</ul>");
    if (const cs::HourlyScores *s = a.lastScores()) {
        h += QStringLiteral("<p><b>NEWS2 %1</b> (%2, %3%4)</p>").arg(s->news2.points).arg(s->news2.band, s->news2.completeness(),
                 s->news2.partial ? tr(", partial") : QString());
        h += scoreTable(s->news2);
        h += QStringLiteral("<p><b>qSOFA %1</b> (%2%3)</p>").arg(s->qsofa.points).arg(s->qsofa.completeness(),
                 s->qsofa.partial ? tr(", partial") : QString());
        h += scoreTable(s->qsofa);
    }
    if (!a.notes.isEmpty()) {
        h += QStringLiteral("<p><b>Missing / not applicable</b></p><ul>");
        for (const auto &n : a.notes) h += QStringLiteral("<li>%1</li>").arg(n.toHtmlEscaped());
        h += QStringLiteral("</ul>");
    }
    const QString model = a.modelName.isEmpty()
        ? tr("Model: none loaded (early-warning scores only)")
        : tr("Model %1 %2, signed by %3 — <a href=\"modelcard\">model card</a>")
              .arg(a.modelName.toHtmlEscaped(), a.modelVersion.toHtmlEscaped(), a.modelSigner.toHtmlEscaped());
    h += QStringLiteral("<p><small>%1<br>Inputs: %2%3</small></p>")
             .arg(model, a.imagePath.section('/', -1).toHtmlEscaped(),
                  a.inputs.vitalsPath.isEmpty() ? QString() : QStringLiteral(", ") + a.inputs.vitalsPath.section('/', -1).toHtmlEscaped());
    h += QStringLiteral("<p><i>%1</i></p>").arg(tr("For research and decision support — not a diagnosis."));
    m_view->setHtml(h);
}

} // namespace ui
