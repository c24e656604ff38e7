#include "scorableinputs.h"

#include "clinsight/foundation/resources.h"

#include <QDir>
#include <QFile>
#include <algorithm>

namespace cli {

const QCommandLineOption kModelOpt(QStringLiteral("model"), QStringLiteral("Model bundle folder (default: the bundled one)."), QStringLiteral("DIR"));

cs::Result<cs::HybridModel> loadModel(const QCommandLineParser &p)
{
    return cs::HybridModel::load(p.isSet(kModelOpt) ? p.value(kModelOpt) : cs::resourcePath(cs::Resource::ModelBundle));
}

cs::Result<cs::HybridModel> checkOutputFolderAndLoadModel(const QCommandLineParser &p, const QString &command,
                                                          const QCommandLineOption &outOption, const QString &inputDir)
{
    if (!p.isSet(outOption))
        return cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("--%1").arg(outOption.names().first()),
                             QStringLiteral("%1: --%2 %3 is required").arg(command, outOption.names().first(), outOption.valueName()));
    if (!QDir(inputDir).exists())
        return cs::makeError(cs::Error::Code::Io, inputDir, {}, QStringLiteral("folder does not exist"));
    return loadModel(p);
}

bool writeText(const QString &path, const QString &text, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        *error = QStringLiteral("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    f.write(text.toUtf8());
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double p95(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(0.95 * double(v.size() - 1) + 0.5))];
}

} // namespace cli
