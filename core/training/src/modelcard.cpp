#include "clinsight/training/modelcard.h"
#include "clinsight/training/evaluation.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTextStream>

namespace cs {

namespace {
QString ci(const QJsonObject &m)
{
    const QJsonArray a = m.value("auc_ci95").toArray();
    return a.size() == 2 ? QStringLiteral("%1 (95% CI %2-%3)").arg(m.value("auc").toDouble(), 0, 'f', 3)
                                   .arg(a[0].toDouble(), 0, 'f', 3).arg(a[1].toDouble(), 0, 'f', 3)
                         : QString::number(m.value("auc").toDouble(), 'f', 3);
}
void table(QTextStream &o, const QJsonObject &branch)
{
    o << "| | AUROC | sensitivity | specificity | precision | F1 | accuracy | FDR | Sen+Spec | Prec×F1 | Acc−FDR | ECE |\n";
    o << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    auto row = [&o](const QString &name, const QJsonObject &m) {
        auto n = [&m](const char *k) { const QJsonValue v = m.value(QLatin1String(k)); return v.isDouble() ? QString::number(v.toDouble(), 'f', 3) : QStringLiteral("n/a"); };
        o << "| " << name << " | " << ci(m) << " | " << n("sensitivity") << " | " << n("specificity") << " | " << n("precision")
          << " | " << n("f1") << " | " << n("accuracy") << " | " << n("fdr") << " | " << n("sen_plus_spec") << " | "
          << n("prec_times_f1") << " | " << n("acc_minus_fdr") << " | " << n("ece") << " |\n";
    };
    row(QStringLiteral("**ClinSight**"), branch.value("model").toObject());
    const QJsonObject b = branch.value("baselines").toObject();
    for (auto it = b.begin(); it != b.end(); ++it)
        if (it.value().isObject()) row(it.key(), it.value().toObject());
    o << "\n";
}
QString num(const QJsonValue &v, int d = 3) { return v.isDouble() ? QString::number(v.toDouble(), 'f', d) : QStringLiteral("n/a"); }
void operatingPoints(QTextStream &o, const QJsonObject &ops)
{
    if (ops.isEmpty()) return;
    o << "| alert rule | PhysioNet utility | hour sensitivity | hour PPV | septic stays alerted (by onset + 3 h) | alerts per 100 patient-days | median hours of warning |\n"
         "|---|---|---|---|---|---|---|\n";
    for (auto it = ops.begin(); it != ops.end(); ++it) {
        const QJsonObject p = it.value().toObject();
        o << "| " << it.key() << " | " << num(p.value("normalized_utility")) << " | " << num(p.value("hour_sensitivity"))
          << " | " << num(p.value("hour_ppv")) << " | " << num(p.value("stay_sensitivity")) << " | "
          << num(p.value("alerts_per_100_patient_days"), 1) << " | " << num(p.value("median_warning_hours"), 1) << " |\n";
    }
    o << "\n";
}
void reliability(QTextStream &o, const QString &name, const QJsonObject &c)
{
    o << "**" << name << "**: validation ECE " << num(c.value("validation_ece")) << " over " << c.value("validation_n").toInt()
      << " examples.\n\n| predicted | n | mean predicted | observed |\n|---|---|---|---|\n";
    for (const auto &v : c.value("reliability").toArray()) {
        const QJsonObject b = v.toObject();
        o << "| " << num(b.value("from"), 1) << "-" << num(b.value("to"), 1) << " | " << b.value("n").toInt() << " | "
          << num(b.value("mean_predicted")) << " | " << num(b.value("observed")) << " |\n";
    }
    o << "\n";
}
} // namespace

namespace {
// Where the image branch's weights came from: this command, its --image-only run, or another signed bundle.
QString imageProvenance(const QJsonObject &imgTrain)
{
    const QJsonObject from = imgTrain.value("reused_from_bundle").toObject();
    if (!from.isEmpty())
        return QStringLiteral("; these weights were not retrained here: `train --image-from` took them, with this record, from bundle %1 %2 "
                              "(weights.pt SHA-256 %3..., %4), trained on the same images with the same seed and split")
            .arg(from.value("name").toString(), from.value("version").toString(), from.value("weights_sha256").toString().left(16),
                 from.value("signature").toString());
    return imgTrain.value("resumed_from_checkpoint").toBool() ? QStringLiteral(", trained by the same command's --image-only run and resumed") : QString();
}
} // namespace

QString modelCardMarkdown(const QJsonObject &m)
{
    QString s;
    QTextStream o(&s);
    const QJsonObject tr = m.value("training").toObject(), img = m.value("image").toObject(), vit = m.value("vitals").toObject(),
                      fus = m.value("fusion").toObject(), ev = m.value("evaluation").toObject();
    o << "# Model card: " << m.value("name").toString() << " " << m.value("version").toString() << "\n\n";
    o << "> **For research and decision support — not a diagnosis.** Every output is a prompt for a clinician's review, "
         "never a finding on its own.\n\n";
    o << "## Intended use\n" << m.value("intended_use").toString() << "\n\n"
      << "Users: clinicians and radiologists with access to the full record. Not for use without clinical oversight, "
         "not for children's vitals (the vitals data are adult ICU stays), not for CT/MR or non-chest images.\n\n";
    const QJsonObject signing = m.value("signing").toObject();
    o << "## Who vouches for this bundle\n";
    if (signing.isEmpty())
        o << "**Not signed.** ClinSight refuses to load an unsigned bundle; sign it with `clinsight-cli bundle sign`.\n\n";
    else
        o << "Signed when it was trained by **" << signing.value("signer").toString() << "** (Ed25519 key "
          << signing.value("key_id").toString() << "). Each time ClinSight loads the bundle it checks that signature "
             "(SIGNATURE.json) under the keys it trusts, the SHA-256 of the manifest and of this card, and the SHA-256 of every "
             "weights file; if any of them changed (a threshold, a calibration, this card, the weights) the bundle is refused "
             "and no risk is shown.\n\n";
    o << "## What the model is\n"
      << "- Image branch: " << img.value("architecture").toString() << ". Output: " << img.value("output").toString() << ".\n"
      << "- Vitals branch: " << vit.value("architecture").toString() << ". Output: " << vit.value("output").toString() << ".\n"
      << "- Fusion: " << fus.value("architecture").toString() << ".\n"
      << "- Preprocessing: " << img.value("input").toObject().value("preprocessing").toString() << ".\n"
      << "- Calibration: Platt scaling per output fitted on validation data only; thresholds by "
      << img.value("threshold_rule").toString() << " (image: " << QString::number(img.value("threshold").toDouble(), 'f', 3)
      << "), " << vit.value("threshold_rule").toString() << " (vitals: " << QString::number(vit.value("threshold").toDouble(), 'f', 3)
      << "), fusion " << QString::number(fus.value("threshold").toDouble(), 'f', 3) << ".\n\n";
    const QJsonObject imgData = img.value("data").toObject(), imgTrain = img.value("training").toObject();
    o << "- Image input: " << img.value("input").toObject().value("size").toInt() << " px; aspect ratio "
      << img.value("input").toObject().value("aspect_ratio").toString() << ".\n"
      << "- Image training: " << img.value("augmentation").toString() << "; " << img.value("class_balance").toString() << "; "
      << imgTrain.value("optimizer").toString() << "; " << QString::number(imgTrain.value("macs_per_image").toDouble() / 1e6, 'f', 0)
      << " M multiply-accumulates and " << QString::number(imgTrain.value("parameters").toDouble() / 1e3, 'f', 0)
      << " k parameters per image; " << imgTrain.value("epochs_run").toInt() << " epochs (best " << imgTrain.value("best_epoch").toInt()
      << ", validation AUROC " << num(imgTrain.value("best_validation_auroc")) << ") in "
      << QString::number(imgTrain.value("seconds").toDouble() / 60.0, 'f', 1) << " min on " << imgTrain.value("device").toString()
      << " (" << imgTrain.value("threads").toInt() << " threads)"
      << imageProvenance(imgTrain) << ".\n";
    const QJsonObject training = m.value("training").toObject();
    o << "- Vitals training: " << training.value("vitals_objective").toString(QStringLiteral("SepsisLabel as target, positives class-weighted"))
      << "; " << training.value("vitals_epochs_run").toInt() << " epochs.\n"
      << "- Optimisation: " << training.value("optimizer").toString() << ".\n\n";
    o << "## Data\n"
      << "- Images: " << imgData.value("source").toString() << " (`" << imgData.value("name").toString() << "`, SHA-256 of the file list "
      << imgData.value("sha256_of_file_list").toString().left(16) << "...); " << imgData.value("patients").toInt() << " patients split by patient: "
      << imgData.value("fit_images").toInt() << " images trained on, "
      << imgData.value("validation_images").toInt() << " validation (early stopping, calibration, threshold), "
      << imgData.value("test_images").toInt() << " test (performance below).\n"
      << "- Vitals: " << vit.value("data").toObject().value("source").toString() << " (`" << vit.value("data").toObject().value("name").toString()
      << "`, SHA-256 of the file list " << vit.value("data").toObject().value("sha256_of_file_list").toString().left(16) << "...); "
      << vit.value("normalization").toObject().value("features").toArray().size() << " features per hour ("
      << vit.value("normalization").toObject().value("variables").toArray().size()
      << " PhysioNet variables with measurement masks, time since and counts; 1-12 h trends and 6 h min/max/mean of the vital signs; "
         "shock index; partial SOFA; NEWS2 and qSOFA components; age, sex, ICU type, hours in hospital before the ICU); stays split by stay: "
      << vit.value("data").toObject().value("train_stays").toInt() << " train, "
      << vit.value("data").toObject().value("validation_stays").toInt() << " validation (early stopping, calibration, threshold), "
      << vit.value("data").toObject().value("test_stays").toInt() << " test (performance below).\n"
      << "- Fusion pairs: " << fus.value("pairing").toString() << "\n\n";
    o << "## Performance (" << ev.value("device").toString() << ")\n"
      << "Reproduce with `" << ev.value("command").toString() << "`. Confidence intervals: 95% bootstrap of the AUROC "
         "(by stay for vitals). Baselines were trained on the same training split.\n\n";
    for (const char *b : {"image", "vitals", "hybrid"}) {
        if (!ev.contains(QLatin1String(b))) continue;
        const QJsonObject br = ev.value(QLatin1String(b)).toObject();
        o << "### " << QString::fromLatin1(b) << "\n" << br.value("data").toString() << "\n\n";
        table(o, br);
        if (br.contains("operating_points")) {
            o << "What each alert rule means on these stays (alerts = a new alert after an hour without one; warning = hours from "
                 "the first alert to the clinical onset, 6 h after the first SepsisLabel, for septic stays alerted before it):\n\n";
            operatingPoints(o, br.value("operating_points").toObject());
        }
    }
    const QJsonObject fImg = ev.value("image").toObject().value("faithfulness").toObject(),
                      fVit = ev.value("vitals").toObject().value("faithfulness").toObject();
    if (!fImg.isEmpty() || !fVit.isEmpty()) {
        o << "## Explanations: how far to trust them\n"
             "The heatmap and the attention band are the model's own account of what it used. They were put to the test on "
             "the held-out data above (reproduced by the same `evaluate` command):\n\n";
        if (!fImg.isEmpty())
            o << "- **Grad-CAM heatmap** (" << fImg.value("method").toString() << "; " << fImg.value("data").toString()
              << "). Deletion test (Petsiuk et al. 2018): " << faithfulnessSummary(fImg)
              << ". Hidden patches are set to " << fImg.value("hidden_value").toString()
              << ". Model-randomisation check (Adebayo et al. 2018): a map that depends on what the network learned should "
                 "not resemble the map of the same network with random weights; "
              << fImg.value("randomization_flat_maps").toInt() << " randomised maps were flat (no rank).\n";
        if (!fVit.isEmpty())
            o << "- **Attention over hours** (" << fVit.value("method").toString() << "; " << fVit.value("data").toString()
              << "): " << faithfulnessSummary(fVit) << ".\n";
        o << "\nRead the overlay as where the model looked, not as a finding: it shows 14x14 regions, and a region the "
             "model used is not necessarily a region of disease.\n\n";
    }
    o << "## Alert level and calibration\n"
      << "The vitals alert level (" << num(vit.value("threshold"), 4) << ") is " << vit.value("threshold_rule").toString()
      << ". On the validation stays it means:\n\n";
    operatingPoints(o, QJsonObject{{"ClinSight (validation)", vit.value("operating_point_validation").toObject()}});
    const QJsonObject gb = vit.value("gradient_boosting_validation").toObject();
    if (!gb.isEmpty()) {
        o << "Gradient-boosted trees (XGBoost) as a challenger on the validation stays:\n\n| model | AUROC | best normalised utility |\n|---|---|---|\n";
        for (const char *k : {"LSTM with attention", "gradient-boosted trees", "mean of both"}) {
            const QJsonObject e = gb.value(QLatin1String(k)).toObject();
            o << "| " << k << " | " << num(e.value("auroc")) << " | " << num(e.value("best_normalized_utility")) << " |\n";
        }
        o << "\nDecision: " << gb.value("decision").toString() << ".\n\n";
    }
    const QJsonObject cc = m.value("calibration_check").toObject();
    for (const char *k : {"image", "vitals", "fused"})
        if (cc.contains(QLatin1String(k))) reliability(o, QString::fromLatin1(k), cc.value(QLatin1String(k)).toObject());
    o << "Published figures for comparison: Kermany et al. 2018 (ImageNet transfer learning, official test split) AUC 0.968, "
         "accuracy 0.928; PhysioNet 2019 top entries AUROC about 0.81-0.86 and normalised utility about 0.43 on hospitals A/B. "
         "Those are different splits: compare with care.\n\n";
    o << "## Limitations\n"
         "- The CNN sees a film stretched to 224x224 (as its training data were); Grad-CAM comes from a 14x14 layer, "
         "upsampled to the film: it shows regions, not pixels.\n"
         "- The image branch learned from paediatric chest radiographs (Kermany et al.: children aged 1-5, one "
         "centre); adult radiographs are outside its training data and its risk on them is unvalidated.\n"
         "- The vitals branch learns PhysioNet 2019's SepsisLabel from one hospital system (set B); other sites, "
         "units and charting practices will differ. Labs are sparse; missing values are carried forward and masked.\n"
         "- The fused risk comes from synthetic pairs of unrelated images and ICU hours (label: pneumonia or sepsis): it is a demonstration of fusion, not a "
         "validated joint risk. The app shows each branch's own risk beside it.\n"
         "- Inputs the model does not apply to (CT, MR, colour images) are not scored by the image branch.\n"
         "- Age missing from a record is imputed as 60 years in the model input.\n\n";
    o << "## Provenance\n"
      << "- Training command: `" << tr.value("command").toString() << "`\n"
      << "- Commit: " << tr.value("commit").toString() << "; seed " << QString::number(tr.value("seed").toDouble(), 'f', 0)
      << "; threads " << tr.value("threads").toInt() << "; LibTorch " << tr.value("libtorch").toString() << "; "
      << QString::number(tr.value("seconds").toDouble() / 60.0, 'f', 1) << " min on " << tr.value("device").toString() << "\n"
      << "- Weights SHA-256: " << m.value("files").toObject().value("weights.pt").toString() << "\n"
      << "- Licences: ";
    for (const auto &l : m.value("licences").toArray()) o << l.toString() << "; ";
    o << "\n";
    return s;
}

Status writeModelCard(const QString &dir, const QJsonObject &manifest)
{
    QFile f(QDir(dir).filePath(QStringLiteral("MODEL_CARD.md")));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(Error::Code::Io, f.fileName(), {}, QStringLiteral("cannot write the model card"));
    f.write(modelCardMarkdown(manifest).toUtf8());
    return Ok{};
}

} // namespace cs
