// Branch fitters and the early-stopping loop they share. A LibTorch
// translation unit (uses the model's precompiled torch header).
#include "fitting_p.h"

#include "clinsight/training/metrics.h"
#include "clinsight/training/alerting.h"
#include "clinsight/model/vitalsinput.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <QtConcurrent/QtConcurrentMap>
#include <QElapsedTimer>
#include <cmath>

namespace cs::fit {

namespace F = torch::nn::functional;

namespace {

// The weights of the best epoch so far.
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
        for (size_t i = 0; i < ps.size() && i < params.size(); ++i) ps[i].copy_(params[i]);
        for (size_t i = 0; i < bs.size() && i < buffers.size(); ++i) bs[i].copy_(buffers[i]);
    }
};

// Padded batch: x (B,T,F), y (B,T), mask (B,T).
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> padBatch(const std::vector<StayTensor> &s, const std::vector<int> &idx,
                                                                const torch::Device &dev)
{
    int T = 0;
    for (int i : idx) T = std::max(T, s[size_t(i)].hours);
    const int64_t Fc = s[size_t(idx[0])].x.size(1);
    auto x = torch::zeros({int64_t(idx.size()), T, Fc});
    auto y = torch::zeros({int64_t(idx.size()), T});
    auto m = torch::zeros({int64_t(idx.size()), T});
    for (size_t k = 0; k < idx.size(); ++k) {
        const auto &st = s[size_t(idx[k])];
        x[int64_t(k)].slice(0, 0, st.hours).copy_(st.x);
        y[int64_t(k)].slice(0, 0, st.hours).copy_(st.y);
        m[int64_t(k)].slice(0, 0, st.hours).fill_(1);
    }
    return {x.to(dev), y.to(dev), m.to(dev)};
}

} // namespace

std::vector<double> toVector(const torch::Tensor &t)
{
    auto c = t.detach().to(torch::kCPU).to(torch::kDouble).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

LoopResult earlyStoppingLoop(torch::nn::Module &net, const LoopSettings &s, const std::function<double()> &trainEpoch,
                             const std::function<double()> &validate, JobControl &control, const std::function<bool()> &stopNow)
{
    LoopResult r;
    Snapshot best;
    int sinceBest = 0;
    for (int epoch = 0; epoch < s.maxEpochs; ++epoch) {
        net.train();
        const double loss = trainEpoch();
        if (control.isCancelled()) { r.cancelled = true; break; }
        r.loss.push_back(loss);
        net.eval();
        double score = 0;
        {
            torch::NoGradGuard ng;
            score = validate();
        }
        if (*s.label)
            std::fprintf(stderr, "[train] %s epoch %d loss %.4f validation %s %.4f\n", s.label, epoch + 1, loss, s.metric, score);
        if (score > r.bestScore + s.minDelta) {
            r.bestScore = score;
            best.take(net);
            r.bestEpoch = epoch + 1;
            sinceBest = 0;
        } else if (++sinceBest >= s.patience) {
            break;
        }
        if (stopNow && stopNow()) { r.stoppedEarly = true; break; }
        if (control.isCancelled()) { r.cancelled = true; break; }
    }
    if (!best.params.empty()) best.restore(net);
    net.eval();
    return r;
}

torch::Tensor imageBatch(const ImageSplit &d, const std::vector<int> &idx, const torch::Device &dev)
{
    auto sel = d.pixels.index_select(0, torch::tensor(std::vector<int64_t>(idx.begin(), idx.end())));
    return nets::normalizeImage(sel, d.pixelMean, d.pixelStd).to(dev);
}

std::pair<torch::Tensor, torch::Tensor> imageForward(nets::ImageNet &net, const ImageSplit &d, const std::vector<int> &idx,
                                                     const torch::Device &dev)
{
    torch::NoGradGuard ng;
    net->eval();
    std::vector<torch::Tensor> feats, logits;
    for (size_t b = 0; b < idx.size(); b += 64) {
        std::vector<int> part(idx.begin() + std::ptrdiff_t(b), idx.begin() + std::ptrdiff_t(std::min(idx.size(), b + 64)));
        auto [f, l] = net->forward(imageBatch(d, part, dev));
        feats.push_back(f);
        logits.push_back(l);
    }
    if (feats.empty()) return {torch::empty({0, nets::kImageFeatures}).to(dev), torch::empty({0}).to(dev)};
    return {torch::cat(feats, 0), torch::cat(logits, 0)};
}

torch::Tensor augmentRadiographs(const torch::Tensor &pixels, std::mt19937_64 &rng)
{
    const int64_t B = pixels.size(0);
    std::uniform_real_distribution<double> rot(-7.0, 7.0), scale(0.9, 1.1), shift(-0.12, 0.12), contrast(0.85, 1.15),
        bright(-0.08, 0.08);
    auto theta = torch::empty({B, 2, 3});
    auto gain = torch::empty({B, 1, 1, 1});
    auto offset = torch::empty({B, 1, 1, 1});
    auto th = theta.accessor<float, 3>();
    for (int64_t i = 0; i < B; ++i) {
        const double a = rot(rng) * M_PI / 180.0, s = scale(rng);
        const double tx = shift(rng), ty = shift(rng);   // normalised coordinates span 2: 0.12 = 6%
        th[i][0][0] = float(std::cos(a) / s); th[i][0][1] = float(-std::sin(a) / s); th[i][0][2] = float(tx);
        th[i][1][0] = float(std::sin(a) / s); th[i][1][1] = float(std::cos(a) / s);  th[i][1][2] = float(ty);
        gain[i].fill_(contrast(rng));
        offset[i].fill_(bright(rng));
    }
    theta = theta.to(pixels.device());
    auto grid = F::affine_grid(theta, pixels.sizes().vec(), false);
    auto warped = F::grid_sample(pixels, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros)
                                                   .align_corners(false));
    return ((warped - 0.5) * gain.to(pixels.device()) + 0.5 + offset.to(pixels.device())).clamp(0, 1);
}

