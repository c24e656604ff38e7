#include "sessionwidgets.h"

#include "clinsight/storage/clinicalstore.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ui {

namespace {
QLineEdit *passwordField(QWidget *parent, const QString &name)
{
    auto *e = new QLineEdit(parent);
    e->setEchoMode(QLineEdit::Password);
    e->setObjectName(name);
    return e;
}
QLabel *messageLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(QStringLiteral("message"));
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    return l;
}
} // namespace

SignInDialog::SignInDialog(const QString &databasePath, bool firstStart, QWidget *parent) : QDialog(parent), m_firstStart(firstStart)
{
    setWindowTitle(firstStart ? tr("ClinSight — create the administrator") : tr("ClinSight — sign in"));
    setObjectName(QStringLiteral("signInDialog"));
    auto *v = new QVBoxLayout(this);
    auto *intro = new QLabel(firstStart
        ? tr("<b>First start of this database.</b><br>Create its administrator account. The administrator creates the other "
             "accounts (clinician, radiologist, auditor) and can reset their passwords. Patient data in this database are "
             "encrypted with a key only signed-in accounts can open.<br><small>%1</small>").arg(QFileInfo(databasePath).fileName())
        : tr("Sign in to ClinSight.<br><small>Database: %1</small>").arg(QFileInfo(databasePath).fileName()), this);
    intro->setWordWrap(true);
    v->addWidget(intro);
    auto *form = new QFormLayout;
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("user"));
    form->addRow(tr("User name"), m_user);
    if (firstStart) {
        m_fullName = new QLineEdit(this);
        m_fullName->setObjectName(QStringLiteral("fullName"));
        form->addRow(tr("Full name"), m_fullName);
    }
    m_password = passwordField(this, QStringLiteral("password"));
    form->addRow(tr("Password"), m_password);
    if (firstStart) {
        m_confirm = passwordField(this, QStringLiteral("confirm"));
        form->addRow(tr("Password again"), m_confirm);
    }
    v->addLayout(form);
    m_message = messageLabel(this);
    v->addWidget(m_message);
    auto *disclaimer = new QLabel(tr("For research and decision support — not a diagnosis."), this);
    disclaimer->setStyleSheet(QStringLiteral("QLabel { color: #555; }"));
    v->addWidget(disclaimer);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(firstStart ? tr("Create and sign in") : tr("Sign in"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SignInDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    v->addWidget(buttons);
}

void SignInDialog::accept()
{
    // Not closed here: the app closes it once the password has been checked.
    const QString user = m_user->text().trimmed();
    if (user.isEmpty() || m_password->text().isEmpty()) { showFailure(tr("Enter your user name and password.")); return; }
    if (m_firstStart && m_confirm->text() != m_password->text()) { showFailure(tr("The two passwords differ.")); return; }
    m_message->setText(tr("Checking..."));
    m_message->setStyleSheet(QStringLiteral("QLabel { color: #555; }"));
    m_ok->setEnabled(false);
    if (m_firstStart) emit createAdministratorRequested(user, m_fullName->text().trimmed(), m_password->text());
    else emit signInRequested(user, m_password->text());
}

void SignInDialog::showFailure(const QString &message)
{
    m_message->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_message->setText(message);
    m_password->clear();
    if (m_confirm) m_confirm->clear();
    m_ok->setEnabled(true);
    m_password->setFocus();
}

void SignInDialog::submit(const QString &user, const QString &password, const QString &fullName)
{
    m_user->setText(user);
    m_password->setText(password);
    if (m_fullName) m_fullName->setText(fullName);
    if (m_confirm) m_confirm->setText(password);
    accept();
}

PasswordPrompt::PasswordPrompt(const QString &user, const QString &purpose, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Confirm it is you"));
    setObjectName(QStringLiteral("passwordPrompt"));
    auto *v = new QVBoxLayout(this);
    auto *l = new QLabel(tr("%1<br>Enter the password of <b>%2</b> to sign it.").arg(purpose.toHtmlEscaped(), user.toHtmlEscaped()), this);
    l->setWordWrap(true);
    v->addWidget(l);
    m_password = passwordField(this, QStringLiteral("password"));
    v->addWidget(m_password);
    m_message = messageLabel(this);
    v->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PasswordPrompt::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    v->addWidget(buttons);
}

void PasswordPrompt::accept()
{
    if (m_password->text().isEmpty()) { showFailure(tr("Enter your password.")); return; }
    m_message->setText(tr("Checking..."));
    emit passwordEntered(m_password->text());
}

void PasswordPrompt::showFailure(const QString &message)
{
    m_message->setText(message);
    m_password->clear();
    m_password->setFocus();
}

void PasswordPrompt::submit(const QString &password)
{
    m_password->setText(password);
    accept();
}

LockOverlay::LockOverlay(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("lockOverlay"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral("#lockOverlay { background: #20303c; } QLabel { color: white; }"));
    auto *v = new QVBoxLayout(this);
    v->addStretch();
    auto *title = new QLabel(tr("<h2>ClinSight is locked</h2>"), this);
    title->setAlignment(Qt::AlignCenter);
    v->addWidget(title);
    m_who = new QLabel(this);
    m_who->setAlignment(Qt::AlignCenter);
    v->addWidget(m_who);
    auto *row = new QHBoxLayout;
    row->addStretch();
    m_password = passwordField(this, QStringLiteral("password"));
    m_password->setMaximumWidth(280);
    row->addWidget(m_password);
    auto *unlockButton = new QPushButton(tr("Unlock"), this);
    row->addWidget(unlockButton);
    row->addStretch();
    v->addLayout(row);
    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setStyleSheet(QStringLiteral("QLabel { color: #ffb4b4; }"));
    v->addWidget(m_message);
    v->addStretch();
    connect(unlockButton, &QPushButton::clicked, this, [this] { submit(m_password->text()); });
    connect(m_password, &QLineEdit::returnPressed, this, [this] { submit(m_password->text()); });
    parent->installEventFilter(this);
    hide();
}

bool LockOverlay::eventFilter(QObject *o, QEvent *e)
{
    if (o == parent() && e->type() == QEvent::Resize) setGeometry(parentWidget()->rect());
    return false;
}

void LockOverlay::lock(const QString &user)
{
    m_who->setText(tr("Locked after a period without activity. Patient data are hidden.\nEnter the password of %1 to continue.").arg(user));
    m_message->clear();
    m_password->clear();
    setGeometry(parentWidget()->rect());
    show();
    raise();
    m_password->setFocus();
}

void LockOverlay::showFailure(const QString &message)
{
    m_message->setText(message);
    m_password->clear();
}

void LockOverlay::unlock()
{
    m_password->clear();
    hide();
}

void LockOverlay::submit(const QString &password)
{
    if (password.isEmpty()) return;
    m_message->setText(tr("Checking..."));
    emit unlockRequested(password);
}

AuditLogDialog::AuditLogDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Audit log"));
    setObjectName(QStringLiteral("auditLogDialog"));
    resize(1000, 600);
    auto *v = new QVBoxLayout(this);
    m_state = new QLabel(tr("Verifying the hash chain and its signed head..."), this);
    m_state->setObjectName(QStringLiteral("verification"));
    m_state->setWordWrap(true);
    v->addWidget(m_state);
    m_table = new QTableWidget(0, 6, this);
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Time (UTC)"), tr("User"), tr("Action"), tr("Patient"), tr("Detail")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    v->addWidget(m_table, 1);
    auto *row = new QHBoxLayout;
    auto *refresh = new QPushButton(tr("Verify again"), this);
    auto *csv = new QPushButton(tr("Export CSV..."), this);
    auto *close = new QPushButton(tr("Close"), this);
    row->addWidget(refresh);
    row->addStretch();
    row->addWidget(csv);
    row->addWidget(close);
    v->addLayout(row);
    connect(refresh, &QPushButton::clicked, this, &AuditLogDialog::refreshRequested);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getSaveFileName(this, tr("Export the audit log"), QStringLiteral("audit-log.csv"), tr("CSV (*.csv)"));
        if (!p.isEmpty()) emit exportRequested(p);
    });
}

void AuditLogDialog::setEntries(const std::vector<cs::AuditEntry> &entries)
{
    m_table->setRowCount(int(entries.size()));
    for (int r = 0; r < int(entries.size()); ++r) {
        const auto &e = entries[size_t(r)];
        const QStringList cells{QString::number(e.id), e.at.toString(Qt::ISODate), e.user, e.action, e.patientId, e.detail};
        for (int c = 0; c < cells.size(); ++c) m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    m_table->resizeColumnsToContents();
    m_table->scrollToBottom();
}

void AuditLogDialog::setVerification(const QString &text, bool intact)
{
    m_state->setText(text);
    m_state->setStyleSheet(intact ? QStringLiteral("QLabel { color: #1b5e20; font-weight: bold; }")
                                  : QStringLiteral("QLabel { color: white; background: #b00020; font-weight: bold; padding: 6px; }"));
}

QString AuditLogDialog::verificationText() const { return m_state->text(); }
int AuditLogDialog::rowCount() const { return m_table->rowCount(); }

} // namespace ui
