// clinsight-cli pacs echo|find|retrieve|triage (--pacs AET@HOST:PORT or --dicomweb URL)
// and clinsight-cli listen: the hospital side from the command line.
#include "cli.h"
#include "scorableinputs.h"
#include "clinsight/clinical/pacstriage.h"
#include "clinsight/pacs/dicomweb.h"
#include "clinsight/pacs/storagelistener.h"
#include "clinsight/clinical/triage.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <csignal>
#include <mutex>

namespace cli {

namespace {

const QCommandLineOption kPacsOpt(QStringLiteral("pacs"), QStringLiteral("The PACS' DIMSE address."), QStringLiteral("AET@HOST:PORT"));
const QCommandLineOption kWebOpt(QStringLiteral("dicomweb"), QStringLiteral("The PACS' DICOMweb base URL (instead of --pacs)."), QStringLiteral("URL"));
const QCommandLineOption kAetOpt(QStringLiteral("aet"), QStringLiteral("Our AE title (default CLINSIGHT)."), QStringLiteral("OURS"), QStringLiteral("CLINSIGHT"));
const QCommandLineOption kPortOpt(QStringLiteral("port"), QStringLiteral("Our storage SCP's port, the C-MOVE destination the PACS knows."), QStringLiteral("N"));
const QCommandLineOption kTimeoutOpt(QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the PACS at each step (default 30)."), QStringLiteral("S"), QStringLiteral("30"));
const QCommandLineOption kJsonOpt(QStringLiteral("json"), QStringLiteral("Print JSON."));

void addNodeOptions(QCommandLineParser &p) { p.addOptions({kPacsOpt, kWebOpt, kAetOpt, kPortOpt, kTimeoutOpt}); }

cs::Result<cs::PacsNode> nodeFrom(const QCommandLineParser &p)
{
    if (p.isSet(kPacsOpt) == p.isSet(kWebOpt))
        return cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("--pacs/--dicomweb"), QStringLiteral("give exactly one of --pacs AET@HOST:PORT and --dicomweb URL"));
    auto n = p.isSet(kPacsOpt) ? cs::parsePacsAddress(p.value(kPacsOpt), p.value(kAetOpt)) : cs::parseDicomWebAddress(p.value(kWebOpt));
    if (!n) return n;
    bool ok = true;
    if (p.isSet(kPortOpt)) n->localPort = p.value(kPortOpt).toInt(&ok);
    if (!ok || n->localPort < 0 || n->localPort > 65535)
        return cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("--port"), QStringLiteral("'%1' is not a port (1-65535)").arg(p.value(kPortOpt)));
    n->timeoutSeconds = p.value(kTimeoutOpt).toInt(&ok);
    if (!ok || n->timeoutSeconds < 1)
        return cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("--timeout"), QStringLiteral("'%1' is not a number of seconds").arg(p.value(kTimeoutOpt)));
    if (const QString why = n->problem(); !why.isEmpty()) return cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("PACS node"), why);
    return n;
}

// Network failures are exit 1 (the peer), bad arguments exit 2.
int failNet(const cs::Error &e)
{
    err() << "clinsight-cli: " << e.message() << "\n";
    err().flush();
    return e.code == cs::Error::Code::Invalid ? kExitBadInput : kExitFailure;
}

QJsonObject studyJson(const cs::StudyMatch &m)
{
    return {{"studyUid", m.studyUid}, {"patientId", m.patientId}, {"patientName", m.patientName}, {"birthDate", m.patientBirthDate},
            {"sex", m.patientSex}, {"studyDate", m.studyDate}, {"studyTime", m.studyTime}, {"description", m.studyDescription},
            {"accessionNumber", m.accessionNumber}, {"modalities", QJsonArray::fromStringList(m.modalities)},
            {"series", m.seriesCount}, {"instances", m.instanceCount}};
}

bool parseQuery(const QCommandLineParser &p, cs::StudyQuery &q, const QCommandLineOption &pid, const QCommandLineOption &mod,
                const QCommandLineOption &date, QString &why)
{
    q.patientId = p.value(pid);
    if (p.isSet(mod)) q.modalities = p.value(mod).toUpper().split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (p.isSet(date) && !cs::parseDateRange(p.value(date), q.dateFrom, q.dateTo)) {
        why = QStringLiteral("--study-date '%1': expected YYYYMMDD-YYYYMMDD (either side may be empty)").arg(p.value(date));
        return false;
    }
    return true;
}

