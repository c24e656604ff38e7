#include "signinflow.h"
#include "background.h"

#include "sessionwidgets.h"

using cs::security::Keyring;
using S = cs::Result<cs::security::Session>;

SignInFlow *SignInFlow::interactive(QWidget *parent, const QString &db, Done done)
{
    auto *f = new SignInFlow(parent, std::move(done));
    f->m_dialog = new ui::SignInDialog(db, !Keyring::exists(db), parent);
    auto check = [f](std::function<S()> work) { runInBackground<S>(f, std::move(work), [f](S s) { f->finish(s); }); };
    connect(f->m_dialog, &ui::SignInDialog::signInRequested, f, [db, check](const QString &u, const QString &pw) {
        check([db, u, pw] { return Keyring::signIn(db, u, pw); });
    });
    connect(f->m_dialog, &ui::SignInDialog::createAdministratorRequested, f, [db, check](const QString &u, const QString &name, const QString &pw) {
        check([db, u, name, pw] { return Keyring::create(db, u, name, pw); });
    });
    connect(f->m_dialog, &QDialog::rejected, f, &SignInFlow::cancelled);
    f->m_dialog->open();
    return f;
}

SignInFlow *SignInFlow::demo(QObject *parent, const QString &db, Done done)
{
    auto *f = new SignInFlow(parent, std::move(done));
    runInBackground<S>(f, [db] { return Keyring::demoSession(db); }, [f](S s) { f->finish(s); });
    return f;
}

void SignInFlow::finish(const S &s)
{
    if (!s) {
        if (m_dialog) m_dialog->showFailure(s.error().reason);   // the dialog stays: try again
        else emit failed(s.error().message());
        return;
    }
    if (m_dialog) {
        m_dialog->done(QDialog::Accepted);
        m_dialog->deleteLater();
    }
    m_done(s.value());
}
