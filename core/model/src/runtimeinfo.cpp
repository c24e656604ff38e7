#include "clinsight/model/runtimeinfo.h"

#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/version.h"
#include "clinsight/imaging/rasterfile.h"
#include "torchruntime_p.h"

namespace cs {

RuntimeInfo runtimeInfo()
{
    RuntimeInfo r;
    r.clinsight = clinsightVersion();
    r.commit = buildCommit();
    r.qt = QString::fromLatin1(qVersion());
    r.dcmtk = dcmtkVersion();
    r.opencv = openCvVersion();
    r.openjpeg = openJpegVersion();
    const TorchRuntime t = torchRuntime();
    r.libtorch = t.version;
    r.cudaAvailable = t.cudaAvailable;
    r.cudaDevices = t.cudaDevices;
    r.cpuThreads = t.cpuThreads;
    return r;
}

QString runtimeSummary()
{
    const RuntimeInfo r = runtimeInfo();
    return QStringLiteral("ClinSight %1 (commit %2)\n"
                          "Qt %3\nLibTorch %4\nDCMTK %5\nOpenCV %6\nOpenJPEG %7\n"
                          "CUDA: %8\nCPU threads: %9\n")
        .arg(r.clinsight, r.commit.left(12), r.qt, r.libtorch, r.dcmtk, r.opencv, r.openjpeg,
             r.cudaAvailable ? QStringLiteral("available (%1 device(s))").arg(r.cudaDevices) : QStringLiteral("not available"))
        .arg(r.cpuThreads);
}

} // namespace cs
