#!/usr/bin/env bash
# audit verify / export on a database the GUI wrote (the demo run): intact exits 0 with the count;
# an entry edited or the newest deleted with sqlite3 behind ClinSight's back exits 3 naming it; CSV
# export, also by an auditor holding only the public key, leaves the file byte for byte as it was.
set -u
cli=$1; db=$2
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -f "$db" ] || { echo "FAILED: no database at $db (the demo screenshot test writes it)"; exit 1; }

# tamper COPY SQL...: a copy of the demo database changed with Python's sqlite3, as an insider could.
tamper() {
  local copy=$1; shift
  cp "$db" "$copy"
  /usr/bin/python3 - "$copy" "$@" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for statement in sys.argv[2:]: c.execute(statement)
c.commit()
EOF
}

cp "$db" "$tmp/a.sqlite"
"$cli" audit verify --database "$tmp/a.sqlite" >"$tmp/out" 2>"$tmp/err" || { echo "FAILED: intact database: exit $?"; cat "$tmp/err"; fail=1; }
grep -Eq "^intact: [0-9]+ entries" "$tmp/out" || { echo "FAILED: no count"; cat "$tmp/out"; fail=1; }
n=$(sed -E 's/^intact: ([0-9]+).*/\1/' "$tmp/out")
# The auditor: a copy, the public key only (no secret key anywhere in reach).
id=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM meta WHERE key='database_id'\").fetchone()[0])" "$tmp/a.sqlite")
pub="${XDG_CONFIG_HOME:-$HOME/.config}/ClinSight/audit-keys/$id.pub"
[ -f "$pub" ] || { echo "FAILED: no pinned audit public key at $pub"; fail=1; }
before=$(sha256sum <"$tmp/a.sqlite")
mkdir -p "$tmp/no-keys"
CLINSIGHT_KEYS_DIR="$tmp/no-keys" "$cli" audit export --database "$tmp/a.sqlite" --public-key "$pub" --out "$tmp/a.csv" 2>"$tmp/err" \
  || { echo "FAILED: export with the public key only"; cat "$tmp/err"; fail=1; }
[ "$(sha256sum <"$tmp/a.sqlite")" = "$before" ] || { echo "FAILED: export changed the database file"; fail=1; }
[ "$(($(wc -l <"$tmp/a.csv") - 1))" = "$n" ] || { echo "FAILED: CSV rows != $n"; fail=1; }
head -1 "$tmp/a.csv" | grep -q "^id,at_utc,user,action,patient_id,detail,entry_sha256" || { echo "FAILED: CSV header"; fail=1; }

tamper "$tmp/b.sqlite" "DROP TRIGGER audit_no_update" "UPDATE audit_log SET user='someone else' WHERE id=(SELECT MIN(id) FROM audit_log)"
"$cli" audit verify --database "$tmp/b.sqlite" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || { echo "FAILED: edited entry: exit $rc, want 3"; fail=1; }
grep -q "NOT intact: entry 1 .*changed" "$tmp/err" || { echo "FAILED: edited entry not named"; cat "$tmp/err"; fail=1; }
"$cli" audit export --database "$tmp/b.sqlite" --out "$tmp/b.csv" 2>/dev/null; rc=$?
[ $rc -eq 3 ] && [ -s "$tmp/b.csv" ] || { echo "FAILED: a log that is not intact is exported for investigation with exit 3 (exit $rc)"; fail=1; }

tamper "$tmp/c.sqlite" "DROP TRIGGER audit_no_delete" "DELETE FROM audit_log WHERE id=(SELECT MAX(id) FROM audit_log)"
"$cli" audit verify --database "$tmp/c.sqlite" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] && grep -q "newest entries were deleted" "$tmp/err" || { echo "FAILED: deleted newest entry: exit $rc"; cat "$tmp/err"; fail=1; }
[ "$(stat -c %a "$db")" = "600" ] || { echo "FAILED: the GUI's database is $(stat -c %a "$db"), want 600"; fail=1; }
[ $fail -eq 0 ] && echo "audit contract ok"
exit $fail
