#pragma once
// Private: what LibTorch reports about itself, asked in the runtime's torch
// translation unit so that callers need no torch include.
#include <QString>

namespace cs {

struct TorchRuntime {
    QString version;
    bool cudaAvailable = false;
    int cudaDevices = 0;
    int cpuThreads = 0;
};

TorchRuntime torchRuntime();

} // namespace cs
