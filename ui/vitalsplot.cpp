#include "vitalsplot.h"

#include "core/earlywarning.h"
#include "core/vitals.h"

#include <QVBoxLayout>
#include <qcustomplot.h>
#include <cmath>

namespace ui {

namespace {
struct Track { QString title; QStringList vars; QList<QColor> colors; };
const QList<Track> &tracks()
{
    static const QList<Track> t = {
        {QStringLiteral("HR /min"), {cs::var::HR}, {QColor(220, 40, 40)}},
        {QStringLiteral("BP mmHg"), {cs::var::SBP, cs::var::MAP, cs::var::DBP}, {QColor(30, 90, 200), QColor(120, 60, 180), QColor(90, 160, 230)}},
        {QStringLiteral("SpO2 %"), {cs::var::SpO2}, {QColor(20, 150, 150)}},
        {QStringLiteral("RR /min"), {cs::var::RR}, {QColor(200, 120, 0)}},
        {QStringLiteral("Temp °C"), {cs::var::Temp}, {QColor(160, 40, 120)}},
    };
    return t;
}
} // namespace

VitalsPlot::VitalsPlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    clear(tr("No vitals open. File > Open vitals..."));
}

void VitalsPlot::clear(const QString &message)
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    auto *title = new QCPTextElement(m_plot, message);
    m_plot->plotLayout()->addElement(0, 0, title);
    m_plot->replot();
}

int VitalsPlot::trackCount() const
{
    return m_plot->axisRectCount();
}

int VitalsPlot::pointCount(const QString &name) const
{
    for (int i = 0; i < m_plot->graphCount(); ++i)
        if (m_plot->graph(i)->name() == name) {
            int n = 0;
            for (auto it = m_plot->graph(i)->data()->constBegin(); it != m_plot->graph(i)->data()->constEnd(); ++it)
                if (!std::isnan(it->value)) ++n;
            return n;
        }
    return 0;
}

void VitalsPlot::setTimeline(const cs::VitalsTimeline &t)
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    auto *title = new QCPTextElement(m_plot, tr("%1 — %2").arg(t.patientId, t.format));
    m_plot->plotLayout()->addElement(0, 0, title);
    QCPAxisRect *first = nullptr;
    int row = 1;
    for (const Track &tr_ : tracks()) {
        auto *rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(row++, 0, rect);
        rect->axis(QCPAxis::atLeft)->setLabel(tr_.title);
        if (!first) first = rect;
        else connect(first->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::rangeChanged),
                     rect->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::setRange));
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        double lo = 1e9, hi = -1e9;
        for (int k = 0; k < tr_.vars.size(); ++k) {
            auto it = t.series.find(tr_.vars[k]);
            auto *g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            g->setName(tr_.vars[k]);
            g->setPen(QPen(tr_.colors[k], 1.6));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
            if (it == t.series.end()) continue;
            QVector<double> x, y;
            double prev = -1e9;
            for (const auto &s : it->second) {
                if (s.hours - prev > 4.0 && !x.isEmpty()) { x << (prev + s.hours) / 2; y << qQNaN(); }  // a gap is drawn as a gap
                x << s.hours; y << s.value;
                lo = std::min(lo, s.value); hi = std::max(hi, s.value);
                prev = s.hours;
            }
            g->setData(x, y, true);
        }
        if (hi >= lo) rect->axis(QCPAxis::atLeft)->setRange(lo - 0.1 * (hi - lo + 1), hi + 0.1 * (hi - lo + 1));
        rect->axis(QCPAxis::atBottom)->setRange(0, std::max(1.0, t.durationHours() + 1));
        rect->axis(QCPAxis::atBottom)->setLabel(row == int(tracks().size()) + 1 ? tr("hours since start") : QString());
    }
    m_plot->replot();
}

void VitalsPlot::setScores(const std::vector<cs::HourlyScores> &) {}
void VitalsPlot::setAttention(const std::vector<float> &) {}
void VitalsPlot::setImageTime(double) {}

} // namespace ui
