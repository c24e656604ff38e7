// Loading and running the hybrid model bundle. A LibTorch translation unit
// (uses the model's precompiled torch header).
#include "bundle_p.h"
#include "gradcam_p.h"
#include "hybridmodel_p.h"
#include "networks_p.h"
#include "torchruntime_p.h"

#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/filehash.h"
#include "clinsight/model/applicability.h"
#include "clinsight/model/calibration.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/vitalsinput.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <mutex>
#include <numeric>

namespace cs {

TorchRuntime torchRuntime()
{
    TorchRuntime r;
    r.version = QStringLiteral(TORCH_VERSION);
    r.cudaAvailable = torch::cuda::is_available();
    r.cudaDevices = r.cudaAvailable ? int(torch::cuda::device_count()) : 0;
    r.cpuThreads = at::get_num_threads();
    return r;
}

namespace {
void useAllCores()
{
    static std::once_flag once;
    std::call_once(once, [] { torch::set_num_threads(std::max(1, QThread::idealThreadCount())); });
}
} // namespace


HybridModel::HybridModel(std::shared_ptr<Impl> d) : d(std::move(d)) {}
HybridModel::~HybridModel() = default;

static torch::Tensor rowTensor(const std::vector<float> &v)
{
    return torch::tensor(v).unsqueeze(0);
}

Result<HybridModel> HybridModel::load(const QString &dirIn, Device device, Signature signature)
{
    auto settings = bundle::readVerifiedBundle(dirIn, signature == Signature::Required);
    if (!settings) return settings.error();
    const bundle::Settings &s = settings.value();
    const QString dir = s.dir, manifestPath = s.manifestPath;
    const QString layout = s.manifest.value(QLatin1String("image")).toObject().value(QLatin1String("layout")).toString();
    if (layout != QLatin1String(nets::kImageArchitecture))
        return makeError(Error::Code::Format, manifestPath, QStringLiteral("image.layout"),
                         QStringLiteral("image network '%1' is not the one this build runs (%2): retrain the bundle with this version")
                             .arg(layout.isEmpty() ? QStringLiteral("(none: a 28 px bundle)") : layout, QLatin1String(nets::kImageArchitecture)));
    auto d = std::make_shared<Impl>();
    d->dir = dir;
    d->manifest = s.manifest;
    d->norm = s.norm;
    d->imageCal = s.imageCal;
    d->vitalsCal = s.vitalsCal;
    d->fusedCal = s.fusedCal;
    d->thr = s.thresholds;
    d->pixelMean = s.pixelMean;
    d->pixelStd = s.pixelStd;
    d->signature = s.signature;
    try {
        useAllCores();
        d->image = nets::ImageNet();
        d->vitals = nets::VitalsNet(d->norm.featureCount(), s.vitalsHidden, s.vitalsLayout);
        d->fusion = nets::FusionNet(d->vitals->featureSize());
        torch::serialize::InputArchive root, a, b, c;
        root.load_from((dir + '/' + bundle::kWeights).toStdString());
        root.read("image", a);
        root.read("vitals", b);
        root.read("fusion", c);
        d->image->load(a);
        d->vitals->load(b);
        d->fusion->load(c);
        d->imageBaseline = rowTensor(s.imageFeatureMean);
        d->vitalsBaseline = rowTensor(s.vitalsFeatureMean);
        if (d->imageBaseline.size(1) != nets::kImageFeatures || d->vitalsBaseline.size(1) != d->vitals->featureSize())
            return makeError(Error::Code::Format, manifestPath, QStringLiteral("fusion.*_feature_mean"), QStringLiteral("wrong length"));
        if (device == Device::Automatic && torch::cuda::is_available() && !env::forceCpu()) {
            d->device = torch::Device(torch::kCUDA, 0);
            nets::useReproducibleCudaNumerics();
        }
        d->image->to(d->device);
        d->vitals->to(d->device);
        d->fusion->to(d->device);
        d->imageBaseline = d->imageBaseline.to(d->device);
        d->vitalsBaseline = d->vitalsBaseline.to(d->device);
        d->image->eval();
        d->vitals->eval();
        d->fusion->eval();
    } catch (const std::exception &e) {
        return makeError(Error::Code::Format, dir + '/' + bundle::kWeights, {},
                         QStringLiteral("weights do not load into the networks: %1").arg(QString::fromUtf8(e.what()).section('\n', 0, 0)));
    }
    return HybridModel(std::move(d));
}

QString HybridModel::name() const { return d->manifest.value(QLatin1String("name")).toString(); }
QString HybridModel::version() const { return d->manifest.value(QLatin1String("version")).toString(); }
QString HybridModel::bundleDir() const { return d->dir; }
QString HybridModel::modelCardPath() const { return d->dir + '/' + bundle::kModelCard; }
BundleSignature HybridModel::signature() const { return d->signature; }
const QJsonObject &HybridModel::manifest() const { return d->manifest; }
ModelThresholds HybridModel::thresholds() const { return d->thr; }
QString HybridModel::device() const { return QString::fromStdString(d->device.str()); }
const FeatureNormalization &HybridModel::normalization() const { return d->norm; }

torch::Tensor HybridModel::Impl::imageTensor(const std::vector<const DisplayFrame *> &frames) const
{
    return nets::imageInput(frames, pixelMean, pixelStd, device);
}

Result<ImageRisk> HybridModel::scoreImage(const DisplayFrame &frame, const DicomInstanceInfo *info, bool withGradCam) const
{
    ImageRisk r;
    if (info && !imageBranchApplies(*info, &r.notApplicableReason))
        return r;
    if (frame.width <= 0 || frame.height <= 0)
        return makeError(Error::Code::Invalid, info ? info->path : QString(), {}, QStringLiteral("empty frame"));
    r.applicable = true;
    std::lock_guard<std::mutex> lock(d->mutex);
    try {
        auto x = d->imageTensor({&frame});
        if (withGradCam) {
            GradCamResult cam = gradCam(d->image, x);
            r.gradCam.values = std::move(cam.grid);
            r.gradCam.gridWidth = cam.gridWidth;
            r.gradCam.gridHeight = cam.gridHeight;
            r.gradCam.frameWidth = frame.width;
            r.gradCam.frameHeight = frame.height;
            r.logit = cam.logit.item<double>();
            auto fc = cam.feature.to(torch::kCPU).contiguous();
            r.feature.assign(fc.data_ptr<float>(), fc.data_ptr<float>() + fc.numel());
        } else {
            torch::NoGradGuard ng;
            auto [feature, logit] = d->image->forward(x);
            r.logit = logit.item<double>();
            auto fc = feature.to(torch::kCPU).contiguous();
            r.feature.assign(fc.data_ptr<float>(), fc.data_ptr<float>() + fc.numel());
        }
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, info ? info->path : QString(), {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    r.risk = d->imageCal.apply(r.logit);
    r.alert = r.risk >= d->thr.image;
    return r;
}

Result<std::vector<double>> HybridModel::scoreImages(const std::vector<DisplayFrame> &frames) const
{
    std::vector<double> out;
    std::lock_guard<std::mutex> lock(d->mutex);
    try {
        torch::NoGradGuard ng;
        // Small chunks: a chunk's activations (the stem's are 16 x 1.2 MB) stay in memory the
        // allocator keeps and in cache; 256 at once were 300 MB per layer, mapped and faulted in
        // for every layer: 6.5 against 2.4 ms per image on 2 cores, measured with the same library
        // and network in Python; ClinSight's batch went from 104 to 139 images/s with this alone.
        constexpr size_t kChunk = 16;
        for (size_t start = 0; start < frames.size(); start += kChunk) {
            std::vector<const DisplayFrame *> chunk;
            for (size_t i = start; i < std::min(frames.size(), start + kChunk); ++i) chunk.push_back(&frames[i]);
            auto logits = d->image->forward(d->imageTensor(chunk)).second.to(torch::kCPU).contiguous();
            for (int64_t i = 0; i < logits.numel(); ++i) out.push_back(d->imageCal.apply(logits[i].item<double>()));
        }
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, {}, {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    return out;
}

Result<std::vector<VitalsRisk>> HybridModel::scoreVitalsBatch(const std::vector<VitalsTimeline> &records) const
{
    std::vector<VitalsRisk> out(records.size());
    std::vector<std::vector<float>> feats(records.size());
    std::vector<int> hours(records.size());
    std::vector<size_t> all(records.size());
    std::iota(all.begin(), all.end(), 0);
    // Read-only copies for the worker threads: iterating d->norm.variables through the
    // non-const pointer would detach the shared list from several threads at once.
    const FeatureNormalization norm = d->norm;
    const QStringList variables = norm.variables;
    // The one causal input builder, records in parallel (each writes only its own slots), on
    // the model's own pool: callers run on the global pool (the workstation's jobs), and a
    // blocking map there deadlocked once two jobs held all of a 2-core machine's pool threads.
    static QThreadPool inputPool;
    QtConcurrent::blockingMap(&inputPool, all, [&](size_t i) {
        VitalsInput in = vitalsModelInput(records[i], norm);
        hours[i] = in.hours;
        feats[i] = std::move(in.features);
        for (const QString &v : variables)
            if (records[i].sampleCount(v) == 0) out[i].missingVariables << v;
        out[i].inputNotes = modelInputNotes(records[i]);
        if (in.hours == 0) out[i].notApplicableReason = QStringLiteral("no hourly vitals in this record");
    });
    std::vector<size_t> order(records.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return hours[a] < hours[b]; });
    const int F = d->norm.featureCount();
    std::lock_guard<std::mutex> lock(d->mutex);
    try {
        torch::NoGradGuard ng;
        constexpr size_t kBatch = 64;
        for (size_t s = 0; s < order.size(); s += kBatch) {
            std::vector<size_t> idx(order.begin() + s, order.begin() + std::min(order.size(), s + kBatch));
            int T = 0;
            for (size_t i : idx) T = std::max(T, hours[i]);
            if (T == 0) continue;
            auto x = torch::zeros({int64_t(idx.size()), T, F});
            for (size_t k = 0; k < idx.size(); ++k)
                if (hours[idx[k]] > 0)
                    std::memcpy(x[int64_t(k)].data_ptr<float>(), feats[idx[k]].data(), sizeof(float) * feats[idx[k]].size());
            torch::Tensor attn;
            auto [feature, logit] = d->vitals->forward(x.to(d->device), &attn);
            logit = logit.to(torch::kCPU).contiguous();
            feature = feature.to(torch::kCPU);
            attn = attn.to(torch::kCPU);
            for (size_t k = 0; k < idx.size(); ++k) {
                VitalsRisk &r = out[idx[k]];
                const int H = hours[idx[k]];
                if (H == 0) continue;
                r.applicable = true;
                r.hours = H;
                const float *lp = logit[int64_t(k)].data_ptr<float>();
                for (int h = 0; h < H; ++h) {
                    r.logitPerHour.push_back(lp[h]);
                    const double p = d->vitalsCal.apply(lp[h]);
                    r.riskPerHour.push_back(p);
                    r.alertPerHour.push_back(p >= d->thr.vitals ? 1 : 0);
                }
                auto a = attn[int64_t(k)][H - 1].slice(0, 0, H).contiguous();
                r.attention.assign(a.data_ptr<float>(), a.data_ptr<float>() + H);
                auto f = feature[int64_t(k)][H - 1].contiguous();
                r.lastFeature.assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
            }
        }
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, {}, {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    return out;
}

Result<VitalsRisk> HybridModel::scoreVitals(const VitalsTimeline &t) const
{
    auto r = scoreVitalsBatch({t});
    if (!r) {
        Error e = r.error();
        e.file = t.sourceFile;
        return e;
    }
    return r->front();
}

FusedRisk HybridModel::fuse(const ImageRisk &image, const VitalsRisk &vitals) const
{
    FusedRisk f;
    if (!image.applicable) {
        f.unavailableReason = QStringLiteral("image branch not applicable: ") + image.notApplicableReason;
        return f;
    }
    if (!vitals.applicable) {
        f.unavailableReason = QStringLiteral("vitals branch not applicable: ") + vitals.notApplicableReason;
        return f;
    }
    if (image.feature.size() != size_t(nets::kImageFeatures) || vitals.lastFeature.size() != size_t(d->vitals->featureSize())) {
        f.unavailableReason = QStringLiteral("branch features missing");
        return f;
    }
    std::lock_guard<std::mutex> lock(d->mutex);
    torch::NoGradGuard ng;
    auto img = torch::tensor(image.feature).unsqueeze(0).to(d->device);
    auto vit = torch::tensor(vitals.lastFeature).unsqueeze(0).to(d->device);
    const double full = d->fusion->forward(img, vit).item<double>();
    // Share of each branch: how far the fused logit moves when that branch's
    // feature is replaced by its training mean (the other kept).
    const double noImage = d->fusion->forward(d->imageBaseline, vit).item<double>();
    const double noVitals = d->fusion->forward(img, d->vitalsBaseline).item<double>();
    const double di = std::abs(full - noImage), dv = std::abs(full - noVitals);
    f.available = true;
    f.risk = d->fusedCal.apply(full);
    f.alert = f.risk >= d->thr.fused;
    f.imageShare = di + dv > 0 ? di / (di + dv) : 0.5;
    f.vitalsShare = 1.0 - f.imageShare;
    return f;
}

} // namespace cs
