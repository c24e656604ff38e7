#include "clinsight/training/evaluation.h"

#include "clinsight/training/alerting.h"
#include "clinsight/training/baselines.h"
#include "clinsight/training/datasets.h"
#include "clinsight/training/metrics.h"
#include "clinsight/scores/hourlyscores.h"
#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/model/explanations.h"
#include "clinsight/model/imagepreprocessing.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/model/vitalsinput.h"
#include "clinsight/foundation/filehash.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <optional>
#include "clinsight/model/bundlesignature.h"
#include <QJsonDocument>
#include "clinsight/training/modelcard.h"
#include <QJsonArray>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace cs {

namespace {

QJsonObject metricsJson(const std::vector<double> &score, const std::vector<int> &y, double thr,
                        const std::vector<int> &groups, int reps, std::uint64_t seed, bool probabilities)
{
    BinaryMetrics m = computeMetrics(score, y, thr);
    if (reps > 0) bootstrapAuc(m, score, y, groups, reps, seed);
    QJsonObject o = m.toJson();
    if (!probabilities) o.insert("ece", QJsonValue());  // not a probability: calibration error undefined
    return o;
}

QJsonObject baselinesJson(const QString &dir, const QJsonObject &settings, const std::vector<std::vector<float>> &x,
                          const std::vector<int> &y, const std::vector<int> &groups, int reps, std::uint64_t seed)
{
    QJsonObject out;
    if (settings.isEmpty()) return out;
    auto b = scoreBaselines(dir, settings, x);
    if (!b) {
        out.insert("error", b.error().message());
        return out;
    }
    for (const auto &s : b.value()) {
        const bool prob = s.name != QLatin1String("SVM (RBF)");
        out.insert(s.name, metricsJson(s.score, y, s.threshold, groups, reps, seed, prob));
    }
    return out;
}

double median(std::vector<double> v)
{
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
double mean(const std::vector<double> &v)
{
    return v.empty() ? std::nan("") : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}
QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

// Grad-CAM put to the test on the true positives among the measured radiographs (explanations.h).
Result<QJsonObject> imageFaithfulness(const HybridModel &model, const LabelledImages &images, const std::vector<ImageRisk> &risks,
                                      double threshold, int maxExplained, std::uint64_t seed, JobControl &control)
{
    std::vector<size_t> tp;
    for (size_t i = 0; i < risks.size(); ++i)
        if (images.labels[i] == 1 && risks[i].risk >= threshold) tp.push_back(i);
    const size_t all = tp.size();
    if (maxExplained > 0 && tp.size() > size_t(maxExplained)) {
        std::vector<size_t> spread;
        for (int k = 0; k < maxExplained; ++k) spread.push_back(tp[size_t(k) * tp.size() / size_t(maxExplained)]);
        tp = std::move(spread);
    }
    struct Tally {
        int beats = 0;
        std::vector<double> dropSalient, dropRandom, del, ins, rdel, rins;
    };
    const PatchFill fills[] = {PatchFill::Blurred, PatchFill::MeanGrey, PatchFill::Darkest};
    Tally tally[3];
    int flat = 0, gridW = 0, gridH = 0;
    std::vector<double> rho;
    for (size_t i : tp) {
        for (int f = 0; f < 3; ++f) {
            if (control.isCancelled()) return cancelledError(QStringLiteral("evaluation"));
            auto c = model.checkImageExplanation(images.frames[i], seed + i, fills[f]);
            if (!c) {
                Error e = c.error();
                e.file = QDir(images.dir).filePath(images.files[int(i)]);
                return e;
            }
            gridW = c->gridWidth;
            gridH = c->gridHeight;
            Tally &t = tally[f];
            if (c->salientLoweredMore()) ++t.beats;
            t.dropSalient.push_back(c->risk - c->salientHiddenRisk);
            t.dropRandom.push_back(c->risk - c->randomHiddenRisk);
            t.del.push_back(c->deletionAuc);
            t.ins.push_back(c->insertionAuc);
            t.rdel.push_back(c->randomDeletionAuc);
            t.rins.push_back(c->randomInsertionAuc);
            if (f == 0) {
                if (std::isfinite(c->randomizationRankCorrelation)) rho.push_back(c->randomizationRankCorrelation);
                else ++flat;
            }
        }
    }
    const int n = int(tp.size());
    auto stats = [n](const Tally &t, PatchFill f) {
        return QJsonObject{{"hidden_value", patchFillName(f)},
                           {"salient_beats_random", jsonNumber(n ? double(t.beats) / n : std::nan(""))},
                           {"mean_risk_drop_salient", jsonNumber(mean(t.dropSalient))},
                           {"mean_risk_drop_random", jsonNumber(mean(t.dropRandom))},
                           {"deletion_auc", jsonNumber(mean(t.del))},
                           {"deletion_auc_random_order", jsonNumber(mean(t.rdel))},
                           {"insertion_auc", jsonNumber(mean(t.ins))},
                           {"insertion_auc_random_order", jsonNumber(mean(t.rins))}};
    };
    QJsonObject o = stats(tally[0], fills[0]);
    const double frac = o.value("salient_beats_random").toDouble(-1);
    o.insert("other_fills", QJsonArray{stats(tally[1], fills[1]), stats(tally[2], fills[2])});
    o.insert("method", QStringLiteral("Grad-CAM of the last residual block (%1x%2 grid; a patch = one cell, %3x%3 network-input pixels); "
                                      "which mask lowered the risk more is judged on the logit")
                           .arg(gridW).arg(gridH).arg(gridW ? 224 / gridW : 0));
    o.insert("data", QStringLiteral("true positives among the images above (pneumonia, risk >= the alert level): %1%2")
                         .arg(all).arg(n < int(all) ? QStringLiteral(", %1 tested (evenly spread)").arg(n) : QString()));
    o.insert("explained", n);
    o.insert("hidden_fraction", kHiddenFraction);
    o.insert("randomization_spearman_median", jsonNumber(median(rho)));
    o.insert("randomization_spearman_mean", jsonNumber(mean(rho)));
    o.insert("randomization_flat_maps", flat);
    o.insert("goal", 0.8);
    o.insert("goal_met", n > 0 && frac >= 0.8);
    return o;
}

// Attention put to the test on the septic stays at their first labelled hour (explanations.h).
Result<QJsonObject> attentionFaithfulness(const HybridModel &model, const std::vector<VitalsTimeline> &stays, std::uint64_t seed,
                                          JobControl &control)
{
    int septic = 0, tooEarly = 0, moved = 0;
    std::vector<double> changeAttended, changeRandom;
    for (size_t s = 0; s < stays.size(); ++s) {
        const auto &labels = stays[s].labels;
        const auto first = std::find(labels.begin(), labels.end(), 1);
        if (first == labels.end()) continue;
        ++septic;
        const int hour = int(first - labels.begin());
        if (hour + 1 <= kBlankedHours) {
            ++tooEarly;
            continue;
        }
        if (control.isCancelled()) return cancelledError(QStringLiteral("evaluation"));
        auto c = checkAttention(model, stays[s], hour, seed + s);
        if (!c) return c.error();
        if (c->attendedMovedMore()) ++moved;
        changeAttended.push_back(std::abs(c->attendedBlankedRisk - c->risk));
        changeRandom.push_back(std::abs(c->randomBlankedRisk - c->risk));
    }
    const int n = int(changeAttended.size());
    const double frac = n ? double(moved) / n : std::nan("");
    return QJsonObject{{"method", "attention of the last hour over hours 0..t; an hour blanked = its values removed, the earlier ones carried forward"},
                       {"data", QStringLiteral("septic stays among the stays above, scored at their first labelled hour: %1, %2 tested "
                                               "(%3 labelled before hour %4 left out: too few hours to blank)")
                                    .arg(septic).arg(n).arg(tooEarly).arg(kBlankedHours)},
                       {"stays", n},
                       {"blanked_hours", kBlankedHours},
                       {"attended_moved_more", jsonNumber(frac)},
                       {"mean_abs_change_attended", jsonNumber(mean(changeAttended))},
                       {"mean_abs_change_random", jsonNumber(mean(changeRandom))},
                       {"goal", 0.7},
                       {"goal_met", n > 0 && frac >= 0.7}};
}

} // namespace

Result<QJsonObject> evaluateModel(const HybridModel &model, const EvaluationParams &p, JobControl &control)
{
    const QJsonObject man = model.manifest();
    const QJsonObject training = man.value("training").toObject();
    const std::uint64_t seed = p.seed ? p.seed : std::uint64_t(training.value("seed").toDouble(1));
    const ModelThresholds thr = model.thresholds();
    const QJsonObject baselineSettings = man.value("baselines").toObject();
    QJsonObject out{{"model", model.name() + ' ' + model.version()}, {"device", model.device()}};
    // Stages: image branch, vitals branch, hybrid pairs; each polls the one control.
    control.setTotal(3);
    const Error cancelled = cancelledError(QStringLiteral("evaluation"));

    std::optional<LabelledImages> images;
    std::vector<ImageRisk> imageRisks;
    if (!p.imagesDir.isEmpty()) {
        JobControl sub;
        sub.shareCancellation(control);
        auto li = loadLabelledImages(p.imagesDir, sub, p.maxImages);
        if (!li) return li.error();
        images = std::move(li.value());
        QString subset = QStringLiteral("all %1 images").arg(images->files.size());
        const QString digest = sha256OfFileList(p.imagesDir, QStringList(images->files) << QStringLiteral("labels.csv"));
        if (!digest.isEmpty() && digest == man.value("image").toObject().value("data").toObject().value("sha256_of_file_list").toString()) {
            // the training folder: only the patients training held out for testing
            const ImageFolderSplit split = splitImagesByPatient(images->files, seed, training.value("validation_fraction").toDouble(0.15),
                                                                training.value("test_fraction").toDouble(0.15));
            LabelledImages test;
            test.dir = images->dir;
            for (int i : split.test) {
                test.files << images->files[i];
                test.frames.push_back(std::move(images->frames[size_t(i)]));
                test.labels.push_back(images->labels[size_t(i)]);
            }
            images = std::move(test);
            subset = QStringLiteral("the training folder's held-out test patients (seed %1): %2 images").arg(seed).arg(images->files.size());
        }
        std::vector<int> patientGroups;   // bootstrap resamples patients, not images
        {
            std::map<QString, int> ids;
            for (const QString &f : images->files) patientGroups.push_back(ids.emplace(patientKey(f), int(ids.size())).first->second);
        }
        std::vector<double> risk;
        std::vector<std::vector<float>> pixels;
        for (const auto &f : images->frames) {
            if (control.isCancelled()) return cancelledError(QStringLiteral("evaluation"));
            auto r = model.scoreImage(f, nullptr, false);
            if (!r) return r.error();
            imageRisks.push_back(r.value());
            risk.push_back(r->risk);
            pixels.push_back(networkInputPixels(f, kBaselineImageSize));
        }
        QJsonObject img{{"data", QStringLiteral("%1: %2, %3 positive").arg(p.imagesName.isEmpty() ? p.imagesDir : p.imagesName, subset)
                                      .arg(std::count(images->labels.begin(), images->labels.end(), 1))},
                        {"model", metricsJson(risk, images->labels, thr.image, patientGroups, p.bootstrap, seed, true)},
                        {"baselines", baselinesJson(model.bundleDir(), baselineSettings.value("image").toObject(), pixels,
                                                    images->labels, patientGroups, p.bootstrap, seed)}};
        if (p.faithfulness) {
            auto f = imageFaithfulness(model, *images, imageRisks, thr.image, p.maxExplained, seed, control);
            if (!f) return f.error();
            img.insert("faithfulness", f.value());
        }
        out.insert("image", img);
    }
    control.advance(1, QStringLiteral("image branch measured"));
    if (control.isCancelled()) return cancelled;

    std::vector<VitalsTimeline> stays;
    if (!p.vitalsDir.isEmpty()) {
        QStringList names = psvFilesIn(p.vitalsDir);
        if (names.isEmpty())
            return makeError(Error::Code::Io, p.vitalsDir, {}, QStringLiteral("no .psv files"));
        QString subset = QStringLiteral("all %1 stays").arg(names.size());
        if (p.vitalsTestSplitOnly) {
            const StaySplit split = splitStays(names, seed, training.value("validation_fraction").toDouble(0.15),
                                               training.value("test_fraction").toDouble(0.15));
            names = split.test;
            subset = QStringLiteral("held-out test split (seed %1): %2 stays").arg(seed).arg(names.size());
        }
        if (p.maxStays > 0 && names.size() > p.maxStays) {
            names = names.mid(0, p.maxStays);
            subset += QStringLiteral(", first %1 used").arg(p.maxStays);
        }
        JobControl sub;
        sub.shareCancellation(control);
        auto loaded = loadStays(p.vitalsDir, names, sub);
        if (!loaded) return loaded.error();
        stays = std::move(loaded.value());
        auto scored = model.scoreVitalsBatch(stays);
        if (!scored) return scored.error();
        std::vector<double> risk, news2, qsofa;
        std::vector<int> y, groups;
        std::vector<std::vector<float>> feats;
        const int F = model.normalization().featureCount();
        for (size_t s = 0; s < stays.size(); ++s) {
            const auto &r = scored.value()[s];
            const VitalsInput in = vitalsModelInput(stays[s], model.normalization());
            const auto &f = in.features;
            const auto scores = scoreTimeline(stays[s], in.hours);
            for (int h = 0; h < r.hours && h < int(stays[s].labels.size()); ++h) {
                if (stays[s].labels[h] < 0) continue;
                risk.push_back(r.riskPerHour[h]);
                y.push_back(stays[s].labels[h]);
                groups.push_back(int(s));
                feats.emplace_back(f.begin() + std::ptrdiff_t(h) * F, f.begin() + std::ptrdiff_t(h + 1) * F);
                news2.push_back(scores[h].news2.points);
                qsofa.push_back(scores[h].qsofa.points);
            }
        }
        QJsonObject base = baselinesJson(model.bundleDir(), baselineSettings.value("vitals").toObject(), feats, y, groups,
                                         p.bootstrap, seed);
        base.insert("NEWS2 >= 5", metricsJson(news2, y, 5, groups, p.bootstrap, seed, false));
        base.insert("qSOFA >= 2", metricsJson(qsofa, y, 2, groups, p.bootstrap, seed, false));
        QJsonObject vit{{"data", QStringLiteral("%1: %2; %3 hours, %4 labelled sepsis (SepsisLabel)")
                                      .arg(p.vitalsName.isEmpty() ? p.vitalsDir : p.vitalsName, subset).arg(y.size()).arg(std::count(y.begin(), y.end(), 1))},
                        {"unit", "hour"},
                        {"model", metricsJson(risk, y, thr.vitals, groups, p.bootstrap, seed, true)},
                        {"baselines", base}};
        // What each alert rule means for a ward on these stays (PhysioNet utility, alerts per 100 patient-days, warning).
        auto series = [&](const std::vector<double> &score) {
            std::vector<StaySeries> out;
            for (size_t i = 0; i < score.size(); ++i) {
                if (i == 0 || groups[i] != groups[i - 1]) out.emplace_back();
                out.back().score.push_back(score[i]);
                out.back().label.push_back(y[i]);
            }
            return out;
        };
        vit.insert("operating_points", QJsonObject{
            {"ClinSight", operatingPoint(series(risk), thr.vitals).toJson()},
            {"NEWS2 >= 5", operatingPoint(series(news2), 5).toJson()},
            {"qSOFA >= 2", operatingPoint(series(qsofa), 2).toJson()}});
        vit.insert("reliability", reliabilityTable(risk, y));
        if (p.faithfulness) {
            auto f = attentionFaithfulness(model, stays, seed, control);
            if (!f) return f.error();
            vit.insert("faithfulness", f.value());
        }
        out.insert("vitals", vit);
    }

    control.advance(1, QStringLiteral("vitals branch measured"));
    if (control.isCancelled()) return cancelled;
    if (images && !stays.empty()) {
        const auto pairs = pairByLabel(images->labels, stays, p.pairs, seed + 7);
        std::vector<VitalsTimeline> cut;
        for (const auto &pr : pairs) cut.push_back(stays[pr.stay].truncatedTo(pr.hour + 1));
        auto scored = model.scoreVitalsBatch(cut);
        if (!scored) return scored.error();
        std::vector<double> risk;
        std::vector<int> y;
        std::vector<std::vector<float>> concat;
        const int F = model.normalization().featureCount();
        for (size_t k = 0; k < pairs.size(); ++k) {
            const FusedRisk f = model.fuse(imageRisks[pairs[k].image], scored.value()[k]);
            if (!f.available) continue;
            risk.push_back(f.risk);
            y.push_back(pairs[k].label);
            auto c = networkInputPixels(images->frames[pairs[k].image], kBaselineImageSize);
            const auto vf = vitalsModelInput(cut[k], model.normalization()).features;
            c.insert(c.end(), vf.end() - F, vf.end());
            concat.push_back(std::move(c));
        }
        QJsonObject hy{{"data", QStringLiteral("%1 pairs of the images and stays above (seed %2), a quarter per stratum "
                                               "(pneumonia yes/no x sepsis hour yes/no); positive = pneumonia or sepsis")
                                    .arg(risk.size()).arg(seed + 7)},
                       {"model", metricsJson(risk, y, thr.fused, {}, p.bootstrap, seed, true)},
                       {"baselines", baselinesJson(model.bundleDir(), baselineSettings.value("hybrid").toObject(), concat, y,
                                                   {}, p.bootstrap, seed)}};
        out.insert("hybrid", hy);
    }
    control.advance(1, QStringLiteral("hybrid measured"));
    return out;
}

Result<QJsonObject> recordBundleEvaluation(const TrainParams &p, JobControl &control, const QString &note, double trainingSeconds)
{
    const QString path = QDir(p.outDir).filePath(QStringLiteral("manifest.json"));
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot read"));
    QJsonObject manifest = QJsonDocument::fromJson(in.readAll()).object();
    in.close();
    if (manifest.isEmpty()) return makeError(Error::Code::Format, path, {}, QStringLiteral("not a JSON object"));
    // The key is read before the long evaluation: a wrong path fails now, not after it.
    std::optional<security::SecretKey> key;
    if (!p.signingKeyPath.isEmpty()) {
        auto k = security::readSecretKey(p.signingKeyPath);
        if (!k) return k.error();
        key = k.value();
    }
    auto ev = evaluateTrainedBundle(p, control);
    if (!ev) return ev.error();
    manifest.insert("evaluation", ev.value());
    QJsonObject tr = manifest.value("training").toObject();
    if (trainingSeconds >= 0) tr.insert("seconds", trainingSeconds);
    if (!note.isEmpty()) tr.insert("evaluation_run", note);
    manifest.insert("training", tr);
    return writeManifestCardAndSignature(p.outDir, manifest, key ? &*key : nullptr);
}

Result<QJsonObject> writeManifestCardAndSignature(const QString &dir, QJsonObject manifest, const security::SecretKey *key)
{
    const QString path = QDir(dir).filePath(QStringLiteral("manifest.json"));
    if (key) manifest.insert("signing", QJsonObject{{"signer", key->signer}, {"key_id", key->publicKey().keyId()}});
    else manifest.remove("signing");
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(manifest).toJson(QJsonDocument::Indented)) <= 0 || !out.commit())
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot write"));
    if (auto card = writeModelCard(dir, manifest); !card) return card.error();
    if (key) {
        if (auto sig = signBundle(dir, *key); !sig) return sig.error();
    } else {
        QFile::remove(QDir(dir).filePath(kBundleSignatureFile));   // an older signature no longer covers this bundle
    }
    return manifest;
}

