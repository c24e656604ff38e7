// DICOMweb client (QIDO-RS, WADO-RS, STOW-RS) over QtNetwork, one blocking
// request at a time on a local event loop of the calling (worker) thread.
#include "clinsight/foundation/protectedfile.h"
#include "clinsight/pacs/dicomweb.h"
#include "instancestore_p.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

namespace cs {

namespace {

struct Reply {
    int httpStatus = 0;
    QByteArray body, contentType;
};

Error webError(const PacsNode &n, const QString &step, const QString &why)
{
    return makeError(Error::Code::Io, n.label(), step, why);
}

// One request; cancel polled every 100 ms; node.timeoutSeconds without a byte is a timeout.
Result<Reply> request(const PacsNode &node, const QString &step, const QString &method, const QUrl &url,
                      const QByteArray &accept, const QByteArray &contentType, const QByteArray &payload, JobControl *control)
{
    QNetworkAccessManager nam;
    QNetworkRequest rq(url);
    rq.setRawHeader("Accept", accept);
    if (!contentType.isEmpty()) rq.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    rq.setTransferTimeout(node.timeoutSeconds * 1000);
    rq.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *r = method == QLatin1String("POST") ? nam.post(rq, payload) : nam.get(rq);
    QEventLoop loop;
    QObject::connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] { if (control && control->isCancelled()) r->abort(); });
    poll.start(100);
    if (!r->isFinished()) loop.exec();
    Reply out;
    out.httpStatus = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = r->readAll();
    out.contentType = r->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    const QNetworkReply::NetworkError e = r->error();
    const QString es = r->errorString();
    r->deleteLater();
    if (control && control->isCancelled()) return cancelledError(step);
    if (e != QNetworkReply::NoError && out.httpStatus == 0)
        return webError(node, step, QStringLiteral("%1 %2: %3").arg(method, url.toString(QUrl::RemoveQuery), es));
    if (out.httpStatus < 200 || out.httpStatus >= 300) {
        const QString detail = QString::fromUtf8(out.body.left(200)).simplified();
        return webError(node, step, QStringLiteral("%1 %2: HTTP %3%4").arg(method, url.toString(QUrl::RemoveQuery)).arg(out.httpStatus)
                                        .arg(detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + QLatin1Char(')')));
    }
    return out;
}

QUrl endpoint(const PacsNode &n, const QString &path) { return QUrl(n.dicomWebUrl + path); }

// A DICOM JSON attribute's first value as text (PN: its Alphabetic group).
QString jsonValue(const QJsonObject &o, const char *tag, bool *malformed)
{
    const QJsonValue a = o.value(QLatin1String(tag));
    if (a.isUndefined()) return {};
    if (!a.isObject()) { *malformed = true; return {}; }
    const QJsonValue v = a.toObject().value(QStringLiteral("Value"));
    if (v.isUndefined()) return {};
    if (!v.isArray()) { *malformed = true; return {}; }
    const QJsonArray arr = v.toArray();
    QStringList parts;
    for (const QJsonValue &x : arr) {
        if (x.isString()) parts << x.toString();
        else if (x.isDouble()) parts << QString::number(x.toDouble(), 'g', 12);
        else if (x.isObject()) parts << x.toObject().value(QStringLiteral("Alphabetic")).toString();
    }
    return parts.join(QLatin1Char('\\'));
}

// An integer attribute; -1 when absent or not a number.
int jsonCount(const QJsonObject &o, const char *tag, bool *malformed)
{
    bool ok = false;
    const int n = jsonValue(o, tag, malformed).toInt(&ok);
    return ok ? n : -1;
}

// A QIDO-RS answer's array of objects; an empty body (204 No Content) is no match.
Result<QJsonArray> qidoArray(const QByteArray &json, const QString &nodeLabel, const QString &step, const QString &what)
{
    if (json.trimmed().isEmpty()) return QJsonArray();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("malformed JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString()));
    if (!doc.isArray()) return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("expected a JSON array of %1").arg(what));
    return doc.array();
}

} // namespace

Result<std::vector<StudyMatch>> parseQidoStudies(const QByteArray &json, const QString &nodeLabel)
{
    const QString step = QStringLiteral("QIDO-RS");
    auto array = qidoArray(json, nodeLabel, step, QStringLiteral("studies"));
    if (!array) return array.error();
    std::vector<StudyMatch> out;
    int i = 0;
    for (const QJsonValue &v : array.value()) {
        if (!v.isObject()) return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("study %1 is not a JSON object").arg(i));
        const QJsonObject o = v.toObject();
        bool bad = false;
        StudyMatch m;
        m.studyUid = jsonValue(o, "0020000D", &bad);
        m.patientId = jsonValue(o, "00100020", &bad);
        m.patientName = jsonValue(o, "00100010", &bad);
        m.patientBirthDate = jsonValue(o, "00100030", &bad);
        m.patientSex = jsonValue(o, "00100040", &bad);
        m.studyDate = jsonValue(o, "00080020", &bad);
        m.studyTime = jsonValue(o, "00080030", &bad);
        m.studyDescription = jsonValue(o, "00081030", &bad);
        m.accessionNumber = jsonValue(o, "00080050", &bad);
        m.modalities = jsonValue(o, "00080061", &bad).split(QLatin1Char('\\'), Qt::SkipEmptyParts);
        m.seriesCount = jsonCount(o, "00201206", &bad);
        m.instanceCount = jsonCount(o, "00201208", &bad);
        if (bad) return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("study %1: an attribute is not DICOM JSON ({\"vr\":..,\"Value\":[..]})").arg(i));
        if (!pacs::isUid(m.studyUid))
            return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("study %1: Study Instance UID (0020000D) missing or not a UID").arg(i));
        out.push_back(m);
        ++i;
    }
    return out;
}

