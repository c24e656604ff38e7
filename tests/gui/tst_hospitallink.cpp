// The PACS panel in the workstation, offscreen, against a real Orthanc started by
// the test on free 127.0.0.1 ports: a node tested (C-ECHO), saved and read back from
// settings, studies searched (C-FIND), the chest CR retrieved and scored onto the
// worklist, the listener started, fed a study by C-STORE and showing it; a wrong
// AE title and an occupied port shown as errors in the panel.
#include "hospitallink.h"
#include "mainwindow.h"
#include "pacspanel.h"
#include "workstation.h"
#include "testsession.h"
#include "worklistview.h"

#include "clinsight/pacs/dimse.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include "clinsight/foundation/protectedfile.h"
#include "clinsight/dicom/dicom.h"
#include <QDirIterator>
#include <QtTest>

namespace {
// A free 127.0.0.1 port below the kernel's ephemeral range: a port the kernel hands out
// for outgoing connections (ours, Orthanc's, another test's) could be taken between this
// choice and the moment our storage SCP listens on it ("address already in use").
int freePort()
{
    int low = 32768;
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    if (range.open(QIODevice::ReadOnly)) low = QString::fromLatin1(range.readAll()).simplified().section(' ', 0, 0).toInt();
    if (low > 4000) {
        for (int attempt = 0; attempt < 200; ++attempt) {
            const int port = QRandomGenerator::global()->bounded(std::max(1025, low - 12000), low);
            QTcpServer s;
            if (s.listen(QHostAddress::LocalHost, quint16(port))) return port;
        }
    }
    QTcpServer s;   // no room below the range: any free port
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}
const QString kRg1 = QStringLiteral(CLINSIGHT_SHARED_DATA "/dicom/pydicom-data/RG1_J2KI.dcm");
} // namespace

namespace {
// The patient name as the corpus file carries it (the bytes that must not be found at rest).
QByteArray rg1PatientName();
} // namespace

class TestHospitalLink : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_orthanc;
    int m_dicomPort = 0, m_httpPort = 0, m_ourPort = 0;