LoopResult fitImageBranch(nets::ImageNet &net, const ImageSplit &d, const LoopSettings &s, const ImageFitSettings &is,
                          std::mt19937_64 &rng, const torch::Device &dev, JobControl &control)
{
    double pos = 0;
    for (int i : d.fitIdx) pos += d.labels[size_t(i)];
    const double neg = double(d.fitIdx.size()) - pos;
    auto posWeight = torch::tensor({float(neg / std::max(1.0, pos))}).to(dev);  // balances the classes
    torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(is.learningRate).weight_decay(is.weightDecay));
    std::vector<int> calY;
    for (int i : d.calIdx) calY.push_back(d.labels[size_t(i)]);
    std::vector<int> order = d.fitIdx;
    QElapsedTimer clock;
    clock.start();
    int epoch = 0;
    auto trainEpoch = [&] {
        // cosine learning-rate decay over the epoch budget
        const double lr = is.learningRate * 0.5 * (1 + std::cos(M_PI * epoch / std::max(1, s.maxEpochs)));
        for (auto &g : opt.param_groups()) static_cast<torch::optim::AdamWOptions &>(g.options()).lr(lr);
        ++epoch;
        std::shuffle(order.begin(), order.end(), rng);
        double lossSum = 0;
        for (size_t b = 0; b < order.size(); b += size_t(is.batch)) {
            std::vector<int> idx(order.begin() + std::ptrdiff_t(b), order.begin() + std::ptrdiff_t(std::min(order.size(), b + size_t(is.batch))));
            if (idx.size() < 2) continue;   // batch norm needs two
            auto px = d.pixels.index_select(0, torch::tensor(std::vector<int64_t>(idx.begin(), idx.end()))).to(dev);
            auto x = nets::normalizeImage(augmentRadiographs(px, rng), d.pixelMean, d.pixelStd);
            std::vector<float> yv;
            for (int i : idx) yv.push_back(float(d.labels[size_t(i)]));
            auto y = torch::tensor(yv).to(dev);
            auto logit = net->forward(x).second;
            auto loss = F::binary_cross_entropy_with_logits(logit, y, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(posWeight));
            opt.zero_grad();
            loss.backward();
            opt.step();
            lossSum += loss.item<double>() * double(idx.size());
            if (control.isCancelled()) break;
        }
        return lossSum / double(order.size());
    };
    auto validate = [&] { return rocAuc(toVector(imageForward(net, d, d.calIdx, dev).second), calY); };
    auto outOfTime = [&] { return is.maxMinutes > 0 && clock.elapsed() > is.maxMinutes * 60000.0; };
    return earlyStoppingLoop(*net, s, trainEpoch, validate, control, outOfTime);
}

std::vector<StayTensor> stayTensors(const std::vector<VitalsTimeline> &stays, const FeatureNormalization &n, int maxHours)
{
    const int Fc = n.featureCount();
    std::vector<VitalsInput> inputs(stays.size());
    std::vector<size_t> idx(stays.size());
    std::iota(idx.begin(), idx.end(), 0);
    QtConcurrent::blockingMap(idx, [&](size_t i) { inputs[i] = vitalsModelInput(stays[i], n); });
    std::vector<StayTensor> out;
    for (size_t i = 0; i < stays.size(); ++i) {
        const auto &s = stays[i];
        auto &in = inputs[i];
        const int H = std::min(in.hours, maxHours > 0 ? maxHours : in.hours);
        if (H == 0) continue;
        StayTensor st;
        st.hours = H;
        st.x = torch::from_blob(in.features.data(), {in.hours, Fc}).slice(0, 0, H).clone();
        std::vector<float> y(static_cast<size_t>(H), 0.f);
        for (int h = 0; h < H; ++h) y[size_t(h)] = h < int(s.labels.size()) && s.labels[size_t(h)] == 1 ? 1.f : 0.f;
        st.y = torch::from_blob(y.data(), {H}).clone();
        out.push_back(std::move(st));
        in.features = {};
    }
    return out;
}

