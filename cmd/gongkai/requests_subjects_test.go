package main

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

// TestRequestSubjectsPages: the year's applications by subject on the
// statistics page, each figure linked to the applications behind it; a
// handler marks an application (and registers one marked); the unit's list
// is edited by those the policy names; others are refused.
func TestRequestSubjectsPages(t *testing.T) {
	app := startApp(t, demoCopy(t))
	h := newBrowser(t, app.URL)
	if code, _ := h.login("handler", demo.Password); code != 200 {
		t.Fatalf("login %d", code)
	}
	_, stats := h.get("/admin/requests/stats?year=2024")
	items := regexp.MustCompile(`<li>([^<]+) <a href="([^"]+)">(\d+)</a> 件</li>`).FindAllStringSubmatch(stats, -1)
	var got []string
	for _, m := range items {
		got = append(got, strings.TrimSpace(m[1])+m[3])
	}
	if strings.Join(got, " ") != "统计数据3 报关单证2 行政执法信息1 行政许可1" {
		t.Fatalf("2024 subjects on the statistics page: %q\n%.3000s", got, stats)
	}
	// The figure 3 lists the three applications about 统计数据.
	_, list := h.get(html.UnescapeString(items[0][2]))
	if !strings.Contains(list, "申请内容为“统计数据”的统计表单元格所计的申请，共 3 件") {
		t.Fatalf("the figure's list: %.3000s", list)
	}
	appID := appLinkRE.FindStringSubmatch(list[strings.Index(list, "<tbody>"):])[1]
	_, view := h.get("/admin/requests/" + appID)
	if !strings.Contains(view, `name="subject" value="统计数据" checked`) || !strings.Contains(view, `name="kind" value="subjects"`) {
		t.Fatalf("application page lacks the marking form: %.3000s", view)
	}
	mark := func(b *browser, page string, subjects ...string) string {
		t.Helper()
		_, p := b.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {csrfOf(t, page)}, "kind": {"subjects"}, "subject": subjects})
		return p
	}
	if p := mark(h, view, "统计数据", "政策文件"); !strings.Contains(p, "已记录：标注申请内容") || !strings.Contains(p, `<dd id="subjects">统计数据、政策文件</dd>`) {
		t.Fatalf("marking: %.3000s", p)
	}
	if p := mark(h, view, "天气预报"); !strings.Contains(p, "“天气预报”不在本单位的申请内容分类中") {
		t.Fatalf("an unknown subject: %.3000s", p)
	}
	// The legal reviewer sees the subjects but may not mark them or edit
	// the list.
	lg := newBrowser(t, app.URL)
	lg.login("legal", demo.Password)
	_, lv := lg.get("/admin/requests/" + appID)
	if !strings.Contains(lv, `<dd id="subjects">统计数据、政策文件</dd>`) || strings.Contains(lv, `value="subjects"`) {
		t.Fatalf("legal reviewer's view of the subjects: %.3000s", lv)
	}
	if p := mark(lg, lv, "统计数据"); !strings.Contains(p, "“标注申请内容”仅限在本单位具有“依申请公开办理”角色") {
		t.Fatalf("legal reviewer marked: %.3000s", p)
	}
	if code, _ := lg.get("/admin/requests/subjects"); code != http.StatusForbidden {
		t.Fatalf("legal reviewer on the list page: %d", code)
	}
	if _, l := lg.get("/admin/requests"); strings.Contains(l, `href="/admin/requests/subjects"`) {
		t.Error("the legal reviewer is offered the list page")
	}

	// The handler edits the unit's list: a duplicate is refused next to the
	// field with what was typed; a good list is kept and offered.
	_, lp := h.get("/admin/requests/subjects")
	if !strings.Contains(lp, "统计数据\n报关单证\n行政执法信息") {
		t.Fatalf("list page: %.2000s", lp)
	}
	unit := regexp.MustCompile(`name="unit" value="(\d+)"`).FindStringSubmatch(lp)[1]
	code, p := h.post("/admin/requests/subjects", url.Values{"csrf": {csrfOf(t, lp)}, "unit": {unit}, "subjects": {"统计数据\n统计数据"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(p, "分类“统计数据”重复") || !strings.Contains(p, "统计数据\n统计数据</textarea>") {
		t.Fatalf("duplicate: %d %.2000s", code, p)
	}
	if _, p = h.post("/admin/requests/subjects", url.Values{"csrf": {csrfOf(t, lp)}, "unit": {unit}, "subjects": {"统计数据\n报关单证\n进出口税收\n"}}); !strings.Contains(p, "已保存申请内容分类（3项）") {
		t.Fatalf("save: %.2000s", p)
	}
	_, view = h.get("/admin/requests/" + appID)
	if !strings.Contains(view, `value="进出口税收"`) || !strings.Contains(view, "其中“政策文件”已不在本单位的申请内容分类中") {
		t.Fatalf("the new list on the application page: %.3000s", view)
	}

	// Registration by the handler, marked in the same step.
	_, form := h.get("/admin/requests/new")
	fields := url.Values{"csrf": {csrfOf(t, form)}, "token": {tokenRE.FindStringSubmatch(form)[1]}, "unit": {unit}, "channel": {"in_person"},
		"received_on": {regexp.MustCompile(`name="received_on" value="([^"]+)"`).FindStringSubmatch(form)[1]}, "applicant_type": {"natural_person"},
		"name": {"王小红"}, "id_number": {"11010519491231002X"}, "phone": {"13800000000"}, "description": {"本人进口货物的税款缴纳凭证"},
		"form": {"纸质"}, "delivery": {"当面领取"}, "subject": {"进出口税收", "报关单证"}}
	if !strings.Contains(form, `value="进出口税收"`) {
		t.Fatalf("registration form lacks the unit's subjects: %.3000s", form)
	}
	code, p = h.postFiles("/admin/requests/new", fields, "attachments", nil)
	if code != 200 || !strings.Contains(p, "已登记申请") || !strings.Contains(p, `<dd id="subjects">报关单证、进出口税收</dd>`) {
		t.Fatalf("registered with subjects: %d %.3000s", code, p)
	}
	// The office head registers without marking: no subjects offered, and
	// a form made to carry them is refused next to the field.
	hd := newBrowser(t, app.URL)
	hd.login("head", demo.Password)
	_, form = hd.get("/admin/requests/new")
	if strings.Contains(form, `name="subject"`) {
		t.Error("the office head is offered subjects")
	}
	fields.Set("csrf", csrfOf(t, form))
	fields.Set("token", tokenRE.FindStringSubmatch(form)[1])
	if code, p := hd.postFiles("/admin/requests/new", fields, "attachments", nil); code != http.StatusUnprocessableEntity || !strings.Contains(p, "只有该单位的依申请公开承办人可以标注申请内容") {
		t.Fatalf("office head with subjects: %d %.2000s", code, p)
	}
}
