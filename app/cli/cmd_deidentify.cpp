// clinsight-cli deidentify IN... --out DIR: a de-identified copy for research (DICOM PS3.15).
#include "cli.h"
#include "scorableinputs.h"

#include "clinsight/clinical/deidentifiedexport.h"

#include <optional>

namespace cli {

int deidentify(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("DICOM files, patient folders or cohort folders."), QStringLiteral("IN..."));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("An empty (or new) folder for the copy."), QStringLiteral("DIR"));
    const QCommandLineOption burnedOpt(QStringLiteral("confirm-burned-in"),
        QStringLiteral("Export images that may show text in their pixels too (Burned In Annotation YES, or not recorded for US, XA, "
                       "RF, ES, XC, GM, OT, SC; PNG/JPEG): you have checked that they show no identifying text."));
    const QCommandLineOption mapOpt(QStringLiteral("mapping"), QStringLiteral("Also write original patient -> pseudonym, date offset (owner-only, new file)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption resultsOpt(QStringLiteral("with-results"),
        QStringLiteral("Score each patient folder with the model and export ClinSight's results (results.json) with it."));
    p.addOptions({outOpt, burnedOpt, mapOpt, resultsOpt, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("A de-identified copy: DICOM PS3.15 Basic Application Level Confidentiality Profile with the\n"
                                       "Retain Longitudinal Temporal Information with Modified Dates Option; vitals and patient.json with the\n"
                                       "same pseudonym and date offset per patient. Exit 0 when everything was written, 2 when something\n"
                                       "was refused or failed (each listed; the rest is written), 4 when only burned-in text stopped it."), code, 1))
        return code;
    if (!p.isSet(outOpt)) return failText(QStringLiteral("deidentify: --out DIR is required"));
    cs::DeidentifyExportOptions o;
    o.allowBurnedInAnnotation = p.isSet(burnedOpt);
    o.mappingFile = p.value(mapOpt);
    std::optional<cs::HybridModel> model;
    if (p.isSet(resultsOpt)) {
        auto m = loadModel(p);
        if (!m) {
            err() << "clinsight-cli: model bundle refused: " << m.error().message() << "\n";
            return m.error().code == cs::Error::Code::Integrity ? kExitIntegrity : kExitFailure;
        }
        model = std::move(m.value());
        o.assess = [&model](const cs::PatientInputs &in) { return cs::assessPatient(&*model, in, false); };
    }
    auto r = cs::exportDeidentified(p.positionalArguments(), p.value(outOpt), o);
    if (!r) return fail(r.error());
    for (const auto &i : r->items) {
        if (i.output.isEmpty()) err() << (i.refusedForBurnedInText ? "refused: " : "failed: ") << i.problem << "\n";
        else out() << i.pseudonym << "\t" << i.output << "\n";
    }
    err() << "deidentify: " << r->written << " written for " << r->patients << " patient(s), " << r->refused
          << " refused for possible burned-in text" << (o.allowBurnedInAnnotation ? "" : " (--confirm-burned-in)") << ", " << r->failed
          << " failed\n";
    err().flush();
    if (r->failed) return kExitBadInput;
    return r->refused ? kExitDenied : kExitOk;
}

} // namespace cli
