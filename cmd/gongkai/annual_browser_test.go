package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The report check pages pass axe-core in Debian's chromium with no serious
// or critical violation and work without JavaScript: reports uploaded
// through the form (a PDF among them), a finding's decision refused without
// its reason and recorded with it, and a zip uploaded to the batch audit,
// whose page reloads itself until the job is done.
func TestAnnualCheckAccessibility(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, storetest.DSN(t, store.SQLite))
	axe, err := os.ReadFile("../../third_party/axe-core/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
			t.Fatalf("inject axe on %s: %v", what, err)
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", what, err)
		}
		for _, v := range vs {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s %s — %s at %s", what, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "; "))
			}
		}
	}
	text := func() string {
		s, _ := chromedp.Run(ctx, chromedp.Text("main"))
		return s
	}
	dir := t.TempDir()
	seed, err := os.ReadFile("../../internal/annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(seed), "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "0\t0\t0\t0\t3\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", 1)
	fz := filepath.Join(dir, "福州海关2024.txt")
	os.WriteFile(fz, []byte(broken), 0o644)
	pdf, _ := filepath.Abs("../../internal/annual/testdata/pdf/hongze_district_2023.chromium.pdf")

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromeLogin(app.URL, "stats"),
		chromedp.Navigate(app.URL+"/admin/reports"), chromedp.WaitVisible("#f-file")); err != nil {
		t.Fatal(err)
	}
	check("/admin/reports")
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles("#f-file", []string{fz, pdf}),
		chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(".report-result")); err != nil {
		t.Fatal(err)
	}
	if s := text(); !strings.Contains(s, "洪泽区人民政府") || !strings.Contains(s, "表四合计") {
		t.Fatalf("result page: %.400s", s)
	}
	check("the result page")
	// A decision without its reason, then with it.
	first := `section.report-result details.decide`
	if err := chromedp.Do(ctx, chromedp.Click(first+" summary"), chromedp.Click(first+` input[value=dismiss]`),
		chromedp.Click(first+` button[type=submit]`), chromedp.WaitVisible(".error-summary")); err != nil {
		t.Fatal(err)
	}
	check("a decision refused")
	if err := chromedp.Do(ctx, chromedp.SendKeys("#f-reason", "总计栏按上级口径另行统计"), chromedp.Click(`details.decide[open] button[type=submit]`),
		chromedp.WaitVisible(".notice")); err != nil {
		t.Fatal(err)
	}
	if s := text(); !strings.Contains(s, "已排除的问题") || !strings.Contains(s, "总计栏按上级口径另行统计") {
		t.Fatalf("after the dismissal: %.600s", s)
	}
	check("an uploaded report's page")

	// The batch audit: a zip, followed without JavaScript to the end.
	zipName := filepath.Join(dir, "reports.zip")
	f, _ := os.Create(zipName)
	zw := zip.NewWriter(f)
	for _, name := range []string{"2024/福州海关.txt", "2023/洪泽区.pdf", "2024/scan.pdf"} {
		w, _ := zw.Create(name)
		switch {
		case strings.HasSuffix(name, ".txt"):
			w.Write([]byte(broken))
		case strings.Contains(name, "scan"):
			w.Write([]byte("%PDF-1.4\n garbage"))
		default:
			b, _ := os.ReadFile(pdf)
			w.Write(b)
		}
	}
	zw.Close()
	f.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/admin/reports/batches"), chromedp.WaitVisible("#f-files")); err != nil {
		t.Fatal(err)
	}
	check("/admin/reports/batches")
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles("#f-files", []string{zipName}),
		chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible("#batch-progress")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(text(), "已全部检查完毕") {
		if time.Now().After(deadline) {
			t.Fatalf("the batch page did not reach the end: %.400s", text())
		}
		time.Sleep(500 * time.Millisecond)
	}
	if s := text(); !strings.Contains(s, "读出报告 2 份，无法读取 1 份") {
		t.Fatalf("summary: %.600s", s)
	}
	check("a batch's summary")
	if err := chromedp.Do(ctx, chromedp.Click(`table.batch a[href*="/files/"]`), chromedp.WaitVisible(".report-doc")); err != nil {
		t.Fatal(err)
	}
	check("a batch's report")
}
