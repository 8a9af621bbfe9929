package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/internal/demo"
	"gongkai/internal/rcep/sample"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func getJSON(t *testing.T, b *browser, path string) (int, map[string]any) {
	t.Helper()
	status, body := b.get(path)
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%s: not JSON (%d): %.300s", path, status, body)
	}
	return status, v
}

// The JSON API answers on the demo's sample data, and bad input gets a 4xx
// with a Chinese reason.
func TestRCEPAPI(t *testing.T) {
	app := startApp(t, demoCopy(t))
	b := newBrowser(t, app.URL)

	status, v := getJSON(t, b, "/api/rcep/choose?hs=0805.21.00&country=JP&direction=import&date=2025-03-01")
	if status != 200 || v["mfn_rate"].(map[string]any)["bp"].(float64) != 1200 {
		t.Fatalf("import from JP: %d %v", status, v)
	}
	opts := v["options"].([]any)
	best := opts[0].(map[string]any)
	if best["agreement"] != "RCEP" || best["best"] != true || best["saving_per_10000_yuan"] != "480.00" || best["origin_rule"] != "CC" {
		t.Fatalf("RCEP option %v", best)
	}
	if v["data_version"].(map[string]any)["sample"] != true {
		t.Fatal("the sample data must say so")
	}
	// Exports use the partner's tariff.
	_, v = getJSON(t, b, "/api/rcep/choose?q="+url.QueryEscape("芦柑")+"&country="+url.QueryEscape("越南")+"&direction=export&date=2025-06-01")
	if v["tariff_of"] != "VN" || v["best"].([]any)[0] != "ACFTA" {
		t.Fatalf("export to VN: %v", v)
	}

	for _, c := range []struct {
		query, frag string
		status      int
	}{
		{"hs=0101.21.00&country=JP", "0101.21.00 不在税率数据中", 404},
		{"hs=08052100&country=US", "“US”不是我国已签自贸协定", 422},
		{"hs=08052100&country=JP&value=-100", "完税价格不能为负数", 422},
		{"hs=08052100&country=JP&date=2025-02-30", "日期“2025-02-30”格式不正确", 422},
		{"hs=08052100&country=JP&direction=sideways", "进出口方向应为", 422},
		{"country=JP", "请输入商品税号", 422},
	} {
		status, v := getJSON(t, b, "/api/rcep/choose?"+c.query)
		msg, _ := v["error"].(string)
		if status != c.status || !strings.Contains(msg, c.frag) {
			t.Errorf("%s: %d %q, want %d %q", c.query, status, msg, c.status, c.frag)
		}
	}
	status, v = getJSON(t, b, "/api/rcep/origin?agreement=RCEP&hs=610910&fob=20000&weight=10&m1_hs=520511&m1_value=6000&m2_hs=611780&m2_value=3000&m2_weight=0.9")
	if status != 200 || v["originating"] != true || v["rule"] != "CC" {
		t.Fatalf("origin: %d %v", status, v)
	}
	status, v = getJSON(t, b, "/api/rcep/origin?agreement=RCEP&hs=610910&fob=20000&labour=-5&method=up")
	if status != 422 || !strings.Contains(v["error"].(string), "直接人工成本不能为负数") {
		t.Fatalf("negative cost: %d %v", status, v)
	}

	// The page shows the same messages next to the fields, with 422.
	status, page := b.get("/rcep?hs=08052100&country=US&direction=import")
	if status != 422 || !strings.Contains(page, "“US”不是我国已签自贸协定") || !strings.Contains(page, `class="field-error"`) {
		t.Fatalf("page with a non-party: %d", status)
	}
	status, page = b.get("/rcep/origin?agreement=RCEP&hs=847130&fob=3000&m1_hs=854231&m1_value=1200&m2_hs=852411&m2_value=900")
	if status != 200 || !strings.Contains(page, "符合原产地规则") || strings.Contains(page, "不符合原产地规则") || !strings.Contains(page, "30.00%") {
		t.Fatalf("origin page: %d", status)
	}
	// A change of subheading with non-originating value declared but no
	// materials listed cannot be judged (it was reported as met).
	status, v = getJSON(t, b, "/api/rcep/origin?agreement=RCEP&hs=847130&rule=CTSH&fob=10000&vnm=5000")
	if status != 200 || v["originating"] != false || v["undetermined"] != true {
		t.Fatalf("CTSH without materials: %d %v", status, v)
	}
	status, page = b.get("/rcep/origin?agreement=RCEP&hs=847130&rule=CTSH&fob=10000&vnm=5000")
	if status != 200 || !strings.Contains(page, "无法判断：请逐项列出非原产材料") || strings.Contains(page, ">符合原产地规则<") {
		t.Fatalf("CTSH without materials on the page: %d", status)
	}
}

