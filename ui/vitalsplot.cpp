#include "vitalsplot.h"

#include "clinsight/scores/hourlyscores.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <cmath>

namespace ui {

namespace {
struct Track { QString title; QStringList vars; QList<QColor> colors; QString unit; };
const QList<Track> &tracks()
{
    static const QList<Track> t = {
        {QStringLiteral("HR"), {cs::var::HR}, {QColor(220, 40, 40)}, QStringLiteral("/min")},
        {QStringLiteral("BP"), {cs::var::SBP, cs::var::MAP, cs::var::DBP}, {QColor(30, 90, 200), QColor(120, 60, 180), QColor(90, 160, 230)}, QStringLiteral("mmHg")},
        {QStringLiteral("SpO2"), {cs::var::SpO2}, {QColor(20, 150, 150)}, QStringLiteral("%")},
        {QStringLiteral("RR"), {cs::var::RR}, {QColor(200, 120, 0)}, QStringLiteral("/min")},
        {QStringLiteral("Temp"), {cs::var::Temp}, {QColor(160, 40, 120)}, QStringLiteral("°C")},
    };
    return t;
}
} // namespace

VitalsPlot::VitalsPlot(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_faithfulness(new QLabel(this)), m_whatIfResult(new QLabel(this)),
      m_whatIf(new QPushButton(tr("What if: hide the 3 most-attended hours"), this))
{
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_plot, 1);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(4, 0, 4, 2);
    m_faithfulness->setTextFormat(Qt::RichText);
    m_faithfulness->setWordWrap(true);
    connect(m_faithfulness, &QLabel::linkActivated, this, [this] { emit modelCardRequested(); });
    m_whatIf->setToolTip(tr("Re-score the record with the values of the 3 hours the model attended to most removed "
                            "(earlier values carried forward), to see how much the risk rests on them."));
    m_whatIf->setEnabled(false);
    connect(m_whatIf, &QPushButton::clicked, this, [this] {
        m_whatIf->setEnabled(false);
        m_whatIfResult->setText(tr("re-scoring..."));
        emit whatIfRequested();
    });
    m_whatIfResult->setWordWrap(true);
    row->addWidget(m_faithfulness, 3);
    row->addWidget(m_whatIf);
    row->addWidget(m_whatIfResult, 2);
    l->addLayout(row);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(m_plot, &QCustomPlot::mouseMove, this, &VitalsPlot::onHover);
    clear(tr("No vitals open."));
}

void VitalsPlot::clear(const QString &message)
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    m_rects.clear();
    m_scoresRect = m_attentionRect = nullptr;
    m_attention = nullptr;
    m_whatIf->setEnabled(false);
    m_whatIfResult->clear();
    m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, message));
    m_plot->replot();
}

int VitalsPlot::trackCount() const { return int(m_rects.size()); }
bool VitalsPlot::hasAttentionBand() const { return m_attention && m_attention->data()->keySize() > 0; }

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
    m_rects.clear();
    m_units.clear();
    m_imageMarked = false;
    m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, tr("%1 — %2 (hours since start)").arg(t.patientId, t.format)));
    const double span = std::max(1.0, t.durationHours() + 1);
    auto *margins = new QCPMarginGroup(m_plot);  // aligns the left edges of all tracks
    m_plot->plotLayout()->setRowSpacing(0);
    auto addRect = [&](const QString &label) {
        auto *rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(int(m_rects.size()) + 1, 0, rect);
        rect->axis(QCPAxis::atLeft)->setLabel(label);
        rect->axis(QCPAxis::atLeft)->setTicks(true);
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
        rect->axis(QCPAxis::atBottom)->setTickLabels(false);   // one time axis, under the last track
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        rect->axis(QCPAxis::atBottom)->setRange(0, span);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        rect->setMinimumMargins(QMargins(4, 2, 8, 2));
        if (!m_rects.empty())
            connect(m_rects.front()->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::rangeChanged),
                    rect->axis(QCPAxis::atBottom), qOverload<const QCPRange &>(&QCPAxis::setRange));
        m_rects.push_back(rect);
        return rect;
    };
    for (const Track &tr_ : tracks()) {
        QCPAxisRect *rect = addRect(tr_.title + ' ' + tr_.unit);
        double lo = 1e9, hi = -1e9;
        for (int k = 0; k < tr_.vars.size(); ++k) {
            auto *g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            g->setName(tr_.vars[k]);
            g->setPen(QPen(tr_.colors[k], 1.6));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
            m_units << tr_.unit;
            auto it = t.series.find(tr_.vars[k]);
            if (it == t.series.end()) continue;
            QVector<double> x, y;
            double prev = -1e9;
            for (const auto &s : it->second) {
                if (s.hours - prev > 4.0 && !x.isEmpty()) { x << (prev + s.hours) / 2; y << qQNaN(); }
                x << s.hours; y << s.value;
                lo = std::min(lo, s.value); hi = std::max(hi, s.value);
                prev = s.hours;
            }
            g->setData(x, y, true);
        }
        if (hi >= lo) rect->axis(QCPAxis::atLeft)->setRange(lo - 0.1 * (hi - lo + 1), hi + 0.1 * (hi - lo + 1));
        else rect->axis(QCPAxis::atLeft)->setLabel(tr_.title + tr(" (none)"));
    }
    m_scoresRect = addRect(tr("NEWS2 / qSOFA"));
    m_scoresRect->axis(QCPAxis::atLeft)->setRange(-0.5, 12);
    m_attentionRect = addRect(tr("Attention"));
    m_attentionRect->axis(QCPAxis::atLeft)->setTicks(false);
    m_attentionRect->axis(QCPAxis::atLeft)->setRange(0, 1);
    m_attentionRect->setMaximumSize(QSize(QWIDGETSIZE_MAX, 40));
    m_attentionRect->axis(QCPAxis::atBottom)->setLabel(tr("hours since start"));
    m_attentionRect->axis(QCPAxis::atBottom)->setTickLabels(true);
    m_plot->replot();
}

