// clinsight-cli explain-image / explain-vitals: the model's explanations as
// files and numbers, for scripts and independent checks of their faithfulness.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/imaging/rasterfile.h"
#include "clinsight/model/explanations.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <cmath>

namespace cli {

namespace {
QJsonObject modelJson(const cs::HybridModel &m)
{
    return QJsonObject{{"name", m.name()}, {"version", m.version()},
                       {"weights_sha256", m.manifest().value("files").toObject().value("weights.pt").toString()}};
}
} // namespace

int explainImage(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("PNG/JPEG or DICOM images."), QStringLiteral("FILE..."));
    const QCommandLineOption outO(QStringLiteral("out-dir"), QStringLiteral("Folder for NAME.cam.png and NAME.json (created if missing)."),
                                  QStringLiteral("DIR"));
    p.addOptions({outO, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Grad-CAM of the image branch for each FILE: DIR/NAME.cam.png, a 16-bit grey PNG of the\n"
                                       "displayed frame's size whose values are the map scaled to 0..65535, and DIR/NAME.json with\n"
                                       "the risk, logit, alert and the model (NAME: the file name without its extension).\n"
                                       "Unreadable files and images the branch does not apply to: one line each on stderr, exit 2\n"
                                       "(the other files are still explained)."), code, 1))
        return code;
    if (!p.isSet(outO)) return failText(QStringLiteral("explain-image: --out-dir DIR is required"));
    const QDir outDir(p.value(outO));
    if (!QDir().mkpath(outDir.path())) return failText(QStringLiteral("%1: cannot create the folder").arg(outDir.path()));
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    int bad = 0, done = 0;
    QSet<QString> names;
    for (const QString &path : p.positionalArguments()) {
        const QString name = QFileInfo(path).completeBaseName();
        if (names.contains(name)) {
            err() << "clinsight-cli: " << path << ": another input is also named '" << name << "'; outputs would collide, skipped\n";
            ++bad;
            continue;
        }
        names.insert(name);
        auto img = cs::loadScorableImage(path);
        if (!img) { fail(img.error()); ++bad; continue; }
        auto r = model->scoreImage(img->frame, img->dicom ? &*img->dicom : nullptr, true);
        if (!r) { fail(r.error()); ++bad; continue; }
        if (!r->applicable) {
            err() << "clinsight-cli: " << path << ": the image branch does not apply: " << r->notApplicableReason << "\n";
            ++bad;
            continue;
        }
        const cs::HeatmapGrid &cam = r->gradCam;
        const std::vector<float> full = cs::heatmapOnFrame(cam);
        std::vector<std::uint16_t> v(full.size());
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = std::uint16_t(std::lround(std::clamp(double(full[i]), 0.0, 1.0) * 65535.0));
        const QString camPath = outDir.filePath(name + QStringLiteral(".cam.png"));
        if (auto s = cs::writePng16(camPath, cam.frameWidth, cam.frameHeight, v); !s) { fail(s.error()); ++bad; continue; }
        const QJsonObject j{{"file", QFileInfo(path).fileName()},
                            {"risk", r->risk},
                            {"logit", r->logit},
                            {"alert", r->alert},
                            {"threshold", model->thresholds().image},
                            {"cam", QJsonObject{{"file", QFileInfo(camPath).fileName()}, {"width", cam.frameWidth}, {"height", cam.frameHeight},
                                                {"grid_width", cam.gridWidth}, {"grid_height", cam.gridHeight},
                                                {"method", "Grad-CAM of the last residual block, upsampled bilinearly, scaled to 0..65535"}}},
                            {"model", modelJson(model.value())},
                            {"disclaimer", "For research and decision support - not a diagnosis."}};
        QString e;
        if (!writeText(outDir.filePath(name + QStringLiteral(".json")), QString::fromUtf8(QJsonDocument(j).toJson(QJsonDocument::Indented)), &e)) {
            failText(e);
            ++bad;
            continue;
        }
        out() << name << ": risk " << QString::number(r->risk, 'f', 3) << (r->alert ? " (alert)" : "") << "\n";
        ++done;
    }
    out().flush();
    err() << "explain-image: " << done << " explained, " << bad << " refused; model " << model->name() << " " << model->version() << "\n";
    return bad ? kExitBadInput : kExitOk;
}

int explainVitals(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A vitals record (PhysioNet .psv/.txt, CSV, FHIR JSON)."));
    const QCommandLineOption hourO(QStringLiteral("hour"), QStringLiteral("Hour to explain (0 = the record's first)."), QStringLiteral("T"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print {\"hour\", \"risk\", \"attention\", ...} as JSON."));
    p.addOptions({hourO, json, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("The vitals branch's risk at hour T and the attention weights over hours 0..T that produced it\n"
                                       "(the record as it stood at the end of hour T)."), code, 1, 1))
        return code;
    const QString file = p.positionalArguments().first();
    bool ok = false;
    const int hour = p.value(hourO).toInt(&ok);
    if (!p.isSet(hourO) || !ok) return failText(QStringLiteral("%1: --hour must be a whole number of hours").arg(file));
    auto t = cs::importVitals(file);
    if (!t) return fail(t.error());
    t->labels.assign(t->labels.size(), -1);   // labels are never an input
    auto model = loadModel(p);
    if (!model) return fail(model.error());
    auto e = cs::explainVitalsAt(model.value(), t.value(), hour);
    if (!e) return fail(e.error());
    if (p.isSet(json)) {
        QJsonArray a;
        for (float w : e->attention) a.append(double(w));
        out() << QJsonDocument(QJsonObject{{"file", QFileInfo(file).fileName()}, {"hour", hour}, {"risk", e->risk}, {"alert", e->alert},
                                           {"threshold", model->thresholds().vitals}, {"attention", a},
                                           {"model", modelJson(model.value())},
                                           {"disclaimer", "For research and decision support - not a diagnosis."}})
                     .toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out() << "hour " << hour << ": sepsis risk " << QString::number(e->risk, 'f', 4) << " ("
          << cs::relativeToAlertLevel(e->risk, model->thresholds().vitals) << (e->alert ? ", alert" : "") << ")\n"
          << "most-attended hours:";
    for (int h : cs::mostAttendedHours(e->attention, 5)) out() << " " << h << " (" << QString::number(e->attention[size_t(h)], 'f', 3) << ")";
    out() << "\nattention per hour:";
    for (float w : e->attention) out() << " " << QString::number(w, 'f', 3);
    out() << "\nFor research and decision support - not a diagnosis.\n";
    return kExitOk;
}

} // namespace cli
