#pragma once
// Who is using the workstation: the sign-in dialog (or, on a database's first
// start, the administrator's creation), the password prompt that signs a note,
// the screen lock, and the audit log's view for administrators and auditors.
// They collect what the user types and emit it; checking a password, reading
// the log and writing the CSV are the app's work (never on the GUI thread).
#include <QDialog>
#include <QWidget>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
namespace cs { struct AuditEntry; }

namespace ui {

class SignInDialog : public QDialog {
    Q_OBJECT
public:
    // firstStart: no keyring yet: create the administrator (name, full name, password twice).
    SignInDialog(const QString &databasePath, bool firstStart, QWidget *parent = nullptr);
    void showFailure(const QString &message);   // stays open, password cleared, fields enabled again
    // For tests and the buttons: fills the fields and submits.
    void submit(const QString &user, const QString &password, const QString &fullName = {});
signals:
    void signInRequested(const QString &user, const QString &password);
    void createAdministratorRequested(const QString &user, const QString &fullName, const QString &password);
private:
    void accept() override;
    bool m_firstStart;
    QLineEdit *m_user, *m_fullName = nullptr, *m_password, *m_confirm = nullptr;
    QLabel *m_message;
    QPushButton *m_ok;
};

// Re-authentication: "sign the note as NAME" (non-modal to the event loop: open()).
class PasswordPrompt : public QDialog {
    Q_OBJECT
public:
    PasswordPrompt(const QString &user, const QString &purpose, QWidget *parent = nullptr);
    void showFailure(const QString &message);
    void submit(const QString &password);
signals:
    void passwordEntered(const QString &password);
private:
    void accept() override;
    QLineEdit *m_password;
    QLabel *m_message;
};

// Covers the whole window (patient data hidden) until the signed-in user's password is given.
class LockOverlay : public QWidget {
    Q_OBJECT
public:
    explicit LockOverlay(QWidget *parent);
    void lock(const QString &user);
    void showFailure(const QString &message);
    void unlock();
    bool isLocked() const { return isVisible(); }
    void submit(const QString &password);
signals:
    void unlockRequested(const QString &password);
protected:
    bool eventFilter(QObject *o, QEvent *e) override;
private:
    QLabel *m_who, *m_message;
    QLineEdit *m_password;
};

class AuditLogDialog : public QDialog {
    Q_OBJECT
public:
    explicit AuditLogDialog(QWidget *parent = nullptr);
    void setEntries(const std::vector<cs::AuditEntry> &entries);
    void setVerification(const QString &text, bool intact);
    QString verificationText() const;
    int rowCount() const;
signals:
    void exportRequested(const QString &csvPath);
    void refreshRequested();
private:
    QLabel *m_state;
    QTableWidget *m_table;
};

} // namespace ui
