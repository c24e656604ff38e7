#pragma once
// Milliseconds since this process was started by the kernel (so the dynamic
// loading of Qt, LibTorch and DCMTK before main() is counted), for
// `clinsight --startup-report` (bench/startup.sh). Linux: /proc/self/stat's
// start time (10 ms resolution) against CLOCK_BOOTTIME; -1 where unavailable.
double msSinceProcessStart();
