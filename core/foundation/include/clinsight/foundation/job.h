#pragma once
// Long work (series loading, inference, training, triage) runs as a job:
// Params in, Result<Out> out; progress with the total announced up front; a
// cancel flag the body polls; exceptions turned into a failed Result.
// JobControl is thread-safe: the body runs on a worker thread while the
// GUI or CLI thread reads progress and may request cancel.

#include "clinsight/foundation/error.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace cs {

class JobControl {
public:
    using ProgressFn = std::function<void(qint64 done, qint64 total, const QString &what)>;

    void setProgressCallback(ProgressFn fn);
    void setTotal(qint64 total);              // call once, before the first advance()
    void advance(qint64 by = 1, const QString &what = {});
    qint64 done() const { return m_done.load(); }
    qint64 total() const { return m_total.load(); }

    void requestCancel() { m_cancel->store(true); }
    bool isCancelled() const { return m_cancel->load(); }
    // A stage with its own progress (its own total and count) that is
    // cancelled whenever parent is: one Cancel reaches every stage of a job.
    void shareCancellation(const JobControl &parent) { m_cancel = parent.m_cancel; }

private:
    std::atomic<qint64> m_done{0};
    std::atomic<qint64> m_total{0};
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    std::mutex m_fnMutex;
    ProgressFn m_fn;
};

Error cancelledError(const QString &what);

// Runs body(control) and converts any exception into an Error::Internal.
template <class T>
Result<T> runJob(JobControl &control, const std::function<Result<T>(JobControl &)> &body)
{
    try {
        if (control.isCancelled())
            return cancelledError(QStringLiteral("job"));
        return body(control);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, {}, {}, QString::fromUtf8(e.what()));
    } catch (...) {
        return makeError(Error::Code::Internal, {}, {}, QStringLiteral("unknown exception"));
    }
}

// Prints "[what] done/total (pct%)" lines to stderr at most every 250 ms;
// the CLI installs it on its jobs.
JobControl::ProgressFn stderrProgress(const QString &label);

// Work handed from any thread to a QObject's own thread, safe however the two race:
// post() queues fn to run on the target's thread, or returns false once the target
// is destroyed. (A QPointer read on the worker is not: the object may be deleted
// between the check and the post.) The check and the post happen under one lock
// that the target's destruction also takes, and Qt drops the events of a destroyed
// object, so fn never runs after the target is gone. Construct on the target's thread.
class ThreadHandoff {
public:
    explicit ThreadHandoff(QObject *target);
    bool post(std::function<void()> fn) const;   // any thread
private:
    struct State;
    std::shared_ptr<State> m_state;
};

// Qt-side bridge: emits progress() across threads (queued) for a progress bar.
class JobProgressRelay : public QObject {
    Q_OBJECT
public:
    explicit JobProgressRelay(QObject *parent = nullptr) : QObject(parent) {}
    void attach(JobControl &control);
signals:
    void progress(qint64 done, qint64 total, const QString &what);
};

} // namespace cs
