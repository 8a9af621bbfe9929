package main

import (
	"archive/zip"
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

func (b *browser) upload(path, csrf string, files map[string][]byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	for name, data := range files {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// A statistician uploads published reports, sees their findings on the
// cells in the official layout, and imports the unit's own report as
// history.
func TestAnnualReportPages(t *testing.T) {
	seed, err := os.ReadFile("../../internal/annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	hongze, err := os.ReadFile("../../internal/annual/testdata/hongze_district_2023.txt")
	if err != nil {
		t.Fatal(err)
	}
	app := startApp(t, demoCopy(t))
	b := newBrowser(t, app.URL)
	if code, _ := b.login("stats", demo.Password); code != 200 {
		t.Fatal("login")
	}
	_, page := b.get("/admin/reports")
	token := csrfOf(t, page)
	huaianPDF, err := os.ReadFile("../../internal/annual/testdata/pdf/huaian_city_2024.chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("2024/huaian.txt")
	w.Write(seed)
	zw.Close()
	code, page := b.upload("/admin/reports/check", token, map[string][]byte{
		"fuzhou_2024.txt": seed, "hongze_2023.txt": hongze, "notes.txt": []byte("会议纪要：今天讨论了食堂菜单。"),
		"huaian_2024.pdf": huaianPDF, "broken.pdf": []byte("%PDF-1.4\n garbage"), "reports.zip": zipped.Bytes(),
	})
	if code != 200 {
		t.Fatalf("check: %d %.500s", code, page)
	}
	for _, want := range []string{
		"福州海关（本级机关）2024年", "未发现问题", // the seed reads clean
		"错误 2 处", "表四合计", "cell-error", // 洪泽 table 四 totals
		"4. 申请人撤销申请",               // the customs variant rows
		"不是政府信息公开工作年度报告",           // the note is refused with a reason
		"淮安市人民政府2024年政府信息公开工作年度报告", // the PDF is read
		"PDF 文件已损坏，无法解析其结构",        // a broken PDF gets its sentence
		"这是 ZIP 压缩包",               // and a zip
	} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	// The 洪泽 total cell of 行政复议 carries the finding's number, linked to
	// the list of its own report; no rule's code or JSON path is shown.
	if !regexp.MustCompile(`<td class="num cell-error">\d+<sup class="finding-refs"><a href="#finding-r\d-\d+">`).MatchString(page) {
		t.Error("no finding marked on a table 四 cell")
	}
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, "")
	for _, code := range []string{"T4.SUM", "table4.", "table3.rows"} {
		if strings.Contains(text, code) {
			t.Errorf("the page shows %q", code)
		}
	}
	var seedSection, hongzeSection string
	for _, sec := range strings.Split(page, `<section class="report-result">`) {
		switch {
		case strings.Contains(sec, "福州海关（本级机关）2024年"):
			seedSection = sec
		case strings.Contains(sec, "洪泽区人民政府"):
			hongzeSection = sec
		}
	}
	m := regexp.MustCompile(`name="upload" value="(\d+)"[\s\S]*?<option value="(\d+)" selected>[　]*福州海关</option>`).FindStringSubmatch(seedSection)
	if m == nil {
		t.Fatal("no import form preselecting 福州海关")
	}
	// A report of another unit is not imported into 福州海关 by mistake.
	other := regexp.MustCompile(`name="upload" value="(\d+)"`).FindStringSubmatch(hongzeSection)
	if code, page := b.post("/admin/reports/import", url.Values{"csrf": {token}, "upload": {other[1]}, "unit": {m[2]}}); code != 422 || !strings.Contains(page, "不一致") {
		t.Fatalf("import of another unit's report: %d", code)
	}
	form := url.Values{"csrf": {token}, "upload": {m[1]}, "unit": {m[2]}}
	code, page = b.post("/admin/reports/import", form)
	if code != 200 || !strings.Contains(page, "已将《福州海关（本级机关）2024年") || !strings.Contains(page, "历史年报") {
		t.Fatalf("import: %d %.300s", code, page)
	}
	if code, page := b.post("/admin/reports/import", form); code != http.StatusConflict || !strings.Contains(page, "不能重复导入") {
		t.Fatalf("second import: %d", code)
	}
	if _, page := b.get("/admin/reports"); !strings.Contains(page, "/admin/reports/history/") {
		t.Fatal("history list lacks the import")
	}
	// Another role cannot reach the page.
	h := newBrowser(t, app.URL)
	h.login("editor", demo.Password)
	if code, _ := h.get("/admin/reports"); code != http.StatusForbidden {
		t.Fatalf("editor on reports: %d", code)
	}
}
