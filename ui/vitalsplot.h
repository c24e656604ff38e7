#pragma once
// Vital-sign tracks over time (QCustomPlot): heart rate, blood pressure
// (SBP/DBP/MAP), SpO2, respiratory rate and temperature, one stacked axis
// each sharing the time axis (zoom/pan in time together); gaps longer than
// four hours are drawn as gaps. Under them: NEWS2 and qSOFA as step plots
// and the model's attention per hour as a heat band aligned in time. Hover
// shows values with units.
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPAxisRect;
class QCPColorMap;
class QLabel;
class QPushButton;
namespace cs { class VitalsTimeline; struct HourlyScores; }

namespace ui {

class VitalsPlot : public QWidget {
    Q_OBJECT
public:
    explicit VitalsPlot(QWidget *parent = nullptr);
    void setTimeline(const cs::VitalsTimeline &t);
    void setScores(const std::vector<cs::HourlyScores> &scores);
    void setAttention(const std::vector<float> &perHour);   // empty clears
    // Under the band: its measured faithfulness (linked to the model card) and the
    // "what if" button that asks to re-score without the most-attended hours.
    void setAttentionFaithfulness(const QString &text);
    void setWhatIfResult(const QString &text);          // empty: ready for a new question
    QString attentionFaithfulness() const;
    QString whatIfResult() const;
    QPushButton *whatIfButton() const { return m_whatIf; }
    void setImageTime(double hours, const QString &label);  // < 0: none
    void clear(const QString &message);
    int trackCount() const;
    int pointCount(const QString &graphName) const;
    bool hasAttentionBand() const;
    bool hasImageMarker() const { return m_imageMarked; }
    QCustomPlot *plot() const { return m_plot; }

signals:
    void modelCardRequested();
    void whatIfRequested();

private:
    void onHover(QMouseEvent *e);
    QCustomPlot *m_plot;
    QCPAxisRect *m_scoresRect = nullptr, *m_attentionRect = nullptr;
    QCPColorMap *m_attention = nullptr;
    QLabel *m_faithfulness, *m_whatIfResult;
    QPushButton *m_whatIf;
    std::vector<QCPAxisRect *> m_rects;
    QStringList m_units;
    bool m_imageMarked = false;
};

} // namespace ui
