#pragma once
// dcmnet plumbing shared by the DIMSE client and the storage SCP: the transfer
// syntaxes and storage SOP classes we negotiate, and DCMTK conditions and DIMSE
// status codes in words. Private to pacs/src.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/ofstd/oflist.h>
#include <dcmtk/ofstd/ofstring.h>

#include <QString>
#include <QStringList>

namespace cs::pacs {

// Accepted when we receive (storage SCP, C-GET): compressed forms first so an
// instance arrives as the PACS keeps it, never transcoded on our account.
OFList<OFString> receivingTransferSyntaxes();
// Offered when we send or query: explicit then implicit little endian.
OFList<OFString> uncompressedTransferSyntaxes();
// Each receivable transfer syntax alone (C-GET proposes one context per syntax
// so the PACS finds the one its file is in).
QStringList receivableTransferSyntaxUids();
// The storage SOP classes DCMTK knows (every image, SR, presentation state...).
QStringList allStorageSopClasses();
// The common image and SR classes, for C-GET when the PACS does not list the study's.
QStringList commonStorageSopClasses();

QString conditionText(const OFCondition &c);
// "0xA801 (move destination unknown)".
QString dimseStatusText(Uint16 status);
bool isDimseSuccess(Uint16 s);
bool isDimsePending(Uint16 s);
bool isDimseWarning(Uint16 s);

// A data element as text (UTF-8, trimmed; all values joined by '\\' when all); empty when absent.
QString tagText(DcmItem *item, const DcmTagKey &key, bool all = false);
// A data element as an integer; -1 when absent or not a number.
int tagInt(DcmItem *item, const DcmTagKey &key);

// DCMTK's logger quiet unless CLINSIGHT_DCMTK_LOG (called before every association).
void configureDcmtkLogging();

} // namespace cs::pacs
