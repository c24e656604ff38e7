#pragma once
// Sessions for the GUI tests, on each test's own temporary database: the demo
// user (no prompts), or a real clinical keyring with its administrator and one
// account of the role asked for.
#include "clinsight/security/accounts.h"

#include <QtTest>

namespace testsession {

inline constexpr const char *kAdminPassword = "correct horse battery 1";
inline constexpr const char *kUserPassword = "staple cloud river 7";

inline cs::security::Session demo(const QString &db)
{
    auto s = cs::security::Keyring::demoSession(db);
    if (!s) qFatal("demo session: %s", qPrintable(s.error().message()));
    return s.value();
}

// A clinical database's keyring with "admin" and "user" (role), signed in as "user".
inline cs::security::Session as(const QString &db, cs::security::Role role)
{
    using cs::security::Keyring;
    if (!Keyring::exists(db)) {
        auto admin = Keyring::create(db, "admin", "Ada Administrator", kAdminPassword);
        if (!admin) qFatal("admin: %s", qPrintable(admin.error().message()));
        if (role == cs::security::Role::Administrator) return admin.value();
        auto st = Keyring::addAccount(admin.value(), "user", "Uma User", role, kUserPassword);
        if (!st) qFatal("user: %s", qPrintable(st.error().message()));
    }
    auto s = role == cs::security::Role::Administrator ? Keyring::signIn(db, "admin", kAdminPassword) : Keyring::signIn(db, "user", kUserPassword);
    if (!s) qFatal("sign in: %s", qPrintable(s.error().message()));
    return s.value();
}

} // namespace testsession
