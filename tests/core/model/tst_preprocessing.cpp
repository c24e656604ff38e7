// The image branch's one preprocessing rule: a training radiograph (JPEG from
// the Kermany folder) and the same pixels arriving as a DICOM CR -- 8-bit, 12-bit
// with a window, MONOCHROME1 -- become the same network input; shapes and
// aspect handling of the rule itself; the area reduction against the exact
// area mean and OpenCV's INTER_AREA (what it replaced).
#include "../../common/dicomwriter.h"

#include "clinsight/model/imagepreprocessing.h"
#include "clinsight/model/scorableimage.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kJpeg = kData + "/cxr/kermany224/train/person1000_bacteria_2931.jpeg";

float maxDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size()) return 1e9f;
    float d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}
cs::DisplayFrame noiseFrame(int w, int h, quint32 seed)
{
    cs::DisplayFrame f;
    f.width = w;
    f.height = h;
    f.channels = 1;
    f.pixels.resize(size_t(w) * size_t(h));
    QRandomGenerator g(seed);
    // smooth structure plus noise, so both ties and edges occur
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            f.pixels[size_t(y) * w + x] = std::uint8_t(std::clamp(int(128 + 90 * std::sin(x * 0.013) * std::cos(y * 0.021)) + int(g.bounded(41)) - 20, 0, 255));
    return f;
}

// The exact area mean of the source pixels an output pixel covers, in double.
double exactAreaMean(const cs::DisplayFrame &f, int size, int ox, int oy)
{
    const double sx = double(f.width) / size, sy = double(f.height) / size;
    const double x0 = ox * sx, x1 = x0 + sx, y0 = oy * sy, y1 = y0 + sy;
    double sum = 0;
    for (int y = int(y0); y < std::min(f.height, int(std::ceil(y1))); ++y)
        for (int x = int(x0); x < std::min(f.width, int(std::ceil(x1))); ++x) {
            const double wx = std::min(x1, x + 1.0) - std::max(x0, double(x)), wy = std::min(y1, y + 1.0) - std::max(y0, double(y));
            sum += wx * wy * f.pixels[size_t(y) * f.width + x];
        }
    return sum / (sx * sy);
}
} // namespace

