#pragma once
// The image toolbar: window presets (the file's windows, CT presets), fit,
// 1:1, invert, measure, tags, Grad-CAM and segments toggles, opacity, frame slider and
// cine, "mark reviewed". It drives the viewer's display options directly and
// forwards everything that needs core (re-render, tags, review) as signals.
#include <QList>
#include <QToolBar>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
namespace cs { struct VoiWindow; }

namespace ui {

class ImageViewer;

class ViewerToolbar : public QToolBar {
    Q_OBJECT
public:
    explicit ViewerToolbar(ImageViewer *viewer, QWidget *parent = nullptr);
    // Presets offered for this image; disabled for colour images and PNGs.
    void setPresets(const QString &modality, const QList<cs::VoiWindow> &fileWindows, bool enabled);
    // Frame slider range and cine for frameCount frames (back to the first, cine stopped); word names
    // them ("frame", or "slice" for a series).
    void setFrameCount(int frameCount, const QString &word = {});
    void setCinePlaying(bool on);
    bool isCinePlaying() const;
    void setReviewAllowed(bool allowed, const QString &why = {});

signals:
    void windowChangeRequested(double center, double width);
    void frameRequested(int frame);
    void tagsRequested();
    void reviewStatusRequested(const QString &status);

private:
    QAction *m_review = nullptr;
    ImageViewer *m_viewer;
    QComboBox *m_presets;
    QSlider *m_frame, *m_opacity;
    QAction *m_cine, *m_saliency, *m_segments;
    QTimer *m_cineTimer;
    QLabel *m_frameLabel;
    QString m_frameWord;
};

} // namespace ui
