#include "hospitallink.h"
#include "pacspanel.h"
#include "background.h"

#include "clinsight/pacs/dicomweb.h"
#include "clinsight/pacs/dimse.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QtConcurrent>

HospitalLink::HospitalLink(ui::PacsPanel *panel, std::function<void(const QString &)> importStudies, QObject *parent)
    : QObject(parent), m_panel(panel), m_import(std::move(importStudies))
{
    panel->setNodes(cs::loadPacsNodes());
    connect(panel, &ui::PacsPanel::saveNodesRequested, this, [this](const std::vector<cs::PacsNode> &nodes) {
        if (!m_nodeEditing) { m_panel->setStatus(m_nodeEditing.error().message(), false); return; }
        const cs::Status s = cs::savePacsNodes(nodes);
        if (s) { m_panel->setNodes(nodes); m_panel->setStatus(tr("PACS nodes saved (%1).").arg(nodes.size()), true); }
        else m_panel->setStatus(s.error().message(), false);
    });
    connect(panel, &ui::PacsPanel::testRequested, this, [this](const cs::PacsNode &n) {
        runInBackground<cs::Status>(this, [n] { return n.hasDimse() ? cs::dimseEcho(n) : cs::dicomWebPing(n); }, [this, n](cs::Status s) {
            m_panel->setStatus(s ? tr("%1 answers (%2 ok).").arg(n.label(), n.hasDimse() ? QStringLiteral("C-ECHO") : QStringLiteral("QIDO-RS"))
                                 : s.error().message(), s.ok());
            emit testFinished(s.ok());
        });
    });
    connect(panel, &ui::PacsPanel::searchRequested, this, [this](const cs::PacsNode &n, const cs::StudyQuery &q) {
        using R = cs::Result<std::vector<cs::StudyMatch>>;
        auto job = m_job;
        runInBackground<R>(this, [n, q, job]() -> R { return n.hasDimse() ? cs::dimseFindStudies(n, q, *job) : cs::dicomWebFindStudies(n, q, *job); },
                        [this](R r) {
                            if (r) { m_panel->setMatches(r.value()); m_panel->setStatus(tr("%1 stud%2 found.").arg(r->size()).arg(r->size() == 1 ? "y" : "ies"), true); }
                            else m_panel->setStatus(r.error().message(), false);
                            emit searchFinished(r.ok());
                        });
    });
    connect(panel, &ui::PacsPanel::retrieveRequested, this, [this](const cs::PacsNode &n, const QStringList &uids) {
        const QString dest = studiesDir();
        auto job = m_job;
        runInBackground<QStringList>(this,
            [n, uids, dest, job] {
                QStringList failures;
                for (const QString &uid : uids) {
                    cs::JobControl one;
                    one.shareCancellation(*job);
                    auto r = n.hasDimse() ? cs::dimseRetrieveStudy(n, uid, dest, n.localPort > 0 ? cs::RetrieveMethod::Move : cs::RetrieveMethod::Get, one)
                                          : cs::dicomWebRetrieveStudy(n, uid, dest, one);
                    if (!r) failures << r.error().message();
                }
                return failures;
            },
            [this, uids, dest](QStringList failures) {
                const int ok = int(uids.size() - failures.size());
                m_panel->setStatus(failures.isEmpty() ? tr("%1 stud%2 retrieved; scoring them on the worklist.").arg(ok).arg(ok == 1 ? "y" : "ies")
                                                      : tr("%1 of %2 retrieved; not kept: %3").arg(ok).arg(uids.size()).arg(failures.join(QStringLiteral("; "))),
                                   failures.isEmpty());
                if (ok > 0) m_import(dest);
                emit retrieveFinished(failures.isEmpty());
            });
    });
    connect(panel, &ui::PacsPanel::listenerToggleRequested, this, &HospitalLink::toggleListener);
    // Cancel reaches the work in flight (each polls its control); later requests get a fresh control.
    connect(panel, &ui::PacsPanel::cancelRequested, this, [this] {
        m_job->requestCancel();
        m_job = std::make_shared<cs::JobControl>();
    });
}

HospitalLink::~HospitalLink() { cancel(); }

void HospitalLink::cancel()
{
    m_job->requestCancel();
    if (m_listener) m_listener->stop();
}

namespace {
QString ownerOnlyFolder(const QString &base, const QString &sub)
{
    const QString root = base.isEmpty() ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("pacs")) : base;
    for (const QString &d : {root, QDir(root).filePath(sub)})
        if (!QFileInfo::exists(d)) {
            QDir().mkpath(d);
            QFile::setPermissions(d, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        }
    return QDir(root).filePath(sub);
}
} // namespace

QString HospitalLink::studiesDir() const { return ownerOnlyFolder(m_studies, QStringLiteral("retrieved")); }
QString HospitalLink::receivedDir() const { return ownerOnlyFolder(m_studies, QStringLiteral("received")); }

void HospitalLink::toggleListener(const QString &ae, int port, bool start)
{
    if (!start) {
        // Stopping waits for an association in progress to end (up to the DIMSE timeout): on the pool.
        std::shared_ptr<cs::StorageListener> old(m_listener.release());
        m_panel->setListenerStatus(tr("stopping..."), true);
        runInBackground<bool>(this, [old] { if (old) old->stop(); return true; }, [this](bool) {
            m_panel->setListenerStatus(tr("not listening"), false);
            emit listenerChanged(false);
        });
        return;
    }
    auto listener = std::make_unique<cs::StorageListener>();
    cs::StorageListener::Params p;
    p.aeTitle = ae;
    p.port = port;
    p.storeDir = receivedDir();
    const QString dir = p.storeDir;
    // The callback runs on the listener's thread: hand the report to the GUI thread.
    const cs::Status s = listener->start(p, [this, dir](const cs::AssociationReport &r) {
        const bool any = !r.stored.empty();
        const QString text = tr("%1 instance(s) from %2 (%3)%4").arg(r.stored.size()).arg(r.callingAeTitle, r.peerHost)
                                 .arg(r.refused.isEmpty() ? QString() : tr(", %1 refused: %2").arg(r.refused.size()).arg(r.refused.first()));
        QMetaObject::invokeMethod(this, [this, any, dir, text] {
            if (!m_listener) return;
            const cs::ListenerStatus st = m_listener->status();
            m_panel->setListenerStatus(tr("%1 on port %2: %3 association(s), %4 stored, %5 refused; last: %6")
                                           .arg(st.aeTitle).arg(st.port).arg(st.associations).arg(st.instancesStored).arg(st.instancesRefused).arg(text), true);
            if (any) m_import(dir);
        }, Qt::QueuedConnection);
    });
    if (!s) {
        m_panel->setListenerStatus(s.error().message(), false);
        emit listenerChanged(false);
        return;
    }
    m_listener = std::move(listener);
    m_panel->setListenerStatus(tr("%1 listening on port %2, storing into %3").arg(ae).arg(port).arg(dir), true);
    emit listenerChanged(true);
}