private slots:
    void initTestCase()
    {
        if (!QFile::exists(kRg1)) QSKIP("../shared/data not present");
        QStandardPaths::setTestModeEnabled(true);   // settings and app data in the test's own folders
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
        const QString plugin = QStringLiteral("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
        for (int attempt = 0; attempt < 3 && m_orthanc.state() != QProcess::Running; ++attempt) {
            m_dicomPort = freePort(); m_httpPort = freePort(); m_ourPort = freePort();
            QFile cfg(m_dir.filePath(QStringLiteral("orthanc.json")));
            QVERIFY(cfg.open(QIODevice::WriteOnly));
            cfg.write(QStringLiteral(R"({"Name":"ClinSightGuiTestPACS","StorageDirectory":"%1","IndexDirectory":"%1","DicomAet":"ORTHANC",
                "DicomPort":%2,"HttpPort":%3,"RemoteAccessAllowed":false,"AuthenticationEnabled":false,"DicomCheckCalledAet":true,
                "HttpsCACertificates":"","DicomModalities":{"clinsight":["CLINSIGHT","127.0.0.1",%4]},"Plugins":["%5"]})")
                          .arg(m_dir.filePath(QStringLiteral("db"))).arg(m_dicomPort).arg(m_httpPort).arg(m_ourPort).arg(plugin).toUtf8());
            cfg.close();
            m_orthanc.start(QStringLiteral("Orthanc"), {cfg.fileName()});
            QVERIFY2(m_orthanc.waitForStarted(10000), "Orthanc must be installed (scripts/install-deps.sh)");
            cs::PacsNode n = node();
            bool up = false;
            for (int i = 0; i < 50 && !up && m_orthanc.state() == QProcess::Running; ++i) { up = cs::dimseEcho(n).ok(); if (!up) QTest::qWait(200); }
            if (!up) { m_orthanc.kill(); m_orthanc.waitForFinished(); }
        }
        QCOMPARE(m_orthanc.state(), QProcess::Running);
        // The chest CR pushed through Orthanc's REST API.
        QNetworkAccessManager nam;
        QFile f(kRg1);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QNetworkReply *r = nam.post(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/instances").arg(m_httpPort))), f.readAll());
        QSignalSpy done(r, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(r->error(), QNetworkReply::NoError);
        r->deleteLater();
    }
    void cleanupTestCase()
    {
        m_orthanc.terminate();
        if (!m_orthanc.waitForFinished(5000)) m_orthanc.kill();
    }

    cs::PacsNode node() const
    {
        cs::PacsNode n;
        n.name = QStringLiteral("Test PACS");
        n.calledAeTitle = QStringLiteral("ORTHANC");
        n.host = QStringLiteral("127.0.0.1");
        n.port = m_dicomPort;
        n.localPort = m_ourPort;
        n.timeoutSeconds = 10;
        return n;
    }

    void panel_testSearchRetrieveAndListen()
    {
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(m_dir.filePath(QStringLiteral("clinsight.sqlite"))));
        w.show();
        QSignalSpy ready(&ws, &Workstation::ready);
        QVERIFY(ready.wait(60000));
        ui::PacsPanel *panel = w.pacsPanel();
        HospitalLink *link = ws.hospital();
        panel->show();

        // Test: a wrong AE title is an error in the panel, the right one answers.
        cs::PacsNode bad = node();
        bad.calledAeTitle = QStringLiteral("NOTORTHANC");
        panel->setForm(bad);
        QSignalSpy tested(link, &HospitalLink::testFinished);
        panel->requestTest();
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.takeFirst().first().toBool(), false);
        QVERIFY2(panel->statusText().contains(QStringLiteral("association rejected")), qPrintable(panel->statusText()));
        panel->setForm(node());
        panel->requestTest();
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.takeFirst().first().toBool(), true);

        // Saving nodes is the administrator's: the demo user is refused and nothing changes ...
        cs::savePacsNodes({});
        emit panel->saveNodesRequested({node()});
        QVERIFY(cs::loadPacsNodes().empty());
        QVERIFY2(panel->statusText().contains("may not manage PACS nodes"), qPrintable(panel->statusText()));
        {   // ... an administrator's panel saves them to settings, read back by a new link.
            ui::MainWindow aw;
            Workstation admin(&aw, testsession::as(m_dir.filePath(QStringLiteral("admin.sqlite")), cs::security::Role::Administrator));
            emit aw.pacsPanel()->saveNodesRequested({node()});
        }
        QCOMPARE(cs::loadPacsNodes().size(), size_t(1));
        QCOMPARE(cs::loadPacsNodes().front().port, m_dicomPort);

        // Search and retrieve: the study arrives on the worklist, scored.
        QSignalSpy searched(link, &HospitalLink::searchFinished);
        panel->requestSearch();
        QVERIFY(searched.wait(20000));
        QCOMPARE(searched.first().first().toBool(), true);
        QCOMPARE(panel->matchCount(), 1);
        panel->selectAllMatches();
        QSignalSpy retrieved(link, &HospitalLink::retrieveFinished), cohort(&ws, &Workstation::cohortLoaded);
        panel->requestRetrieve();
        QVERIFY(retrieved.wait(60000));
        QVERIFY2(retrieved.first().first().toBool(), qPrintable(panel->statusText()));
        QVERIFY(cohort.wait(120000));
        QVERIFY(w.worklist()->visibleRowCount() >= 1);
        // At rest the retrieved study is encrypted with the database's key, beside the database, owner-only:
        // no file of it holds the patient's name or ID, and yet it was read and scored above.
        QVERIFY(link->studiesDir().startsWith(m_dir.filePath(QStringLiteral("clinsight.sqlite.studies"))));
        QCOMPARE(QFile::permissions(QFileInfo(link->studiesDir()).absolutePath()) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        const QByteArray name = rg1PatientName();
        QVERIFY(!name.isEmpty());
        int files = 0;
        QDirIterator it(link->studiesDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            ++files;
            QVERIFY2(cs::isProtectedFile(f), qPrintable(f));
            QFile in(f);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QVERIFY2(!in.readAll().contains(name), qPrintable(f));
        }
        QVERIFY(files >= 1);

        // The listener: a port in use is refused in the panel; a free one receives a pushed study.
        QTcpServer occupied;
        QVERIFY(occupied.listen(QHostAddress::Any, 0));
        QSignalSpy listening(link, &HospitalLink::listenerChanged);
        emit panel->listenerToggleRequested(QStringLiteral("CLINSIGHT"), occupied.serverPort(), true);
        QCOMPARE(listening.takeFirst().first().toBool(), false);
        QVERIFY2(panel->listenerText().contains(QStringLiteral("cannot listen")), qPrintable(panel->listenerText()));
        const int port = freePort();
        emit panel->listenerToggleRequested(QStringLiteral("CLINSIGHT"), port, true);
        QCOMPARE(listening.takeFirst().first().toBool(), true);
        cs::PacsNode us;
        us.calledAeTitle = QStringLiteral("CLINSIGHT");
        us.callingAeTitle = QStringLiteral("MODALITY");
        us.host = QStringLiteral("127.0.0.1");
        us.port = port;
        cs::JobControl c;
        QSignalSpy cohort2(&ws, &Workstation::cohortLoaded);
        QVERIFY(cs::dimseStoreFiles(us, {kRg1}, c).ok());   // forwarded as it is (JPEG 2000)
        QTRY_VERIFY_WITH_TIMEOUT(panel->listenerText().contains(QStringLiteral("1 stored")), 20000);
        QVERIFY(cohort2.wait(120000));
        QVERIFY(QFile::exists(QDir(link->receivedDir()).filePath(QStringLiteral("1.3.6.1.4.1.5962.1.2.9.20040826185059.5457"))));
        QDirIterator pushed(link->receivedDir(), QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(pushed.hasNext());
        while (pushed.hasNext()) QVERIFY(cs::isProtectedFile(pushed.next()));
        emit panel->listenerToggleRequested({}, 0, false);
        QVERIFY(listening.wait(20000));   // stopped off the GUI thread
        QCOMPARE(listening.takeFirst().first().toBool(), false);
        // Cancel reaches a search in flight: a DICOMweb server that accepts and never answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        cs::PacsNode webNode;
        webNode.name = QStringLiteral("silent");
        webNode.dicomWebUrl = QStringLiteral("http://127.0.0.1:%1/dicom-web").arg(silent.serverPort());
        webNode.timeoutSeconds = 120;
        panel->setForm(webNode);
        searched.clear();
        panel->requestSearch();
        QTest::qWait(300);
        emit panel->cancelRequested();
        QVERIFY2(searched.wait(5000), "a cancelled search must end at once, not at the 120 s timeout");
        QCOMPARE(searched.first().first().toBool(), false);
        QVERIFY2(panel->statusText().contains(QStringLiteral("cancel"), Qt::CaseInsensitive), qPrintable(panel->statusText()));
        QDir().mkpath(QStringLiteral(CLINSIGHT_ARTIFACT_DIR));
        panel->grab().save(QStringLiteral(CLINSIGHT_ARTIFACT_DIR "/pacs-panel.png"));
    }

    // File -> Export PDF report on a scored demo patient: written off the GUI thread, audited.
    void report_ofTheShownPatient()
    {
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(m_dir.filePath(QStringLiteral("report.sqlite"))));
        QSignalSpy ready(&ws, &Workstation::ready);
        QVERIFY(ready.wait(60000));
        QSignalSpy written(&ws, &Workstation::reportWritten);
        ws.exportReport(m_dir.filePath(QStringLiteral("none.pdf")));   // no patient shown: refused
        QTRY_COMPARE(written.count(), 1);
        QCOMPARE(written.takeFirst().first().toBool(), false);
        QSignalSpy cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown);
        ws.openCohort(QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo"));
        QVERIFY(cohort.wait(120000));
        w.worklist()->selectPatient(w.worklist()->patientAt(0));
        QVERIFY(shown.wait(60000));
        const QString pdf = m_dir.filePath(QStringLiteral("r.pdf"));
        ws.exportReport(pdf);
        QVERIFY(written.wait(60000));
        QCOMPARE(written.takeFirst().first().toBool(), true);
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(4), QByteArray("%PDF"));
        QVERIFY(f.size() > 20000);   // the image is in it
    }
};

namespace {
QByteArray rg1PatientName()
{
    auto info = cs::readDicomHeader(kRg1);
    return info ? info->patientName.split('^').first().toUtf8() : QByteArray();
}
} // namespace

QTEST_MAIN(TestHospitalLink)
#include "tst_hospitallink.moc"
