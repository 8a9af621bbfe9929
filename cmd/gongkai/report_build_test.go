package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/annual"
)

// worldDB loads the fuzhou-2024 world into a fresh SQLite file, once per test.
func worldDB(t *testing.T) string {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "w.db")
	if code, out, errOut := run(t, "", "demo", "--world", "fuzhou-2024", "--db", dsn); code != 0 {
		t.Fatalf("demo --world: %d %s %s", code, out, errOut)
	}
	return dsn
}

func seedTables(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../internal/annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := annual.Read(b, "seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	return tablesOf(t, r)
}

func tablesOf(t *testing.T, r *annual.Report) string {
	t.Helper()
	b, _ := json.Marshal([]any{r.Table2, r.Table3, r.Table4})
	return string(b)
}

// TestReportBuildContract holds `gongkai report build` to its contract:
// every format of 福州海关（本级机关）2024 from the seed world's records, the
// HTML and DOCX read back by `report check` to the seed's tables with no
// finding, and each kind of bad input with its exit code.
func TestReportBuildContract(t *testing.T) {
	dsn := worldDB(t)
	dir := t.TempDir()
	want := seedTables(t)
	for _, f := range []string{"json", "html", "docx", "pdf", "xlsx"} {
		out := filepath.Join(dir, "r."+f)
		code, _, errOut := run(t, "", "report", "build", "--db", dsn, "--unit", "福州海关（本级机关）", "--year", "2024", "--format", f, "-o", out)
		if code != 0 {
			t.Fatalf("build %s: %d %s", f, code, errOut)
		}
		if st, err := os.Stat(out); err != nil || st.Size() == 0 {
			t.Fatalf("build %s wrote nothing: %v", f, err)
		}
	}
	// JSON to standard output, the unit by its code.
	code, stdout, errOut := run(t, "", "report", "build", "--db", dsn, "--unit", "fuzhou", "--year", "2024", "--format", "json")
	if code != 0 {
		t.Fatalf("json to stdout: %d %s", code, errOut)
	}
	var doc annual.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if got := tablesOf(t, doc.Report); got != want {
		t.Errorf("built tables differ from the seed's:\n%s\n%s", got, want)
	}
	if len(doc.Report.Findings) != 0 {
		t.Errorf("the seed world's report has findings: %+v", doc.Report.Findings)
	}
	// Read back through the reader and checker: the page, the Word file and
	// the PDF (through the reader's own PDF text layer).
	for _, f := range []string{"html", "docx", "pdf"} {
		code, stdout, errOut := run(t, "", "report", "check", "--json", filepath.Join(dir, "r."+f))
		if code != 0 {
			t.Fatalf("check %s: %d %s", f, code, errOut)
		}
		var r annual.Report
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		if got := tablesOf(t, &r); got != want || len(r.Findings) != 0 || r.Year != 2024 || r.Unit != "福州海关（本级机关）" {
			t.Errorf("%s read back: unit %q year %d, %d findings %+v\n%s", f, r.Unit, r.Year, len(r.Findings), r.Findings, got)
		}
	}
	// The scope in the unit's name.
	code, stdout, _ = run(t, "", "report", "build", "--db", dsn, "--unit", "福州海关（全系统）", "--year", "2024", "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"scope": "all"`) || !strings.Contains(stdout, "福州海关（全系统）2024年") {
		t.Errorf("全系统: %d %.200s", code, stdout)
	}
	// The published 2023 version, as frozen.
	code, stdout, errOut = run(t, "", "report", "build", "--db", dsn, "--unit", "fuzhou", "--year", "2023", "--format", "json", "--published")
	if code != 0 || !strings.Contains(stdout, "福州海关（本级机关）2023年") {
		t.Errorf("--published 2023: %d %s %.200s", code, errOut, stdout)
	}

	bad := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--unit", "福州海关（全系统）", "--scope", "self", "--year", "2024", "--format", "json"}, 2, "矛盾"},
		{[]string{"--unit", "fuzhou", "--scope", "both", "--year", "2024", "--format", "json"}, 2, "--scope"},
		{[]string{"--unit", "fuzhou", "--year", "2024", "--format", "odt"}, 2, "--format"},
		{[]string{"--unit", "fuzhou", "--year", "2024"}, 2, "--format"},
		{[]string{"--year", "2024", "--format", "json"}, 2, "--unit"},
		{[]string{"--unit", "fuzhou", "--format", "json"}, 2, "--year"},
		{[]string{"--unit", "fuzhou", "--year", "24", "--format", "json"}, 2, "四位数"},
		{[]string{"--unit", "fuzhou", "--year", "2024", "--format", "json", "extra"}, 2, "多余"},
		{[]string{"--unit", "shanghai", "--year", "2024", "--format", "json"}, 1, "没有代码或名称"},
		{[]string{"--unit", "fuzhou", "--year", "2999", "--format", "json"}, 1, "尚未到来"},
		{[]string{"--unit", "fuzhou", "--year", "2010", "--format", "json"}, 1, "最早的业务记录"},
		{[]string{"--unit", "fuzhou", "--year", "2024", "--format", "json", "--published"}, 1, "尚未发布"},
		{[]string{"--unit", "fuzhou", "--year", "2024", "--format", "json", "-o", filepath.Join(dir, "no", "such", "dir", "r.json")}, 1, "写出年度报告失败"},
	}
	for _, c := range bad {
		code, _, errOut := run(t, "", append([]string{"report", "build", "--db", dsn}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want it to say %q)", c.args, code, c.code, errOut, c.says)
		}
	}
}
