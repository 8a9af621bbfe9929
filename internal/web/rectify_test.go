package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/org"
	"gongkai/internal/rectify"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// rectifyEnv is a server with one unit, two departments and the register's
// people: a statistician and an office head (managers), a member of the
// 办公室 with no role (owner of the problems given to it), an editor of
// another department and a hotline agent (neither may use the register).
type rectifyEnv struct {
	*deskEnv
	office, other org.Department
	year          int
}

func newRectifyEnv(t *testing.T, db *store.DB) *rectifyEnv {
	t.Helper()
	ctx := context.Background()
	sys := audit.System("test")
	u := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	e := &rectifyEnv{year: rectify.Today(time.Now()).Year()}
	e.office = org.Department{UnitID: u.ID, Name: "办公室"}
	e.other = org.Department{UnitID: u.ID, Name: "综合业务处"}
	for _, d := range []*org.Department{&e.office, &e.other} {
		if err := db.CreateDepartment(ctx, sys, d); err != nil {
			t.Fatal(err)
		}
	}
	cheap := auth.Params{Memory: 1024, Time: 1, Threads: 1}
	hash, err := auth.HashPassword("desk password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		name string
		dept int64
		role org.Role
	}{{"stats", 0, org.RoleStatistician}, {"head", 0, org.RoleOfficeHead}, {"owner", e.office.ID, ""}, {"editor", e.other.ID, org.RoleEditor}, {"agent", 0, org.RoleHotline}} {
		usr := org.User{Username: a.name, DisplayName: "测试" + a.name, UnitID: u.ID, DepartmentID: a.dept}
		if a.role != "" {
			usr.Grants = []org.Grant{{UnitID: u.ID, Role: a.role}}
		}
		if err := db.CreateUser(ctx, sys, &usr, hash); err != nil {
			t.Fatal(err)
		}
	}
	p := auth.DefaultPolicy
	p.Params = cheap
	srv, err := New(db, &auth.Service{Store: db, Policy: p}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Secret: testSecret, SiteUnit: "fuzhou"})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	e.deskEnv = &deskEnv{t: t, db: db, url: ts.URL, unit: u, server: h}
	return e
}

var problemURL = regexp.MustCompile(`问题 (\d+)`)

func (e *rectifyEnv) problemForm(csrf string, v url.Values) url.Values {
	base := url.Values{"csrf": {csrf}, "year": {strconv.Itoa(e.year)}, "source": {"inspection"}, "source_ref": {"第三季度网站检查"},
		"description": {"部分栏目更新不及时"}, "owner_dept": {strconv.FormatInt(e.office.ID, 10)}, "owner_name": {"王芳"},
		"deadline": {fmt.Sprintf("%d-01-31", e.year)}, "measures": {"建立栏目更新台账\r\n每月检查一次栏目"}}
	for k, x := range v {
		base[k] = x
	}
	return base
}

func mustHave(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q:\n%.3000s", w, page)
		}
	}
}

func mustLack(t *testing.T, page string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(page, w) {
			t.Errorf("page has %q", w)
		}
	}
}

