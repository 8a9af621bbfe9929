package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
	"gongkai/internal/jobs"
	"gongkai/internal/store/storetest"
)

// zipFiles is a zip of the files given, in order.
func zipFiles(t testing.TB, files ...upFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var batchRE = regexp.MustCompile(`<h1>批量检查：([^<]+)</h1>`)

func TestAnnualBatchPages(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) { testAnnualBatchPages(t, newReportEnv(t, d)) })
	}
}

func testAnnualBatchPages(t *testing.T, e *reportEnv) {
	ctx := context.Background()
	stats := e.client()
	csrf := stats.demoLogin("stats")
	runner := &jobs.Runner{Store: e.db, Worker: "test", Handlers: map[string]jobs.Handler{annual.BatchJobKind: annual.BatchJob(e.db, 2)}}

	// A zip of reports in every form, one broken, one no report, one file
	// of another kind (passed over); and a file chosen alone that is no
	// report (its reason).
	z := zipFiles(t,
		upFile{"2024/福州海关.txt", withReconsiderationTotal(t, "3")},
		upFile{"2024/福州海关.docx", testdata(t, "pdf/fuzhou_customs_2024.libreoffice.docx")},
		upFile{"2024/淮安市.pdf", testdata(t, "pdf/huaian_city_2024.chromium.pdf")},
		upFile{"2023/洪泽区.pdf", testdata(t, "pdf/hongze_district_2023.chromium.pdf")},
		upFile{"2024/scan.pdf", []byte("%PDF-1.4\n garbage")},
		upFile{"2024/notes.txt", []byte("会议纪要：今天讨论了食堂菜单。")},
		upFile{"2024/photo.jpg", []byte("\xff\xd8\xff")},
	)
	code, page := stats.upload(batchUploadPath, csrf, "files", upFile{"reports.zip", z}, upFile{"说明.doc", []byte("\xD0\xCF\x11\xE0")})
	if code != 200 {
		t.Fatalf("upload: %d", code)
	}
	mustHave(t, page, "已上传 7 份报告，正在检查。", `<meta http-equiv="refresh" content="3">`, `<progress id="batch-progress" max="7" value="1">`, "本页每 3 秒自动刷新")
	batch := regexp.MustCompile(`href="(/admin/reports/batches/\d+)\?dir=`).FindStringSubmatch(page)
	if batch == nil {
		t.Fatal("no batch page")
	}
	base := batch[1]
	id := strings.TrimPrefix(base, batchUploadPath+"/")
	// One run of two files: the progress moves, the page still refreshes.
	var bid int64
	fmt.Sscan(id, &bid)
	if done, err := annual.CheckBatch(ctx, e.db, bid, 2); err != nil || done {
		t.Fatalf("chunk: %v %v", done, err)
	}
	_, page = stats.get(base)
	mustHave(t, page, `value="3"`, "已完成 3 / 7", `http-equiv="refresh"`)
	// The export waits for the end.
	if code, _ := stats.get(base + "/summary.xlsx"); code != 409 {
		t.Errorf("export while running: %d", code)
	}
	if _, err := runner.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	_, page = stats.get(base)
	mustHave(t, page, "已全部检查完毕", `value="7"`, "读出报告 4 份，无法读取 3 份",
		"PDF 文件已损坏，无法解析其结构", "不是政府信息公开工作年度报告", "不是年度报告文件", "洪泽区人民政府", "淮安市人民政府")
	mustLack(t, page, `http-equiv="refresh"`, "photo.jpg")

	// Sorted by errors, largest first: 洪泽区 (2) then 福州海关.txt (1). A zip
	// uploaded with other files lists its reports under its name.
	files := func(page string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<tr(?: class="unreadable")?>\n<td>(?:<a href="[^"]+">)?([^<]+)`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		return out
	}
	_, page = stats.get(base + "?sort=errors")
	if got := files(page); len(got) != 7 || got[0] != "reports.zip/2023/洪泽区.pdf" || got[1] != "reports.zip/2024/福州海关.txt" {
		t.Errorf("by errors: %q", got)
	}
	mustHave(t, page, `aria-sort="descending"`, "?dir=asc&amp;sort=errors")
	_, page = stats.get(base + "?sort=year&dir=desc")
	if got := files(page); got[0] != "reports.zip/2024/淮安市.pdf" || got[3] != "reports.zip/2023/洪泽区.pdf" {
		t.Errorf("by year: %q", got) // 2024 in the batch's order, then 2023, then the unreadable
	}
	_, page = stats.get(base + "?sort=unreadable&dir=asc")
	if got := files(page); got[0] != "reports.zip/2023/洪泽区.pdf" || got[4] != "reports.zip/2024/notes.txt" {
		t.Errorf("by unreadable: %q", got)
	}
	_, page = stats.get(base + "?sort=nonsense")
	if got := files(page); got[0] != "reports.zip/2023/洪泽区.pdf" || got[len(got)-1] != "说明.doc" {
		t.Errorf("by name: %q", got)
	}

	// One click to a report's marked-up tables.
	link := regexp.MustCompile(`<a href="(` + regexp.QuoteMeta(base) + `/files/\d+)">reports.zip/2024/福州海关.txt</a>`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no link to the report")
	}
	_, page = stats.get(link[1])
	mustHave(t, page, "福州海关（本级机关）2024年", "错误 1 处", `<td class="num cell-error">3<sup class="finding-refs">`, "表四合计")
	// Dismissed there: the summary no longer counts it.
	fid := find(t, findingRE, page)[1]
	code, page = stats.post(link[1]+"/decide", url.Values{"csrf": {csrf}, "finding": {fid}, "verdict": {"dismiss"}, "reason": {"上级已核实"}})
	if code != 200 {
		t.Fatalf("dismiss: %d", code)
	}
	mustHave(t, page, "已排除的问题", "上级已核实")
	_, page = stats.get(base + "?sort=errors")
	if got := files(page); got[0] != "reports.zip/2023/洪泽区.pdf" || got[1] == "reports.zip/2024/福州海关.txt" {
		t.Errorf("after the dismissal: %q", got)
	}
	mustHave(t, page, "（已排除 1）", "另有 1 处经复核排除")

	// The exports: the CSV columns of report check --csv, then dismissed.
	code, body := stats.get(base + "/summary.csv")
	if code != 200 {
		t.Fatalf("csv: %d", code)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 8 {
		t.Fatalf("csv rows %d %v", len(rows), err)
	}
	if want := strings.Join(append(annual.BatchHeader(), "dismissed"), ","); strings.Join(rows[0], ",") != want {
		t.Errorf("csv header %q", rows[0])
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[0]] = r
	}
	if r := byName["reports.zip/2024/福州海关.txt"]; r[1] != "福州海关（本级机关）" || r[7] != "0" || r[16] != "1" {
		t.Errorf("fuzhou row %q", r)
	}
	if r := byName["reports.zip/2024/淮安市.pdf"]; r[11] != "pdf" || r[4] != "3119" || r[12] != "0" {
		t.Errorf("huaian row %q", r)
	}
	if r := byName["reports.zip/2024/scan.pdf"]; r[12] != "1" || !strings.Contains(r[10], "PDF 文件已损坏") {
		t.Errorf("scan row %q", r)
	}
	if r := byName["reports.zip/2024/福州海关.docx"]; r[11] != "docx" || r[7] != "0" {
		t.Errorf("docx row %q", r)
	}
	code, body = stats.get(base + "/summary.xlsx")
	if code != 200 {
		t.Fatalf("xlsx: %d", code)
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet, err := x.GetRows(export.SheetSummary)
	if err != nil || len(sheet) != 8 {
		t.Fatalf("xlsx rows %d %v", len(sheet), err)
	}
	if sheet[0][0] != "文件" || sheet[0][7] != "错误" || sheet[0][16] != "已排除" {
		t.Errorf("xlsx header %q", sheet[0])
	}
	for i := 1; i < len(sheet); i++ {
		if strings.Join(sheet[i], "|") != strings.TrimRight(strings.Join(rows[i], "|"), "|") {
			t.Errorf("xlsx row %d differs from the csv:\n%q\n%q", i, sheet[i], rows[i])
		}
	}
	cell, _ := excelize.CoordinatesToCellName(5, 2)
	if typ, err := x.GetCellType(export.SheetSummary, cell); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a count is not a number: %v %v", typ, err)
	}
	keys, _ := x.GetRows(export.SheetColumns)
	if len(keys) != len(annual.BatchColumns)+2 || keys[1][1] != "file" {
		t.Errorf("columns sheet %q", keys)
	}

	// The batch is its uploader's (and administrators'); others may not see it.
	head := e.client()
	head.demoLogin("head")
	if code, _ := head.get(base); code != 403 {
		t.Errorf("office head: %d", code)
	}
	admin := e.client()
	admin.demoLogin("admin")
	if code, _ := admin.get(base); code != 200 {
		t.Errorf("administrator: %d", code)
	}
	_, page = stats.get(batchUploadPath)
	mustHave(t, page, "reports.zip 等 2 个文件", "已完成")
}

