#include "tagdialog.h"

#include "clinsight/dicom/dicom.h"

#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ui {

TagDialog::TagDialog(const QString &path, const std::vector<cs::DicomTagRow> &rows, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("DICOM tags — %1").arg(path.section('/', -1)));
    resize(900, 600);
    auto *table = new QTableWidget(int(rows.size()), 4, this);
    table->setHorizontalHeaderLabels({tr("Tag"), tr("Name"), tr("VR"), tr("Value")});
    for (int r = 0; r < int(rows.size()); ++r) {
        const auto &row = rows[size_t(r)];
        table->setItem(r, 0, new QTableWidgetItem(QString(row.depth * 2, ' ') + row.tag));
        table->setItem(r, 1, new QTableWidgetItem(row.name));
        table->setItem(r, 2, new QTableWidgetItem(row.vr));
        table->setItem(r, 3, new QTableWidgetItem(row.value));
    }
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *l = new QVBoxLayout(this);
    l->addWidget(table);
}

} // namespace ui
