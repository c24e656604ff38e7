// clinsight: the workstation GUI. Thin: parse options, build the window,
// wire it to core through Workstation, run.
#include "gui/workstation.h"
#include "core/version.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ClinSight"));
    QApplication::setOrganizationName(QStringLiteral("ClinSight"));
    QApplication::setApplicationVersion(cs::clinsightVersion());

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("ClinSight clinical decision support workstation.\n"
                                               "For research and decision support - not a diagnosis."));
    p.addHelpOption();
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print versions of ClinSight and its libraries."));
    const QCommandLineOption image(QStringLiteral("image"), QStringLiteral("Open this DICOM file."), QStringLiteral("FILE"));
    const QCommandLineOption vitals(QStringLiteral("vitals"), QStringLiteral("Open this vitals file."), QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Render the window to PNG once loaded, then exit."), QStringLiteral("OUT.png"));
    p.addOptions({version, image, vitals, screenshot});
    p.process(app);
    if (p.isSet(version)) {
        fputs(cs::runtimeSummary().toUtf8().constData(), stdout);
        return 0;
    }

    ui::MainWindow window;
    Workstation ws(&window);
    window.show();
    int pending = 0;
    auto maybeShoot = [&] {
        if (--pending > 0 || !p.isSet(screenshot)) return;
        QTimer::singleShot(200, &app, [&] {
            const bool ok = window.grab().save(p.value(screenshot));
            app.exit(ok ? 0 : 1);
        });
    };
    QObject::connect(&ws, &Workstation::imageLoaded, &app, maybeShoot);
    QObject::connect(&ws, &Workstation::vitalsLoaded, &app, maybeShoot);
    if (p.isSet(image)) { ++pending; ws.openImage(p.value(image)); }
    if (p.isSet(vitals)) { ++pending; ws.openVitals(p.value(vitals)); }
    if (pending == 0 && p.isSet(screenshot)) { ++pending; QTimer::singleShot(300, &app, maybeShoot); }
    return app.exec();
}
