#pragma once
// Versions of ClinSight and of the libraries it runs with, and the compute
// device, for --version, reports and the audit log. Reentrant.
#include <QString>

namespace cs {

struct RuntimeInfo {
    QString clinsight, commit, qt, libtorch, dcmtk, opencv, openjpeg;
    bool cudaAvailable = false;
    int cudaDevices = 0;
    int cpuThreads = 0;   // LibTorch intra-op threads
};

RuntimeInfo runtimeInfo();
QString runtimeSummary(); // multi-line, for --version

} // namespace cs
