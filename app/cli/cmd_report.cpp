// clinsight-cli report PATIENT_DIR --out report.pdf: one patient's assessment as a PDF
// (built with the GUI only: the PDF writer needs QtGui).
#include "cli.h"
#include "signin.h"
#include "scorableinputs.h"
#include "assessmentreport.h"
#include "clinsight/clinical/triage.h"
#include "clinsight/foundation/environment.h"

#include <QDir>
#include <QFileInfo>
#include <optional>

namespace cli {

int report(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("PATIENT_DIR"), QStringLiteral("One patient's folder (images, one vitals file, optional patient.json)."));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("The PDF to write."), QStringLiteral("FILE"));
    const QCommandLineOption dbOpt(QStringLiteral("database"), QStringLiteral("Clinical database whose saved notes of this patient are included (default: the user's, when it exists)."), QStringLiteral("FILE"));
    p.addOptions({outOpt, dbOpt, kModelOpt});
    addSignInOptions(p);
    int code = 0;
    if (!parse(p, args, QStringLiteral("One patient's assessment as a PDF: image with Grad-CAM, vitals risk with attention, NEWS2 and\n"
                                       "qSOFA, risks beside their alert levels, saved notes with author and time, the model.\n"
                                       "The saved notes come from the (encrypted) clinical database when --user and --password-file\n"
                                       "sign in to it; the export is then recorded in its audit log."), code, 1, 1)) return code;
    if (!p.isSet(outOpt)) return failText(QStringLiteral("report: --out FILE is required"));
    const QFileInfo dir(p.positionalArguments().first());
    if (!dir.isDir()) return failText(QStringLiteral("%1: not a patient folder").arg(dir.filePath()));
    auto cohort = cs::readCohort(dir.absolutePath());   // the folder holding PATIENT_DIR
    if (!cohort) return fail(cohort.error());
    const cs::PatientInputs *in = nullptr;
    for (const auto &c : cohort.value()) if (QFileInfo(c.folder).canonicalFilePath() == dir.canonicalFilePath()) in = &c;
    if (!in) return failText(QStringLiteral("%1: not a patient folder").arg(dir.filePath()));
    if (!in->problem.isEmpty()) return failText(in->problem);
    if (in->imagePaths.isEmpty() && in->vitalsPath.isEmpty())
        return failText(QStringLiteral("%1: not a patient folder (no images, no vitals file)").arg(dir.filePath()));
    auto model = loadModel(p);
    if (!model) {
        err() << "clinsight-cli: model bundle refused: " << model.error().message() << "\n";
        return model.error().code == cs::Error::Code::Integrity ? kExitIntegrity : kExitFailure;
    }
    auto a = cs::assessPatient(&model.value(), *in, true);
    if (!a) return fail(a.error());
    cs::ReportInputs r;
    r.assessment = &a.value();
    r.model = &model.value();
    r.author = cs::env::operatingSystemUser();
    const QString db = p.isSet(dbOpt) ? p.value(dbOpt) : cs::ClinicalStore::defaultPath();
    std::optional<cs::ClinicalStore> store;
    QString user;
    if (!QFileInfo::exists(db)) {
        r.notesUnavailable = QStringLiteral("no clinical database (%1)").arg(QFileInfo(db).fileName());
    } else if (!signInRequested(p)) {
        r.notesUnavailable = QStringLiteral("not signed in to the clinical database (--user, --password-file)");
    } else {
        auto s = signInFor(p, db, cs::security::Permission::ViewPatients);
        if (!s) return fail(s.error());
        user = s->user;
        r.author = s->fullName.isEmpty() ? s->user : QStringLiteral("%1 (%2)").arg(s->fullName, s->user);
        auto opened = cs::ClinicalStore::open(db, s->databaseKey);
        if (!opened) return fail(opened.error());
        store = std::move(opened.value());
        if (auto notes = store->notes(a->identity.key()); !notes) r.notesUnavailable = notes.error().message();
        else r.notes = notes.value();
    }
    if (auto s = cs::writeAssessmentReport(r, p.value(outOpt)); !s) return fail(s.error());
    if (store)
        if (auto st = store->audit(user, QStringLiteral("report exported"), a->identity.key(), QFileInfo(p.value(outOpt)).fileName()); !st)
            return fail(st.error());
    out() << "report of " << a->inputs.displayName << " written to " << p.value(outOpt) << "\n";
    return kExitOk;
}

} // namespace cli
