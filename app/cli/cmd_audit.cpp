// clinsight-cli audit verify|export: the tamper-evident record, checked and exported.
#include "cli.h"
#include "signin.h"
#include "clinsight/storage/auditchain.h"


namespace cli {

namespace {

const QCommandLineOption kDatabaseOpt(QStringLiteral("database"), QStringLiteral("The clinical database file."), QStringLiteral("FILE"));
const QCommandLineOption kKeyOpt(QStringLiteral("public-key"),
                                 QStringLiteral("The database's audit public key (default: the one pinned in the audit-keys folder)."), QStringLiteral("FILE"));

int verify(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({kDatabaseOpt, kKeyOpt});
    addSignInOptions(p);
    int code = 0;
    if (!parse(p, args, QStringLiteral("Checks the audit log's hash chain and its signed head without modifying the\n"
                                       "database. Exit 0 with the number of intact entries; exit 3 naming the first entry\n"
                                       "(or the page, or the head) that fails."), code, 0, 0))
        return code;
    if (!p.isSet(kDatabaseOpt)) return failText(QStringLiteral("audit verify: --database FILE is required"));
    auto s = signInFor(p, p.value(kDatabaseOpt), cs::security::Permission::ReadAudit);   // an administrator or auditor
    if (!s) return fail(s.error());
    auto v = cs::verifyAuditLog(p.value(kDatabaseOpt), s->databaseKey, p.value(kKeyOpt));
    if (!v) return fail(v.error());
    if (!v->intact) {
        err() << "clinsight-cli: " << p.value(kDatabaseOpt) << ": audit log NOT intact: " << v->problem << " ("
              << v->intactEntries << " of " << v->entries << " entries intact before it)\n";
        err().flush();
        return kExitIntegrity;
    }
    out() << "intact: " << v->intactEntries << " entries; chain head signed by audit key " << v->keyId << " (database "
          << v->databaseId << ")\n";
    return kExitOk;
}

int exportCsv(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("CSV file to write."), QStringLiteral("FILE"));
    p.addOptions({kDatabaseOpt, kKeyOpt, outO});
    addSignInOptions(p);
    int code = 0;
    if (!parse(p, args, QStringLiteral("Exports the audit log as CSV (RFC 4180): id, time (UTC), user, action, patient,\n"
                                       "detail, entry hash. The chain is verified first and the result printed on stderr;\n"
                                       "a log that is not intact is still exported (for investigation), with exit 3."), code, 0, 0))
        return code;
    if (!p.isSet(kDatabaseOpt) || !p.isSet(outO)) return failText(QStringLiteral("audit export: --database FILE and --out FILE are required"));
    const QString path = p.value(kDatabaseOpt);
    auto s = signInFor(p, path, cs::security::Permission::ReadAudit);
    if (!s) return fail(s.error());
    auto v = cs::verifyAuditLog(path, s->databaseKey, p.value(kKeyOpt));
    if (!v) return fail(v.error());
    auto log = cs::readAuditEntries(path, s->databaseKey);   // read-only: an auditor's copy is never migrated or written
    if (!log) return fail(log.error());
    if (auto st = cs::writeAuditCsv(log.value(), p.value(outO)); !st) return fail(st.error());
    err() << "audit export: " << log->size() << " entries to " << p.value(outO) << "; chain "
          << (v->intact ? QStringLiteral("intact") : QStringLiteral("NOT intact: ") + v->problem) << "\n";
    return v->intact ? kExitOk : kExitIntegrity;
}

} // namespace

int audit(const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub == QLatin1String("verify")) return verify(args.mid(1));
    if (sub == QLatin1String("export")) return exportCsv(args.mid(1));
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out() << "Usage: clinsight-cli audit verify|export --database FILE --user NAME --password-file FILE [options]\n"
                 "  (an administrator or auditor of the database; CLINSIGHT_USER / CLINSIGHT_PASSWORD_FILE work too)\n"
                 "  verify --database F [--public-key K]   check the hash chain and the signed head (exit 3 when not intact)\n"
                 "  export --database F --out F.csv        the log as CSV, after verifying it\n";
        return kExitOk;
    }
    return failText(QStringLiteral("audit: expected verify or export (see audit --help)"));
}

} // namespace cli
