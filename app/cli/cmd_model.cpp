// train, predict-images, predict-vitals, evaluate, bench inference.
#include "cli.h"
#include "core/datasets.h"
#include "core/evaluation.h"
#include "core/imagefile.h"
#include "core/model.h"
#include "core/training.h"
#include "core/vitalsimport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>
#include <algorithm>

namespace cli {

namespace {

const QCommandLineOption kModelOpt(QStringLiteral("model"), QStringLiteral("Model bundle folder (default: the bundled one)."), QStringLiteral("DIR"));

cs::Result<cs::HybridModel> loadModel(const QCommandLineParser &p)
{
    return cs::HybridModel::load(p.isSet(kModelOpt) ? p.value(kModelOpt) : cs::HybridModel::defaultBundleDir());
}

QString currentCommit()
{
    QProcess git;
    git.setWorkingDirectory(QStringLiteral(CLINSIGHT_SOURCE_DIR));
    git.start(QStringLiteral("git"), {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    if (!git.waitForFinished(5000) || git.exitCode() != 0) return QStringLiteral("unknown");
    return QString::fromLatin1(git.readAllStandardOutput()).trimmed();
}

bool writeText(const QString &path, const QString &text, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        *error = QStringLiteral("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    f.write(text.toUtf8());
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
double p95(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(0.95 * (v.size() - 1) + 0.5))];
}

} // namespace

int train(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption imgTrain(QStringLiteral("images-train"), QStringLiteral("Folder of training images with labels.csv."), QStringLiteral("DIR"));
    const QCommandLineOption imgVal(QStringLiteral("images-val"), QStringLiteral("Folder of validation images with labels.csv."), QStringLiteral("DIR"));
    const QCommandLineOption vit(QStringLiteral("vitals"), QStringLiteral("Folder of PhysioNet 2019 .psv stays."), QStringLiteral("DIR"));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("Bundle folder to write."), QStringLiteral("DIR"));
    const QCommandLineOption seedO(QStringLiteral("seed"), QStringLiteral("Random seed (default 20261123)."), QStringLiteral("N"), QStringLiteral("20261123"));
    const QCommandLineOption maxStays(QStringLiteral("max-stays"), QStringLiteral("Use at most N stays (0 = all)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption imgEp(QStringLiteral("image-epochs"), QStringLiteral("Maximum image epochs (default 40)."), QStringLiteral("N"), QStringLiteral("40"));
    const QCommandLineOption vitEp(QStringLiteral("vitals-epochs"), QStringLiteral("Maximum vitals epochs (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pairsO(QStringLiteral("fusion-pairs"), QStringLiteral("Fusion training pairs (default 20000)."), QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption hiddenO(QStringLiteral("vitals-hidden"), QStringLiteral("LSTM hidden size (default 64)."), QStringLiteral("N"), QStringLiteral("64"));
    p.addOptions({imgTrain, imgVal, vit, outO, seedO, maxStays, imgEp, vitEp, pairsO, hiddenO});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Trains the hybrid model: the CNN on labelled chest radiographs, the LSTM with\n"
                                       "attention on PhysioNet 2019 stays (split by stay with the seed), the fusion head\n"
                                       "on pairs of unrelated images and hours (label: pneumonia or sepsis); calibrates on validation data; writes weights,\n"
                                       "manifest (with SHA-256) and MODEL_CARD.md. Progress on stderr."), code, 0, 0))
        return code;
    for (const auto &o : {imgTrain, imgVal, vit, outO})
        if (!p.isSet(o)) return failText(QStringLiteral("train: --%1 is required").arg(o.names().first()));
    cs::TrainParams tp;
    tp.imagesTrainDir = QDir(p.value(imgTrain)).absolutePath();
    tp.imagesValDir = QDir(p.value(imgVal)).absolutePath();
    tp.vitalsDir = QDir(p.value(vit)).absolutePath();
    tp.outDir = QDir(p.value(outO)).absolutePath();
    tp.seed = p.value(seedO).toULongLong();
    tp.maxStays = p.value(maxStays).toInt();
    tp.imageEpochs = p.value(imgEp).toInt();
    tp.vitalsEpochs = p.value(vitEp).toInt();
    tp.fusionPairs = p.value(pairsO).toInt();
    tp.vitalsHidden = std::max(1, p.value(hiddenO).toInt());
    tp.command = QStringLiteral("clinsight-cli ") + args.join(' ');
    tp.commit = currentCommit();
    cs::JobControl control;
    control.setProgressCallback([](qint64 d, qint64 t, const QString &what) {
        if (!what.isEmpty()) err() << "[train] stage " << d << "/" << t << ": " << what << "\n", err().flush();
    });
    auto r = cs::runJob<cs::TrainResult>(control, [&](cs::JobControl &c) { return cs::trainHybridModel(tp, c); });
    if (!r) return fail(r.error());
    out() << "Bundle written to " << r->bundleDir << " in " << QString::number(r->seconds / 60, 'f', 1) << " min\n";
    out() << cs::evaluationTable(r->manifest.value("evaluation").toObject());
    return kExitOk;
}

int predictImages(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder of PNG/JPEG or DICOM images (not recursive)."));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("CSV to write: file,risk,alert."), QStringLiteral("PRED.csv"));
    p.addOptions({outO, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Image-branch risk (calibrated probability of pneumonia) for every image in DIR.\n"
                                       "Images the branch does not apply to, or cannot read, are reported on stderr and left out."), code, 1, 1))
        return code;
    if (!p.isSet(outO)) return failText(QStringLiteral("predict-images: --out PRED.csv is required"));
    const QDir dir(p.positionalArguments().first());
    if (!dir.exists()) return failText(QStringLiteral("%1: folder does not exist").arg(dir.path()));
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    QStringList names = dir.entryList(QDir::Files, QDir::Name);
    QString csv = QStringLiteral("file,risk,alert\n");
    int skipped = 0;
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("predict-images")));
    control.setTotal(names.size());
    std::vector<cs::DisplayFrame> frames;
    QStringList kept;
    for (const QString &n : names) {
        control.advance();
        const QString path = dir.filePath(n);
        if (n == QLatin1String("labels.csv")) continue;
        if (cs::looksLikeRasterFile(path)) {
            auto f = cs::readGreyImage(path);
            if (!f) { err() << "skipped " << f.error().message() << "\n"; ++skipped; continue; }
            frames.push_back(f.value());
            kept << n;
            continue;
        }
        auto src = cs::DicomImageSource::open(path);
        if (!src) { err() << "skipped " << src.error().message() << "\n"; ++skipped; continue; }
        QString why;
        if (!cs::imageBranchApplies(src->info(), &why)) { err() << "not scored " << path << ": " << why << "\n"; ++skipped; continue; }
        auto f = src->render(0);
        if (!f) { err() << "skipped " << f.error().message() << "\n"; ++skipped; continue; }
        frames.push_back(f.value());
        kept << n;
    }
    auto risks = model->scoreImages(frames);
    if (!risks) return fail(risks.error());
    const double thr = model->thresholds().image;
    for (int i = 0; i < kept.size(); ++i)
        csv += QStringLiteral("%1,%2,%3\n").arg(kept[i]).arg(risks.value()[i], 0, 'f', 6).arg(risks.value()[i] >= thr ? 1 : 0);
    QString e;
    if (!writeText(p.value(outO), csv, &e)) return failText(e);
    err() << "predict-images: " << kept.size() << " scored, " << skipped << " skipped; model " << model->name() << " "
          << model->version() << " on " << model->device() << "\n";
    return kExitOk;
}

