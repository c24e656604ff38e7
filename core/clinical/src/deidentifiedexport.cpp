#include "clinsight/clinical/deidentifiedexport.h"

#include "clinsight/clinical/triage.h"
#include "clinsight/dicom/deidentify.h"
#include "clinsight/imaging/rasterfile.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSaveFile>
#include <map>

namespace cs {

namespace {

struct Patient {
    QString key;                  // the original identity it was derived from
    DeidentifyPatient plan;
    QString folder;               // OUT/<pseudonym>
};

Patient patientFor(const QString &key, const QByteArray &secret, const QString &outDir)
{
    const QByteArray h = QMessageAuthenticationCode::hash("patient:" + key.toUtf8(), secret, QCryptographicHash::Sha256);
    Patient p;
    p.key = key;
    p.plan.pseudonym = QStringLiteral("CS-") + QString::fromLatin1(h.left(5).toHex()).toUpper();
    const quint32 n = (quint32(quint8(h[10])) << 16) | (quint32(quint8(h[11])) << 8) | quint32(quint8(h[12]));
    p.plan.dateShiftDays = -int(365 + n % (3650 - 365 + 1));
    p.folder = QDir(outDir).filePath(p.plan.pseudonym);
    return p;
}

// patient.json with the pseudonym; free text and identifying fields dropped.
Status writePatientJson(const QString &in, const Patient &p, const QString &out)
{
    QFile f(in);
    if (!f.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, in, {}, f.errorString());
    QJsonParseError pe;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll(), &pe).object();
    if (pe.error != QJsonParseError::NoError) return makeError(Error::Code::Format, in, {}, pe.errorString());
    QJsonObject d{{QStringLiteral("name"), p.plan.pseudonym}, {QStringLiteral("patient_id"), p.plan.pseudonym},
                  {QStringLiteral("deidentified"), QStringLiteral("DICOM PS3.15 basic profile, dates moved by the patient's offset")}};
    if (o.contains(QStringLiteral("image_hour"))) d[QStringLiteral("image_hour")] = o.value(QStringLiteral("image_hour"));
    QSaveFile s(out);
    if (!s.open(QIODevice::WriteOnly)) return makeError(Error::Code::Io, out, {}, s.errorString());
    s.write(QJsonDocument(d).toJson());
    return s.commit() ? Status(Ok{}) : Status(makeError(Error::Code::Io, out, {}, s.errorString()));
}

// The vitals with the pseudonym and the offset (see the header for which format becomes what).
Result<QString> writeVitals(const QString &in, const Patient &p)
{
    if (QFileInfo(in).suffix().toLower() == QLatin1String("psv")) {
        const QString out = QDir(p.folder).filePath(QStringLiteral("vitals.psv"));
        auto t = importPhysioNet2019(in);   // only a file that really is one is copied as it is
        if (!t) return t.error();
        if (QFileInfo::exists(out)) return makeError(Error::Code::Io, out, {}, QStringLiteral("exists already"));
        if (!QFile::copy(in, out)) return makeError(Error::Code::Io, out, {}, QStringLiteral("cannot write"));
        return out;
    }
    auto t = importVitals(in);
    if (!t) return t.error();
    if (!t->start)
        return makeError(Error::Code::Unsupported, in, QStringLiteral("time"),
                         QStringLiteral("%1 records carry no wall-clock times; their de-identified export is not supported yet").arg(t->format));
    const QDateTime origin = t->start->toUTC().addDays(p.plan.dateShiftDays);
    QString csv = QStringLiteral("patient_id,time,variable,value,unit\n");
    for (const auto &[variable, samples] : t->series)
        for (const VitalSample &s : samples)
            csv += QStringLiteral("%1,%2,%3,%4,\n").arg(p.plan.pseudonym, origin.addMSecs(qint64(s.hours * 3600000.0)).toString(Qt::ISODate),
                                                      variable, QString::number(s.value, 'g', 10));
    const QString out = QDir(p.folder).filePath(QStringLiteral("vitals.csv"));
    QSaveFile f(out);
    if (!f.open(QIODevice::WriteOnly)) return makeError(Error::Code::Io, out, {}, f.errorString());
    f.write(csv.toUtf8());
    if (!f.commit()) return makeError(Error::Code::Io, out, {}, f.errorString());
    return out;
}

struct Exporter {
    Exporter(const DeidentifyExportOptions &o, QString out, JobControl *c) : options(o), outDir(std::move(out)), control(c) {}
    const DeidentifyExportOptions &options;
    QString outDir;
    QByteArray secret = newDeidentifySecret();
    std::map<QString, Patient> patients;
    DeidentifyExportResult result;
    JobControl *control;

    const Patient &patient(const QString &key)
    {
        auto it = patients.find(key);
        if (it == patients.end()) it = patients.emplace(key, patientFor(key, secret, outDir)).first;
        QDir().mkpath(it->second.folder);
        return it->second;
    }

