#include "clinsight/foundation/version.h"

#ifndef CLINSIGHT_VERSION
#define CLINSIGHT_VERSION "0.0.0"
#endif
#ifndef CLINSIGHT_COMMIT
#define CLINSIGHT_COMMIT "unknown"
#endif

namespace cs {

QString clinsightVersion() { return QStringLiteral(CLINSIGHT_VERSION); }
QString buildCommit() { return QStringLiteral(CLINSIGHT_COMMIT); }

} // namespace cs
