#include "worklistview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

namespace {
enum Col { Flag, Patient, Fused, Image, Vitals, News2, Review, Modality, Date, NCols };
constexpr int kSortRole = Qt::UserRole + 1;

class WorklistFilter : public QSortFilterProxyModel {
public:
    bool flaggedOnly = false, unreviewedOnly = false;
    QString modality;
protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        auto *m = sourceModel();
        if (flaggedOnly && m->index(row, Flag, parent).data(kSortRole).toInt() == 0) return false;
        if (unreviewedOnly && m->index(row, Review, parent).data().toString() != QLatin1String("unreviewed")) return false;
        if (!modality.isEmpty() && m->index(row, Modality, parent).data().toString() != modality) return false;
        return true;
    }
    // The urgency column orders as the core's sortByUrgency does (flag and risk, then NEWS2, then
    // patient id), so rows added one by one during an import stand where the finished list puts them.
    bool lessThan(const QModelIndex &l, const QModelIndex &r) const override
    {
        if (l.column() != Fused) return QSortFilterProxyModel::lessThan(l, r);
        auto *m = sourceModel();
        const double kl = l.data(kSortRole).toDouble(), kr = r.data(kSortRole).toDouble();
        if (kl != kr) return kl < kr;
        const int nl = m->index(l.row(), News2).data(kSortRole).toInt(), nr = m->index(r.row(), News2).data(kSortRole).toInt();
        if (nl != nr) return nl < nr;
        // shown most urgent (descending) first: the smaller id must compare as the greater
        return m->index(l.row(), Patient).data(Qt::UserRole).toString() > m->index(r.row(), Patient).data(Qt::UserRole).toString();
    }
};

QStandardItem *item(const QString &text, const QVariant &sortKey)
{
    auto *i = new QStandardItem(text);
    i->setData(sortKey, kSortRole);
    i->setEditable(false);
    return i;
}
QString pct(const std::optional<double> &v) { return v ? QStringLiteral("%1%").arg(*v * 100, 0, 'f', 1) : QStringLiteral("n/a"); }
} // namespace

WorklistView::WorklistView(QWidget *parent) : QWidget(parent)
{
    m_model = new QStandardItemModel(0, NCols, this);
    m_model->setHorizontalHeaderLabels({tr("Flag"), tr("Patient"), tr("Fused"), tr("Image"), tr("Vitals"), tr("NEWS2"),
                                        tr("Review"), tr("Modality"), tr("Study date")});
    auto *proxy = new WorklistFilter;
    proxy->setParent(this);
    m_proxy = proxy;
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kSortRole);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Fused, Qt::DescendingOrder);  // most urgent first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_flagged = new QCheckBox(tr("Flagged only"), this);
    m_unreviewed = new QCheckBox(tr("Unreviewed"), this);
    m_modality = new QComboBox(this);
    m_modality->addItem(tr("All modalities"));
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_flagged);
    filters->addWidget(m_unreviewed);
    filters->addWidget(m_modality);
    filters->addStretch();
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(2, 2, 2, 2);
    l->addLayout(filters);
    l->addWidget(m_table);
    connect(m_flagged, &QCheckBox::toggled, this, &WorklistView::applyFilters);
    connect(m_unreviewed, &QCheckBox::toggled, this, &WorklistView::applyFilters);
    connect(m_modality, &QComboBox::currentIndexChanged, this, &WorklistView::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &cur) {
        if (cur.isValid() && !m_restoring) emit patientSelected(m_proxy->index(cur.row(), Patient).data(Qt::UserRole).toString());
    });
}