    void add(const QString &input, const QString &pseudonym, const Result<QString> &written)
    {
        DeidentifyExportItem item{input, {}, pseudonym, {}, false};
        if (written) { item.output = written.value(); ++result.written; }
        else {
            item.problem = written.error().message();
            item.refusedForBurnedInText = written.error().code == Error::Code::Denied;
            ++(item.refusedForBurnedInText ? result.refused : result.failed);
        }
        result.items.push_back(item);
        if (control) control->advance(1, QFileInfo(input).fileName());
    }

    Result<QString> dicom(const QString &in, const Patient &p)
    {
        DeidentifyOptions o{secret, p.plan, options.allowBurnedInAnnotation};
        const QString tmp = QDir(p.folder).filePath(QStringLiteral(".incoming-%1.dcm").arg(result.items.size()));
        auto r = deidentifyDicomFile(in, tmp, o);
        if (!r) return r.error();
        const QString out = QDir(p.folder).filePath(r->sopInstanceUid + QStringLiteral(".dcm"));
        if (QFileInfo::exists(out) || !QFile::rename(tmp, out)) {
            QFile::remove(tmp);
            return makeError(Error::Code::Io, out, {}, QStringLiteral("exists already (the same instance given twice?)"));
        }
        return out;
    }

    Result<QString> raster(const QString &in, const Patient &p)
    {
        if (!options.allowBurnedInAnnotation)
            return makeError(Error::Code::Denied, in, {}, QStringLiteral("a PNG/JPEG image records no burned-in annotation flag; confirm to export it anyway"));
        auto frame = readRasterImage(in);
        if (!frame) return frame.error();
        const int n = QDir(p.folder).entryList({QStringLiteral("image-*.png")}, QDir::Files).size() + 1;
        const QString out = QDir(p.folder).filePath(QStringLiteral("image-%1.png").arg(n));
        if (auto st = writePng(out, frame.value()); !st) return st.error();   // pixels only: no text chunk survives
        return out;
    }

    void patientFolder(const PatientInputs &in)
    {
        // One patient for everything in the folder: the identity its first DICOM file names, else the declared one, else the folder.
        QString key;
        std::vector<bool> isDicom;   // a file whose patient key reads is DICOM; the others are PNG/JPEG
        for (const QString &img : in.imagePaths) {
            auto k = dicomPatientKey(img);
            isDicom.push_back(k.ok());
            if (k && key.isEmpty()) key = k.value();
        }
        if (key.isEmpty() && !in.declared.patientId.isEmpty()) key = QStringLiteral("id:%1/%2").arg(in.declared.issuer, in.declared.patientId);
        if (key.isEmpty()) key = QStringLiteral("folder:") + in.folder;
        const Patient &p = patient(key);
        for (int i = 0; i < in.imagePaths.size(); ++i) {
            if (control && control->isCancelled()) return;
            const QString &img = in.imagePaths[i];
            add(img, p.plan.pseudonym, isDicom[size_t(i)] ? dicom(img, p) : raster(img, p));
        }
        if (!in.vitalsPath.isEmpty()) add(in.vitalsPath, p.plan.pseudonym, writeVitals(in.vitalsPath, p));
        if (options.assess) {
            auto a = options.assess(in);
            const QString out = QDir(p.folder).filePath(QStringLiteral("results.json"));
            Status st = a ? writeDeidentifiedResults(a.value(), p.plan.pseudonym, out) : Status(a.error());
            add(in.folder, p.plan.pseudonym, st ? Result<QString>(out) : Result<QString>(st.error()));
        }
        const QString meta = QDir(in.folder).filePath(QStringLiteral("patient.json"));
        if (QFileInfo::exists(meta)) {
            const QString out = QDir(p.folder).filePath(QStringLiteral("patient.json"));
            auto st = writePatientJson(meta, p, out);
            add(meta, p.plan.pseudonym, st ? Result<QString>(out) : Result<QString>(st.error()));
        }
    }
};

} // namespace

