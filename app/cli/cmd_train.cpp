// clinsight-cli train: the hybrid model bundle from labelled images and PhysioNet 2019 stays.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/version.h"
#include "clinsight/training/evaluation.h"
#include "clinsight/training/training.h"

#include <QDir>
#include <QFileInfo>
#include <optional>

namespace cli {

int train(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption imgDir(QStringLiteral("images"), QStringLiteral("Folder of chest radiographs with labels.csv (file,pneumonia[,...]); split by patient."), QStringLiteral("DIR"));
    const QCommandLineOption imgOnly(QStringLiteral("image-only"), QStringLiteral("Train the image branch only and keep its checkpoint in OUT/checkpoints (then --resume)."));
    const QCommandLineOption resume(QStringLiteral("resume"), QStringLiteral("Reuse OUT/checkpoints/image.* when it was trained with the same settings on the same data."));
    const QCommandLineOption evalOnly(QStringLiteral("evaluate-only"), QStringLiteral("Measure the bundle already in OUT as training's last stage does and record it in its manifest and card (weights untouched)."));
    const QCommandLineOption imgMin(QStringLiteral("image-minutes"), QStringLiteral("Time budget of the image branch in minutes (default 90; 0 = none)."), QStringLiteral("N"), QStringLiteral("90"));
    const QCommandLineOption vit(QStringLiteral("vitals"), QStringLiteral("Folder of PhysioNet 2019 .psv stays."), QStringLiteral("DIR"));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("Bundle folder to write."), QStringLiteral("DIR"));
    const QCommandLineOption seedO(QStringLiteral("seed"), QStringLiteral("Random seed (default 20261123)."), QStringLiteral("N"), QStringLiteral("20261123"));
    const QCommandLineOption maxStays(QStringLiteral("max-stays"), QStringLiteral("Use at most N stays (0 = all)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption maxImages(QStringLiteral("max-images"), QStringLiteral("Use at most N images, every k-th row of labels.csv (0 = all)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption imgEp(QStringLiteral("image-epochs"), QStringLiteral("Maximum image epochs (default 30)."), QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption vitEp(QStringLiteral("vitals-epochs"), QStringLiteral("Maximum vitals epochs (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pairsO(QStringLiteral("fusion-pairs"), QStringLiteral("Fusion training pairs (default 20000)."), QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption hiddenO(QStringLiteral("vitals-hidden"), QStringLiteral("LSTM hidden size (default 64)."), QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption layoutO(QStringLiteral("vitals-layout"),
                                     QStringLiteral("Vitals network: 'query' (default; the risk at hour t reads only the attention context, the query "
                                                    "being hour t) or 'additive' (the first layout: the risk also reads the last hidden state)."),
                                     QStringLiteral("query|additive"), QStringLiteral("query"));
    const QCommandLineOption objectiveO(QStringLiteral("vitals-objective"),
                                        QStringLiteral("Vitals training target: 'label' (default, the shipped bundle's: SepsisLabel, "
                                                       "positives class-weighted) or 'utility' (per hour, alert where the PhysioNet 2019 "
                                                       "utility gains, weighted by the gain)."),
                                        QStringLiteral("label|utility"), QStringLiteral("label"));
    const QCommandLineOption emaO(QStringLiteral("vitals-ema"),
                                  QStringLiteral("Keep and validate the vitals weights' moving average with this decay per batch "
                                                 "(e.g. 0.998; default 0: the weights as trained)."),
                                  QStringLiteral("DECAY"), QStringLiteral("0"));
    const QCommandLineOption inDropO(QStringLiteral("vitals-input-dropout"),
                                     QStringLiteral("Zero each hourly vitals input value with this probability in training (default 0)."),
                                     QStringLiteral("P"), QStringLiteral("0"));
    const QCommandLineOption imageFrom(QStringLiteral("image-from"),
                                       QStringLiteral("Reuse the image branch of this signed bundle instead of training it (it must have been trained on "
                                                      "the same --images with the same seed and split; checked)."),
                                       QStringLiteral("BUNDLE"));
    const QCommandLineOption imgSrc(QStringLiteral("images-source"), QStringLiteral("Name, citation and licence of the image data, recorded in the manifest and card."), QStringLiteral("TEXT"));
    const QCommandLineOption vitSrc(QStringLiteral("vitals-source"), QStringLiteral("Name, citation and licence of the vitals data, recorded in the manifest and card."), QStringLiteral("TEXT"));
    const QCommandLineOption maxExplained(QStringLiteral("max-explained"), QStringLiteral("Test the Grad-CAM of at most N true positives in the last stage (0 = all)."),
                                          QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption keyO(QStringLiteral("signing-key"), QStringLiteral("Secret key file to sign the bundle with (default: $CLINSIGHT_SIGNING_KEY; "
                                                                               "without one the bundle is left unsigned and ClinSight refuses it until `bundle sign`)."),
                                  QStringLiteral("FILE"));
    p.addOptions({keyO, imgDir, imgOnly, resume, evalOnly, imgMin, maxImages, maxExplained, vit, outO, seedO, maxStays, imgEp, vitEp, pairsO, hiddenO, layoutO, objectiveO, emaO, inDropO, imageFrom, imgSrc, vitSrc});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Trains the hybrid model: the CNN on labelled chest radiographs, the LSTM with\n"
                                       "attention on PhysioNet 2019 stays (split by stay with the seed), the fusion head\n"
                                       "on pairs of unrelated images and hours (label: pneumonia or sepsis); calibrates on validation data; writes weights,\n"
                                       "manifest (with SHA-256) and MODEL_CARD.md. Progress on stderr."), code, 0, 0))
        return code;
    for (const auto &o : {imgDir, vit, outO})
        if (!p.isSet(o)) return failText(QStringLiteral("train: --%1 is required").arg(o.names().first()));
    cs::TrainParams tp;
    tp.imagesDir = QDir(p.value(imgDir)).absolutePath();
    tp.imageOnly = p.isSet(imgOnly);
    tp.resume = p.isSet(resume);
    tp.imageMaxMinutes = std::max(0.0, p.value(imgMin).toDouble());
    tp.vitalsDir = QDir(p.value(vit)).absolutePath();
    tp.outDir = QDir(p.value(outO)).absolutePath();
    tp.seed = p.value(seedO).toULongLong();
    tp.maxStays = p.value(maxStays).toInt();
    tp.maxImages = p.value(maxImages).toInt();
    tp.maxExplained = p.value(maxExplained).toInt();
    tp.imageEpochs = p.value(imgEp).toInt();
    tp.vitalsEpochs = p.value(vitEp).toInt();
    tp.fusionPairs = p.value(pairsO).toInt();
    tp.vitalsHidden = std::max(1, p.value(hiddenO).toInt());
    if (p.value(layoutO) != QLatin1String("query") && p.value(layoutO) != QLatin1String("additive"))
        return failText(QStringLiteral("train: --vitals-layout '%1': use query or additive").arg(p.value(layoutO)));
    tp.vitalsLayout = p.value(layoutO) == QLatin1String("query") ? cs::VitalsLayout::Query : cs::VitalsLayout::Additive;
    if (p.value(objectiveO) != QLatin1String("utility") && p.value(objectiveO) != QLatin1String("label"))
        return failText(QStringLiteral("train: --vitals-objective '%1': use utility or label").arg(p.value(objectiveO)));
    tp.vitalsUtilityObjective = p.value(objectiveO) == QLatin1String("utility");
    // A number in [0, 1), or nullopt.
    auto fraction = [&p](const QCommandLineOption &o) -> std::optional<double> {
        bool ok = false;
        const double v = p.value(o).toDouble(&ok);
        return ok && v >= 0 && v < 1 ? std::optional<double>(v) : std::nullopt;
    };
    const auto ema = fraction(emaO), inputDropout = fraction(inDropO);
    if (!ema) return failText(QStringLiteral("train: --vitals-ema '%1': a decay in [0, 1)").arg(p.value(emaO)));
    if (!inputDropout)
        return failText(QStringLiteral("train: --vitals-input-dropout '%1': a probability in [0, 1)").arg(p.value(inDropO)));
    tp.vitalsEmaDecay = *ema;
    tp.vitalsInputDropout = *inputDropout;
    if (p.isSet(imageFrom)) {
        tp.imageFromBundle = QDir(p.value(imageFrom)).absolutePath();
        if (p.isSet(imgOnly)) return failText(QStringLiteral("train: --image-from and --image-only exclude each other"));
    }
    auto source = [&p](const QCommandLineOption &o, const QString &dir) {
        return p.isSet(o) ? p.value(o) : QStringLiteral("folder '%1' (no source named: pass --%2)").arg(QDir(dir).dirName(), o.names().first());
    };
    tp.imagesSource = source(imgSrc, tp.imagesDir);
    tp.vitalsSource = source(vitSrc, tp.vitalsDir);
    // Data are named by their last two folders, never by this machine's path.
    auto dataName = [](const QString &dir) { return QDir(dir).dirName().isEmpty() ? dir : QFileInfo(dir).dir().dirName() + '/' + QDir(dir).dirName(); };
    tp.imagesName = dataName(tp.imagesDir);
    tp.vitalsName = dataName(tp.vitalsDir);
    // The command as run, paths relative to the working folder (the repository for scripts/train-model.sh).
    QStringList recorded;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--signing-key") || a.startsWith(QLatin1String("--signing-key="))) {
            if (a == QLatin1String("--signing-key")) ++i;   // where the secret key lives is nobody's business
            continue;
        }
        recorded << (QFileInfo(a).isAbsolute() && QFileInfo::exists(a) ? QDir::current().relativeFilePath(a) : a);
    }
    tp.command = QStringLiteral("clinsight-cli ") + recorded.join(' ');
    tp.commit = cs::buildCommit();
    tp.signingKeyPath = p.isSet(keyO) ? p.value(keyO) : cs::env::signingKeyFile();
    if (tp.signingKeyPath.isEmpty())
        err() << "clinsight-cli train: no --signing-key: the bundle will be unsigned, and ClinSight will refuse to load it until "
                 "`clinsight-cli bundle sign`\n";
    if (p.isSet(evalOnly)) {
        cs::JobControl ec;
        auto m = cs::runJob<QJsonObject>(ec, [&](cs::JobControl &c) {
            return cs::recordBundleEvaluation(tp, c, QStringLiteral("measured and recorded by `%1`").arg(tp.command));
        });
        if (!m) return fail(m.error());
        out() << cs::evaluationTable(m->value("evaluation").toObject());
        return kExitOk;
    }
    cs::JobControl control;
    control.setProgressCallback([](qint64 d, qint64 t, const QString &what) {
        if (!what.isEmpty()) err() << "[train] stage " << d << "/" << t << ": " << what << "\n", err().flush();
    });
    auto r = cs::runJob<cs::TrainResult>(control, [&](cs::JobControl &c) { return cs::trainHybridModel(tp, c); });
    if (!r) return fail(r.error());
    if (tp.imageOnly) {
        out() << "Image branch checkpoint written to " << QDir(r->bundleDir).filePath(QStringLiteral("checkpoints"))
              << " in " << QString::number(r->seconds / 60, 'f', 1) << " min; continue with --resume\n";
        return kExitOk;
    }
    out() << "Bundle written to " << r->bundleDir << " in " << QString::number(r->seconds / 60, 'f', 1) << " min\n";
    out() << cs::evaluationTable(r->manifest.value("evaluation").toObject());
    return kExitOk;
}

} // namespace cli
