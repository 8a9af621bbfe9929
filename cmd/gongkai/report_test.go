package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const reportTestdata = "../../internal/annual/testdata/"

// reportRun runs "gongkai report args..." in-process.
func reportRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = reportCmd(args, &out, &errb)
	return code, out.String(), errb.String()
}

// reportCanonical re-marshals a document, leaving out the findings' ids
// (hashes no golden file writes by hand; internal/annual tests them).
func reportCanonical(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b)
	}
	var strip func(v any)
	strip = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				strip(e)
			}
		case map[string]any:
			if fs, ok := x["findings"].([]any); ok {
				for _, f := range fs {
					if m, ok := f.(map[string]any); ok {
						delete(m, "id")
					}
				}
			}
		}
	}
	strip(v)
	out, _ := json.Marshal(v)
	return string(out)
}

func TestReportCheckSummary(t *testing.T) {
	code, out, errs := reportRun(t, "check", reportTestdata+"hongze_district_2023.txt", reportTestdata+"fuzhou_customs_2024.txt")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, s := range []string{
		"洪泽区人民政府 2023年度",
		"检查结果：2个错误，2个提示",
		"错误 T4.SUM（table4.reconsideration）：行政复议：结果维持、结果纠正、其他结果、尚未审结之和为11，总计栏为0",
		"提示 FORMAT（table3.rows.withheld_prohibited_by_law）",
		"福州海关（本级机关） 2024年度",
		"表三：本年新收6件，上年结转0件，办理完结6件（予以公开2，部分公开0，不予公开0，无法提供0，不予处理0，其他处理4），结转下年度0件",
		"检查结果：未发现问题",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("summary lacks %q:\n%s", s, out)
		}
	}
}

// --json prints the document of annual-report-json.md, findings included; it
// matches the golden file written by hand.
func TestReportCheckJSON(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--json", reportTestdata + "hongze_district_2023.txt"},
		{"check", reportTestdata + "hongze_district_2023.txt", "--json"},
	} {
		code, out, errs := reportRun(t, args...)
		if code != 0 || errs != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
		}
		golden, err := os.ReadFile(reportTestdata + "hongze_district_2023.golden.json")
		if err != nil {
			t.Fatal(err)
		}
		if reportCanonical(t, []byte(out)) != reportCanonical(t, golden) {
			t.Errorf("%v: output differs from the golden file:\n%s", args, out)
		}
		if !strings.Contains(out, `"received": [21, 0, 0, 0, 0, 0, 21],`) {
			t.Errorf("rows should print on one line:\n%s", out[:min(len(out), 800)])
		}
	}

	// Several files: an array, in the order given.
	code, out, _ := reportRun(t, "check", "--json", reportTestdata+"huaian_city_2024.txt", reportTestdata+"fuzhou_customs_2024.html")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatalf("not an array: %v", err)
	}
	if len(docs) != 2 || docs[0]["unit"] != "淮安市人民政府" || docs[1]["unit"] != "福州海关（本级机关）" {
		t.Errorf("docs %v", docs)
	}
	for _, d := range docs {
		if d["format"] != "gongkai.annual-report/v1" {
			t.Errorf("format %v", d["format"])
		}
		if f, ok := d["findings"].([]any); !ok || len(f) != 0 {
			t.Errorf("findings %v", d["findings"])
		}
	}
}

// A file that is not a report: exit 2 with the reason on stderr; the others
// are still checked.
func TestReportCheckUnreadable(t *testing.T) {
	dir := t.TempDir()
	notice := filepath.Join(dir, "notice.txt")
	os.WriteFile(notice, []byte("关于做好值班工作的通知\n请各单位做好安排。\n"), 0o644)
	code, out, errs := reportRun(t, "check", "--json", notice, reportTestdata+"huaian_city_2024.txt", filepath.Join(dir, "missing.txt"))
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	for _, s := range []string{
		notice + "：不是政府信息公开工作年度报告：未找到表三（收到和处理政府信息公开申请情况）",
		"missing.txt：文件不存在或无法打开",
	} {
		if !strings.Contains(errs, s) {
			t.Errorf("stderr lacks %q: %s", s, errs)
		}
	}
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 1 {
		t.Errorf("the readable file is still printed: %v %s", err, out)
	}
}