QString evaluationTable(const QJsonObject &e)
{
    QString s;
    QTextStream o(&s);
    auto num = [](const QJsonValue &v) { return v.isDouble() ? QString::number(v.toDouble(), 'f', 3) : QStringLiteral("  -  "); };
    auto row = [&](const QString &name, const QJsonObject &m) {
        o << QStringLiteral("  %1").arg(name, -22);
        for (const char *k : {"sensitivity", "specificity", "precision", "f1", "accuracy", "fdr", "auc",
                              "sen_plus_spec", "prec_times_f1", "acc_minus_fdr", "ece"})
            o << QStringLiteral(" %1").arg(num(m.value(QLatin1String(k))), 6);
        const QJsonArray ci = m.value("auc_ci95").toArray();
        if (ci.size() == 2) o << QStringLiteral("  AUC 95% CI %1-%2").arg(ci[0].toDouble(), 0, 'f', 3).arg(ci[1].toDouble(), 0, 'f', 3);
        o << "\n";
    };
    o << "Model: " << e.value("model").toString() << " on " << e.value("device").toString()
      << "  (for research and decision support - not a diagnosis)\n";
    for (const char *branch : {"image", "vitals", "hybrid"}) {
        if (!e.contains(QLatin1String(branch))) continue;
        const QJsonObject b = e.value(QLatin1String(branch)).toObject();
        o << "\n" << QString::fromLatin1(branch).toUpper() << ": " << b.value("data").toString() << "\n";
        o << QStringLiteral("  %1").arg(QString(), -22) << "   sens   spec   prec     f1    acc    fdr    auc  sen+sp prec*f1 acc-fdr   ece\n";
        row(QStringLiteral("ClinSight"), b.value("model").toObject());
        const QJsonObject base = b.value("baselines").toObject();
        for (auto it = base.begin(); it != base.end(); ++it)
            if (it.value().isObject()) row(it.key(), it.value().toObject());
        const QJsonObject ops = b.value("operating_points").toObject();
        if (!ops.isEmpty()) {
            o << QStringLiteral("  %1").arg(QStringLiteral("alert rule"), -22)
              << "  utility  hour-sens  hour-PPV  stays-alerted  alerts/100 pt-days  median warning h\n";
            for (auto it = ops.begin(); it != ops.end(); ++it) {
                const QJsonObject op = it.value().toObject();
                o << QStringLiteral("  %1").arg(it.key(), -22)
                  << QStringLiteral("  %1  %2  %3  %4  %5  %6\n")
                         .arg(op.value("normalized_utility").toDouble(), 7, 'f', 3).arg(op.value("hour_sensitivity").toDouble(), 9, 'f', 3)
                         .arg(op.value("hour_ppv").toDouble(), 8, 'f', 3).arg(op.value("stay_sensitivity").toDouble(), 13, 'f', 3)
                         .arg(op.value("alerts_per_100_patient_days").toDouble(), 18, 'f', 1)
                         .arg(op.value("median_warning_hours").toDouble(), 16, 'f', 1);
            }
        }
        const QJsonObject f = b.value("faithfulness").toObject();
        if (!f.isEmpty()) o << "  explanation faithfulness: " << faithfulnessSummary(f) << "\n";
    }
    return s;
}

