// The bundle manifest as a pure function of what training produced (no LibTorch).
#include "clinsight/training/manifest.h"

#include "bundle_p.h"

#include "clinsight/foundation/version.h"

#include <QJsonArray>

namespace cs {

namespace {
QJsonObject plattJson(const PlattScaling &p) { return {{"method", "platt"}, {"a", p.a}, {"b", p.b}}; }
QJsonArray jsonArray(const std::vector<double> &v)
{
    QJsonArray a;
    for (double x : v) a.append(x);
    return a;
}
} // namespace

QJsonObject buildManifest(const ManifestInputs &in)
{
    const TrainParams &p = in.params;
    return QJsonObject{
        {"format", bundle::kFormat},
        {"name", "clinsight-hybrid"},
        // ClinSight version + the commit that trained it: a new training program gives a new model version.
        {"version", in.version},
        {"created", in.created},
        {"intended_use", "Research and decision support only - not a diagnosis. Flags chest radiographs suggestive of "
                         "pneumonia and ICU hours at risk of sepsis within 6 hours, for a clinician to review."},
        {"files", in.files},
        {"training", QJsonObject{
            {"command", p.command}, {"commit", p.commit}, {"seed", double(p.seed)}, {"threads", in.threads},
            {"clinsight", clinsightVersion()}, {"libtorch", in.libtorch}, {"device", in.device},
            {"seconds", in.seconds},
            {"validation_fraction", p.validationFraction}, {"test_fraction", p.testFraction},
            {"max_stays", p.maxStays}, {"max_train_hours", p.maxTrainHours},
            {"optimizer", "Adam, L2 weight decay (image 1e-4, vitals 1e-5, fusion 1e-4), dropout 0.3, early stopping on validation AUROC"},
            {"image_epochs_run", in.imageEpochsRun}, {"vitals_epochs_run", in.vitalsEpochsRun},
            {"fusion_epochs_run", in.fusionEpochsRun},
            {"vitals_pos_weight", in.vitalsPosWeight},
        }},
        {"image", QJsonObject{
            {"architecture", "CNN: 3 blocks of 2x(conv3x3-BN-ReLU) (16, 32, 64 channels), max-pool after blocks 1-2, global average pool -> 64-d feature -> dropout -> linear -> logit"},
            {"input", QJsonObject{{"size", in.imageSize}, {"channels", 1},
                                  {"preprocessing", QStringLiteral("displayed frame (modality LUT, file's default VOI, presentation LUT) as 8-bit grey, resized to %1x%1 with area interpolation (aspect ratio not kept), /255, then (x - mean) / std").arg(in.imageSize)},
                                  {"mean", in.pixelMean}, {"std", in.pixelStd}}},
            {"output", "calibrated probability that the chest radiograph shows pneumonia"},
            {"applicability", QJsonObject{{"modalities", QJsonArray{"CR", "DX"}}, {"body_parts", QJsonArray{"CHEST", "THORAX", "(empty)"}},
                                          {"photometric", "greyscale"}, {"png", "PNG/JPEG files are taken as chest radiographs"}}},
            {"data", QJsonObject{{"train", p.imagesTrainDir}, {"validation", p.imagesValDir},
                                 {"fit_images", in.fitImages}, {"calibration_images", in.calibrationImages},
                                 {"source", p.imagesSource}}},
            {"calibration", plattJson(in.imageCal)}, {"threshold", in.imageThreshold},
            {"threshold_rule", "Youden's J on the calibration images (10% of the training folder, never trained on)"},
        }},
        {"vitals", QJsonObject{
            {"architecture", QStringLiteral("LSTM (%1 hidden) over hourly features with causal additive attention (score v.tanh(W h_s), softmax over hours s <= t); feature [context_t, h_t] (%2-d) -> dropout -> linear -> logit per hour").arg(p.vitalsHidden).arg(in.vitalsFeatures)},
            {"hidden", p.vitalsHidden},
            {"normalization", in.normalization.toJson()},
            {"output", "calibrated probability, at each hour, that the PhysioNet 2019 SepsisLabel is 1 (sepsis onset within the next 6 hours or ongoing)"},
            {"applicability", "adult ICU stays with hourly vitals; any importer's record is accepted, missing variables are reported"},
            {"data", QJsonObject{{"folder", p.vitalsDir}, {"train_stays", in.trainStays}, {"validation_stays", in.validationStays},
                                 {"test_stays", in.testStays},
                                 {"split", "sorted .psv names shuffled with the seed, then test and validation fractions cut off; by stay"},
                                 {"source", p.vitalsSource}}},
            {"calibration", plattJson(in.vitalsCal)}, {"threshold", in.vitalsThreshold},
            {"threshold_rule", "Youden's J over validation-stay hours"},
        }},
        {"fusion", QJsonObject{
            {"architecture", QStringLiteral("concat(image 64-d, vitals %1-d at the hour) -> linear 32 -> ReLU -> dropout -> linear -> logit").arg(in.vitalsFeatures)},
            {"pairing", "No public data set pairs images with vitals. Pairs are built by label from unrelated images and ICU hours, a quarter from each stratum (pneumonia yes/no x sepsis-labelled hour yes/no); a pair is positive when either label is (pneumonia or sepsis within 6 h), so 75% of pairs are positive. The fused risk therefore estimates 'pneumonia on the film or sepsis in the vitals' on synthetic pairs with balanced strata: its calibration and thresholds do not transfer to a real ward's prevalence, and no interaction between the two findings in one patient could be learned."},
            {"train_pairs", in.trainPairs}, {"calibration_pairs", in.calibrationPairs},
            {"image_feature_mean", jsonArray(in.imageFeatureMean)},
            {"vitals_feature_mean", jsonArray(in.vitalsFeatureMean)},
            {"share_rule", "each branch's share = |fused logit - fused logit with that branch's feature replaced by its training mean|, normalised over both branches"},
            {"calibration", plattJson(in.fusedCal)}, {"threshold", in.fusedThreshold},
        }},
        {"baselines", in.baselines},
        {"licences", QJsonArray{p.imagesSource, p.vitalsSource}},
    };
}

} // namespace cs
