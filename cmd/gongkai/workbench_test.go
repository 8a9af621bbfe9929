package main

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

var panelRE = regexp.MustCompile(`(?s)<section class="panel">\s*<h2>(.*?)<span`)

// panels maps each of the workbench's panels (by its role) to its text.
func panels(page string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(page, `<section class="panel">`)
	for _, p := range parts[1:] {
		m := panelRE.FindStringSubmatch(`<section class="panel">` + p)
		if m != nil {
			out[strings.TrimSpace(m[1])] += p
		}
	}
	return out
}

// The workbench shows each user's real work across areas: the handler his
// own applications and those waiting to be claimed; the office head what
// waits for 分办 and the handlers' requests for an extension; the legal
// reviewer the answers awaiting review as well as the items; a reviewer is
// told whose drafts he reviews. No 暂无待办事项 while work waits.
func TestWorkbench(t *testing.T) {
	w := newCitizenWorld(t)
	// Work for the office head and the legal reviewer.
	w.apply(workdaysAgo(6), requests.Event{Kind: requests.ExtensionRequested, On: workdaysAgo(1), Role: org.RoleHandler, Days: 10, Note: "需调取档案"})
	w.apply(workdaysAgo(6), requests.Event{Kind: requests.Decided, On: workdaysAgo(1), Outcome: annual.RowWithheldInternalAffairs})
	login := func(name string) *browser {
		b := newBrowser(t, w.app.URL)
		if code, _ := b.login(name, demo.Password); code != 200 {
			t.Fatalf("login %s", name)
		}
		return b
	}
	for _, c := range []struct {
		user, role string
		want       []string
	}{
		{"handler", "依申请公开办理", []string{"我承办的办理中申请", "待分办的申请", "可以认领", "/admin/requests?view=mine"}},
		{"head", "公开办负责人", []string{"待分办的申请", "承办人提请延期待您决定的 1 件", "/admin/requests?view=extension", "网上咨询和留言"}},
		{"legal", "法制审核", []string{"待法制审核的依申请公开答复 1 件", "待法制审核的信息", "/admin/requests?view=review"}},
		{"reviewer", "保密审查", []string{"按“谁公开、谁审查”，您审查办公室送审的信息"}},
	} {
		_, page := login(c.user).get("/admin/")
		text := panels(page)[c.role]
		if text == "" {
			t.Fatalf("%s: no %s panel in %.2000s", c.user, c.role, page)
		}
		for _, want := range c.want {
			if !strings.Contains(text, want) {
				t.Errorf("%s's %s panel lacks %q:\n%s", c.user, c.role, want, text)
			}
		}
		if strings.Contains(text, "暂无待办事项") {
			t.Errorf("%s: 暂无待办事项 while work waits:\n%s", c.user, text)
		}
	}
	// The lists behind the lines.
	_, list := login("head").get("/admin/requests?view=extension")
	if !strings.Contains(list, "承办人提请延期的申请（") || !strings.Contains(list, "，共 1 件") {
		t.Errorf("extension list: %.2000s", list)
	}
	_, list = login("legal").get("/admin/requests")
	if !strings.Contains(list, "待法制审核的答复") || !strings.Contains(list, "共 1 件") {
		t.Errorf("legal's list: %.2000s", list)
	}
	// The demo editor's draft goes to the demo reviewer by default.
	ed := login("editor")
	_, form := ed.get("/admin/publish/new")
	dept := regexp.MustCompile(`<option value="(\d+)" selected>[　]*办公室<`).FindStringSubmatch(form)
	cat := optionRE("通知").FindStringSubmatch(form)
	if dept == nil || cat == nil {
		t.Fatalf("the editor's form does not default to 办公室: %.3000s", form)
	}
	code, page := ed.postMultipart("/admin/publish/new", url.Values{"csrf": {csrfOf(t, form)}, "title": {"关于工作台测试的通知"}, "department": {dept[1]},
		"category": {cat[1]}, "attribute": {"active"}, "made_on": {calendar.Today(nil).String()}, "body": {"正文"}}, nil)
	if code != 200 {
		t.Fatalf("draft: %d", code)
	}
	id := regexp.MustCompile(`/admin/publish/items/(\d+)/edit`).FindStringSubmatch(page)[1]
	_, page = ed.get("/admin/publish/items/" + id)
	ed.post("/admin/publish/items/"+id+"/act", url.Values{"csrf": {csrfOf(t, page)}, "kind": {"submit"},
		"expect": {regexp.MustCompile(`name="expect" value="(\d+)"`).FindStringSubmatch(page)[1]}})
	rev := login("reviewer")
	if _, q := rev.get("/admin/publish"); !strings.Contains(q, "关于工作台测试的通知") {
		t.Fatalf("the reviewer's queue lacks the editor's draft")
	}
	_, page = rev.get("/admin/publish/items/" + id)
	if _, page = rev.post("/admin/publish/items/"+id+"/act", url.Values{"csrf": {csrfOf(t, page)}, "kind": {"approve"},
		"expect": {regexp.MustCompile(`name="expect" value="(\d+)"`).FindStringSubmatch(page)[1]}}); !strings.Contains(page, "已审查通过") {
		t.Fatalf("the reviewer could not approve the editor's draft: %.2000s", page)
	}
}

// The statistics pages open on the user's own unit and the latest year
// with records: the demo's 主动公开 records end in 2024 (the seed's year).
func TestStatisticsOpenOnOwnUnitAndLatestYear(t *testing.T) {
	w := newCitizenWorld(t)
	b := newBrowser(t, w.app.URL)
	b.login("stats", demo.Password)
	_, page := b.get("/admin/requests/stats")
	year := strconv.Itoa(today().Year())
	if !strings.Contains(page, "<h1>福州海关 "+year+"年 表三、表四</h1>") {
		t.Errorf("requests stats open on %.300s", regexp.MustCompile(`<h1>[^<]*</h1>`).FindString(page))
	}
	_, page = b.get("/admin/publish/stats")
	if !strings.Contains(page, `value="2024"`) && !strings.Contains(page, `<option value="2024" selected`) {
		t.Errorf("publish stats do not open on 2024: %.1500s", page)
	}
}
