#pragma once
// For `clinsight --startup-report` (bench/run.sh): milliseconds since this
// process was started by the kernel (so the dynamic loading of Qt, LibTorch
// and DCMTK before main() is counted; Linux: /proc/self/stat's start time,
// 10 ms resolution, against CLOCK_BOOTTIME; -1 where unavailable), and a hook
// on a window's first paint.
#include <functional>

class QWidget;

double msSinceProcessStart();
// Calls done once, when widget receives its first paint event (as it starts being drawn).
void afterFirstPaint(QWidget *widget, std::function<void()> done);