class TestPreprocessing : public QObject {
    Q_OBJECT
private slots:
    void trainingJpeg_andDicomCr_giveTheSameInput_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("monochrome1");
        QTest::newRow("8-bit MONOCHROME2, window 127.5/256") << 8 << false;
        QTest::newRow("12-bit MONOCHROME2, window 2040.5/4081") << 12 << false;
        QTest::newRow("12-bit MONOCHROME1 (inverted), window 2040.5/4081") << 12 << true;
    }
    void trainingJpeg_andDicomCr_giveTheSameInput()
    {
        QFETCH(int, bits);
        QFETCH(bool, monochrome1);
        if (!QFileInfo::exists(kJpeg)) QSKIP("../shared/data is absent");
        auto jpeg = cs::loadScorableImage(kJpeg);
        QVERIFY2(jpeg.ok(), qPrintable(jpeg.ok() ? QString() : jpeg.error().message()));
        QCOMPARE(jpeg->frame.channels, 1);
        const auto &f = jpeg->frame;

        testdata::GreyImage im;
        im.rows = f.height;
        im.cols = f.width;
        im.bitsStored = bits;
        im.photometric = monochrome1 ? "MONOCHROME1" : "MONOCHROME2";
        // DICOM linear VOI maps x to ((x - (c - 0.5)) / (w - 1) + 0.5) * 255: with c 2040.5, w 4081, 16 v -> v.
        // (Without a window the pipeline stretches the file's min-max, which a JPEG never had.)
        im.windowCenter = bits == 12 ? "2040.5" : "127.5";
        im.windowWidth = bits == 12 ? "4081" : "256";
        for (std::uint8_t v : f.pixels) {
            const int shown = monochrome1 ? 255 - v : v;   // MONOCHROME1: low values display white
            im.pixels.push_back(quint16(bits == 12 ? shown * 16 : shown));
        }
        QTemporaryDir dir;
        const QString dcm = dir.filePath("cr.dcm");
        QVERIFY(testdata::writeGreyImage(dcm, im));
        auto dicom = cs::loadScorableImage(dcm);
        QVERIFY2(dicom.ok(), qPrintable(dicom.ok() ? QString() : dicom.error().message()));
        QVERIFY(dicom->dicom.has_value());
        QCOMPARE(dicom->dicom->modality, QStringLiteral("CR"));

        const auto a = cs::networkInputPixels(jpeg->frame, 224);
        const auto b = cs::networkInputPixels(dicom->frame, 224);
        QCOMPARE(a.size(), size_t(224 * 224));
        const float d = maxDiff(a, b);
        QVERIFY2(d == 0.f, qPrintable(QStringLiteral("largest difference %1 (of 1.0)").arg(d)));
    }

    void areaReduction_isTheExactAreaMean()
    {
        // A radiograph-like odd size (the demo CR is 1841 x 1955) at a smaller scale, to 56 px.
        const auto f = noiseFrame(461, 489, 7);
        const auto v = cs::networkInputPixels(f, 56);
        int ties = 0;
        for (int oy = 0; oy < 56; ++oy)
            for (int ox = 0; ox < 56; ++ox) {
                const double m = exactAreaMean(f, 56, ox, oy);
                const double got = v[size_t(oy) * 56 + ox] * 255.0;
                if (std::abs(m - std::floor(m) - 0.5) < 1e-9) { ++ties; QVERIFY(std::abs(got - m) <= 0.5 + 1e-6); continue; }
                QVERIFY2(std::abs(got - std::round(m)) < 1e-3,
                         qPrintable(QStringLiteral("(%1,%2): %3 for an area mean of %4").arg(ox).arg(oy).arg(got).arg(m)));
            }
        QVERIFY(ties < 56 * 56 / 10);
    }

    void areaReduction_matchesOpenCvAreaInterpolation()
    {
        // Whole-number factors (the baselines' 224 -> 28; 2 x 3 blocks) and fractional ones (the demo CR's
        // 1841 x 1955 -> 224; a slight shrink): the same grey levels as OpenCV, so the bedside input the
        // shipped model was measured with is unchanged.
        struct Case { int w, h, size; };
        for (const Case c : {Case{224, 224, 28}, Case{448, 672, 224}, Case{1841, 1955, 224}, Case{300, 229, 224}}) {
            const auto f = noiseFrame(c.w, c.h, quint32(c.w));
            const auto v = cs::networkInputPixels(f, c.size);
            cv::Mat src(c.h, c.w, CV_8UC1, const_cast<std::uint8_t *>(f.pixels.data())), ref;
            cv::resize(src, ref, cv::Size(c.size, c.size), 0, 0, cv::INTER_AREA);
            int worst = 0, differ = 0;
            for (int y = 0; y < c.size; ++y)
                for (int x = 0; x < c.size; ++x) {
                    const int d = std::abs(int(std::lround(v[size_t(y) * c.size + x] * 255.f)) - int(ref.at<std::uint8_t>(y, x)));
                    worst = std::max(worst, d);
                    differ += d != 0;
                }
            const QString what = QStringLiteral("%1x%2 -> %3: %4 pixels differ, by up to %5").arg(c.w).arg(c.h).arg(c.size).arg(differ).arg(worst);
            qInfo("%s", qPrintable(what));
            QVERIFY2(worst == 0, qPrintable(what));
        }
    }

    void stretchesToSquare_andKeepsGreyLevels()
    {
        // 400 x 200: left half 50, right half 200; stretched (not padded), so the
        // left half of the output is 50/255 and the right half 200/255.
        cs::DisplayFrame f;
        f.width = 400;
        f.height = 200;
        f.pixels.resize(400 * 200);
        for (int y = 0; y < 200; ++y)
            for (int x = 0; x < 400; ++x) f.pixels[size_t(y * 400 + x)] = x < 200 ? 50 : 200;
        const auto v = cs::networkInputPixels(f, 224);
        QCOMPARE(v.size(), size_t(224 * 224));
        QCOMPARE(v[0], 50.f / 255.f);                  // top-left: no padding band
        QCOMPARE(v[223 * 224 + 223], 200.f / 255.f);   // bottom-right
        QCOMPARE(v[100 * 224 + 50], 50.f / 255.f);
        QCOMPARE(v[100 * 224 + 170], 200.f / 255.f);
        // RGB grey gives the grey frame's values
        cs::DisplayFrame rgb = f;
        rgb.channels = 3;
        rgb.pixels.clear();
        for (auto p : f.pixels) rgb.pixels.insert(rgb.pixels.end(), {p, p, p});
        QCOMPARE(maxDiff(cs::networkInputPixels(rgb, 224), v), 0.f);
        // a small film is enlarged, not left small
        cs::DisplayFrame small;
        small.width = small.height = 100;
        small.pixels.assign(100 * 100, 128);
        const auto s = cs::networkInputPixels(small, 224);
        QCOMPARE(s[223 * 224 + 223], 128.f / 255.f);
    }
};

QTEST_GUILESS_MAIN(TestPreprocessing)
#include "tst_preprocessing.moc"
