#pragma once
// What the model commands share: the --model option and loading the bundle
// it names (or the bundled one), the "--out required, input folder exists"
// preamble, writing a text result, and the statistics benchmarks report.
#include "clinsight/model/hybridmodel.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <vector>

namespace cli {

extern const QCommandLineOption kModelOpt;

cs::Result<cs::HybridModel> loadModel(const QCommandLineParser &p);
// --out must be set and inputDir must exist (errors name the command and the folder); then the model.
cs::Result<cs::HybridModel> checkOutputFolderAndLoadModel(const QCommandLineParser &p, const QString &command,
                                                          const QCommandLineOption &outOption, const QString &inputDir);
bool writeText(const QString &path, const QString &text, QString *error);
double median(std::vector<double> v);
double p95(std::vector<double> v);

} // namespace cli