int predictVitals(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder of PhysioNet 2019 .psv files."));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("CSV to write: stay,hour,risk,alert."), QStringLiteral("PRED.csv"));
    p.addOptions({outO, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Vitals-branch risk at every row (hour) of every stay; the risk at hour t uses\n"
                                       "only rows 0..t. SepsisLabel is never read for prediction."), code, 1, 1))
        return code;
    if (!p.isSet(outO)) return failText(QStringLiteral("predict-vitals: --out PRED.csv is required"));
    const QString dir = p.positionalArguments().first();
    if (!QDir(dir).exists()) return failText(QStringLiteral("%1: folder does not exist").arg(dir));
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    const QStringList names = cs::psvFilesIn(dir);
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("predict-vitals")));
    auto stays = cs::loadStays(dir, names, control);
    if (!stays) return fail(stays.error());
    for (auto &s : stays.value()) s.labels.assign(s.labels.size(), -1);  // labels are never an input; rows are kept
    auto scored = model->scoreVitalsBatch(stays.value());
    if (!scored) return fail(scored.error());
    QString csv;
    csv.reserve(names.size() * 40 * 30);
    csv += QStringLiteral("stay,hour,risk,alert\n");
    for (int i = 0; i < names.size(); ++i) {
        const QString stay = QFileInfo(names[i]).completeBaseName();
        const auto &r = scored.value()[i];
        for (int h = 0; h < r.hours; ++h)
            csv += QStringLiteral("%1,%2,%3,%4\n").arg(stay).arg(h).arg(r.riskPerHour[h], 0, 'f', 6).arg(r.alertPerHour[h]);
    }
    QString e;
    if (!writeText(p.value(outO), csv, &e)) return failText(e);
    err() << "predict-vitals: " << names.size() << " stays; model " << model->name() << " " << model->version() << " on "
          << model->device() << "\n";
    return kExitOk;
}

