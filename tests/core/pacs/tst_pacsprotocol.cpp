// The PACS subsystem's parsers and rules, without a network: node addresses,
// date ranges and modality filters, DICOMweb JSON and multipart bodies from
// peers that get them wrong. (The protocols themselves are tested against a
// real Orthanc in tests/pacs/test_pacs.sh.)
#include "clinsight/pacs/dicomweb.h"
#include "clinsight/pacs/pacsnode.h"

#include <QtTest>

class TstPacsProtocol : public QObject {
    Q_OBJECT
private slots:
    void parsePacsAddress_valid_fillsNode()
    {
        auto n = cs::parsePacsAddress(QStringLiteral("ORTHANC@127.0.0.1:4242"), QStringLiteral("US"));
        QVERIFY(n.ok());
        QCOMPARE(n->calledAeTitle, QStringLiteral("ORTHANC"));
        QCOMPARE(n->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(n->port, 4242);
        QCOMPARE(n->callingAeTitle, QStringLiteral("US"));
        QCOMPARE(n->label(), QStringLiteral("PACS ORTHANC@127.0.0.1:4242"));
    }
    void parsePacsAddress_malformed_namesThePart_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no aet") << "127.0.0.1:4242" << "no AE title";
        QTest::newRow("no port") << "PACS@host" << "no ':PORT'";
        QTest::newRow("port text") << "PACS@host:abc" << "not a number";
        QTest::newRow("port range") << "PACS@host:70000" << "1-65535";
        QTest::newRow("long aet") << "ABCDEFGHIJKLMNOPQ@host:104" << "1-16";
        QTest::newRow("backslash") << "A\\B@host:104" << "backslash";
    }
    void parsePacsAddress_malformed_namesThePart()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        auto n = cs::parsePacsAddress(text, {});
        QVERIFY(!n.ok());
        QCOMPARE(n.error().field, QStringLiteral("--pacs"));
        QVERIFY2(n.error().reason.contains(expected), qPrintable(n.error().message()));
    }
    void parseDicomWebAddress_notHttp_isRefused()
    {
        QVERIFY(cs::parseDicomWebAddress(QStringLiteral("http://pacs:8042/dicom-web/")).ok());
        QCOMPARE(cs::parseDicomWebAddress(QStringLiteral("http://pacs:8042/dicom-web/"))->dicomWebUrl, QStringLiteral("http://pacs:8042/dicom-web"));
        QVERIFY(!cs::parseDicomWebAddress(QStringLiteral("ftp://pacs/x")).ok());
        QVERIFY(!cs::parseDicomWebAddress(QStringLiteral("not a url")).ok());
    }
    void dateRange_rules()
    {
        QString f, t;
        QVERIFY(cs::parseDateRange(QStringLiteral("20040101-20041231"), f, t));
        QCOMPARE(f, QStringLiteral("20040101"));
        QVERIFY(cs::parseDateRange(QStringLiteral("-20041231"), f, t) && f.isEmpty());
        QVERIFY(!cs::parseDateRange(QStringLiteral("20041231-20040101"), f, t));   // reversed
        QVERIFY(!cs::parseDateRange(QStringLiteral("2004-01-01"), f, t));
        QVERIFY(!cs::parseDateRange(QStringLiteral("20041332-"), f, t));           // no 13th month
        QVERIFY(cs::studyDateInRange(QStringLiteral("20040826"), QStringLiteral("20040101"), QStringLiteral("20041231")));
        QVERIFY(!cs::studyDateInRange(QStringLiteral("20050101"), QStringLiteral("20040101"), QStringLiteral("20041231")));
        QVERIFY(!cs::studyDateInRange(QString(), QStringLiteral("20040101"), {}));  // unknown date never in a bounded range
        QVERIFY(cs::studyDateInRange(QString(), {}, {}));
    }
    void modalities_anyOfTheList()
    {
        cs::StudyMatch m;
        m.modalities = {QStringLiteral("CR"), QStringLiteral("SR")};
        QVERIFY(cs::matchesModalities(m, {QStringLiteral("DX"), QStringLiteral("CR")}));
        QVERIFY(!cs::matchesModalities(m, {QStringLiteral("CT")}));
        QVERIFY(cs::matchesModalities(m, {}));
    }
    void qido_valid_parsesStudies()
    {
        const QByteArray json = R"([{"0020000D":{"vr":"UI","Value":["1.2.3"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^Jane"}]},
            "00080061":{"vr":"CS","Value":["CR","SR"]},"00201208":{"vr":"IS","Value":[3]},"00100020":{"vr":"LO","Value":["P1"]}}])";
        auto r = cs::parseQidoStudies(json, QStringLiteral("DICOMweb x"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QCOMPARE(r->size(), size_t(1));
        QCOMPARE(r->at(0).patientName, QStringLiteral("Doe^Jane"));
        QCOMPARE(r->at(0).modalities, QStringList({QStringLiteral("CR"), QStringLiteral("SR")}));
        QCOMPARE(r->at(0).instanceCount, 3);
        QCOMPARE(r->at(0).seriesCount, -1);   // not said
        QVERIFY(cs::parseQidoStudies(QByteArray(), QStringLiteral("x"))->empty());   // 204 No Content
    }
    void qido_malformed_isAnErrorNamingTheNode_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray(R"([{"0020000D": {"vr": "UI", )") << "malformed JSON";
        QTest::newRow("object") << QByteArray(R"({"0020000D": {}})") << "JSON array";
        QTest::newRow("not an object") << QByteArray("[1]") << "not a JSON object";
        QTest::newRow("value not array") << QByteArray(R"([{"0020000D":{"vr":"UI","Value":"1.2.3"}}])") << "not DICOM JSON";
        QTest::newRow("no study uid") << QByteArray(R"([{"00100020":{"vr":"LO","Value":["P"]}}])") << "Study Instance UID";
        QTest::newRow("uid with path") << QByteArray(R"([{"0020000D":{"vr":"UI","Value":["../../etc"]}}])") << "not a UID";
    }
    void qido_malformed_isAnErrorNamingTheNode()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto r = cs::parseQidoStudies(json, QStringLiteral("DICOMweb http://pacs/dicom-web"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().file, QStringLiteral("DICOMweb http://pacs/dicom-web"));
        QCOMPARE(r.error().field, QStringLiteral("QIDO-RS"));
        QVERIFY2(r.error().reason.contains(expected), qPrintable(r.error().message()));
    }
    void qidoSeries_validAndMalformed()
    {
        auto ok = cs::parseQidoSeries(R"([{"0020000E":{"vr":"UI","Value":["1.2.3.4"]},"00080060":{"vr":"CS","Value":["SR"]},"00200011":{"vr":"IS","Value":[9901]}}])",
                                      QStringLiteral("1.2.3"), QStringLiteral("x"));
        QVERIFY(ok.ok());
        QCOMPARE(ok->at(0).modality, QStringLiteral("SR"));
        QCOMPARE(ok->at(0).seriesNumber, 9901);
        QCOMPARE(ok->at(0).studyUid, QStringLiteral("1.2.3"));
        QVERIFY(!cs::parseQidoSeries(R"([{"00080060":{"vr":"CS","Value":["SR"]}}])", QStringLiteral("1.2.3"), QStringLiteral("x")).ok());
        QVERIFY(!cs::parseQidoSeries("[{", QStringLiteral("1.2.3"), QStringLiteral("x")).ok());
    }
    void multipart_parts_areSplit()
    {
        const QByteArray body = "--B1\r\nContent-Type: application/dicom\r\n\r\nAAA\r\n--B1\r\nContent-Type: application/dicom\r\n\r\nB\r\nB\r\n--B1--\r\n";
        auto r = cs::splitMultipart(body, "multipart/related; type=\"application/dicom\"; boundary=\"B1\"", QStringLiteral("x"));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), size_t(2));
        QCOMPARE(r->at(0), QByteArray("AAA"));
        QCOMPARE(r->at(1), QByteArray("B\r\nB"));
    }
    void multipart_cutOff_isIncomplete()
    {
        const QByteArray body = "--B1\r\nContent-Type: application/dicom\r\n\r\nAAA\r\n--B1\r\nContent-Type: application/dicom\r\n\r\nBB";
        auto r = cs::splitMultipart(body, "multipart/related; boundary=B1", QStringLiteral("x"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().reason.contains(QStringLiteral("cut off")));
        QVERIFY(!cs::splitMultipart(body, "application/dicom", QStringLiteral("x")).ok());     // not multipart
        QVERIFY(!cs::splitMultipart("garbage", "multipart/related; boundary=B1", QStringLiteral("x")).ok());
    }
};

QTEST_GUILESS_MAIN(TstPacsProtocol)
#include "tst_pacsprotocol.moc"
