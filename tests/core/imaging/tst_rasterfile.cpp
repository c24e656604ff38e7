// PNG/JPEG files through libpng/libjpeg: pixels equal to an independent
// decoder's (Pillow, tests/data/raster/make.py), the colour rules (palette to
// RGB, colour to luma, 16-bit to 8-bit for grey reads), round trips of the
// writers, and damaged or unsupported files refused naming the file.
#include "clinsight/imaging/rasterfile.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {
const QString kDir = QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data/raster/");

cs::DisplayFrame mustRead(const QString &path, bool grey)
{
    auto r = grey ? cs::readGreyImage(path) : cs::readRasterImage(path);
    if (!r.ok()) qFatal("%s: %s", qPrintable(path), qPrintable(r.error().message()));
    return r.value();
}
} // namespace

class TestRasterFile : public QObject {
    Q_OBJECT
private slots:
    void decodesAsPillowDoes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("grey");
        QTest::addColumn<int>("channels");
        QTest::newRow("colour JPEG") << "rgb.jpg" << "rgb.jpg.expected.png" << false << 3;
        QTest::newRow("progressive JPEG") << "progressive.jpg" << "progressive.jpg.expected.png" << false << 3;
        QTest::newRow("grey JPEG") << "grey.jpg" << "grey.jpg.expected.png" << false << 1;
        QTest::newRow("colour JPEG read as grey (luma)") << "rgb.jpg" << "rgb.jpg.grey.expected.png" << true << 1;
        QTest::newRow("palette PNG") << "palette.png" << "palette.png.expected.png" << false << 3;
        QTest::newRow("1-bit PNG") << "bilevel.png" << "bilevel.png.expected.png" << false << 1;
    }
    void decodesAsPillowDoes()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QFETCH(bool, grey);
        QFETCH(int, channels);
        const auto got = mustRead(kDir + file, grey);
        const auto want = mustRead(kDir + expected, false);
        QCOMPARE(got.channels, channels);
        QCOMPARE(want.channels, channels);
        QCOMPARE(got.width, 53);
        QCOMPARE(got.height, 37);
        QCOMPARE(got.width, want.width);
        QVERIFY(got.pixels == want.pixels);
    }
    void greyReadsOfWhatTheColourReaderRefuses()
    {
        // 16 bits: the colour reader refuses; the grey reader keeps the high byte.
        auto refused = cs::readRasterImage(kDir + "grey16.png");
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message().contains("16-bit"));
        QCOMPARE(refused.error().file, kDir + "grey16.png");
        // grey16.png holds grey.png's values * 257: the high byte is the 8-bit value.
        QVERIFY(mustRead(kDir + "grey16.png", true).pixels == mustRead(kDir + "grey.png", false).pixels);
        // Transparency: refused in colour (no silent compositing), alpha dropped for grey.
        QVERIFY(!cs::readRasterImage(kDir + "palette_transparent.png").ok());
        QVERIFY(!cs::readRasterImage(kDir + "grey_alpha.png").ok());
        QCOMPARE(mustRead(kDir + "palette_transparent.png", true).channels, 1);
        QCOMPARE(mustRead(kDir + "grey_alpha.png", true).channels, 1);
    }
    void damagedFilesAreRefusedNamingTheFile()
    {
        QTemporaryDir tmp;
        const QString junk = tmp.filePath("junk.png");
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not an image at all");
        f.close();
        for (const QString &p : {kDir + "truncated.jpg", junk, tmp.filePath("missing.png")}) {
            auto r = cs::readGreyImage(p);
            QVERIFY2(!r.ok(), qPrintable(p));
            QCOMPARE(r.error().file, p);
            QVERIFY(!r.error().message().isEmpty());
        }
        QVERIFY(cs::readRasterImage(kDir + "truncated.jpg").error().message().contains("truncated"));
    }
    void writersRoundTrip()
    {
        QTemporaryDir tmp;
        cs::DisplayFrame rgb;
        rgb.width = 7;
        rgb.height = 5;
        rgb.channels = 3;
        for (int i = 0; i < 7 * 5 * 3; ++i) rgb.pixels.push_back(std::uint8_t(i * 37));
        QVERIFY(cs::writePng(tmp.filePath("rgb.png"), rgb).ok());
        const auto back = mustRead(tmp.filePath("rgb.png"), false);
        QCOMPARE(back.channels, 3);
        QVERIFY(back.pixels == rgb.pixels);

        std::vector<std::uint16_t> map;
        for (int i = 0; i < 6 * 4; ++i) map.push_back(std::uint16_t(i * 2731));
        QVERIFY(cs::writePng16(tmp.filePath("map.png"), 6, 4, map).ok());
        const auto grey = mustRead(tmp.filePath("map.png"), true); // high bytes
        for (size_t i = 0; i < map.size(); ++i) QCOMPARE(int(grey.pixels[i]), map[i] >> 8);

        QVERIFY(!cs::writePng(tmp.filePath("no/such/folder/x.png"), rgb).ok());
        cs::DisplayFrame empty;
        QVERIFY(!cs::writePng(tmp.filePath("e.png"), empty).ok());
    }
};

QTEST_GUILESS_MAIN(TestRasterFile)
#include "tst_rasterfile.moc"
