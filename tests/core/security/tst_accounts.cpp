// Accounts and the database key: the first start creates the administrator;
// each role may do what it says and nothing more; a wrong password counts toward
// a lockout that the right password cannot bypass and an administrator lifts;
// editing an account's role in the keyring file makes it unusable, not stronger;
// the administrator resets passwords and recovers from the recovery key; the
// keyring and password files are owner-only; bad keyrings get clear errors.
#include "clinsight/security/accounts.h"
#include "clinsight/security/filecipher.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs::security;

class TestAccounts : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString db() const { return m_dir.filePath("clinic.sqlite"); }
    static constexpr const char *kAdminPw = "admin password 1";

    Session admin()
    {
        auto s = Keyring::signIn(db(), "ada", kAdminPw);
        if (!s) qWarning("%s", qPrintable(s.error().message()));
        return s ? s.value() : Session{};
    }

private slots:
    void firstStart_createsTheAdministrator()
    {
        QVERIFY(!Keyring::exists(db()));
        QVERIFY(!Keyring::create(db(), "ada", "Ada Admin", "short").ok());          // the policy
        QVERIFY(!Keyring::create(db(), "ada", "Ada Admin", "xxadaxxxxxxxx").ok());  // contains the name
        auto s = Keyring::create(db(), "ada", "Ada Admin", kAdminPw);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        QCOMPARE(s->role, Role::Administrator);
        QCOMPARE(s->databaseKey.size(), 32);
        QVERIFY(Keyring::exists(db()));
        QCOMPARE(QFile::permissions(Keyring::pathFor(db())) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        // Once: a second first start is refused, the keyring untouched.
        QVERIFY(!Keyring::create(db(), "eve", "", "another password").ok());
        // The key is not in the file (only its wraps), nor is the password.
        QFile f(Keyring::pathFor(db()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains(s->databaseKey.toHex()) && !text.contains(s->databaseKey.toBase64()) && !text.contains(kAdminPw));
        QCOMPARE(admin().databaseKey, s->databaseKey);
    }

    void roles_allowWhatTheySay()
    {
        QVERIFY(roleAllows(Role::Clinician, Permission::DecideNotes));
        QVERIFY(!roleAllows(Role::Clinician, Permission::ReviewStudies));
        QVERIFY(!roleAllows(Role::Clinician, Permission::ManagePacsNodes));
        QVERIFY(!roleAllows(Role::Clinician, Permission::ReadAudit));
        QVERIFY(roleAllows(Role::Radiologist, Permission::ReviewStudies) && roleAllows(Role::Radiologist, Permission::DecideNotes));
        QVERIFY(roleAllows(Role::Administrator, Permission::ManageAccounts) && roleAllows(Role::Administrator, Permission::ManagePacsNodes)
                && roleAllows(Role::Administrator, Permission::ManageModel) && roleAllows(Role::Administrator, Permission::ReadAudit));
        QVERIFY(!roleAllows(Role::Administrator, Permission::DecideNotes));
        QVERIFY(roleAllows(Role::Auditor, Permission::ReadAudit));
        for (Permission p : {Permission::ViewPatients, Permission::DecideNotes, Permission::ReviewStudies, Permission::ManageAccounts,
                             Permission::ManagePacsNodes, Permission::ManageModel, Permission::ManageSettings})
            QVERIFY(!roleAllows(Role::Auditor, p));

        const Session a = admin();
        QVERIFY(Keyring::addAccount(a, "carl", "Carl Clinician", Role::Clinician, "clinician pw 1").ok());
        QVERIFY(Keyring::addAccount(a, "rita", "Rita Radiologist", Role::Radiologist, "radiologist pw 1").ok());
        QVERIFY(Keyring::addAccount(a, "otto", "Otto Auditor", Role::Auditor, "auditor pw 12").ok());
        QVERIFY(!Keyring::addAccount(a, "carl", "", Role::Clinician, "clinician pw 2").ok());    // exists
        QVERIFY(!Keyring::addAccount(a, "bad name", "", Role::Clinician, "clinician pw 2").ok());
        QVERIFY(!Keyring::addAccount(a, "dee", "", Role::Demo, "clinician pw 2").ok());
        auto carl = Keyring::signIn(db(), "carl", "clinician pw 1");
        QVERIFY(carl.ok());
        QCOMPARE(carl->databaseKey, a.databaseKey);   // every account opens the same database
        // A clinician may not manage accounts: refused naming who and what.
        auto st = Keyring::addAccount(carl.value(), "mallory", "", Role::Administrator, "mallory pw 12");
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, cs::Error::Code::Denied);
        QVERIFY2(st.error().message().contains("carl (clinician) may not manage accounts"), qPrintable(st.error().message()));
        QVERIFY(!carl->require(Permission::ReadAudit).ok());
        QVERIFY(carl->require(Permission::DecideNotes).ok());
        auto list = Keyring::accounts(db());
        QVERIFY(list.ok());
        QCOMPARE(int(list->size()), 4);
    }

    void lockout_afterRepeatedFailures_andTheAdministratorUnlocks()
    {
        const int max = Keyring::policy().maxFailures;
        for (int i = 1; i < max; ++i) {
            auto s = Keyring::signIn(db(), "carl", "not the password");
            QVERIFY(!s.ok());
            QCOMPARE(s.error().code, cs::Error::Code::Denied);
        }
        // Still open before the last failure; the success resets the count and reports the failures.
        auto ok = Keyring::signIn(db(), "carl", "clinician pw 1");
        QVERIFY(ok.ok());
        QCOMPARE(ok->failedBefore, max - 1);
        for (int i = 0; i < max; ++i) QVERIFY(!Keyring::signIn(db(), "carl", "not the password").ok());
        auto locked = Keyring::signIn(db(), "carl", "clinician pw 1");   // the right password no longer helps
        QVERIFY(!locked.ok());
        QVERIFY2(locked.error().message().contains("locked until"), qPrintable(locked.error().message()));
        // Re-authentication (signing a note, unlocking the screen) counts too and is refused while locked.
        QVERIFY(!Keyring::confirmPassword(ok.value(), "clinician pw 1").ok());
        QVERIFY(!Keyring::unlock(ok.value(), "carl").ok());               // not by himself
        QVERIFY(Keyring::unlock(admin(), "carl").ok());
        QVERIFY(Keyring::signIn(db(), "carl", "clinician pw 1").ok());
        QVERIFY(Keyring::confirmPassword(ok.value(), "clinician pw 1").ok());
        QVERIFY(!Keyring::confirmPassword(ok.value(), "wrong").ok());
        // An unknown user: the same answer as a wrong password.
        auto unknown = Keyring::signIn(db(), "nobody", "whatever pw 1");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message().contains("wrong user name or password"));
    }

    void editedRoleInTheFile_makesTheAccountUnusable()
    {
        QTemporaryDir copyDir;
        const QString copy = copyDir.filePath("clinic.sqlite");
        QVERIFY(QFile::copy(Keyring::pathFor(db()), Keyring::pathFor(copy)));
        QFile f(Keyring::pathFor(copy));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QJsonArray accounts = o["accounts"].toArray();
        for (int i = 0; i < accounts.size(); ++i) {
            QJsonObject a = accounts[i].toObject();
            if (a["user"].toString() == "carl") { a["role"] = "administrator"; accounts[i] = a; }
        }
        o["accounts"] = accounts;
        f.resize(0);
        f.write(QJsonDocument(o).toJson());
        f.close();
        auto s = Keyring::signIn(copy, "carl", "clinician pw 1");
        QVERIFY(!s.ok());   // the role is part of what the wrap authenticates
        QCOMPARE(s.error().code, cs::Error::Code::Denied);
    }

    void administrator_resetsPasswords_recoveryKey_restoresAnAdministrator()
    {
        const Session a = admin();
        QVERIFY(Keyring::resetPassword(a, "rita", "new radiologist pw").ok());
        QVERIFY(!Keyring::signIn(db(), "rita", "radiologist pw 1").ok());
        auto rita = Keyring::signIn(db(), "rita", "new radiologist pw");
        QVERIFY(rita.ok());
        QVERIFY(Keyring::changePassword(rita.value(), "new radiologist pw", "my own pw 12345").ok());
        QVERIFY(Keyring::signIn(db(), "rita", "my own pw 12345").ok());
        QVERIFY(!Keyring::removeAccount(a, "ada").ok());   // the last administrator stays
        QVERIFY(Keyring::removeAccount(a, "otto").ok());
        QVERIFY(!Keyring::signIn(db(), "otto", "auditor pw 12").ok());
        // The recovery key: written once, owner-only; it restores an administrator with the same key.
        const QString rk = m_dir.filePath("recovery.key");
        QVERIFY(!Keyring::writeRecoveryKey(rita.value(), rk).ok());
        QVERIFY(Keyring::writeRecoveryKey(a, rk).ok());
        QVERIFY(!Keyring::writeRecoveryKey(a, rk).ok());   // never overwritten
        QCOMPARE(QFile::permissions(rk) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        auto key = Keyring::readRecoveryKey(rk);
        QVERIFY(key.ok());
        QCOMPARE(key.value(), a.databaseKey);
        auto r = Keyring::recover(db(), key.value(), "ada2", "Ada Again", "recovered admin pw");
        QVERIFY(r.ok());
        auto again = Keyring::signIn(db(), "ada2", "recovered admin pw");
        QVERIFY(again.ok());
        QCOMPARE(again->role, Role::Administrator);
        QCOMPARE(again->databaseKey, a.databaseKey);
    }

    void demoSession_ownDatabase_neverAClinicalOne()
    {
        QTemporaryDir d;
        const QString demo = d.filePath("demo.sqlite");
        auto s = Keyring::demoSession(demo);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        QCOMPARE(s->role, Role::Demo);
        auto again = Keyring::demoSession(demo);
        QVERIFY(again.ok());
        QCOMPARE(again->databaseKey, s->databaseKey);
        QCOMPARE(QFile::permissions(Keyring::demoPasswordPath(demo)) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        auto clinical = Keyring::demoSession(db());
        QVERIFY(!clinical.ok());
        QVERIFY(clinical.error().message().contains("clinical database"));
    }

    void passwordFiles_andKeyrings_badInputs()
    {
        QTemporaryDir d;
        const QString pw = d.filePath("pw");
        { QFile f(pw); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("secret password\n"); }
        QFile::setPermissions(pw, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        auto open = Keyring::readPasswordFile(pw);
        QVERIFY(!open.ok());
        QVERIFY2(open.error().message().contains("readable by others"), qPrintable(open.error().message()));
        QFile::setPermissions(pw, QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(Keyring::readPasswordFile(pw).value(), QStringLiteral("secret password"));
        QVERIFY(!Keyring::readPasswordFile(d.filePath("none")).ok());
        // A missing keyring: says what it means for the database.
        auto missing = Keyring::signIn(d.filePath("x.sqlite"), "ada", kAdminPw);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message().contains("keyring is missing"), qPrintable(missing.error().message()));
        // Not JSON, from a newer ClinSight, a damaged wrap: each named.
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(Keyring::pathFor(d.filePath(name)));
            f.open(QIODevice::WriteOnly);
            f.write(bytes);
            return d.filePath(name);
        };
        auto junk = Keyring::signIn(write("j.sqlite", "{{{"), "ada", kAdminPw);
        QVERIFY(!junk.ok() && junk.error().code == cs::Error::Code::Format);
        auto newer = Keyring::signIn(write("n.sqlite", R"({"format":"clinsight-keyring","version":9,"accounts":[]})"), "ada", kAdminPw);
        QVERIFY(!newer.ok() && newer.error().message().contains("newer"));
        auto damaged = Keyring::signIn(
            write("d.sqlite", R"({"format":"clinsight-keyring","version":1,"accounts":[{"user":"ada","role":"administrator","salt":"AA=="}]})"),
            "ada", kAdminPw);
        QVERIFY(!damaged.ok());
        QVERIFY2(damaged.error().message().contains("accounts[0]"), qPrintable(damaged.error().message()));
    }

    void fileCipher_sealsFiles_atRest()
    {
        QTemporaryDir d;
        const QString f = d.filePath("study.dcm");
        const QByteArray clear = QByteArray(128, '\0') + "DICM" + "PatientName Planted^Name";
        { QFile out(f); QVERIFY(out.open(QIODevice::WriteOnly)); out.write(clear); }
        QVERIFY(cs::protectFile(f).ok());   // no cipher installed: left as it is (headless, where the user said)
        QVERIFY(!cs::isProtectedFile(f));
        const Session a = admin();
        cs::installFileCipher(makeFileCipher(a.databaseKey));
        QVERIFY(cs::protectFile(f).ok());
        QVERIFY(cs::isProtectedFile(f));
        QVERIFY(cs::protectFile(f).ok());   // once only
        QFile raw(f);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray sealed = raw.readAll();
        raw.close();
        QVERIFY(!sealed.contains("Planted"));
        QCOMPARE(QFile::permissions(f) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QCOMPARE(cs::readFileContent(f).value(), clear);
        // Another database's key, a changed byte, no cipher: refused, never garbage.
        cs::installFileCipher(makeFileCipher(QByteArray(32, '\x07')));
        auto other = cs::readFileContent(f);
        QVERIFY(!other.ok());
        QCOMPARE(other.error().code, cs::Error::Code::Integrity);
        cs::installFileCipher(makeFileCipher(a.databaseKey));
        QByteArray changed = sealed;
        changed[changed.size() - 40] = char(changed[changed.size() - 40] ^ 1);
        { QFile out(f); QVERIFY(out.open(QIODevice::WriteOnly)); out.write(changed); }
        QVERIFY(!cs::readFileContent(f).ok());
        cs::installFileCipher(nullptr);
        auto none = cs::readFileContent(f);
        QVERIFY(!none.ok());
        QVERIFY2(none.error().message().contains("encrypted by ClinSight"), qPrintable(none.error().message()));
    }
};

QTEST_GUILESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
