#include "imageviewer.h"

#include "clinsight/dicom/dicom.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <QKeyEvent>
#include <QLinearGradient>
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
    if (m_image.size() != img.size()) { m_measureText.clear(); m_heat = {}; m_overlay = QImage(); }
    m_image = img.copy();  // own the pixels
    if (m_inverted) m_image.invertPixels();
    m_center = m_width = 0;
    if (f.channels == 1 && !f.window.isLut) { m_center = f.window.center; m_width = f.window.width; }
    update();
}

void ImageViewer::setAnnotations(const QStringList &tl, const QStringList &tr_, const QStringList &bl)
{
    m_tl = tl; m_tr = tr_; m_bl = bl;
    update();
}

void ImageViewer::setBottomLeftAnnotation(const QStringList &bl)
{
    m_bl = bl;
    update();
}

void ImageViewer::setSaliency(const cs::HeatmapGrid &map, const QString &label)
{
    m_heat = map.isNull() ? cs::HeatmapGrid{} : map;
    m_overlay = QImage();
    m_overlayLabel = m_heat.isNull() ? QString() : label;
    update();
}

const QImage &ImageViewer::overlayFor(const QRectF &region, const QSize &px)
{
    if (!m_overlay.isNull() && m_overlay.size() == px && m_overlayRegion == region) return m_overlay;
    const std::vector<float> v = cs::sampleHeatmap(m_heat, region.x(), region.y(), region.width(), region.height(), px.width(), px.height());
    QImage img(px, QImage::Format_ARGB32);
    for (int y = 0; y < px.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
        const float *row = &v[size_t(y) * size_t(px.width())];
        for (int x = 0; x < px.width(); ++x) {
            const cs::HeatmapColour c = cs::heatmapColour(row[x]);   // transparent where the map is ~0
            line[x] = qRgba(int(c.r * 255), int(c.g * 255), int(c.b * 255), int(255 * c.alpha));
        }
    }
    m_overlay = img;
    m_overlayRegion = region;
    return m_overlay;
}

void ImageViewer::setSegmentation(const QImage &rgba, const QString &title, const QList<SegmentLegendEntry> &legend)
{
    m_segOverlay = rgba;
    m_segTitle = title;
    m_segLegend = legend;
    update();
}

void ImageViewer::clearSegmentation()
{
    m_segOverlay = QImage();
    m_segTitle.clear();
    m_segLegend.clear();
    update();
}

void ImageViewer::setSegmentationVisible(bool on) { m_segVisible = on; update(); }

void ImageViewer::setMeasureMode(bool on) { m_measureMode = on; setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor); }
void ImageViewer::setPixelSpacing(double r, double c) { m_spacingRow = r; m_spacingCol = c; }

QPointF ImageViewer::toImage(const QPoint &p) const
{
    const QRectF r = imageRectOnScreen();
    return {(p.x() - r.left()) / r.width() * m_image.width(), (p.y() - r.top()) / r.height() * m_image.height()};
}

QPointF ImageViewer::toScreen(const QPointF &p) const
{
    const QRectF r = imageRectOnScreen();
    return {r.left() + p.x() / m_image.width() * r.width(), r.top() + p.y() / m_image.height() * r.height()};
}

void ImageViewer::measureBetween(QPointF a, QPointF b)
{
    m_measureA = a;
    m_measureB = b;
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    if (m_spacingRow > 0 && m_spacingCol > 0)
        m_measureText = tr("%1 mm").arg(std::hypot(dx * m_spacingCol, dy * m_spacingRow), 0, 'f', 1);
    else
        m_measureText = tr("%1 px (no Pixel Spacing in the file)").arg(std::hypot(dx, dy), 0, 'f', 1);
    update();
}

void ImageViewer::keyPressEvent(QKeyEvent *e)
{
    if (e->key() == Qt::Key_PageDown || e->key() == Qt::Key_Down) emit frameStepRequested(1);
    else if (e->key() == Qt::Key_PageUp || e->key() == Qt::Key_Up) emit frameStepRequested(-1);
    else QWidget::keyPressEvent(e);
}