// An upload beyond the bounds is refused with one sentence, nothing stored.
func TestAnnualBatchBounds(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			e := newReportEnv(t, d)
			stats := e.client()
			csrf := stats.demoLogin("stats")
			many := make([]upFile, maxBatchFiles+1)
			for i := range many {
				many[i] = upFile{fmt.Sprintf("r%04d.txt", i), []byte("x")}
			}
			code, page := stats.upload(batchUploadPath, csrf, "files", upFile{"many.zip", zipFiles(t, many...)})
			if code != 422 || !strings.Contains(page, "超过 1000 份") {
				t.Errorf("too many files: %d", code)
			}
			// A zip entry that does not inflate is one file with its reason;
			// the others are stored.
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, f := range []upFile{{"a.txt", testdata(t, "fuzhou_customs_2024.txt")}, {"b.txt", bytes.Repeat([]byte("损"), 100)}} {
				w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
				w.Write(f.data)
			}
			zw.Close()
			corrupt := bytes.Replace(buf.Bytes(), bytes.Repeat([]byte("损"), 10), bytes.Repeat([]byte("坏"), 10), 1)
			code, page = stats.upload(batchUploadPath, csrf, "files", upFile{"corrupt.zip", corrupt})
			if code != 200 {
				t.Fatalf("a zip with a corrupt entry: %d", code)
			}
			mustHave(t, page, "已上传 2 份报告", "b.txt", "ZIP 文件中的这个文件已损坏，无法解压")
			var stored int
			e.db.SQL().QueryRowContext(context.Background(), "SELECT count(*) FROM annual_batch_files WHERE upload_id IS NOT NULL").Scan(&stored)
			if stored != 1 {
				t.Errorf("%d files stored, want the good one", stored)
			}
			e.db.SQL().ExecContext(context.Background(), "DELETE FROM annual_batch_files")
			e.db.SQL().ExecContext(context.Background(), "DELETE FROM annual_batches")

			code, page = stats.upload(batchUploadPath, csrf, "folder", upFile{"docs/readme.md", []byte("x")})
			if code != 422 || !strings.Contains(page, "没有可检查的年度报告文件") {
				t.Errorf("a folder without reports: %d", code)
			}
			if code, _ = stats.upload(batchUploadPath, csrf, "files"); code != 422 {
				t.Errorf("nothing chosen: %d", code)
			}
			var n int
			e.db.SQL().QueryRowContext(context.Background(), "SELECT count(*) FROM annual_batches").Scan(&n)
			if n != 0 {
				t.Errorf("%d batches stored", n)
			}
			// Declared larger than the bound: refused before it is read.
			req := httptest.NewRequest("POST", batchUploadPath, strings.NewReader("x"))
			req.ContentLength = maxBatchBody + 1
			req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
			rec := httptest.NewRecorder()
			e.server.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "提交的内容过大（不超过 257 MB）") {
				t.Errorf("declared too large: %d", rec.Code)
			}
			// Another role may not use the page.
			editor := e.client()
			editor.demoLogin("editor")
			if code, _ := editor.get(batchUploadPath); code != 403 {
				t.Errorf("editor: %d", code)
			}
		})
	}
}
