package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestBackupRestoreContract is the CLI contract scripts depend on:
// backup -o FILE, restore into an empty database, audit verify; restore
// refuses a database with records unless --force; usage errors exit 2.
func TestBackupRestoreContract(t *testing.T) {
	src := demoCopy(t)
	dir := t.TempDir()
	bak := filepath.Join(dir, "b.bak")
	dst := filepath.Join(dir, "r.db")
	mustRun(t, "backup", "--db", src, "-o", bak)
	mustRun(t, "restore", "--db", dst, bak)
	if code, out, errOut := run(t, "", "audit", "verify", "--db", dst); code != 0 || !strings.Contains(out, "哈希链无断裂") {
		t.Fatalf("audit verify after restore: %d %s %s", code, out, errOut)
	}
	code, _, errOut := run(t, "", "restore", "--db", dst, bak)
	if code != 1 || !strings.Contains(errOut, "--force") {
		t.Fatalf("restore over records: exit %d, %q; want 1 and a word about --force", code, errOut)
	}
	mustRun(t, "restore", "--db", dst, "--force", bak)
	for _, args := range [][]string{
		{"backup", "--db", src},
		{"backup", "--db", src, "-o", bak, "extra"},
		{"restore", "--db", dst},
		{"restore", "--db", dst, bak, "other"},
		{"restore", "--nope", bak},
	} {
		if code, _, _ := run(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errOut := run(t, "", "restore", "--db", filepath.Join(dir, "x.db"), src+"-missing"); code != 1 || !strings.Contains(errOut, "无法打开备份文件") {
		t.Errorf("restore of a missing file: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "restore", "--db", filepath.Join(dir, "y.db"), filepath.Join("testdata", "..", "backup.go")); code != 1 || !strings.Contains(errOut, "不是 gongkai 的备份") {
		t.Errorf("restore of a file that is no backup: %d %q", code, errOut)
	}
}

// TestBackupRoundTrip takes the demo through every pair of engines —
// SQLite file → PostgreSQL → archive → SQLite, archive → PostgreSQL,
// SQLite → SQLite — and checks each copy against the original: every row of
// every table, every stored file's SHA-256, the annual report's JSON and
// the audit chain.
func TestBackupRoundTrip(t *testing.T) {
	dir := t.TempDir()
	orig := demoCopy(t)
	// Building the report keeps it as a record: build it once, so that the
	// state backed up is the state each copy's build starts from.
	builtReportJSON(t, orig)
	want := fingerprintDB(t, orig)
	sqliteBak := filepath.Join(dir, "sqlite.bak")
	mustRun(t, "backup", "--db", orig, "-o", sqliteBak)
	report := builtReportJSON(t, orig)

	pgA := storetest.DSN(t, store.Postgres)
	mustRun(t, "restore", "--db", pgA, sqliteBak)
	archive := filepath.Join(dir, "pg.bak")
	mustRun(t, "backup", "--db", pgA, "-o", archive)
	check(t, "SQLite backup → PostgreSQL", pgA, want, report)

	back := filepath.Join(dir, "back.db")
	mustRun(t, "restore", "--db", back, archive)
	check(t, "PostgreSQL archive → SQLite", back, want, report)

	pgB := storetest.DSN(t, store.Postgres)
	mustRun(t, "restore", "--db", pgB, archive)
	check(t, "PostgreSQL archive → PostgreSQL", pgB, want, report)
	// --force over a PostgreSQL schema with records.
	mustRun(t, "restore", "--db", pgB, "--force", sqliteBak)
	check(t, "SQLite backup → PostgreSQL with --force", pgB, want, report)

	same := filepath.Join(dir, "same.db")
	mustRun(t, "restore", "--db", same, sqliteBak)
	check(t, "SQLite backup → SQLite", same, want, report)

	// The restored database goes on: new rows get new ids on PostgreSQL
	// too (the sequences were moved past the restored ids).
	mustRun(t, "user", "add", "--db", pgB, "--unit", "fuzhou", "--username", "after_restore", "--name", "恢复后", "--role", "editor", "--password", "Restore-2024-ok")
	if code, out, errOut := run(t, "", "audit", "verify", "--db", pgB); code != 0 {
		t.Fatalf("audit verify after a write on the restored database: %s %s", out, errOut)
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, "", args...)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func builtReportJSON(t *testing.T, dsn string) string {
	t.Helper()
	return mustRun(t, "report", "build", "--db", dsn, "--unit", "fuzhou", "--year", "2024", "--format", "json")
}

func check(t *testing.T, name, dsn string, want dbFingerprint, report string) {
	t.Helper()
	got := fingerprintDB(t, dsn)
	if len(got.tables) != len(want.tables) {
		t.Errorf("%s: %d tables, want %d", name, len(got.tables), len(want.tables))
	}
	for tbl, h := range want.tables {
		if got.tables[tbl] != h {
			t.Errorf("%s: table %s differs (%s, want %s)", name, tbl, got.tables[tbl], h)
		}
	}
	if len(got.files) != len(want.files) {
		t.Errorf("%s: %d stored files, want %d", name, len(got.files), len(want.files))
	}
	for k, h := range want.files {
		if got.files[k] != h {
			t.Errorf("%s: file %s has SHA-256 %s, want %s", name, k, got.files[k], h)
		}
	}
	if got.audit != want.audit {
		t.Errorf("%s: audit verify says %q, want %q", name, got.audit, want.audit)
	}
	if r := builtReportJSON(t, dsn); r != report {
		t.Errorf("%s: the annual report's JSON differs", name)
	}
	t.Logf("%s: %d tables, %d stored files identical", name, len(got.tables), len(got.files))
}

// dbFingerprint is a digest of every table's rows (in key order), the
// SHA-256 of every stored file (every non-empty blob, by table, column and
// the row's other values) and the audit verification's output.
type dbFingerprint struct {
	tables map[string]string
	files  map[string]string
	audit  string
}

func fingerprintDB(t *testing.T, dsn string) dbFingerprint {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if db.Dialect() == store.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	names := queryStrings(t, db.SQL(), q)
	fp := dbFingerprint{tables: map[string]string{}, files: map[string]string{}}
	for _, n := range names {
		// The search index is rebuilt, not copied; the migrations' record
		// holds when each ran.
		if store.DerivedTable(n) {
			continue
		}
		rows, err := db.SQL().QueryContext(ctx, `SELECT * FROM "`+n+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b, key strings.Builder
			for _, v := range vals {
				if _, blob := v.([]byte); !blob {
					fmt.Fprintf(&key, "%v/", v)
				}
			}
			for i, v := range vals {
				switch x := v.(type) {
				case []byte:
					s := sha256.Sum256(x)
					fmt.Fprintf(&b, "%s=b:%x|", cols[i], s)
					if len(x) > 0 {
						fp.files[fmt.Sprintf("%s.%s#%s", n, cols[i], key.String())] = hex.EncodeToString(s[:])
					}
				case nil:
					fmt.Fprintf(&b, "%s=null|", cols[i])
				default:
					fmt.Fprintf(&b, "%s=%v|", cols[i], x)
				}
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		sort.Strings(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		fp.tables[n] = fmt.Sprintf("%d rows %x", len(lines), h[:6])
	}
	code, out, errOut := run(t, "", "audit", "verify", "--db", dsn)
	if code != 0 {
		t.Errorf("audit verify %s: %s %s", dsn, out, errOut)
	}
	fp.audit = out
	return fp
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
