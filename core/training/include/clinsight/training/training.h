#pragma once
// `clinsight-cli train`: trains the hybrid model bundle from a folder of
// labelled chest radiographs (train + validation, labels.csv each) and a
// folder of PhysioNet 2019 stays, writes weights, manifest and model card.
// Deterministic for a given seed and thread count. Runs as a job.
#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"

#include <QJsonObject>
#include <QString>
#include <cstdint>

namespace cs {

struct TrainParams {
    QString imagesTrainDir, imagesValDir;   // labels.csv in each
    QString vitalsDir;                      // *.psv
    QString outDir;                         // bundle folder to write
    std::uint64_t seed = 20261123;
    int maxStays = 0;                       // 0 = all
    int imageEpochs = 40, vitalsEpochs = 20, fusionEpochs = 60;
    int patience = 5;
    double validationFraction = 0.15, testFraction = 0.15;
    int fusionPairs = 20000;
    int maxTrainHours = 168;
    int vitalsHidden = 64;                  // LSTM hidden size, recorded in the manifest
    QString imagesSource, vitalsSource;     // data provenance for the manifest and card: name, citation, licence
    QString command;                        // recorded in the manifest
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
