#pragma once
// Shared plumbing of clinsight-cli's subcommands: each is a function that
// takes its own arguments (argv[0] = subcommand name) and returns the exit
// code. 0 success, 1 failure, 2 input that cannot be read or used, 3 a model
// bundle or record whose signature, hash or chain does not verify, 4 access
// denied (wrong password, locked account, a role without the right).
#include "clinsight/foundation/error.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>
#include <functional>

namespace cli {

struct Command {
    const char *name;
    const char *summary;
    std::function<int(const QStringList &args)> run;
};
const std::vector<Command> &commands();

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitIntegrity = 3;   // a model bundle or a record that does not verify
constexpr int kExitDenied = 4;      // wrong password, locked account, or the role may not

QTextStream &out();
QTextStream &err();
// Parses args for a subcommand; on --help prints and returns false with exitCode 0,
// on a usage error prints the reason and returns false with exitCode 2.
bool parse(QCommandLineParser &p, const QStringList &args, const QString &description, int &exitCode,
           int minPositional = 0, int maxPositional = -1);
// Prints one line "clinsight-cli: <message>" to stderr and returns kExitBadInput.
int fail(const cs::Error &e);
// Peak resident memory of this process so far (VmHWM), in MB; 0 where unknown.
double peakRssMb();
double residentMb();   // resident memory now, MiB
int failText(const QString &message);

int dicomInfo(const QStringList &args);
int dicomRender(const QStringList &args);
int dicomSeg(const QStringList &args);
int bench(const QStringList &args);
int vitals(const QStringList &args);
int predictImages(const QStringList &args);
int predictVitals(const QStringList &args);
int evaluate(const QStringList &args);
int train(const QStringList &args);
int triage(const QStringList &args);
int benchDicom(const QStringList &args);
int benchInference(const QStringList &args);
int benchSeries(const QStringList &args);
int explainImage(const QStringList &args);
int explainVitals(const QStringList &args);
int bundle(const QStringList &args);
int audit(const QStringList &args);
int accounts(const QStringList &args);
int deidentify(const QStringList &args);
int pacs(const QStringList &args);
int listen(const QStringList &args);
int report(const QStringList &args);   // GUI builds only (QtGui's PDF writer)

} // namespace cli
