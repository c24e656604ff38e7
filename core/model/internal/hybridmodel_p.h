#pragma once
// Private: what a loaded HybridModel holds, shared by the runtime's LibTorch
// translation units (hybridmodel.cpp scores, gradcam.cpp explains).
#include "networks_p.h"

#include "clinsight/model/calibration.h"
#include "clinsight/model/hybridmodel.h"

#include <mutex>

namespace cs {

struct HybridModel::Impl {
    QString dir;
    QJsonObject manifest;
    nets::ImageNet image{nullptr};
    nets::VitalsNet vitals{nullptr};
    nets::FusionNet fusion{nullptr};
    torch::Device device{torch::kCPU};
    FeatureNormalization norm;
    PlattScaling imageCal, vitalsCal, fusedCal;
    ModelThresholds thr;
    double pixelMean = 0.5, pixelStd = 0.25;
    BundleSignature signature;
    torch::Tensor imageBaseline, vitalsBaseline;  // training means of the branch features
    mutable std::mutex mutex;
    // The same image network with freshly initialised weights (seeded), built on
    // first use: the model-randomisation sanity check of Grad-CAM (Adebayo et al. 2018).
    mutable nets::ImageNet randomImage{nullptr};

    // Network input of the frames (not copied: a full radiograph is megabytes).
    torch::Tensor imageTensor(const std::vector<const DisplayFrame *> &frames) const;
};

} // namespace cs