void ImageViewer::setWindowState(double c, double w) { m_center = c; m_width = w; update(); }
void ImageViewer::setOverlayVisible(bool on) { m_overlayVisible = on; update(); }
void ImageViewer::setOverlayOpacity(double o) { m_overlayOpacity = o; update(); }
void ImageViewer::setPlaceholder(const QString &t) { m_placeholder = t; m_image = QImage(); update(); }
void ImageViewer::fitToWindow() { m_fit = true; m_pan = {}; update(); }
void ImageViewer::zoomOneToOne() { setZoom(1.0); }
void ImageViewer::setZoom(double z) { m_fit = false; m_zoom = std::clamp(z, 0.05, 40.0); update(); }

void ImageViewer::setOverlayCaption(const QString &text)
{
    m_overlayCaption = text;
    setToolTip(text);
    update();
}

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
    if (m_segVisible && !m_segOverlay.isNull() && m_segOverlay.size() == m_image.size()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);   // segment borders stay on their pixels
        p.drawImage(r, m_segOverlay);
    }
    if (m_overlayVisible && !m_heat.isNull() && m_heat.frameWidth == m_image.width() && m_heat.frameHeight == m_image.height()) {
        // Only the part of the frame on screen, at the screen's pixels: registered through zoom and pan.
        const QRectF shown = r.intersected(QRectF(rect()));
        const qreal dpr = devicePixelRatioF();
        const QSize px(int(std::ceil(shown.width() * dpr)), int(std::ceil(shown.height() * dpr)));
        if (px.width() > 0 && px.height() > 0) {
            const QRectF region((shown.x() - r.x()) * m_image.width() / r.width(), (shown.y() - r.y()) * m_image.height() / r.height(),
                                shown.width() * m_image.width() / r.width(), shown.height() * m_image.height() / r.height());
            p.setOpacity(m_overlayOpacity);
            p.drawImage(shown, overlayFor(region, px));
            p.setOpacity(1.0);
        }
        // legend
        const QRect bar(width() - 26, height() / 2 - 80, 14, 160);
        QLinearGradient g(bar.bottomLeft(), bar.topLeft());
        g.setColorAt(0.0, QColor(0, 0, 255)); g.setColorAt(0.33, QColor(0, 255, 255));
        g.setColorAt(0.66, QColor(255, 255, 0)); g.setColorAt(1.0, QColor(255, 0, 0));
        p.fillRect(bar, g);
        p.setPen(Qt::white);
        p.drawText(bar.left() - 34, bar.top() + 4, tr("high"));
        p.drawText(bar.left() - 30, bar.bottom(), tr("low"));
        p.save();
        p.translate(bar.left() - 8, bar.center().y() + 60);
        p.rotate(-90);
        p.drawText(0, 0, m_overlayLabel);
        p.restore();
        // the measured faithfulness, in one line above the bottom annotations, linked to the card
        m_captionRect = {};
        if (!m_overlayCaption.isEmpty()) {
            const QFontMetrics fm(font());
            const QString line = fm.elidedText(m_overlayCaption, Qt::ElideMiddle, std::max(80, width() - 12));
            m_captionRect = QRect(width() - fm.horizontalAdvance(line) - 6, height() - 6 - 3 * fm.height(),
                                  fm.horizontalAdvance(line), fm.height());
            p.setPen(QColor(140, 200, 255));
            QFont f = font();
            f.setUnderline(true);
            p.setFont(f);
            p.drawText(m_captionRect, Qt::AlignLeft | Qt::AlignVCenter, line);
            p.setFont(font());
        }
    }
    if (!m_measureText.isEmpty()) {
        p.setPen(QPen(QColor(0, 255, 0), 2));
        const QPointF a = toScreen(m_measureA), b = toScreen(m_measureB);
        p.drawLine(a, b);
        p.drawText(b + QPointF(6, -6), m_measureText);
    }
    p.setPen(QColor(255, 220, 0));
    const QFontMetrics fm(font());
    int y = fm.ascent() + 4;
    for (const auto &l : m_tl) { p.drawText(6, y, l); y += fm.height(); }
    y = fm.ascent() + 4;
    for (const auto &l : m_tr) { p.drawText(width() - fm.horizontalAdvance(l) - 6, y, l); y += fm.height(); }
    if (!m_segTitle.isEmpty()) {   // the segmentation's legend, under the top-right annotations
        y += fm.height() / 2;
        QStringList lines = m_segTitle.split(QLatin1Char('\n'));
        if (!m_segVisible) lines.first() += tr(" (hidden: S)");
        const int room = std::max(60, width() - 12);
        const int boxTop = y - fm.ascent() - 2, boxLines = int(lines.size() + m_segLegend.size());
        int boxWidth = 0;
        for (const auto &l : lines) boxWidth = std::max(boxWidth, std::min(room, fm.horizontalAdvance(l)));
        for (const auto &e : m_segLegend) boxWidth = std::max(boxWidth, std::min(room, fm.horizontalAdvance(e.text) + fm.height()));
        p.fillRect(QRect(width() - boxWidth - 10, boxTop, boxWidth + 8, boxLines * fm.height() + 4), QColor(0, 0, 0, 150));   // legible on any image
        for (int k = 0; k < lines.size(); ++k) {
            if (k) y += fm.height();
            const QString l = fm.elidedText(lines[k], Qt::ElideMiddle, room);
            p.drawText(width() - fm.horizontalAdvance(l) - 6, y, l);
        }
        for (const auto &e : m_segLegend) {
            y += fm.height();
            const QString text = fm.elidedText(e.text, Qt::ElideRight, room - fm.height());
            const int tw = fm.horizontalAdvance(text);
            p.fillRect(QRect(width() - tw - 6 - fm.height(), y - fm.ascent() + 1, fm.height() - 4, fm.height() - 4),
                       e.onThisFrame ? e.colour : e.colour.darker(250));
            p.setPen(e.onThisFrame ? QColor(255, 220, 0) : QColor(150, 150, 150));
            p.drawText(width() - tw - 6, y, text);
        }
        p.setPen(QColor(255, 220, 0));
    }
    QStringList bl = m_bl;
    const QString zoomText = tr("zoom %1%").arg(r.width() / m_image.width() * 100, 0, 'f', 0);
    bl << (m_width > 0 ? tr("W %1 / L %2   ").arg(m_width, 0, 'f', 0).arg(m_center, 0, 'f', 0) + zoomText : zoomText);
    y = height() - 6 - fm.height() * (int(bl.size()) - 1);
    for (const auto &l : bl) { p.drawText(6, y, l); y += fm.height(); }
}