QString faithfulnessSummary(const QJsonObject &f)
{
    auto pct = [](const QJsonValue &v) { return v.isDouble() ? QStringLiteral("%1%").arg(100 * v.toDouble(), 0, 'f', 0) : QStringLiteral("n/a"); };
    auto n3 = [](const QJsonValue &v) { return v.isDouble() ? QString::number(v.toDouble(), 'f', 3) : QStringLiteral("n/a"); };
    const QString goal = QStringLiteral(" (goal %1: %2)").arg(pct(f.value("goal")), f.value("goal_met").toBool() ? QStringLiteral("met") : QStringLiteral("NOT met"));
    if (f.contains("explained"))
        return QStringLiteral("hiding the most salient %1 lowered the risk more than a random %1 on %2 of %3 true positives%4; "
                              "deletion AUC %5 (random order %6, lower is better), insertion AUC %7 (random order %8); "
                              "rank correlation with the randomised network's map: median %9")
            .arg(pct(f.value("hidden_fraction")), pct(f.value("salient_beats_random"))).arg(f.value("explained").toInt()).arg(goal)
            .arg(n3(f.value("deletion_auc")), n3(f.value("deletion_auc_random_order")), n3(f.value("insertion_auc")),
                 n3(f.value("insertion_auc_random_order")), n3(f.value("randomization_spearman_median")))
            + QStringLiteral(" (hidden patches: %1").arg(f.value("hidden_value").toString())
            + [&] {
                  QString t;
                  for (const auto &v : f.value("other_fills").toArray()) {
                      const QJsonObject x = v.toObject();
                      t += QStringLiteral("; with %1: %2, deletion AUC %3 vs %4").arg(x.value("hidden_value").toString(), pct(x.value("salient_beats_random")),
                                                                                  n3(x.value("deletion_auc")), n3(x.value("deletion_auc_random_order")));
                  }
                  return t + QStringLiteral(")");
              }();
    return QStringLiteral("blanking the %1 most-attended hours moved the risk more than %1 random hours on %2 of %3 septic stays%4; "
                          "mean change %5 vs %6")
        .arg(f.value("blanked_hours").toInt()).arg(pct(f.value("attended_moved_more"))).arg(f.value("stays").toInt()).arg(goal)
        .arg(n3(f.value("mean_abs_change_attended")), n3(f.value("mean_abs_change_random")));
}

