package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/demo"
	"gongkai/internal/rcep/rceptest"
	"gongkai/internal/rcep/sample"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// uploadRCEP posts a tariff file to the back office's import form.
func (b *browser) uploadRCEP(csrf, name string, data []byte, mode string) (int, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	mw.WriteField("mode", mode)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+"/admin/rcep/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// lineOf is the line number (from 1) of the first line of the file that
// starts with prefix.
func lineOf(t *testing.T, file, prefix string) int {
	t.Helper()
	for i, l := range strings.Split(file, "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("no line starts with %q", prefix)
	return 0
}

// badSample is the sample data with a malformed HS code and an MFN rate
// out of range, and the lines they are on.
func badSample(t *testing.T) (file string, hsLine, rateLine int) {
	bad := strings.Replace(string(sample.CSV), "最惠国,CN,08052100,12", "最惠国,CN,08052100,1200", 1)
	bad = strings.Replace(bad, "商品,0805.21.00,", "商品,0805.2I.00,", 1)
	return bad, lineOf(t, bad, "商品,0805.2I.00,"), lineOf(t, bad, "最惠国,CN,08052100,1200")
}

// The back office imports an Excel workbook like a CSV file: errors by the
// sheet's row numbers, the refused workbook kept for importing its good
// rows, a good workbook imported; an old .xls is refused with what to do.
func TestRCEPBackOfficeXLSX(t *testing.T) {
	app := startApp(t, demoCopy(t))
	b := newBrowser(t, app.URL)
	if status, _ := b.login("admin", demo.Password); status != 200 {
		t.Fatalf("login %d", status)
	}
	status, page := b.get("/admin/rcep")
	if status != 200 || !strings.Contains(page, `accept=".csv,.xlsx,`) || !strings.Contains(page, "Excel 工作簿（.xlsx") {
		t.Fatalf("the form should take .xlsx files: %d\n%.3000s", status, page)
	}
	csrf := csrfOf(t, page)

	bad, hsLine, rateLine := badSample(t)
	status, body := b.uploadRCEP(csrf, "bad.xlsx", rceptest.FromCSV(t, []byte(bad), "税率数据"), "all")
	if status != 422 || !strings.Contains(body, "导入未成功") ||
		!strings.Contains(body, "第 "+strconv.Itoa(hsLine)+" 行：税号“0805.2I.00”格式不正确") ||
		!strings.Contains(body, "第 "+strconv.Itoa(rateLine)+" 行：最惠国税率“1200”超出范围") {
		t.Fatalf("bad workbook: %d\n%.3000s", status, body)
	}
	m := regexp.MustCompile(`name="upload" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no choice offered after a refused workbook:\n%.3000s", body)
	}
	status, body = b.post("/admin/rcep/import", url.Values{"csrf": {csrf}, "upload": {m[1]}, "mode": {"good"}})
	if status != 200 || !strings.Contains(body, "已导入税率数据版本 #2") || !strings.Contains(body, "跳过有错误的记录") {
		t.Fatalf("good rows of the kept workbook: %d\n%.3000s", status, body)
	}

	next := strings.Replace(string(sample.CSV), "版本,2022-01-01,", "版本,2027-01-01,", 1)
	status, body = b.uploadRCEP(csrf, "2027.xlsx", rceptest.FromCSV(t, []byte(next), "Sheet1"), "all")
	if status != 200 || !strings.Contains(body, "已导入税率数据版本 #3") || !strings.Contains(body, "2027-01-01") {
		t.Fatalf("good workbook: %d\n%.2000s", status, body)
	}
	status, page = b.get("/admin/rcep/versions/3")
	if status != 200 || !strings.Contains(page, "中国—东盟") || !strings.Contains(page, "0805.21.00") {
		t.Fatalf("version page %d:\n%.2000s", status, page)
	}

	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	status, body = b.uploadRCEP(csrf, "old.xls", xls, "all")
	if status != 422 || !strings.Contains(body, "旧版 Excel 文件（.xls）") || !strings.Contains(body, "另存为") {
		t.Fatalf(".xls: %d\n%.2000s", status, body)
	}
	status, body = b.uploadRCEP(csrf, "huge.xlsx", append([]byte("PK\x03\x04"), make([]byte, 33<<20)...), "all")
	if status != 422 || !strings.Contains(body, "文件过大") {
		t.Fatalf("a file over the limit: %d\n%.2000s", status, body)
	}
	status, page = b.get("/admin/rcep")
	if status != 200 || strings.Contains(page, "#4") {
		t.Fatalf("refused files must not make versions:\n%.3000s", page)
	}
}

// The command line takes a workbook with the same contract: errors by row
// on stderr and exit 1, a good workbook imported with exit 0.
func TestRCEPImportXLSXCommand(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	dir := t.TempDir()
	bad, hsLine, rateLine := badSample(t)
	badPath := dir + "/bad.xlsx"
	if err := os.WriteFile(badPath, rceptest.FromCSV(t, []byte(bad), "Sheet1"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", "rcep", "import", badPath, "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "第 "+strconv.Itoa(hsLine)+" 行：税号“0805.2I.00”格式不正确") ||
		!strings.Contains(errOut, "第 "+strconv.Itoa(rateLine)+" 行：最惠国税率“1200”超出范围") || out != "" {
		t.Fatalf("bad workbook: %d %q %s", code, out, errOut)
	}
	code, out, errOut = run(t, "", "rcep", "import", badPath, "--mode", "good", "--db", dsn)
	if code != 0 || !strings.Contains(out, "已导入税率数据版本 #1") || !strings.Contains(out, "已跳过 第 "+strconv.Itoa(hsLine)+" 行") {
		t.Fatalf("good rows: %d %s %s", code, out, errOut)
	}
	// The content decides: a workbook named .csv is read as a workbook.
	good := dir + "/good.csv"
	if err := os.WriteFile(good, rceptest.FromCSV(t, sample.CSV, "Sheet1"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "", "rcep", "import", good, "--db", dsn)
	if code != 0 || !strings.Contains(out, "已导入税率数据版本 #2（2022-01-01 起生效）") {
		t.Fatalf("good workbook: %d %s %s", code, out, errOut)
	}
	xls := dir + "/old.xls"
	if err := os.WriteFile(xls, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "rcep", "import", xls, "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "旧版 Excel 文件（.xls）") {
		t.Fatalf(".xls: %d %s", code, errOut)
	}
	big := dir + "/big.xlsx"
	if err := os.WriteFile(big, make([]byte, 33<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "rcep", "import", big, "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "文件过大") {
		t.Fatalf("big file: %d %s", code, errOut)
	}
	code, out, _ = run(t, "", "rcep", "versions", "--db", dsn)
	if code != 0 || !strings.Contains(out, "bad.xlsx") || !strings.Contains(out, "good.csv") || strings.Contains(out, "#3") {
		t.Fatalf("versions: %d %s", code, out)
	}
}
