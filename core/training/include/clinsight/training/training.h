#pragma once
// `clinsight-cli train`: trains the hybrid model bundle from a folder of
// labelled chest radiographs (labels.csv; split by patient) and a
// folder of PhysioNet 2019 stays, writes weights, manifest and model card.
// Deterministic for a given seed and thread count. Runs as a job.
#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"
#include "clinsight/model/vitalslayout.h"

#include <QJsonObject>
#include <QString>
#include <cstdint>

namespace cs {

struct TrainParams {
    QString imagesDir;                      // labels.csv; split by patient with the seed
    QString vitalsDir;                      // *.psv
    QString outDir;                         // bundle folder to write
    std::uint64_t seed = 20261123;
    int maxStays = 0;                       // 0 = all
    int maxImages = 0;                      // 0 = all; else every k-th row of labels.csv (both classes)
    int maxExplained = 0;                   // the last stage's Grad-CAM test on at most N true positives (0 = all)
    int imageEpochs = 30, vitalsEpochs = 20, fusionEpochs = 60;
    double imageMaxMinutes = 90;            // the image branch stops after the epoch that passes it (0: none)
    bool imageOnly = false;                 // train the image branch, write its checkpoint, stop
    bool resume = false;                    // reuse <out>/checkpoints/image.* when it matches this run
    int patience = 5;                       // vitals (at most 3) and fusion
    int imagePatience = 8;                  // the image branch's cosine schedule improves late
    double validationFraction = 0.15, testFraction = 0.15;
    int fusionPairs = 20000;
    int maxTrainHours = 168;
    int vitalsHidden = 64;                  // LSTM hidden size, recorded in the manifest
    VitalsLayout vitalsLayout = VitalsLayout::Query;   // the risk reads only the attention context (vitalslayout.h)
    bool vitalsUtilityObjective = false;    // true: per-hour targets and weights from the PhysioNet utility (alerting.h,
                                            // utilityTrainingTargets); false: SepsisLabel, positives class-weighted
    double vitalsEmaDecay = 0;              // > 0: keep and validate the weights' moving average (per batch)
    double vitalsInputDropout = 0;          // > 0: each hourly input value zeroed with this probability in training
    QString imageFromBundle;                // reuse this signed bundle's image branch (weights and training record)
                                            // instead of training it: same images (SHA-256), seed and split fractions
    QString imagesSource, vitalsSource;     // data provenance for the manifest and card: name, citation, licence
    QString imagesName, vitalsName;         // how the data are named in the manifest (no machine path)
    QString command;                        // recorded in the manifest
    QString signingKeyPath;                 // secret key the finished bundle is signed with; empty: left unsigned,
                                            // and ClinSight refuses to load it until `bundle sign`
    QString commit;
};

struct TrainResult {
    QString bundleDir;
    QJsonObject manifest;
    std::vector<double> imageLoss, vitalsLoss, fusionLoss;  // training loss per epoch
    double seconds = 0;
};

Result<TrainResult> trainHybridModel(const TrainParams &p, JobControl &control);

} // namespace cs
