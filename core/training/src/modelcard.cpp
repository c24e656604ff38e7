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
    o << "## What the model is\n"
      << "- Image branch: " << img.value("architecture").toString() << ". Output: " << img.value("output").toString() << ".\n"
      << "- Vitals branch: " << vit.value("architecture").toString() << ". Output: " << vit.value("output").toString() << ".\n"
      << "- Fusion: " << fus.value("architecture").toString() << ".\n"
      << "- Preprocessing: " << img.value("input").toObject().value("preprocessing").toString() << ".\n"
      << "- Calibration: Platt scaling per output fitted on validation data only; thresholds by "
      << img.value("threshold_rule").toString() << " (image: " << QString::number(img.value("threshold").toDouble(), 'f', 3)
      << "), " << vit.value("threshold_rule").toString() << " (vitals: " << QString::number(vit.value("threshold").toDouble(), 'f', 3)
      << "), fusion " << QString::number(fus.value("threshold").toDouble(), 'f', 3) << ".\n\n";
    o << "## Data\n"
      << "- Images: " << img.value("data").toObject().value("source").toString() << "; "
      << img.value("data").toObject().value("fit_images").toInt() << " images trained on, "
      << img.value("data").toObject().value("calibration_images").toInt() << " held out of training for early stopping and calibration; "
      << "performance below is on the separate validation folder.\n"
      << "- Vitals: " << vit.value("data").toObject().value("source").toString() << "; stays split by stay: "
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
    }
    o << "Published figures for comparison: PneumoniaMNIST test set ResNet-18 (28) AUC 0.944, accuracy 0.854; "
         "PhysioNet 2019 top entries AUROC about 0.81-0.86 on hospitals A/B. Those are different splits: compare with care.\n\n";
    o << "## Limitations\n"
         "- Images are 28x28 paediatric chest radiographs: the CNN sees a tiny thumbnail of a full-resolution study; "
         "Grad-CAM maps are correspondingly coarse (7x7 upsampled).\n"
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
