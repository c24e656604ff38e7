#pragma once
// DICOM reading for ClinSight, in three stages:
//  1. readDicomHeader(): key tags of one file, no pixel data loaded;
//  2. scanDicom(): files, folders (recursive) and DICOMDIRs sorted into
//     patient / study / series / instance, with every skipped file and why;
//  3. DicomImageSource: pixels of one instance, decoded one frame at a time
//     on demand and rendered through the PS3.3/PS3.4 pipeline (modality LUT,
//     VOI, MONOCHROME1, presentation LUT, colour models).
// DCMTK and OpenJPEG stay inside the .cpp files. Thread contract: free
// functions are reentrant; one DicomImageSource is used by one thread at a
// time (copies share the decoded data read-only and may be used in parallel).

#include "clinsight/foundation/error.h"
#include "clinsight/foundation/job.h"
#include "clinsight/imaging/frame.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace cs {

struct DicomInstanceInfo {
    QString path;
    QString patientId, issuerOfPatientId, patientName, patientSex, patientBirthDate;
    QString studyUid, studyDate, studyTime, studyDescription, accessionNumber;
    QString seriesUid, seriesDescription, modality, bodyPart;
    int seriesNumber = 0;
    QString frameOfReferenceUid;
    QString sopClassUid, sopInstanceUid;
    QString transferSyntaxUid, transferSyntaxName;
    QString photometric;
    QString acquisitionDateTime;   // ISO-8601 when present (Acquisition/Content/Study date+time)
    int rows = 0, columns = 0, frames = 0;
    int samplesPerPixel = 0, bitsAllocated = 0, bitsStored = 0, highBit = 0, pixelRepresentation = 0;
    int planarConfiguration = 0;
    int floatBits = 0;             // 32 or 64: Float / Double Float Pixel Data (parametric maps); 0 integer Pixel Data
    QString pixelNote;             // how pixel data DCMTK refuses were made displayable ("segmented palette ... expanded"); empty if untouched
    int instanceNumber = 0;
    bool hasPixelData = false;
    bool hasPosition = false, hasOrientation = false;
    std::array<double, 3> position{{0, 0, 0}};
    std::array<double, 6> orientation{{1, 0, 0, 0, 1, 0}};
    bool hasPixelSpacing = false;
    double pixelSpacingRow = 1.0, pixelSpacingCol = 1.0; // mm between rows / columns
    double sliceThickness = 0;
    QList<VoiWindow> windows;
    QString voiLutFunction;        // LINEAR, LINEAR_EXACT, SIGMOID or empty
    QString presentationLutShape;  // IDENTITY, INVERSE or empty

};

struct DicomSeriesInfo {
    QString seriesUid, modality, description, bodyPart;
    int seriesNumber = 0;
    std::vector<DicomInstanceInfo> instances; // display order
    bool orderedByPosition = false;           // else by Instance Number
    double sliceSpacing = 0;                  // mm along the slice normal; 0 when unknown
    int frameCount() const;
};

struct DicomStudyInfo {
    QString studyUid, date, time, description, accessionNumber;
    std::vector<DicomSeriesInfo> series;
};

struct DicomPatientInfo {
    QString patientId, patientName, sex, birthDate;
    std::vector<DicomStudyInfo> studies;
};

struct SkippedFile {
    QString path;
    Error error;
};

struct DicomScan {
    std::vector<DicomPatientInfo> patients;
    std::vector<SkippedFile> skipped;
    int filesSeen = 0;
    int instanceCount() const;
};

// Header of one file, pixels not loaded. Errors name the file and the tag.
// Files that are valid DICOM but carry no image (SR, RT Plan, waveform) are
// an Unsupported error.
Result<DicomInstanceInfo> readDicomHeader(const QString &path);

// Scans each input (file, folder recursively, or a DICOMDIR) in parallel.
// Never fails as a whole: unreadable files are listed in skipped.
DicomScan scanDicom(const QStringList &inputs, JobControl &control);
// Every series of the scan that has image frames, the one with the most frames first (stable otherwise).
std::vector<DicomSeriesInfo> imageSeries(const DicomScan &scan);

// Every data element of a file for the tag browser: sequences flattened
// with their depth; values longer than 200 characters shortened.
struct DicomTagRow {
    int depth = 0;
    QString tag, name, vr, value;
};
Result<std::vector<DicomTagRow>> dicomTags(const QString &path);

// Human name of a transfer syntax UID ("JPEG 2000 Image Compression (Lossless Only)").
QString transferSyntaxName(const QString &uid);

struct VoiChoice {
    enum class Kind { FileDefault, Custom, MinMax };  // the file's first window (else min/max), a chosen one, min/max
    Kind kind = Kind::FileDefault;
    double center = 0, width = 0;
    static VoiChoice custom(double c, double w) { VoiChoice v; v.kind = Kind::Custom; v.center = c; v.width = w; return v; }
};

class DicomImageSource {
public:
    static Result<DicomImageSource> open(const QString &path);

    const DicomInstanceInfo &info() const;
    int frameCount() const;
    bool isColor() const;

    // Renders one frame through modality LUT, VOI, and presentation LUT.
    Result<DisplayFrame> render(int frame, const VoiChoice &voi = {}) const;
    // Modality values (e.g. Hounsfield units) of one grey frame, row-major.
    Result<std::vector<float>> modalityValues(int frame) const;

    DicomImageSource(const DicomImageSource &) = default;
    DicomImageSource &operator=(const DicomImageSource &) = default;
    DicomImageSource(DicomImageSource &&) noexcept = default;
    DicomImageSource &operator=(DicomImageSource &&) noexcept = default;
    ~DicomImageSource();

    struct Impl;
private:
    explicit DicomImageSource(std::shared_ptr<Impl> d);
    std::shared_ptr<Impl> d;
};

// Versions of the toolkits that read DICOM here, for --version and reports.
QString dcmtkVersion();
QString openJpegVersion();

// Threads OpenJPEG may use to decode one JPEG 2000 frame (its code-blocks in
// parallel; the pixels are the same). 0, the default: every core, shared among
// the JPEG 2000 frames being decoded at that moment (one large radiograph alone
// gets every core; two at once half each, rather than oversubscribing them); N:
// N threads per frame however many run. Process-wide, thread-safe.
void setJpeg2000DecodeThreads(int n);

// Registers DCMTK's JPEG, JPEG-LS and RLE decoders once (idempotent, thread-safe).
void ensureDicomCodecsRegistered();

// Decode limits: anything larger is refused before allocation.
constexpr std::int64_t kMaxDecodedBytes = std::int64_t(4) << 30; // 4 GiB

} // namespace cs
