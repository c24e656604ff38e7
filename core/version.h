#pragma once
// Versions of ClinSight and of the libraries it runs with, for --version,
// reports and the audit log.
#include <QString>

namespace cs {

QString clinsightVersion();
struct RuntimeInfo {
    QString qt, libtorch, dcmtk, opencv, openjpeg;
    bool cudaAvailable = false;
    int cudaDevices = 0;
    int cpuThreads = 0;   // LibTorch intra-op threads
};
RuntimeInfo runtimeInfo();
QString runtimeSummary(); // multi-line, for --version

} // namespace cs
