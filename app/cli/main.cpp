// clinsight-cli: the headless front end of ClinSight's core.
#include "cli.h"
#include "clinsight/foundation/resources.h"
#include "clinsight/foundation/version.h"
#include "clinsight/model/runtimeinfo.h"

#include <QCoreApplication>
#include <memory>
#ifdef CLINSIGHT_WITH_REPORT
#include <QGuiApplication>
#include <cstring>
#endif

int main(int argc, char **argv)
{
    std::unique_ptr<QCoreApplication> application;
#ifdef CLINSIGHT_WITH_REPORT
    // The PDF report draws text (fonts need a GUI application); headless, on the offscreen platform.
    if (argc > 1 && std::strcmp(argv[1], "report") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        application = std::make_unique<QGuiApplication>(argc, argv);
    }
#endif
    if (!application) application = std::make_unique<QCoreApplication>(argc, argv);
    (void)application;
    QCoreApplication::setApplicationName(QStringLiteral("clinsight-cli"));
    QCoreApplication::setApplicationVersion(cs::clinsightVersion());
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();

    auto usage = [] {
        cli::out() << "Usage: clinsight-cli COMMAND [options]\n\n"
                      "ClinSight headless tools. For research and decision support - not a diagnosis.\n\nCommands:\n";
        for (const auto &c : cli::commands())
            cli::out() << QStringLiteral("  %1%2\n").arg(QString::fromLatin1(c.name), -16).arg(QString::fromLatin1(c.summary));
        cli::out() << "\nOptions:\n  --help       this text (COMMAND --help for a command's options)\n"
                      "  --version    versions of ClinSight and its libraries, and CUDA availability\n";
        cli::out().flush();
    };
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        usage();
        return args.isEmpty() ? cli::kExitBadInput : cli::kExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        cli::out() << cs::runtimeSummary();
        // Where the shipped resources were found: installed, overridden, or a development source tree.
        const std::pair<const char *, cs::Resource> resources[] = {{"Model bundle", cs::Resource::ModelBundle},
                                                                   {"Demo cohort", cs::Resource::DemoCohort},
                                                                   {"Treatment rules", cs::Resource::TreatmentRules},
                                                                   {"Trusted signing keys", cs::Resource::TrustedKeys}};
        for (const auto &[name, r] : resources) {
            const cs::ResourceLocation l = cs::locateResource(r);
            cli::out() << name << ": " << l.path << " (" << l.origin << ")\n";
        }
        return cli::kExitOk;
    }
    for (const auto &c : cli::commands())
        if (args.first() == QLatin1String(c.name))
            return c.run(args);
    cli::err() << "clinsight-cli: unknown command '" << args.first() << "' (see clinsight-cli --help)\n";
    return cli::kExitBadInput;
}
