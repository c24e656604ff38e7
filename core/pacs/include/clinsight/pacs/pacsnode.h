#pragma once
// A PACS (or router, or any DICOM node) ClinSight talks to: where it is for
// DIMSE (called AE title, host, port) and/or DICOMweb (base URL), and who we
// are to it (calling AE title, the port of our own storage SCP for C-MOVE).
// Nodes are kept in the user's settings (QSettings, group "pacs"). Plain value
// types; reentrant.
#include "clinsight/foundation/error.h"

#include <QString>
#include <vector>

namespace cs {

struct PacsNode {
    QString name;                  // what the user calls it ("Radiology PACS")
    QString calledAeTitle;         // the PACS' AE title (DIMSE)
    QString host;
    int port = 0;                  // 0: no DIMSE
    QString dicomWebUrl;           // e.g. http://pacs:8042/dicom-web; empty: no DICOMweb
    QString callingAeTitle = QStringLiteral("CLINSIGHT");   // ours
    int localPort = 0;             // our storage SCP's port (C-MOVE destination); 0: choose at retrieve
    int timeoutSeconds = 30;       // connection, association and each DIMSE/HTTP wait

    bool hasDimse() const { return port > 0 && !host.isEmpty() && !calledAeTitle.isEmpty(); }
    bool hasDicomWeb() const { return !dicomWebUrl.isEmpty(); }
    // "PACS ORTHANC@127.0.0.1:4242" or "DICOMweb http://...": how errors name the node.
    QString label() const;
    // Empty when usable, else what is wrong (AE titles: 1-16 characters, no backslash
    // or control characters; port 1-65535; URL http(s)).
    QString problem() const;
};

// "AET@HOST:PORT" (the CLI's --pacs) into a node; errors name the part at fault.
Result<PacsNode> parsePacsAddress(const QString &text, const QString &callingAeTitle);
// A DICOMweb base URL (the CLI's --dicomweb) into a node.
Result<PacsNode> parseDicomWebAddress(const QString &url);
bool isValidAeTitle(const QString &ae);

// The nodes kept in settings (QSettings "ClinSight", group pacs/nodes).
std::vector<PacsNode> loadPacsNodes();
Status savePacsNodes(const std::vector<PacsNode> &nodes);

} // namespace cs