// The register's pages: registering with bad input, a problem's steps, the
// list's filters, and who may do what.
func TestRectifyPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newRectifyEnv(t, db)
		stats := e.client()
		csrf := stats.login("stats")
		code, page := stats.get("/admin/rectify")
		if code != 200 {
			t.Fatalf("list: %d", code)
		}
		mustHave(t, page, `href="/admin/rectify"`, "共 0 项", "暂无符合条件的问题", "登记问题", "从上年年报导入问题")

		// Bad input: every field at fault next to it, what was typed kept, nothing stored.
		code, page = stats.post("/admin/rectify/new?unit="+itoa(int(e.unit.ID)), e.problemForm(csrf, url.Values{"year": {"二〇二四"}, "description": {""},
			"deadline": {"2024-13-01"}, "source": {"rumour"}, "source_ref": {"保留的来源说明"}}))
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad input: %d", code)
		}
		mustHave(t, page, "请填写问题所属年度", "请填写问题描述", "整改时限应写作 YYYY-MM-DD", "请选择问题来源", `aria-invalid="true"`, `value="保留的来源说明"`, "建立栏目更新台账")
		code, page = stats.post("/admin/rectify/new", e.problemForm(csrf, url.Values{"deadline": {fmt.Sprintf("%d-12-31", e.year-1)}}))
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("deadline before the year: %d", code)
		}
		mustHave(t, page, fmt.Sprintf("整改时限不能早于 %d 年 1 月 1 日", e.year))
		// Without the session's token.
		form := e.problemForm(csrf, nil)
		form.Del("csrf")
		if code, _ := stats.post("/admin/rectify/new", form); code != http.StatusForbidden {
			t.Fatalf("no token: %d", code)
		}
		if ps, _ := db.Problems(context.Background(), []int64{e.unit.ID}); len(ps) != 0 {
			t.Fatalf("%d problems stored by refused forms", len(ps))
		}

		code, page = stats.post("/admin/rectify/new", e.problemForm(csrf, nil))
		if code != 200 {
			t.Fatalf("create: %d", code)
		}
		id := find(t, problemURL, page)[1]
		mustHave(t, page, "已登记问题 "+id, "部分栏目更新不及时", "建立栏目更新台账", "每月检查一次栏目", "办公室", "整改中", "添加整改措施", "标记为已整改", "登记问题")
		path := "/admin/rectify/" + id
		step := func(c *client, csrf string, v url.Values) (int, string) {
			v.Set("csrf", csrf)
			return c.post(path, v)
		}
		// A measure without text, a date not written as a date.
		code, page = step(stats, csrf, url.Values{"step": {"measure_add"}, "measure_text": {"  "}})
		if code != 422 {
			t.Fatalf("empty measure: %d", code)
		}
		mustHave(t, page, "请填写整改措施", `id="form-measure_add"`)
		code, page = step(stats, csrf, url.Values{"step": {"close"}, "done_on": {"昨天"}, "outcome": {"已按期更新"}})
		if code != 422 {
			t.Fatalf("bad date: %d", code)
		}
		mustHave(t, page, "整改完成日期应写作 YYYY-MM-DD", "已按期更新")
		if code, _ := step(stats, csrf, url.Values{"step": {"archive"}}); code != 422 {
			t.Fatalf("unknown step: %d", code)
		}
		// A form that saw an older history.
		code, page = step(stats, csrf, url.Values{"step": {"drop"}, "reason": {"x"}, "expect": {"1"}})
		if code != 422 || !strings.Contains(page, "已被他人修改") {
			t.Fatalf("stale form: %d", code)
		}

		// The owner department adds a measure and completes one, but does not close.
		owner := e.client()
		ocsrf := owner.login("owner")
		code, page = owner.get(path)
		if code != 200 {
			t.Fatalf("owner's problem: %d", code)
		}
		mustHave(t, page, "添加整改措施", "标记完成")
		mustLack(t, page, "标记为已整改", "修改问题", "不再整改</summary>")
		if code, page = step(owner, ocsrf, url.Values{"step": {"measure_add"}, "measure_text": {"开展一次全面检查"}}); code != 200 || !strings.Contains(page, "开展一次全面检查") {
			t.Fatalf("owner adds: %d", code)
		}
		if code, page = step(owner, ocsrf, url.Values{"step": {"measure_done"}, "measure": {"1"}}); code != 200 || !strings.Contains(page, "完成</span>") {
			t.Fatalf("owner completes: %d", code)
		}
		if code, _ := step(owner, ocsrf, url.Values{"step": {"close"}, "outcome": {"x"}}); code != http.StatusForbidden {
			t.Fatalf("owner closes: %d", code)
		}
		if code, _ := owner.get("/admin/rectify/new"); code != http.StatusForbidden {
			t.Fatalf("owner registers: %d", code)
		}
		// Another department's editor and a hotline agent are kept out.
		editor := e.client()
		ecsrf := editor.login("editor")
		if code, _ := editor.get(path); code != http.StatusForbidden {
			t.Fatalf("other department: %d", code)
		}
		if code, _ := step(editor, ecsrf, url.Values{"step": {"measure_add"}, "measure_text": {"x"}}); code != http.StatusForbidden {
			t.Fatalf("other department adds: %d", code)
		}
		code, page = editor.get("/admin/rectify")
		if code != 200 || strings.Contains(page, "部分栏目更新不及时") {
			t.Fatalf("other department's list: %d", code)
		}
		agent := e.client()
		agent.login("agent")
		if code, _ := agent.get("/admin/rectify"); code != http.StatusForbidden {
			t.Fatalf("hotline agent: %d", code)
		}
		if _, page := agent.get("/admin/"); strings.Contains(page, `href="/admin/rectify"`) {
			t.Fatal("the agent's navigation offers the register")
		}

		// The statistician closes it; its history tells every step.
		code, page = step(stats, csrf, url.Values{"step": {"close"}, "outcome": {"栏目均按期更新。"}})
		if code != 200 {
			t.Fatalf("close: %d", code)
		}
		mustHave(t, page, "已整改", "栏目均按期更新。", "重新打开", "整改完成", "措施完成", "添加整改措施", "登记问题", "测试owner")
		mustLack(t, page, `id="form-measure_add"`, "标记为已整改")
		// Reopening needs a reason.
		code, page = step(stats, csrf, url.Values{"step": {"status"}, "status": {"in_progress"}})
		if code != 422 {
			t.Fatalf("reopen without reason: %d", code)
		}
		mustHave(t, page, "请填写重新打开的理由")

		// A second, overdue problem; the list puts it first and counts it.
		code, page = stats.post("/admin/rectify/new", e.problemForm(csrf, url.Values{"description": {"办事指南要素不全"}, "measures": {""},
			"owner_dept": {strconv.FormatInt(e.other.ID, 10)}, "deadline": {fmt.Sprintf("%d-01-01", e.year)}, "source": {"complaint"}}))
		if code != 200 {
			t.Fatalf("second: %d", code)
		}
		code, page = stats.get("/admin/rectify")
		if code != 200 {
			t.Fatal(code)
		}
		mustHave(t, page, "共 2 项：待整改 1 项，整改中 0 项，已整改 1 项", "超期")
		if strings.Index(page, "办事指南要素不全") > strings.Index(page, "部分栏目更新不及时") {
			t.Error("the overdue problem is not first")
		}
		_, page = stats.get("/admin/rectify?status=done")
		mustHave(t, page, "部分栏目更新不及时")
		mustLack(t, page, "办事指南要素不全</a>")
		_, page = stats.get("/admin/rectify?source=complaint&year=" + itoa(e.year))
		mustHave(t, page, "办事指南要素不全")
		mustLack(t, page, "部分栏目更新不及时</a>")
		for _, q := range []string{"status=finished", "year=abc", "source=rumour"} {
			if code, _ := stats.get("/admin/rectify?" + q); code != 422 {
				t.Errorf("%s: %d", q, code)
			}
		}
		// The owner's list has only the office's problem; the other department sees its own.
		_, page = owner.get("/admin/rectify")
		mustHave(t, page, "部分栏目更新不及时", `href="/admin/rectify"`)
		mustLack(t, page, "办事指南要素不全", "登记问题</a>")
		_, page = editor.get("/admin/rectify")
		mustHave(t, page, "办事指南要素不全")
		if code, _ := stats.get("/admin/rectify/99999"); code != 404 {
			t.Fatalf("missing problem: %d", code)
		}
		// Dashboards.
		_, page = stats.get("/admin/")
		mustHave(t, page, "整改台账中未完成的问题 1 项，其中已超过整改时限 1 项")
		_, page = editor.get("/admin/")
		mustHave(t, page, "本部门整改任务", "整改台账中未完成的问题 1 项")
	})
}

