// Subcommands whose features are not built yet: they say so and fail.
#include "cli.h"
namespace cli {
static int notYet(const QStringList &args)
{
    if (args.contains(QStringLiteral("--help"))) {
        out() << "Usage: clinsight-cli " << args.value(0) << " [options]\n(not implemented in this build)\n";
        return kExitOk;
    }
    return failText(QStringLiteral("%1: not implemented yet in this build").arg(args.value(0)));
}
int triage(const QStringList &a) { return notYet(a); }
}