// Two consecutive years of one unit: YEAR.* apply to the later one.
func TestReportCheckYears(t *testing.T) {
	src, err := os.ReadFile(reportTestdata + "minimal_2021.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	y2024 := filepath.Join(dir, "2024.txt")
	y2023 := filepath.Join(dir, "2023.txt")
	os.WriteFile(y2024, src, 0o644)
	// The same unit's 2023 report, printed with full-width brackets off: it
	// carried 2 applications forward, and 2024 says 1 was carried over.
	old := strings.NewReplacer(
		"示例市示例局2024年", "示例市示例局 2023年",
		"2024年，本机关共收到政府信息公开申请3件", "本机关共收到政府信息公开申请4件",
		"1件结转下一年度办理", "2件结转下一年度办理",
		"一、本年新收政府信息公开申请数量\t\t\t2\t1\t0\t0\t0\t0\t3", "一、本年新收政府信息公开申请数量\t\t\t3\t1\t0\t0\t0\t0\t4",
		"四、结转下年度继续办理\t\t\t1\t0\t0\t0\t0\t0\t1", "四、结转下年度继续办理\t\t\t2\t0\t0\t0\t0\t0\t2",
		"规章\t1\t0\t5", "规章\t1\t0\t4",
		"行政规范性文件\t2\t1\t10", "行政规范性文件\t2\t1\t9",
	).Replace(string(src))
	os.WriteFile(y2023, []byte(old), 0o644)

	code, out, errs := reportRun(t, "check", "--json", y2024, y2023)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var docs []struct {
		Year     int `json:"year"`
		Findings []struct {
			Rule  string `json:"rule"`
			Where string `json:"where"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	if docs[1].Year != 2023 || len(docs[1].Findings) != 0 {
		t.Errorf("2023 findings %+v", docs[1])
	}
	var got []string
	for _, f := range docs[0].Findings {
		got = append(got, f.Rule+" "+f.Where)
	}
	want := "YEAR.CARRY table3.rows.carried_over[0];YEAR.CARRY table3.rows.carried_over[6]"
	if strings.Join(got, ";") != want {
		t.Errorf("2024 findings %v, want %s", got, want)
	}
}

func TestReportCheckCSV(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"hongze_district_2023.txt", "huaian_city_2024.txt", "fuzhou_customs_2024.html"} {
		b, err := os.ReadFile(reportTestdata + name)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
		os.WriteFile(filepath.Join(dir, "sub", name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "broken.docx"), []byte("not a zip"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("ignored"), 0o644)

	code, out, errs := reportRun(t, "check", "--csv", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("no progress bar when stderr is not a terminal, got %q", errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The columns of the first version, unchanged, then those added after
	// them: form, unreadable, and the findings by status.
	want := [][]string{
		{"file", "unit", "year", "template", "received", "total_handled", "carried_forward", "errors", "warnings", "rules", "read_error", "form", "unreadable", "fail", "doubt", "unknown"},
		{"broken.docx", "", "", "", "", "", "", "", "", "", "DOCX 文件已损坏，无法解压", "", "1", "", "", ""},
		{"sub/fuzhou_customs_2024.html", "福州海关（本级机关）", "2024", "2021", "6", "6", "0", "0", "0", "", "", "html", "0", "0", "0", "0"},
		{"sub/hongze_district_2023.txt", "洪泽区人民政府", "2023", "2021", "21", "21", "0", "2", "2", "T4.SUM;FORMAT", "", "text", "0", "4", "0", "0"},
		{"sub/huaian_city_2024.txt", "淮安市人民政府", "2024", "2021", "3119", "3050", "103", "0", "0", "", "", "text", "0", "0", "0", "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows:\n%s", out)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}

func TestReportUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "用法："},
		{[]string{"build"}, 2, "未知的子命令“build”"},
		{[]string{"check"}, 2, "请给出要检查的年度报告文件"},
		{[]string{"check", "--frobnicate", "a.txt"}, 2, "未知的选项 -frobnicate"},
		{[]string{"check", "--csv"}, 2, "选项 -csv 需要一个值"},
		{[]string{"check", "--csv", ".", "--json"}, 2, "--csv 与 --json 不能同时使用"},
		{[]string{"check", "--csv", ".", "a.txt"}, 2, "--csv 只接受一个目录"},
		{[]string{"check", "--csv", "/nonexistent/dir"}, 2, "目录不存在或无法打开"},
		{[]string{"check", reportTestdata}, 2, "这是一个目录"},
	} {
		code, out, errs := reportRun(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d stderr %q stdout %q; want %d and %q", tc.args, code, errs, out, tc.code, tc.want)
		}
	}
	code, out, _ := reportRun(t, "check", "-h")
	if code != 0 || !strings.Contains(out, "gongkai report check --csv 目录") {
		t.Errorf("help: %d %q", code, out)
	}
}

// --csv takes a zip as well as a folder: PDFs and the other forms, names a
// Windows tool wrote in GBK, a bad file among good ones (the batch goes on),
// and a Mac's resource forks passed over.
func TestReportCheckCSVZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte, gbkName bool) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		if gbkName {
			n, err := simplifiedchinese.GBK.NewEncoder().String(name)
			if err != nil {
				t.Fatal(err)
			}
			h.Name, h.NonUTF8 = n, true
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(reportTestdata + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	add("2024/福州海关.pdf", read("pdf/fuzhou_customs_2024.libreoffice.pdf"), true)
	add("2023/hongze.pdf", read("pdf/hongze_district_2023.chromium.pdf"), false)
	add("2024/huaian.txt", read("huaian_city_2024.txt"), false)
	add("2024/scan.pdf", []byte("%PDF-1.4\n garbage"), false)
	add("__MACOSX/2024/._huaian.txt", []byte("\x00\x05\x16\x07"), false)
	add("readme.md", []byte("ignored"), false)
	zw.Close()
	name := filepath.Join(t.TempDir(), "reports.zip")
	os.WriteFile(name, buf.Bytes(), 0o644)

	code, out, errs := reportRun(t, "check", "--csv", name)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"file", "unit", "year", "template", "received", "total_handled", "carried_forward", "errors", "warnings", "rules", "read_error", "form", "unreadable", "fail", "doubt", "unknown"},
		{"2023/hongze.pdf", "洪泽区人民政府", "2023", "2021", "21", "21", "0", "2", "2", "T4.SUM;FORMAT", "", "pdf", "0", "4", "0", "0"},
		{"2024/huaian.txt", "淮安市人民政府", "2024", "2021", "3119", "3050", "103", "0", "0", "", "", "text", "0", "0", "0", "0"},
		{"2024/scan.pdf", "", "", "", "", "", "", "", "", "", "PDF 文件已损坏，无法解析其结构", "", "1", "", "", ""},
		{"2024/福州海关.pdf", "福州海关（本级机关）", "2024", "2021", "6", "6", "0", "0", "0", "", "", "pdf", "0", "0", "0", "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows:\n%s", out)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d\n got %q\nwant %q", i, rows[i], want[i])
		}
	}

	// A file that is neither a folder nor a zip.
	plain := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(plain, []byte("hello"), 0o644)
	if code, _, errs := reportRun(t, "check", "--csv", plain); code != 2 || !strings.Contains(errs, "不是目录，也不是可读的 ZIP 文件") {
		t.Errorf("plain file: exit %d, %q", code, errs)
	}
}

// A PDF given by name reads like any other form.
func TestReportCheckPDF(t *testing.T) {
	code, out, errs := reportRun(t, "check", reportTestdata+"pdf/fuzhou_customs_2024.chromium.pdf")
	if code != 0 || errs != "" || !strings.Contains(out, "检查结果：未发现问题") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
}
