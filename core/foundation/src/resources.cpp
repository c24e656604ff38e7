#include "clinsight/foundation/resources.h"

#include "clinsight/foundation/environment.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#ifndef CLINSIGHT_DATADIR
#define CLINSIGHT_DATADIR "/usr/share/clinsight"
#endif

namespace cs {

namespace {

struct Layout { QString installedRel, sourceRel, marker; };

Layout layoutOf(Resource r)
{
    switch (r) {
    case Resource::ModelBundle:
        return {QStringLiteral("models/clinsight-hybrid"), QStringLiteral("models/clinsight-hybrid"), QStringLiteral("manifest.json")};
    case Resource::DemoCohort:
        return {QStringLiteral("demo"), QStringLiteral("resources/demo"), QStringLiteral("ATTRIBUTION.md")};
    case Resource::TrustedKeys:
        return {QStringLiteral("trusted-keys"), QStringLiteral("models/trusted-keys"), QStringLiteral("README.md")};
    case Resource::TreatmentRules:
        return {QStringLiteral("rules/treatment-rules.json"), QStringLiteral("resources/rules/treatment-rules.json"), QString()};
    }
    return {};
}

bool present(const QString &path, const QString &marker)
{
    return marker.isEmpty() ? QFileInfo(path).isFile() : QFileInfo::exists(path + '/' + marker);
}

} // namespace

QString developmentSourceDir()
{
    // The marker sits in the build tree's root; programs run from <build>/app,
    // tests from <build>/tests/...: look a few levels up from the program.
    if (!QCoreApplication::instance()) return {};
    QDir d(QCoreApplication::applicationDirPath());
    for (int up = 0; up < 4; ++up) {
        QFile f(d.filePath(QStringLiteral("clinsight-dev.json")));
        if (f.open(QIODevice::ReadOnly)) {
            const QString src = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("source_dir")).toString();
            if (!src.isEmpty() && QFileInfo(src).isDir()) return QDir::cleanPath(src);
            return {};
        }
        if (!d.cdUp()) break;
    }
    return {};
}

ResourceLocation locateResource(Resource r)
{
    const Layout l = layoutOf(r);
    if (r == Resource::ModelBundle) {
        const QString o = env::modelDirOverride();
        if (!o.isEmpty()) return {QDir::cleanPath(QDir(o).absolutePath()), present(o, l.marker), QStringLiteral("override")};
    }
    QStringList candidates, origins;
    if (QCoreApplication::instance()) {
        candidates << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/clinsight/") + l.installedRel;
        origins << QStringLiteral("installed");
    }
    candidates << QStringLiteral(CLINSIGHT_DATADIR "/") + l.installedRel;
    origins << QStringLiteral("installed");
    const QString src = developmentSourceDir();
    if (!src.isEmpty()) {
        candidates << src + '/' + l.sourceRel;
        origins << QStringLiteral("development source tree");
    }
    for (int i = 0; i < candidates.size(); ++i)
        if (present(candidates[i], l.marker)) return {QDir::cleanPath(candidates[i]), true, origins[i]};
    return {QDir::cleanPath(candidates.last()), false, QStringLiteral("not found")};
}

QString resourcePath(Resource r) { return locateResource(r).path; }

} // namespace cs
