// The image-on-timeline rule: wall-clock times when both sources carry them,
// else patient.json's image_hour, else nothing.
#include "clinsight/clinical/imagetiming.h"

#include <QtTest>

namespace {
cs::PatientAssessment withVitalsAndFrame()
{
    cs::PatientAssessment a;
    a.vitals = cs::VitalsTimeline();
    a.frame = cs::DisplayFrame();
    return a;
}
} // namespace

class TestImageTiming : public QObject {
    Q_OBJECT
private slots:
    void wallClock_whenBothCarryTimes()
    {
        auto a = withVitalsAndFrame();
        a.vitals->start = QDateTime(QDate(2024, 3, 1), QTime(8, 0), Qt::UTC);
        a.imageInfo = cs::DicomInstanceInfo();
        a.imageInfo->acquisitionDateTime = QStringLiteral("2024-03-01T14:30:00Z");
        a.inputs.imageHour = 2;   // wall clock wins
        const auto t = cs::imageTimeOnTimeline(a);
        QVERIFY(t);
        QCOMPARE(t->hours, 6.5);
        QCOMPARE(t->source, cs::ImageTiming::Source::WallClock);
    }
    void patientJsonHour_whenNoWallClock()
    {
        auto a = withVitalsAndFrame();
        a.inputs.imageHour = 12;
        a.imageInfo = cs::DicomInstanceInfo();   // no acquisition time
        const auto t = cs::imageTimeOnTimeline(a);
        QVERIFY(t);
        QCOMPARE(t->hours, 12.0);
        QCOMPARE(t->source, cs::ImageTiming::Source::PatientJson);
    }
    void nothing_withoutTimesOrInputs()
    {
        auto a = withVitalsAndFrame();
        QVERIFY(!cs::imageTimeOnTimeline(a));
        a.inputs.imageHour = 3;
        a.frame.reset();                           // no image, nothing to mark
        QVERIFY(!cs::imageTimeOnTimeline(a));
        a.frame = cs::DisplayFrame();
        a.vitals.reset();
        QVERIFY(!cs::imageTimeOnTimeline(a));
    }
};

QTEST_GUILESS_MAIN(TestImageTiming)
#include "tst_imagetiming.moc"
