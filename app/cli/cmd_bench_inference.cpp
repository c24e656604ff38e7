// clinsight-cli bench inference: per-patient latency and batch throughput of the model.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/imaging/heatmap.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <QThread>

namespace cli {

int benchInference(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption image(QStringLiteral("image"), QStringLiteral("DICOM or PNG image (required)."), QStringLiteral("FILE"));
    const QCommandLineOption vit(QStringLiteral("vitals"), QStringLiteral("Vitals file."), QStringLiteral("FILE"));
    const QCommandLineOption repeats(QStringLiteral("repeats"), QStringLiteral("Repeats (default 30)."), QStringLiteral("N"), QStringLiteral("30"));
    p.addOptions({image, vit, repeats, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Per-patient latency (image + vitals + Grad-CAM + attention + fusion), median and p95,\n"
                                       "and batch throughput, with threads and device."), code, 0, 1))
        return code;
    if (!p.isSet(image) || !p.isSet(vit)) return failText(QStringLiteral("bench inference: --image FILE and --vitals FILE are required"));
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    auto img = cs::loadScorableImage(p.value(image));
    if (!img) return fail(img.error());
    const cs::DisplayFrame frame = img->frame;
    auto t = cs::importVitals(p.value(vit));
    if (!t) return fail(t.error());
    const int n = std::max(3, p.value(repeats).toInt());
    std::vector<double> perPatient, imageOnly;
    const double fit = std::min(1000.0 / frame.width, 1000.0 / frame.height);
    const int viewW = std::max(1, int(std::lround(frame.width * fit))), viewH = std::max(1, int(std::lround(frame.height * fit)));
    std::vector<float> shown;
    for (int i = 0; i < n + 2; ++i) {
        QElapsedTimer c;
        c.start();
        auto ir = model->scoreImage(frame, nullptr, true);
        // The map as the viewer shows it: the whole frame fitted into a 1000 x 1000 view.
        if (ir) shown = cs::sampleHeatmap(ir->gradCam, 0, 0, frame.width, frame.height, viewW, viewH);
        const double tImg = c.nsecsElapsed() / 1e6;
        auto vr = model->scoreVitals(t.value());
        if (!ir || !vr) return fail(ir ? vr.error() : ir.error());
        model->fuse(ir.value(), vr.value());
        if (i >= 2) { perPatient.push_back(c.nsecsElapsed() / 1e6); imageOnly.push_back(tImg); }
    }
    std::vector<cs::DisplayFrame> batch(256, frame);
    std::vector<double> batchRuns;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer c;
        c.start();
        model->scoreImages(batch);
        batchRuns.push_back(c.nsecsElapsed() / 1e9);
    }
    const double med = median(perPatient);
    out() << "bench inference: model " << model->name() << " " << model->version() << ", device " << model->device()
          << ", threads " << QThread::idealThreadCount() << "\n";
    out() << QStringLiteral("per patient (image+Grad-CAM, %1 h vitals+attention, fusion): median %2 ms, p95 %3 ms (n=%4)\n")
                 .arg(t->rowsRead).arg(med, 0, 'f', 2).arg(p95(perPatient), 0, 'f', 2).arg(n);
    out() << QStringLiteral("  Grad-CAM sampled as shown: the %1 x %2 frame fitted into a 1000 x 1000 view (%3 x %4)\n")
                 .arg(frame.width).arg(frame.height).arg(viewW).arg(viewH);
    out() << QStringLiteral("  of which image branch with Grad-CAM: median %1 ms (%2 % of the patient)\n")
                 .arg(median(imageOnly), 0, 'f', 2).arg(100 * median(imageOnly) / med, 0, 'f', 0);
    out() << QStringLiteral("batch image throughput: %1 images/s (256 per batch, median of 5)\n").arg(256 / median(batchRuns), 0, 'f', 0);
    out() << QStringLiteral("peak resident memory %1 MB\n").arg(peakRssMb(), 0, 'f', 0);
    return kExitOk;
}

} // namespace cli