Result<std::vector<SeriesMatch>> parseQidoSeries(const QByteArray &json, const QString &studyUid, const QString &nodeLabel)
{
    const QString step = QStringLiteral("QIDO-RS (series)");
    auto array = qidoArray(json, nodeLabel, step, QStringLiteral("series"));
    if (!array) return array.error();
    std::vector<SeriesMatch> out;
    int i = 0;
    for (const QJsonValue &v : array.value()) {
        bool bad = !v.isObject();
        const QJsonObject o = v.toObject();
        SeriesMatch m;
        m.studyUid = studyUid;
        m.seriesUid = jsonValue(o, "0020000E", &bad);
        m.modality = jsonValue(o, "00080060", &bad);
        m.seriesDescription = jsonValue(o, "0008103E", &bad);
        m.bodyPart = jsonValue(o, "00180015", &bad);
        m.seriesNumber = jsonCount(o, "00200011", &bad);
        m.instanceCount = jsonCount(o, "00201209", &bad);
        if (bad || !pacs::isUid(m.seriesUid))
            return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("series %1: not DICOM JSON or no Series Instance UID (0020000E)").arg(i));
        out.push_back(m);
        ++i;
    }
    return out;
}

Result<std::vector<SeriesMatch>> dicomWebFindSeries(const PacsNode &node, const QString &studyUid, JobControl &control)
{
    if (!pacs::isUid(studyUid))
        return makeError(Error::Code::Invalid, node.label(), QStringLiteral("QIDO-RS (series)"), QStringLiteral("'%1' is not a Study Instance UID").arg(studyUid));
    QUrl u = endpoint(node, QStringLiteral("/studies/%1/series").arg(studyUid));
    QUrlQuery q;
    for (const char *f : {"0008103E", "00180015", "00200011", "00201209"}) q.addQueryItem(QStringLiteral("includefield"), QLatin1String(f));
    u.setQuery(q);
    auto r = request(node, QStringLiteral("QIDO-RS (series)"), QStringLiteral("GET"), u, "application/dicom+json", {}, {}, &control);
    if (!r) return r.error();
    return parseQidoSeries(r->body, studyUid, node.label());
}

Result<std::vector<QByteArray>> splitMultipart(const QByteArray &body, const QByteArray &contentType, const QString &nodeLabel)
{
    const QString step = QStringLiteral("WADO-RS");
    QByteArray boundary;
    for (QByteArray part : contentType.split(';')) {
        part = part.trimmed();
        if (part.toLower().startsWith("boundary=")) {
            boundary = part.mid(9);
            if (boundary.startsWith('"') && boundary.endsWith('"') && boundary.size() >= 2) boundary = boundary.mid(1, boundary.size() - 2);
        }
    }
    if (!contentType.toLower().startsWith("multipart/related") || boundary.isEmpty())
        return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("expected multipart/related with a boundary, got '%1'").arg(QString::fromLatin1(contentType)));
    const QByteArray delim = "--" + boundary;
    std::vector<QByteArray> parts;
    qsizetype pos = body.indexOf(delim);
    if (pos < 0) return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("no part boundary in the body"));
    while (true) {
        pos += delim.size();
        if (body.mid(pos, 2) == "--") break;                       // closing delimiter
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", pos);
        if (headersEnd < 0) return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("part %1 has no header end").arg(parts.size()));
        const qsizetype next = body.indexOf("\r\n" + delim, headersEnd + 4);
        if (next < 0) return makeError(Error::Code::Format, nodeLabel, step, QStringLiteral("part %1 is cut off (no closing boundary): transfer incomplete").arg(parts.size()));
        parts.push_back(body.mid(headersEnd + 4, next - headersEnd - 4));
        pos = next + 2;
    }
    return parts;
}

