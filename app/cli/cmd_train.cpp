// clinsight-cli train: the hybrid model bundle from labelled images and PhysioNet 2019 stays.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/foundation/version.h"
#include "clinsight/training/evaluation.h"
#include "clinsight/training/training.h"

#include <QDir>

namespace cli {

int train(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption imgTrain(QStringLiteral("images-train"), QStringLiteral("Folder of training images with labels.csv."), QStringLiteral("DIR"));
    const QCommandLineOption imgVal(QStringLiteral("images-val"), QStringLiteral("Folder of validation images with labels.csv."), QStringLiteral("DIR"));
    const QCommandLineOption vit(QStringLiteral("vitals"), QStringLiteral("Folder of PhysioNet 2019 .psv stays."), QStringLiteral("DIR"));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("Bundle folder to write."), QStringLiteral("DIR"));
    const QCommandLineOption seedO(QStringLiteral("seed"), QStringLiteral("Random seed (default 20261123)."), QStringLiteral("N"), QStringLiteral("20261123"));
    const QCommandLineOption maxStays(QStringLiteral("max-stays"), QStringLiteral("Use at most N stays (0 = all)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption imgEp(QStringLiteral("image-epochs"), QStringLiteral("Maximum image epochs (default 40)."), QStringLiteral("N"), QStringLiteral("40"));
    const QCommandLineOption vitEp(QStringLiteral("vitals-epochs"), QStringLiteral("Maximum vitals epochs (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pairsO(QStringLiteral("fusion-pairs"), QStringLiteral("Fusion training pairs (default 20000)."), QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption hiddenO(QStringLiteral("vitals-hidden"), QStringLiteral("LSTM hidden size (default 64)."), QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption imgSrc(QStringLiteral("images-source"), QStringLiteral("Name, citation and licence of the image data, recorded in the manifest and card."), QStringLiteral("TEXT"));
    const QCommandLineOption vitSrc(QStringLiteral("vitals-source"), QStringLiteral("Name, citation and licence of the vitals data, recorded in the manifest and card."), QStringLiteral("TEXT"));
    p.addOptions({imgTrain, imgVal, vit, outO, seedO, maxStays, imgEp, vitEp, pairsO, hiddenO, imgSrc, vitSrc});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Trains the hybrid model: the CNN on labelled chest radiographs, the LSTM with\n"
                                       "attention on PhysioNet 2019 stays (split by stay with the seed), the fusion head\n"
                                       "on pairs of unrelated images and hours (label: pneumonia or sepsis); calibrates on validation data; writes weights,\n"
                                       "manifest (with SHA-256) and MODEL_CARD.md. Progress on stderr."), code, 0, 0))
        return code;
    for (const auto &o : {imgTrain, imgVal, vit, outO})
        if (!p.isSet(o)) return failText(QStringLiteral("train: --%1 is required").arg(o.names().first()));
    cs::TrainParams tp;
    tp.imagesTrainDir = QDir(p.value(imgTrain)).absolutePath();
    tp.imagesValDir = QDir(p.value(imgVal)).absolutePath();
    tp.vitalsDir = QDir(p.value(vit)).absolutePath();
    tp.outDir = QDir(p.value(outO)).absolutePath();
    tp.seed = p.value(seedO).toULongLong();
    tp.maxStays = p.value(maxStays).toInt();
    tp.imageEpochs = p.value(imgEp).toInt();
    tp.vitalsEpochs = p.value(vitEp).toInt();
    tp.fusionPairs = p.value(pairsO).toInt();
    tp.vitalsHidden = std::max(1, p.value(hiddenO).toInt());
    auto source = [&p](const QCommandLineOption &o, const QString &dir) {
        return p.isSet(o) ? p.value(o) : QStringLiteral("folder '%1' (no source named: pass --%2)").arg(QDir(dir).dirName(), o.names().first());
    };
    tp.imagesSource = source(imgSrc, tp.imagesTrainDir);
    tp.vitalsSource = source(vitSrc, tp.vitalsDir);
    tp.command = QStringLiteral("clinsight-cli ") + args.join(' ');
    tp.commit = cs::buildCommit();
    cs::JobControl control;
    control.setProgressCallback([](qint64 d, qint64 t, const QString &what) {
        if (!what.isEmpty()) err() << "[train] stage " << d << "/" << t << ": " << what << "\n", err().flush();
    });
    auto r = cs::runJob<cs::TrainResult>(control, [&](cs::JobControl &c) { return cs::trainHybridModel(tp, c); });
    if (!r) return fail(r.error());
    out() << "Bundle written to " << r->bundleDir << " in " << QString::number(r->seconds / 60, 'f', 1) << " min\n";
    out() << cs::evaluationTable(r->manifest.value("evaluation").toObject());
    return kExitOk;
}

} // namespace cli
