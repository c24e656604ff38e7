// clinsight-cli bench series: a CT/MR series opened and scrolled the way the
// workstation's viewer does it (seriesframes.h through FrameRenderer: decoded on
// demand off the caller's thread, a bounded cache of rendered frames): peak
// resident memory against the series' raw pixel bytes, and time per slice.
#include "cli.h"
#include "clinsight/dicom/framerenderer.h"
#include "clinsight/dicom/seriesframes.h"
#include "clinsight/foundation/job.h"
#include "scorableinputs.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <algorithm>

namespace cli {

int benchSeries(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Folder (or files) holding the series."), QStringLiteral("PATH..."));
    const QCommandLineOption cacheOpt(QStringLiteral("cache-mb"), QStringLiteral("Rendered-frame cache bound in MB (default 64)."), QStringLiteral("MB"),
                                      QStringLiteral("64"));
    p.addOption(cacheOpt);
    int code = 0;
    if (!parse(p, args, QStringLiteral("Opens the series with the most frames under PATH and scrolls it: every slice forward,\n"
                                       "back again, then forward at another window. Prints peak resident memory beside the\n"
                                       "series' raw pixel bytes, and the median time per slice."), code, 1, -1))
        return code;
    const double before = residentMb();
    cs::JobControl control;
    const cs::DicomScan scan = cs::scanDicom(p.positionalArguments(), control);
    const std::vector<cs::DicomSeriesInfo> found = cs::imageSeries(scan);
    if (found.empty())
        return failText(QStringLiteral("bench series: no DICOM image series under %1").arg(p.positionalArguments().join(QStringLiteral(", "))));
    const cs::DicomSeriesInfo *best = &found.front();
    const cs::SeriesFrames series(*best);
    const qint64 cacheBytes = qint64(std::max(0, p.value(cacheOpt).toInt())) << 20;
    cs::FrameRenderer renderer(cacheBytes);
    renderer.setSeries(series);
    const int n = series.count();
    std::vector<double> ms;
    QObject receiver;
    auto show = [&](int i, const cs::VoiChoice &voi) -> bool {
        QElapsedTimer t;
        t.start();
        QEventLoop loop;
        std::optional<cs::Error> error;
        renderer.request(i, voi, &receiver, [&](int, const cs::Result<cs::DisplayFrame> &f) {
            if (!f) error = f.error();
            loop.quit();
        });
        loop.exec();
        if (error) { fail(*error); return false; }
        ms.push_back(t.nsecsElapsed() / 1e6);
        return true;
    };
    for (int i = 0; i < n; ++i) if (!show(i, {})) return kExitBadInput;
    for (int i = n - 1; i >= 0; --i) if (!show(i, {})) return kExitBadInput;
    const auto bone = cs::VoiChoice::custom(400, 1800);
    for (int i = 0; i < n; ++i) if (!show(i, bone)) return kExitBadInput;
    const cs::FrameRenderer::Stats stats = renderer.stats();
    const double rawMb = series.rawPixelBytes() / 1048576.0;   // MiB, as the kernel counts RSS
    const double peak = peakRssMb();
    const auto &i0 = series.instanceAt(0);
    out() << QStringLiteral("bench series: %1 %2, %3 slices of %4 x %5 (%6-bit), ordered by %7\n")
                 .arg(best->modality, best->description.isEmpty() ? best->seriesUid : best->description).arg(n).arg(i0.columns).arg(i0.rows)
                 .arg(i0.bitsAllocated).arg(best->orderedByPosition ? QStringLiteral("position") : QStringLiteral("instance number"));
    out() << QStringLiteral("scrolled %1 slices (forward, back, forward at window 400/1800): median %2 ms per slice, %3 rendered, %4 from the cache\n")
                 .arg(ms.size()).arg(median(ms), 0, 'f', 2).arg(stats.rendered).arg(stats.fromCache);
    out() << QStringLiteral("raw pixel bytes %1 MiB; cache bound %2 MiB (held %3 MiB at the end)\n")
                 .arg(rawMb, 0, 'f', 1).arg(cacheBytes >> 20).arg(stats.cachedBytes / 1048576.0, 0, 'f', 1);
    out() << QStringLiteral("peak resident memory %1 MiB = %2x the raw pixel bytes (the process held %3 MiB before opening the series)\n")
                 .arg(peak, 0, 'f', 1).arg(peak / rawMb, 0, 'f', 2).arg(before, 0, 'f', 1);
    return kExitOk;
}

} // namespace cli
