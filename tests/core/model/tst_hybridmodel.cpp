// The hybrid model runtime: the committed bundle loads, vitals are causal with
// attention summing to one, Grad-CAM is aligned with the frame, the runtime names its libraries.
#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/runtimeinfo.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/dicom/dicom.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
[[maybe_unused]] bool haveData() { return QDir(kData + "/cxr/kermany224/train").exists(); }
} // namespace

class TestHybridModel : public QObject {
    Q_OBJECT
private slots:
    void committedBundle_loads()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message()));
        QVERIFY(!m->version().isEmpty());
        QVERIFY(m->manifest().contains("evaluation"));
    }

    // A vitals network this build does not know is refused by name, never run with the wrong forward pass.
    void unknownVitalsLayout_refusedByName()
    {
        QTemporaryDir dir;
        for (const QString &f : QDir(kBundle).entryList(QDir::Files)) QVERIFY(QFile::copy(kBundle + '/' + f, dir.filePath(f)));
        QFile mf(dir.filePath("manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        QJsonObject m = QJsonDocument::fromJson(mf.readAll()).object();
        mf.close();
        QJsonObject vit = m.value("vitals").toObject();
        vit.insert("layout", "lstm-transformer-v9");
        m.insert("vitals", vit);
        QVERIFY(mf.open(QIODevice::WriteOnly | QIODevice::Truncate));
        mf.write(QJsonDocument(m).toJson());
        mf.close();
        auto r = cs::HybridModel::load(dir.path(), cs::HybridModel::Device::Cpu, cs::HybridModel::Signature::UnsignedTrainingOutput);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains("vitals.layout") && r.error().message().contains("lstm-transformer-v9"),
                 qPrintable(r.error().message()));
        QVERIFY(r.error().message().contains("manifest.json"));
    }

    void vitals_areCausal_andAttentionSumsToOne()
    {
        const QString path = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo/demo01-septic-pneumonia");
        const QStringList psv = QDir(path).entryList({"*.psv"});
        QVERIFY(!psv.isEmpty());
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        auto t = cs::importPhysioNet2019(path + '/' + psv.first());
        QVERIFY(t.ok());
        auto full = m->scoreVitals(t.value());
        QVERIFY(full.ok());
        QCOMPARE(full->hours, t->rowsRead);
        const int cut = full->hours / 2;
        // Change everything after hour `cut`: drop the rest and add absurd-but-plausible values.
        cs::VitalsTimeline changed = t->truncatedTo(cut + 1);
        for (int h = cut + 1; h < t->rowsRead; ++h) {
            changed.addRaw(cs::var::HR, h, 190, {}, "test");
            changed.addRaw(cs::var::SBP, h, 60, {}, "test");
        }
        changed.rowsRead = t->rowsRead;
        changed.labels.resize(size_t(t->rowsRead), 0);
        changed.finalize();
        auto other = m->scoreVitals(changed);
        QVERIFY(other.ok());
        for (int h = 0; h <= cut; ++h)
            QVERIFY2(std::abs(full->riskPerHour[h] - other->riskPerHour[h]) < 1e-6, qPrintable(QString::number(h)));
        bool differsLater = false;
        for (int h = cut + 1; h < full->hours; ++h) differsLater |= std::abs(full->riskPerHour[h] - other->riskPerHour[h]) > 1e-6;
        QVERIFY2(differsLater, "changing later rows must change later risks (else the test proves nothing)");
        double sum = 0;
        for (float a : full->attention) { QVERIFY(a >= 0); sum += a; }
        QCOMPARE(int(full->attention.size()), full->hours);
        QVERIFY(std::abs(sum - 1.0) < 1e-4);
    }

    void gradCam_alignedAndNonConstant()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        const QString dcm = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo/demo06-chest-cr/RG1_J2KI.dcm");
        auto src = cs::DicomImageSource::open(dcm);
        QVERIFY(src.ok());
        auto frame = src->render(0);
        QVERIFY(frame.ok());
        auto r = m->scoreImage(frame.value(), &src->info(), true);
        QVERIFY(r.ok());
        QVERIFY(r->applicable);
        QVERIFY(!r->gradCam.isNull());
        QCOMPARE(r->gradCam.frameWidth, frame->width);
        QCOMPARE(r->gradCam.frameHeight, frame->height);
        QVERIFY2(r->gradCam.gridWidth >= 14 && r->gradCam.gridHeight >= 14, "Grad-CAM must come from a layer of at least 14 x 14");
        const auto full = cs::heatmapOnFrame(r->gradCam);
        QCOMPARE(full.size(), size_t(frame->width) * frame->height);
        const auto [lo, hi] = std::minmax_element(full.begin(), full.end());
        QVERIFY(*hi > *lo);
        QVERIFY(*lo >= 0 && *hi <= 1.0001);
        QCOMPARE(*std::max_element(r->gradCam.values.begin(), r->gradCam.values.end()), 1.0f);   // scaled to its maximum
        // Without Grad-CAM: the same risk, no map.
        auto plain = m->scoreImage(frame.value(), &src->info(), false);
        QVERIFY(plain.ok());
        QVERIFY(plain->gradCam.isNull());
        QVERIFY(std::abs(plain->logit - r->logit) < 1e-5);
        QVERIFY(r->risk >= 0 && r->risk <= 1);
    }

    void runtimeInfo_namesLibraries()
    {
        const QString s = cs::runtimeSummary();
        for (const char *lib : {"LibTorch", "DCMTK", "OpenCV", "Qt", "CUDA"})
            QVERIFY2(s.contains(QLatin1String(lib)), lib);
        QVERIFY(cs::runtimeInfo().cpuThreads >= 1);
    }
};

QTEST_GUILESS_MAIN(TestHybridModel)
#include "tst_hybridmodel.moc"
