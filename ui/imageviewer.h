#pragma once
// Shows one displayed DICOM frame with zoom (wheel), pan (middle/left+shift
// drag), window/level (right drag, reported as a request: the pixels are
// re-rendered by core), fit/1:1, invert, and corner annotations. An optional
// saliency overlay (same grid as the frame) is drawn registered to the image.
#include <QImage>
#include <QWidget>

namespace cs { struct DisplayFrame; }

namespace ui {

class ImageViewer : public QWidget {
    Q_OBJECT
public:
    explicit ImageViewer(QWidget *parent = nullptr);
    void setFrame(const cs::DisplayFrame &frame);
    void setAnnotations(const QStringList &topLeft, const QStringList &topRight, const QStringList &bottomLeft);
    void setWindowState(double center, double width);
    void setOverlay(const QImage &heatmapRgba);  // same size as the frame; null clears
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

protected:
    void paintEvent(QPaintEvent *) override;
    void wheelEvent(QWheelEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;
    void mouseReleaseEvent(QMouseEvent *) override;
    void resizeEvent(QResizeEvent *) override;

private:
    QImage m_image, m_overlay;
    QString m_placeholder;
    QStringList m_tl, m_tr, m_bl;
    double m_zoom = 1.0;
    QPointF m_pan;
    bool m_fit = true, m_inverted = false, m_overlayVisible = true;
    double m_overlayOpacity = 0.45;
    double m_center = 0, m_width = 0;
    QPoint m_lastMouse;
    Qt::MouseButton m_dragButton = Qt::NoButton;
};

} // namespace ui
