#pragma once
// ClinSight's own version and the commit it was built from (passed in by
// CMake at configure time; no git at run time). The versions of the
// libraries it runs with are in clinsight/model/runtimeinfo.h.
#include <QString>

namespace cs {

QString clinsightVersion();   // "0.1.0"
QString buildCommit();        // full hash of the commit configured, "unknown" outside a git checkout

} // namespace cs
