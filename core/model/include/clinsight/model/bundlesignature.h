#pragma once
// Who vouches for a model bundle. The training program signs a statement
// (SIGNATURE.json) naming the SHA-256 of manifest.json and MODEL_CARD.md with
// an Ed25519 key; the manifest in turn names the SHA-256 of every weights
// file. ClinSight loads a bundle only when that statement verifies under a key
// it trusts (clinsight/security/signing.h: trustedKeyFolders()), so editing a
// threshold, a calibration, the card or the weights is refused, not absorbed.
// Reentrant.
#include "clinsight/foundation/error.h"
#include "clinsight/security/signing.h"

#include <QString>

namespace cs {

inline const QString kBundleSignatureFile = QStringLiteral("SIGNATURE.json");

struct BundleSignature {
    QString signer, keyId, signedAt;   // signedAt: ISO 8601 UTC
    bool isSigned() const { return !keyId.isEmpty(); }
    // "ClinSight release (key 3f2a9c0e1b7d4a55), signed 2026-11-25"
    QString summary() const;
};

// Verifies DIR/SIGNATURE.json: the signature under a trusted key, then the
// manifest's and the card's hashes against the files. An Error with code
// Integrity names what failed (unsigned, unknown key, altered statement,
// manifest or card changed after signing).
Result<BundleSignature> verifyBundleSignature(const QString &bundleDir, const security::TrustedKeys &trusted);
Result<BundleSignature> verifyBundleSignature(const QString &bundleDir);   // the installation's trusted keys

// Everything loading checks short of reading the weights: the signature (as above)
// and the SHA-256 of every file the manifest lists, and the manifest's settings.
Result<BundleSignature> verifyBundle(const QString &bundleDir);

// Writes DIR/SIGNATURE.json for the bundle as it is now (replacing an older one).
Result<BundleSignature> signBundle(const QString &bundleDir, const security::SecretKey &key);

} // namespace cs
