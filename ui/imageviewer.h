#pragma once
// Shows one displayed DICOM frame with zoom (wheel), pan (middle/left+shift
// drag), window/level (right drag, reported as a request: the pixels are
// re-rendered by core), fit/1:1, invert, and corner annotations. An optional
// saliency overlay (a coarse map laid over the frame, sampled at screen
// resolution for the part of the frame on screen) is drawn registered to the image,
// and so is a segmentation (DICOM SEG) overlay with its legend.
#include <QColor>
#include <QImage>
#include <QList>
#include <QWidget>
#include <vector>

#include "clinsight/imaging/heatmap.h"

namespace cs { struct DisplayFrame; }

namespace ui {

// One line of the segmentation legend: the segment's colour and name.
struct SegmentLegendEntry {
    QColor colour;
    QString text;
    bool onThisFrame = true;   // drawn on the shown frame (else listed dimmed)
};

class ImageViewer : public QWidget {
    Q_OBJECT
public:
    explicit ImageViewer(QWidget *parent = nullptr);
    void setFrame(const cs::DisplayFrame &frame);
    void setAnnotations(const QStringList &topLeft, const QStringList &topRight, const QStringList &bottomLeft);
    void setBottomLeftAnnotation(const QStringList &bottomLeft);   // e.g. the slice of a series
    QStringList bottomLeftAnnotation() const { return m_bl; }
    void setWindowState(double center, double width);
    // Saliency map over the frame (values 0..1; a null grid removes it) shown with a jet colour
    // scale and legend; sampled only for the part of the frame on screen, at screen resolution.
    void setSaliency(const cs::HeatmapGrid &map, const QString &label);
    bool hasOverlay() const { return !m_heat.isNull(); }
    // One line under the overlay's legend (its measured faithfulness); clicking it emits overlayCaptionClicked().
    void setOverlayCaption(const QString &text);
    QString overlayCaption() const { return m_overlayCaption; }
    bool overlayVisible() const { return m_overlayVisible; }
    // Segmentation overlay (straight-alpha RGBA on the frame's grid; null: legend only, the
    // segments are in the frame itself), its title and legend. clearSegmentation() removes both.
    void setSegmentation(const QImage &rgba, const QString &title, const QList<SegmentLegendEntry> &legend);
    void clearSegmentation();
    bool hasSegmentation() const { return !m_segTitle.isEmpty(); }
    QImage segmentationImage() const { return m_segOverlay; }
    QString segmentationTitle() const { return m_segTitle; }
    QList<SegmentLegendEntry> segmentationLegend() const { return m_segLegend; }
    void setSegmentationVisible(bool on);
    bool segmentationVisible() const { return m_segVisible; }
    // Distance measurement: left drag draws a line measured in mm from Pixel Spacing.
    void setMeasureMode(bool on);
    void setPixelSpacing(double rowMm, double colMm);   // <= 0: unknown
    QString measurement() const { return m_measureText; }
    void measureBetween(QPointF imageA, QPointF imageB);
    void setOverlayVisible(bool on);
    void setOverlayOpacity(double opacity);
    void setPlaceholder(const QString &text);
    void fitToWindow();
    void zoomOneToOne();
    void setInverted(bool on);
    bool hasImage() const { return !m_image.isNull(); }
    QRectF imageRectOnScreen() const;
    double zoom() const { return m_zoom; }
    void setZoom(double z);

signals:
    void windowChangeRequested(double center, double width);
    void frameStepRequested(int delta);
    void overlayCaptionClicked();

protected:
    void paintEvent(QPaintEvent *) override;
    void wheelEvent(QWheelEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;
    void mouseReleaseEvent(QMouseEvent *) override;
    void resizeEvent(QResizeEvent *) override;

private:
    QImage m_image, m_segOverlay;
    cs::HeatmapGrid m_heat;
    QImage m_overlay;             // m_heat coloured for m_overlayRegion at m_overlay's size (device pixels)
    QRectF m_overlayRegion;       // the frame region m_overlay shows (frame pixels)
    const QImage &overlayFor(const QRectF &region, const QSize &devicePixels);
    QString m_segTitle;
    QList<SegmentLegendEntry> m_segLegend;
    bool m_segVisible = true;
    QString m_placeholder;
    QStringList m_tl, m_tr, m_bl;
    double m_zoom = 1.0;
    QPointF m_pan;
    bool m_fit = true, m_inverted = false, m_overlayVisible = true;
    double m_overlayOpacity = 0.45;
    double m_center = 0, m_width = 0;
    QPoint m_lastMouse;
    QString m_overlayLabel, m_measureText, m_overlayCaption;
    QRect m_captionRect;
    bool m_measureMode = false, m_measuring = false;
    QPointF m_measureA, m_measureB;   // image coordinates
    double m_spacingRow = 0, m_spacingCol = 0;
    QPointF toImage(const QPoint &p) const;
    QPointF toScreen(const QPointF &p) const;
    void keyPressEvent(QKeyEvent *) override;
    Qt::MouseButton m_dragButton = Qt::NoButton;
};

} // namespace ui
