// The image side of Workstation: a single DICOM file (its frames) or a series
// (its slices, decoded on demand), rendered off the GUI thread by FrameRenderer.
#include "workstation.h"
#include "segmentationlink.h"
#include "background.h"

#include "mainwindow.h"

#include "clinsight/dicom/segmentation.h"

void Workstation::setImage(std::optional<cs::DicomImageSource> source)
{
    m_series.reset();
    m_imageInfo.reset();
    m_frameCount = 1;
    if (source) {
        m_imageInfo = source->info();
        m_frameCount = source->frameCount();
    }
    m_frame = 0;
    m_voi = cs::VoiChoice{};
    m_renderer.setSource(std::move(source));
    m_segLink->setShownImage(m_imageInfo);
}

void Workstation::requestFrame()
{
    if (m_series) {
        // Each slice is its own instance: the segmentation link follows it (its overlay, if it belongs there).
        const cs::DicomInstanceInfo &slice = m_series->instanceAt(m_frame);
        if (!m_imageInfo || m_imageInfo->sopInstanceUid != slice.sopInstanceUid) {
            m_imageInfo = slice;
            m_segLink->setShownImage(m_imageInfo);   // shows its overlay on the instance's first frame
        }
        if (m_series->frameInInstance(m_frame) > 0) m_segLink->showFrame(m_series->frameInInstance(m_frame));
    } else {
        m_segLink->showFrame(m_frame);   // its overlay on this frame, or the segmentation's own frame
        if (m_segLink->isAlone()) return;
    }
    m_renderer.request(m_frame, m_voi, this, [this](int frame, const cs::Result<cs::DisplayFrame> &f) {
        if (f) {
            if (m_series) m_window->showSlice(f.value(), sliceCaption(frame));
            else m_window->showFrame(f.value());
        } else {
            m_window->showError(tr("Cannot show frame"), f.error());
        }
        emit frameShown(frame);
    });
}

QStringList Workstation::sliceCaption(int index) const
{
    if (!m_series) return {};
    const cs::DicomInstanceInfo &i = m_series->instanceAt(index);
    QStringList lines{tr("slice %1 of %2 (ordered by %3)").arg(index + 1).arg(m_series->count())
                          .arg(m_series->series().orderedByPosition ? tr("position") : tr("instance number")),
                      tr("%1 x %2, instance %3").arg(i.columns).arg(i.rows).arg(i.instanceNumber)};
    if (i.hasPosition) lines << tr("position %1, %2, %3 mm").arg(i.position[0], 0, 'f', 1).arg(i.position[1], 0, 'f', 1).arg(i.position[2], 0, 'f', 1);
    return lines;
}

void Workstation::openSeries(const QString &path)
{
    using R = cs::Result<std::vector<cs::DicomSeriesInfo>>;
    auto job = startJob(JobKind::Image);
    runInBackground<R>(this,
        [path, job]() -> R {
            const cs::DicomScan scan = cs::scanDicom({path}, *job);
            if (job->isCancelled()) return cs::cancelledError(QStringLiteral("series"));
            std::vector<cs::DicomSeriesInfo> found = cs::imageSeries(scan);
            if (found.empty())
                return cs::makeError(cs::Error::Code::Invalid, path, {},
                                     QStringLiteral("no DICOM image series here (%1 files skipped)").arg(scan.skipped.size()));
            return found;
        },
        [this, job](R r) {
            if (!imageJobLanded(job, r ? nullptr : &r.error(), tr("Cannot open series"))) return;
            // Several series in the folder: the user picks one (the one with the most frames offered first).
            QStringList labels;
            for (size_t k = 0; k < r->size(); ++k) {
                const cs::DicomSeriesInfo &se = r.value()[k];
                labels << tr("%1. %2 %3 - %4 frames (series %5)").arg(k + 1).arg(se.modality,
                              se.description.isEmpty() ? tr("(no description)") : se.description).arg(se.frameCount()).arg(se.seriesNumber);
            }
            const std::vector<cs::DicomSeriesInfo> found = std::move(r.value());
            m_window->chooseOne(tr("Open DICOM series"), tr("This folder holds %1 series. Which one?").arg(found.size()), labels, 0,
                                [this, found](int k) {
                                    if (k < 0) { emit imageLoaded(false); return; }
                                    showSeries(found[size_t(k)]);
                                });
        });
}

void Workstation::showSeries(const cs::DicomSeriesInfo &info)
{
    using R = cs::Result<std::pair<cs::SeriesFrames, cs::DisplayFrame>>;
    auto job = startJob(JobKind::Image);
    runInBackground<R>(this,
        [info]() -> R {
            cs::SeriesFrames series(info);
            auto first = series.frame(0);
            if (!first) return first.error();
            return std::make_pair(std::move(series), first.value());
        },
        [this, job](R r) {
            if (!imageJobLanded(job, r ? nullptr : &r.error(), tr("Cannot open series"))) return;
            setImage(std::nullopt);
            m_series = r->first;
            m_frameCount = m_series->count();
            m_imageInfo = m_series->instanceAt(0);
            m_renderer.setSeries(m_series);
            m_segLink->setShownImage(m_imageInfo);
            m_window->showSeries(m_series->series(), r->second, m_frameCount, sliceCaption(0));
            emit imageLoaded(true);
        });
}

bool Workstation::imageJobLanded(const std::shared_ptr<cs::JobControl> &job, const cs::Error *error, const QString &what)
{
    if (!isCurrent(JobKind::Image, job)) { emit imageLoaded(false); return false; }   // cancelled or superseded
    finishJob(JobKind::Image, job);
    if (!error) return true;
    if (error->code != cs::Error::Code::Cancelled) m_window->showError(what, *error);
    emit imageLoaded(false);
    return false;
}

void Workstation::applyWindow(double center, double width)
{
    if (!m_imageInfo || m_imageInfo->samplesPerPixel != 1) return;
    m_voi = cs::VoiChoice::custom(center, width);
    requestFrame();
}

void Workstation::showFrame(int frame)
{
    if (!m_imageInfo || frame < 0 || frame >= m_frameCount) return;
    m_frame = frame;
    requestFrame();
}

void Workstation::openImage(const QString &path)
{
    using R = cs::Result<std::pair<cs::DicomImageSource, cs::DisplayFrame>>;
    auto job = startJob(JobKind::Image);
    runInBackground<R>(this,
        [path]() -> R {
            auto src = cs::DicomImageSource::open(path);
            if (!src) return src.error();
            auto frame = src->render(0);
            if (!frame) return frame.error();
            return std::make_pair(src.value(), frame.value());
        },
        [this, job](R r) {
            if (!imageJobLanded(job, r ? nullptr : &r.error(), tr("Cannot open image"))) return;
            if (cs::Segmentation::isSegmentation(r->first.info())) {
                openSegmentation(r->first.info().path);
                emit imageLoaded(true);
                return;
            }
            setImage(r->first);
            m_window->showImage(*m_imageInfo, r->second);
            emit imageLoaded(true);
        });
}