Result<DeidentifyExportResult> exportDeidentified(const QStringList &inputs, const QString &outDir, const DeidentifyExportOptions &options,
                                                  JobControl *control)
{
    if (!QDir().mkpath(outDir)) return makeError(Error::Code::Io, outDir, {}, QStringLiteral("cannot create the output folder"));
    if (!QDir(outDir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty())
        return makeError(Error::Code::Io, outDir, {}, QStringLiteral("the output folder is not empty; choose an empty one"));
    Exporter e(options, QDir(outDir).absolutePath(), control);
    for (const QString &input : inputs) {
        if (control && control->isCancelled()) return makeError(Error::Code::Cancelled, input, {}, QStringLiteral("cancelled"));
        const QFileInfo fi(input);
        if (fi.isFile()) {
            auto key = dicomPatientKey(fi.absoluteFilePath());
            if (!key) { e.add(input, {}, key.error()); continue; }
            const Patient &p = e.patient(key.value());
            e.add(input, p.plan.pseudonym, e.dicom(fi.absoluteFilePath(), p));
            continue;
        }
        if (!fi.isDir()) { e.add(input, {}, makeError(Error::Code::Io, input, {}, QStringLiteral("not a file or folder"))); continue; }
        // A cohort (sub-folders per patient) or one patient's folder.
        auto cohort = readCohort(fi.absoluteFilePath());
        std::vector<PatientInputs> list = cohort ? cohort.value() : std::vector<PatientInputs>{};
        const bool isCohort = std::any_of(list.begin(), list.end(), [](const PatientInputs &p) { return !p.imagePaths.isEmpty() || !p.vitalsPath.isEmpty(); });
        if (!isCohort) {
            list.clear();
            if (auto parent = readCohort(fi.absolutePath()))
                for (const auto &p : parent.value())
                    if (QFileInfo(p.folder).canonicalFilePath() == fi.canonicalFilePath()) list.push_back(p);
        }
        if (list.empty()) { e.add(input, {}, makeError(Error::Code::Format, input, {}, QStringLiteral("no images or vitals in this folder"))); continue; }
        for (const auto &p : list) {
            if (!p.problem.isEmpty()) { e.add(p.folder, {}, makeError(Error::Code::Format, p.folder, {}, p.problem)); continue; }
            e.patientFolder(p);
        }
    }
    e.result.patients = int(e.patients.size());
    // The copy is the user's to share deliberately: owner-only until then, like every file ClinSight creates.
    QFile::setPermissions(outDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QDirIterator files(outDir, QDir::AllEntries | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString f = files.next();
        QFile::setPermissions(f, QFileInfo(f).isDir() ? QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner : QFile::ReadOwner | QFile::WriteOwner);
    }
    // Folders of patients with nothing written are removed again.
    for (const auto &[key, p] : e.patients) QDir().rmdir(p.folder);
    if (!options.mappingFile.isEmpty()) {
        QFile m(options.mappingFile);
        if (!m.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner))
            return makeError(Error::Code::Io, options.mappingFile, {}, QStringLiteral("cannot create the mapping file (it must not exist): %1").arg(m.errorString()));
        m.write("original_patient,pseudonym,date_shift_days\n");
        for (const auto &[key, p] : e.patients)
            m.write(QStringLiteral("\"%1\",%2,%3\n").arg(QString(key).replace('"', QStringLiteral("\"\"")), p.plan.pseudonym).arg(p.plan.dateShiftDays).toUtf8());
    }
    return e.result;
}

QString pseudonymOfFolder(const DeidentifyExportResult &r, const QString &folder)
{
    const QString dir = QFileInfo(folder).canonicalFilePath();
    for (const auto &i : r.items)
        if (!i.output.isEmpty() && QFileInfo(QFileInfo(i.input).absolutePath()).canonicalFilePath() == dir) return i.pseudonym;
    return {};
}

Status writeDeidentifiedResults(const PatientAssessment &a, const QString &pseudonym, const QString &path)
{
    QJsonObject o{{QStringLiteral("patient"), pseudonym},
                  {QStringLiteral("disclaimer"), QStringLiteral("For research and decision support - not a diagnosis.")},
                  {QStringLiteral("model"), QJsonObject{{QStringLiteral("name"), a.modelName}, {QStringLiteral("version"), a.modelVersion},
                                                        {QStringLiteral("signed_by"), a.modelSigner}}},
                  {QStringLiteral("flagged"), a.flagged}};
    if (a.image)
        o[QStringLiteral("image_branch")] = QJsonObject{{QStringLiteral("applicable"), a.image->applicable},
                                                        {QStringLiteral("pneumonia_risk"), a.image->applicable ? QJsonValue(a.image->risk) : QJsonValue()},
                                                        {QStringLiteral("alert"), a.image->alert}};
    if (a.vitalsRisk && a.vitalsRisk->applicable) {
        QJsonArray perHour;
        for (double r : a.vitalsRisk->riskPerHour) perHour.append(r);
        o[QStringLiteral("vitals_branch")] = QJsonObject{{QStringLiteral("hours"), a.vitalsRisk->hours},
                                                         {QStringLiteral("sepsis_risk_per_hour"), perHour},
                                                         {QStringLiteral("hours_from"), QStringLiteral("the start of the vitals record")}};
    }
    if (a.fused.available)
        o[QStringLiteral("fused")] = QJsonObject{{QStringLiteral("risk"), a.fused.risk}, {QStringLiteral("alert"), a.fused.alert},
                                                 {QStringLiteral("image_share"), a.fused.imageShare}, {QStringLiteral("vitals_share"), a.fused.vitalsShare}};
    if (const HourlyScores *s = a.lastScores())
        for (const ScoreResult *r : {&s->news2, &s->qsofa})
            o[r->name.toLower()] = QJsonObject{{QStringLiteral("hour"), s->hour}, {QStringLiteral("points"), r->points}, {QStringLiteral("band"), r->band},
                                               {QStringLiteral("alert"), r->alert}, {QStringLiteral("completeness"), r->completeness()}};
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return makeError(Error::Code::Io, path, {}, f.errorString());
    f.write(QJsonDocument(o).toJson());
    return f.commit() ? Status(Ok{}) : Status(makeError(Error::Code::Io, path, {}, f.errorString()));
}

} // namespace cs
