package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/demo"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// reportEnv is a server over the demo world (福州海关 with its records and
// its published 2023 and 2024 reports), on a clock the test sets.
type reportEnv struct {
	*deskEnv
	now *time.Time
}

var cheapParams = auth.Params{Memory: 1024, Time: 1, Threads: 1}

func newReportEnv(t *testing.T, d store.Dialect) *reportEnv {
	t.Helper()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai)
	e := &reportEnv{now: &now}
	db := storetest.Open(t, d, store.Options{Now: func() time.Time { return *e.now }})
	if err := demo.Load(context.Background(), db, demo.Generate(1), cheapParams); err != nil {
		t.Fatal(err)
	}
	unit, err := db.UnitByCode(context.Background(), "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	p := auth.DefaultPolicy
	p.Params = cheapParams
	srv, err := New(db, &auth.Service{Store: db, Policy: p}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Secret: testSecret, SiteUnit: "fuzhou"})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	e.deskEnv = &deskEnv{t: t, db: db, url: ts.URL, unit: unit, server: h, srv: srv}
	return e
}

// demoLogin logs a demo account in.
func (c *client) demoLogin(name string) string {
	c.t.Helper()
	_, page := c.get("/admin/login")
	code, page := c.post("/admin/login", url.Values{"csrf": {find(c.t, csrfRE, page)[1]}, "username": {name}, "password": {demo.Password}})
	if code != 200 || !strings.Contains(page, "工作台") {
		c.t.Fatalf("login %s: %d", name, code)
	}
	return find(c.t, csrfRE, page)[1]
}

var draftRE = regexp.MustCompile(`name="draft" id="f-draft" value="([0-9a-f]+)"`)

func TestReportPages(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) { testReportPages(t, newReportEnv(t, d)) })
	}
}

