#pragma once
// The model bundle's manifest.json, built from what training measured and
// chose: a pure function of its inputs (no LibTorch, no files), so it can be
// tested on its own. Data provenance comes from the training parameters.
#include "clinsight/model/calibration.h"
#include "clinsight/training/training.h"
#include "clinsight/vitals/hourlyfeatures.h"

#include <QJsonObject>
#include <vector>

namespace cs {

struct ManifestInputs {
    TrainParams params;
    QString version;                 // ClinSight version + commit
    QString created;                 // ISO-8601 UTC
    QJsonObject files;               // bundle file -> SHA-256
    // how it ran
    int threads = 1;
    QString libtorch, device;
    double seconds = 0;
    int imageEpochsRun = 0, vitalsEpochsRun = 0, fusionEpochsRun = 0;
    // image branch
    int imageSize = 224, imageFeatures = 128;
    double pixelMean = 0.5, pixelStd = 0.25;
    int fitImages = 0, calibrationImages = 0, testImages = 0, imagePatients = 0;
    QString imagesDigest, vitalsDigest;  // sha256OfFileList of the data folders
    QJsonObject imageRecord;             // how the image branch was trained (time, epochs, MACs, checkpoint)
    PlattScaling imageCal;
    double imageThreshold = 0.5;
    // vitals branch
    FeatureNormalization normalization;
    int vitalsFeatures = 0;
    double vitalsPosWeight = 1;
    double vitalsWeightDecay = 1e-5;   // Adam's, as the vitals branch was fitted with
    int trainStays = 0, validationStays = 0, testStays = 0;
    PlattScaling vitalsCal;
    double vitalsThreshold = 0.5;
    QJsonObject vitalsOperatingPoint;    // consequences of the alert level on the validation stays
    QJsonObject calibrationCheck;        // per output: validation ECE and reliability table
    QJsonObject gradientBoostingComparison;  // LSTM vs XGBoost vs their mean on validation
    // fusion
    int trainPairs = 0, calibrationPairs = 0;
    std::vector<double> imageFeatureMean, vitalsFeatureMean;
    PlattScaling fusedCal;
    double fusedThreshold = 0.5;
    QJsonObject baselines;
};

QJsonObject buildManifest(const ManifestInputs &in);

} // namespace cs