// Last year's problems read from last year's report, confirmed and registered.
func TestRectifyImport(t *testing.T) {
	seed, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newRectifyEnv(t, db)
		ctx := context.Background()
		stats := e.client()
		csrf := stats.login("stats")
		u := "/admin/rectify/import?unit=" + itoa(int(e.unit.ID)) + "&year=2025"
		code, page := stats.get(u)
		if code != 200 {
			t.Fatalf("import page: %d", code)
		}
		mustHave(t, page, "没有找到 福州海关 2024 年度的年报")
		// The seed, imported as the unit's 2024 report.
		up, err := db.SaveAnnualUpload(ctx, audit.System("test"), "2024.txt", seed)
		if err != nil {
			t.Fatal(err)
		}
		r, err := annual.Read(seed, "2024.txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportAnnualHistory(ctx, audit.System("test"), e.unit.ID, up.ID, r); err != nil {
			t.Fatal(err)
		}
		code, page = stats.get(u)
		if code != 200 {
			t.Fatal(code)
		}
		mustHave(t, page, "问题 1", `name="pick" value="1" checked`, "“福州海关12360”热线新媒体在做好信息发布和咨询服务的同时，与网友互动形式较为单一，形象不够活泼可亲</textarea>", "第五部分原文")
		// Nothing ticked; a ticked problem emptied.
		if code, page = stats.post(u, url.Values{"csrf": {csrf}, "text_1": {"x问题"}}); code != 422 || !strings.Contains(page, "请至少勾选一个问题") {
			t.Fatalf("none picked: %d", code)
		}
		if code, page = stats.post(u, url.Values{"csrf": {csrf}, "pick": {"1"}, "text_1": {" "}}); code != 422 || !strings.Contains(page, "请填写问题描述") {
			t.Fatalf("emptied: %d", code)
		}
		if ps, _ := db.Problems(ctx, []int64{e.unit.ID}); len(ps) != 0 {
			t.Fatal("a refused import stored problems")
		}
		code, page = stats.post(u, url.Values{"csrf": {csrf}, "pick": {"1"}, "text_1": {"“福州海关12360”热线新媒体与网友互动形式较为单一"}})
		if code != 200 {
			t.Fatalf("import: %d", code)
		}
		mustHave(t, page, "已从2024年年报登记 1 个问题", "“福州海关12360”热线新媒体与网友互动形式较为单一")
		ps, err := db.Problems(ctx, []int64{e.unit.ID}, 2024)
		if err != nil || len(ps) != 1 || ps[0].Source != rectify.FromLastReport || ps[0].Year != 2024 || !strings.Contains(ps[0].SourceRef, "2024年") {
			t.Fatalf("imported: %+v %v", ps, err)
		}
		// The page now names what is registered, and does not tick it again.
		_, page = stats.get(u)
		mustHave(t, page, "已登记的 2024 年年报所提问题")
		if code, _ := stats.get("/admin/rectify/import?year=abc"); code != 422 {
			t.Fatalf("bad year: %d", code)
		}
		owner := e.client()
		owner.login("owner")
		if code, _ := owner.get(u); code != http.StatusForbidden {
			t.Fatalf("owner imports: %d", code)
		}
	})
}

func TestPreparedYear(t *testing.T) {
	bj := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 1, 15, 9, 0, 0, 0, bj), 2025},
		{time.Date(2026, 3, 31, 23, 0, 0, 0, bj), 2025},
		{time.Date(2026, 4, 1, 0, 30, 0, 0, bj), 2026},
		{time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC), 2026}, // 1 April in Beijing
		{time.Date(2026, 12, 31, 9, 0, 0, 0, bj), 2026},
	} {
		if got := preparedYear(c.at); got != c.want {
			t.Errorf("%s: %d, want %d", c.at, got, c.want)
		}
	}
}
