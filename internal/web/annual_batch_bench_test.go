package web

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/jobs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// BenchmarkBatchAudit500 is the batch page on 500 reports, on each engine:
// a zip of 500 published reports — the test material in turn, 3 text, 1
// HTML, 3 DOCX and 13 PDFs (Chromium, LibreOffice, cairo, fpdf; tables
// broken over pages), 110 MB inflated and 56 MB as a zip — is uploaded to /admin/reports/batches by a
// statistician, the job annual.batch runs on a jobs.Runner in the same
// process (10 files a run, as serve runs it) until the batch completes, and
// the summary page and its XLSX export are fetched. It runs only under
// -bench:
//
//	go test ./internal/web -run '^$' -bench BatchAudit500 -benchtime 1x
//
// Reported: s/op the whole (upload, check, summary and export), upload-s
// and check-s its parts, reports/s over the check, peak-heap-MB the Go heap
// sampled every 10 ms, and peak-rss-MB the process's peak resident memory
// (VmHWM, reset after the zip is written to disk, so it counts the server,
// the job and the client streaming the upload). GONGKAI_BENCH_REPORTS sets
// another number of reports.
func BenchmarkBatchAudit500(b *testing.B) {
	n := 500
	if v, err := strconv.Atoi(os.Getenv("GONGKAI_BENCH_REPORTS")); err == nil && v > 0 {
		n = v
	}
	zipPath, size := benchZip(b, n)
	b.Logf("%d reports, zip of %.1f MB", n, float64(size)/(1<<20))
	for _, d := range storetest.Backends {
		b.Run(string(d), func(b *testing.B) {
			for b.Loop() {
				benchBatch(b, d, zipPath, n)
			}
		})
	}
}

// benchZip writes a zip of n reports, the test material in turn.
func benchZip(b *testing.B, n int) (string, int64) {
	b.Helper()
	dir := "../annual/testdata/"
	var names []string
	for _, p := range []string{"*.txt", "*.html", "pdf/*.docx", "pdf/*.pdf"} {
		m, err := filepath.Glob(dir + p)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range m {
			if !strings.HasPrefix(filepath.Base(f), "minimal") {
				names = append(names, f)
			}
		}
	}
	name := filepath.Join(b.TempDir(), "reports.zip")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := range n {
		src := names[i%len(names)]
		data, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		w, err := zw.Create(fmt.Sprintf("%03d/%s", i, filepath.Base(src)))
		if err != nil {
			b.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return name, st.Size()
}

func benchBatch(b *testing.B, d store.Dialect, zipPath string, n int) {
	ctx := context.Background()
	db := storetest.Open(b, d, store.Options{})
	sys := audit.System("bench")
	unit := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, sys, &unit); err != nil {
		b.Fatal(err)
	}
	hash, err := auth.HashPassword("bench password", cheapParams)
	if err != nil {
		b.Fatal(err)
	}
	u := org.User{Username: "stats", DisplayName: "统计", UnitID: unit.ID, Grants: []org.Grant{{UnitID: unit.ID, Role: org.RoleStatistician}}}
	if err := db.CreateUser(ctx, sys, &u, hash); err != nil {
		b.Fatal(err)
	}
	p := auth.DefaultPolicy
	p.Params = cheapParams
	srv, err := New(db, &auth.Service{Store: db, Policy: p}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Secret: testSecret, SiteUnit: "fuzhou"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Minute}
	get := func(path string) string {
		resp, err := c.Get(ts.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	token := csrfRE.FindStringSubmatch(get("/admin/login"))[1]
	resp, err := c.PostForm(ts.URL+"/admin/login", url.Values{"csrf": {token}, "username": {"stats"}, "password": {"bench password"}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	token = csrfRE.FindStringSubmatch(get(batchUploadPath))[1]

	// Memory from here on: the server, the job and the upload streamed from
	// disk.
	runtime.GC()
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peakHeap.Load() {
				peakHeap.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()

	start := time.Now()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("csrf", token)
		fw, _ := mw.CreateFormFile("files", "reports.zip")
		f, err := os.Open(zipPath)
		if err == nil {
			io.Copy(fw, f)
			f.Close()
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest("POST", ts.URL+batchUploadPath, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err = c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`href="(/admin/reports/batches/\d+)\?`).FindStringSubmatch(string(page))
	if resp.StatusCode != 200 || m == nil {
		b.Fatalf("upload: %d %.300s", resp.StatusCode, page)
	}
	uploaded := time.Now()

	runner := &jobs.Runner{Store: db, Worker: "bench", Handlers: map[string]jobs.Handler{annual.BatchJobKind: annual.BatchJob(db, 10)}}
	if _, err := runner.RunDue(ctx); err != nil {
		b.Fatal(err)
	}
	checked := time.Now()
	summary := get(m[1] + "?sort=errors")
	if !strings.Contains(summary, "已全部检查完毕") || !strings.Contains(summary, fmt.Sprintf(`value="%d"`, n)) {
		b.Fatalf("not done: %.500s", summary)
	}
	get(m[1] + "/summary.xlsx")
	total := time.Since(start)
	close(stop)

	b.ReportMetric(total.Seconds(), "s/op")
	b.ReportMetric(uploaded.Sub(start).Seconds(), "upload-s")
	b.ReportMetric(checked.Sub(uploaded).Seconds(), "check-s")
	b.ReportMetric(float64(n)/checked.Sub(uploaded).Seconds(), "reports/s")
	b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-rss-MB")
	}
}

// vmHWM is the process's peak resident memory since it was last reset, in
// bytes (Linux), or 0.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
