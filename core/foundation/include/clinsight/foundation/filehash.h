#pragma once
// Content hashes of files, for the record of what was scored and for model
// bundle verification. Reentrant.
#include <QString>

namespace cs {

// SHA-256 of a file as lowercase hex; empty on read error.
QString sha256OfFile(const QString &path);

} // namespace cs
