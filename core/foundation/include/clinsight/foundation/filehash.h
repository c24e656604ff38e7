#pragma once
// Content hashes of files, for the record of what was scored and for model
// bundle verification. Reentrant.
#include <QString>
#include <QStringList>

namespace cs {

// SHA-256 of a file as lowercase hex (of its clear content when ClinSight protected it,
// protectedfile.h); empty on read error.
QString sha256OfFile(const QString &path);

// One digest for a data set: SHA-256 of what `LC_ALL=C sha256sum NAMES` prints
// in DIR for the names sorted bytewise ("<hash>  <name>\n" per file), so
// `cd DIR && LC_ALL=C sha256sum $(ls ... | LC_ALL=C sort) | sha256sum`
// reproduces it. Empty when a file cannot be read (failedName receives it).
QString sha256OfFileList(const QString &dir, QStringList names, QString *failedName = nullptr);

} // namespace cs