int evaluate(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption images(QStringLiteral("images"), QStringLiteral("Labelled image folder (labels.csv)."), QStringLiteral("DIR"));
    const QCommandLineOption vit(QStringLiteral("vitals"), QStringLiteral("Folder of PhysioNet 2019 .psv stays with SepsisLabel."), QStringLiteral("DIR"));
    const QCommandLineOption allStays(QStringLiteral("all-stays"), QStringLiteral("Use every stay, not only the bundle's held-out test split."));
    const QCommandLineOption maxStays(QStringLiteral("max-stays"), QStringLiteral("Use at most N stays."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    p.addOptions({images, vit, allStays, maxStays, json, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Sensitivity, specificity, precision, F1, accuracy, FDR, ROC AUC (95% bootstrap CI),\n"
                                       "Sen+Spec, Prec*F1, Acc-FDR and calibration error of the image branch, the vitals\n"
                                       "branch (per hour) and the hybrid (paired by label), beside logistic regression, SVM and\n"
                                       "random forest on the same split and, for vitals, NEWS2 >= 5 and qSOFA >= 2."), code, 0, 0))
        return code;
    if (!p.isSet(images) && !p.isSet(vit)) return failText(QStringLiteral("evaluate: give --images DIR and/or --vitals DIR"));
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    cs::EvaluationParams ep;
    ep.imagesDir = p.value(images);
    ep.vitalsDir = p.value(vit);
    ep.vitalsTestSplitOnly = !p.isSet(allStays);
    ep.maxStays = p.value(maxStays).toInt();
    cs::JobControl control;
    auto r = cs::runJob<QJsonObject>(control, [&](cs::JobControl &c) { return cs::evaluateModel(model.value(), ep, c); });
    if (!r) return fail(r.error());
    if (p.isSet(json)) out() << QJsonDocument(r.value()).toJson(QJsonDocument::Indented);
    else out() << cs::evaluationTable(r.value());
    return kExitOk;
}

int benchInference(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption image(QStringLiteral("image"), QStringLiteral("DICOM or PNG image (default: a synthetic-free 512x512 ramp is NOT used; the option is required)."), QStringLiteral("FILE"));
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
    auto frame = cs::readDisplayImage(p.value(image));
    if (!frame) return fail(frame.error());
    auto t = cs::importVitals(p.value(vit));
    if (!t) return fail(t.error());
    const int n = std::max(3, p.value(repeats).toInt());
    std::vector<double> perPatient, imageOnly;
    for (int i = 0; i < n + 2; ++i) {
        QElapsedTimer c;
        c.start();
        auto ir = model->scoreImage(frame.value(), nullptr, true);
        const double tImg = c.nsecsElapsed() / 1e6;
        auto vr = model->scoreVitals(t.value());
        if (!ir || !vr) return fail(ir ? vr.error() : ir.error());
        model->fuse(ir.value(), vr.value());
        if (i >= 2) { perPatient.push_back(c.nsecsElapsed() / 1e6); imageOnly.push_back(tImg); }
    }
    std::vector<cs::DisplayFrame> batch(256, frame.value());
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
    out() << QStringLiteral("  of which image branch with Grad-CAM: median %1 ms (%2 % of the patient)\n")
                 .arg(median(imageOnly), 0, 'f', 2).arg(100 * median(imageOnly) / med, 0, 'f', 0);
    out() << QStringLiteral("batch image throughput: %1 images/s (256 per batch, median of 5)\n").arg(256 / median(batchRuns), 0, 'f', 0);
    out() << QStringLiteral("peak resident memory %1 MB\n").arg(peakRssMb(), 0, 'f', 0);
    return kExitOk;
}

} // namespace cli
