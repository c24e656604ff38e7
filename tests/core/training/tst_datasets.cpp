// Data sets: stays split by stay (disjoint, complete, reproducible), fusion
// pairs drawn a quarter from each label stratum, labelled image folders.
#include "clinsight/imaging/rasterfile.h"
#include "clinsight/training/datasets.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {
QStringList stayNames(int n)
{
    QStringList s;
    for (int i = 0; i < n; ++i) s << QStringLiteral("p%1.psv").arg(100000 + i);
    return s;
}
cs::VitalsTimeline stayWithLabels(const std::vector<int> &labels)
{
    cs::VitalsTimeline t;
    t.labels = labels;
    return t;
}
} // namespace

class TestDatasets : public QObject {
    Q_OBJECT
private slots:
    void splitStays_disjointCompleteAndSized()
    {
        const QStringList names = stayNames(200);
        const cs::StaySplit s = cs::splitStays(names, 42, 0.15, 0.15);
        QCOMPARE(s.test.size(), 30);
        QCOMPARE(s.validation.size(), 30);
        QCOMPARE(s.train.size(), 140);
        QSet<QString> all;
        for (const auto *part : {&s.train, &s.validation, &s.test})
            for (const QString &n : *part) {
                QVERIFY2(!all.contains(n), qPrintable(n + " is in two parts"));
                all.insert(n);
            }
        QCOMPARE(all.size(), 200);
    }
    void imagePatients_neverStraddleSplits()
    {
        QCOMPARE(cs::patientKey("person1000_bacteria_2931.jpeg"), QStringLiteral("person1000"));
        QCOMPARE(cs::patientKey("person1000_virus_1681.jpeg"), QStringLiteral("person1000"));
        QCOMPARE(cs::patientKey("IM-0115-0001.jpeg"), QStringLiteral("IM-0115"));
        QCOMPARE(cs::patientKey("NORMAL2-IM-0383-0001.jpeg"), QStringLiteral("NORMAL2-IM-0383"));
        QStringList files;
        for (int p = 0; p < 100; ++p)
            for (int k = 0; k <= p % 4; ++k) files << QStringLiteral("person%1_bacteria_%2.jpeg").arg(p).arg(k);
        const cs::ImageFolderSplit s = cs::splitImagesByPatient(files, 7, 0.15, 0.15);
        QCOMPARE(s.patients, 100);
        QCOMPARE(int(s.train.size() + s.validation.size() + s.test.size()), int(files.size()));
        QMap<QString, int> part;
        const std::vector<int> *parts[] = {&s.train, &s.validation, &s.test};
        for (int k = 0; k < 3; ++k)
            for (int i : *parts[k]) {
                const QString key = cs::patientKey(files[i]);
                QVERIFY2(!part.contains(key) || part[key] == k, qPrintable(key + " is in two parts"));
                part[key] = k;
            }
        QCOMPARE(part.size(), 100);
        QCOMPARE(cs::splitImagesByPatient(files, 7, 0.15, 0.15).test, s.test);   // seeded
    }
    void splitStays_reproducibleAndOrderFree()
    {
        QStringList names = stayNames(100);
        const cs::StaySplit a = cs::splitStays(names, 7, 0.2, 0.1);
        std::reverse(names.begin(), names.end());
        const cs::StaySplit b = cs::splitStays(names, 7, 0.2, 0.1);
        QCOMPARE(a.test, b.test);
        QCOMPARE(a.validation, b.validation);
        const cs::StaySplit c = cs::splitStays(names, 8, 0.2, 0.1);
        QVERIFY(a.test != c.test);
    }
    void pairByLabel_quarterPerStratum_labelIsEither()
    {
        std::vector<int> images;
        for (int i = 0; i < 40; ++i) images.push_back(i % 4 == 0 ? 1 : 0);   // 10 pneumonia, 30 not
        std::vector<cs::VitalsTimeline> stays{stayWithLabels({0, 0, 0, 1, 1}), stayWithLabels({0, 0, 0, 0}),
                                              stayWithLabels({0, 1})};
        const auto pairs = cs::pairByLabel(images, stays, 1000, 3);
        QCOMPARE(int(pairs.size()), 1000);
        int strata[2][2] = {{0, 0}, {0, 0}};
        for (const auto &p : pairs) {
            const int img = images[size_t(p.image)];
            const int sep = stays[size_t(p.stay)].labels[size_t(p.hour)];
            ++strata[img][sep];
            QCOMPARE(p.label, img | sep);
        }
        for (auto &row : strata)
            for (int n : row) QCOMPARE(n, 250);
        QCOMPARE(cs::pairByLabel(images, stays, 1000, 3).front().image, pairs.front().image);   // seeded
    }
    void pairByLabel_missingStratum_returnsNone()
    {
        const std::vector<int> allNegative(10, 0);
        QVERIFY(cs::pairByLabel(allNegative, {stayWithLabels({0, 1})}, 100, 1).empty());
        QVERIFY(cs::pairByLabel({0, 1}, {stayWithLabels({0, 0})}, 100, 1).empty());
    }
    void loadLabelledImages_readsAndNamesBadLines()
    {
        QTemporaryDir dir;
        cs::DisplayFrame f;
        f.width = f.height = 8;
        f.pixels.assign(64, 100);
        QVERIFY(cs::writePng(dir.filePath("a.png"), f).ok());
        f.pixels.assign(64, 200);
        QVERIFY(cs::writePng(dir.filePath("b.png"), f).ok());
        QFile csv(dir.filePath("labels.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("file,label\na.png,0\nb.png,1\n");
        csv.close();
        cs::JobControl c;
        auto r = cs::loadLabelledImages(dir.path(), c);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QCOMPARE(r->labels, (std::vector<int>{0, 1}));
        QCOMPARE(r->frames[1].pixels[0], std::uint8_t(200));

        QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
        csv.write("file,label\na.png,0\nb.png,maybe\n");
        csv.close();
        auto bad = cs::loadLabelledImages(dir.path(), c);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message().contains("labels.csv") && bad.error().message().contains("line 3"),
                 qPrintable(bad.error().message()));
        QVERIFY(!cs::loadLabelledImages(dir.filePath("nowhere"), c).ok());
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