std::vector<StayTensor> truncated(const std::vector<StayTensor> &full, int maxHours)
{
    std::vector<StayTensor> out;
    for (const auto &s : full) {
        const int H = maxHours > 0 ? std::min(s.hours, maxHours) : s.hours;
        out.push_back({s.x.slice(0, 0, H), s.y.slice(0, 0, H), H});
    }
    return out;
}

void runVitalsSeries(nets::VitalsNet &net, const std::vector<StayTensor> &s, std::vector<StaySeries> &out)
{
    std::vector<double> l;
    std::vector<int> y;
    runVitals(net, s, &l, &y, nullptr);
    out.clear();
    size_t o = 0;
    for (const auto &st : s) {
        StaySeries ss;
        ss.score.assign(l.begin() + std::ptrdiff_t(o), l.begin() + std::ptrdiff_t(o + size_t(st.hours)));
        ss.label.assign(y.begin() + std::ptrdiff_t(o), y.begin() + std::ptrdiff_t(o + size_t(st.hours)));
        o += size_t(st.hours);
        out.push_back(std::move(ss));
    }
}

void runVitals(nets::VitalsNet &net, const std::vector<StayTensor> &s, std::vector<double> *logits, std::vector<int> *labels,
               std::vector<std::vector<float>> *featuresPerStay)
{
    torch::NoGradGuard ng;
    net->eval();
    std::vector<int> order(s.size());
    std::iota(order.begin(), order.end(), 0);
    if (featuresPerStay) featuresPerStay->assign(s.size(), {});
    for (size_t b = 0; b < order.size(); b += 64) {
        std::vector<int> idx(order.begin() + std::ptrdiff_t(b), order.begin() + std::ptrdiff_t(std::min(order.size(), b + 64)));
        auto [x, y, m] = padBatch(s, idx, net->parameters().front().device());
        auto [feat, logit] = net->forward(x);
        for (size_t k = 0; k < idx.size(); ++k) {
            const int H = s[size_t(idx[k])].hours;
            if (logits) {
                auto l = toVector(logit[int64_t(k)].slice(0, 0, H));
                logits->insert(logits->end(), l.begin(), l.end());
                auto yy = toVector(y[int64_t(k)].slice(0, 0, H));
                for (double v : yy) labels->push_back(int(v));
            }
            if (featuresPerStay) {
                auto f = feat[int64_t(k)].slice(0, 0, H).to(torch::kCPU).contiguous();
                (*featuresPerStay)[size_t(idx[k])].assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
            }
        }
    }
}

