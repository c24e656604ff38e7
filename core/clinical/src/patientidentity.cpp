#include "clinsight/clinical/patientidentity.h"

#include <QFileInfo>

#include "clinsight/vitals/vitalsimport.h"

#include <QSet>
#include <vector>

namespace cs {

namespace {

struct Claim { QString id, issuer, source; };

// FHIR references name the resource type ("Patient/123"); the identifier is what follows.
QString normalisedId(QString id)
{
    id = id.trimmed();
    if (id.startsWith(QLatin1String("Patient/"), Qt::CaseInsensitive)) id = id.mid(8);
    return id;
}

QSet<QString> nameParts(const QString &name)
{
    QSet<QString> parts;
    for (const QString &p : QString(name).replace('^', ' ').replace(',', ' ').split(' ', Qt::SkipEmptyParts))
        parts.insert(p.toLower());
    return parts;
}

QString normalisedDate(QString d) { return d.remove('-').trimmed(); }

QString describe(const Claim &c)
{
    return c.issuer.isEmpty() ? QStringLiteral("%1 (%2)").arg(c.id, c.source)
                              : QStringLiteral("%1 issued by %2 (%3)").arg(c.id, c.issuer, c.source);
}

} // namespace

QString PatientIdentity::key() const
{
    if (!patientId.isEmpty()) return QStringLiteral("id:%1/%2").arg(issuer, patientId);
    return QStringLiteral("folder:") + importSource;
}

QString PatientIdentity::basis() const
{
    if (!patientId.isEmpty())
        return issuer.isEmpty() ? QStringLiteral("patient ID %1 from %2").arg(patientId, idSource)
                                : QStringLiteral("patient ID %1 (issuer %2) from %3").arg(patientId, issuer, idSource);
    // The folder's name, not its path: what the clinician recognises, and no machine path on screen or paper.
    return QStringLiteral("no patient identifier in any source: identified by its import folder '%1'").arg(QFileInfo(importSource).fileName());
}

IdentityCheck checkIdentity(const DicomInstanceInfo *image, const VitalsTimeline *vitals, const DeclaredIdentity &declared,
                            const QString &importSource)
{
    IdentityCheck c;
    c.identity.importSource = importSource;
    std::vector<Claim> claims;
    if (image && !image->patientId.trimmed().isEmpty())
        claims.push_back({normalisedId(image->patientId), image->issuerOfPatientId.trimmed(), QStringLiteral("DICOM")});
    if (vitals && patientIdRecordedInFile(*vitals))
        claims.push_back({normalisedId(vitals->patientId), {}, QStringLiteral("vitals record")});
    if (!declared.patientId.trimmed().isEmpty())
        claims.push_back({normalisedId(declared.patientId), declared.issuer.trimmed(), QStringLiteral("patient.json")});

    QStringList differences;
    for (size_t i = 1; i < claims.size(); ++i) {
        const Claim &a = claims.front(), &b = claims[i];
        const bool sameIssuer = a.issuer.isEmpty() || b.issuer.isEmpty() || a.issuer.compare(b.issuer, Qt::CaseInsensitive) == 0;
        if (a.id != b.id || !sameIssuer) differences << QStringLiteral("%1 vs %2").arg(describe(a), describe(b));
    }
    // Where identifiers cannot be compared, name and birth date can.
    const bool imageHasId = image && !image->patientId.trimmed().isEmpty();
    if (image && !declared.name.isEmpty() && !declared.birthDate.isEmpty() && (!imageHasId || declared.patientId.isEmpty())) {
        const bool nameDiffers = !image->patientName.isEmpty() && nameParts(image->patientName) != nameParts(declared.name);
        const bool dateDiffers = !image->patientBirthDate.isEmpty()
                                 && normalisedDate(image->patientBirthDate) != normalisedDate(declared.birthDate);
        if (nameDiffers || dateDiffers)
            differences << QStringLiteral("image of %1 born %2 (DICOM) vs %3 born %4 (patient.json)")
                               .arg(image->patientName, image->patientBirthDate, declared.name, declared.birthDate);
    }
    if (!differences.isEmpty())
        c.conflict = QStringLiteral("the sources are of different patients: ") + differences.join(QStringLiteral("; "));

    if (imageHasId && vitals && !patientIdRecordedInFile(*vitals) && declared.patientId.isEmpty())
        c.notes << QStringLiteral("the vitals record carries no patient identifier: it is linked to the image by its folder only");
    if (!claims.empty()) {
        c.identity.patientId = claims.front().id;
        c.identity.issuer = claims.front().issuer;
        c.identity.idSource = claims.front().source;
    }
    return c;
}

} // namespace cs