Status dicomWebPing(const PacsNode &node)
{
    QUrl u = endpoint(node, QStringLiteral("/studies"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
    u.setQuery(q);
    auto r = request(node, QStringLiteral("QIDO-RS"), QStringLiteral("GET"), u, "application/dicom+json", {}, {}, nullptr);
    if (!r) return r.error();
    auto parsed = parseQidoStudies(r->body, node.label());
    if (!parsed) return parsed.error();
    return Ok{};
}

Result<std::vector<StudyMatch>> dicomWebFindStudies(const PacsNode &node, const StudyQuery &query, JobControl &control)
{
    QUrl u = endpoint(node, QStringLiteral("/studies"));
    QUrlQuery q;
    if (!query.patientId.isEmpty()) q.addQueryItem(QStringLiteral("PatientID"), query.patientId);
    if (!query.patientName.isEmpty()) q.addQueryItem(QStringLiteral("PatientName"), query.patientName);
    if (!query.studyUid.isEmpty()) q.addQueryItem(QStringLiteral("StudyInstanceUID"), query.studyUid);
    if (!query.accessionNumber.isEmpty()) q.addQueryItem(QStringLiteral("AccessionNumber"), query.accessionNumber);
    if (!query.dateFrom.isEmpty() || !query.dateTo.isEmpty()) q.addQueryItem(QStringLiteral("StudyDate"), query.dateFrom + QLatin1Char('-') + query.dateTo);
    if (!query.modalities.isEmpty()) q.addQueryItem(QStringLiteral("ModalitiesInStudy"), query.modalities.join(QLatin1Char(',')));
    for (const char *f : {"00100030", "00100040", "00081030", "00080061", "00201206", "00201208"})
        q.addQueryItem(QStringLiteral("includefield"), QLatin1String(f));
    u.setQuery(q);
    auto r = request(node, QStringLiteral("QIDO-RS"), QStringLiteral("GET"), u, "application/dicom+json", {}, {}, &control);
    if (!r) return r.error();
    auto parsed = parseQidoStudies(r->body, node.label());
    if (!parsed) return parsed.error();
    std::vector<StudyMatch> out;
    for (const auto &m : parsed.value())
        if (matchesModalities(m, query.modalities) && studyDateInRange(m.studyDate, query.dateFrom, query.dateTo)) out.push_back(m);
    return out;
}

Result<RetrievedStudy> dicomWebRetrieveStudy(const PacsNode &node, const QString &studyUid, const QString &destDir, JobControl &control)
{
    const QString step = QStringLiteral("WADO-RS");
    auto partial = pacs::PartialStudyFolder::create(destDir, studyUid, node.label());
    if (!partial) return partial.error();
    auto r = request(node, step, QStringLiteral("GET"), endpoint(node, QStringLiteral("/studies/") + studyUid),
                     "multipart/related; type=\"application/dicom\"; transfer-syntax=*", {}, {}, &control);
    if (!r) return r.error();
    auto parts = splitMultipart(r->body, r->contentType, node.label());
    if (!parts) return parts.error();
    if (parts->empty()) return webError(node, step, QStringLiteral("the server sent no instances of study %1").arg(studyUid));
    control.setTotal(qint64(parts->size()));
    RetrievedStudy s;
    s.studyUid = studyUid;
    for (size_t i = 0; i < parts->size(); ++i) {
        auto inst = pacs::storePart10(parts->at(i), partial->path(), studyUid);
        if (!inst) return webError(node, step, QStringLiteral("part %1 of %2 refused: %3; study not kept").arg(i + 1).arg(parts->size()).arg(inst.error().message()));
        s.files << inst->file;
        control.advance(1, inst->sopInstanceUid);
    }
    s.completed = int(s.files.size());
    return partial->commit(s, node.label(), step);
}

Status dicomWebStoreFiles(const PacsNode &node, const QStringList &files, JobControl &control)
{
    const QString step = QStringLiteral("STOW-RS");
    const QByteArray boundary = "clinsight-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    QByteArray body;
    for (const QString &f : files) {
        auto content = readFileContent(f);   // decrypted in memory when ClinSight protected it
        if (!content) return content.error();
        body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n" + content.value() + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    control.setTotal(qint64(files.size()));
    auto r = request(node, step, QStringLiteral("POST"), endpoint(node, QStringLiteral("/studies")), "application/dicom+json",
                     "multipart/related; type=\"application/dicom\"; boundary=" + boundary, body, &control);
    if (!r) return r.error();
    // The answer lists what was stored (00081199) and what failed (00081198).
    const QJsonDocument doc = QJsonDocument::fromJson(r->body);
    const QJsonObject o = doc.isArray() ? doc.array().first().toObject() : doc.object();
    const QJsonArray failed = o.value(QStringLiteral("00081198")).toObject().value(QStringLiteral("Value")).toArray();
    const QJsonArray stored = o.value(QStringLiteral("00081199")).toObject().value(QStringLiteral("Value")).toArray();
    if (!failed.isEmpty())
        return webError(node, step, QStringLiteral("%1 of %2 instance(s) refused by the server").arg(failed.size()).arg(files.size()));
    if (stored.size() != files.size())
        return webError(node, step, QStringLiteral("the server confirmed %1 of %2 instance(s)").arg(stored.size()).arg(files.size()));
    control.advance(qint64(files.size()), QStringLiteral("stored"));
    return Ok{};
}

} // namespace cs
