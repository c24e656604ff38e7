#pragma once
// Private (training): fitting the hybrid model's three networks. Each branch
// fitter runs the one early-stopping loop below: train an epoch, score the
// validation data (AUROC, higher is better), keep the best weights, stop
// after `patience` epochs without improvement or when cancelled. LibTorch.
#include "networks_p.h"

#include "clinsight/foundation/job.h"
#include "clinsight/training/alerting.h"
#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <functional>
#include <random>
#include <vector>

namespace cs::fit {

struct LoopResult {
    std::vector<double> loss;   // training loss per epoch run
    double bestScore = -1;      // best validation AUROC
    bool cancelled = false;
    bool stoppedEarly = false;  // stopNow() ended it (time budget)
    int bestEpoch = 0;          // 1-based epoch whose weights were kept
};

struct LoopSettings {
    int maxEpochs = 1;
    int patience = 5;
    double minDelta = 1e-4;
    const char *label = "";     // progress lines on stderr ("vitals"); empty: silent
    const char *metric = "AUROC";  // what validate() returns, for those lines
};

// trainEpoch() runs in train mode and returns the epoch's mean loss; validate()
// runs in eval mode without gradients. The best weights are restored at the end;
// stopNow(), when given, is asked after each epoch (a time budget).
LoopResult earlyStoppingLoop(torch::nn::Module &net, const LoopSettings &s, const std::function<double()> &trainEpoch,
                             const std::function<double()> &validate, JobControl &control,
                             const std::function<bool()> &stopNow = {});

std::vector<double> toVector(const torch::Tensor &t);

// ---- image branch ----
struct ImageSplit {
    torch::Tensor pixels;                // (N,1,224,224) network input pixels 0..1 of every image, CPU
    std::vector<int> labels;
    std::vector<int> fitIdx, calIdx;     // trained on / validation (early stopping, calibration, thresholds)
    double pixelMean = 0.5, pixelStd = 0.25;
};
// Normalised network input of the given images (no augmentation).
torch::Tensor imageBatch(const ImageSplit &d, const std::vector<int> &idx, const torch::Device &dev);
// {features (N,128), logits (N)} of the given images, eval mode, in chunks.
std::pair<torch::Tensor, torch::Tensor> imageForward(nets::ImageNet &net, const ImageSplit &d, const std::vector<int> &idx,
                                                     const torch::Device &dev);
// Radiograph augmentation on 0..1 pixels (B,1,H,W): rotation +-7 degrees,
// scale 0.9-1.1, shift +-6%, contrast 0.85-1.15, brightness +-0.08; no flips
// (a mirrored chest shows dextrocardia). Deterministic for the generator state.
torch::Tensor augmentRadiographs(const torch::Tensor &pixels, std::mt19937_64 &rng);
struct ImageFitSettings {
    int batch = 32;
    double learningRate = 1e-3;          // AdamW, cosine decay to 0 over maxEpochs
    double weightDecay = 1e-4;
    double maxMinutes = 0;               // stop after the epoch that passes this wall time (0: no limit)
};
// Positives weighted by negatives/positives; early stopping on validation AUROC.
LoopResult fitImageBranch(nets::ImageNet &net, const ImageSplit &d, const LoopSettings &s, const ImageFitSettings &is,
                          std::mt19937_64 &rng, const torch::Device &dev, JobControl &control);

// ---- vitals branch ----
// Per-stay model input, truncated for training to maxHours.
struct StayTensor { torch::Tensor x; torch::Tensor y; int hours; };
// Stays without hours are skipped; inputs are built in parallel.
std::vector<StayTensor> stayTensors(const std::vector<VitalsTimeline> &stays, const FeatureNormalization &n, int maxHours);
// The first maxHours of each (views, no copy).
std::vector<StayTensor> truncated(const std::vector<StayTensor> &full, int maxHours);
// Logits (with labels) and features of every hour of every stay (eval mode, no grad).
void runVitals(nets::VitalsNet &net, const std::vector<StayTensor> &s, std::vector<double> *logits, std::vector<int> *labels,
               std::vector<std::vector<float>> *featuresPerStay);
// The same logits per stay, with their labels.
void runVitalsSeries(nets::VitalsNet &net, const std::vector<StayTensor> &s, std::vector<StaySeries> &out);
// How the vitals branch is fitted.
struct VitalsObjective {
    bool utility = false;       // true: per-hour targets and weights from the PhysioNet utility (utilityTrainingTargets);
                                // false: SepsisLabel as target, positives weighted posWeight
    double posWeight = 1;       // the label objective's
    double weightDecay = 1e-4;  // Adam's
    double inputDropout = 0;    // > 0: in training, each input value of each hour is zeroed with this probability
                                // (not rescaled: 0 is the training mean of a z-scored value, "not measured" of a mask)
    double emaDecay = 0;        // > 0: validation, early stopping and the result use an exponential moving average of the
                                // weights (per batch, warm-up min(decay, (1+n)/(10+n))); 0: the raw weights
};
// Adam (1e-3 with cosine decay over maxEpochs), batches of 32 stays of similar
// length, hour-masked weighted BCE, gradient clipping at 5; early stopping on
// the validation stays' normalised PhysioNet utility at its best threshold.
LoopResult fitVitalsBranch(nets::VitalsNet &net, const std::vector<StayTensor> &train, const std::vector<StayTensor> &val,
                           const VitalsObjective &objective, const LoopSettings &s, std::mt19937_64 &rng, const torch::Device &dev,
                           JobControl &control);
// Adam's weight decay of each vitals layout (the query layout overfits with the additive one's).
inline double vitalsWeightDecay(nets::VitalsLayout l) { return l == nets::VitalsLayout::Query ? 1e-4 : 1e-5; }

// ---- fusion head ----
struct PairTensors { torch::Tensor image, vitals, label; };
// Adam (1e-3, weight decay 1e-4), batches of 256 pairs.
LoopResult fitFusion(nets::FusionNet &net, const PairTensors &fit, const PairTensors &cal, const std::vector<int> &calLabels,
                     const LoopSettings &s, std::mt19937_64 &rng, const torch::Device &dev, JobControl &control);

} // namespace cs::fit
