#include "viewertoolbar.h"

#include "imageviewer.h"

#include "clinsight/imaging/frame.h"

#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QTimer>

namespace ui {

namespace {
struct Preset { const char *name; double center, width; };
// Common CT windows (Hounsfield units).
const Preset kCtPresets[] = {{"CT lung", -600, 1500}, {"CT mediastinum", 50, 350}, {"CT bone", 400, 1800},
                             {"CT brain", 40, 80}, {"CT soft tissue", 40, 400}};
} // namespace

ViewerToolbar::ViewerToolbar(ImageViewer *viewer, QWidget *parent) : QToolBar(tr("Image"), parent), m_viewer(viewer)
{
    setObjectName(QStringLiteral("imageToolbar"));
    m_presets = new QComboBox(this);
    m_presets->setMinimumWidth(170);
    m_presets->setToolTip(tr("Window presets (right-drag on the image adjusts window/level)"));
    addWidget(m_presets);
    connect(m_presets, &QComboBox::activated, this, [this](int i) {
        const QVariant v = m_presets->itemData(i);
        if (v.isValid()) {
            const QPointF cw = v.toPointF();
            emit windowChangeRequested(cw.x(), cw.y());
        }
    });
    addAction(tr("Fit"), m_viewer, &ImageViewer::fitToWindow);
    addAction(tr("1:1"), m_viewer, &ImageViewer::zoomOneToOne);
    QAction *invert = addAction(tr("Invert"));
    invert->setCheckable(true);
    connect(invert, &QAction::toggled, m_viewer, &ImageViewer::setInverted);
    QAction *measure = addAction(tr("Measure"));
    measure->setCheckable(true);
    measure->setToolTip(tr("Left-drag to measure a distance in mm (from Pixel Spacing)"));
    connect(measure, &QAction::toggled, m_viewer, &ImageViewer::setMeasureMode);
    addAction(tr("Tags"), this, &ViewerToolbar::tagsRequested);
    addSeparator();
    m_saliency = addAction(tr("Saliency"));
    m_saliency->setCheckable(true);
    m_saliency->setChecked(true);
    m_saliency->setToolTip(tr("Grad-CAM of the image branch over the image"));
    connect(m_saliency, &QAction::toggled, m_viewer, &ImageViewer::setOverlayVisible);
    m_segments = addAction(tr("Segments"));
    m_segments->setCheckable(true);
    m_segments->setChecked(true);
    m_segments->setToolTip(tr("The segments of the open DICOM Segmentation over the image (S)"));
    m_segments->setShortcut(Qt::Key_S);
    connect(m_segments, &QAction::toggled, m_viewer, &ImageViewer::setSegmentationVisible);
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setRange(0, 100);
    m_opacity->setValue(45);
    m_opacity->setMaximumWidth(110);
    m_opacity->setToolTip(tr("Saliency opacity"));
    connect(m_opacity, &QSlider::valueChanged, this, [this](int v) { m_viewer->setOverlayOpacity(v / 100.0); });
    addWidget(m_opacity);
    addSeparator();
    m_frame = new QSlider(Qt::Horizontal, this);
    m_frame->setMaximumWidth(160);
    m_frame->setEnabled(false);
    m_frameLabel = new QLabel(tr("frame -"), this);
    addWidget(m_frameLabel);
    addWidget(m_frame);
    connect(m_frame, &QSlider::valueChanged, this, [this](int v) {
        m_frameLabel->setText(tr("%1 %2/%3").arg(m_frameWord).arg(v + 1).arg(m_frame->maximum() + 1));
        emit frameRequested(v);
    });
    connect(m_viewer, &ImageViewer::frameStepRequested, this, [this](int d) { m_frame->setValue(m_frame->value() + d); });
    m_cineTimer = new QTimer(this);
    m_cineTimer->setInterval(100);
    connect(m_cineTimer, &QTimer::timeout, this, [this] {
        m_frame->setValue(m_frame->value() >= m_frame->maximum() ? 0 : m_frame->value() + 1);
    });
    m_cine = addAction(tr("Cine"));
    m_cine->setCheckable(true);
    m_cine->setEnabled(false);
    connect(m_cine, &QAction::toggled, this, [this](bool on) { on ? m_cineTimer->start() : m_cineTimer->stop(); });
    addSeparator();
    m_review = addAction(tr("Mark reviewed"), this, [this] { emit reviewStatusRequested(QStringLiteral("reviewed")); });
    setPresets({}, {}, false);
}

void ViewerToolbar::setPresets(const QString &modality, const QList<cs::VoiWindow> &fileWindows, bool enabled)
{
    m_presets->clear();
    m_presets->addItem(tr("Window presets"));
    for (const auto &w : fileWindows)
        if (!w.isLut) m_presets->addItem(tr("File: %1 (%2/%3)").arg(w.label).arg(w.center).arg(w.width), QPointF(w.center, w.width));
    if (modality == QLatin1String("CT"))
        for (const auto &p : kCtPresets)
            m_presets->addItem(QStringLiteral("%1 (%2/%3)").arg(QLatin1String(p.name)).arg(p.center).arg(p.width), QPointF(p.center, p.width));
    m_presets->setEnabled(enabled);
}

void ViewerToolbar::setFrameCount(int frameCount, const QString &word)
{
    m_frameWord = word.isEmpty() ? tr("frame") : word;
    m_frame->blockSignals(true);
    m_frame->setRange(0, std::max(0, frameCount - 1));
    m_frame->setValue(0);
    m_frame->blockSignals(false);
    m_frame->setEnabled(frameCount > 1);
    m_cine->setEnabled(frameCount > 1);
    m_cine->setChecked(false);
    m_frameLabel->setText(frameCount > 1 ? tr("%1 1/%2").arg(m_frameWord).arg(frameCount) : tr("single %1").arg(m_frameWord));
}

} // namespace ui

namespace ui {

void ViewerToolbar::setCinePlaying(bool on)
{
    if (m_cine->isEnabled()) m_cine->setChecked(on);
}

bool ViewerToolbar::isCinePlaying() const { return m_cineTimer->isActive(); }

void ViewerToolbar::setReviewAllowed(bool allowed, const QString &why)
{
    m_review->setEnabled(allowed);
    m_review->setToolTip(allowed ? tr("Mark this patient's study reviewed") : why);
}

} // namespace ui
