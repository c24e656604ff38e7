#!/usr/bin/env bash
# Accounts, encryption at rest and the audit commands, through the CLI:
#  - the database the GUI's demo run wrote holds none of the demo's names, identifiers or paths in any
#    of its files; signed in as the demo user its audit log verifies; unsigned or wrong password: exit 4;
#  - a clinical database made with `accounts init`: roles (a clinician may not verify the log or add
#    accounts), lockout after 5 failures and the administrator's unlock, the report's export audited;
#  - an insider holding the key (the recovery key, the sqlcipher shell) edits an entry, deletes the
#    newest, changes a byte of the file: each exits 3 naming what failed; an auditor's export with only
#    the public key leaves the file byte for byte as it was.
set -u
cli=$1; demo=$2; root=$3
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
command -v sqlcipher >/dev/null || { echo "FAILED: the sqlcipher shell is not installed (scripts/install-deps.sh)"; exit 1; }
[ -f "$demo" ] || { echo "FAILED: no database at $demo (the demo screenshot test writes it)"; exit 1; }
umask 022   # what a careless user has: ClinSight's files must still be owner-only

# --- the demo's database: encrypted, owner-only, verifiable by its user
for f in "$demo" "$demo".*; do
  [ -f "$f" ] || continue
  [ "$(stat -c %a "$f")" = "600" ] || { echo "FAILED: $(basename "$f") is $(stat -c %a "$f"), want 600"; fail=1; }
done
for secret in DEMO01 DEMO09 septic-pneumonia "resources/demo" p102582 chest.jpeg "Reviewed"; do
  hits=$(grep -l -a -F "$secret" "$demo" "$demo"-wal "$demo"-shm 2>/dev/null)
  [ -z "$hits" ] || { echo "FAILED: '$secret' readable in $hits"; fail=1; }
done
[ "$(head -c 15 "$demo")" != "SQLite format 3" ] || { echo "FAILED: the demo database is not encrypted"; fail=1; }
demo_pw="$demo.demo-password"
"$cli" audit verify --database "$demo" --user demo --password-file "$demo_pw" >"$tmp/out" 2>"$tmp/err" \
  || { echo "FAILED: demo audit verify: exit $?"; cat "$tmp/err"; fail=1; }
grep -Eq "^intact: [0-9]+ entries" "$tmp/out" || { echo "FAILED: no count"; cat "$tmp/out"; fail=1; }
"$cli" audit verify --database "$demo" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 4 ] && grep -q -- "--user" "$tmp/err" || { echo "FAILED: verify without signing in: exit $rc"; cat "$tmp/err"; fail=1; }

# --- a clinical database
pw() { printf '%s\n' "$2" >"$tmp/$1.pw"; chmod 600 "$tmp/$1.pw"; echo "$tmp/$1.pw"; }
admin_pw=$(pw admin "correct horse battery 1"); carl_pw=$(pw carl "staple cloud river 7"); otto_pw=$(pw otto "quiet amber lantern 3")
bad_pw=$(pw bad "not the password at all")
db="$tmp/clinic/clinsight.sqlite"
as_admin=(--database "$db" --user ada --password-file "$admin_pw")
"$cli" accounts init "${as_admin[@]}" --full-name "Ada Administrator" >/dev/null 2>"$tmp/err" || { echo "FAILED: accounts init"; cat "$tmp/err"; exit 1; }
[ "$(stat -c %a "$tmp/clinic")" = "700" ] || { echo "FAILED: the database folder ClinSight created is $(stat -c %a "$tmp/clinic"), want 700"; fail=1; }
"$cli" accounts add "${as_admin[@]}" --name carl --role clinician --full-name "Carl Clinician" --new-password-file "$carl_pw" >/dev/null \
  && "$cli" accounts add "${as_admin[@]}" --name otto --role auditor --new-password-file "$otto_pw" >/dev/null \
  || { echo "FAILED: accounts add"; fail=1; }
"$cli" accounts add --database "$db" --user carl --password-file "$carl_pw" --name eve --role administrator --new-password-file "$bad_pw" \
  >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 4 ] && grep -q "carl (clinician) may not manage accounts" "$tmp/err" || { echo "FAILED: a clinician adding an administrator: exit $rc"; cat "$tmp/err"; fail=1; }
"$cli" report "$root/resources/demo/demo01-septic-pneumonia" --out "$tmp/r.pdf" --database "$db" --user carl --password-file "$carl_pw" \
  >/dev/null 2>"$tmp/err" || { echo "FAILED: report signed in as a clinician"; cat "$tmp/err"; fail=1; }
