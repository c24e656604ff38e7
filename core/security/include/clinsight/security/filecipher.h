#pragma once
// The file cipher of a signed-in session (clinsight/foundation/protectedfile.h):
// XChaCha20-Poly1305 under a key derived from the database key (BLAKE2b, context
// "clinsight-files-v1"), a random nonce per file, the magic line as associated
// data. Whoever can open the database can read its files; nobody else.
// Layout: magic (22 bytes) | nonce (24) | ciphertext + tag (16).
#include "clinsight/foundation/protectedfile.h"

namespace cs::security {

std::shared_ptr<const FileCipher> makeFileCipher(const QByteArray &databaseKey);

} // namespace cs::security
