#pragma once
// Measures a model bundle on labelled data, beside baselines on the same
// split: the image branch on a labelled image folder, the vitals branch per
// hour on PhysioNet 2019 stays (all, or the bundle's test split), the
// hybrid on pairs of unrelated images and hours (label: pneumonia or sepsis). Used by `evaluate` and
// by training, so the bundle's reported numbers are reproducible.
#include "clinsight/foundation/job.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/training/training.h"

#include <QJsonObject>

namespace cs {

struct EvaluationParams {
    QString imagesDir;              // labels.csv; empty: skip the image branch. When its file list is the
                                    // bundle's training data (same SHA-256), only its held-out test patients
    QString imagesName, vitalsName; // how the data are named in the result; empty: the folders as given
    QString vitalsDir;              // *.psv; empty: skip the vitals branch
    bool vitalsTestSplitOnly = true;  // the bundle's held-out test stays (its seed and fractions)
    int maxStays = 0;
    int maxImages = 0;              // as TrainParams::maxImages (every k-th row)
    int pairs = 4000;
    bool faithfulness = true;       // test the explanations (Grad-CAM on true positives, attention on septic stays)
    int maxExplained = 0;           // at most N true-positive radiographs' Grad-CAM tested (evenly spread); 0: all
    int bootstrap = 200;
    std::uint64_t seed = 0;         // 0: the bundle's training seed
};

Result<QJsonObject> evaluateModel(const HybridModel &model, const EvaluationParams &p, JobControl &control);
// The bundle training just wrote (p.outDir), reloaded through the runtime and
// measured exactly as `clinsight-cli evaluate` will: validation images, the
// bundle's test stays. The result records the command that reproduces it.
Result<QJsonObject> evaluateTrainedBundle(const TrainParams &p, JobControl &control);

// Training's last stage: the bundle in p.outDir measured by
// evaluateTrainedBundle() and the result written into its manifest
// ("evaluation"; training.seconds when given; training.evaluation_run when
// note is not empty) and model card. Weights and listed files are untouched.
// Returns the updated manifest.
Result<QJsonObject> recordBundleEvaluation(const TrainParams &p, JobControl &control, const QString &note = {},
                                           double trainingSeconds = -1);
// Writes DIR's manifest (recording the signer when key is given), regenerates
// MODEL_CARD.md from it and signs both (SIGNATURE.json); without a key any old
// signature is removed, since it would no longer cover the bundle.
Result<QJsonObject> writeManifestCardAndSignature(const QString &bundleDir, QJsonObject manifest, const security::SecretKey *key);

// Text table of an evaluation JSON.
QString evaluationTable(const QJsonObject &evaluation);
// One paragraph of an evaluation's "faithfulness" object (image or vitals), as the table and the card print it.
QString faithfulnessSummary(const QJsonObject &faithfulness);

} // namespace cs
