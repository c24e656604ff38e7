#include "sessionguard.h"
#include "background.h"

#include "mainwindow.h"
#include "sessionwidgets.h"

#include "clinsight/storage/auditchain.h"

#include <QApplication>
#include <QEvent>
#include <QSettings>

using cs::security::Keyring;
using cs::security::Permission;

SessionGuard::SessionGuard(ui::MainWindow *window, cs::security::Session session, cs::ClinicalStoreWorker &store, QObject *parent)
    : QObject(parent), m_window(window), m_session(std::move(session)), m_store(store)
{
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, &SessionGuard::lock);
    const int minutes = std::clamp(QSettings().value(QStringLiteral("security/idleLockMinutes"), 10).toInt(), 1, 240);
    setIdleLockInterval(isDemo() ? 0 : minutes * 60 * 1000);
    qApp->installEventFilter(this);
    connect(window->lockOverlay(), &ui::LockOverlay::unlockRequested, this, &SessionGuard::unlockWith);
    connect(window, &ui::MainWindow::lockRequested, this, [this] { if (!isDemo()) lock(); });
    connect(window, &ui::MainWindow::auditLogRequested, this, &SessionGuard::showAuditLog);
}

SessionGuard::~SessionGuard() { qApp->removeEventFilter(this); }

QString SessionGuard::displayName() const
{
    return m_session.fullName.isEmpty() ? m_session.user : QStringLiteral("%1 (%2)").arg(m_session.fullName, m_session.user);
}

void SessionGuard::setIdleLockInterval(int ms)
{
    m_idle.stop();
    m_idle.setInterval(ms);
    if (ms > 0 && !isLocked()) m_idle.start();
}

bool SessionGuard::eventFilter(QObject *o, QEvent *e)
{
    switch (e->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        if (m_idle.interval() > 0 && !isLocked()) m_idle.start();
        break;
    default: break;
    }
    return QObject::eventFilter(o, e);
}

bool SessionGuard::isLocked() const { return m_window->lockOverlay()->isLocked(); }

void SessionGuard::lock()
{
    if (isLocked() || isDemo()) return;
    m_idle.stop();
    if (m_prompt) m_prompt->reject();   // a pending signature is given up, not left on screen
    m_window->lockScreen(displayName());
    record(QStringLiteral("screen locked"), {});
    emit lockedChanged(true);
}

void SessionGuard::unlockWith(const QString &password)
{
    const cs::security::Session s = m_session;
    runInBackground<cs::Status>(this, [s, password] { return Keyring::confirmPassword(s, password); }, [this](cs::Status st) {
        if (!st) {
            m_window->lockOverlay()->showFailure(st.error().reason);
            record(QStringLiteral("unlock refused"), st.error().reason);
            return;
        }
        m_window->unlockScreen();
        record(QStringLiteral("screen unlocked"), {});
        if (m_idle.interval() > 0) m_idle.start();
        emit lockedChanged(false);
    });
}

void SessionGuard::confirm(const QString &purpose, std::function<void()> confirmed, std::function<void()> cancelled)
{
    if (isDemo()) { confirmed(); return; }
    if (m_prompt) m_prompt->reject();
    m_cancelled = cancelled;
    m_prompt = m_window->promptPassword(displayName(), purpose);
    connect(m_prompt, &QDialog::rejected, this, [this] {
        if (auto c = std::exchange(m_cancelled, nullptr)) c();
    });
    connect(m_prompt, &ui::PasswordPrompt::passwordEntered, this, [this, confirmed, prompt = m_prompt](const QString &password) {
        const cs::security::Session s = m_session;
        runInBackground<cs::Status>(this, [s, password] { return Keyring::confirmPassword(s, password); },
                                    [this, confirmed, prompt](cs::Status st) {
            if (!prompt) return;   // given up meanwhile
            if (st) {
                m_cancelled = nullptr;
                prompt->done(QDialog::Accepted);
                confirmed();
                return;
            }
            record(QStringLiteral("signature refused"), st.error().reason);
            if (st.error().field == QLatin1String("account")) {   // locked out: the prompt cannot succeed any more
                m_window->showError(tr("Not signed"), st.error());
                prompt->reject();
                return;
            }
            prompt->showFailure(st.error().reason);
        });
    });
}

void SessionGuard::record(const QString &action, const QString &detail)
{
    const QString user = m_session.user;
    m_store.run<cs::Status>([=](cs::ClinicalStore &s) { return s.audit(user, action, {}, detail); }, this, [this](cs::Status st) {
        if (!st) m_window->showError(tr("Audit log not written"), st.error());
    });
}

void SessionGuard::showAuditLog()
{
    if (auto st = m_session.require(Permission::ReadAudit); !st) {
        m_window->showError(tr("Audit log"), st.error());
        return;
    }
    ui::AuditLogDialog *dlg = m_window->showAuditLog();
    dlg->setVerification(tr("Verifying the hash chain and its signed head..."), true);
    if (m_auditDialog != dlg) {   // the window makes it once; its buttons are wired once
        m_auditDialog = dlg;
        connect(dlg, &ui::AuditLogDialog::refreshRequested, this, &SessionGuard::showAuditLog);
        connect(dlg, &ui::AuditLogDialog::exportRequested, this, &SessionGuard::exportAudit);
    }
    using E = cs::Result<std::vector<cs::AuditEntry>>;
    m_store.run<E>([](cs::ClinicalStore &s) { return s.auditLog(); }, this, [this, dlg = QPointer<ui::AuditLogDialog>(dlg)](E entries) {
        if (!dlg) return;
        if (entries) dlg->setEntries(entries.value());
        else dlg->setVerification(tr("Audit log not readable: %1").arg(entries.error().message()), false);
    });
    const QString path = m_session.databasePath;
    const QByteArray key = m_session.databaseKey;
    using V = cs::Result<cs::AuditVerification>;
    runInBackground<V>(this, [path, key] { return cs::verifyAuditLog(path, key); }, [this, dlg = QPointer<ui::AuditLogDialog>(dlg)](V v) {
        const bool intact = v && v->intact;
        if (dlg) {
            if (!v) dlg->setVerification(tr("Not verified: %1").arg(v.error().message()), false);
            else if (v->intact)
                dlg->setVerification(tr("Intact: all %1 entries chained, head signed by audit key %2").arg(v->intactEntries).arg(v->keyId), true);
            else
                dlg->setVerification(tr("NOT INTACT: %1 (%2 of %3 entries intact before it)").arg(v->problem).arg(v->intactEntries).arg(v->entries), false);
        }
        record(QStringLiteral("audit log viewed"), intact ? tr("intact") : tr("NOT intact"));
        emit auditLogShown(intact);
    });
}

void SessionGuard::exportAudit(const QString &csvPath)
{
    using E = cs::Result<std::vector<cs::AuditEntry>>;
    m_store.run<E>([](cs::ClinicalStore &s) { return s.auditLog(); }, this, [this, csvPath](E entries) {
        if (!entries) { m_window->showError(tr("Audit log not exported"), entries.error()); emit auditExported(false); return; }
        auto list = std::make_shared<std::vector<cs::AuditEntry>>(entries.value());
        runInBackground<cs::Status>(this, [list, csvPath] { return cs::writeAuditCsv(*list, csvPath); }, [this, csvPath, n = list->size()](cs::Status st) {
            if (!st) { m_window->showError(tr("Audit log not exported"), st.error()); emit auditExported(false); return; }
            record(QStringLiteral("audit log exported"), tr("%1 entries to %2").arg(n).arg(csvPath.section('/', -1)));
            emit auditExported(true);
        });
    });
}
