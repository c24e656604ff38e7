#include "clinsight/pacs/pacsnode.h"
#include "clinsight/pacs/query.h"

#include <QDate>
#include <QSettings>
#include <QUrl>

namespace cs {

QString PacsNode::label() const
{
    if (hasDimse()) return QStringLiteral("PACS %1@%2:%3").arg(calledAeTitle, host).arg(port);
    if (hasDicomWeb()) return QStringLiteral("DICOMweb %1").arg(dicomWebUrl);
    return name.isEmpty() ? QStringLiteral("PACS (not configured)") : QStringLiteral("PACS %1").arg(name);
}

bool isValidAeTitle(const QString &ae)
{
    const QString t = ae.trimmed();
    if (t.isEmpty() || ae.size() > 16) return false;
    for (QChar c : ae)
        if (c == QLatin1Char('\\') || c.unicode() < 0x20 || c.unicode() > 0x7e) return false;
    return true;
}

QString PacsNode::problem() const
{
    if (!hasDimse() && !hasDicomWeb()) return QStringLiteral("neither a DIMSE address (AE title, host, port) nor a DICOMweb URL");
    if (port > 0 || !calledAeTitle.isEmpty() || !host.isEmpty()) {
        if (!isValidAeTitle(calledAeTitle)) return QStringLiteral("called AE title '%1': 1-16 printable characters, no backslash").arg(calledAeTitle);
        if (host.trimmed().isEmpty()) return QStringLiteral("host is empty");
        if (port < 1 || port > 65535) return QStringLiteral("port %1: must be 1-65535").arg(port);
    }
    if (!isValidAeTitle(callingAeTitle)) return QStringLiteral("our AE title '%1': 1-16 printable characters, no backslash").arg(callingAeTitle);
    if (localPort < 0 || localPort > 65535) return QStringLiteral("our port %1: must be 0-65535").arg(localPort);
    if (hasDicomWeb()) {
        const QUrl u(dicomWebUrl);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) || u.host().isEmpty())
            return QStringLiteral("DICOMweb URL '%1': must be http(s)://host[:port]/path").arg(dicomWebUrl);
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) return QStringLiteral("timeout %1 s: must be 1-3600").arg(timeoutSeconds);
    return {};
}

Result<PacsNode> parsePacsAddress(const QString &text, const QString &callingAeTitle)
{
    const auto bad = [&](const QString &why) {
        return makeError(Error::Code::Invalid, {}, QStringLiteral("--pacs"), QStringLiteral("'%1': %2 (expected AET@HOST:PORT)").arg(text, why));
    };
    const int at = int(text.indexOf(QLatin1Char('@')));
    const int colon = int(text.lastIndexOf(QLatin1Char(':')));
    if (at <= 0) return bad(QStringLiteral("no AE title before '@'"));
    if (colon < at) return bad(QStringLiteral("no ':PORT'"));
    PacsNode n;
    n.calledAeTitle = text.left(at);
    n.host = text.mid(at + 1, colon - at - 1);
    bool ok = false;
    n.port = text.mid(colon + 1).toInt(&ok);
    if (!ok) return bad(QStringLiteral("port is not a number"));
    if (!callingAeTitle.isEmpty()) n.callingAeTitle = callingAeTitle;
    n.name = n.calledAeTitle;
    if (const QString p = n.problem(); !p.isEmpty()) return bad(p);
    return n;
}

Result<PacsNode> parseDicomWebAddress(const QString &url)
{
    PacsNode n;
    n.dicomWebUrl = url.endsWith(QLatin1Char('/')) ? url.chopped(1) : url;
    n.name = n.dicomWebUrl;
    if (const QString p = n.problem(); !p.isEmpty())
        return makeError(Error::Code::Invalid, {}, QStringLiteral("--dicomweb"), p);
    return n;
}

std::vector<PacsNode> loadPacsNodes()
{
    QSettings s(QStringLiteral("ClinSight"), QStringLiteral("ClinSight"));
    std::vector<PacsNode> out;
    const int n = s.beginReadArray(QStringLiteral("pacs/nodes"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        PacsNode p;
        p.name = s.value(QStringLiteral("name")).toString();
        p.calledAeTitle = s.value(QStringLiteral("calledAeTitle")).toString();
        p.host = s.value(QStringLiteral("host")).toString();
        p.port = s.value(QStringLiteral("port")).toInt();
        p.dicomWebUrl = s.value(QStringLiteral("dicomWebUrl")).toString();
        p.callingAeTitle = s.value(QStringLiteral("callingAeTitle"), QStringLiteral("CLINSIGHT")).toString();
        p.localPort = s.value(QStringLiteral("localPort")).toInt();
        p.timeoutSeconds = s.value(QStringLiteral("timeoutSeconds"), 30).toInt();
        out.push_back(p);
    }
    s.endArray();
    return out;
}

Status savePacsNodes(const std::vector<PacsNode> &nodes)
{
    for (const PacsNode &p : nodes)
        if (const QString why = p.problem(); !why.isEmpty())
            return makeError(Error::Code::Invalid, {}, QStringLiteral("PACS node '%1'").arg(p.name), why);
    QSettings s(QStringLiteral("ClinSight"), QStringLiteral("ClinSight"));
    s.remove(QStringLiteral("pacs/nodes"));
    s.beginWriteArray(QStringLiteral("pacs/nodes"), int(nodes.size()));
    for (int i = 0; i < int(nodes.size()); ++i) {
        const PacsNode &p = nodes[size_t(i)];
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("calledAeTitle"), p.calledAeTitle);
        s.setValue(QStringLiteral("host"), p.host);
        s.setValue(QStringLiteral("port"), p.port);
        s.setValue(QStringLiteral("dicomWebUrl"), p.dicomWebUrl);
        s.setValue(QStringLiteral("callingAeTitle"), p.callingAeTitle);
        s.setValue(QStringLiteral("localPort"), p.localPort);
        s.setValue(QStringLiteral("timeoutSeconds"), p.timeoutSeconds);
    }
    s.endArray();
    s.sync();
    if (s.status() != QSettings::NoError)
        return makeError(Error::Code::Io, s.fileName(), QStringLiteral("pacs/nodes"), QStringLiteral("settings could not be written"));
    return Ok{};
}

namespace {
bool isDate(const QString &d) { return d.size() == 8 && QDate::fromString(d, QStringLiteral("yyyyMMdd")).isValid(); }
}

bool studyDateInRange(const QString &date, const QString &from, const QString &to)
{
    if (from.isEmpty() && to.isEmpty()) return true;
    if (!isDate(date)) return false;
    return (from.isEmpty() || date >= from) && (to.isEmpty() || date <= to);
}

bool matchesModalities(const StudyMatch &m, const QStringList &wanted)
{
    if (wanted.isEmpty()) return true;
    for (const QString &w : wanted)
        if (m.modalities.contains(w, Qt::CaseInsensitive)) return true;
    return false;
}

bool parseDateRange(const QString &text, QString &from, QString &to)
{
    const QStringList parts = text.split(QLatin1Char('-'));
    if (parts.size() != 2) {
        if (parts.size() == 1 && isDate(parts[0])) { from = to = parts[0]; return true; }
        return false;
    }
    from = parts[0].trimmed();
    to = parts[1].trimmed();
    if ((!from.isEmpty() && !isDate(from)) || (!to.isEmpty() && !isDate(to))) return false;
    return !(from.isEmpty() && to.isEmpty()) && (from.isEmpty() || to.isEmpty() || from <= to);
}

} // namespace cs
