#pragma once
// Who the workstation is for, before it starts: the sign-in dialog (on a
// database's first start, the administrator's creation) with each password
// checked on the pool, or, for the demo, the demo user's session signed in by
// itself. signedIn(session) once; cancelled() when the dialog is closed.
#include "clinsight/security/accounts.h"

#include <QObject>
#include <QPointer>
#include <functional>

#include "sessionwidgets.h"

class SignInFlow : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(cs::security::Session)>;
    // Opens the sign-in dialog over parent for databasePath.
    static SignInFlow *interactive(QWidget *parent, const QString &databasePath, Done done);
    // The demo's own database: no prompt; failed(error) when its keyring refuses.
    static SignInFlow *demo(QObject *parent, const QString &databasePath, Done done);
    ui::SignInDialog *dialog() const { return m_dialog; }

signals:
    void cancelled();
    void failed(const QString &message);

private:
    SignInFlow(QObject *parent, Done done) : QObject(parent), m_done(std::move(done)) {}
    void finish(const cs::Result<cs::security::Session> &s);
    Done m_done;
    QPointer<ui::SignInDialog> m_dialog;
};
