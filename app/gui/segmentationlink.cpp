#include "segmentationlink.h"

#include "background.h"
#include "clinsight/foundation/job.h"
#include "mainwindow.h"

#include <QFileInfo>

SegmentationLink::SegmentationLink(ui::MainWindow *window, QObject *parent) : QObject(parent), m_window(window)
{
    connect(window, &ui::MainWindow::openSegmentationRequested, this, &SegmentationLink::open);
    connect(window, &ui::MainWindow::cancelJobRequested, this, &SegmentationLink::cancel);
}

void SegmentationLink::open(const QString &path)
{
    using R = cs::Result<cs::Segmentation>;
    // While a segmentation is shown alone there is no image to draw a new one on.
    const std::optional<cs::DicomInstanceInfo> shown = m_alone ? std::nullopt : m_shown;
    if (m_job) m_job->requestCancel();
    auto job = m_job = std::make_shared<cs::JobControl>();
    m_window->showJobProgress(0, 1, tr("Reading segmentation %1...").arg(QFileInfo(path).fileName()));
    runInBackground<R>(this, [path]() -> R { return cs::Segmentation::open(path); }, [this, job, shown](R r) {
        if (job != m_job || job->isCancelled()) return;
        m_job.reset();
        if (!r) {
            m_window->showJobFinished(r.error().message());
            m_window->showError(tr("Cannot open segmentation"), r.error());
            emit opened(false);
            return;
        }
        m_seg = std::move(r.value());
        m_shown = shown;
        m_alone = !(shown && m_seg->refersTo(*shown));
        m_onImage = !m_alone;
        m_window->showJobFinished(m_alone ? tr("Segmentation %1 shown alone: it does not belong to the open image").arg(m_seg->info().path)
                                          : tr("Segmentation %1 shown on %2").arg(m_seg->info().path, shown->path));
        emit opened(true);
        if (m_alone) emit aloneRequested(m_seg->info());
        showFrame(0);
    });
}

void SegmentationLink::setShownImage(const std::optional<cs::DicomInstanceInfo> &shown)
{
    m_shown = shown;
    if (!m_seg) return;
    if (shown && shown->path == m_seg->info().path) return;   // itself, shown alone
    m_alone = false;
    m_onImage = shown && m_seg->refersTo(*shown);
    if (m_onImage)
        showFrame(0);   // a newly shown image starts at its first frame
    else
        m_window->clearSegmentation(shown ? tr("Segmentation %1 is not drawn: it does not belong to %2").arg(m_seg->info().path, shown->path)
                                          : QString());
}

void SegmentationLink::showFrame(int frame)
{
    if (!m_seg || (!m_alone && !m_onImage)) return;
    if (m_job) m_job->requestCancel();
    auto job = m_job = std::make_shared<cs::JobControl>();
    const cs::Segmentation seg = *m_seg;
    if (m_alone) {
        using R = cs::Result<std::pair<cs::DisplayFrame, cs::SegmentOverlay>>;
        runInBackground<R>(this,
            [seg, frame, job]() -> R {
                if (job->isCancelled()) return cs::cancelledError(QStringLiteral("segmentation frame"));
                auto o = seg.overlayOfFrame(frame);
                if (!o) return o.error();
                return std::make_pair(cs::Segmentation::renderAlone(o.value()), o.value());
            },
            [this, job, frame](R r) {
                if (job != m_job || job->isCancelled() || !m_alone) return;
                m_job.reset();
                if (!r) { m_window->showError(tr("Cannot show segmentation frame"), r.error()); return; }
                if (frame == 0) m_window->showImage(m_seg->info(), r->first);
                else m_window->showFrame(r->first);
                m_window->showSegmentation(*m_seg, r->second, /*alone=*/true);
                emit aloneFrameShown(frame);
            });
        return;
    }
    const cs::DicomInstanceInfo image = *m_shown;
    using R = cs::Result<cs::SegmentOverlay>;
    runInBackground<R>(this,
        [seg, image, frame, job]() -> R {
            if (job->isCancelled()) return cs::cancelledError(QStringLiteral("segmentation overlay"));
            return seg.overlayFor(image, frame);
        },
        [this, job, frame, path = image.path](R r) {
            if (job != m_job || job->isCancelled() || !m_onImage || !m_shown || m_shown->path != path) return;
            m_job.reset();
            if (!r) {
                m_window->clearSegmentation(tr("Segmentation not drawn: %1").arg(r.error().message()));
                emit overlayShown(frame, -1);
                return;
            }
            m_window->showSegmentation(*m_seg, r.value(), /*alone=*/false);
            emit overlayShown(frame, int(r->segments.size()));
        });
}

void SegmentationLink::cancel()
{
    if (m_job) m_job->requestCancel();
    m_job.reset();
}
