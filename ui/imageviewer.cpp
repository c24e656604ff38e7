#include "imageviewer.h"

#include "core/dicom.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <cmath>

namespace ui {

ImageViewer::ImageViewer(QWidget *parent) : QWidget(parent)
{
    setMinimumSize(320, 320);
    setAutoFillBackground(false);
    setMouseTracking(false);
    m_placeholder = tr("No image open. File > Open DICOM image...");
}

void ImageViewer::setFrame(const cs::DisplayFrame &f)
{
    const QImage::Format fmt = f.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    QImage img(reinterpret_cast<const uchar *>(f.pixels.data()), f.width, f.height, f.width * f.channels, fmt);
    m_image = img.copy();  // own the pixels
    if (m_inverted) m_image.invertPixels();
    if (f.channels == 1 && !f.window.isLut) { m_center = f.window.center; m_width = f.window.width; }
    update();
}

void ImageViewer::setAnnotations(const QStringList &tl, const QStringList &tr_, const QStringList &bl)
{
    m_tl = tl; m_tr = tr_; m_bl = bl;
    update();
}

void ImageViewer::setWindowState(double c, double w) { m_center = c; m_width = w; update(); }
void ImageViewer::setOverlay(const QImage &h) { m_overlay = h; update(); }
void ImageViewer::setOverlayVisible(bool on) { m_overlayVisible = on; update(); }
void ImageViewer::setOverlayOpacity(double o) { m_overlayOpacity = o; update(); }
void ImageViewer::setPlaceholder(const QString &t) { m_placeholder = t; m_image = QImage(); update(); }
void ImageViewer::fitToWindow() { m_fit = true; m_pan = {}; update(); }
void ImageViewer::zoomOneToOne() { setZoom(1.0); }
void ImageViewer::setZoom(double z) { m_fit = false; m_zoom = std::clamp(z, 0.05, 40.0); update(); }

void ImageViewer::setInverted(bool on)
{
    if (on != m_inverted && !m_image.isNull()) m_image.invertPixels();
    m_inverted = on;
    update();
}

QRectF ImageViewer::imageRectOnScreen() const
{
    if (m_image.isNull()) return {};
    double z = m_zoom;
    if (m_fit) z = std::min(width() / double(m_image.width()), height() / double(m_image.height()));
    const QSizeF s(m_image.width() * z, m_image.height() * z);
    const QPointF tl(QPointF(width() - s.width(), height() - s.height()) / 2.0 + m_pan);
    return {tl, s};
}

void ImageViewer::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::black);
    if (m_image.isNull()) {
        p.setPen(QColor(200, 200, 200));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QRectF r = imageRectOnScreen();
    p.setRenderHint(QPainter::SmoothPixmapTransform, r.width() < m_image.width());
    p.drawImage(r, m_image);
    if (m_overlayVisible && !m_overlay.isNull()) {
        p.setOpacity(m_overlayOpacity);
        p.setRenderHint(QPainter::SmoothPixmapTransform, true);
        p.drawImage(r, m_overlay);  // same target rect: stays registered through zoom and pan
        p.setOpacity(1.0);
    }
    p.setPen(QColor(255, 220, 0));
    const QFontMetrics fm(font());
    int y = fm.ascent() + 4;
    for (const auto &l : m_tl) { p.drawText(6, y, l); y += fm.height(); }
    y = fm.ascent() + 4;
    for (const auto &l : m_tr) { p.drawText(width() - fm.horizontalAdvance(l) - 6, y, l); y += fm.height(); }
    QStringList bl = m_bl;
    bl << tr("W %1 / L %2   zoom %3%").arg(m_width, 0, 'f', 0).arg(m_center, 0, 'f', 0).arg(r.width() / m_image.width() * 100, 0, 'f', 0);
    y = height() - 6 - fm.height() * (int(bl.size()) - 1);
    for (const auto &l : bl) { p.drawText(6, y, l); y += fm.height(); }
}

void ImageViewer::wheelEvent(QWheelEvent *e)
{
    if (m_image.isNull()) return;
    const double current = imageRectOnScreen().width() / m_image.width();
    setZoom(current * std::pow(1.0015, e->angleDelta().y()));
}

void ImageViewer::mousePressEvent(QMouseEvent *e)
{
    m_lastMouse = e->pos();
    m_dragButton = e->button();
}

void ImageViewer::mouseMoveEvent(QMouseEvent *e)
{
    const QPoint d = e->pos() - m_lastMouse;
    m_lastMouse = e->pos();
    if (m_dragButton == Qt::RightButton) {
        const double w = std::max(1.0, m_width + d.x() * std::max(1.0, m_width / 200.0));
        const double c = m_center + d.y() * std::max(1.0, m_width / 400.0);
        emit windowChangeRequested(c, w);
    } else if (m_dragButton == Qt::MiddleButton || m_dragButton == Qt::LeftButton) {
        if (m_fit) { m_zoom = imageRectOnScreen().width() / m_image.width(); m_fit = false; }
        m_pan += d;
        update();
    }
}

void ImageViewer::mouseReleaseEvent(QMouseEvent *) { m_dragButton = Qt::NoButton; }
void ImageViewer::resizeEvent(QResizeEvent *) { update(); }

} // namespace ui