const QString kDisclaimer = QStringLiteral("For research and decision support - not a diagnosis.");

int pacsEcho(const QStringList &args)
{
    QCommandLineParser p;
    addNodeOptions(p);
    int code = 0;
    if (!parse(p, args, QStringLiteral("Checks that the PACS answers: C-ECHO (DIMSE) or a QIDO-RS request (DICOMweb)."), code, 0, 0)) return code;
    auto n = nodeFrom(p);
    if (!n) return failNet(n.error());
    const cs::Status s = n->hasDimse() ? cs::dimseEcho(n.value()) : cs::dicomWebPing(n.value());
    if (!s) return failNet(s.error());
    out() << n->label() << ": answers (" << (n->hasDimse() ? "C-ECHO" : "QIDO-RS") << " ok)\n";
    return kExitOk;
}

int pacsFind(const QStringList &args)
{
    QCommandLineParser p;
    addNodeOptions(p);
    const QCommandLineOption pid(QStringLiteral("patient-id"), QStringLiteral("Patient ID to match."), QStringLiteral("ID"));
    const QCommandLineOption mod(QStringLiteral("modality"), QStringLiteral("Modalities in study, any of (e.g. CR,DX)."), QStringLiteral("LIST"));
    const QCommandLineOption date(QStringLiteral("study-date"), QStringLiteral("Study date range."), QStringLiteral("FROM-TO"));
    const QCommandLineOption study(QStringLiteral("study"), QStringLiteral("List the series of this study (series level) instead."), QStringLiteral("UID"));
    p.addOptions({pid, mod, date, study, kJsonOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Studies on the PACS (C-FIND study level, or QIDO-RS); with --study UID the series of that study."), code, 0, 0)) return code;
    auto n = nodeFrom(p);
    if (!n) return failNet(n.error());
    if (p.isSet(study)) {
        cs::JobControl control;
        auto r = n->hasDimse() ? cs::dimseFindSeries(n.value(), p.value(study), control) : cs::dicomWebFindSeries(n.value(), p.value(study), control);
        if (!r) return failNet(r.error());
        QJsonArray rows;
        for (const auto &m : r.value())
            rows.append(QJsonObject{{"seriesUid", m.seriesUid}, {"modality", m.modality}, {"description", m.seriesDescription},
                                    {"bodyPart", m.bodyPart}, {"number", m.seriesNumber}, {"instances", m.instanceCount}});
        if (p.isSet(kJsonOpt)) {
            out() << QJsonDocument(QJsonObject{{"node", n->label()}, {"studyUid", p.value(study)}, {"series", rows}}).toJson(QJsonDocument::Indented);
        } else {
            out() << n->label() << ": " << r->size() << " series in " << p.value(study) << "\n";
            for (const auto &m : r.value())
                out() << QStringLiteral("%1  %2  %3  %4 instances  %5\n").arg(m.seriesNumber, 4).arg(m.modality, -3).arg(m.seriesDescription, -30).arg(m.instanceCount).arg(m.seriesUid);
        }
        return kExitOk;
    }
    cs::StudyQuery q;
    QString why;
    if (!parseQuery(p, q, pid, mod, date, why)) return failText(why);
    cs::JobControl control;
    auto r = n->hasDimse() ? cs::dimseFindStudies(n.value(), q, control) : cs::dicomWebFindStudies(n.value(), q, control);
    if (!r) return failNet(r.error());
    if (p.isSet(kJsonOpt)) {
        QJsonArray rows;
        for (const auto &m : r.value()) rows.append(studyJson(m));
        out() << QJsonDocument(QJsonObject{{"node", n->label()}, {"studies", rows}}).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out() << n->label() << ": " << r->size() << " stud" << (r->size() == 1 ? "y" : "ies") << "\n";
    for (const auto &m : r.value())
        out() << QStringLiteral("%1  %2  %3  %4  %5 series/%6 instances  %7\n").arg(m.patientId, -12).arg(m.studyDate, 8)
                     .arg(m.modalities.join(QLatin1Char(',')), -6).arg(m.patientName, -20).arg(m.seriesCount).arg(m.instanceCount).arg(m.studyUid);
    return kExitOk;
}

int pacsRetrieve(const QStringList &args)
{
    QCommandLineParser p;
    addNodeOptions(p);
    const QCommandLineOption study(QStringLiteral("study"), QStringLiteral("Study Instance UID."), QStringLiteral("UID"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Destination folder (the study lands in DIR/<UID>)."), QStringLiteral("DIR"));
    const QCommandLineOption method(QStringLiteral("method"), QStringLiteral("move (default) or get (DIMSE only)."), QStringLiteral("move|get"), QStringLiteral("move"));
    p.addOptions({study, to, method});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Retrieves one study (C-MOVE to our storage SCP, C-GET, or WADO-RS). The study\n"
                                       "appears in DIR/<UID> only when complete."), code, 0, 0)) return code;
    auto n = nodeFrom(p);
    if (!n) return failNet(n.error());
    if (!p.isSet(study) || !p.isSet(to)) return failText(QStringLiteral("pacs retrieve: --study UID and --to DIR are required"));
    const QString m = p.value(method);
    if (m != QLatin1String("move") && m != QLatin1String("get")) return failText(QStringLiteral("--method '%1': move or get").arg(m));
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("retrieve")));
    auto r = n->hasDimse() ? cs::dimseRetrieveStudy(n.value(), p.value(study), p.value(to), m == QLatin1String("get") ? cs::RetrieveMethod::Get : cs::RetrieveMethod::Move, control)
                           : cs::dicomWebRetrieveStudy(n.value(), p.value(study), p.value(to), control);
    if (!r) return failNet(r.error());
    out() << "retrieved " << r->files.size() << " instance(s) of " << r->studyUid << " into " << r->folder << "\n";
    return kExitOk;
}

