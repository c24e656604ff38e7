#pragma once
// The clinical database on its own thread, for callers that must never wait
// (the GUI): one ClinicalStore, opened, used and closed on a worker thread;
// requests run there one after another in the order posted; each reply is
// delivered on the receiver's thread through its event loop (dropped if the
// receiver is gone). The destructor finishes queued requests, closes the
// database on its thread and joins it.
#include "clinsight/storage/clinicalstore.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <optional>

namespace cs {

class ClinicalStoreWorker {
public:
    ClinicalStoreWorker();
    ~ClinicalStoreWorker();
    ClinicalStoreWorker(const ClinicalStoreWorker &) = delete;
    ClinicalStoreWorker &operator=(const ClinicalStoreWorker &) = delete;

    // Opens (creates, migrates) path with the database key on the worker thread;
    // done(status) on receiver's thread.
    void open(const QString &path, const QByteArray &key, QObject *receiver, std::function<void(Status)> done);

    // Runs fn(store) on the worker thread, then reply(result) on receiver's thread.
    // R must be constructible from Error (Result<T> or Status): a store that is
    // not open answers with an error, never runs fn.
    template <class R>
    void run(std::function<R(ClinicalStore &)> fn, QObject *receiver, std::function<void(R)> reply)
    {
        post([this, fn = std::move(fn), receiver = QPointer<QObject>(receiver), reply = std::move(reply)] {
            R r = m_store ? fn(*m_store)
                          : R(makeError(Error::Code::Io, m_path, {}, QStringLiteral("the local database is not open")));
            if (receiver && reply)
                QMetaObject::invokeMethod(receiver.data(), [reply, r] { reply(r); }, Qt::QueuedConnection);
        });
    }

private:
    void post(std::function<void()> task);
    QThread m_thread;
    QObject *m_context = nullptr;               // lives on m_thread; tasks run in its event loop
    std::optional<ClinicalStore> m_store;       // touched only on m_thread
    QString m_path;
};

} // namespace cs
