// clinsight-cli predict-images: image-branch risk for every image of a folder.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/model/applicability.h"
#include "clinsight/model/scorableimage.h"

#include <QDir>

namespace cli {

int predictImages(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder of PNG/JPEG or DICOM images (not recursive)."));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("CSV to write: file,risk,alert."), QStringLiteral("PRED.csv"));
    p.addOptions({outO, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Image-branch risk (calibrated probability of pneumonia) for every image in DIR.\n"
                                       "Images the branch does not apply to, or cannot read, are reported on stderr and left out."), code, 1, 1))
        return code;
    const QDir dir(p.positionalArguments().first());
    auto model = checkOutputFolderAndLoadModel(p, QStringLiteral("predict-images"), outO, dir.path());
    if (!model) return fail(model.error());
    QStringList names = dir.entryList(QDir::Files, QDir::Name);
    QString csv = QStringLiteral("file,risk,alert\n");
    int skipped = 0;
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("predict-images")));
    control.setTotal(names.size());
    std::vector<cs::DisplayFrame> frames;
    QStringList kept;
    for (const QString &n : names) {
        control.advance();
        if (n == QLatin1String("labels.csv")) continue;
        const QString path = dir.filePath(n);
        auto img = cs::loadScorableImage(path);
        if (!img) { err() << "skipped " << img.error().message() << "\n"; ++skipped; continue; }
        QString why;
        if (img->dicom && !cs::imageBranchApplies(*img->dicom, &why)) { err() << "not scored " << path << ": " << why << "\n"; ++skipped; continue; }
        frames.push_back(std::move(img.value().frame));
        kept << n;
    }
    auto risks = model->scoreImages(frames);
    if (!risks) return fail(risks.error());
    const double thr = model->thresholds().image;
    for (int i = 0; i < kept.size(); ++i)
        csv += QStringLiteral("%1,%2,%3\n").arg(kept[i]).arg(risks.value()[i], 0, 'f', 6).arg(risks.value()[i] >= thr ? 1 : 0);
    QString e;
    if (!writeText(p.value(outO), csv, &e)) return failText(e);
    err() << "predict-images: " << kept.size() << " scored, " << skipped << " skipped; model " << model->name() << " "
          << model->version() << " on " << model->device() << "\n";
    return kExitOk;
}

} // namespace cli
