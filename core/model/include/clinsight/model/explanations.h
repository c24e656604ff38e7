#pragma once
// Explanations and how far to trust them. The image branch explains itself
// with Grad-CAM, the vitals branch with attention over hours; this header
// holds the tests that check whether they tell the truth about what the
// model used, one example at a time (aggregated over held-out data by
// `evaluate`, see training/evaluation.h):
//  - deletion / insertion (Petsiuk et al. 2018, RISE): hide the network-input
//    patches Grad-CAM ranks highest and watch the risk fall, against a random
//    order of the same patches;
//  - model randomisation (Adebayo et al. 2018): the map of the same network
//    with freshly initialised weights should not resemble the trained one;
//  - attention perturbation: blank the most-attended hours (their values
//    removed, so the input builder carries the earlier values forward as it
//    does for any missing hour) against as many random hours.
// No LibTorch here.
#include "clinsight/foundation/error.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <QJsonObject>
#include <cstdint>
#include <vector>

namespace cs {

class HybridModel;

// Share of the image's patches hidden for the single salient-vs-random test.
constexpr double kHiddenFraction = 0.2;
// Hours blanked by the attention test and by the workstation's "what if".
constexpr int kBlankedHours = 3;

// What a hidden patch shows instead of the image. Constant squares are
// themselves a signal the network reacts to (a mask-shape artefact: on chest
// radiographs scattered grey squares lower the risk more than one grey block
// over the region the model used), so the primary measure replaces a patch
// with a heavily blurred copy of the same image (RISE's insertion canvas): no
// detail left there, no sharp new edges. The constant fills are reported too.
enum class PatchFill {
    Blurred,    // the image blurred by two 31 x 31 box filters (about a 12 px Gaussian at 224 px)
    MeanGrey,   // the training images' mean grey (0 in the normalised input)
    Darkest,    // the image's darkest value (air on a radiograph)
};
QString patchFillName(PatchFill f);

// One radiograph's Grad-CAM put to the test. Patches are the explained
// layer's grid cells on the network input (14 x 14 cells of 16 x 16 pixels at
// 224 px); a hidden patch shows the PatchFill.
struct ImageExplanationCheck {
    int gridWidth = 0, gridHeight = 0;
    double risk = 0;                  // calibrated, nothing hidden
    double salientHiddenRisk = 0;     // the 20% of patches Grad-CAM ranks highest hidden
    double randomHiddenRisk = 0;      // a random 20% hidden (the seed's permutation)
    // The same three as logits: which mask lowered the risk more is decided on
    // these (same order as the risk, without ties where the risk rounds to 1).
    double logit = 0, salientHiddenLogit = 0, randomHiddenLogit = 0;
    bool salientLoweredMore() const { return salientHiddenLogit < randomHiddenLogit; }
    // Risk with 0, 1/K, ..., K/K of the patches hidden (deletion) or revealed on
    // a fully hidden image (insertion), in Grad-CAM order and in the random order.
    std::vector<double> deletion, insertion, randomDeletion, randomInsertion;
    double deletionAuc = 0, insertionAuc = 0, randomDeletionAuc = 0, randomInsertionAuc = 0;
    // Spearman rank correlation of the trained map with the map of the same
    // network with randomised weights, on the grid; NaN when either map is flat.
    double randomizationRankCorrelation = 0;
};

// One stay's attention at one hour put to the test.
struct AttentionCheck {
    int hour = 0;
    double risk = 0;                      // at `hour`, nothing blanked
    std::vector<int> attendedHours;       // the kBlankedHours most attended, highest first
    std::vector<int> randomHours;         // as many random hours in 0..hour (the seed's draw)
    double attendedBlankedRisk = 0, randomBlankedRisk = 0;
    bool attendedMovedMore() const;       // |attended - risk| > |random - risk|
};

// The risk at one hour and the attention over hours 0..hour that produced it
// (the record truncated after that hour, exactly as it was scored then).
struct VitalsExplanation {
    int hour = 0;
    double risk = 0;
    bool alert = false;
    std::vector<float> attention;   // hours 0..hour, sums to 1
};

// Indices of the k largest weights, largest first; ties: the earlier hour first.
std::vector<int> mostAttendedHours(const std::vector<float> &attention, int k);
// Area under a curve sampled at equal steps over [0, 1] (trapezoids).
double curveArea(const std::vector<double> &y);
// Spearman's rank correlation (average ranks for ties); NaN when either input is constant.
double spearmanCorrelation(const std::vector<float> &a, const std::vector<float> &b);

// Hour out of range, no vitals: an error naming the record's file and the reason.
Result<VitalsExplanation> explainVitalsAt(const HybridModel &model, const VitalsTimeline &t, int hour);
Result<AttentionCheck> checkAttention(const HybridModel &model, const VitalsTimeline &t, int hour, std::uint64_t seed);
// The record re-scored with the most-attended hours of its last hour blanked:
// the workstation's "what if". Returns the risk per hour of the changed record.
struct WhatIfBlanked {
    std::vector<int> blankedHours;
    double riskBefore = 0, riskAfter = 0;   // at the record's last hour
    bool alertBefore = false, alertAfter = false;
};
Result<WhatIfBlanked> rescoreWithoutMostAttended(const HybridModel &model, const VitalsTimeline &t, int hours = kBlankedHours);

// What the bundle's evaluation measured about its explanations, in the words
// the workstation shows beside the overlay and the attention band; empty
// lines when the bundle records no measurement.
struct ExplanationFaithfulness {
    QString imageLine;
    QString attentionLine;
};
ExplanationFaithfulness explanationFaithfulness(const QJsonObject &manifest);

} // namespace cs
