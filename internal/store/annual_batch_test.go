package store_test

import (
	"iter"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func batchInputs(in ...store.BatchInput) iter.Seq2[store.BatchInput, error] {
	return func(yield func(store.BatchInput, error) bool) {
		for _, x := range in {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// batchTestFiles are a batch's files: the seed (2024) and a 2023 of the same
// unit whose carried-forward row does not match (so that the rules across
// years add findings to 2024 at the end), a PDF, a broken PDF, a note that
// is no report, and a file refused before it was stored.
func batchTestFiles(t *testing.T) []store.BatchInput {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("../annual/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	seed := string(read("fuzhou_customs_2024.txt"))
	lines := strings.Split(seed, "\n")
	lines[2] = strings.Replace(lines[2], "2024年", "2023年", 1)
	for i, l := range lines {
		if strings.HasPrefix(l, "四、结转下年度继续办理") {
			lines[i] = "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2"
		}
	}
	return []store.BatchInput{
		{Name: "2023/fuzhou.txt", Content: []byte(strings.Join(lines, "\n"))},
		{Name: "2024/fuzhou.txt", Content: []byte(seed)},
		{Name: "2024/huaian.pdf", Content: read("pdf/huaian_city_2024.chromium.pdf")},
		{Name: "2024/broken.pdf", Content: []byte("%PDF-1.4\n garbage")},
		{Name: "notes.txt", Content: []byte("会议纪要：今天讨论了食堂菜单。")},
		{Name: "huge.pdf", Reason: annual.ErrFileTooLarge.Error()},
	}
}

// A batch is a job: claimed with a row lock, checked two files a run, each
// file's result committed on its own; a runner that dies mid-batch leaves
// the files it did not finish pending, and the next runner to claim the job
// once its lease ran out finishes the batch without checking any file
// twice. The rules across years run once all files are done.
func TestAnnualBatchJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		id, err := db.CreateAnnualBatch(ctx, admin, "reports.zip", batchInputs(batchTestFiles(t)...))
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.AnnualBatchByID(ctx, id)
		if err != nil || b.Files != 6 || b.Done != 1 || b.Finished() {
			t.Fatalf("created: %+v %v", b, err)
		}
		// Runner A claims the job, checks one chunk of two files and dies.
		now := time.Now().UTC()
		js, err := db.ClaimJobs(ctx, "a", []string{annual.BatchJobKind}, 10, now, 5*time.Minute)
		if err != nil || len(js) != 1 {
			t.Fatalf("claim: %+v %v", js, err)
		}
		if again, _ := db.ClaimJobs(ctx, "b", []string{annual.BatchJobKind}, 10, now, 5*time.Minute); len(again) != 0 {
			t.Fatal("a claimed job was claimed again before its lease ran out")
		}
		if done, err := annual.CheckBatch(ctx, db, id, 2); err != nil || done {
			t.Fatalf("first chunk: %v %v", done, err)
		}
		if b, _ = db.AnnualBatchByID(ctx, id); b.Done != 3 {
			t.Fatalf("after a chunk: %d done", b.Done)
		}
		first, err := db.AnnualBatchFile(ctx, id, mustFileID(t, db, id, "2023/fuzhou.txt"))
		if err != nil || first.Report == nil {
			t.Fatal(err)
		}
		// Runner B, after the lease: resumes and finishes.
		r := &jobs.Runner{Store: db, Worker: "b", Handlers: map[string]jobs.Handler{annual.BatchJobKind: annual.BatchJob(db, 2)},
			Now: func() time.Time { return now.Add(6 * time.Minute) }}
		if _, err := r.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		b, err = db.AnnualBatchByID(ctx, id)
		if err != nil || !b.Finished() || b.Done != 6 || b.JobFailed {
			t.Fatalf("after resuming: %+v %v", b, err)
		}
		var state string
		var attempts int
		if err := db.SQL().QueryRowContext(ctx, "SELECT state, attempts FROM jobs WHERE kind = 'annual.batch'").Scan(&state, &attempts); err != nil || state != "done" {
			t.Fatalf("job %s %v", state, err)
		}
		files, err := db.AnnualBatchReports(ctx, id)
		if err != nil || len(files) != 6 {
			t.Fatalf("files %+v %v", files, err)
		}
		byName := map[string]store.BatchFileRow{}
		for _, f := range files {
			byName[f.Name] = f
			if !f.Done || (f.ReadError == "") == (f.Report == nil) {
				t.Errorf("%s: done %v, reason %q, report %v: a file is either read or refused", f.Name, f.Done, f.ReadError, f.Report != nil)
			}
		}
		if f := byName["2023/fuzhou.txt"]; f.Errors == 0 || f.Year != 2023 || f.Form != "text" || f.Report.Text.Problems == "" {
			t.Errorf("2023: %+v", f)
		}
		// The file checked before the crash kept its first result.
		if got := byName["2023/fuzhou.txt"]; got.Errors != first.Errors || len(got.Report.Findings) != len(first.Report.Findings) {
			t.Errorf("the first chunk's file was checked again: %+v", got)
		}
		// 2024 against 2023, at the end: YEAR.CARRY, counted.
		f24 := byName["2024/fuzhou.txt"]
		var rules []string
		for _, f := range f24.Report.Findings {
			rules = append(rules, f.Rule)
		}
		if strings.Join(rules, ",") != "YEAR.CARRY,YEAR.CARRY" || f24.Errors != 2 {
			t.Errorf("2024 across years: %v, %d errors", rules, f24.Errors)
		}
		if f := byName["2024/huaian.pdf"]; f.Form != "pdf" || f.Unit != "淮安市人民政府" || f.Errors != 0 {
			t.Errorf("huaian: %+v", f)
		}
		for name, want := range map[string]string{"2024/broken.pdf": "PDF 文件已损坏", "notes.txt": "不是政府信息公开工作年度报告", "huge.pdf": "文件超过 64 MB"} {
			if f := byName[name]; !strings.Contains(f.ReadError, want) || f.Report != nil {
				t.Errorf("%s: %+v", name, f)
			}
		}
		// Nothing left to run; running again changes nothing.
		if n, err := r.RunDue(ctx); err != nil || n != 0 {
			t.Errorf("rerun: %d %v", n, err)
		}
		if err := db.CompleteBatch(ctx, id, nil); err != nil {
			t.Errorf("completing twice: %v", err)
		}
		var done int
		db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'annual.batch_done'").Scan(&done)
		if done != 1 {
			t.Errorf("%d completions audited", done)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// Two instances run the same batch at once: the row lock gives the job to
// one of them at a time, and the batch completes once.
func TestAnnualBatchTwoRunners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		id, err := db.CreateAnnualBatch(ctx, admin, "reports", batchInputs(batchTestFiles(t)...))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errc := make(chan error, 2)
		for _, w := range []string{"a", "b"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := &jobs.Runner{Store: db, Worker: w, Handlers: map[string]jobs.Handler{annual.BatchJobKind: annual.BatchJob(db, 1)}}
				for range 20 {
					if _, err := r.RunDue(ctx); err != nil {
						errc <- err
						return
					}
					if b, _ := db.AnnualBatchByID(ctx, id); b.Finished() {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		b, err := db.AnnualBatchByID(ctx, id)
		if err != nil || !b.Finished() || b.Done != b.Files {
			t.Fatalf("%+v %v", b, err)
		}
		var done int
		db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'annual.batch_done'").Scan(&done)
		if done != 1 {
			t.Errorf("%d completions", done)
		}
	})
}

// A batch is stored whole or not at all; an empty one is refused.
func TestAnnualBatchCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		bad := func(yield func(store.BatchInput, error) bool) {
			if !yield(store.BatchInput{Name: "a.txt", Content: []byte("x")}, nil) {
				return
			}
			yield(store.BatchInput{}, os.ErrClosed)
		}
		if _, err := db.CreateAnnualBatch(ctx, admin, "x", bad); err == nil {
			t.Fatal("a batch whose upload failed was created")
		}
		if _, err := db.CreateAnnualBatch(ctx, admin, "x", batchInputs()); err == nil {
			t.Fatal("an empty batch was created")
		}
		var n int
		db.SQL().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM annual_batches) + (SELECT count(*) FROM annual_uploads) + (SELECT count(*) FROM jobs)").Scan(&n)
		if n != 0 {
			t.Errorf("%d rows left by refused batches", n)
		}
	})
}

func mustFileID(t *testing.T, db *store.DB, batchID int64, name string) int64 {
	t.Helper()
	fs, err := db.AnnualBatchFiles(ctx, batchID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name == name {
			return f.ID
		}
	}
	t.Fatalf("no file %s", name)
	return 0
}
