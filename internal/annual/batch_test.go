package annual

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func zipOf(t *testing.T, files map[string]string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// A zip's reports are listed by name; other files are passed over, and a zip
// beyond the limits is refused before anything is inflated.
func TestZipReports(t *testing.T) {
	zr := zipOf(t, map[string]string{"b/2.PDF": "x", "a/1.txt": "y", "notes.md": "z", "__MACOSX/a/._1.txt": "w", "dir/": ""})
	es, err := ZipReports(zr, ZipLimits{Files: 10, Total: 100})
	if err != nil || len(es) != 2 || es[0].Name != "a/1.txt" || es[1].Name != "b/2.PDF" {
		t.Fatalf("entries %+v, %v", es, err)
	}
	if b, err := es[0].Read(); err != nil || string(b) != "y" {
		t.Fatalf("read %q %v", b, err)
	}
	if _, err := ZipReports(zr, ZipLimits{Files: 1, Total: 100}); err == nil || !strings.Contains(err.Error(), "超过 1 份") {
		t.Errorf("too many files: %v", err)
	}
	if _, err := ZipReports(zr, ZipLimits{Files: 10, Total: 1}); err == nil || !strings.Contains(err.Error(), "解压后过大") {
		t.Errorf("too large in all: %v", err)
	}
}

func TestBatchRow(t *testing.T) {
	if got := BatchRow("x.pdf", nil, ErrNotReport); len(got) != len(BatchColumns) || got[10] != ErrNotReport.Error() || got[12] != "1" {
		t.Errorf("unreadable row %q", got)
	}
	r := NewReport()
	r.Unit, r.Year, r.Printed.Form = "某单位", 2024, "pdf"
	r.Findings = []Finding{{Rule: RuleT4Sum, Severity: Error, Status: StatusFail}, {Rule: RuleT4Sum, Severity: Error, Status: StatusFail},
		{Rule: RuleNarrative, Severity: Warning, Status: StatusDoubt}}
	got := BatchRow("x.pdf", r, nil)
	want := []string{"x.pdf", "某单位", "2024", "2021", "", "", "", "2", "1", "T4.SUM;NARRATIVE", "", "pdf", "0", "2", "1", "0"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("row\n got %q\nwant %q", got, want)
	}
	if len(BatchHeader()) != len(got) {
		t.Error("header and row differ in length")
	}
}
