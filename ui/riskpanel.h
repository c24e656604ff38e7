#pragma once
// Risk panel: the fused risk as a calibrated percentage against its
// threshold, each branch's risk and share, NEWS2 and qSOFA with their
// components, what was missing or not applicable, and the model's name and
// version with a link to its model card.
#include <QWidget>

class QTextBrowser;
namespace cs { struct PatientAssessment; struct ModelThresholds; }

namespace ui {

class RiskPanel : public QWidget {
    Q_OBJECT
public:
    explicit RiskPanel(QWidget *parent = nullptr);
    void showAssessment(const cs::PatientAssessment &a, const cs::ModelThresholds &thr);
    void showMessage(const QString &text);
    QString text() const;
signals:
    void modelCardRequested();
private:
    QTextBrowser *m_view;
};

} // namespace ui
