#pragma once
// Labelled data sets as training and evaluation read them: a folder of
// images with labels.csv (file,label), a folder of PhysioNet 2019 stays
// split by stay with a seed, and the explicit image/vitals pairing the
// fusion head is trained and measured on (no public set pairs them).
#include "clinsight/imaging/frame.h"
#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <QStringList>
#include <cstdint>
#include <vector>

namespace cs {

struct LabelledImages {
    QString dir;
    QStringList files;            // as named in labels.csv
    std::vector<DisplayFrame> frames;
    std::vector<int> labels;
};
// labels.csv header "file,<label name>[,more columns]"; label 0 or 1; every
// listed image must load. maxImages > 0 keeps every k-th row (k = ceil(rows /
// maxImages)), a deterministic subset that keeps both classes of a sorted list.
Result<LabelledImages> loadLabelledImages(const QString &dir, JobControl &control, int maxImages = 0);

// The patient a radiograph file belongs to, from the Kermany naming:
// "person1000_bacteria_2931.jpeg" -> "person1000" (text before the first
// '_'); else "IM-0115-0001.jpeg" -> "IM-0115" (before the last '-'); else the
// base name. Files of one patient never straddle a split.
QString patientKey(const QString &fileName);
struct ImageFolderSplit { std::vector<int> train, validation, test; int patients = 0; };
// Sorted patient keys shuffled with seed, then cut by fractions (test first,
// then validation); returns sorted file indices.
ImageFolderSplit splitImagesByPatient(const QStringList &files, std::uint64_t seed, double validationFraction, double testFraction);

struct StaySplit { QStringList train, validation, test; };
// Sorted .psv names shuffled with seed, then cut by fractions (validation, test).
StaySplit splitStays(QStringList files, std::uint64_t seed, double validationFraction, double testFraction);
QStringList psvFilesIn(const QString &dir);

// Imports .psv stays in parallel; unreadable ones are an error naming the file.
Result<std::vector<VitalsTimeline>> loadStays(const QString &dir, const QStringList &names, JobControl &control);

// One fusion example: image index, stay index, hour, and its label.
struct FusionPair { int image = 0; int stay = 0; int hour = 0; int label = 0; };
// Pairs built by label from unrelated images and stays, a quarter from each
// stratum (pneumonia yes/no x sepsis-labelled hour yes/no); the pair's label
// is "pneumonia or sepsis" (either finding needs the clinician's attention).
// Discordant pairs are in the data, so the fused head learns both branches.
std::vector<FusionPair> pairByLabel(const std::vector<int> &imageLabels, const std::vector<VitalsTimeline> &stays,
                                    int count, std::uint64_t seed);

} // namespace cs
