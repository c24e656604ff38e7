#!/usr/bin/env bash
# audit verify / export on a database the GUI wrote (the demo run): intact exits 0 with the count;
# an entry edited or the newest deleted with sqlite3 behind ClinSight's back exits 3 naming it; CSV export.
set -u
cli=$1; db=$2
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -f "$db" ] || { echo "FAILED: no database at $db (the demo screenshot test writes it)"; exit 1; }
cp "$db" "$tmp/a.sqlite"
"$cli" audit verify --database "$tmp/a.sqlite" >"$tmp/out" 2>"$tmp/err" || { echo "FAILED: intact database: exit $?"; cat "$tmp/err"; fail=1; }
grep -Eq "^intact: [0-9]+ entries" "$tmp/out" || { echo "FAILED: no count"; cat "$tmp/out"; fail=1; }
n=$(sed -E 's/^intact: ([0-9]+).*/\1/' "$tmp/out")
"$cli" audit export --database "$tmp/a.sqlite" --out "$tmp/a.csv" 2>/dev/null || { echo "FAILED: export"; fail=1; }
[ "$(($(wc -l <"$tmp/a.csv") - 1))" = "$n" ] || { echo "FAILED: CSV rows != $n"; fail=1; }
head -1 "$tmp/a.csv" | grep -q "^id,at_utc,user,action,patient_id,detail,entry_sha256" || { echo "FAILED: CSV header"; fail=1; }
cp "$db" "$tmp/b.sqlite"
/usr/bin/python3 - "$tmp/b.sqlite" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER audit_no_update")
c.execute("UPDATE audit_log SET user='someone else' WHERE id=(SELECT MIN(id) FROM audit_log)")
c.commit()
EOF
"$cli" audit verify --database "$tmp/b.sqlite" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || { echo "FAILED: edited entry: exit $rc, want 3"; fail=1; }
grep -q "NOT intact: entry 1 .*changed" "$tmp/err" || { echo "FAILED: edited entry not named"; cat "$tmp/err"; fail=1; }
cp "$db" "$tmp/c.sqlite"
/usr/bin/python3 - "$tmp/c.sqlite" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER audit_no_delete")
c.execute("DELETE FROM audit_log WHERE id=(SELECT MAX(id) FROM audit_log)")
c.commit()
EOF
"$cli" audit verify --database "$tmp/c.sqlite" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] && grep -q "newest entries were deleted" "$tmp/err" || { echo "FAILED: deleted newest entry: exit $rc"; cat "$tmp/err"; fail=1; }
[ "$(stat -c %a "$db")" = "600" ] || { echo "FAILED: the GUI's database is $(stat -c %a "$db"), want 600"; fail=1; }
[ $fail -eq 0 ] && echo "audit contract ok"
exit $fail