QJsonValue optPct(bool has, double v) { return has ? QJsonValue(v) : QJsonValue(); }
QString pct(bool has, double v) { return has ? QStringLiteral("%1%").arg(v * 100, 0, 'f', 1) : QStringLiteral("n/a"); }

int pacsTriage(const QStringList &args)
{
    QCommandLineParser p;
    addNodeOptions(p);
    const QCommandLineOption mod(QStringLiteral("modality"), QStringLiteral("Modalities in study (default CR,DX)."), QStringLiteral("LIST"), QStringLiteral("CR,DX"));
    const QCommandLineOption pid(QStringLiteral("patient-id"), QStringLiteral("Patient ID to match."), QStringLiteral("ID"));
    const QCommandLineOption date(QStringLiteral("study-date"), QStringLiteral("Study date range."), QStringLiteral("FROM-TO"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Work folder (studies/ and results/ in it; default a new temporary folder)."), QStringLiteral("DIR"));
    const QCommandLineOption method(QStringLiteral("method"), QStringLiteral("move (default) or get."), QStringLiteral("move|get"), QStringLiteral("move"));
    const QCommandLineOption store(QStringLiteral("store-results"), QStringLiteral("Send one SR and one Grad-CAM secondary capture per scored study back to the PACS."));
    p.addOptions({mod, pid, date, to, method, store, kJsonOpt, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Find, retrieve and score every matching study, print the worklist most urgent\n"
                                       "first; with --store-results send the results back into each study."), code, 0, 0)) return code;
    auto n = nodeFrom(p);
    if (!n) return failNet(n.error());
    cs::PacsTriageParams tp;
    tp.node = n.value();
    tp.dicomWeb = !n->hasDimse();
    tp.method = p.value(method) == QLatin1String("get") ? cs::RetrieveMethod::Get : cs::RetrieveMethod::Move;
    tp.storeResults = p.isSet(store);
    QString why;
    if (!parseQuery(p, tp.query, pid, mod, date, why)) return failText(why);
    QTemporaryDir tmp;
    tmp.setAutoRemove(!p.isSet(to));
    tp.workDir = p.isSet(to) ? p.value(to) : tmp.path();
    auto model = loadModel(p);
    if (!model) {
        err() << "clinsight-cli: model bundle refused: " << model.error().message() << "\n";
        return model.error().code == cs::Error::Code::Integrity ? kExitIntegrity : kExitFailure;
    }
    cs::JobControl control;
    control.setProgressCallback(cs::stderrProgress(QStringLiteral("pacs triage")));
    auto r = cs::runJob<std::vector<cs::PacsTriageStudy>>(control, [&](cs::JobControl &c) { return cs::triagePacs(&model.value(), tp, c); });
    if (!r) return failNet(r.error());
    int failures = 0;
    QJsonArray rows;
    QTextStream &o = out();
    if (!p.isSet(kJsonOpt))
        o << "ClinSight PACS worklist - " << n->label() << " - model " << model->name() << ' ' << model->version() << "\n" << kDisclaimer << "\n\n";
    int rank = 0;
    for (const auto &s : r.value()) {
        const cs::PatientAssessment *a = s.assessment ? &*s.assessment : nullptr;
        const bool img = a && s.applicable;
        const bool fused = a && a->fused.available;
        const cs::HourlyScores *sc = a ? a->lastScores() : nullptr;
        QString status = !s.failure.isEmpty() ? QStringLiteral("FAILED") : !s.applicable ? QStringLiteral("not applicable")
                       : s.resultsStored ? QStringLiteral("SR+SC stored") : QStringLiteral("scored");
        if (!s.failure.isEmpty()) ++failures;
        QStringList results;
        for (const auto &w : s.results) results << w.sopInstanceUid;
        ++rank;
        if (p.isSet(kJsonOpt)) {
            rows.append(QJsonObject{{"rank", rank}, {"study", studyJson(s.match)}, {"status", status},
                                    {"failure", s.failure.isEmpty() ? QJsonValue() : QJsonValue(s.failure)},
                                    {"applicable", s.applicable}, {"imageRisk", optPct(img, img ? a->image->risk : 0)},
                                    {"fusedRisk", optPct(fused, fused ? a->fused.risk : 0)},
                                    {"news2", sc ? QJsonValue(sc->news2.points) : QJsonValue()},
                                    {"flag", a ? a->flagged : false}, {"resultsStored", s.resultsStored},
                                    {"resultInstances", QJsonArray::fromStringList(results)},
                                    {"notes", a ? QJsonArray::fromStringList(a->notes) : QJsonArray()}});
        } else {
            o << QStringLiteral("%1 %2 %3 %4 %5  %6  %7\n").arg(rank, 2).arg(a ? a->inputs.id.left(24) : s.match.patientId.left(24), -24)
                     .arg(pct(img, img ? a->image->risk : 0), 7).arg(a && a->flagged ? QStringLiteral("FLAG") : QString(), 4)
                     .arg(status, -14).arg(s.match.modalities.join(QLatin1Char(','))).arg(s.match.studyUid);
            if (!s.failure.isEmpty()) o << "      - " << s.failure << "\n";
            else if (a && !s.applicable && a->image) o << "      - " << a->image->notApplicableReason << "\n";
        }
    }
    if (p.isSet(kJsonOpt))
        o << QJsonDocument(QJsonObject{{"node", n->label()}, {"model", model->name() + ' ' + model->version()},
                                       {"disclaimer", kDisclaimer}, {"studies", rows}}).toJson(QJsonDocument::Indented);
    return failures ? kExitFailure : kExitOk;
}

std::atomic<bool> g_stop{false};
void onSignal(int) { g_stop = true; }

} // namespace

