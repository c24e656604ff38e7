#pragma once
// The worklist: patients/studies with fused risk, each branch's risk,
// NEWS2, flag, review status, modality and study date; sortable (most
// urgent first by default) and filterable (flagged only, unreviewed,
// modality). Rows are plain values handed in by the app.
#include <QWidget>
#include <optional>
#include <vector>

class QTableView;
class QStandardItem;
class QStandardItemModel;
class QSortFilterProxyModel;
class QCheckBox;
class QComboBox;

namespace ui {

struct WorklistRow {
    QString patientId, name, modality, studyDate, reviewStatus;
    std::optional<double> fusedRisk, imageRisk, vitalsRisk;
    std::optional<int> news2;
    bool news2Partial = false;
    bool flagged = false;
    double priority = 0;
};

class WorklistView : public QWidget {
    Q_OBJECT
public:
    explicit WorklistView(QWidget *parent = nullptr);
    void setRows(const std::vector<WorklistRow> &rows);   // every row replaced, sorted most urgent first
    void addRow(const WorklistRow &row);                  // one row added (or replaced, by patient id)
    void setReviewStatus(const QString &patientId, const QString &status);
    int visibleRowCount() const;
    QString patientAt(int visibleRow) const;
    void selectPatient(const QString &patientId);
    void setFlaggedOnly(bool on);

signals:
    void patientSelected(const QString &patientId);

private:
    void applyFilters();
    static QList<QStandardItem *> rowItems(const WorklistRow &r);
    QString selectedPatient() const;
    void setModalities(QStringList modalities);
    QTableView *m_table;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QCheckBox *m_flagged, *m_unreviewed;
    QComboBox *m_modality;
    bool m_restoring = false;   // setRows/addRow re-selecting the patient that was selected: not a new choice
};

} // namespace ui