func testReportPages(t *testing.T, e *reportEnv) {
	ctx := context.Background()
	stats := e.client()
	csrf := stats.demoLogin("stats")

	// The dashboard follows the year's report from 1 December.
	_, page := stats.get("/admin/")
	mustHave(t, page, "2026 年度政府信息公开工作年度报告", "福州海关", "未生成", "2027-01-31", "个工作日")
	*e.now = time.Date(2026, 6, 1, 9, 0, 0, 0, shanghai)
	_, page = stats.get("/admin/")
	mustLack(t, page, "年度政府信息公开工作年度报告")
	*e.now = time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai)

	// The hub: 2024 published, the subordinates not built.
	code, page := stats.get("/admin/annual?year=2024")
	if code != 200 {
		t.Fatalf("hub: %d", code)
	}
	mustHave(t, page, "福州海关", "已发布", "马尾海关", "未生成", "/admin/annual/fuzhou/2024")

	// The preview: every figure linked to its records, no finding.
	code, page = stats.get("/admin/annual/fuzhou/2024")
	if code != 200 {
		t.Fatalf("preview: %d", code)
	}
	mustHave(t, page, "未发现问题", "records?figure=%E7%83%AD%E7%BA%BF.%E6%8E%A5%E5%90%AC%E9%87%8F", "records?cell=table3.rows.received%5B6%5D", "第 1 版", "发布更正")
	_, rec := stats.get("/admin/annual/fuzhou/2024/records?figure=" + url.QueryEscape("热线.接听量"))
	mustHave(t, rec, "共 10289 条", "话单")
	_, rec = stats.get("/admin/annual/fuzhou/2024/records?cell=" + url.QueryEscape("table3.rows.received[6]"))
	mustHave(t, rec, "共 6 条", "/admin/requests/")
	if code, _ := stats.get("/admin/annual/fuzhou/2024/records?cell=table9.x"); code != 404 {
		t.Errorf("an unknown cell: %d", code)
	}
	if code, _ := stats.get("/admin/annual/fuzhou/2999"); code != 422 && code != 400 {
		t.Errorf("a year to come: %d", code)
	}
	if code, _ := stats.get("/admin/annual/nowhere/2024"); code != 404 {
		t.Errorf("an unknown unit: %d", code)
	}
	// Draft downloads.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, f := range []string{"pdf", "docx", "xlsx", "html", "json"} {
		resp, err := noFollow.Get(e.url + "/admin/annual/fuzhou/2024/draft/draft." + f)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Errorf("a draft downloaded without logging in (%s): %d", f, resp.StatusCode)
		}
	}
	if code, body := stats.get("/admin/annual/fuzhou/2024/draft/draft.pdf"); code != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("draft pdf: %d", code)
	}

	// Another instance serves the portal from its page cache, warmed
	// before the correction; the correction reaches it within a second.
	cached, err := New(e.db, &auth.Service{Store: e.db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Secret: testSecret, SiteUnit: "fuzhou"})
	if err != nil {
		t.Fatal(err)
	}
	cctx, stop := context.WithCancel(context.Background())
	defer stop()
	cached.Start(cctx)
	cts := httptest.NewServer(cached.Handler())
	defer cts.Close()
	cachedGet := func(path string) (string, string) {
		t.Helper()
		resp, err := http.Get(cts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s from the cache: %d", path, resp.StatusCode)
		}
		return resp.Header.Get("ETag"), string(b)
	}
	warmPages := map[string]string{"/column/reports": "已更正，第 2 版", "/reports/fuzhou/2024": "更正说明："}
	for path, after := range warmPages {
		etag, body := cachedGet(path)
		if again, _ := cachedGet(path); etag == "" || again != etag || strings.Contains(body, after) {
			t.Fatalf("%s before the correction: ETag %q then %q", path, etag, again)
		}
	}

	// A correction needs its reason, and what was looked at.
	draft := find(t, draftRE, page)[1]
	code, page = stats.post("/admin/annual/fuzhou/2024/publish", url.Values{"csrf": {csrf}, "draft": {draft}})
	if code != 422 || !strings.Contains(page, "更正的内容和原因") {
		t.Fatalf("a correction without reason: %d", code)
	}
	code, page = stats.post("/admin/annual/fuzhou/2024/publish", url.Values{"csrf": {csrf}, "draft": {"0000"}, "reason": {"补充说明"}})
	if code != 422 || !strings.Contains(page, "业务记录发生了变化") {
		t.Fatalf("a stale draft: %d", code)
	}
	code, _ = stats.post("/admin/annual/fuzhou/2024/publish", url.Values{"csrf": {csrf}, "draft": {draft}, "reason": {"更正第一部分的文字表述"}})
	if code != 200 { // followed the redirect to the preview
		t.Fatalf("correction: %d", code)
	}
	_, page = stats.get("/admin/annual/fuzhou/2024")
	mustHave(t, page, "第 2 版", "更正说明：更正第一部分的文字表述")
	for path, after := range warmPages {
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, body := cachedGet(path); strings.Contains(body, after) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still served from the cache without the correction", path)
			}
		}
	}

	// The portal: the current version, the earlier one kept, the files.
	pub := e.client()
	code, page = pub.get("/column/reports")
	if code != 200 {
		t.Fatalf("年报 column: %d", code)
	}
	mustHave(t, page, "福州海关（本级机关）2024年政府信息公开工作年度报告", "福州海关（本级机关）2023年政府信息公开工作年度报告", "已更正，第 2 版")
	code, page = pub.get("/reports/fuzhou/2024")
	if code != 200 {
		t.Fatalf("report page: %d", code)
	}
	mustHave(t, page, "更正说明：", "此前的版本", "第 1 版", "10289", "/reports/fuzhou/2024/v2.pdf", "/open/reports/fuzhou/2024.json")
	for _, f := range []struct{ path, ctype, head string }{
		{"/reports/fuzhou/2024/v2.pdf", "application/pdf", "%PDF"},
		{"/reports/fuzhou/2024/v1.docx", "application/vnd.openxmlformats", "PK"},
		{"/open/reports/fuzhou/2024.json", "application/json", "{"},
	} {
		resp, err := http.Get(e.url + f.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), f.ctype) || !strings.HasPrefix(string(b), f.head) {
			t.Errorf("%s: %d %s %.20q", f.path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
	for _, p := range []string{"/reports/fuzhou/2026", "/reports/fuzhou/2024/v3.pdf", "/reports/xiamen/2024", "/reports/fuzhou/24", "/reports/fuzhou/2024/v1.exe"} {
		if code, _ := pub.get(p); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
	// Open data: the list, a report, its statistics as JSON and CSV.
	_, body := pub.get("/open/reports")
	var list struct {
		Reports []struct {
			Unit    string
			Year    int
			Version int
		}
	}
	// The demo publishes 2023, 2024 (corrected once) and 2025, newest first.
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Reports) != 3 || list.Reports[0].Year != 2025 || list.Reports[1].Year != 2024 || list.Reports[1].Version != 2 {
		t.Errorf("open reports: %v %s", err, body)
	}
	_, body = pub.get("/open/stats/fuzhou/2024.csv")
	mustHave(t, body, "key,label,kind,text,value,previous", "热线.接听量,12360热线接听电话（条次，话单）,count,10289,10289")
	_, body = pub.get("/open/stats/fuzhou/2024.json")
	mustHave(t, body, `"key": "宣讲.覆盖企业"`)
	if code, body := pub.get("/open/reports/fuzhou/2026.json"); code != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("unpublished open data: %d %s", code, body)
	}
	// A draft never reaches the portal.
	stats.get("/admin/annual/fuzhou/2026")
	if _, body := pub.get("/open/reports"); strings.Contains(body, `"year": 2026`) {
		t.Error("a draft is listed in the open data")
	}

	// A report with errors: 马尾海关 has no contacts set. The statistician
	// cannot override; its office head can, with a reason, audited.
	mw, err := e.db.UnitByCode(ctx, "mawei")
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(demo.Password, cheapParams)
	for _, u := range []org.User{
		{Username: "mw-stats", DisplayName: "马尾统计", UnitID: mw.ID, Grants: []org.Grant{{UnitID: mw.ID, Role: org.RoleStatistician}}},
		{Username: "mw-head", DisplayName: "马尾公开办", UnitID: mw.ID, Grants: []org.Grant{{UnitID: mw.ID, Role: org.RoleOfficeHead}}},
	} {
		if err := e.db.CreateUser(ctx, audit.System("test"), &u, hash); err != nil {
			t.Fatal(err)
		}
	}
	ms := e.client()
	mcsrf := ms.demoLogin("mw-stats")
	_, page = ms.get("/admin/annual/mawei/2025")
	mustHave(t, page, "错误", "开头段", "开头段联系方式", "请在“年报设置”中填写")
	draft = find(t, draftRE, page)[1]
	code, page = ms.post("/admin/annual/mawei/2025/publish", url.Values{"csrf": {mcsrf}, "draft": {draft}})
	if code != 422 || !strings.Contains(page, "由公开办负责人说明理由") {
		t.Fatalf("errors without override: %d", code)
	}
	code, page = ms.post("/admin/annual/mawei/2025/publish", url.Values{"csrf": {mcsrf}, "draft": {draft}, "override": {"联系方式另行公布"}})
	if code != 422 || !strings.Contains(page, "只有") {
		t.Fatalf("a statistician's override: %d", code)
	}
	mh := e.client()
	hcsrf := mh.demoLogin("mw-head")
	code, _ = mh.post("/admin/annual/mawei/2025/publish", url.Values{"csrf": {hcsrf}, "draft": {draft}, "override": {"联系方式已在门户网站另行公布"}})
	if code != 200 {
		t.Fatalf("the office head's override: %d", code)
	}
	entries, err := e.db.AuditEntries(ctx, store.AuditFilter{UnitID: mw.ID, ObjectType: "annual_report"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, en := range entries {
		found = found || en.Action == "annual.publish" && strings.Contains(en.After, "联系方式已在门户网站另行公布")
	}
	if !found {
		t.Error("the override is not in the audit log")
	}
	if code, _ := pub.get("/reports/mawei/2025"); code != 200 {
		t.Errorf("马尾海关's 2025 report on 福州海关's portal: %d", code)
	}

	// Settings: each fault next to its field.
	code, page = ms.post("/admin/annual/mawei/settings", url.Values{"csrf": {mcsrf}, "report.postcode": {"35001"}, "report.email": {"x"}})
	if code != 422 || !strings.Contains(page, "邮政编码应为 6 位数字") || !strings.Contains(page, "电子邮箱格式不正确") {
		t.Fatalf("bad settings: %d", code)
	}
	code, _ = ms.post("/admin/annual/mawei/settings", url.Values{"csrf": {mcsrf}, "report.address": {"福州市马尾区"}, "report.postcode": {"350015"},
		"report.telephone": {"0591-1"}, "report.email": {"mw@customs.gov.cn"}, "report.portal_url": {"http://fuzhou.customs.gov.cn"}})
	if code != 200 {
		t.Fatalf("settings: %d", code)
	}
	_, page = ms.get("/admin/annual/mawei/2025")
	mustLack(t, page, "开头段联系方式")

	// The template: an unknown placeholder is refused on its part; a
	// number typed where a statistic exists is pointed out.
	code, page = stats.get("/admin/annual/fuzhou/template")
	if code != 200 {
		t.Fatalf("template: %d", code)
	}
	mustHave(t, page, "{热线.接听量}", "统计项目录", "读作")
	form := url.Values{"csrf": {csrf}}
	for _, k := range []string{"1.1", "1.2", "1.3", "1.4", "6"} {
		form.Set("heading-"+k, "（一）标题。")
		form.Set("body-"+k, "共收到{依申请.新收}件。")
	}
	form.Set("body-1.3", "接听{热线.接听数}条次。")
	code, page = stats.post("/admin/annual/fuzhou/template", form)
	if code != 422 || !strings.Contains(page, "未知的统计项“{热线.接听数}”") {
		t.Fatalf("unknown placeholder: %d", code)
	}
	form.Set("body-1.3", "接听{热线.接听量}条次，共答复咨询471条。")
	code, page = stats.post("/admin/annual/fuzhou/template", form)
	if code != 200 {
		t.Fatalf("save template: %d", code)
	}
	_, page = stats.get("/admin/annual/fuzhou/template?year=2024")
	mustHave(t, page, "下列数字是直接写在模板里的", "471", "{咨询.收到}")

	// Who may not.
	handler := e.client()
	hc := handler.demoLogin("handler")
	for _, p := range []string{"/admin/annual", "/admin/annual/fuzhou/2024", "/admin/annual/fuzhou/template", "/admin/annual/fuzhou/2024/records?figure=" + url.QueryEscape("热线.接听量")} {
		if code, _ := handler.get(p); code != 403 {
			t.Errorf("a handler opened %s: %d", p, code)
		}
	}
	if code, _ := handler.post("/admin/annual/fuzhou/2024/publish", url.Values{"csrf": {hc}, "draft": {draft}, "reason": {"x"}}); code != 403 {
		t.Errorf("a handler published: %d", code)
	}
	if code, _ := ms.post("/admin/annual/fuzhou/settings", url.Values{"csrf": {mcsrf}, "report.postcode": {"350015"}}); code != 403 {
		t.Errorf("a subordinate's statistician changed the superior's settings: %d", code)
	}
	if _, err := e.db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
