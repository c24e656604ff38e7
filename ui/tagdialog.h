#pragma once
// The DICOM tag browser: every data element of one file (sequences indented
// by depth), read-only. Shows rows core has read; reads nothing itself.
#include <QDialog>
#include <vector>

namespace cs { struct DicomTagRow; }

namespace ui {

class TagDialog : public QDialog {
    Q_OBJECT
public:
    TagDialog(const QString &path, const std::vector<cs::DicomTagRow> &rows, QWidget *parent = nullptr);
};

} // namespace ui
