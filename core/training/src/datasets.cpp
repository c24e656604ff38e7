#include "clinsight/training/datasets.h"
#include "clinsight/model/imagepreprocessing.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace cs {

Result<LabelledImages> loadLabelledImages(const QString &dir, JobControl &control, int maxImages)
{
    const QString csv = QDir(dir).filePath(QStringLiteral("labels.csv"));
    QFile f(csv);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, csv, {}, QStringLiteral("labels.csv missing or unreadable"));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    LabelledImages out;
    out.dir = dir;
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> c = lines[i].trimmed().split(',');
        bool ok = false;
        const int y = c.value(1).toInt(&ok);
        if (c.size() < 2 || !ok || (y != 0 && y != 1) || c[0].isEmpty())
            return makeError(Error::Code::Format, csv, QStringLiteral("line %1").arg(i + 1), QStringLiteral("expected 'file,0|1[,...]'"));
        out.files << QString::fromUtf8(c[0]);
        out.labels.push_back(y);
    }
    if (out.files.isEmpty())
        return makeError(Error::Code::Format, csv, {}, QStringLiteral("no labelled images"));
    if (maxImages > 0 && out.files.size() > maxImages) {
        const int k = (int(out.files.size()) + maxImages - 1) / maxImages;
        QStringList files;
        std::vector<int> labels;
        for (int i = 0; i < out.files.size(); i += k) {
            files << out.files[i];
            labels.push_back(out.labels[size_t(i)]);
        }
        out.files = files;
        out.labels = labels;
    }
    control.setTotal(out.files.size());
    std::function<Result<DisplayFrame>(const QString &)> load = [&](const QString &name) {
        if (control.isCancelled()) return Result<DisplayFrame>(cancelledError(QStringLiteral("loading images")));
        auto r = loadScorableImage(QDir(dir).filePath(name));
        control.advance();
        return r ? Result<DisplayFrame>(std::move(r.value().frame)) : Result<DisplayFrame>(r.error());
    };
    const QList<Result<DisplayFrame>> frames = QtConcurrent::blockingMapped(out.files, load);
    for (const auto &r : frames) {
        if (!r) return r.error();
        out.frames.push_back(r.value());
    }
    return out;
}

QString patientKey(const QString &fileName)
{
    const QString base = QFileInfo(fileName).completeBaseName();
    const int us = base.indexOf('_');
    if (us > 0) return base.left(us);                 // person1000_bacteria_2931 -> person1000
    const int dash = base.lastIndexOf('-');
    if (dash > 0) return base.left(dash);             // IM-0115-0001 -> IM-0115, NORMAL2-IM-0383-0001 -> NORMAL2-IM-0383
    return base;
}

ImageFolderSplit splitImagesByPatient(const QStringList &files, std::uint64_t seed, double vf, double tf)
{
    std::map<QString, std::vector<int>> byPatient;
    for (int i = 0; i < files.size(); ++i) byPatient[patientKey(files[i])].push_back(i);
    std::vector<QString> patients;
    for (const auto &kv : byPatient) patients.push_back(kv.first);   // sorted
    std::mt19937_64 rng(seed);
    std::shuffle(patients.begin(), patients.end(), rng);
    const size_t n = patients.size();
    const size_t nTest = size_t(double(n) * tf), nVal = size_t(double(n) * vf);
    ImageFolderSplit out;
    out.patients = int(n);
    for (size_t k = 0; k < n; ++k) {
        auto &dst = k < nTest ? out.test : k < nTest + nVal ? out.validation : out.train;
        const auto &idx = byPatient[patients[k]];
        dst.insert(dst.end(), idx.begin(), idx.end());
    }
    for (auto *v : {&out.train, &out.validation, &out.test}) std::sort(v->begin(), v->end());
    return out;
}

QStringList psvFilesIn(const QString &dir)
{
    QStringList files = QDir(dir).entryList({QStringLiteral("*.psv")}, QDir::Files, QDir::Name);
    return files;
}

StaySplit splitStays(QStringList files, std::uint64_t seed, double vf, double tf)
{
    files.sort();
    std::mt19937_64 rng(seed);
    std::shuffle(files.begin(), files.end(), rng);
    const int n = int(files.size());
    const int nTest = int(n * tf), nVal = int(n * vf);
    StaySplit s;
    s.test = files.mid(0, nTest);
    s.validation = files.mid(nTest, nVal);
    s.train = files.mid(nTest + nVal);
    return s;
}

Result<std::vector<VitalsTimeline>> loadStays(const QString &dir, const QStringList &names, JobControl &control)
{
    control.setTotal(names.size());
    std::function<Result<VitalsTimeline>(const QString &)> load = [&](const QString &n) {
        if (control.isCancelled()) return Result<VitalsTimeline>(cancelledError(QStringLiteral("loading stays")));
        auto r = importPhysioNet2019(QDir(dir).filePath(n));
        control.advance();
        return r;
    };
    const QList<Result<VitalsTimeline>> loaded = QtConcurrent::blockingMapped(names, load);
    std::vector<VitalsTimeline> out;
    out.reserve(loaded.size());
    for (const auto &r : loaded) {
        if (!r) return r.error();
        out.push_back(r.value());
    }
    return out;
}

std::vector<FusionPair> pairByLabel(const std::vector<int> &imageLabels, const std::vector<VitalsTimeline> &stays,
                                    int count, std::uint64_t seed)
{
    std::vector<int> imgPos, imgNeg;
    for (int i = 0; i < int(imageLabels.size()); ++i) (imageLabels[i] ? imgPos : imgNeg).push_back(i);
    std::vector<std::pair<int, int>> hourPos, hourNeg;
    for (int s = 0; s < int(stays.size()); ++s)
        for (int h = 0; h < int(stays[s].labels.size()); ++h)
            (stays[s].labels[h] == 1 ? hourPos : hourNeg).push_back({s, h});
    std::vector<FusionPair> out;
    if (imgPos.empty() || imgNeg.empty() || hourPos.empty() || hourNeg.empty()) return out;
    std::mt19937_64 rng(seed);
    for (int k = 0; k < count; ++k) {
        const int imageLabel = k % 2, sepsisLabel = (k / 2) % 2;
        const auto &imgs = imageLabel ? imgPos : imgNeg;
        const auto &hrs = sepsisLabel ? hourPos : hourNeg;
        const auto hp = hrs[std::uniform_int_distribution<size_t>(0, hrs.size() - 1)(rng)];
        out.push_back({imgs[std::uniform_int_distribution<size_t>(0, imgs.size() - 1)(rng)], hp.first, hp.second,
                       imageLabel | sepsisLabel});
    }
    return out;
}

} // namespace cs
