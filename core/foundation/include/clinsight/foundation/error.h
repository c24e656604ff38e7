#pragma once
// Error values returned across module boundaries. The message is written for a
// person (clinician, IT): it names the file and the field at fault and why.
// Developer diagnostics go to qDebug/qWarning, never into Error::reason.

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace cs {

struct Error {
    enum class Code {
        Io,            // file missing, unreadable, truncated
        Format,        // readable but malformed (corrupt tag, bad number, bad JSON)
        Unsupported,   // valid but a kind we do not handle (SR, waveform, codec)
        Invalid,       // a value outside what the field allows
        NotApplicable, // the model does not apply to this input
        Cancelled,     // the user or caller cancelled the job
        Integrity,     // a signature, hash or chain that does not verify: something was changed
        Denied,        // who is asking may not: wrong password, locked account, a role without the right
        Internal       // a bug or an exception from a library
    };
    Code code = Code::Internal;
    QString file;   // path of the input at fault, if any
    QString field;  // tag, column, JSON path, parameter name
    QString reason; // what is wrong, in plain words

    // "FILE: FIELD: reason" (parts that are empty are left out); one line.
    QString message() const;
    static QString codeName(Code c);
};

Error makeError(Error::Code code, QString file, QString field, QString reason);

// Result-or-error at module boundaries (std::expected is C++23).
template <class T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}            // NOLINT implicit by design
    Result(Error error) : m_v(std::move(error)) {}        // NOLINT implicit by design
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_v); }
    T &value() & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    const T *operator->() const { return &std::get<0>(m_v); }
    T *operator->() { return &std::get<0>(m_v); }
    const Error &error() const { return std::get<1>(m_v); }
private:
    std::variant<T, Error> m_v;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

} // namespace cs
