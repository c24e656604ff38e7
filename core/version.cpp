#include "version.h"
#include "jpeg2000_p.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <opencv2/core/version.hpp>
#include <torch/cuda.h>
#include <torch/version.h>
#include <ATen/Parallel.h>

#include <QCoreApplication>
#include <QThread>

#ifndef CLINSIGHT_VERSION
#define CLINSIGHT_VERSION "0.0.0"
#endif

namespace cs {

QString clinsightVersion() { return QStringLiteral(CLINSIGHT_VERSION); }

RuntimeInfo runtimeInfo()
{
    RuntimeInfo r;
    r.qt = QString::fromLatin1(qVersion());
    r.libtorch = QStringLiteral(TORCH_VERSION);
    r.dcmtk = QStringLiteral(OFFIS_DCMTK_VERSION_STRING);
    r.opencv = QStringLiteral(CV_VERSION);
    r.openjpeg = QString::fromLatin1(j2k::openJpegVersion());
    r.cudaAvailable = torch::cuda::is_available();
    r.cudaDevices = r.cudaAvailable ? int(torch::cuda::device_count()) : 0;
    r.cpuThreads = at::get_num_threads();
    return r;
}

QString runtimeSummary()
{
    const RuntimeInfo r = runtimeInfo();
    return QStringLiteral("ClinSight %1\n"
                          "Qt %2\nLibTorch %3\nDCMTK %4\nOpenCV %5\nOpenJPEG %6\n"
                          "CUDA: %7\nCPU threads: %8\n")
        .arg(clinsightVersion(), r.qt, r.libtorch, r.dcmtk, r.opencv, r.openjpeg,
             r.cudaAvailable ? QStringLiteral("available (%1 device(s))").arg(r.cudaDevices) : QStringLiteral("not available"))
        .arg(r.cpuThreads);
}

} // namespace cs
