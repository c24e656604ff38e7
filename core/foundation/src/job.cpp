#include "clinsight/foundation/job.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <cstdio>
#include <memory>

namespace cs {

void JobControl::setProgressCallback(ProgressFn fn)
{
    std::lock_guard<std::mutex> lock(m_fnMutex);
    m_fn = std::move(fn);
}

void JobControl::setTotal(qint64 total)
{
    m_total.store(total);
    std::lock_guard<std::mutex> lock(m_fnMutex);
    if (m_fn)
        m_fn(m_done.load(), total, {});
}

void JobControl::advance(qint64 by, const QString &what)
{
    const qint64 d = m_done.fetch_add(by) + by;
    std::lock_guard<std::mutex> lock(m_fnMutex);
    if (m_fn)
        m_fn(d, m_total.load(), what);
}

Error cancelledError(const QString &what)
{
    return makeError(Error::Code::Cancelled, {}, {}, what + QStringLiteral(" cancelled"));
}

JobControl::ProgressFn stderrProgress(const QString &label)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    auto last = std::make_shared<qint64>(-1000);
    return [label, timer, last](qint64 done, qint64 total, const QString &) {
        const qint64 now = timer->elapsed();
        if (done != total && now - *last < 250)
            return;
        *last = now;
        const double pct = total > 0 ? 100.0 * double(done) / double(total) : 0.0;
        std::fprintf(stderr, "[%s] %lld/%lld (%.0f%%)\n", label.toUtf8().constData(),
                     static_cast<long long>(done), static_cast<long long>(total), pct);
        std::fflush(stderr);
    };
}

struct ThreadHandoff::State {
    std::mutex mutex;
    QObject *target = nullptr;
};

ThreadHandoff::ThreadHandoff(QObject *target) : m_state(std::make_shared<State>())
{
    m_state->target = target;
    // destroyed() is emitted on the target's thread at the start of its destruction, before
    // Qt removes the events posted to it: once it returns, nothing is posted and nothing runs.
    QObject::connect(target, &QObject::destroyed, [state = m_state] {
        std::lock_guard<std::mutex> lock(state->mutex);
        state->target = nullptr;
    });
}

bool ThreadHandoff::post(std::function<void()> fn) const
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    if (!m_state->target) return false;
    return QMetaObject::invokeMethod(m_state->target, std::move(fn), Qt::QueuedConnection);
}

void JobProgressRelay::attach(JobControl &control)
{
    const ThreadHandoff handoff(this);
    control.setProgressCallback([handoff, this](qint64 done, qint64 total, const QString &what) {
        handoff.post([this, done, total, what] { emit progress(done, total, what); });   // runs only while this lives
    });
}

} // namespace cs
