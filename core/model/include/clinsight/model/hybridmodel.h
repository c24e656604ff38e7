#pragma once
// The hybrid model as the rest of ClinSight sees it: a verified bundle
// (weights + manifest) that scores an image (CNN, with Grad-CAM), a vitals
// record (LSTM with attention, a risk per hour) and both together (fusion,
// with each branch's share). LibTorch stays inside the .cpp. Thread
// contract: a loaded HybridModel may be used from any thread; calls are
// serialised by an internal mutex, copies share the weights read-only.
// The bundled model's folder: locateResource(Resource::ModelBundle).
#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/error.h"
#include "clinsight/model/bundlesignature.h"
#include "clinsight/imaging/frame.h"
#include "clinsight/imaging/heatmap.h"
#include "clinsight/model/explanations.h"
#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <QJsonObject>
#include <memory>
#include <optional>

namespace cs {

struct ImageRisk {
    bool applicable = false;
    QString notApplicableReason;   // "modality CT: the image branch applies to chest CR/DX"
    double risk = 0;               // calibrated probability of pneumonia
    double logit = 0;
    bool alert = false;
    // Grad-CAM on the explained layer's own grid (14 x 14) over the displayed frame,
    // values 0..1; null when not asked for. Sampled where it is shown (heatmap.h).
    HeatmapGrid gradCam;
    std::vector<float> feature;    // for fusion
};

struct VitalsRisk {
    bool applicable = false;
    QString notApplicableReason;
    int hours = 0;
    std::vector<double> riskPerHour;    // calibrated, causal: hour t uses rows 0..t only
    std::vector<double> logitPerHour;
    std::vector<int> alertPerHour;
    std::vector<float> attention;       // the last hour's attention over hours 0..last, sums to 1
    std::vector<float> lastFeature;     // for fusion
    QStringList missingVariables;       // model inputs never measured in this record
    QStringList inputNotes;             // what the model was given in place of missing age or sex
};

struct FusedRisk {
    bool available = false;
    QString unavailableReason;
    double risk = 0;
    bool alert = false;
    double imageShare = 0, vitalsShare = 0;  // of the fused logit's movement from the training baseline
};

struct ModelThresholds {
    double image = 0.5, vitals = 0.5, fused = 0.5;
    // What the vitals alert level meant on the validation stays, in words
    // ("sensitivity 62% of septic stays, ... alerts per 100 patient-days"); empty when the bundle records none.
    QString vitalsAlertConsequences;
    // What the bundle's evaluation measured about the heatmap and the attention
    // band, one sentence each (explanationFaithfulness()); empty when not measured.
    QString imageExplanationFaithfulness, attentionFaithfulness;
};

// "3.2x the alert level" / "0.4x the alert level": a risk against its threshold.
QString relativeToAlertLevel(double risk, double threshold);

class HybridModel {
public:
    // Loads a bundle directory (manifest.json + weights.pt + SIGNATURE.json),
    // verifying its signature under a trusted key (bundlesignature.h) and the
    // SHA-256 of every file the manifest lists. Refuses unsigned, wrongly signed,
    // modified or truncated bundles (Error::Code::Integrity).
    // Automatic: cuda:0 when LibTorch has CUDA (and CLINSIGHT_FORCE_CPU is unset), else the CPU.
    enum class Device { Automatic, Cpu };
    // UnsignedTrainingOutput: only for the training program evaluating the bundle
    // it has just written, before it signs it; never for scoring patients.
    enum class Signature { Required, UnsignedTrainingOutput };
    static Result<HybridModel> load(const QString &bundleDir, Device device = Device::Automatic,
                                    Signature signature = Signature::Required);

    QString name() const;
    QString version() const;
    QString bundleDir() const;
    QString modelCardPath() const;
    // Who signed the loaded bundle (empty for unsigned training output).
    BundleSignature signature() const;
    const QJsonObject &manifest() const;
    ModelThresholds thresholds() const;
    QString device() const;     // "cpu" or "cuda:0"

    // Image branch on a displayed frame. info (may be null for PNG) decides applicability.
    Result<ImageRisk> scoreImage(const DisplayFrame &frame, const DicomInstanceInfo *info, bool withGradCam) const;
    // Batch of 8-bit grey frames, no Grad-CAM: calibrated risks.
    Result<std::vector<double>> scoreImages(const std::vector<DisplayFrame> &frames) const;
    Result<VitalsRisk> scoreVitals(const VitalsTimeline &t) const;
    // Several records at once (predict-vitals); hours per record follow buildHourlyGrid.
    Result<std::vector<VitalsRisk>> scoreVitalsBatch(const std::vector<VitalsTimeline> &records) const;
    FusedRisk fuse(const ImageRisk &image, const VitalsRisk &vitals) const;
    // Grad-CAM of the image branch put to the test on one frame (explanations.h):
    // deletion and insertion in Grad-CAM order against the seed's random order
    // (steps + 1 points per curve), and the map of the randomised network.
    Result<ImageExplanationCheck> checkImageExplanation(const DisplayFrame &frame, std::uint64_t seed,
                                                        PatchFill fill = PatchFill::Blurred, int steps = 10) const;

    const FeatureNormalization &normalization() const;

    HybridModel(const HybridModel &) = default;
    HybridModel &operator=(const HybridModel &) = default;
    HybridModel(HybridModel &&) noexcept = default;
    HybridModel &operator=(HybridModel &&) noexcept = default;
    ~HybridModel();
    struct Impl;
private:
    explicit HybridModel(std::shared_ptr<Impl> d);
    std::shared_ptr<Impl> d;
};

} // namespace cs
