package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// gongkai desk import-cdr reports bad lines, honours --all-or-nothing and
// the user's column mapping; gongkai desk stats prints section 一（三）
// from the records: the demo's 2024 as the seed has it, and the imported
// calls' connection rate. (The store's import is tested on both engines in
// internal/store; the command is engine-agnostic.)
func TestDeskImportAndStatsCommands(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	if code, _, errs := run(t, "", "demo", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	code, out, errOut := run(t, "", "desk", "stats", "--db", dsn, "--year", "2024")
	for _, want := range []string{"10289", "99.3%", "99.89", "471", "229", "0.75"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("stats (%d) lacks %s: %s %s", code, want, out, errOut)
		}
	}
	if code, _, _ := run(t, "", "desk", "stats", "--db", dsn, "--year", "12"); code != 2 {
		t.Fatalf("bad year: exit %d", code)
	}
	file := filepath.Join(t.TempDir(), "cdr.csv")
	// The telephony export names its columns its own way: 开始 and 状态.
	os.WriteFile(file, []byte("ID,开始,状态,等待,通话\n"+
		"X1,2030-03-01 09:00:00,接通,3,60\n"+
		"X2,2030-03-01 09:01:00,放弃,30,0\n"+
		"X3,2030-03-01 09:02:00,挂断,3,60\n"+
		"X4,2030-03-01 09:03:00,接通,3,1:05\n"), 0o644)
	mapping := "ID=call_id,开始=started_at,状态=outcome,等待=wait,通话=talk"
	code, out, errOut = run(t, "", "desk", "import-cdr", file, "--db", dsn, "--map", mapping, "--all-or-nothing")
	if code != 1 || !strings.Contains(out, "第 4 行：呼叫结果“挂断”无法识别") || !strings.Contains(errOut, "未导入任何记录") {
		t.Fatalf("all-or-nothing: %d %s %s", code, out, errOut)
	}
	// Without a mapping for 开始 the file cannot be read at all.
	code, _, errOut = run(t, "", "desk", "import-cdr", file, "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "来电时间") {
		t.Fatalf("unmapped: %d %s", code, errOut)
	}
	code, out, errOut = run(t, "", "desk", "import-cdr", "--db", dsn, file, "--map", mapping)
	if code != 0 || !strings.Contains(out, "导入 3 行") || !strings.Contains(out, "错误 1 行") || !strings.Contains(out, "第 4 行") {
		t.Fatalf("good rows: %d %s %s", code, out, errOut)
	}
	code, out, _ = run(t, "", "desk", "stats", "--db", dsn, "--year", "2030")
	if code != 0 || !strings.Contains(out, "66.7%") {
		t.Fatalf("stats 2030: %d %s", code, out)
	}
}
