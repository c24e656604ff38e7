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
            {"optimizer", QStringLiteral("image: AdamW with cosine decay (see image.training), early stopping on validation AUROC; vitals: Adam 1e-3 with cosine decay, "
                                         "weight decay %1, %3early stopping on validation normalised utility; fusion: Adam 1e-3, weight decay 1e-4, early stopping on "
                                         "validation AUROC; dropout 0.3 throughout%2")
                              .arg(in.vitalsWeightDecay, 0, 'g', 3)
                              .arg(p.vitalsLayout == VitalsLayout::Query ? QStringLiteral(" (vitals query layout: on the LSTM states the attention reads)") : QString())
                              .arg(p.vitalsEmaDecay > 0 ? QStringLiteral("the weights kept and validated are their moving average (decay %1 per batch), ").arg(p.vitalsEmaDecay) : QString()
                                   + (p.vitalsInputDropout > 0 ? QStringLiteral("each hourly input value zeroed with probability %1 in training (not rescaled), ").arg(p.vitalsInputDropout) : QString()))},
            {"image_epochs_run", in.imageEpochsRun}, {"vitals_epochs_run", in.vitalsEpochsRun},
            {"fusion_epochs_run", in.fusionEpochsRun},
            {"vitals_objective", p.vitalsUtilityObjective
                 ? QStringLiteral("utility: per hour, target 1 where alerting gains PhysioNet 2019 utility over staying silent (from 12 h before onset, "
                                  "i.e. 6 h before the first SepsisLabel = 1 hour, to 3 h after onset), weight = |that gain| / 0.05 (a false-alarm hour 1, "
                                  "the labelled hours 20-40, 12-6 h before onset rising 0-20, hours the utility ignores 0); no class weight")
                 : QStringLiteral("label: SepsisLabel as target, positive hours weighted %1 (negatives/positives, at most 20)").arg(in.vitalsPosWeight, 0, 'f', 1)},
            {"vitals_pos_weight", p.vitalsUtilityObjective ? QJsonValue() : QJsonValue(in.vitalsPosWeight)},
        }},
        {"image", QJsonObject{
            {"architecture", "CNN for 224x224 radiographs (layout cxr-resnet224-v1): conv7x7/2 (24 ch)-BN-ReLU, max-pool 3x3/2 (-> 56x56), residual blocks of 2x conv3x3-BN (ReLU between, identity or strided 1x1 projection shortcut): 32 ch at 56x56, 64 at 28x28, 128 at 14x14 (x2); global average pool -> 128-d feature -> dropout 0.3 -> linear -> logit. Grad-CAM explains the last 14x14 block."},
            {"layout", "cxr-resnet224-v1"},
            {"training", in.imageRecord},
            {"augmentation", "per image, every epoch: rotation +-7 degrees, scale 0.9-1.1, shift +-6% (bilinear, black outside), contrast 0.85-1.15, brightness +-0.08; no flips (a mirrored chest shows dextrocardia)"},
            {"class_balance", "positives weighted by negatives/positives in the loss"},
            {"input", QJsonObject{{"size", in.imageSize}, {"channels", 1},
                                  {"preprocessing", QStringLiteral("displayed frame (modality LUT, file's default VOI, presentation LUT, so MONOCHROME1 shows bone white) as 8-bit grey, stretched to %1x%1 (area interpolation shrinking, bilinear enlarging), /255, then (x - mean) / std").arg(in.imageSize)},
                                  {"aspect_ratio", "stretched, not padded: training images pass through this same rule (a set distributed already square, like the 224 px reference set, which was stretched from films of varied aspect, passes unchanged), so a bedside film is stretched the same way and the network sees the geometry it learned"},
                                  {"mean", in.pixelMean}, {"std", in.pixelStd}}},
            {"output", "calibrated probability that the chest radiograph shows pneumonia"},
            {"applicability", QJsonObject{{"modalities", QJsonArray{"CR", "DX"}}, {"body_parts", QJsonArray{"CHEST", "THORAX", "(empty)"}},
                                          {"photometric", "greyscale"}, {"png", "PNG/JPEG files are taken as chest radiographs"}}},
            {"data", QJsonObject{{"name", p.imagesName}, {"sha256_of_file_list", in.imagesDigest},
                                 {"digest_rule", "SHA-256 of `LC_ALL=C sha256sum` over labels.csv and every listed image, names sorted bytewise"},
                                 {"patients", in.imagePatients},
                                 {"fit_images", in.fitImages}, {"validation_images", in.calibrationImages}, {"test_images", in.testImages},
                                 {"split", "by patient (file-name prefix: personN, IM-NNNN, NORMAL2-IM-NNNN), sorted patients shuffled with the seed, test and validation fractions cut off"},
                                 {"source", p.imagesSource}}},
            {"calibration", plattJson(in.imageCal)}, {"threshold", in.imageThreshold},
            {"threshold_rule", "Youden's J on the validation patients' images (never trained on)"},
        }},
        {"vitals", QJsonObject{
            {"architecture", p.vitalsLayout == VitalsLayout::Query
                 ? QStringLiteral("LSTM (%1 hidden) over hourly features with causal scaled dot-product attention whose query is the hour scored "
                                  "with a learned recency penalty (a_ts = softmax over s <= t of (Q h_t).(K h_s)/sqrt(32) - m (t - s), m = softplus(r) learned, starting at 0.25 per hour); context_t = sum a_ts h_s -> linear -> logit per hour (dropout on the states h in training): "
                                  "the risk reads the attended hours' states and nothing else. The fusion head reads [context_t, h_t] (%2-d).")
                       .arg(p.vitalsHidden).arg(in.vitalsFeatures)
                 : QStringLiteral("LSTM (%1 hidden) over hourly features with causal additive attention (score v.tanh(W h_s), softmax over hours s <= t); feature [context_t, h_t] (%2-d) -> dropout -> linear -> logit per hour").arg(p.vitalsHidden).arg(in.vitalsFeatures)},
            {"layout", vitalsLayoutName(p.vitalsLayout)},
            {"hidden", p.vitalsHidden},
            {"normalization", in.normalization.toJson()},
            {"output", "calibrated probability, at each hour, that the PhysioNet 2019 SepsisLabel is 1 (sepsis onset within the next 6 hours or ongoing)"},
            {"applicability", "adult ICU stays with hourly vitals; any importer's record is accepted, missing variables are reported"},
            {"data", QJsonObject{{"name", p.vitalsName}, {"sha256_of_file_list", in.vitalsDigest},
                                 {"digest_rule", "SHA-256 of `LC_ALL=C sha256sum *.psv`, names sorted bytewise"}, {"train_stays", in.trainStays}, {"validation_stays", in.validationStays},
                                 {"test_stays", in.testStays},
                                 {"split", "sorted .psv names shuffled with the seed, then test and validation fractions cut off; by stay"},
                                 {"source", p.vitalsSource}}},
            {"calibration", plattJson(in.vitalsCal)}, {"threshold", in.vitalsThreshold},
            {"threshold_rule", "the calibrated risk maximising the normalised PhysioNet/CinC 2019 utility over the validation stays (400 quantile candidates)"},
            {"operating_point_validation", in.vitalsOperatingPoint},
            {"gradient_boosting_validation", in.gradientBoostingComparison},
        }},
        {"fusion", QJsonObject{
            {"architecture", QStringLiteral("concat(image %1-d, vitals %2-d at the hour) -> linear 32 -> ReLU -> dropout -> linear -> logit").arg(in.imageFeatures).arg(in.vitalsFeatures)},
            {"pairing", "No public data set pairs images with vitals. Pairs are built by label from unrelated images and ICU hours, a quarter from each stratum (pneumonia yes/no x sepsis-labelled hour yes/no); a pair is positive when either label is (pneumonia or sepsis within 6 h), so 75% of pairs are positive. The fused risk therefore estimates 'pneumonia on the film or sepsis in the vitals' on synthetic pairs with balanced strata: its calibration and thresholds do not transfer to a real ward's prevalence, and no interaction between the two findings in one patient could be learned."},
            {"train_pairs", in.trainPairs}, {"calibration_pairs", in.calibrationPairs},
            {"image_feature_mean", jsonArray(in.imageFeatureMean)},
            {"vitals_feature_mean", jsonArray(in.vitalsFeatureMean)},
            {"share_rule", "each branch's share = |fused logit - fused logit with that branch's feature replaced by its training mean|, normalised over both branches"},
            {"calibration", plattJson(in.fusedCal)}, {"threshold", in.fusedThreshold},
        }},
        {"calibration_check", in.calibrationCheck},
        {"baselines", in.baselines},
        {"licences", QJsonArray{p.imagesSource, p.vitalsSource}},
    };
}

} // namespace cs
