#pragma once
// Files ClinSight writes about patients outside its database — the studies it
// receives from or retrieves out of the PACS, and the results it writes into
// them — are encrypted at rest while a signed-in session has installed the
// file cipher (the workstation does; clinsight/security/filecipher.h makes one
// from the database key). A protected file starts with kProtectedFileMagic;
// everything that reads such files (the DICOM loader, the PACS sender, file
// hashes) goes through readFileContent and sees the clear bytes in memory only.
// Without a cipher installed (headless commands writing where the user said)
// files are written in clear, and a protected file cannot be read: it is
// refused with a clear error, never read as garbage. Reentrant; installing is
// not meant to race with reads.
#include "clinsight/foundation/error.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace cs {

inline constexpr char kProtectedFileMagic[] = "CLINSIGHT-PROTECTED 1\n";   // 22 bytes, then the cipher's own format

class FileCipher {
public:
    virtual ~FileCipher() = default;
    // sealed: the whole file, magic included. path names the file in errors.
    virtual Result<QByteArray> open(const QByteArray &sealed, const QString &path) const = 0;
    virtual Result<QByteArray> seal(const QByteArray &plain) const = 0;   // magic included
};

// The process's cipher (nullptr: none, files are written in clear).
void installFileCipher(std::shared_ptr<const FileCipher> cipher);
std::shared_ptr<const FileCipher> installedFileCipher();

bool isProtectedFile(const QString &path);
// The file's content, decrypted when protected.
Result<QByteArray> readFileContent(const QString &path);
// Encrypts path in place (temporary file + rename, owner-only) when a cipher is
// installed; leaves it as it is otherwise. An error leaves the clear file removed
// rather than kept: security failures never fall back to clear.
Status protectFile(const QString &path);

} // namespace cs
