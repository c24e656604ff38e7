// Reading and verifying a model bundle's manifest (no LibTorch).
#include "bundle_p.h"

#include "clinsight/foundation/filehash.h"
#include "clinsight/model/bundlesignature.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace cs::bundle {

namespace {

PlattScaling plattFrom(const QJsonObject &o)
{
    PlattScaling p;
    p.a = o.value(QLatin1String("a")).toDouble(1.0);
    p.b = o.value(QLatin1String("b")).toDouble(0.0);
    return p;
}

std::vector<float> floatsFrom(const QJsonArray &a)
{
    std::vector<float> v;
    v.reserve(size_t(a.size()));
    for (const auto &x : a) v.push_back(float(x.toDouble()));
    return v;
}

} // namespace

Result<Settings> readVerifiedBundle(const QString &dirIn, bool requireSignature)
{
    Settings s;
    s.dir = QDir::cleanPath(dirIn);
    if (!QFileInfo(s.dir).isDir())
        return makeError(Error::Code::Io, s.dir, {}, QStringLiteral("model bundle folder not found"));
    if (requireSignature) {
        // The signature first: nothing in a bundle no trusted key vouches for is read.
        auto sig = verifyBundleSignature(s.dir);
        if (!sig) return sig.error();
        s.signature = sig.value();
    }
    s.manifestPath = s.dir + '/' + kManifest;
    const QString &manifestPath = s.manifestPath;
    QFile mf(manifestPath);
    if (!mf.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, manifestPath, {}, QStringLiteral("model manifest not found or unreadable"));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(mf.readAll(), &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(Error::Code::Format, manifestPath, QStringLiteral("offset %1").arg(perr.offset),
                         QStringLiteral("manifest is not valid JSON: %1").arg(perr.errorString()));
    s.manifest = doc.object();
    if (s.manifest.value(QLatin1String("format")).toInt() != kFormat)
        return makeError(Error::Code::Unsupported, manifestPath, QStringLiteral("format"),
                         QStringLiteral("bundle format %1, this ClinSight reads %2")
                             .arg(s.manifest.value(QLatin1String("format")).toInt()).arg(kFormat));
    const QJsonObject files = s.manifest.value(QLatin1String("files")).toObject();
    if (!files.contains(kWeights))
        return makeError(Error::Code::Format, manifestPath, QStringLiteral("files"), QStringLiteral("does not list %1").arg(kWeights));
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString p = s.dir + '/' + it.key();
        const QString actual = sha256OfFile(p);
        if (actual.isEmpty())
            return makeError(Error::Code::Io, p, {}, QStringLiteral("bundle file missing or unreadable"));
        if (actual != it.value().toString())
            return makeError(Error::Code::Integrity, p, QStringLiteral("SHA-256"),
                             QStringLiteral("does not match the manifest (%1 expected, %2 found): the bundle was modified or truncated; refusing to load")
                                 .arg(it.value().toString().left(12), actual.left(12)));
    }
    const QJsonObject img = s.manifest.value(QLatin1String("image")).toObject();
    const QJsonObject vit = s.manifest.value(QLatin1String("vitals")).toObject();
    const QJsonObject fus = s.manifest.value(QLatin1String("fusion")).toObject();
    auto norm = FeatureNormalization::fromJson(vit.value(QLatin1String("normalization")).toObject());
    if (!norm) {
        Error e = norm.error();
        e.file = manifestPath;
        e.field = QStringLiteral("vitals.") + e.field;
        return e;
    }
    s.norm = norm.value();
    s.imageCal = plattFrom(img.value(QLatin1String("calibration")).toObject());
    s.vitalsCal = plattFrom(vit.value(QLatin1String("calibration")).toObject());
    s.fusedCal = plattFrom(fus.value(QLatin1String("calibration")).toObject());
    s.thresholds.image = img.value(QLatin1String("threshold")).toDouble(0.5);
    s.thresholds.vitals = vit.value(QLatin1String("threshold")).toDouble(0.5);
    s.thresholds.fused = fus.value(QLatin1String("threshold")).toDouble(0.5);
    const ExplanationFaithfulness faith = explanationFaithfulness(s.manifest);
    s.thresholds.imageExplanationFaithfulness = faith.imageLine;
    s.thresholds.attentionFaithfulness = faith.attentionLine;
    const QJsonObject op = vit.value(QLatin1String("operating_point_validation")).toObject();
    if (!op.isEmpty())
        s.thresholds.vitalsAlertConsequences =
            QStringLiteral("At this alert level on %1 validation stays: %2% of septic stays alerted by 3 h after onset, "
                           "median %3 h of warning; %4% of alerting hours in a sepsis-labelled hour (PPV); "
                           "%5 alerts per 100 patient-days; PhysioNet utility %6.")
                .arg(op.value(QLatin1String("stays")).toInt())
                .arg(op.value(QLatin1String("stay_sensitivity")).toDouble() * 100, 0, 'f', 0)
                .arg(op.value(QLatin1String("median_warning_hours")).toDouble(), 0, 'f', 0)
                .arg(op.value(QLatin1String("hour_ppv")).toDouble() * 100, 0, 'f', 1)
                .arg(op.value(QLatin1String("alerts_per_100_patient_days")).toDouble(), 0, 'f', 0)
                .arg(op.value(QLatin1String("normalized_utility")).toDouble(), 0, 'f', 2);
    const QJsonObject input = img.value(QLatin1String("input")).toObject();
    s.pixelMean = input.value(QLatin1String("mean")).toDouble(0.5);
    s.pixelStd = input.value(QLatin1String("std")).toDouble(0.25);
    s.vitalsHidden = vit.value(QLatin1String("hidden")).toInt(kDefaultVitalsHidden);
    if (s.vitalsHidden < 1 || s.vitalsHidden > 4096)
        return makeError(Error::Code::Format, manifestPath, QStringLiteral("vitals.hidden"),
                         QStringLiteral("%1 is not a valid size").arg(s.vitalsHidden));
    const QString layout = vit.value(QLatin1String("layout")).toString(vitalsLayoutName(VitalsLayout::Additive));
    const auto known = vitalsLayoutFromName(layout);
    if (!known)
        return makeError(Error::Code::Format, manifestPath, QStringLiteral("vitals.layout"),
                         QStringLiteral("vitals network '%1' is not one this build runs (%2): use a newer ClinSight")
                             .arg(layout, knownVitalsLayouts()));
    s.vitalsLayout = *known;
    s.imageFeatureMean = floatsFrom(fus.value(QLatin1String("image_feature_mean")).toArray());
    s.vitalsFeatureMean = floatsFrom(fus.value(QLatin1String("vitals_feature_mean")).toArray());
    return s;
}

} // namespace cs::bundle