var countRE = regexp.MustCompile(`<tfoot><tr><th scope="row">全年</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>`)

// The back office: versions, an import refused by line, an import that
// succeeds, and the statistics of the demo's year of questions.
func TestRCEPBackOffice(t *testing.T) {
	app := startApp(t, demoCopy(t))
	b := newBrowser(t, app.URL)
	if status, _ := b.login("admin", demo.Password); status != 200 {
		t.Fatalf("login %d", status)
	}
	_, page := b.get("/admin/rcep")
	if !strings.Contains(page, "示例数据") || !strings.Contains(page, "今日有效") {
		t.Fatalf("versions page:\n%.2000s", page)
	}
	csrf := csrfOf(t, page)

	upload := func(name, content, mode string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", csrf)
		mw.WriteField("mode", mode)
		fw, _ := mw.CreateFormFile("file", name)
		io.WriteString(fw, content)
		mw.Close()
		req, _ := http.NewRequest("POST", app.URL+"/admin/rcep/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	bad := strings.Replace(string(sample.CSV), "最惠国,CN,08052100,12", "最惠国,CN,08052100,1200", 1)
	bad = strings.Replace(bad, "商品,0805.21.00,", "商品,0805.2I.00,", 1)
	status, body := upload("bad.csv", bad, "all")
	if status != 422 || !strings.Contains(body, "导入未成功") || !strings.Contains(body, "税号“0805.2I.00”格式不正确") || !strings.Contains(body, "超出范围") {
		t.Fatalf("bad import: %d\n%.3000s", status, body)
	}
	// The refused file is kept: the administrator may now choose to import
	// its rows without errors, from the same bytes, without uploading again.
	m := regexp.MustCompile(`name="upload" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "跳过有错误的记录，导入其余记录") {
		t.Fatalf("no choice offered after a refused import:\n%.3000s", body)
	}
	// The malformed 商品 row also takes down the rows that refer to its code
	// (the MFN rate and the schedule lines of 0805.21.00), so the count of
	// skipped records is the count the refusal listed.
	skipped := regexp.MustCompile(`跳过以上 (\d+) 处有错误的记录`).FindStringSubmatch(body)
	if skipped == nil {
		t.Fatalf("the choice should say how many records would be skipped:\n%.3000s", body)
	}
	status, body = b.post("/admin/rcep/import", url.Values{"csrf": {csrf}, "upload": {m[1]}, "mode": {"good"}})
	if status != 200 || !strings.Contains(body, "已导入税率数据版本 #2") || !strings.Contains(body, "跳过有错误的记录 "+skipped[1]+" 条") {
		t.Fatalf("import of the good rows: %d\n%.3000s", status, body)
	}
	status, page = b.get("/admin/rcep/versions/2")
	if status != 200 || !strings.Contains(page, "0805.2I.00") {
		t.Fatalf("version page should list the skipped lines: %d\n%.3000s", status, page)
	}
	if status, body = b.post("/admin/rcep/import", url.Values{"csrf": {csrf}, "upload": {"999999"}, "mode": {"good"}}); status != 404 && status != 422 {
		t.Fatalf("unknown upload: %d", status)
	}

	next := strings.Replace(string(sample.CSV), "版本,2022-01-01,", "版本,2027-01-01,", 1)
	status, body = upload("2027.csv", next, "all")
	if status != 200 || !strings.Contains(body, "已导入税率数据版本 #3") || !strings.Contains(body, "2027-01-01") {
		t.Fatalf("good import: %d\n%.2000s", status, body)
	}

	status, page = b.get("/admin/rcep/versions/3")
	if status != 200 || !strings.Contains(page, "2027-01-01") || !strings.Contains(page, "中国—东盟") || !strings.Contains(page, "0805.21.00") {
		t.Fatalf("version page %d:\n%.2000s", status, page)
	}

	// The de minimis setting: a bad value is refused next to its field; a
	// good one changes the calculator's allowance (and is audited).
	status, page = b.post("/admin/rcep/settings", url.Values{"csrf": {csrf}, "value_pct": {"120"}, "weight_pct": {"10"}})
	if status != 422 || !strings.Contains(page, "微小含量比例应为 0 至 100") {
		t.Fatalf("bad setting: %d", status)
	}
	status, _ = b.post("/admin/rcep/settings", url.Values{"csrf": {csrf}, "value_pct": {"8"}, "weight_pct": {"10"}})
	if status != 200 {
		t.Fatalf("setting: %d", status)
	}
	// Wine with 4,500 of bulk wine on 50,000 FOB: 9% passes at 10%, fails at 8%.
	_, v := getJSON(t, b, "/api/rcep/origin?agreement=CKFTA&hs=220421&fob=50000&m1_hs=080610&m1_value=30000&m2_hs=220429&m2_value=4500")
	if v["originating"] != false {
		t.Fatalf("with an 8%% allowance 9%% must fail: %v", v)
	}

	status, page = b.get("/admin/rcep/stats?year=2024")
	m = countRE.FindStringSubmatch(page)
	if status != 200 || m == nil {
		t.Fatalf("stats page %d:\n%.3000s", status, page)
	}
	total, _ := strconv.Atoi(m[5])
	if total < 2000 || !strings.Contains(page, "共受理企业查询 "+m[5]+" 次") || !strings.Contains(page, "第08章 食用水果及坚果") {
		t.Fatalf("stats: total %d\n%.3000s", total, page)
	}
	// The figures are counts of the records, one per question.
	db, err := store.Open(t.Context(), app.DSN, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRow("SELECT count(*) FROM rcep_queries WHERE day LIKE '2024-%'").Scan(&n); err != nil || n != total {
		t.Fatalf("records %d, page %d (%v)", n, total, err)
	}
}

// A visitor fills the chooser form in a real browser and sees the best
// agreement.
func TestBrowserRCEPChooser(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/"),
		chromedp.Click(`a[href="/rcep"]`),
		chromedp.WaitVisible(`#f-hs`),
		chromedp.SendKeys(`#f-hs`, "0805.21.00"),
		chromedp.Click(`#f-direction-export`),
		chromedp.SetValue(`#f-country`, "VN"),
		chromedp.SendKeys(`#f-date`, "2025-06-01"),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#best`),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	best, err := chromedp.Run(ctx, chromedp.Text(`#best`))
	if err != nil {
		t.Fatal(err)
	}
	row, err := chromedp.Run(ctx, chromedp.Text(`table.rcep tr.best th`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(best, "最优选择：中国—东盟") || !strings.Contains(best, "4,000.00 元") || !strings.Contains(row, "中国—东盟") {
		t.Fatalf("best %q row %q", best, row)
	}
	// Then the origin calculator, reached from the answer's rule link.
	err = chromedp.Do(ctx,
		chromedp.Click(`table.rcep tr.best a`),
		chromedp.WaitVisible(`#f-fob`),
		chromedp.SendKeys(`#f-fob`, "10000"),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#verdict`),
	)
	if err != nil {
		t.Fatalf("browser origin: %v", err)
	}
	verdict, err := chromedp.Run(ctx, chromedp.Text(`#verdict`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(verdict, "符合原产地规则") || strings.Contains(verdict, "不符合") {
		t.Fatalf("verdict %q", verdict)
	}
}

func TestRCEPCommands(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	dir := t.TempDir()
	bad := dir + "/bad.csv"
	if err := os.WriteFile(bad, []byte("版本,2025-01-01,x\n商品,0805.2X.00,柑橘\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "", "rcep", "import", bad, "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "第 2 行：税号“0805.2X.00”格式不正确") {
		t.Fatalf("bad import: %d %s", code, errOut)
	}
	code, out, errOut := run(t, "", "rcep", "import", "sample", "--db", dsn)
	if code != 0 || !strings.Contains(out, "已导入税率数据版本 #1（2022-01-01 起生效）") {
		t.Fatalf("sample import: %d %s %s", code, out, errOut)
	}
	code, out, _ = run(t, "", "rcep", "versions", "--db", dsn)
	if code != 0 || !strings.Contains(out, "示例数据") {
		t.Fatalf("versions: %d %s", code, out)
	}
	code, out, errOut = run(t, "", "rcep", "choose", "--db", dsn, "--hs", "03061790", "--country", "KR", "--date", "2025-06-01")
	if code != 0 || !strings.Contains(out, "★ 中韩") || !strings.Contains(out, "每万元少缴 500.00 元") {
		t.Fatalf("choose: %d %s %s", code, out, errOut)
	}
	code, _, errOut = run(t, "", "rcep", "choose", "--db", dsn, "--hs", "03061790", "--country", "US")
	if code != 1 || !strings.Contains(errOut, "不是我国已签自贸协定") {
		t.Fatalf("not a party: %d %s", code, errOut)
	}
}
