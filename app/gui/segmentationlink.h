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
    // Takes the window's Open DICOM segmentation and Cancel.
    SegmentationLink(ui::MainWindow *window, QObject *parent = nullptr);
    // Drawn over the image last given to setShownImage() when it belongs to it, else alone.
    void open(const QString &path);
    // The viewer shows another image (or none): the overlay follows or is removed; alone mode ends.
    void setShownImage(const std::optional<cs::DicomInstanceInfo> &shown);
    // The frame now shown: its overlay (or, alone, the frame itself) is computed and shown.
    void showFrame(int frame);
    bool isAlone() const { return m_alone; }
    bool isDrawnOnImage() const { return m_seg && m_onImage; }
    const std::optional<cs::Segmentation> &segmentation() const { return m_seg; }
    void cancel();   // drops the segmentation or frame being computed

signals:
    void opened(bool ok);
    // Alone: the workstation takes info as its image, without a renderer (frames come from showFrame()).
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