Result<QJsonObject> evaluateTrainedBundle(const TrainParams &p, JobControl &control)
{
    auto model = HybridModel::load(p.outDir, HybridModel::Device::Automatic, HybridModel::Signature::UnsignedTrainingOutput);
    if (!model) return model.error();
    EvaluationParams ep;
    ep.imagesDir = p.imagesDir;
    ep.vitalsDir = p.vitalsDir;
    ep.imagesName = p.imagesName;
    ep.vitalsName = p.vitalsName;
    ep.vitalsTestSplitOnly = true;
    ep.maxStays = p.maxStays > 0 ? std::max(2, int(p.maxStays * p.testFraction)) : 0;
    ep.maxImages = p.maxImages;
    ep.maxExplained = p.maxExplained;
    ep.seed = p.seed;
    auto ev = evaluateModel(model.value(), ep, control);
    if (!ev) return ev.error();
    QJsonObject out = ev.value();
    out.insert("command", QStringLiteral("clinsight-cli evaluate --model %1 --images %2 --vitals %3%4")
                              .arg(QDir::current().relativeFilePath(p.outDir), QDir::current().relativeFilePath(p.imagesDir),
                                   QDir::current().relativeFilePath(p.vitalsDir),
                                   (ep.maxStays ? QStringLiteral(" --max-stays %1").arg(ep.maxStays) : QString())
                                       + (ep.maxImages ? QStringLiteral(" --max-images %1").arg(ep.maxImages) : QString())
                                       + (ep.maxExplained ? QStringLiteral(" --max-explained %1").arg(ep.maxExplained) : QString())));
    return out;
}

} // namespace cs
