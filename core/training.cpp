// Training of the hybrid model (LibTorch): image CNN, vitals LSTM with
// attention, fusion head; Platt calibration and thresholds on validation
// data only; baselines; then the bundle is written, reloaded through the
// runtime and measured by evaluation.cpp so its numbers are reproducible.
#include "networks_p.h"

#include "training.h"

#include "baselines.h"
#include "datasets.h"
#include "evaluation.h"
#include "hourlyfeatures.h"
#include "imagefile.h"
#include "metrics.h"
#include "model.h"
#include "modelbundle_p.h"
#include "modelcard.h"
#include "version.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <algorithm>
#include <numeric>
#include <random>

namespace cs {

namespace {

namespace F = torch::nn::functional;

// Keeps the weights of the best validation AUROC seen; says when patience ran out.
struct Snapshot;
struct EarlyStopping {
    double best = -1;
    int sinceBest = 0;
    int patience;
    double minDelta;
    explicit EarlyStopping(int p, double delta = 1e-4) : patience(p), minDelta(delta) {}
    // Returns true when training should stop.
    template <class Net> bool update(double auc, Net &net, Snapshot &snap);
};

struct Snapshot {
    std::vector<torch::Tensor> params, buffers;
    void take(torch::nn::Module &m)
    {
        params.clear(); buffers.clear();
        for (auto &p : m.parameters()) params.push_back(p.detach().clone());
        for (auto &b : m.buffers()) buffers.push_back(b.detach().clone());
    }
    void restore(torch::nn::Module &m) const
    {
        torch::NoGradGuard ng;
        auto ps = m.parameters();
        auto bs = m.buffers();
        for (size_t i = 0; i < ps.size(); ++i) ps[i].copy_(params[i]);
        for (size_t i = 0; i < bs.size(); ++i) bs[i].copy_(buffers[i]);
    }
};

template <class Net> bool EarlyStopping::update(double auc, Net &net, Snapshot &snap)
{
    if (auc > best + minDelta) {
        best = auc;
        snap.take(*net);
        sinceBest = 0;
        return false;
    }
    return ++sinceBest >= patience;
}

torch::Tensor imageBatch(const std::vector<DisplayFrame> &frames, const std::vector<int> &idx, double mean, double sd,
                         const torch::Device &dev)
{
    std::vector<const DisplayFrame *> ptrs;
    for (int i : idx) ptrs.push_back(&frames[size_t(i)]);
    return nets::imageInput(ptrs, mean, sd, dev);
}

std::vector<double> toVector(const torch::Tensor &t)
{
    auto c = t.detach().to(torch::kCPU).to(torch::kDouble).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

// Per-stay model input, truncated for training to maxHours.
struct StayTensor { torch::Tensor x; torch::Tensor y; int hours; };

std::vector<StayTensor> stayTensors(const std::vector<VitalsTimeline> &stays, const FeatureNormalization &n, int maxHours)
{
    std::vector<StayTensor> out;
    const int Fc = n.featureCount();
    for (const auto &s : stays) {
        const HourlyGrid g = buildHourlyGrid(s, n.variables);
        const int H = std::min(g.hours, maxHours > 0 ? maxHours : g.hours);
        if (H == 0) continue;
        auto f = modelFeatures(g, n, s);
        StayTensor st;
        st.hours = H;
        st.x = torch::from_blob(f.data(), {g.hours, Fc}).slice(0, 0, H).clone();
        std::vector<float> y(H);
        for (int h = 0; h < H; ++h) y[h] = h < int(s.labels.size()) && s.labels[h] == 1 ? 1.f : 0.f;
        st.y = torch::from_blob(y.data(), {H}).clone();
        out.push_back(std::move(st));
    }
    return out;
}

// Padded batch: x (B,T,F), y (B,T), mask (B,T).
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> padBatch(const std::vector<StayTensor> &s, const std::vector<int> &idx,
                                                                const torch::Device &dev)
{
    int T = 0;
    for (int i : idx) T = std::max(T, s[i].hours);
    const int64_t Fc = s[idx[0]].x.size(1);
    auto x = torch::zeros({int64_t(idx.size()), T, Fc});
    auto y = torch::zeros({int64_t(idx.size()), T});
    auto m = torch::zeros({int64_t(idx.size()), T});
    for (size_t k = 0; k < idx.size(); ++k) {
        const auto &st = s[idx[k]];
        x[int64_t(k)].slice(0, 0, st.hours).copy_(st.x);
        y[int64_t(k)].slice(0, 0, st.hours).copy_(st.y);
        m[int64_t(k)].slice(0, 0, st.hours).fill_(1);
    }
    return {x.to(dev), y.to(dev), m.to(dev)};
}

// Logits and features of every hour of every stay (eval mode, no grad).
void runVitals(nets::VitalsNet &net, const std::vector<StayTensor> &s, std::vector<double> *logits, std::vector<int> *labels,
               std::vector<std::vector<float>> *featuresPerStay)
{
    torch::NoGradGuard ng;
    net->eval();
    std::vector<int> order(s.size());
    std::iota(order.begin(), order.end(), 0);
    if (featuresPerStay) featuresPerStay->assign(s.size(), {});
    for (size_t b = 0; b < order.size(); b += 64) {
        std::vector<int> idx(order.begin() + b, order.begin() + std::min(order.size(), b + 64));
        auto [x, y, m] = padBatch(s, idx, net->parameters().front().device());
        auto [feat, logit] = net->forward(x);
        for (size_t k = 0; k < idx.size(); ++k) {
            const int H = s[idx[k]].hours;
            if (logits) {
                auto l = toVector(logit[int64_t(k)].slice(0, 0, H));
                logits->insert(logits->end(), l.begin(), l.end());
                auto yy = toVector(y[int64_t(k)].slice(0, 0, H));
                for (double v : yy) labels->push_back(int(v));
            }
            if (featuresPerStay) {
                auto f = feat[int64_t(k)].slice(0, 0, H).to(torch::kCPU).contiguous();
                (*featuresPerStay)[idx[k]].assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
            }
        }
    }
}

QJsonObject plattJson(const PlattScaling &p) { return {{"method", "platt"}, {"a", p.a}, {"b", p.b}}; }

QJsonArray meanOf(const std::vector<std::vector<float>> &rows, int dim)
{
    std::vector<double> m(dim, 0);
    for (const auto &r : rows) for (int i = 0; i < dim; ++i) m[i] += r[i];
    QJsonArray a;
    for (int i = 0; i < dim; ++i) a.append(rows.empty() ? 0.0 : m[i] / rows.size());
    return a;
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
    const torch::Device dev = torch::cuda::is_available() && !qEnvironmentVariableIsSet("CLINSIGHT_FORCE_CPU")
                                  ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (dev.is_cuda()) torch::cuda::manual_seed_all(p.seed);
    std::mt19937_64 rng(p.seed);
    if (!QDir().mkpath(p.outDir))
        return makeError(Error::Code::Io, p.outDir, {}, QStringLiteral("cannot create the bundle folder"));
    // Stages: images load, image epochs, stays load, vitals epochs, fusion, baselines, evaluation.
    control.setTotal(7);
    auto stage = [&](const QString &what) { control.advance(1, what); return !control.isCancelled(); };

    // ---- images ----
    JobControl sub;
    auto trainImgs = loadLabelledImages(p.imagesTrainDir, sub);
    if (!trainImgs) return trainImgs.error();
    auto valImgs = loadLabelledImages(p.imagesValDir, sub);
    if (!valImgs) return valImgs.error();
    std::vector<int> all(trainImgs->frames.size());
    std::iota(all.begin(), all.end(), 0);
    std::shuffle(all.begin(), all.end(), rng);
    const size_t nCal = all.size() / 10;
    const std::vector<int> calIdx(all.begin(), all.begin() + nCal), fitIdx(all.begin() + nCal, all.end());
    double pixSum = 0, pixSq = 0, pixN = 0;
    for (int i : fitIdx)
        for (float v : thumbnailPixels(trainImgs->frames[i], nets::kImageSize)) { pixSum += v; pixSq += v * v; ++pixN; }
    const double pixMean = pixSum / pixN, pixStd = std::sqrt(std::max(1e-6, pixSq / pixN - pixMean * pixMean));
    if (!stage(QStringLiteral("images loaded"))) return cancelledError(QStringLiteral("training"));

    nets::ImageNet image;
    image->to(dev);
    {
        double pos = 0;
        for (int i : fitIdx) pos += trainImgs->labels[i];
        const double neg = fitIdx.size() - pos;
        auto posWeight = torch::tensor({float(neg / std::max(1.0, pos))}).to(dev);  // balances the classes
        torch::optim::Adam opt(image->parameters(), torch::optim::AdamOptions(1e-3).weight_decay(1e-4));
        const auto calX = imageBatch(trainImgs->frames, calIdx, pixMean, pixStd, dev);
        std::vector<int> calY;
        for (int i : calIdx) calY.push_back(trainImgs->labels[i]);
        Snapshot best;
        EarlyStopping stop(p.patience, 1e-4);
        std::vector<int> order = fitIdx;
        for (int epoch = 0; epoch < p.imageEpochs; ++epoch) {
            image->train();
            std::shuffle(order.begin(), order.end(), rng);
            double lossSum = 0;
            for (size_t b = 0; b < order.size(); b += 64) {
                std::vector<int> idx(order.begin() + b, order.begin() + std::min(order.size(), b + 64));
                auto x = imageBatch(trainImgs->frames, idx, pixMean, pixStd, dev);
                // light augmentation: shift by up to 2 pixels
                const int dx = int(rng() % 5) - 2, dy = int(rng() % 5) - 2;
                x = torch::roll(x, {dy, dx}, {2, 3});
                std::vector<float> yv;
                for (int i : idx) yv.push_back(float(trainImgs->labels[i]));
                auto y = torch::tensor(yv).to(dev);
                auto logit = image->forward(x).second;
                auto loss = F::binary_cross_entropy_with_logits(logit, y, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(posWeight));
                opt.zero_grad();
                loss.backward();
                opt.step();
                lossSum += loss.item<double>() * idx.size();
            }
            result.imageLoss.push_back(lossSum / order.size());
            image->eval();
            torch::NoGradGuard ng;
            const double auc = rocAuc(toVector(image->forward(calX).second), calY);
            if (stop.update(auc, image, best)) break;
            if (control.isCancelled()) return cancelledError(QStringLiteral("training"));
        }
        best.restore(*image);
        image->eval();
    }
    if (!stage(QStringLiteral("image branch trained"))) return cancelledError(QStringLiteral("training"));

    // ---- vitals ----
    QStringList names = psvFilesIn(p.vitalsDir);
    if (names.isEmpty()) return makeError(Error::Code::Io, p.vitalsDir, {}, QStringLiteral("no .psv files"));
    const StaySplit split = splitStays(names, p.seed, p.validationFraction, p.testFraction);
    QStringList trainNames = split.train, valNames = split.validation;
    if (p.maxStays > 0) {
        const int nTrain = std::max(2, int(p.maxStays * (1 - p.validationFraction - p.testFraction)));
        trainNames = trainNames.mid(0, nTrain);
        valNames = valNames.mid(0, std::max(2, int(p.maxStays * p.validationFraction)));
    }
    auto trainStays = loadStays(p.vitalsDir, trainNames, sub);
    if (!trainStays) return trainStays.error();
    auto valStays = loadStays(p.vitalsDir, valNames, sub);
    if (!valStays) return valStays.error();
    std::vector<HourlyGrid> grids;
    for (const auto &s : trainStays.value()) grids.push_back(buildHourlyGrid(s, defaultModelVariables()));
    const FeatureNormalization norm = fitNormalization(grids, defaultModelVariables());
    grids.clear();
    const auto trainT = stayTensors(trainStays.value(), norm, p.maxTrainHours);
    const auto valT = stayTensors(valStays.value(), norm, 0);
    if (!stage(QStringLiteral("stays loaded"))) return cancelledError(QStringLiteral("training"));

    nets::VitalsNet vitals(norm.featureCount(), p.vitalsHidden);
    const int vitalsFeatures = vitals->featureSize();
    vitals->to(dev);
    double vitalsPosWeight = 1;
    {
        double pos = 0, tot = 0;
        for (const auto &s : trainT) { pos += s.y.sum().item<double>(); tot += s.hours; }
        vitalsPosWeight = std::min(20.0, (tot - pos) / std::max(1.0, pos));
        auto posWeight = torch::tensor({float(vitalsPosWeight)}).to(dev);
        torch::optim::Adam opt(vitals->parameters(), torch::optim::AdamOptions(1e-3).weight_decay(1e-5));
        // Batches of similar length; their order is shuffled every epoch.
        std::vector<int> byLen(trainT.size());
        std::iota(byLen.begin(), byLen.end(), 0);
        std::stable_sort(byLen.begin(), byLen.end(), [&](int a, int b) { return trainT[a].hours < trainT[b].hours; });
        std::vector<std::vector<int>> batches;
        for (size_t b = 0; b < byLen.size(); b += 32) batches.emplace_back(byLen.begin() + b, byLen.begin() + std::min(byLen.size(), b + 32));
        Snapshot best;
        EarlyStopping stop(std::min(p.patience, 3), 1e-4);
        for (int epoch = 0; epoch < p.vitalsEpochs; ++epoch) {
            vitals->train();
            std::shuffle(batches.begin(), batches.end(), rng);
            double lossSum = 0, hoursSum = 0;
            for (const auto &idx : batches) {
                auto [x, y, m] = padBatch(trainT, idx, dev);
                auto logit = vitals->forward(x).second;
                auto loss = F::binary_cross_entropy_with_logits(logit, y, F::BinaryCrossEntropyWithLogitsFuncOptions()
                                                                              .pos_weight(posWeight).weight(m).reduction(torch::kSum))
                            / m.sum();
                opt.zero_grad();
                loss.backward();
                torch::nn::utils::clip_grad_norm_(vitals->parameters(), 5.0);
                opt.step();
                lossSum += loss.item<double>() * m.sum().item<double>();
                hoursSum += m.sum().item<double>();
                if (control.isCancelled()) return cancelledError(QStringLiteral("training"));
            }
            result.vitalsLoss.push_back(lossSum / hoursSum);
            std::vector<double> l;
            std::vector<int> yy;
            runVitals(vitals, valT, &l, &yy, nullptr);
            const double auc = rocAuc(l, yy);
            std::fprintf(stderr, "[train] vitals epoch %d loss %.4f validation AUROC %.4f (%.0f s)\n", epoch + 1,
                         result.vitalsLoss.back(), auc, clock.elapsed() / 1000.0);
            if (stop.update(auc, vitals, best)) break;
        }
        best.restore(*vitals);
        vitals->eval();
    }
    if (!stage(QStringLiteral("vitals branch trained"))) return cancelledError(QStringLiteral("training"));

    // ---- calibration and thresholds on validation data only ----
    torch::NoGradGuard noGrad;
    const auto calX = imageBatch(trainImgs->frames, calIdx, pixMean, pixStd, dev);
    std::vector<int> calY;
    for (int i : calIdx) calY.push_back(trainImgs->labels[i]);
    auto [calFeat, calLogitT] = image->forward(calX);
    const auto calLogit = toVector(calLogitT);
    const PlattScaling imageCal = PlattScaling::fit(calLogit, calY);
    std::vector<double> calProb;
    for (double l : calLogit) calProb.push_back(imageCal.apply(l));
    const double imageThr = youdenThreshold(calProb, calY);

    std::vector<double> vLogit;
    std::vector<int> vY;
    std::vector<std::vector<float>> valFeat;
    runVitals(vitals, valT, &vLogit, &vY, &valFeat);
    const PlattScaling vitalsCal = PlattScaling::fit(vLogit, vY);
    std::vector<double> vProb;
    for (double l : vLogit) vProb.push_back(vitalsCal.apply(l));
    const double vitalsThr = youdenThreshold(vProb, vY);

    // ---- fusion on label pairs (training split for fitting, validation split for calibration) ----
    auto fitFeatT = image->forward(imageBatch(trainImgs->frames, fitIdx, pixMean, pixStd, dev)).first;
    std::vector<int> fitY;
    for (int i : fitIdx) fitY.push_back(trainImgs->labels[i]);
    std::vector<std::vector<float>> trainFeat;
    // training stays keep their full length here: features of any hour
    const auto trainFull = stayTensors(trainStays.value(), norm, 0);
    runVitals(vitals, trainFull, nullptr, nullptr, &trainFeat);
    auto pairFeatures = [&](const std::vector<FusionPair> &pairs, const torch::Tensor &imgFeat,
                            const std::vector<std::vector<float>> &stayFeat) {
        auto a = torch::empty({int64_t(pairs.size()), nets::kImageFeatures});
        auto b = torch::empty({int64_t(pairs.size()), vitalsFeatures});
        auto y = torch::empty({int64_t(pairs.size())});
        for (size_t k = 0; k < pairs.size(); ++k) {
            a[int64_t(k)] = imgFeat[pairs[k].image];
            const auto &sf = stayFeat[pairs[k].stay];
            b[int64_t(k)] = torch::from_blob(const_cast<float *>(sf.data()) + std::ptrdiff_t(pairs[k].hour) * vitalsFeatures,
                                             {vitalsFeatures}).clone();
            y[int64_t(k)] = float(pairs[k].label);
        }
        return std::make_tuple(a, b, y);
    };
    // Stays whose tensors were built (stayTensors skips empty ones) line up with trainStays only when none are empty.
    std::vector<VitalsTimeline> trainKept, valKept;
    for (const auto &s : trainStays.value()) if (buildHourlyGrid(s, norm.variables, -1).hours > 0) trainKept.push_back(s);
    for (const auto &s : valStays.value()) if (buildHourlyGrid(s, norm.variables, -1).hours > 0) valKept.push_back(s);
    const auto fitPairs = pairByLabel(fitY, trainKept, p.fusionPairs, p.seed + 3);
    const auto calPairs = pairByLabel(calY, valKept, std::max(1000, p.fusionPairs / 5), p.seed + 5);
    if (fitPairs.empty() || calPairs.empty())
        return makeError(Error::Code::Invalid, p.vitalsDir, QStringLiteral("SepsisLabel"),
                         QStringLiteral("fusion pairs need both labels in images and stays; use more stays"));
    auto [fa, fb, fy] = pairFeatures(fitPairs, fitFeatT, trainFeat);
    auto [ca, cb, cy] = pairFeatures(calPairs, calFeat, valFeat);
    fa = fa.to(dev); fb = fb.to(dev); fy = fy.to(dev); ca = ca.to(dev); cb = cb.to(dev);
    nets::FusionNet fusion(vitalsFeatures);
    fusion->to(dev);
    {
        torch::AutoGradMode grad(true);
        torch::optim::Adam opt(fusion->parameters(), torch::optim::AdamOptions(1e-3).weight_decay(1e-4));
        std::vector<int> order(fitPairs.size());
        std::iota(order.begin(), order.end(), 0);
        std::vector<int> cyv;
        for (const auto &pr : calPairs) cyv.push_back(pr.label);
        Snapshot best;
        EarlyStopping stop(p.patience, 1e-5);
        for (int epoch = 0; epoch < p.fusionEpochs; ++epoch) {
            fusion->train();
            std::shuffle(order.begin(), order.end(), rng);
            double lossSum = 0;
            for (size_t b = 0; b < order.size(); b += 256) {
                auto idx = torch::tensor(std::vector<int64_t>(order.begin() + b, order.begin() + std::min(order.size(), b + 256))).to(dev);
                auto logit = fusion->forward(fa.index_select(0, idx), fb.index_select(0, idx));
                auto loss = F::binary_cross_entropy_with_logits(logit, fy.index_select(0, idx));
                opt.zero_grad();
                loss.backward();
                opt.step();
                lossSum += loss.item<double>() * idx.numel();
            }
            result.fusionLoss.push_back(lossSum / order.size());
            fusion->eval();
            torch::NoGradGuard ng;
            const double auc = rocAuc(toVector(fusion->forward(ca, cb)), cyv);
            if (stop.update(auc, fusion, best)) break;
        }
        best.restore(*fusion);
        fusion->eval();
    }
    std::vector<int> cyv;
    for (const auto &pr : calPairs) cyv.push_back(pr.label);
    const auto fusedLogit = toVector(fusion->forward(ca, cb));
    const PlattScaling fusedCal = PlattScaling::fit(fusedLogit, cyv);
    std::vector<double> fusedProb;
    for (double l : fusedLogit) fusedProb.push_back(fusedCal.apply(l));
    const double fusedThr = youdenThreshold(fusedProb, cyv);
    if (!stage(QStringLiteral("fusion trained"))) return cancelledError(QStringLiteral("training"));

    // ---- write weights (as CPU tensors, loadable anywhere) ----
    image->to(torch::kCPU);
    vitals->to(torch::kCPU);
    fusion->to(torch::kCPU);
    {
        torch::serialize::OutputArchive root, a, b, c;
        image->save(a);
        vitals->save(b);
        fusion->save(c);
        root.write("image", a);
        root.write("vitals", b);
        root.write("fusion", c);
        root.save_to(QDir(p.outDir).filePath(bundle::kWeights).toStdString());
    }

    // ---- baselines (same training split) ----
    QJsonObject baselines;
    {
        std::vector<std::vector<float>> x;
        for (int i : fitIdx) x.push_back(thumbnailPixels(trainImgs->frames[i], nets::kImageSize));
        auto bi = trainBaselines(x, fitY, p.outDir, QStringLiteral("baseline_image"), 1000, p.seed);
        if (!bi) return bi.error();
        baselines.insert("image", bi.value());
        std::vector<std::vector<float>> xv;
        std::vector<int> yv;
        const int Fc = norm.featureCount();
        for (size_t s = 0; s < trainT.size(); ++s) {
            const auto &st = trainT[s];
            auto xc = st.x.contiguous();
            for (int h = 0; h < st.hours; ++h) {
                xv.emplace_back(xc.data_ptr<float>() + std::ptrdiff_t(h) * Fc, xc.data_ptr<float>() + std::ptrdiff_t(h + 1) * Fc);
                yv.push_back(int(st.y[h].item<float>()));
            }
        }
        auto bv = trainBaselines(xv, yv, p.outDir, QStringLiteral("baseline_vitals"), 4000, p.seed);
        if (!bv) return bv.error();
        baselines.insert("vitals", bv.value());
        std::vector<std::vector<float>> xh;
        std::vector<int> yh;
        for (size_t k = 0; k < std::min<size_t>(fitPairs.size(), 6000); ++k) {
            const auto &pr = fitPairs[k];
            auto c = thumbnailPixels(trainImgs->frames[fitIdx[pr.image]], nets::kImageSize);
            const auto &st = trainFull[pr.stay];
            auto xc = st.x.contiguous();
            c.insert(c.end(), xc.data_ptr<float>() + std::ptrdiff_t(pr.hour) * Fc, xc.data_ptr<float>() + std::ptrdiff_t(pr.hour + 1) * Fc);
            xh.push_back(std::move(c));
            yh.push_back(pr.label);
        }
        auto bh = trainBaselines(xh, yh, p.outDir, QStringLiteral("baseline_hybrid"), 1500, p.seed);
        if (!bh) return bh.error();
        baselines.insert("hybrid", bh.value());
    }
    if (!stage(QStringLiteral("baselines trained"))) return cancelledError(QStringLiteral("training"));

    // ---- manifest ----
    std::vector<std::vector<float>> fitFeatRows, trainHourRows;
    {
        auto ff = fitFeatT.to(torch::kCPU).contiguous();
        for (int64_t i = 0; i < ff.size(0); ++i) fitFeatRows.emplace_back(ff[i].data_ptr<float>(), ff[i].data_ptr<float>() + ff.size(1));
        for (const auto &sf : trainFeat)
            for (size_t o = 0; o + size_t(vitalsFeatures) <= sf.size(); o += size_t(vitalsFeatures))
                trainHourRows.emplace_back(sf.begin() + std::ptrdiff_t(o), sf.begin() + std::ptrdiff_t(o + vitalsFeatures));
    }
    QJsonObject files;
    for (const QString &f : QDir(p.outDir).entryList({QStringLiteral("*.pt"), QStringLiteral("*.yml.gz")}, QDir::Files, QDir::Name))
        files.insert(f, sha256OfFile(QDir(p.outDir).filePath(f)));
    const RuntimeInfo rt = runtimeInfo();
    QJsonObject manifest{
        {"format", bundle::kFormat},
        {"name", "clinsight-hybrid"},
        // ClinSight version + the commit that trained it: a new training program gives a new model version.
        {"version", QStringLiteral("%1-%2").arg(clinsightVersion(), p.commit.left(7).isEmpty() ? QStringLiteral("local") : p.commit.left(7))},
        {"created", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {"intended_use", "Research and decision support only - not a diagnosis. Flags chest radiographs suggestive of "
                         "pneumonia and ICU hours at risk of sepsis within 6 hours, for a clinician to review."},
        {"files", files},
        {"training", QJsonObject{
            {"command", p.command}, {"commit", p.commit}, {"seed", double(p.seed)}, {"threads", threads},
            {"clinsight", clinsightVersion()}, {"libtorch", rt.libtorch}, {"device", QString::fromStdString(dev.str())},
            {"seconds", clock.elapsed() / 1000.0},
            {"validation_fraction", p.validationFraction}, {"test_fraction", p.testFraction},
            {"max_stays", p.maxStays}, {"max_train_hours", p.maxTrainHours},
            {"optimizer", "Adam, L2 weight decay (image 1e-4, vitals 1e-5, fusion 1e-4), dropout 0.3, early stopping on validation AUROC"},
            {"image_epochs_run", int(result.imageLoss.size())}, {"vitals_epochs_run", int(result.vitalsLoss.size())},
            {"fusion_epochs_run", int(result.fusionLoss.size())},
            {"vitals_pos_weight", vitalsPosWeight},
        }},
        {"image", QJsonObject{
            {"architecture", "CNN: 3 blocks of 2x(conv3x3-BN-ReLU) (16, 32, 64 channels), max-pool after blocks 1-2, global average pool -> 64-d feature -> dropout -> linear -> logit"},
            {"input", QJsonObject{{"size", nets::kImageSize}, {"channels", 1},
                                  {"preprocessing", "displayed frame (modality LUT, file's default VOI, presentation LUT) as 8-bit grey, resized to 28x28 with area interpolation (aspect ratio not kept), /255, then (x - mean) / std"},
                                  {"mean", pixMean}, {"std", pixStd}}},
            {"output", "calibrated probability that the chest radiograph shows pneumonia"},
            {"applicability", QJsonObject{{"modalities", QJsonArray{"CR", "DX"}}, {"body_parts", QJsonArray{"CHEST", "THORAX", "(empty)"}},
                                          {"photometric", "greyscale"}, {"png", "PNG/JPEG files are taken as chest radiographs"}}},
            {"data", QJsonObject{{"train", p.imagesTrainDir}, {"validation", p.imagesValDir},
                                 {"fit_images", int(fitIdx.size())}, {"calibration_images", int(calIdx.size())},
                                 {"source", "PneumoniaMNIST (MedMNIST v2; Kermany et al. 2018 paediatric chest X-rays), CC BY 4.0"}}},
            {"calibration", plattJson(imageCal)}, {"threshold", imageThr},
            {"threshold_rule", "Youden's J on the calibration images (10% of the training folder, never trained on)"},
        }},
        {"vitals", QJsonObject{
            {"architecture", QStringLiteral("LSTM (%1 hidden) over hourly features with causal additive attention (score v.tanh(W h_s), softmax over hours s <= t); feature [context_t, h_t] (%2-d) -> dropout -> linear -> logit per hour").arg(p.vitalsHidden).arg(vitalsFeatures)},
            {"hidden", p.vitalsHidden},
            {"normalization", norm.toJson()},
            {"output", "calibrated probability, at each hour, that the PhysioNet 2019 SepsisLabel is 1 (sepsis onset within the next 6 hours or ongoing)"},
            {"applicability", "adult ICU stays with hourly vitals; any importer's record is accepted, missing variables are reported"},
            {"data", QJsonObject{{"folder", p.vitalsDir}, {"train_stays", int(trainNames.size())}, {"validation_stays", int(valNames.size())},
                                 {"test_stays", int(split.test.size())},
                                 {"split", "sorted .psv names shuffled with the seed, then test and validation fractions cut off; by stay"},
                                 {"source", "PhysioNet/CinC Challenge 2019 training set B (Reyna et al. 2020), CC BY 4.0"}}},
            {"calibration", plattJson(vitalsCal)}, {"threshold", vitalsThr},
            {"threshold_rule", "Youden's J over validation-stay hours"},
        }},
        {"fusion", QJsonObject{
            {"architecture", QStringLiteral("concat(image 64-d, vitals %1-d at the hour) -> linear 32 -> ReLU -> dropout -> linear -> logit").arg(vitalsFeatures)},
            {"pairing", "No public data set pairs images with vitals. Pairs are built by label from unrelated images and ICU hours, a quarter from each stratum (pneumonia yes/no x sepsis-labelled hour yes/no); a pair is positive when either label is (pneumonia or sepsis within 6 h), so 75% of pairs are positive. The fused risk therefore estimates 'pneumonia on the film or sepsis in the vitals' on synthetic pairs with balanced strata: its calibration and thresholds do not transfer to a real ward's prevalence, and no interaction between the two findings in one patient could be learned."},
            {"train_pairs", int(fitPairs.size())}, {"calibration_pairs", int(calPairs.size())},
            {"image_feature_mean", meanOf(fitFeatRows, nets::kImageFeatures)},
            {"vitals_feature_mean", meanOf(trainHourRows, vitalsFeatures)},
            {"share_rule", "each branch's share = |fused logit - fused logit with that branch's feature replaced by its training mean|, normalised over both branches"},
            {"calibration", plattJson(fusedCal)}, {"threshold", fusedThr},
        }},
        {"baselines", baselines},
        {"licences", QJsonArray{"PneumoniaMNIST: CC BY 4.0 (MedMNIST v2, Yang et al. 2023; Kermany et al. 2018)",
                                "PhysioNet 2019 Challenge: CC BY 4.0 (Reyna et al., Crit Care Med 2020)"}},
    };
    auto writeManifest = [&](const QJsonObject &m) {
        QFile f(QDir(p.outDir).filePath(bundle::kManifest));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
        return f.write(QJsonDocument(m).toJson(QJsonDocument::Indented)) > 0;
    };
    if (!writeManifest(manifest))
        return makeError(Error::Code::Io, QDir(p.outDir).filePath(bundle::kManifest), {}, QStringLiteral("cannot write"));

    // ---- measure the written bundle exactly as `evaluate` will ----
    auto model = HybridModel::load(p.outDir);
    if (!model) return model.error();
    EvaluationParams ep;
    ep.imagesDir = p.imagesValDir;
    ep.vitalsDir = p.vitalsDir;
    ep.vitalsTestSplitOnly = true;
    ep.maxStays = p.maxStays > 0 ? std::max(2, int(p.maxStays * p.testFraction)) : 0;
    ep.seed = p.seed;
    auto ev = evaluateModel(model.value(), ep, sub);
    if (!ev) return ev.error();
    QJsonObject ev2 = ev.value();
    ev2.insert("command", QStringLiteral("clinsight-cli evaluate --model %1 --images %2 --vitals %3%4")
                              .arg(p.outDir, p.imagesValDir, p.vitalsDir,
                                   ep.maxStays ? QStringLiteral(" --max-stays %1").arg(ep.maxStays) : QString()));
    manifest.insert("evaluation", ev2);
    QJsonObject tr = manifest.value("training").toObject();
    tr.insert("seconds", clock.elapsed() / 1000.0);
    manifest.insert("training", tr);
    if (!writeManifest(manifest))
        return makeError(Error::Code::Io, QDir(p.outDir).filePath(bundle::kManifest), {}, QStringLiteral("cannot write"));
    auto card = writeModelCard(p.outDir, manifest);
    if (!card) return card.error();
    stage(QStringLiteral("evaluated"));
    result.bundleDir = p.outDir;
    result.manifest = manifest;
    result.seconds = clock.elapsed() / 1000.0;
    return result;
}

} // namespace cs
