// The lazily sampled explanation map (heatmap.h): the whole frame equals
// PyTorch's bilinear interpolate (align_corners=False) of the grid, the values
// the map had when the model upsampled it itself (tests/data/heatmap/
// make-reference.py); a region sampled at its own size is the same crop of the
// full map; a region at screen size is the full map resampled; the secondary
// capture refuses a map laid over another frame.
#include "clinsight/imaging/heatmap.h"
#include "clinsight/imaging/saliencycapture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

namespace {
cs::HeatmapGrid grid(int gw, int gh, int fw, int fh, std::vector<float> v)
{
    cs::HeatmapGrid g;
    g.values = std::move(v);
    g.gridWidth = gw;
    g.gridHeight = gh;
    g.frameWidth = fw;
    g.frameHeight = fh;
    return g;
}
} // namespace

class TestHeatmap : public QObject {
    Q_OBJECT
private slots:
    void handComputed_2x2to4x4()
    {
        // Sample centres at grid coordinates -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last cell).
        const auto g = grid(2, 2, 4, 4, {0, 1, 2, 3});
        const auto m = cs::heatmapOnFrame(g);
        QCOMPARE(int(m.size()), 16);
        const float a[4] = {0, 0.25f, 0.75f, 1};
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x) QVERIFY(std::abs(m[size_t(y * 4 + x)] - (a[x] + 2 * a[y])) < 1e-6f);
    }

    void wholeFrame_equalsPyTorchInterpolate()
    {
        QFile f(QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data/heatmap/bilinear-reference.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray cases = QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("cases")).toArray();
        QCOMPARE(cases.size(), 4);
        for (const auto &c : cases) {
            const QJsonObject o = c.toObject();
            std::vector<float> v;
            for (const auto &x : o.value(QLatin1String("grid")).toArray()) v.push_back(float(x.toDouble()));
            const auto g = grid(o.value(QLatin1String("grid_width")).toInt(), o.value(QLatin1String("grid_height")).toInt(),
                                o.value(QLatin1String("frame_width")).toInt(), o.value(QLatin1String("frame_height")).toInt(), v);
            QVERIFY(!g.isNull());
            const auto m = cs::heatmapOnFrame(g);
            const QJsonArray expected = o.value(QLatin1String("frame")).toArray();
            QCOMPARE(int(m.size()), int(expected.size()));
            double worst = 0;
            for (int i = 0; i < expected.size(); ++i) worst = std::max(worst, std::abs(m[size_t(i)] - expected[i].toDouble()));
            QVERIFY2(worst < 2e-6, qPrintable(QStringLiteral("%1x%2 -> %3x%4: differs from PyTorch by %5")
                                                  .arg(g.gridWidth).arg(g.gridHeight).arg(g.frameWidth).arg(g.frameHeight).arg(worst)));
        }
    }

    void region_isCropOfFullMap()
    {
        // A linear ramp: bilinear sampling reproduces it exactly inside the outermost cell centres.
        std::vector<float> v(14 * 14);
        for (size_t i = 0; i < v.size(); ++i) v[i] = 0.05f * float(i % 14) + 0.02f * float(i / 14);
        const auto g = grid(14, 14, 301, 257, v);
        const auto full = cs::heatmapOnFrame(g);
        // A region at one sample per frame pixel is the full map's crop.
        const int x0 = 40, y0 = 101, w = 150, h = 77;
        const auto crop = cs::sampleHeatmap(g, x0, y0, w, h, w, h);
        double worst = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) worst = std::max(worst, double(std::abs(crop[size_t(y * w + x)] - full[size_t((y0 + y) * 301 + x0 + x)])));
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
        // At half the resolution each sample sits between two frame pixels in each direction: their mean.
        const auto half = cs::sampleHeatmap(g, x0, y0, 150, 76, 75, 38);
        worst = 0;
        for (int y = 0; y < 38; ++y)
            for (int x = 0; x < 75; ++x) {
                const auto at = [&](int fx, int fy) { return double(full[size_t(fy * 301 + fx)]); };
                const int fx = x0 + 2 * x, fy = y0 + 2 * y;
                const double mean = (at(fx, fy) + at(fx + 1, fy) + at(fx, fy + 1) + at(fx + 1, fy + 1)) / 4;
                worst = std::max(worst, std::abs(half[size_t(y * 75 + x)] - mean));
            }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }

    void beyondTheFrame_edgeContinues_andBadInputEmpty()
    {
        const auto g = grid(2, 1, 10, 4, {0.2f, 0.8f});
        const auto m = cs::sampleHeatmap(g, -10, 0, 30, 4, 3, 1);   // left of, on, right of the frame
        QCOMPARE(int(m.size()), 3);
        QVERIFY(std::abs(m[0] - 0.2f) < 1e-6f && std::abs(m[2] - 0.8f) < 1e-6f);
        QVERIFY(std::abs(m[1] - 0.5f) < 1e-6f);
        QVERIFY(cs::sampleHeatmap(g, 0, 0, 10, 4, 0, 5).empty());
        QVERIFY(cs::sampleHeatmap(grid(2, 2, 10, 4, {0.2f}), 0, 0, 10, 4, 5, 5).empty());   // values of another size
        QVERIFY(cs::HeatmapGrid{}.isNull());
    }

    void capture_refusesMapOfAnotherFrame()
    {
        cs::DisplayFrame f;
        f.width = 20;
        f.height = 10;
        f.channels = 1;
        f.pixels.assign(200, 100);
        const auto ok = cs::composeSaliencyCapture(f, grid(2, 2, 20, 10, {0, 0, 0, 1}), {QStringLiteral("caption")});
        QVERIFY(ok.ok());
        QCOMPARE(ok->width, 20);
        QVERIFY(ok->height > 10);   // the caption band
        // the hot corner is tinted red (jet's 1.0 is dark red), the cold one is the frame's grey
        const auto px = [&](int x, int y, int k) { return int(ok->pixels[size_t((y * ok->width + x) * 3 + k)]); };
        QCOMPARE(px(0, 0, 0), 100);
        QCOMPARE(px(0, 0, 2), 100);
        QVERIFY(px(19, 9, 0) > px(19, 9, 1) + 40);
        const auto bad = cs::composeSaliencyCapture(f, grid(2, 2, 21, 10, {0, 0, 0, 1}), {});
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message().contains(QLatin1String("another size")));
    }
};

QTEST_GUILESS_MAIN(TestHeatmap)
#include "tst_heatmap.moc"
