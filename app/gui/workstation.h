#pragma once
// Wires core to the window: runs core's loaders as jobs off the GUI thread
// and hands the results to ui::MainWindow. Owns the open image source so
// window/level changes re-render through core's pixel pipeline.
#include "core/dicom.h"
#include "core/vitals.h"

#include <QObject>
#include <optional>

namespace ui { class MainWindow; }

class Workstation : public QObject {
    Q_OBJECT
public:
    explicit Workstation(ui::MainWindow *window, QObject *parent = nullptr);
    void openImage(const QString &path);
    void openVitals(const QString &path);
    const std::optional<cs::DicomImageSource> &image() const { return m_image; }

signals:
    void imageLoaded(bool ok);
    void vitalsLoaded(bool ok);

private:
    void applyWindow(double center, double width);
    ui::MainWindow *m_window;
    std::optional<cs::DicomImageSource> m_image;
    std::optional<cs::VitalsTimeline> m_vitals;
    int m_frame = 0;
};