QList<QStandardItem *> WorklistView::rowItems(const WorklistRow &r)
{
    QList<QStandardItem *> items;
    auto *flag = item(r.flagged ? QStringLiteral("⚑") : QString(), r.flagged ? 1 : 0);
    if (r.flagged) flag->setForeground(QColor(200, 0, 0));
    items << flag;
    auto *pat = item(r.name.isEmpty() ? r.patientId : r.name, r.patientId);
    pat->setData(r.patientId, Qt::UserRole);
    pat->setToolTip(r.patientId);
    items << pat;
    // Urgency sort key: flag first, then the priority the core computed.
    items << item(pct(r.fusedRisk), (r.flagged ? 10.0 : 0.0) + r.priority);
    items << item(pct(r.imageRisk), r.imageRisk.value_or(-1));
    items << item(pct(r.vitalsRisk), r.vitalsRisk.value_or(-1));
    items << item(r.news2 ? QString::number(*r.news2) + (r.news2Partial ? QStringLiteral("*") : QString()) : QStringLiteral("n/a"),
                  r.news2.value_or(-1));
    items << item(r.reviewStatus, r.reviewStatus);
    items << item(r.modality, r.modality);
    items << item(r.studyDate, r.studyDate);
    return items;
}

QString WorklistView::selectedPatient() const
{
    const QModelIndex cur = m_table->selectionModel()->currentIndex();
    return cur.isValid() ? m_proxy->index(cur.row(), Patient).data(Qt::UserRole).toString() : QString();
}

void WorklistView::setModalities(QStringList modalities)
{
    const QString current = m_modality->currentText();
    m_modality->blockSignals(true);
    m_modality->clear();
    m_modality->addItem(tr("All modalities"));
    modalities.sort();
    m_modality->addItems(modalities);
    m_modality->setCurrentText(current);
    m_modality->blockSignals(false);
}

void WorklistView::setRows(const std::vector<WorklistRow> &rows)
{
    // Whoever is selected stays selected (and is not re-opened).
    const QString selected = selectedPatient();
    m_restoring = true;
    m_model->removeRows(0, m_model->rowCount());
    QStringList modalities;
    for (const auto &r : rows) {
        m_model->appendRow(rowItems(r));
        if (!r.modality.isEmpty() && !modalities.contains(r.modality)) modalities << r.modality;
    }
    setModalities(modalities);
    m_table->sortByColumn(Fused, Qt::DescendingOrder);  // most urgent first
    if (!selected.isEmpty()) selectPatient(selected);
    m_restoring = false;
}

void WorklistView::addRow(const WorklistRow &r)
{
    // One patient more (or again): one row made, placed by the sort in force; nothing else rebuilt,
    // so listing n patients one by one costs n rows, not n^2. The selection stays, not re-announced.
    const QString selected = selectedPatient();
    m_restoring = true;
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (m_model->item(i, Patient)->data(Qt::UserRole).toString() == r.patientId) { m_model->removeRow(i); break; }
    m_model->appendRow(rowItems(r));
    if (!r.modality.isEmpty() && m_modality->findText(r.modality) < 1) {
        QStringList modalities;
        for (int i = 1; i < m_modality->count(); ++i) modalities << m_modality->itemText(i);
        setModalities(modalities << r.modality);
    }
    if (selectedPatient() != selected) {
        if (selected.isEmpty()) m_table->selectionModel()->clearCurrentIndex();
        else selectPatient(selected);
    }
    m_restoring = false;
}

void WorklistView::setReviewStatus(const QString &patientId, const QString &status)
{
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->item(r, Patient)->data(Qt::UserRole).toString() == patientId) {
            m_model->item(r, Review)->setText(status);
            m_model->item(r, Review)->setData(status, kSortRole);
        }
}

void WorklistView::applyFilters()
{
    auto *f = static_cast<WorklistFilter *>(m_proxy);
    f->flaggedOnly = m_flagged->isChecked();
    f->unreviewedOnly = m_unreviewed->isChecked();
    f->modality = m_modality->currentIndex() > 0 ? m_modality->currentText() : QString();
    f->invalidate();
}

void WorklistView::setFlaggedOnly(bool on) { m_flagged->setChecked(on); }
int WorklistView::visibleRowCount() const { return m_proxy->rowCount(); }
QString WorklistView::patientAt(int row) const { return m_proxy->index(row, Patient).data(Qt::UserRole).toString(); }

void WorklistView::selectPatient(const QString &id)
{
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        if (patientAt(r) == id) { m_table->selectRow(r); return; }
}

} // namespace ui
