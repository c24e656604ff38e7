#pragma once
// The open DICOM Segmentation, for the Workstation. A segmentation is opened in
// the background (File > Open DICOM segmentation, or a SEG chosen with Open
// DICOM image, or --segmentation) and then:
//  - drawn over the shown image when it belongs to it (a frame derived from the
//    image, its series, or its frame of reference: Segmentation::refersTo); the
//    overlay follows the shown frame and every image of the series opened later
//    while the segmentation stays loaded; an image it does not belong to shows
//    without it (the status bar says so);
//  - shown alone otherwise: its own frames, each segment in its colour on black.
// Overlays and alone frames are computed on the pool (latest request wins);
// the GUI thread never waits.
#include "clinsight/dicom/segmentation.h"

#include <QObject>
#include <memory>
#include <optional>

namespace ui { class MainWindow; }
namespace cs { class JobControl; }

class SegmentationLink : public QObject {
    Q_OBJECT
public:
    SegmentationLink(ui::MainWindow *window, QObject *parent = nullptr);
    // shown: the image in the viewer now (none: the segmentation will be shown alone).
    void open(const QString &path, const std::optional<cs::DicomInstanceInfo> &shown);
    // The viewer shows another image (or none): the overlay follows or is removed; alone mode ends.
    void setShownImage(const std::optional<cs::DicomInstanceInfo> &shown);
    // The frame now shown: its overlay (or, alone, the frame itself) is computed and shown.
    void showFrame(int frame);
    bool isAlone() const { return m_alone; }
    bool isDrawnOnImage() const { return m_seg && m_onImage; }
    const std::optional<cs::Segmentation> &segmentation() const { return m_seg; }
    void close();

signals:
    void opened(bool ok);
    // Alone: the workstation shows info's frames through showFrame() (no renderer).
    void aloneRequested(const cs::DicomInstanceInfo &info);
    void overlayShown(int frame, int segmentsDrawn);   // on the image
    void aloneFrameShown(int frame);

private:
    ui::MainWindow *m_window;
    std::optional<cs::Segmentation> m_seg;
    std::optional<cs::DicomInstanceInfo> m_shown;
    bool m_alone = false, m_onImage = false;
    std::shared_ptr<cs::JobControl> m_job;   // the overlay or frame being computed
};
