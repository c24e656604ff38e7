// Training of the hybrid model, stage by stage: data, image branch, vitals
// branch, calibration and thresholds on validation data only, fusion head,
// weights, baselines, manifest, and the written bundle measured by
// evaluation.cpp so its numbers are reproducible. A LibTorch translation unit
// (uses the model's precompiled torch header); the fitting itself is in
// fitting.cpp, the manifest in manifest.cpp.
#include "bundle_p.h"
#include "fitting_p.h"

#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/imagepreprocessing.h"
#include "clinsight/model/runtimeinfo.h"
#include "clinsight/model/vitalsinput.h"
#include "clinsight/training/alerting.h"
#include "clinsight/training/baselines.h"
#include "clinsight/training/datasets.h"
#include "clinsight/training/evaluation.h"
#include "clinsight/training/manifest.h"
#include "clinsight/training/metrics.h"
#include "clinsight/training/modelcard.h"
#include "clinsight/training/training.h"
#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/filehash.h"
#include "clinsight/foundation/version.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

namespace cs {

namespace {

struct Calibrated { PlattScaling cal; double threshold = 0.5; };

// Platt scaling fitted on validation logits, threshold by Youden's J on the calibrated values.
Calibrated calibrate(const std::vector<double> &logits, const std::vector<int> &labels)
{
    Calibrated c;
    c.cal = PlattScaling::fit(logits, labels);
    std::vector<double> prob;
    prob.reserve(logits.size());
    for (double l : logits) prob.push_back(c.cal.apply(l));
    c.threshold = youdenThreshold(prob, labels);
    return c;
}

std::vector<double> columnMeans(const std::vector<std::vector<float>> &rows, int dim)
{
    std::vector<double> m(size_t(dim), 0);
    for (const auto &r : rows) for (int i = 0; i < dim; ++i) m[size_t(i)] += r[size_t(i)];
    for (double &v : m) v = rows.empty() ? 0.0 : v / double(rows.size());
    return m;
}

// Branch features of each pair: image feature row, vitals feature at the pair's hour, label.
fit::PairTensors pairTensors(const std::vector<FusionPair> &pairs, const torch::Tensor &imgFeat,
                             const std::vector<std::vector<float>> &stayFeat, int vitalsFeatures)
{
    auto a = torch::empty({int64_t(pairs.size()), nets::kImageFeatures});
    auto b = torch::empty({int64_t(pairs.size()), vitalsFeatures});
    auto y = torch::empty({int64_t(pairs.size())});
    for (size_t k = 0; k < pairs.size(); ++k) {
        a[int64_t(k)] = imgFeat[pairs[k].image];
        const auto &sf = stayFeat[size_t(pairs[k].stay)];
        b[int64_t(k)] = torch::from_blob(const_cast<float *>(sf.data()) + std::ptrdiff_t(pairs[k].hour) * vitalsFeatures,
                                         {vitalsFeatures}).clone();
        y[int64_t(k)] = float(pairs[k].label);
    }
    return {a, b, y};
}

Status saveWeights(const QString &outDir, nets::ImageNet &image, nets::VitalsNet &vitals, nets::FusionNet &fusion)
{
    // as CPU tensors, loadable anywhere
    image->to(torch::kCPU);
    vitals->to(torch::kCPU);
    fusion->to(torch::kCPU);
    const QString path = QDir(outDir).filePath(bundle::kWeights);
    try {
        torch::serialize::OutputArchive root, a, b, c;
        image->save(a);
        vitals->save(b);
        fusion->save(c);
        root.write("image", a);
        root.write("vitals", b);
        root.write("fusion", c);
        root.save_to(path.toStdString());
    } catch (const std::exception &e) {
        return makeError(Error::Code::Io, path, {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    return Ok{};
}

Status writeManifestFile(const QString &outDir, const QJsonObject &m)
{
    const QString path = QDir(outDir).filePath(bundle::kManifest);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(QJsonDocument(m).toJson(QJsonDocument::Indented)) <= 0)
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot write"));
    return Ok{};
}

// LR, SVM and RF on the same training split as the networks, saved beside the bundle.
Result<QJsonObject> trainAllBaselines(const TrainParams &p, const std::vector<std::vector<float>> &fitPixels,
                                      const std::vector<int> &fitY, const std::vector<fit::StayTensor> &trainT,
                                      const std::vector<fit::StayTensor> &trainFull, const std::vector<FusionPair> &fitPairs, int Fc)
{
    QJsonObject baselines;
    auto bi = trainBaselines(fitPixels, fitY, p.outDir, QStringLiteral("baseline_image"), 1000, p.seed);
    if (!bi) return bi.error();
    baselines.insert("image", bi.value());
    std::vector<std::vector<float>> xv;
    std::vector<int> yv;
    for (const auto &st : trainT) {
        auto xc = st.x.contiguous();
        for (int h = 0; h < st.hours; ++h) {
            xv.emplace_back(xc.data_ptr<float>() + std::ptrdiff_t(h) * Fc, xc.data_ptr<float>() + std::ptrdiff_t(h + 1) * Fc);
            yv.push_back(int(st.y[h].item<float>()));
        }
    }
    auto bv = trainBaselines(xv, yv, p.outDir, QStringLiteral("baseline_vitals"), 4000, p.seed);
    if (!bv) return bv.error();
    auto gbt = trainGradientBoosting(xv, yv, p.outDir, QStringLiteral("baseline_vitals"), p.seed);
    if (!gbt) return gbt.error();
    QJsonObject vitalsSettings = bv.value();
    for (auto it = gbt->begin(); it != gbt->end(); ++it) vitalsSettings.insert(it.key(), it.value());
    baselines.insert("vitals", vitalsSettings);
    std::vector<std::vector<float>> xh;
    std::vector<int> yh;
    for (size_t k = 0; k < std::min<size_t>(fitPairs.size(), 6000); ++k) {
        const auto &pr = fitPairs[k];
        auto c = fitPixels[size_t(pr.image)];
        auto xc = trainFull[size_t(pr.stay)].x.contiguous();
        c.insert(c.end(), xc.data_ptr<float>() + std::ptrdiff_t(pr.hour) * Fc, xc.data_ptr<float>() + std::ptrdiff_t(pr.hour + 1) * Fc);
        xh.push_back(std::move(c));
        yh.push_back(pr.label);
    }
    auto bh = trainBaselines(xh, yh, p.outDir, QStringLiteral("baseline_hybrid"), 1500, p.seed);
    if (!bh) return bh.error();
    baselines.insert("hybrid", bh.value());
    return baselines;
}

// Does the gradient-boosted baseline earn a place beside the LSTM? Both, and
// the mean of their logits, on the validation stays: AUROC and best normalised utility.
Result<QJsonObject> compareGradientBoosting(const QString &dir, const QJsonObject &settings, const std::vector<fit::StayTensor> &val,
                                            const std::vector<StaySeries> &lstm)
{
    std::vector<std::vector<float>> rows;
    for (const auto &st : val) {
        auto xc = st.x.contiguous();
        const int64_t F = xc.size(1);
        for (int h = 0; h < st.hours; ++h) rows.emplace_back(xc.data_ptr<float>() + h * F, xc.data_ptr<float>() + (h + 1) * F);
    }
    auto g = scoreGradientBoosting(dir, settings, rows);
    if (!g) return g.error();
    // XGBoost answers probabilities, the LSTM logits: both on the logit scale before they are averaged
    // (averaging a logit with a probability let the LSTM's scale decide "the mean of both").
    for (double &v : g.value()) {
        const double q = std::clamp(v, 1e-7, 1 - 1e-7);
        v = std::log(q / (1 - q));
    }
    std::vector<StaySeries> gbt = lstm, mean = lstm;
    size_t o = 0;
    std::vector<double> pl, pg, pm;
    std::vector<int> y;
    for (size_t i = 0; i < lstm.size(); ++i)
        for (size_t h = 0; h < lstm[i].score.size(); ++h, ++o) {
            gbt[i].score[h] = g.value()[o];
            mean[i].score[h] = (lstm[i].score[h] + g.value()[o]) / 2;
            pl.push_back(lstm[i].score[h]); pg.push_back(gbt[i].score[h]); pm.push_back(mean[i].score[h]);
            y.push_back(lstm[i].label[h]);
        }
    auto entry = [&](const std::vector<StaySeries> &s, const std::vector<double> &p) {
        double u = 0;
        utilityOptimalThreshold(s, &u);
        return QJsonObject{{"auroc", rocAuc(p, y)}, {"best_normalized_utility", u}};
    };
    const QJsonObject l = entry(lstm, pl), gb = entry(gbt, pg), m = entry(mean, pm);
    const bool earns = m.value("best_normalized_utility").toDouble() > l.value("best_normalized_utility").toDouble() + 0.01;
    return QJsonObject{{"LSTM with attention", l}, {"gradient-boosted trees", gb}, {"mean of both", m},
                       {"decision", earns ? QStringLiteral("the mean of both beats the LSTM by more than 0.01 utility on validation; "
                                                           "not shipped as the bedside model because the app explains the LSTM (attention) "
                                                           "and the runtime has no tree model yet: kept as a baseline, reported here")
                                          : QStringLiteral("kept as a baseline only: the mean of both does not beat the LSTM by more than "
                                                           "0.01 normalised utility on validation")}};
}

struct ImageRun {
    fit::LoopResult fit;
    QJsonObject record;   // how and when the branch was trained, for the manifest
};

// --image-from BUNDLE: the image branch of a signed bundle trained on the same images with the same split, so its
// validation and test patients are this run's too (nothing this run tests on was trained on).
Result<ImageRun> imageFromBundle(const TrainParams &p, const QString &imagesDigest, nets::ImageNet &net, const fit::ImageSplit &d,
                                 const torch::Device &dev)
{
    auto s = bundle::readVerifiedBundle(p.imageFromBundle, true);   // signed under a trusted key, every file's SHA-256 checked
    if (!s) return s.error();
    const QJsonObject &m = s->manifest;
    const QJsonObject img = m.value("image").toObject(), tr = m.value("training").toObject();
    auto refuse = [&](const QString &field, const QString &why) {
        return makeError(Error::Code::Invalid, s->manifestPath, field,
                         why + QStringLiteral(": its image branch cannot be reused here (train it: leave out --image-from)"));
    };
    if (img.value("layout").toString() != QLatin1String(nets::kImageArchitecture))
        return refuse(QStringLiteral("image.layout"), QStringLiteral("image network '%1', this build trains '%2'")
                                                          .arg(img.value("layout").toString(), QLatin1String(nets::kImageArchitecture)));
    const QString digest = img.value("data").toObject().value("sha256_of_file_list").toString();
    if (digest != imagesDigest)
        return refuse(QStringLiteral("image.data.sha256_of_file_list"),
                      QStringLiteral("trained on other images than --images (SHA-256 of its file list %1, of these %2)").arg(digest.left(12), imagesDigest.left(12)));
    if (tr.value("seed").toVariant().toULongLong() != p.seed)
        return refuse(QStringLiteral("training.seed"), QStringLiteral("split with seed %1, this run with %2: its validation and test patients are not this run's")
                                                           .arg(tr.value("seed").toVariant().toULongLong()).arg(p.seed));
    if (tr.value("validation_fraction").toDouble() != p.validationFraction || tr.value("test_fraction").toDouble() != p.testFraction)
        return refuse(QStringLiteral("training.validation_fraction"), QStringLiteral("split %1/%2 (validation/test), this run %3/%4")
                                                                          .arg(tr.value("validation_fraction").toDouble()).arg(tr.value("test_fraction").toDouble())
                                                                          .arg(p.validationFraction).arg(p.testFraction));
    if (std::abs(s->pixelMean - d.pixelMean) > 1e-6 || std::abs(s->pixelStd - d.pixelStd) > 1e-6)
        return refuse(QStringLiteral("image.input.mean"), QStringLiteral("pixel statistics %1/%2, this run's training images %3/%4")
                                                              .arg(s->pixelMean).arg(s->pixelStd).arg(d.pixelMean).arg(d.pixelStd));
    const QString weights = QDir(s->dir).filePath(bundle::kWeights);
    try {
        torch::serialize::InputArchive root, a;
        root.load_from(weights.toStdString());
        root.read("image", a);
        net->load(a);
        net->to(dev);
        net->eval();
    } catch (const std::exception &e) {
        return makeError(Error::Code::Format, weights, QStringLiteral("image"), QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    ImageRun run;
    run.record = img.value("training").toObject();
    run.record.insert("reused_from_bundle", QJsonObject{{"name", m.value("name").toString()}, {"version", m.value("version").toString()},
                                                        {"weights_sha256", m.value("files").toObject().value(bundle::kWeights).toString()},
                                                        {"signature", s->signature.summary()}});
    run.fit.bestScore = run.record.value("best_validation_auroc").toDouble();
    run.fit.bestEpoch = run.record.value("best_epoch").toInt();
    std::fprintf(stderr, "[train] image branch reused from bundle %s %s (%s)\n", qPrintable(m.value("name").toString()),
                 qPrintable(m.value("version").toString()), qPrintable(s->signature.summary()));
    return run;
}

// The image branch, or its checkpoint from an earlier run of the same
// settings on the same data (--resume): <out>/checkpoints/image.{pt,json}.
Result<ImageRun> fitOrResumeImage(const TrainParams &p, const QString &imagesDigest, nets::ImageNet &net,
                                  const fit::ImageSplit &d, std::mt19937_64 &rng, const torch::Device &dev, JobControl &control)
{
    if (!p.imageFromBundle.isEmpty()) return imageFromBundle(p, imagesDigest, net, d, dev);
    const QString dir = QDir(p.outDir).filePath(QStringLiteral("checkpoints"));
    const QString wPath = dir + QStringLiteral("/image.pt"), jPath = dir + QStringLiteral("/image.json");
    const QJsonObject key{{"architecture", nets::kImageArchitecture}, {"images_sha256", imagesDigest},
                          {"seed", QString::number(p.seed)}, {"max_epochs", p.imageEpochs}, {"patience", p.imagePatience}, {"max_images", p.maxImages},
                          {"max_minutes", p.imageMaxMinutes}, {"validation_fraction", p.validationFraction},
                          {"test_fraction", p.testFraction}};
    ImageRun run;
    if (p.resume && QFile::exists(jPath)) {
        QFile f(jPath);
        const QJsonObject saved = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject{};
        if (saved.value("key").toObject() == key) {
            try {
                torch::serialize::InputArchive a;
                a.load_from(wPath.toStdString());
                net->load(a);
                net->to(dev);
                net->eval();
            } catch (const std::exception &e) {
                return makeError(Error::Code::Format, wPath, {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
            }
            for (const auto &v : saved.value("loss").toArray()) run.fit.loss.push_back(v.toDouble());
            run.record = saved.value("record").toObject();
            run.record.insert("resumed_from_checkpoint", true);
            run.fit.bestScore = run.record.value("best_validation_auroc").toDouble();
            run.fit.bestEpoch = run.record.value("best_epoch").toInt();
            std::fprintf(stderr, "[train] image branch resumed from its checkpoint (trained %s)\n",
                         qPrintable(run.record.value("trained").toString()));
            return run;
        }
        std::fprintf(stderr, "[train] image checkpoint is for other settings or data; training the image branch\n");
    }
    QElapsedTimer t;
    t.start();
    fit::ImageFitSettings is;
    is.maxMinutes = p.imageMaxMinutes;
    run.fit = fit::fitImageBranch(net, d, {p.imageEpochs, p.imagePatience, 1e-4, "image"}, is, rng, dev, control);
    if (run.fit.cancelled) return run;
    int64_t macs = 0;
    {
        torch::NoGradGuard ng;
        net->forward(torch::zeros({1, 1, nets::kImageSize, nets::kImageSize}).to(dev), nullptr, &macs);
    }
    int64_t params = 0;
    for (const auto &w : net->parameters()) params += w.numel();
    run.record = QJsonObject{{"seconds", t.elapsed() / 1000.0}, {"device", QString::fromStdString(dev.str())},
                             {"threads", torch::get_num_threads()}, {"commit", p.commit},
                             {"trained", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                             {"epochs_run", int(run.fit.loss.size())}, {"best_epoch", run.fit.bestEpoch},
                             {"best_validation_auroc", run.fit.bestScore},
                             {"stopped_by_time_budget", run.fit.stoppedEarly},
                             {"macs_per_image", double(macs)}, {"parameters", double(params)},
                             {"batch", is.batch}, {"optimizer", QStringLiteral("AdamW (lr %1, cosine decay over %2 epochs, weight decay %3), batches of %4")
                                                                   .arg(is.learningRate).arg(p.imageEpochs).arg(is.weightDecay).arg(is.batch)},
                             {"resumed_from_checkpoint", false}};
    QJsonArray loss;
    for (double l : run.fit.loss) loss.append(l);
    if (!QDir().mkpath(dir)) return makeError(Error::Code::Io, dir, {}, QStringLiteral("cannot create"));
    try {
        net->to(torch::kCPU);
        torch::serialize::OutputArchive a;
        net->save(a);
        a.save_to(wPath.toStdString());
        net->to(dev);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Io, wPath, {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    QFile f(jPath);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || f.write(QJsonDocument(QJsonObject{{"key", key}, {"record", run.record}, {"loss", loss}}).toJson()) <= 0)
        return makeError(Error::Code::Io, jPath, {}, QStringLiteral("cannot write"));
    return run;
}

} // namespace

Result<TrainResult> trainHybridModel(const TrainParams &p, JobControl &control)
{
    QElapsedTimer clock;
    clock.start();
    TrainResult result;
    const int threads = std::max(1, QThread::idealThreadCount());
    torch::set_num_threads(threads);
    torch::manual_seed(p.seed);
    // CUDA when present (a CUDA-enabled LibTorch via Torch_DIR), else all CPU cores.
    const torch::Device dev = torch::cuda::is_available() && !env::forceCpu() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (dev.is_cuda()) {
        torch::cuda::manual_seed_all(p.seed);
        nets::useReproducibleCudaNumerics();
    }
    std::mt19937_64 rng(p.seed);
    if (!p.signingKeyPath.isEmpty())   // before hours of training, not after
        if (auto k = security::readSecretKey(p.signingKeyPath); !k) return k.error();
    if (!QDir().mkpath(p.outDir))
        return makeError(Error::Code::Io, p.outDir, {}, QStringLiteral("cannot create the bundle folder"));
    // Stages: images load, image epochs, stays load, vitals epochs, fusion, baselines, evaluation.
    control.setTotal(7);
    auto stage = [&](const QString &what) { control.advance(1, what); return !control.isCancelled(); };
    const Error cancelled = cancelledError(QStringLiteral("training"));
    ManifestInputs mi;
    mi.params = p;
    JobControl loading;   // file-level progress of the loaders stays out of the stage count,
    loading.shareCancellation(control);   // but Cancel reaches them

    // ---- images: one folder split by patient (seed) into fit / validation / test ----
    auto imgs = loadLabelledImages(p.imagesDir, loading, p.maxImages);
    if (!imgs) return imgs.error();
    QString unreadable;
    const QString imagesDigest = sha256OfFileList(p.imagesDir, QStringList(imgs->files) << QStringLiteral("labels.csv"), &unreadable);
    if (imagesDigest.isEmpty()) return makeError(Error::Code::Io, unreadable, {}, QStringLiteral("cannot read"));
    if (control.isCancelled()) return cancelled;
    const ImageFolderSplit folderSplit = splitImagesByPatient(imgs->files, p.seed, p.validationFraction, p.testFraction);
    if (folderSplit.train.empty() || folderSplit.validation.empty())
        return makeError(Error::Code::Invalid, p.imagesDir, QStringLiteral("labels.csv"),
                         QStringLiteral("too few patients for a training and a validation split"));
    fit::ImageSplit imgSplit;
    imgSplit.labels = imgs->labels;
    imgSplit.fitIdx = folderSplit.train;
    imgSplit.calIdx = folderSplit.validation;
    std::vector<std::vector<float>> baselinePixels;   // the baselines' 28 px features of the fit images
    {
        std::vector<const DisplayFrame *> ptrs;
        for (const auto &f : imgs->frames) ptrs.push_back(&f);
        imgSplit.pixels = nets::imagePixels(ptrs);
        for (int i : imgSplit.fitIdx) baselinePixels.push_back(networkInputPixels(imgs->frames[size_t(i)], kBaselineImageSize));
        imgs->frames.clear();
        imgs->frames.shrink_to_fit();
    }
    {
        auto fitPx = imgSplit.pixels.index_select(0, torch::tensor(std::vector<int64_t>(imgSplit.fitIdx.begin(), imgSplit.fitIdx.end())));
        imgSplit.pixelMean = fitPx.mean().item<double>();
        imgSplit.pixelStd = std::max(1e-3, fitPx.std().item<double>());
    }
    if (!stage(QStringLiteral("images loaded"))) return cancelled;

    nets::ImageNet image;
    image->to(dev);
    auto imageRun = fitOrResumeImage(p, imagesDigest, image, imgSplit, rng, dev, control);
    if (!imageRun) return imageRun.error();
    if (imageRun->fit.cancelled) return cancelled;
    result.imageLoss = imageRun->fit.loss;
    if (p.imageOnly) {
        result.bundleDir = p.outDir;
        result.seconds = clock.elapsed() / 1000.0;
        return result;
    }
    if (!stage(QStringLiteral("image branch trained"))) return cancelled;

    // ---- vitals: stays split by stay with the seed; a generator of its own, so a resumed image branch changes nothing here ----
    rng.seed(p.seed + 1);
    QStringList names = psvFilesIn(p.vitalsDir);
    if (names.isEmpty()) return makeError(Error::Code::Io, p.vitalsDir, {}, QStringLiteral("no .psv files"));
    const QString vitalsDigest = sha256OfFileList(p.vitalsDir, names, &unreadable);
    if (vitalsDigest.isEmpty()) return makeError(Error::Code::Io, unreadable, {}, QStringLiteral("cannot read"));
    const StaySplit split = splitStays(names, p.seed, p.validationFraction, p.testFraction);
    QStringList trainNames = split.train, valNames = split.validation;
    if (p.maxStays > 0) {
        const int nTrain = std::max(2, int(p.maxStays * (1 - p.validationFraction - p.testFraction)));
        trainNames = trainNames.mid(0, nTrain);
        valNames = valNames.mid(0, std::max(2, int(p.maxStays * p.validationFraction)));
    }
    auto trainStays = loadStays(p.vitalsDir, trainNames, loading);
    if (!trainStays) return trainStays.error();
    auto valStays = loadStays(p.vitalsDir, valNames, loading);
    if (!valStays) return valStays.error();
    if (control.isCancelled()) return cancelled;
    std::vector<HourlyGrid> grids;
    for (const auto &s : trainStays.value()) grids.push_back(buildHourlyGrid(s, defaultModelVariables()));
    FeatureNormalization norm = fitNormalization(grids, defaultModelVariables());
    norm.extraFeatures = scoreFeatureNames();
    grids.clear();
    const auto trainFull = fit::stayTensors(trainStays.value(), norm, 0);   // full length: features of any hour
    const auto trainT = fit::truncated(trainFull, p.maxTrainHours);
    const auto valT = fit::stayTensors(valStays.value(), norm, 0);
    if (!stage(QStringLiteral("stays loaded"))) return cancelled;

    nets::VitalsNet vitals(norm.featureCount(), p.vitalsHidden, p.vitalsLayout);
    const int vitalsFeatures = vitals->featureSize();
    vitals->to(dev);
    double pos = 0, tot = 0;
    for (const auto &s : trainT) { pos += s.y.sum().item<double>(); tot += s.hours; }
    const double vitalsPosWeight = std::min(20.0, (tot - pos) / std::max(1.0, pos));
    fit::VitalsObjective objective;
    objective.utility = p.vitalsUtilityObjective;
    objective.posWeight = vitalsPosWeight;
    objective.weightDecay = mi.vitalsWeightDecay = fit::vitalsWeightDecay(vitals->layout);
    objective.emaDecay = p.vitalsEmaDecay;
    objective.inputDropout = p.vitalsInputDropout;
    const auto vitalsRun = fit::fitVitalsBranch(vitals, trainT, valT, objective, {p.vitalsEpochs, std::min(p.patience, 4), 1e-4, "vitals", "utility"},
                                                rng, dev, control);
    result.vitalsLoss = vitalsRun.loss;
    if (vitalsRun.cancelled || !stage(QStringLiteral("vitals branch trained"))) return cancelled;

    // ---- calibration and thresholds on validation data only ----
    torch::NoGradGuard noGrad;
    std::vector<int> calY, fitY;
    for (int i : imgSplit.calIdx) calY.push_back(imgSplit.labels[size_t(i)]);
    for (int i : imgSplit.fitIdx) fitY.push_back(imgSplit.labels[size_t(i)]);
    auto [calFeat, calLogitT] = fit::imageForward(image, imgSplit, imgSplit.calIdx, dev);
    const Calibrated imageCal = calibrate(fit::toVector(calLogitT), calY);
    std::vector<double> vLogit;
    std::vector<int> vY;
    std::vector<std::vector<float>> valFeat;
    fit::runVitals(vitals, valT, &vLogit, &vY, &valFeat);
    Calibrated vitalsCal = calibrate(vLogit, vY);
    // The vitals alert level: the calibrated risk that maximises the PhysioNet utility on the validation stays.
    std::vector<StaySeries> valSeries;
    fit::runVitalsSeries(vitals, valT, valSeries);
    for (auto &st : valSeries) for (double &v : st.score) v = vitalsCal.cal.apply(v);
    vitalsCal.threshold = utilityOptimalThreshold(valSeries);
    mi.vitalsOperatingPoint = operatingPoint(valSeries, vitalsCal.threshold).toJson();
    auto calibrationJson = [](const PlattScaling &c, const std::vector<double> &logits, const std::vector<int> &y) {
        std::vector<double> pr;
        for (double l : logits) pr.push_back(c.apply(l));
        return QJsonObject{{"validation_ece", expectedCalibrationError(pr, y)}, {"reliability", reliabilityTable(pr, y)},
                           {"validation_n", int(y.size())}};
    };
    mi.calibrationCheck.insert("vitals", calibrationJson(vitalsCal.cal, vLogit, vY));
    mi.calibrationCheck.insert("image", calibrationJson(imageCal.cal, fit::toVector(calLogitT), calY));

    // ---- fusion on label pairs (training split for fitting, validation split for calibration) ----
    auto fitFeatT = fit::imageForward(image, imgSplit, imgSplit.fitIdx, dev).first;
    std::vector<std::vector<float>> trainFeat;
    fit::runVitals(vitals, trainFull, nullptr, nullptr, &trainFeat);
    // Stays whose tensors were built (stayTensors skips empty ones) line up with the kept stays.
    std::vector<VitalsTimeline> trainKept, valKept;
    for (const auto &s : trainStays.value()) if (buildHourlyGrid(s, norm.variables, -1).hours > 0) trainKept.push_back(s);
    for (const auto &s : valStays.value()) if (buildHourlyGrid(s, norm.variables, -1).hours > 0) valKept.push_back(s);
    const auto fitPairs = pairByLabel(fitY, trainKept, p.fusionPairs, p.seed + 3);
    const auto calPairs = pairByLabel(calY, valKept, std::max(1000, p.fusionPairs / 5), p.seed + 5);
    if (fitPairs.empty() || calPairs.empty())
        return makeError(Error::Code::Invalid, p.vitalsDir, QStringLiteral("SepsisLabel"),
                         QStringLiteral("fusion pairs need both labels in images and stays; use more stays"));
    auto fitPairT = pairTensors(fitPairs, fitFeatT, trainFeat, vitalsFeatures);
    auto calPairT = pairTensors(calPairs, calFeat, valFeat, vitalsFeatures);
    for (auto *t : {&fitPairT.image, &fitPairT.vitals, &fitPairT.label, &calPairT.image, &calPairT.vitals}) *t = t->to(dev);
    std::vector<int> calPairY;
    for (const auto &pr : calPairs) calPairY.push_back(pr.label);
    nets::FusionNet fusion(vitalsFeatures);
    fusion->to(dev);
    const auto fusionRun = fit::fitFusion(fusion, fitPairT, calPairT, calPairY, {p.fusionEpochs, p.patience, 1e-5, ""}, rng, dev, control);
    result.fusionLoss = fusionRun.loss;
    if (fusionRun.cancelled) return cancelled;
    const auto fusedLogits = fit::toVector(fusion->forward(calPairT.image, calPairT.vitals));
    const Calibrated fusedCal = calibrate(fusedLogits, calPairY);
    mi.calibrationCheck.insert("fused", calibrationJson(fusedCal.cal, fusedLogits, calPairY));
    if (!stage(QStringLiteral("fusion trained"))) return cancelled;

    // feature means (the fusion's "branch absent" baselines) before the weights move to the CPU
    std::vector<std::vector<float>> fitFeatRows, trainHourRows;
    {
        auto ff = fitFeatT.to(torch::kCPU).contiguous();
        for (int64_t i = 0; i < ff.size(0); ++i) fitFeatRows.emplace_back(ff[i].data_ptr<float>(), ff[i].data_ptr<float>() + ff.size(1));
        for (const auto &sf : trainFeat)
            for (size_t o = 0; o + size_t(vitalsFeatures) <= sf.size(); o += size_t(vitalsFeatures))
                trainHourRows.emplace_back(sf.begin() + std::ptrdiff_t(o), sf.begin() + std::ptrdiff_t(o + size_t(vitalsFeatures)));
    }
    if (auto st = saveWeights(p.outDir, image, vitals, fusion); !st) return st.error();

    auto baselines = trainAllBaselines(p, baselinePixels, fitY, trainT, trainFull, fitPairs, norm.featureCount());
    if (!baselines) return baselines.error();
    {
        auto cmp = compareGradientBoosting(p.outDir, baselines->value("vitals").toObject(), valT, valSeries);
        if (!cmp) return cmp.error();
        mi.gradientBoostingComparison = cmp.value();
    }
    if (!stage(QStringLiteral("baselines trained"))) return cancelled;

    // ---- manifest ----
    for (const QString &f : QDir(p.outDir).entryList({QStringLiteral("*.pt"), QStringLiteral("*.yml.gz"), QStringLiteral("baseline_*.json")},
                                                     QDir::Files, QDir::Name))
        mi.files.insert(f, sha256OfFile(QDir(p.outDir).filePath(f)));
    // ClinSight version + the commit that trained it: a new training program gives a new model version.
    mi.version = QStringLiteral("%1-%2").arg(clinsightVersion(), p.commit.left(7).isEmpty() ? QStringLiteral("local") : p.commit.left(7));
    mi.created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    mi.threads = threads;
    mi.libtorch = runtimeInfo().libtorch;
    mi.device = QString::fromStdString(dev.str());
    mi.imageEpochsRun = imageRun->record.value("epochs_run").toInt();   // trained, resumed or reused: its record says
    mi.vitalsEpochsRun = int(result.vitalsLoss.size());
    mi.fusionEpochsRun = int(result.fusionLoss.size());
    mi.imageSize = nets::kImageSize;
    mi.imageFeatures = nets::kImageFeatures;
    mi.pixelMean = imgSplit.pixelMean;
    mi.pixelStd = imgSplit.pixelStd;
    mi.fitImages = int(imgSplit.fitIdx.size());
    mi.calibrationImages = int(imgSplit.calIdx.size());
    mi.testImages = int(folderSplit.test.size());
    mi.imagePatients = folderSplit.patients;
    mi.imagesDigest = imagesDigest;
    mi.vitalsDigest = vitalsDigest;
    mi.imageRecord = imageRun->record;
    mi.imageCal = imageCal.cal;
    mi.imageThreshold = imageCal.threshold;
    mi.normalization = norm;
    mi.vitalsFeatures = vitalsFeatures;
    mi.vitalsPosWeight = vitalsPosWeight;
    mi.trainStays = int(trainNames.size());
    mi.validationStays = int(valNames.size());
    mi.testStays = int(split.test.size());
    mi.vitalsCal = vitalsCal.cal;
    mi.vitalsThreshold = vitalsCal.threshold;
    mi.trainPairs = int(fitPairs.size());
    mi.calibrationPairs = int(calPairs.size());
    mi.imageFeatureMean = columnMeans(fitFeatRows, nets::kImageFeatures);
    mi.vitalsFeatureMean = columnMeans(trainHourRows, vitalsFeatures);
    mi.fusedCal = fusedCal.cal;
    mi.fusedThreshold = fusedCal.threshold;
    mi.baselines = baselines.value();
    mi.seconds = clock.elapsed() / 1000.0;
    QJsonObject manifest = buildManifest(mi);
    if (auto st = writeManifestFile(p.outDir, manifest); !st) return st.error();

    // ---- measure the written bundle exactly as `evaluate` will ----
    auto recorded = recordBundleEvaluation(p, loading, {}, clock.elapsed() / 1000.0);
    if (!recorded) return recorded.error();
    manifest = recorded.value();
    stage(QStringLiteral("evaluated"));
    result.bundleDir = p.outDir;
    result.manifest = manifest;
    result.seconds = clock.elapsed() / 1000.0;
    return result;
}

} // namespace cs
