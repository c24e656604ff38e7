// clinsight: the workstation GUI. Thin: parse options, build the window,
// wire it to core through Workstation, run.
#include "workstation.h"
#include "segmentationlink.h"
#include "signinflow.h"
#include "startupclock.h"
#include "clinsight/storage/clinicalstore.h"
#include "clinsight/foundation/resources.h"
#include "clinsight/foundation/version.h"
#include "clinsight/model/runtimeinfo.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <memory>

int main(int argc, char **argv)
{
    // --help, --version and --screenshot must answer on a machine without a display too.
    const bool noDisplay = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
                           && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
    if (noDisplay) {
        bool headlessOk = false;
        for (int i = 1; i < argc; ++i) {
            const QByteArray a(argv[i]);
            headlessOk |= a == "-h" || a == "--help" || a == "--help-all" || a == "--version" || a == "-v" || a == "--screenshot";
        }
        if (!headlessOk) {
            std::fputs("clinsight: no display found. Use 'clinsight-cli triage DIR' for the headless worklist, or set "
                       "QT_QPA_PLATFORM=offscreen with --screenshot.\n", stderr);
            return 2;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ClinSight"));
    QApplication::setOrganizationName(QStringLiteral("ClinSight"));
    QApplication::setApplicationVersion(cs::clinsightVersion());

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("ClinSight clinical decision support workstation.\n"
                                               "For research and decision support - not a diagnosis."));
    p.addHelpOption();
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print versions of ClinSight and its libraries."));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the bundled demo cohort."));
    const QCommandLineOption cohort(QStringLiteral("cohort"), QStringLiteral("Open a cohort folder (DIR/<patient>/ images + vitals)."), QStringLiteral("DIR"));
    const QCommandLineOption image(QStringLiteral("image"), QStringLiteral("Open this DICOM file."), QStringLiteral("FILE"));
    const QCommandLineOption series(QStringLiteral("series"), QStringLiteral("Open the DICOM series in this folder (slices decoded as they are shown)."), QStringLiteral("DIR"));
    const QCommandLineOption vitals(QStringLiteral("vitals"), QStringLiteral("Open this vitals file."), QStringLiteral("FILE"));
    const QCommandLineOption segmentation(QStringLiteral("segmentation"),
                                          QStringLiteral("Open this DICOM Segmentation (over --image when derived from it, else alone)."), QStringLiteral("SEG"));
    const QCommandLineOption db(QStringLiteral("database"),
        QStringLiteral("Local database file (default: the user's data folder; with --demo the demo's own database)."), QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the main window to PNG once the first worklist patient is fully scored, then exit."), QStringLiteral("OUT.png"));
    const QCommandLineOption startupReport(QStringLiteral("startup-report"),
        QStringLiteral("Print when the window was shown, the worklist listed and the first patient shown (ms after the process started), then exit."));
    p.addOptions({version, demo, cohort, image, series, vitals, segmentation, db, screenshot, startupReport});
    p.process(app);
    if (p.isSet(version)) {
        std::fputs(cs::runtimeSummary().toUtf8().constData(), stdout);
        return 0;
    }

    ui::MainWindow window;
    window.show();
    // bench/startup.sh: each milestone once, in ms after the process started.
    const bool reportStartup = p.isSet(startupReport);
    auto milestone = [reportStartup](const char *what) {
        if (reportStartup) std::fprintf(stderr, "startup: %s at %.0f ms\n", what, msSinceProcessStart());
    };
    if (reportStartup) afterFirstPaint(&window, [milestone] { milestone("window shown"); });   // its first paint
    const QString dbPath = p.isSet(db) ? p.value(db) : p.isSet(demo) ? cs::ClinicalStore::demoPath() : cs::ClinicalStore::defaultPath();
    std::unique_ptr<Workstation> ws;
    // Once signed in: the workstation on this session, then what the command line asked to open.
    auto start = [&](cs::security::Session session) {
        ws = std::make_unique<Workstation>(&window, std::move(session));
        auto shoot = [&] {
            if (!p.isSet(screenshot)) return;
            QTimer::singleShot(300, &app, [&] {
                const bool ok = window.grab().save(p.value(screenshot));
                std::fprintf(stderr, "%s %s\n", ok ? "screenshot written:" : "screenshot FAILED:", qPrintable(p.value(screenshot)));
                app.exit(ok ? 0 : 1);
            });
        };
        milestone("signed in");
        QObject::connect(ws.get(), &Workstation::patientListed, &app, [milestone](const QString &, int listed) {
            if (listed == 1) milestone("first patient listed (the others still being scored)");
        });
        QObject::connect(ws.get(), &Workstation::cohortLoaded, &app, [&](bool ok) {
            if (ok) milestone(qPrintable(QStringLiteral("worklist listed (%1 patients, scored)").arg(window.worklist()->visibleRowCount())));
            if (ok && window.worklist()->visibleRowCount() > 0) window.worklist()->selectPatient(window.worklist()->patientAt(0));
            else if (p.isSet(screenshot) || reportStartup) app.exit(1);
        });
        QObject::connect(ws.get(), &Workstation::patientShown, &app, [shoot, milestone, reportStartup, &app](bool) {
            if (reportStartup) {
                milestone("first patient shown");
                QTimer::singleShot(0, &app, [&app] { app.exit(0); });
                return;
            }
            shoot();
        });
        auto pending = std::make_shared<int>(0);
        if (p.isSet(demo)) ws->openCohort(cs::resourcePath(cs::Resource::DemoCohort));
        else if (p.isSet(cohort)) ws->openCohort(p.value(cohort));
        else {
            auto single = [pending, shoot](bool) { if (--*pending == 0) shoot(); };
            QObject::connect(ws.get(), &Workstation::imageLoaded, &app, single);
            QObject::connect(ws.get(), &Workstation::vitalsLoaded, &app, single);
            if (p.isSet(segmentation)) {   // after the image, so that it can be drawn over it
                ++*pending;
                auto *link = ws->segmentation();
                auto once = std::make_shared<bool>(false);
                auto shown = [single, once](auto...) { if (!*once) { *once = true; single(true); } };
                QObject::connect(link, &SegmentationLink::overlayShown, &app, shown);
                QObject::connect(link, &SegmentationLink::aloneFrameShown, &app, shown);
                QObject::connect(link, &SegmentationLink::opened, &app, [shown](bool ok) { if (!ok) shown(); });
                const QString seg = p.value(segmentation);
                if (p.isSet(image)) QObject::connect(ws.get(), &Workstation::imageLoaded, link, [w = ws.get(), seg] { w->openSegmentation(seg); },
                                                     Qt::SingleShotConnection);
                else ws->openSegmentation(seg);
            }
            if (p.isSet(image)) { ++*pending; ws->openImage(p.value(image)); }
            else if (p.isSet(series)) { ++*pending; ws->openSeries(p.value(series)); }
            if (p.isSet(vitals)) { ++*pending; ws->openVitals(p.value(vitals)); }
            if (*pending == 0 && p.isSet(screenshot)) QTimer::singleShot(500, &app, shoot);
        }
    };
    if (p.isSet(demo)) {   // the demo signs in by itself, as the demo user of the demo's own database
        auto *flow = SignInFlow::demo(&window, dbPath, start);
        QObject::connect(flow, &SignInFlow::failed, &app, [&app](const QString &why) {
            std::fprintf(stderr, "clinsight: demo: %s\n", qPrintable(why));
            app.exit(2);
        });
    } else {
        auto *flow = SignInFlow::interactive(&window, dbPath, start);
        QObject::connect(flow, &SignInFlow::cancelled, &app, [&app] { app.quit(); });
    }
    return app.exec();
}
