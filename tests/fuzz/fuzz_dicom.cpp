// libFuzzer target for the DICOM loader: every input is written to a file
// and goes through header reading, opening (decoders incl. JPEG 2000) and
// rendering the first and last frame. Any crash, leak or sanitizer report is
// a finding; error values are the expected outcome for garbage.
#include "clinsight/dicom/dicom.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const QString path = QStringLiteral("/tmp/clinsight-fuzz-%1.dcm").arg(getpid());
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return 0;
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    auto header = cs::readDicomHeader(path);
    auto src = cs::DicomImageSource::open(path);
    if (src) {
        (void)src->render(0);
        if (src->frameCount() > 1) (void)src->render(src->frameCount() - 1);
        (void)src->modalityValues(0);
        (void)src->render(0, cs::VoiChoice::custom(100, 50));
    }
    (void)cs::dicomTags(path);
    return 0;
}