int pacs(const QStringList &args)
{
    const QString what = args.value(1);
    if (what == QLatin1String("echo")) return pacsEcho(args.mid(1));
    if (what == QLatin1String("find")) return pacsFind(args.mid(1));
    if (what == QLatin1String("retrieve")) return pacsRetrieve(args.mid(1));
    if (what == QLatin1String("triage")) return pacsTriage(args.mid(1));
    out() << "Usage: clinsight-cli pacs echo|find|retrieve|triage (--pacs AET@HOST:PORT | --dicomweb URL) ... (each has --help)\n";
    return what.isEmpty() || what == QLatin1String("--help") ? (what.isEmpty() ? kExitBadInput : kExitOk) : kExitBadInput;
}

int listen(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption aet(QStringLiteral("aet"), QStringLiteral("Our AE title (default CLINSIGHT)."), QStringLiteral("AET"), QStringLiteral("CLINSIGHT"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on."), QStringLiteral("N"));
    const QCommandLineOption storeDir(QStringLiteral("store"), QStringLiteral("Where received studies are kept (DIR/<StudyUID>/)."), QStringLiteral("DIR"));
    const QCommandLineOption triage(QStringLiteral("triage"), QStringLiteral("Score every study as it arrives and print the worklist, most urgent first."));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Stop after this many seconds (default: until SIGINT/SIGTERM)."), QStringLiteral("S"));
    p.addOptions({aet, port, storeDir, triage, seconds, kModelOpt});
    int code = 0;
    if (!parse(p, args, QStringLiteral("ClinSight's storage SCP: receives studies pushed by modalities, routers and PACS\n"
                                       "(C-STORE; C-ECHO answered) and with --triage scores each as it arrives."), code, 0, 0)) return code;
    bool ok = false;
    const int portNo = p.value(port).toInt(&ok);
    if (!ok || !p.isSet(storeDir)) return failText(QStringLiteral("listen: --port N and --store DIR are required"));
    std::optional<cs::HybridModel> model;
    if (p.isSet(triage)) {
        auto m = loadModel(p);
        if (!m) { err() << "clinsight-cli: model bundle refused: " << m.error().message() << "\n"; return m.error().code == cs::Error::Code::Integrity ? kExitIntegrity : kExitFailure; }
        model = m.value();
    }
    std::mutex mu;
    std::vector<cs::PatientAssessment> worklist;
    QStringList pending;
    cs::StorageListener listener;
    cs::StorageListener::Params lp;
    lp.aeTitle = p.value(aet);
    lp.port = portNo;
    lp.storeDir = p.value(storeDir);
    auto started = listener.start(lp, [&](const cs::AssociationReport &r) {
        std::lock_guard<std::mutex> g(mu);
        err() << "listen: association from " << r.callingAeTitle << " (" << r.peerHost << "): " << r.stored.size() << " stored, "
              << r.refused.size() << " refused" << (r.released ? "" : ", aborted") << "\n";
        for (const QString &why : r.refused) err() << "listen:   refused " << why << "\n";
        err().flush();
        for (const QString &uid : r.studyUids()) if (!pending.contains(uid)) pending << uid;
    });
    if (!started) return failNet(started.error());
    err() << "listen: " << lp.aeTitle << " on port " << portNo << ", storing into " << lp.storeDir << "\n";
    err().flush();
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QElapsedTimer clock;
    clock.start();
    const qint64 limitMs = p.isSet(seconds) ? qint64(p.value(seconds).toDouble() * 1000) : -1;
    while (!g_stop && (limitMs < 0 || clock.elapsed() < limitMs)) {
        QStringList todo;
        { std::lock_guard<std::mutex> g(mu); todo.swap(pending); }
        for (const QString &uid : todo) {
            if (!model) continue;
            const QString folder = QDir(lp.storeDir).filePath(uid);
            auto a = cs::assessPatient(&*model, cs::studyFolderInputs(folder, uid.right(24)), false);
            if (!a) { err() << "listen: study " << uid << " not scored: " << a.error().message() << "\n"; continue; }
            worklist.erase(std::remove_if(worklist.begin(), worklist.end(), [&](const cs::PatientAssessment &x) { return x.inputs.folder == a->inputs.folder; }), worklist.end());
            worklist.push_back(a.value());
            cs::sortByUrgency(worklist);
            out() << "worklist (" << worklist.size() << " stud" << (worklist.size() == 1 ? "y" : "ies") << ", most urgent first) - " << kDisclaimer << "\n";
            int rank = 0;
            for (const auto &w : worklist) {
                const bool img = w.image && w.image->applicable;
                out() << QStringLiteral("%1 %2 %3 %4 %5\n").arg(++rank, 2).arg(w.imageInfo ? w.imageInfo->patientId : QString(), -12)
                             .arg(pct(img, img ? w.image->risk : 0), 7).arg(w.flagged ? QStringLiteral("FLAG") : QString(), 4)
                             .arg(img ? w.inputs.folder : QStringLiteral("not applicable: ") + (w.image ? w.image->notApplicableReason : w.notes.join(QStringLiteral("; "))));
            }
            out().flush();
        }
        QThread::msleep(100);
    }
    listener.stop();
    const cs::ListenerStatus s = listener.status();
    err() << "listen: stopped after " << s.associations << " association(s), " << s.instancesStored << " instance(s) stored, "
          << s.instancesRefused << " refused\n";
    return kExitOk;
}

} // namespace cli