LoopResult fitVitalsBranch(nets::VitalsNet &net, const std::vector<StayTensor> &train, const std::vector<StayTensor> &val,
                           const VitalsObjective &objective, const LoopSettings &s, std::mt19937_64 &rng, const torch::Device &dev,
                           JobControl &control)
{
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3).weight_decay(objective.weightDecay));
    // Per-hour targets and loss weights of every training stay.
    std::vector<torch::Tensor> target(train.size()), weight(train.size());
    for (size_t i = 0; i < train.size(); ++i) {
        const auto &st = train[i];
        if (!objective.utility) {
            target[i] = st.y;
            weight[i] = 1 + st.y * (objective.posWeight - 1);
            continue;
        }
        std::vector<int> label;
        for (double v : toVector(st.y)) label.push_back(v > 0.5 ? 1 : 0);
        const UtilityTargets u = utilityTrainingTargets(label);
        target[i] = torch::tensor(u.target);
        weight[i] = torch::tensor(u.weight);
    }
    // The moving average of the weights; between epochs the network holds it, the raw weights wait in `raw`.
    std::vector<torch::Tensor> ema, raw;
    long steps = 0;
    if (objective.emaDecay > 0) {
        torch::NoGradGuard ng;
        for (const auto &q : net->parameters()) ema.push_back(q.detach().clone());
    }
    int epoch = 0;
    // Batches of similar length; their order is shuffled every epoch.
    std::vector<int> byLen(train.size());
    std::iota(byLen.begin(), byLen.end(), 0);
    std::stable_sort(byLen.begin(), byLen.end(), [&](int a, int b) { return train[size_t(a)].hours < train[size_t(b)].hours; });
    std::vector<std::vector<int>> batches;
    for (size_t b = 0; b < byLen.size(); b += 32)
        batches.emplace_back(byLen.begin() + std::ptrdiff_t(b), byLen.begin() + std::ptrdiff_t(std::min(byLen.size(), b + 32)));
    auto trainEpoch = [&] {
        auto params = net->parameters();
        if (!raw.empty()) {
            torch::NoGradGuard ng;
            for (size_t k = 0; k < params.size(); ++k) params[k].copy_(raw[k]);
        }
        // cosine learning-rate decay over the epoch budget
        const double lr = 1e-3 * 0.5 * (1 + std::cos(M_PI * epoch / std::max(1, s.maxEpochs)));
        for (auto &g : opt.param_groups()) static_cast<torch::optim::AdamOptions &>(g.options()).lr(lr);
        ++epoch;
        std::shuffle(batches.begin(), batches.end(), rng);
        double lossSum = 0, hoursSum = 0;
        for (const auto &idx : batches) {
            auto [x, y, m] = padBatch(train, idx, dev);
            auto t = torch::zeros_like(m), w = torch::zeros_like(m);
            for (size_t k = 0; k < idx.size(); ++k) {
                const int H = train[size_t(idx[k])].hours;
                t[int64_t(k)].slice(0, 0, H).copy_(target[size_t(idx[k])]);
                w[int64_t(k)].slice(0, 0, H).copy_(weight[size_t(idx[k])]);
            }
            if (objective.inputDropout > 0) x = x * torch::bernoulli(torch::full_like(x, 1 - objective.inputDropout));
            auto logit = net->forward(x).second;
            auto loss = F::binary_cross_entropy_with_logits(logit, t, F::BinaryCrossEntropyWithLogitsFuncOptions().weight(w * m).reduction(torch::kSum))
                        / m.sum();
            opt.zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(net->parameters(), 5.0);
            opt.step();
            if (!ema.empty()) {
                torch::NoGradGuard ng;
                const double d = std::min(objective.emaDecay, (1.0 + double(steps)) / (10.0 + double(steps)));
                for (size_t k = 0; k < params.size(); ++k) ema[k].mul_(d).add_(params[k].detach(), 1 - d);
                ++steps;
            }
            lossSum += loss.item<double>() * m.sum().item<double>();
            hoursSum += m.sum().item<double>();
            if (control.isCancelled()) break;
        }
        if (!ema.empty()) {   // validate (and keep, when best) the average
            torch::NoGradGuard ng;
            raw.clear();
            for (size_t k = 0; k < params.size(); ++k) {
                raw.push_back(params[k].detach().clone());
                params[k].copy_(ema[k]);
            }
        }
        return hoursSum > 0 ? lossSum / hoursSum : 0.0;
    };
    auto validate = [&] {
        // normalised PhysioNet utility at its best threshold on the validation stays
        std::vector<StaySeries> series;
        runVitalsSeries(net, val, series);
        double u = 0;
        utilityOptimalThreshold(series, &u);
        return u;
    };
    return earlyStoppingLoop(*net, s, trainEpoch, validate, control);
}

LoopResult fitFusion(nets::FusionNet &net, const PairTensors &fit, const PairTensors &cal, const std::vector<int> &calLabels,
                     const LoopSettings &s, std::mt19937_64 &rng, const torch::Device &dev, JobControl &control)
{
    torch::AutoGradMode grad(true);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3).weight_decay(1e-4));
    std::vector<int> order(size_t(fit.label.size(0)));
    std::iota(order.begin(), order.end(), 0);
    auto trainEpoch = [&] {
        std::shuffle(order.begin(), order.end(), rng);
        double lossSum = 0;
        for (size_t b = 0; b < order.size(); b += 256) {
            auto idx = torch::tensor(std::vector<int64_t>(order.begin() + std::ptrdiff_t(b),
                                                          order.begin() + std::ptrdiff_t(std::min(order.size(), b + 256)))).to(dev);
            auto logit = net->forward(fit.image.index_select(0, idx), fit.vitals.index_select(0, idx));
            auto loss = F::binary_cross_entropy_with_logits(logit, fit.label.index_select(0, idx));
            opt.zero_grad();
            loss.backward();
            opt.step();
            lossSum += loss.item<double>() * double(idx.numel());
        }
        return lossSum / double(order.size());
    };
    auto validate = [&] { return rocAuc(toVector(net->forward(cal.image, cal.vitals)), calLabels); };
    return earlyStoppingLoop(*net, s, trainEpoch, validate, control);
}

} // namespace cs::fit
