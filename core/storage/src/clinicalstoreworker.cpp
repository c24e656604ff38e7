#include "clinsight/storage/clinicalstoreworker.h"

namespace cs {

ClinicalStoreWorker::ClinicalStoreWorker()
{
    m_thread.setObjectName(QStringLiteral("clinical-store"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

ClinicalStoreWorker::~ClinicalStoreWorker()
{
    // Queued after every request already posted (tasks run in order), so no write
    // is lost at shutdown; the connection closes on the thread that opened it.
    post([this] {
        m_store.reset();
        m_thread.quit();
    });
    m_thread.wait();
}

void ClinicalStoreWorker::post(std::function<void()> task)
{
    QMetaObject::invokeMethod(m_context, std::move(task), Qt::QueuedConnection);
}

void ClinicalStoreWorker::open(const QString &path, const QByteArray &key, QObject *receiver, std::function<void(Status)> done)
{
    post([this, path, key, receiver = QPointer<QObject>(receiver), done = std::move(done)] {
        m_store.reset();
        m_path = path;
        auto s = ClinicalStore::open(path, key);
        Status st = Ok{};
        if (s) m_store = std::move(s.value());
        else st = s.error();
        if (receiver && done) QMetaObject::invokeMethod(receiver.data(), [done, st] { done(st); }, Qt::QueuedConnection);
    });
}

} // namespace cs
