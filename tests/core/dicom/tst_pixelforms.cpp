// Pixel forms DCMTK's display pipeline does not take as they are, on real
// corpus files: enhanced multi-frame rescale and window kept in functional
// groups (eCT_Supplemental: Hounsfield units, its brain window), and 32-bit
// greyscale narrowed to 16 bits without losing the detail the data have
// (an RT dose using 21 of its 32 bits).
#include "clinsight/dicom/dicom.h"

#include <QFile>
#include <QtTest>
#include <set>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA "/dicom");
bool haveData() { return QFile::exists(kData + "/pydicom-data/eCT_Supplemental.dcm"); }
} // namespace

class TestPixelForms : public QObject {
    Q_OBJECT
private slots:
    void enhancedCt_functionalGroups()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        auto src = cs::DicomImageSource::open(kData + "/pydicom-data/eCT_Supplemental.dcm");
        QVERIFY2(src.ok(), qPrintable(src.ok() ? QString() : src.error().message()));
        // The Frame VOI LUT (49 / 102) is the default window; the shared Pixel Value Transformation
        // (intercept -1024) makes the modality values Hounsfield units.
        QCOMPARE(src->info().windows.size(), 1);
        QCOMPARE(src->info().windows.first().center, 49.0);
        QCOMPARE(src->info().windows.first().width, 102.0);
        auto frame = src->render(0);
        QVERIFY(frame.ok());
        QCOMPARE(frame->window.center, 49.0);
        auto hu = src->modalityValues(0);
        QVERIFY(hu.ok());
        const auto [lo, hi] = std::minmax_element(hu->begin(), hu->end());
        QCOMPARE(double(*lo), -1024.0);    // stored 0 (air outside the head)
        QCOMPARE(double(*hi), 1196.0 - 1024.0);
    }

    void rtDose32_keepsItsLevels()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        for (const char *f : {"rtdose.dcm", "rtdose_expb.dcm"}) {
            auto src = cs::DicomImageSource::open(kData + "/pydicom-testfiles/" + f);
            QVERIFY2(src.ok(), qPrintable(src.ok() ? QString() : src.error().message()));
            auto v = src->modalityValues(0);
            QVERIFY(v.ok());
            // Stored 795000..1254000 (21 bits): 16 bits in use keep steps of 32, so the 100 pixels of the
            // frame keep (almost) all their distinct values; the top 16 of 32 stored bits kept 8.
            std::set<float> levels(v->begin(), v->end());
            QVERIFY2(levels.size() > 50, qPrintable(QStringLiteral("%1: %2 distinct values").arg(f).arg(levels.size())));
            const auto [lo, hi] = std::minmax_element(v->begin(), v->end());
            QVERIFY2(std::abs(*lo - 795000.0f) <= 32 && std::abs(*hi - 1254000.0f) <= 32, qPrintable(QStringLiteral("%1..%2").arg(*lo).arg(*hi)));
            QVERIFY(src->info().pixelNote.contains("bits in use"));
        }
    }
};

QTEST_GUILESS_MAIN(TestPixelForms)
#include "tst_pixelforms.moc"
