package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/store/storetest"
)

// upFile is a file of a multipart upload.
type upFile struct {
	name string
	data []byte
}

// upload posts files as a multipart form (each under field), with the
// session's token.
func (c *client) upload(path, csrf, field string, files ...upFile) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	for _, f := range files {
		w, err := mw.CreateFormFile(field, f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return c.do("POST", path, &body, mw.FormDataContentType())
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../annual/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withReconsiderationTotal is the seed's text with table 四's 行政复议 total
// printed as n (the seed prints 0 throughout): a T4.SUM error whose id
// carries n.
func withReconsiderationTotal(t testing.TB, n string) []byte {
	lines := strings.Split(string(testdata(t, "fuzhou_customs_2024.txt")), "\n")
	for i, l := range lines {
		if l == "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" {
			lines[i] = "0\t0\t0\t0\t" + n + "\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"
			return []byte(strings.Join(lines, "\n"))
		}
	}
	t.Fatal("no row of table 四 in the seed")
	return nil
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// visibleText is a page without its markup.
func visibleText(page string) string { return tagRE.ReplaceAllString(page, "") }

var (
	uploadRE  = regexp.MustCompile(`/admin/reports/uploads/(\d+)/decide`)
	findingRE = regexp.MustCompile(`name="finding" value="([^"]+)"`)
)

func TestAnnualCheckPages(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) { testAnnualCheckPages(t, newReportEnv(t, d)) })
	}
}

func testAnnualCheckPages(t *testing.T, e *reportEnv) {
	stats := e.client()
	csrf := stats.demoLogin("stats")

	// A PDF is read and checked like the other forms; a broken one gets its
	// sentence and the rest go on.
	code, page := stats.upload("/admin/reports/check", csrf, "file",
		upFile{"huaian.pdf", testdata(t, "pdf/huaian_city_2024.chromium.pdf")},
		upFile{"broken.pdf", []byte("%PDF-1.4\n garbage")},
		upFile{"fuzhou.txt", withReconsiderationTotal(t, "3")})
	if code != 200 {
		t.Fatalf("check: %d", code)
	}
	mustHave(t, page, "淮安市人民政府2024年政府信息公开工作年度报告", "读自：PDF", "PDF 文件已损坏，无法解析其结构",
		"错误 1 处", "表四合计", `<td class="num cell-error">3<sup class="finding-refs"><a href="#finding-r3-1">1</a>`)
	mustLack(t, visibleText(page), "T4.SUM", "table4.reconsideration") // codes and paths only in the forms' values
	up := find(t, uploadRE, page)[1]
	fid := find(t, findingRE, page)[1]
	decide := "/admin/reports/uploads/" + up + "/decide"

	// Another role: the page is not theirs; nor a decision.
	head := e.client()
	headCSRF := head.demoLogin("head")
	if code, _ := head.get("/admin/reports/uploads/" + up); code != 403 {
		t.Errorf("office head on an upload: %d", code)
	}
	if code, _ := head.post(decide, url.Values{"csrf": {headCSRF}, "finding": {fid}, "verdict": {"dismiss"}, "reason": {"x"}}); code != 403 {
		t.Errorf("office head deciding: %d", code)
	}
	// A decision without its reason: the page again, the message on the form.
	code, page = stats.post(decide, url.Values{"csrf": {csrf}, "finding": {fid}, "verdict": {"dismiss"}, "reason": {" "}})
	if code != 422 {
		t.Fatalf("no reason: %d", code)
	}
	mustHave(t, page, "请写明理由", `<details class="decide" open>`, `id="f-reason"`)
	// Nor a finding the report does not have.
	if code, _ := stats.post(decide, url.Values{"csrf": {csrf}, "finding": {"T4.SUM-000000000000"}, "verdict": {"dismiss"}, "reason": {"x"}}); code != 404 {
		t.Errorf("an unknown finding: %d", code)
	}

	// Dismissed with its reason: listed apart, not counted.
	code, page = stats.post(decide, url.Values{"csrf": {csrf}, "finding": {fid}, "verdict": {"dismiss"}, "reason": {"总计栏按上级口径另行统计"}})
	if code != 200 {
		t.Fatalf("dismiss: %d", code)
	}
	mustHave(t, page, "已排除：表四合计", "已排除的问题（不计入错误和警告）", "排除理由：总计栏按上级口径另行统计（stats，", "未发现问题", "另有 1 处已排除")
	mustLack(t, page, "cell-error")
	var n int
	if err := e.db.SQL().QueryRowContext(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'annual.decide_finding'").Scan(&n); err != nil || n != 1 {
		t.Errorf("audit entries: %d %v", n, err)
	}

	// Checked again: the same finding stays dismissed; a new number is a new
	// finding, shown and counted.
	_, page = stats.upload("/admin/reports/check", csrf, "file", upFile{"again.txt", withReconsiderationTotal(t, "3")})
	mustHave(t, page, "未发现问题", "另有 1 处已排除", "总计栏按上级口径另行统计")
	_, page = stats.upload("/admin/reports/check", csrf, "file", upFile{"changed.txt", withReconsiderationTotal(t, "4")})
	mustHave(t, page, "错误 1 处", "总计栏为4", "cell-error")
	mustLack(t, page, "已排除")

	// Confirmed: counted, with who and why.
	code, page = stats.post(decide, url.Values{"csrf": {csrf}, "finding": {fid}, "verdict": {"confirm"}, "reason": {"复核后确属错误"}})
	if code != 200 {
		t.Fatalf("confirm: %d", code)
	}
	mustHave(t, page, "错误 1 处", "已确认：复核后确属错误（stats，")

	// A report of a unit where the statistician holds no role: no form, and
	// a decision posted anyway is refused.
	mawei := bytes.ReplaceAll(withReconsiderationTotal(t, "3"), []byte("福州海关（本级机关）"), []byte("马尾海关"))
	_, page = stats.upload("/admin/reports/check", csrf, "file", upFile{"mawei.txt", mawei})
	mustHave(t, page, "单位：马尾海关", "须由该单位的统计人员或系统管理员决定")
	mustLack(t, page, `name="verdict"`)
	upMawei := find(t, regexp.MustCompile(`/admin/reports/uploads/(\d+)"`), page)[1]
	if code, _ := stats.post("/admin/reports/uploads/"+upMawei+"/decide", url.Values{"csrf": {csrf}, "finding": {fid}, "verdict": {"dismiss"}, "reason": {"x"}}); code != 403 {
		t.Errorf("deciding on another unit's report: %d", code)
	}
	// A report of no unit of the system: nothing to decide on.
	_, page = stats.upload("/admin/reports/check", csrf, "file", upFile{"hongze.txt", testdata(t, "hongze_district_2023.txt")})
	mustHave(t, page, "报告所属单位不在本系统的单位中")
	if _, err := e.db.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}
