#include "cli.h"

#include <QFile>
#include <cstdio>

namespace cli {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

bool parse(QCommandLineParser &p, const QStringList &args, const QString &description, int &exitCode,
           int minPositional, int maxPositional)
{
    p.setApplicationDescription(description + QStringLiteral("\nFor research and decision support - not a diagnosis."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    p.addOption(help);
    if (!p.parse(args)) {
        err() << "clinsight-cli " << args.value(0) << ": " << p.errorText() << "\n";
        exitCode = kExitBadInput;
        return false;
    }
    if (p.isSet(help)) {
        QString text = p.helpText();
        text.replace(QCoreApplication::applicationFilePath(), QStringLiteral("clinsight-cli ") + args.value(0));
        text.replace(QStringLiteral("Usage: ") + QCoreApplication::applicationName(),
                     QStringLiteral("Usage: clinsight-cli ") + args.value(0));
        out() << text;
        out().flush();
        exitCode = kExitOk;
        return false;
    }
    const int n = int(p.positionalArguments().size());
    if (n < minPositional || (maxPositional >= 0 && n > maxPositional)) {
        err() << "clinsight-cli " << args.value(0) << ": wrong number of arguments (see --help)\n";
        exitCode = kExitBadInput;
        return false;
    }
    return true;
}

int fail(const cs::Error &e)
{
    err() << "clinsight-cli: " << e.message() << "\n";
    err().flush();
    if (e.code == cs::Error::Code::Integrity) return kExitIntegrity;
    if (e.code == cs::Error::Code::Denied) return kExitDenied;
    return e.code == cs::Error::Code::Internal ? kExitFailure : kExitBadInput;
}

int failText(const QString &message)
{
    err() << "clinsight-cli: " << message << "\n";
    err().flush();
    return kExitBadInput;
}

namespace {
// A "kB" field of /proc/self/status ("VmHWM:", "VmRSS:") in MiB; 0 where unavailable.
double statusMb(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field)) return line.mid(field.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}
} // namespace

double peakRssMb() { return statusMb("VmHWM:"); }
double residentMb() { return statusMb("VmRSS:"); }

int bench(const QStringList &args)
{
    const QString what = args.value(1);
    if (what == QLatin1String("dicom"))
        return benchDicom(args.mid(1));
    if (what == QLatin1String("inference"))
        return benchInference(args.mid(1));
    if (what == QLatin1String("series"))
        return benchSeries(args.mid(1));
    out() << "Usage: clinsight-cli bench dicom PATH... | bench inference [options] | bench series PATH... [--cache-mb MB]\n"
             "Measured benchmarks: median of repeats, with the thread count and device used.\n";
    out().flush();
    return (what == QLatin1String("--help") || what == QLatin1String("-h")) ? kExitOk : kExitBadInput;
}

const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"dicom-info", "patients/studies/series/instances of DICOM files, folders or a DICOMDIR", dicomInfo},
        {"dicom-render", "render one DICOM frame to PNG through the standard display pipeline (--seg: with a segmentation drawn)", dicomRender},
        {"dicom-seg", "segments, frames and source images of a DICOM Segmentation", dicomSeg},
        {"vitals", "hourly vitals grid with NEWS2, qSOFA and SIRS per hour", vitals},
        {"train", "train the hybrid model bundle from image and vitals folders", train},
        {"predict-images", "image-branch risk for every PNG/DICOM image in a folder", predictImages},
        {"predict-vitals", "vitals-branch risk per hour for every PhysioNet .psv in a folder", predictVitals},
        {"explain-image", "Grad-CAM of the image branch as a 16-bit PNG and its risk as JSON", explainImage},
        {"explain-vitals", "vitals risk at one hour and the attention over the hours before it", explainVitals},
        {"bundle", "model bundle signatures: keygen, sign, verify", bundle},
        {"audit", "the audit log: verify its hash chain and signed head, export CSV", audit},
        {"deidentify", "a de-identified copy of DICOM files and patient folders (PS3.15 basic profile, dates moved)", deidentify},
        {"accounts", "local accounts and roles of a clinical database: init, add, list, reset-password, unlock, recover", accounts},
        {"evaluate", "metrics of the model and baselines on labelled data", evaluate},
        {"triage", "headless worklist: a cohort folder scored, most urgent first", triage},
        {"pacs", "the PACS: echo, find, retrieve, triage (DIMSE or DICOMweb), results sent back as SR and SC", pacs},
        {"listen", "storage SCP: receive pushed studies, optionally score each as it arrives", listen},
#ifdef CLINSIGHT_WITH_REPORT
        {"report", "one patient's assessment as a PDF (image, vitals, scores, risks, notes, model)", report},
#else
        {"report", "one patient's assessment as a PDF (not in this build: built without the GUI)",
         [](const QStringList &) { return failText(QStringLiteral("report: this clinsight-cli was built without the GUI; the PDF writer needs QtGui")); }},
#endif
        {"bench", "benchmarks: 'bench dicom PATH...', 'bench inference', 'bench series PATH...'", bench},
    };
    return list;
}

} // namespace cli