"$cli" audit verify --database "$db" --user carl --password-file "$carl_pw" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 4 ] && grep -q "may not read the audit log" "$tmp/err" || { echo "FAILED: a clinician verifying the log: exit $rc"; cat "$tmp/err"; fail=1; }
for i in 1 2 3 4 5; do "$cli" audit verify --database "$db" --user otto --password-file "$bad_pw" >/dev/null 2>"$tmp/err"; done
"$cli" audit verify --database "$db" --user otto --password-file "$otto_pw" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 4 ] && grep -q "locked until" "$tmp/err" || { echo "FAILED: the right password after 5 failures: exit $rc, want 4 (locked)"; cat "$tmp/err"; fail=1; }
"$cli" accounts unlock "${as_admin[@]}" --name otto >/dev/null || { echo "FAILED: unlock"; fail=1; }
as_otto=(--database "$db" --user otto --password-file "$otto_pw")
"$cli" audit verify "${as_otto[@]}" >"$tmp/out" 2>"$tmp/err" || { echo "FAILED: auditor verify: exit $?"; cat "$tmp/err"; fail=1; }
n=$(sed -nE 's/^intact: ([0-9]+).*/\1/p' "$tmp/out")
"$cli" accounts list "${as_otto[@]}" | grep -q "^carl	clinician	Carl Clinician" || { echo "FAILED: accounts list"; fail=1; }
grep -a -q "Carl\|septic\|report exported" "$db" && { echo "FAILED: clear text in the clinical database"; fail=1; }

# The auditor's export of a copy: the database's public key only, no secret key anywhere in reach.
mkdir -p "$tmp/copy" "$tmp/no-keys"; cp "$db" "$db.keyring" "$tmp/copy/"
id=$("$cli" audit verify "${as_otto[@]}" | sed -nE 's/.*\(database ([0-9a-f-]+)\).*/\1/p')
pub="${XDG_CONFIG_HOME:-$HOME/.config}/ClinSight/audit-keys/$id.pub"
[ -f "$pub" ] || { echo "FAILED: no pinned audit public key at $pub"; fail=1; }
before=$(sha256sum <"$tmp/copy/clinsight.sqlite")
CLINSIGHT_KEYS_DIR="$tmp/no-keys" "$cli" audit export --database "$tmp/copy/clinsight.sqlite" --user otto --password-file "$otto_pw" \
  --public-key "$pub" --out "$tmp/a.csv" 2>"$tmp/err" || { echo "FAILED: export with the public key only"; cat "$tmp/err"; fail=1; }
[ "$(sha256sum <"$tmp/copy/clinsight.sqlite")" = "$before" ] || { echo "FAILED: export changed the database file"; fail=1; }
[ "$(($(wc -l <"$tmp/a.csv") - 1))" -ge "$n" ] || { echo "FAILED: CSV rows < $n"; fail=1; }
grep -q ",carl,report exported," "$tmp/a.csv" || { echo "FAILED: the report export is not in the log"; fail=1; }

# --- an insider with the key
"$cli" accounts recovery-key "${as_admin[@]}" --out "$tmp/recovery.key" >/dev/null || { echo "FAILED: recovery-key"; fail=1; }
[ "$(stat -c %a "$tmp/recovery.key")" = "600" ] || { echo "FAILED: recovery key file not 600"; fail=1; }
key=$(sed -n 's/^key: //p' "$tmp/recovery.key")
tamper() {   # tamper NAME SQL: a copy (with its keyring) changed with the sqlcipher shell
  mkdir -p "$tmp/$1"; cp "$db" "$db.keyring" "$tmp/$1/"
  sqlcipher "$tmp/$1/clinsight.sqlite" "PRAGMA key=\"x'$key'\"; $2" >/dev/null || echo "FAILED: sqlcipher on $1"
}
verify_copy() { "$cli" audit verify --database "$tmp/$1/clinsight.sqlite" --user otto --password-file "$otto_pw" >/dev/null 2>"$tmp/err"; }
tamper edited "DROP TRIGGER audit_no_update; UPDATE audit_log SET user='someone else' WHERE id=2;"
verify_copy edited; rc=$?
[ $rc -eq 3 ] && grep -q "NOT intact: entry 2 .*changed" "$tmp/err" || { echo "FAILED: edited entry: exit $rc"; cat "$tmp/err"; fail=1; }
tamper deleted "DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE id=(SELECT MAX(id) FROM audit_log);"
verify_copy deleted; rc=$?
[ $rc -eq 3 ] && grep -q "newest entries were deleted" "$tmp/err" || { echo "FAILED: deleted newest entry: exit $rc"; cat "$tmp/err"; fail=1; }
mkdir -p "$tmp/byte"; cp "$db" "$db.keyring" "$tmp/byte/"
size=$(stat -c %s "$tmp/byte/clinsight.sqlite")
/usr/bin/python3 - "$tmp/byte/clinsight.sqlite" "$((size - 300))" <<'PY'
import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, 'rb').read()); b[at] ^= 1; open(p, 'wb').write(bytes(b))
PY
verify_copy byte; rc=$?
[ $rc -eq 3 ] && grep -q "authentication" "$tmp/err" || { echo "FAILED: a changed byte of the file: exit $rc"; cat "$tmp/err"; fail=1; }
# A database whose keyring is gone: says so, writes nothing.
mkdir -p "$tmp/nokeyring"; cp "$db" "$tmp/nokeyring/"
"$cli" audit verify --database "$tmp/nokeyring/clinsight.sqlite" --user otto --password-file "$otto_pw" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -ne 0 ] && grep -q "keyring is missing" "$tmp/err" || { echo "FAILED: missing keyring: exit $rc"; cat "$tmp/err"; fail=1; }
[ $fail -eq 0 ] && echo "accounts, encryption and audit contract ok"
exit $fail
