#pragma once
// The signed-in user's session in the workstation: the screen lock after a
// configurable idle time (QSettings security/idleLockMinutes, default 10), the
// password asked again to sign a note, and the audit log's view for the roles
// that may read it. Every password is checked on the pool (Argon2id takes a
// noticeable fraction of a second); the GUI thread never waits. Locks, unlocks,
// refused passwords and exports are written to the audit log as the user.
// The demo user (the demo's own database, public data) is never asked again
// and its screen does not lock.
#include "clinsight/security/accounts.h"
#include "clinsight/storage/clinicalstoreworker.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <functional>

#include "sessionwidgets.h"

namespace ui { class MainWindow; }

class SessionGuard : public QObject {
    Q_OBJECT
public:
    SessionGuard(ui::MainWindow *window, cs::security::Session session, cs::ClinicalStoreWorker &store, QObject *parent = nullptr);
    ~SessionGuard() override;
    const cs::security::Session &session() const { return m_session; }
    bool isDemo() const { return m_session.role == cs::security::Role::Demo; }
    QString displayName() const;   // "Full Name (user)"

    // Asks the password again (not for the demo), then runs confirmed; cancelled when the
    // user gives up or the account locks. One at a time: a second request cancels the first.
    void confirm(const QString &purpose, std::function<void()> confirmed, std::function<void()> cancelled);
    ui::PasswordPrompt *pendingPrompt() const { return m_prompt; }

    void setIdleLockInterval(int ms);   // 0: never (the demo)
    int idleLockInterval() const { return m_idle.interval(); }
    void lock();
    bool isLocked() const;
    void showAuditLog();

signals:
    void lockedChanged(bool locked);
    void auditLogShown(bool intact);
    void auditExported(bool ok);

protected:
    bool eventFilter(QObject *o, QEvent *e) override;

private:
    void unlockWith(const QString &password);
    void record(const QString &action, const QString &detail);
    void exportAudit(const QString &csvPath);

    ui::MainWindow *m_window;
    cs::security::Session m_session;
    cs::ClinicalStoreWorker &m_store;
    QTimer m_idle;
    QPointer<ui::PasswordPrompt> m_prompt;
    QPointer<ui::AuditLogDialog> m_auditDialog;
    std::function<void()> m_cancelled;
};
