// clinsight-cli predict-vitals: vitals-branch risk at every hour of every stay, causally.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/training/datasets.h"

#include <QDir>
#include <QFileInfo>

namespace cli {

int predictVitals(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder of PhysioNet 2019 .psv files."));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("CSV to write: stay,hour,risk,alert."), QStringLiteral("PRED.csv"));
    p.addOptions({outO, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Vitals-branch risk at every row (hour) of every stay; the risk at hour t uses\n"
                                       "only rows 0..t. SepsisLabel is never read for prediction."), code, 1, 1))
        return code;
    const QString dir = p.positionalArguments().first();
    auto model = checkOutputFolderAndLoadModel(p, QStringLiteral("predict-vitals"), outO, dir);
    if (!model) return fail(model.error());
    const QStringList names = cs::psvFilesIn(dir);
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("predict-vitals")));
    auto stays = cs::loadStays(dir, names, control);
    if (!stays) return fail(stays.error());
    for (auto &s : stays.value()) s.labels.assign(s.labels.size(), -1);  // labels are never an input; rows are kept
    auto scored = model->scoreVitalsBatch(stays.value());
    if (!scored) return fail(scored.error());
    QString csv;
    csv.reserve(names.size() * 40 * 30);
    csv += QStringLiteral("stay,hour,risk,alert\n");
    for (int i = 0; i < names.size(); ++i) {
        const QString stay = QFileInfo(names[i]).completeBaseName();
        const auto &r = scored.value()[i];
        for (int h = 0; h < r.hours; ++h)
            csv += QStringLiteral("%1,%2,%3,%4\n").arg(stay).arg(h).arg(r.riskPerHour[h], 0, 'f', 6).arg(r.alertPerHour[h]);
    }
    QString e;
    if (!writeText(p.value(outO), csv, &e)) return failText(e);
    err() << "predict-vitals: " << names.size() << " stays; model " << model->name() << " " << model->version() << " on "
          << model->device() << "\n";
    return kExitOk;
}

} // namespace cli
