// clinsight-cli evaluate: a bundle measured beside baselines and early-warning scores.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/training/evaluation.h"

#include <QJsonDocument>

namespace cli {

int evaluate(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption images(QStringLiteral("images"), QStringLiteral("Labelled image folder (labels.csv)."), QStringLiteral("DIR"));
    const QCommandLineOption vit(QStringLiteral("vitals"), QStringLiteral("Folder of PhysioNet 2019 .psv stays with SepsisLabel."), QStringLiteral("DIR"));
    const QCommandLineOption allStays(QStringLiteral("all-stays"), QStringLiteral("Use every stay, not only the bundle's held-out test split."));
    const QCommandLineOption maxStays(QStringLiteral("max-stays"), QStringLiteral("Use at most N stays."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption maxImages(QStringLiteral("max-images"), QStringLiteral("Use at most N images, every k-th row of labels.csv."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption maxExplained(QStringLiteral("max-explained"), QStringLiteral("Test the Grad-CAM of at most N true-positive radiographs (0: all)."),
                                          QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption noFaith(QStringLiteral("no-faithfulness"), QStringLiteral("Skip the tests of the explanations."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    p.addOptions({images, vit, allStays, maxStays, maxImages, maxExplained, noFaith, json, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Sensitivity, specificity, precision, F1, accuracy, FDR, ROC AUC (95% bootstrap CI),\n"
                                       "Sen+Spec, Prec*F1, Acc-FDR and calibration error of the image branch, the vitals\n"
                                       "branch (per hour) and the hybrid (paired by label), beside logistic regression, SVM and\n"
                                       "random forest on the same split and, for vitals, NEWS2 >= 5 and qSOFA >= 2, with each\n"
                                       "alert rule's PhysioNet utility, alerts per 100 patient-days and hours of warning.\n"
                                       "The explanations are put to the test: Grad-CAM deletion/insertion against random patches and\n"
                                       "model randomisation on true-positive radiographs, attention perturbation on septic stays.\n"
                                       "Images from the bundle's own training folder are measured on its held-out test patients only."), code, 0, 0))
        return code;
    if (!p.isSet(images) && !p.isSet(vit)) return failText(QStringLiteral("evaluate: give --images DIR and/or --vitals DIR"));
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    cs::EvaluationParams ep;
    ep.imagesDir = p.value(images);
    ep.vitalsDir = p.value(vit);
    ep.vitalsTestSplitOnly = !p.isSet(allStays);
    ep.maxStays = p.value(maxStays).toInt();
    ep.maxImages = p.value(maxImages).toInt();
    ep.maxExplained = p.value(maxExplained).toInt();
    ep.faithfulness = !p.isSet(noFaith);
    cs::JobControl control;
    auto r = cs::runJob<QJsonObject>(control, [&](cs::JobControl &c) { return cs::evaluateModel(model.value(), ep, c); });
    if (!r) return fail(r.error());
    if (p.isSet(json)) out() << QJsonDocument(r.value()).toJson(QJsonDocument::Indented);
    else out() << cs::evaluationTable(r.value());
    return kExitOk;
}

} // namespace cli
