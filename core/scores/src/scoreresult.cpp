#include "clinsight/scores/scoreresult.h"

namespace cs {

QString ScoreResult::completeness() const
{
    return QStringLiteral("%1/%2 components").arg(int(components.size()) - missingCount).arg(components.size());
}

} // namespace cs
