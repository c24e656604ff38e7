#include "clinsight/foundation/error.h"

namespace cs {

QString Error::message() const
{
    QString s;
    if (!file.isEmpty())
        s += file + QStringLiteral(": ");
    if (!field.isEmpty())
        s += field + QStringLiteral(": ");
    s += reason.isEmpty() ? codeName(code) : reason;
    return s.simplified();
}

QString Error::codeName(Code c)
{
    switch (c) {
    case Code::Io: return QStringLiteral("input/output error");
    case Code::Format: return QStringLiteral("malformed input");
    case Code::Unsupported: return QStringLiteral("unsupported input");
    case Code::Invalid: return QStringLiteral("invalid value");
    case Code::NotApplicable: return QStringLiteral("not applicable");
    case Code::Cancelled: return QStringLiteral("cancelled");
    case Code::Integrity: return QStringLiteral("integrity check failed");
    case Code::Denied: return QStringLiteral("access denied");
    case Code::Internal: return QStringLiteral("internal error");
    }
    return {};
}

Error makeError(Error::Code code, QString file, QString field, QString reason)
{
    return Error{code, std::move(file), std::move(field), std::move(reason)};
}

} // namespace cs
