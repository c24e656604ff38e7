#pragma once
// Vital-sign tracks over time (QCustomPlot): heart rate, blood pressure
// (SBP/DBP/MAP), SpO2, respiratory rate and temperature, one stacked axis
// each, sharing the time axis; gaps longer than the sampling interval are
// drawn as gaps. Optionally a per-hour heat band (model attention) and step
// plots of NEWS2/qSOFA under the tracks.
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPAxisRect;
namespace cs { class VitalsTimeline; struct HourlyScores; }

namespace ui {

class VitalsPlot : public QWidget {
    Q_OBJECT
public:
    explicit VitalsPlot(QWidget *parent = nullptr);
    void setTimeline(const cs::VitalsTimeline &t);
    void setScores(const std::vector<cs::HourlyScores> &scores);
    void setAttention(const std::vector<float> &perHour);   // empty clears
    void setImageTime(double hours);                        // < 0 clears
    void clear(const QString &message);
    int trackCount() const;
    int pointCount(const QString &track) const;
    QCustomPlot *plot() const { return m_plot; }

private:
    void rebuild();
    QCustomPlot *m_plot;
    QString m_message;
};

} // namespace ui