void VitalsPlot::setScores(const std::vector<cs::HourlyScores> &scores)
{
    if (!m_scoresRect) return;
    QVector<double> x, news2, qsofa;
    for (const auto &s : scores) {
        x << s.hour;
        news2 << s.news2.points;
        qsofa << s.qsofa.points;
    }
    auto add = [&](const QString &name, const QVector<double> &y, const QColor &c) {
        auto *g = m_plot->addGraph(m_scoresRect->axis(QCPAxis::atBottom), m_scoresRect->axis(QCPAxis::atLeft));
        g->setName(name);
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(c, 2));
        g->setData(x, y, true);
        m_units << tr("points");
    };
    add(QStringLiteral("NEWS2"), news2, QColor(200, 60, 0));
    add(QStringLiteral("qSOFA"), qsofa, QColor(60, 60, 60));
    m_plot->replot();
}

void VitalsPlot::setAttention(const std::vector<float> &a)
{
    if (!m_attentionRect) return;
    if (m_attention) { m_plot->removePlottable(m_attention); m_attention = nullptr; }
    m_whatIf->setEnabled(!a.empty());
    m_whatIfResult->clear();
    if (a.empty()) { m_plot->replot(); return; }
    m_attention = new QCPColorMap(m_attentionRect->axis(QCPAxis::atBottom), m_attentionRect->axis(QCPAxis::atLeft));
    m_attention->setName(QStringLiteral("attention"));
    // Two identical rows spanning 0..1 so each hour is a full-height cell centred on its hour.
    m_attention->data()->setSize(int(a.size()), 2);
    m_attention->data()->setRange(QCPRange(0, std::max<double>(0.0, double(a.size()) - 1)), QCPRange(0.25, 0.75));
    float mx = 0;
    for (float v : a) mx = std::max(mx, v);
    for (int h = 0; h < int(a.size()); ++h)
        for (int row = 0; row < 2; ++row) m_attention->data()->setCell(h, row, mx > 0 ? a[h] / mx : 0);
    m_attention->setGradient(QCPColorGradient::gpHot);
    m_attention->setDataRange(QCPRange(0, 1));
    m_attention->setInterpolate(false);
    m_plot->replot();
}

void VitalsPlot::setAttentionFaithfulness(const QString &text)
{
    m_faithfulness->setText(text.isEmpty() ? QString()
                                           : QStringLiteral("<small>%1 <a href=\"modelcard\">Model card</a></small>").arg(text.toHtmlEscaped()));
}

void VitalsPlot::setWhatIfResult(const QString &text)
{
    m_whatIfResult->setText(text);
    m_whatIf->setEnabled(hasAttentionBand());
}

QString VitalsPlot::attentionFaithfulness() const { return m_faithfulness->text(); }
QString VitalsPlot::whatIfResult() const { return m_whatIfResult->text(); }

void VitalsPlot::setImageTime(double hours, const QString &label)
{
    if (hours < 0 || m_rects.empty()) return;
    m_imageMarked = true;
    for (QCPAxisRect *r : m_rects) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(r);
        line->point1->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
        line->point2->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
        line->point1->setCoords(hours, 0);
        line->point2->setCoords(hours, 1);
        line->setPen(QPen(QColor(0, 120, 0), 1.5, Qt::DashLine));
    }
    auto *text = new QCPItemText(m_plot);
    text->setClipAxisRect(m_rects.front());
    text->position->setAxes(m_rects.front()->axis(QCPAxis::atBottom), m_rects.front()->axis(QCPAxis::atLeft));
    text->position->setType(QCPItemPosition::ptPlotCoords);
    text->position->setCoords(hours, m_rects.front()->axis(QCPAxis::atLeft)->range().upper);
    text->setPositionAlignment(Qt::AlignTop | Qt::AlignRight);  // left of the line: readable at the last hour too
    text->setText(label);
    text->setColor(QColor(0, 120, 0));
    m_plot->replot();
}

void VitalsPlot::onHover(QMouseEvent *e)
{
    QString tip;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph *g = m_plot->graph(i);
        if (!g->keyAxis()->axisRect()->rect().contains(e->pos())) continue;
        const double key = g->keyAxis()->pixelToCoord(e->pos().x());
        auto it = g->data()->findBegin(key - 0.5);
        double best = 1e9, value = qQNaN(), at = 0;
        for (; it != g->data()->constEnd() && it->key <= key + 0.5; ++it)
            if (!std::isnan(it->value) && std::abs(it->key - key) < best) { best = std::abs(it->key - key); value = it->value; at = it->key; }
        if (!std::isnan(value))
            tip += QStringLiteral("%1 %2 %3 at %4 h\n").arg(g->name()).arg(value, 0, 'g', 4).arg(m_units.value(i)).arg(at, 0, 'f', 1);
    }
    if (m_attention && m_attentionRect && m_attentionRect->rect().contains(e->pos())) {
        const int h = int(std::lround(m_attentionRect->axis(QCPAxis::atBottom)->pixelToCoord(e->pos().x())));
        if (h >= 0 && h < m_attention->data()->keySize())
            tip += tr("attention at hour %1: %2 of the maximum").arg(h).arg(m_attention->data()->cell(h, 0), 0, 'f', 2);
    }
    if (!tip.isEmpty()) QToolTip::showText(e->globalPosition().toPoint(), tip.trimmed(), m_plot);
}

} // namespace ui
