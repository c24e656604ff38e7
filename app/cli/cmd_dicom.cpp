// dicom-info, dicom-render, dicom-seg and bench dicom.
#include "cli.h"
#include "clinsight/dicom/dicom.h"
#include "clinsight/dicom/segmentation.h"
#include "clinsight/imaging/rasterfile.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <atomic>

namespace cli {

namespace {

QJsonObject instanceJson(const cs::DicomInstanceInfo &i)
{
    return QJsonObject{
        {QStringLiteral("path"), i.path},
        {QStringLiteral("status"), QStringLiteral("ok")},
        {QStringLiteral("sopInstanceUid"), i.sopInstanceUid},
        {QStringLiteral("instanceNumber"), i.instanceNumber},
        {QStringLiteral("modality"), i.modality},
        {QStringLiteral("bodyPart"), i.bodyPart},
        {QStringLiteral("rows"), i.rows},
        {QStringLiteral("columns"), i.columns},
        {QStringLiteral("frames"), i.frames},
        {QStringLiteral("samplesPerPixel"), i.samplesPerPixel},
        {QStringLiteral("bitsAllocated"), i.bitsAllocated},
        {QStringLiteral("bitsStored"), i.bitsStored},
        {QStringLiteral("pixelRepresentation"), i.pixelRepresentation},
        {QStringLiteral("photometricInterpretation"), i.photometric},
        {QStringLiteral("transferSyntaxUid"), i.transferSyntaxUid},
        {QStringLiteral("transferSyntax"), i.transferSyntaxName},
        {QStringLiteral("pixelSpacing"), i.hasPixelSpacing ? QJsonArray{i.pixelSpacingRow, i.pixelSpacingCol} : QJsonArray{}},
        {QStringLiteral("windows"), int(i.windows.size())},
    };
}

} // namespace

int dicomInfo(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("DICOM file, folder (recursive) or DICOMDIR; several allowed."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of text."));
    p.addOption(json);
    int code = 0;
    if (!parse(p, args, QStringLiteral("Lists patients, studies, series and instances with their key attributes,\n"
                                       "and for every file whether it is readable (ok) or why not."), code, 1))
        return code;
    const QStringList inputs = p.positionalArguments();
    for (const QString &in : inputs)
        if (!QFileInfo::exists(in))
            return failText(QStringLiteral("%1: does not exist").arg(in));

    cs::JobControl control;
    if (!p.isSet(json)) control.setProgressCallback(cs::stderrProgress(QStringLiteral("scan")));
    const cs::DicomScan scan = cs::scanDicom(inputs, control);

    if (p.isSet(json)) {
        QJsonArray patients, files;
        for (const auto &pt : scan.patients) {
            QJsonArray studies;
            for (const auto &st : pt.studies) {
                QJsonArray series;
                for (const auto &se : st.series) {
                    QJsonArray inst;
                    for (const auto &i : se.instances) {
                        inst.append(instanceJson(i));
                        files.append(QJsonObject{{QStringLiteral("path"), i.path}, {QStringLiteral("status"), QStringLiteral("ok")}});
                    }
                    series.append(QJsonObject{{QStringLiteral("seriesInstanceUid"), se.seriesUid},
                                              {QStringLiteral("seriesNumber"), se.seriesNumber},
                                              {QStringLiteral("modality"), se.modality},
                                              {QStringLiteral("bodyPart"), se.bodyPart},
                                              {QStringLiteral("description"), se.description},
                                              {QStringLiteral("orderedBy"), se.orderedByPosition ? QStringLiteral("ImagePositionPatient") : QStringLiteral("InstanceNumber")},
                                              {QStringLiteral("sliceSpacing"), se.sliceSpacing},
                                              {QStringLiteral("frames"), se.frameCount()},
                                              {QStringLiteral("instances"), inst}});
                }
                studies.append(QJsonObject{{QStringLiteral("studyInstanceUid"), st.studyUid}, {QStringLiteral("studyDate"), st.date},
                                           {QStringLiteral("description"), st.description}, {QStringLiteral("series"), series}});
            }
            patients.append(QJsonObject{{QStringLiteral("patientId"), pt.patientId}, {QStringLiteral("patientName"), pt.patientName},
                                        {QStringLiteral("studies"), studies}});
        }
        for (const auto &s : scan.skipped)
            files.append(QJsonObject{{QStringLiteral("path"), s.path}, {QStringLiteral("status"), QStringLiteral("error")},
                                     {QStringLiteral("errorCode"), cs::Error::codeName(s.error.code)},
                                     {QStringLiteral("error"), s.error.message()}});
        const QJsonObject root{{QStringLiteral("filesSeen"), scan.filesSeen},
                               {QStringLiteral("instances"), scan.instanceCount()},
                               {QStringLiteral("skipped"), int(scan.skipped.size())},
                               {QStringLiteral("patients"), patients}, {QStringLiteral("files"), files}};
        out() << QJsonDocument(root).toJson(QJsonDocument::Indented);
        return kExitOk;
    }

    QTextStream &o = out();
    o << "Files seen: " << scan.filesSeen << ", images: " << scan.instanceCount() << ", skipped: " << scan.skipped.size() << "\n";
    for (const auto &pt : scan.patients) {
        o << "Patient " << (pt.patientId.isEmpty() ? QStringLiteral("(no ID)") : pt.patientId) << "  " << pt.patientName << "\n";
        for (const auto &st : pt.studies) {
            o << "  Study " << st.studyUid << "  " << st.date << "  " << st.description << "\n";
            for (const auto &se : st.series) {
                o << "    Series " << se.seriesNumber << "  " << se.modality << "  " << se.bodyPart << "  "
                  << se.instances.size() << " instance(s), " << se.frameCount() << " frame(s), ordered by "
                  << (se.orderedByPosition ? "position" : "instance number");
                if (se.sliceSpacing > 0) o << ", slice spacing " << se.sliceSpacing << " mm";
                o << "\n";
                for (const auto &i : se.instances)
                    o << "      ok  " << i.path << "  " << i.columns << "x" << i.rows << "x" << i.frames << "  "
                      << i.photometric << "  " << i.transferSyntaxUid << " (" << i.transferSyntaxName << ")\n";
            }
        }
    }
    for (const auto &s : scan.skipped)
        o << "  skipped  " << s.error.message() << "\n";
    return kExitOk;
}

int dicomRender(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("DICOM file."));
    const QCommandLineOption frameOpt(QStringLiteral("frame"), QStringLiteral("0-based frame index (default 0)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption windowOpt(QStringLiteral("window"), QStringLiteral("VOI window, overriding the file's."), QStringLiteral("CENTER,WIDTH"));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("Output PNG."), QStringLiteral("OUT.png"));
    const QCommandLineOption segOpt(QStringLiteral("seg"), QStringLiteral("DICOM Segmentation drawn over the frame (FILE itself: the segmentation shown alone)."),
                                    QStringLiteral("SEG.dcm"));
    p.addOptions({frameOpt, windowOpt, outOpt, segOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Writes the displayed frame (8-bit grey, or RGB for colour) after modality LUT,\n"
                                       "VOI (the file's first window, else the frame's min/max) and presentation LUT;\n"
                                       "with --seg, RGB with the segments of a DICOM Segmentation drawn in their colours."), code, 1, 1))
        return code;
    if (!p.isSet(outOpt))
        return failText(QStringLiteral("dicom-render: --out OUT.png is required"));
    bool ok = false;
    const int frame = p.value(frameOpt).toInt(&ok);
    if (!ok || frame < 0)
        return failText(QStringLiteral("dicom-render: --frame: '%1' is not a frame index").arg(p.value(frameOpt)));
    cs::VoiChoice voi;
    if (p.isSet(windowOpt)) {
        const QStringList cw = p.value(windowOpt).split(',');
        bool okC = false, okW = false;
        const double c = cw.value(0).toDouble(&okC), w = cw.value(1).toDouble(&okW);
        if (cw.size() != 2 || !okC || !okW || w < 1)
            return failText(QStringLiteral("dicom-render: --window: '%1' is not CENTER,WIDTH with WIDTH >= 1").arg(p.value(windowOpt)));
        voi = cs::VoiChoice::custom(c, w);
    }
    const QString file = p.positionalArguments().first();
    auto src = cs::DicomImageSource::open(file);
    if (!src)
        return fail(src.error());
    auto frameR = src->render(frame, voi);
    if (!frameR)
        return fail(frameR.error());
    cs::DisplayFrame shown = frameR.value();
    if (p.isSet(segOpt)) {
        auto seg = cs::Segmentation::open(p.value(segOpt));
        if (!seg)
            return fail(seg.error());
        const bool alone = QFileInfo(p.value(segOpt)).canonicalFilePath() == QFileInfo(file).canonicalFilePath();
        auto overlay = alone ? seg->overlayOfFrame(frame) : seg->overlayFor(src->info(), frame);
        if (!overlay)
            return fail(overlay.error());
        auto composed = alone ? cs::Result<cs::DisplayFrame>(cs::Segmentation::renderAlone(overlay.value())) : cs::compositeOverlay(shown, overlay.value());
        if (!composed)
            return fail(composed.error());
        shown = composed.value();
        QStringList drawn;
        for (int n : overlay->segments) drawn << seg->segment(n)->displayName();
        out() << "segments drawn (" << overlay->matchedBy << "): " << (drawn.isEmpty() ? QStringLiteral("none on this frame") : drawn.join(QStringLiteral("; ")))
              << "\n";
    }
    auto st = cs::writePng(p.value(outOpt), shown);
    if (!st)
        return fail(st.error());
    return kExitOk;
}

int dicomSeg(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("SEG"), QStringLiteral("DICOM Segmentation file."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON instead of text."));
    p.addOption(jsonOpt);
    int code = 0;
    if (!parse(p, args, QStringLiteral("What a DICOM Segmentation holds: its segments (label, coded category and type,\n"
                                       "algorithm, display colour), and for each frame its segment, the image it was\n"
                                       "derived from and the segmented area in pixels."), code, 1, 1))
        return code;
    auto seg = cs::Segmentation::open(p.positionalArguments().first());
    if (!seg)
        return fail(seg.error());
    QJsonArray segments, frames;
    for (const auto &s : seg->segments())
        segments.append(QJsonObject{{QStringLiteral("number"), s.number}, {QStringLiteral("label"), s.label},
                                    {QStringLiteral("category"), s.category}, {QStringLiteral("type"), s.type},
                                    {QStringLiteral("algorithmType"), s.algorithmType}, {QStringLiteral("algorithmName"), s.algorithmName},
                                    {QStringLiteral("rgb"), QJsonArray{s.rgb[0], s.rgb[1], s.rgb[2]}},
                                    {QStringLiteral("recommendedColour"), s.recommendedColour}});
    for (int k = 0; k < int(seg->frames().size()); ++k) {
        const auto &f = seg->frames()[std::size_t(k)];
        auto m = seg->mask(k);
        if (!m)
            return fail(m.error());
        qint64 area = 0;
        for (auto v : m.value()) area += v ? 1 : 0;
        frames.append(QJsonObject{{QStringLiteral("frame"), k}, {QStringLiteral("segment"), f.segment},
                                  {QStringLiteral("sourceSopInstanceUid"), f.sourceSopInstanceUid},
                                  {QStringLiteral("sourceFrame"), f.sourceFrame},
                                  {QStringLiteral("position"), f.hasPosition ? QJsonArray{f.position[0], f.position[1], f.position[2]} : QJsonArray{}},
                                  {QStringLiteral("areaPixels"), area}});
    }
    const QJsonObject o{{QStringLiteral("path"), seg->info().path},
                        {QStringLiteral("segmentationType"), seg->segmentationType()},
                        {QStringLiteral("content"), seg->contentLabel()},
                        {QStringLiteral("rows"), seg->info().rows},
                        {QStringLiteral("columns"), seg->info().columns},
                        {QStringLiteral("transferSyntax"), seg->info().transferSyntaxName},
                        {QStringLiteral("frameOfReferenceUid"), seg->frameOfReferenceUid()},
                        {QStringLiteral("note"), seg->note()},
                        {QStringLiteral("referencedSeries"), QJsonArray::fromStringList(seg->referencedSeriesUids())},
                        {QStringLiteral("segments"), segments},
                        {QStringLiteral("frames"), frames}};
    if (p.isSet(jsonOpt)) {
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    auto &t = out();
    t << seg->info().path << ": " << seg->segmentationType() << " segmentation, " << seg->info().columns << " x " << seg->info().rows
      << ", " << seg->frames().size() << " frames, " << seg->info().transferSyntaxName << "\n";
    if (!seg->contentLabel().isEmpty()) t << "  content: " << seg->contentLabel() << "\n";
    if (!seg->note().isEmpty()) t << "  note: " << seg->note() << "\n";
    for (const auto &s : seg->segments())
        t << "  segment " << s.displayName() << ", " << (s.algorithmType.isEmpty() ? QStringLiteral("algorithm type not given") : s.algorithmType)
          << (s.algorithmName.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.algorithmName))
          << QStringLiteral(", colour #%1%2%3").arg(s.rgb[0], 2, 16, QLatin1Char('0')).arg(s.rgb[1], 2, 16, QLatin1Char('0')).arg(s.rgb[2], 2, 16, QLatin1Char('0'))
          << (s.recommendedColour ? "" : " (ClinSight's; none recommended)") << "\n";
    for (const auto &f : frames) {
        const QJsonObject fo = f.toObject();
        t << "  frame " << fo[QStringLiteral("frame")].toInt() << ": segment " << fo[QStringLiteral("segment")].toInt() << ", "
          << fo[QStringLiteral("areaPixels")].toInteger() << " px, from "
          << (fo[QStringLiteral("sourceSopInstanceUid")].toString().isEmpty() ? QStringLiteral("(no source image named)") : fo[QStringLiteral("sourceSopInstanceUid")].toString())
          << "\n";
    }
    return kExitOk;
}

int benchDicom(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("DICOM files or folders."), QStringLiteral("PATH..."));
    const QCommandLineOption repeatsOpt(QStringLiteral("repeats"), QStringLiteral("Repeats (default 5)."), QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("Decode threads (default: all cores)."), QStringLiteral("N"));
    p.addOptions({repeatsOpt, threadsOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Decode throughput of every image in the PATHs: frames/s and MB/s of decoded\n"
                                       "pixels, median of repeats; also a 1-thread reference run for the speed-up."), code, 1, -1))
        return code;
    cs::JobControl control;
    const cs::DicomScan scan = cs::scanDicom(p.positionalArguments(), control);
    QStringList files;
    for (const auto &pt : scan.patients)
        for (const auto &st : pt.studies)
            for (const auto &se : st.series)
                for (const auto &i : se.instances) files << i.path;
    if (files.isEmpty())
        return failText(QStringLiteral("bench dicom: no readable DICOM image under %1").arg(p.positionalArguments().join(QStringLiteral(", "))));
    const int repeats = std::max(1, p.value(repeatsOpt).toInt());
    const int threads = p.isSet(threadsOpt) ? std::max(1, p.value(threadsOpt).toInt()) : QThread::idealThreadCount();
    double largestMb = 0;
    for (const auto &pt : scan.patients)
        for (const auto &st : pt.studies)
            for (const auto &se : st.series)
                for (const auto &i : se.instances)
                    largestMb = std::max(largestMb, double(i.rows) * i.columns * i.frames * i.samplesPerPixel * std::max(1, i.bitsAllocated / 8) / 1e6);

    struct Run { double seconds; qint64 frames; qint64 bytes; };
    // Reference: one thread for everything. Parallel: files on every core, and a
    // JPEG 2000 frame's code-blocks on every core too (a large radiograph keeps
    // both cores busy while the other worker has nothing left). Shared: files on
    // every core, each JPEG 2000 frame on the cores the frames decoded at that
    // moment share (the default everywhere else).
    // frameThreads: a JPEG 2000 frame's threads (0: the default, cores shared among the frames decoded at once).
    auto once = [&files](int nThreads, int frameThreads) {
        cs::setJpeg2000DecodeThreads(frameThreads);
        QThreadPool pool;
        pool.setMaxThreadCount(nThreads);
        std::atomic<qint64> frames{0}, bytes{0};
        QElapsedTimer t;
        t.start();
        QtConcurrent::blockingMap(&pool, files, [&](const QString &f) {
            auto src = cs::DicomImageSource::open(f);
            if (!src) return;
            for (int k = 0; k < src->frameCount(); ++k) {
                auto fr = src->render(k);
                if (!fr) break;
                frames += 1;
                bytes += qint64(fr->pixels.size());
            }
        });
        return Run{t.nsecsElapsed() / 1e9, frames.load(), bytes.load()};
    };
    auto median = [&](int nThreads, int frameThreads) {
        std::vector<Run> runs;
        once(nThreads, frameThreads);  // warm-up: file cache, codec tables
        for (int r = 0; r < repeats; ++r) runs.push_back(once(nThreads, frameThreads));
        std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.seconds < b.seconds; });
        return runs[runs.size() / 2];
    };
    const Run ref = median(1, 1);
    const Run par = median(threads, threads);
    const Run shared = median(threads, 0);
    cs::setJpeg2000DecodeThreads(0);
    auto line = [](const char *label, const Run &r, int n) {
        out() << QStringLiteral("%1 threads=%2  %3 frames in %4 s  %5 frames/s  %6 MB/s decoded\n")
                     .arg(QLatin1String(label)).arg(n).arg(r.frames).arg(r.seconds, 0, 'f', 4)
                     .arg(r.frames / r.seconds, 0, 'f', 1).arg(r.bytes / 1e6 / r.seconds, 0, 'f', 1);
    };
    out() << "bench dicom: " << files.size() << " files, median of " << repeats << " repeats\n";
    line("reference", ref, 1);
    line("parallel ", par, threads);
    out() << QStringLiteral("speed-up %1x\n").arg(ref.seconds / par.seconds, 0, 'f', 2);
    line("shared   ", shared, threads);
    out() << QStringLiteral("JPEG 2000 cores shared among the frames decoded at once (the default) vs every core per frame: "
                            "time %1x (below 1: faster)\n").arg(shared.seconds / par.seconds, 0, 'f', 2);
    out() << QStringLiteral("peak resident memory %1 MB (largest single decoded file %2 MB)\n")
                 .arg(peakRssMb(), 0, 'f', 0).arg(largestMb, 0, 'f', 1);
    return kExitOk;
}

} // namespace cli