void ImageViewer::wheelEvent(QWheelEvent *e)
{
    if (m_image.isNull()) return;
    if (e->modifiers() & Qt::ControlModifier) { emit frameStepRequested(e->angleDelta().y() > 0 ? -1 : 1); return; }
    const double current = imageRectOnScreen().width() / m_image.width();
    setZoom(current * std::pow(1.0015, e->angleDelta().y()));
}

void ImageViewer::mousePressEvent(QMouseEvent *e)
{
    if (e->button() == Qt::LeftButton && m_overlayVisible && !m_heat.isNull() && m_captionRect.contains(e->pos())) {
        emit overlayCaptionClicked();
        return;
    }
    m_lastMouse = e->pos();
    m_dragButton = e->button();
    setFocus();
    if (m_measureMode && e->button() == Qt::LeftButton && !m_image.isNull()) {
        m_measuring = true;
        const QPointF a = toImage(e->pos());
        measureBetween(a, a);
    }
}

void ImageViewer::mouseMoveEvent(QMouseEvent *e)
{
    const QPoint d = e->pos() - m_lastMouse;
    m_lastMouse = e->pos();
    if (m_measuring) {
        measureBetween(m_measureA, toImage(e->pos()));
        return;
    }
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

void ImageViewer::mouseReleaseEvent(QMouseEvent *) { m_dragButton = Qt::NoButton; m_measuring = false; }
void ImageViewer::resizeEvent(QResizeEvent *) { update(); }

} // namespace ui
