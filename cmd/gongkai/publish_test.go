package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

var actorT = audit.Actor{Name: "test"}

// secretWorld fills a database with one unit and, for every state in which
// information must not be public, an item whose title, 文号, body and
// attachments carry a marker of its own; and one published control item.
type secretWorld struct {
	markers  map[string]string // what → marker
	items    map[string]int64  // what → item id
	atts     map[string]int64  // what → one attachment id
	control  string
	controlI int64
}

// must ends the test on an error, else returns the value.
func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func fillSecrets(t *testing.T, dsn string) *secretWorld {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	unit := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, actorT, &unit); err != nil {
		t.Fatal(err)
	}
	dept := org.Department{UnitID: unit.ID, Name: "办公室"}
	if err := db.CreateDepartment(ctx, actorT, &dept); err != nil {
		t.Fatal(err)
	}
	user := func(name string, roles ...org.Role) publish.Actor {
		u := org.User{Username: name, DisplayName: name, UnitID: unit.ID, DepartmentID: dept.ID}
		for _, r := range roles {
			u.Grants = append(u.Grants, org.Grant{UnitID: unit.ID, Role: r})
		}
		if err := db.CreateUser(ctx, actorT, &u, "x"); err != nil {
			t.Fatal(err)
		}
		return publish.ActorOf(u, unit.ID)
	}
	editor, reviewer, legal := user("editor", org.RoleEditor), user("reviewer", org.RoleReviewer), user("legal", org.RoleLegal)
	if _, err := db.EnsureCatalogue(ctx, actorT, unit.ID, publish.CustomsCatalogue()); err != nil {
		t.Fatal(err)
	}
	cats := must[[]publish.Category](t)(db.PublishCategories(ctx, unit.ID))
	catID := map[string]int64{}
	for _, c := range cats {
		catID[c.Slug] = c.ID
	}
	w := &secretWorld{items: map[string]int64{}, atts: map[string]int64{}, markers: map[string]string{
		"draft": "鸿鹄草稿密记", "review": "鹦鹉审查密记", "legal": "麒麟法审密记", "approved": "凤凰待发密记", "scheduled": "蝴蝶定时密记",
		"withdrawn": "蜻蜓撤回密记", "on_request": "骆驼依申请密记", "withheld": "蝙蝠不予公开密记", "revision": "鲸鱼修订密记",
		"unscheduled": "孔雀取消密记", "decision": "猎豹决定密记", "returned": "海豚退回密记",
	}}
	for k, m := range w.markers {
		w.markers[k] = m + " zz" + strings.ReplaceAll(k, "_", "") + "mark"
	}
	w.control = "熊猫公开对照 zzcontrolmark"
	today := calendar.Today(nil)
	content := func(marker, cat string) publish.Content {
		return publish.Content{Title: "测试信息" + marker, DocNo: "测试〔2024〕" + marker, DepartmentID: dept.ID, MadeOn: today, CategoryID: catID[cat],
			Attribute: publish.Active, Body: "<p>正文包含" + marker + "。</p>"}
	}
	uploads := func(marker string) []publish.Upload {
		txt := []byte("附件文字" + marker)
		doc := publish.MakeDocx([]string{"附件文档" + marker})
		return []publish.Upload{
			{Name: "附件" + strings.Fields(marker)[1] + ".txt", Type: "text/plain; charset=utf-8", Data: txt, Text: string(txt)},
			{Name: "文档.docx", Type: "application/zip", Data: doc, Text: publish.ExtractText("文档.docx", doc)},
		}
	}
	act := func(who publish.Actor, id int64, a store.Act) {
		t.Helper()
		if _, err := db.ActOnItem(ctx, actorT, who, id, 0, a); err != nil {
			t.Fatalf("%s: %v", a.Kind, err)
		}
	}
	create := func(what string, c publish.Content, ups []publish.Upload) int64 {
		it := must[publish.Item](t)(db.CreateItem(ctx, actorT, editor, unit.ID, store.ItemInput{Content: c, Uploads: ups}))
		atts := must[[]publish.Attachment](t)(db.PublishAttachments(ctx, it.ID))
		w.items[what] = it.ID
		if len(atts) > 0 {
			w.atts[what] = atts[0].ID
		}
		return it.ID
	}
	approve := func(id int64) {
		act(editor, id, store.Act{Kind: publish.EvSubmit})
		act(reviewer, id, store.Act{Kind: publish.EvApprove})
	}
	// The published control.
	c := content(w.control, "gonggao")
	w.controlI = create("control", c, uploads(w.control))
	approve(w.controlI)
	act(editor, w.controlI, store.Act{Kind: publish.EvPublish})

	m := w.markers
	create("draft", content(m["draft"], "tongzhi"), uploads(m["draft"]))
	id := create("returned", content(m["returned"], "tongzhi"), uploads(m["returned"]))
	act(editor, id, store.Act{Kind: publish.EvSubmit})
	act(reviewer, id, store.Act{Kind: publish.EvReturn, Reason: "退回"})
	id = create("review", content(m["review"], "tongzhi"), uploads(m["review"]))
	act(editor, id, store.Act{Kind: publish.EvSubmit})
	lc := content(m["legal"], "tongzhi")
	lc.LegalReview = true
	id = create("legal", lc, uploads(m["legal"]))
	approve(id)
	id = create("approved", content(m["approved"], "tongzhi"), uploads(m["approved"]))
	approve(id)
	id = create("scheduled", content(m["scheduled"], "tongzhi"), uploads(m["scheduled"]))
	approve(id)
	act(editor, id, store.Act{Kind: publish.EvPublish, PublishAt: time.Now().Add(24 * time.Hour)})
	id = create("unscheduled", content(m["unscheduled"], "tongzhi"), uploads(m["unscheduled"]))
	approve(id)
	act(editor, id, store.Act{Kind: publish.EvPublish, PublishAt: time.Now().Add(time.Hour)})
	act(reviewer, id, store.Act{Kind: publish.EvUnschedule, Reason: "推迟"})
	id = create("withdrawn", content(m["withdrawn"], "tongzhi"), uploads(m["withdrawn"]))
	approve(id)
	act(editor, id, store.Act{Kind: publish.EvPublish})
	act(reviewer, id, store.Act{Kind: publish.EvWithdraw, Reason: "撤回"})
	oc := content(m["on_request"], "art20-13")
	oc.Attribute, oc.Ground = publish.OnRequest, "仅涉及特定企业"
	id = create("on_request", oc, uploads(m["on_request"]))
	approve(id)
	wc := content(m["withheld"], "art20-15")
	wc.Attribute, wc.Ground = publish.Withheld, publish.WithheldGrounds[5]
	id = create("withheld", wc, uploads(m["withheld"]))
	approve(id)
	act(legal, id, store.Act{Kind: publish.EvLegalApprove})
	// A published item whose revision (with its own attachment) is still a draft.
	rc := content("修订前版本", "tongzhi")
	id = create("revision", rc, nil)
	approve(id)
	act(editor, id, store.Act{Kind: publish.EvPublish})
	rc2 := content(m["revision"], "tongzhi")
	must[publish.Item](t)(db.SaveItem(ctx, actorT, editor, id, 0, store.ItemInput{Content: rc2, Uploads: uploads(m["revision"])}))
	atts := must[[]publish.Attachment](t)(db.PublishAttachments(ctx, id))
	w.atts["revision"] = atts[len(atts)-1].ID
	// A decision not marked for 双公示, beside one that is.
	if err := db.AddDecisions(ctx, actorT, unit.ID, []publish.Decision{
		{Kind: publish.Licensing, DocNo: "许〔2024〕1号", Subject: "某公司" + m["decision"], SubjectType: publish.SubjectOrg, Matter: "报关企业备案", DecidedOn: today},
		{Kind: publish.Licensing, DocNo: "许〔2024〕2号", Subject: "公示公司" + w.control, SubjectType: publish.SubjectOrg, Matter: "报关企业备案", DecidedOn: today, Publicize: true},
	}, "测试"); err != nil {
		t.Fatal(err)
	}
	return w
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>`)

// crawl fetches every page reachable from the portal's entry points and
// returns each body by URL.
func crawl(t *testing.T, base string) map[string]string {
	c := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	seen := map[string]string{}
	queue := []string{"/", "/sitemap.xml", "/atom.xml"}
	for len(queue) > 0 && len(seen) < 3000 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := seen[p]; ok {
			continue
		}
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		seen[p] = string(body)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(body), -1) {
			l := m[1] + m[2]
			l = strings.ReplaceAll(l, "&amp;", "&")
			l = strings.TrimPrefix(l, base)
			if !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/admin") || strings.HasPrefix(l, "/display") {
				continue
			}
			if i := strings.IndexByte(l, '#'); i >= 0 {
				l = l[:i]
			}
			if _, ok := seen[l]; !ok {
				queue = append(queue, l)
			}
		}
	}
	return seen
}

// Nothing unpublished is reachable: the test crawls everything public
// (every link from the home page, the feeds and the sitemap, every
// attachment download), searches for every marker, and probes the direct
// URLs of every unpublished item and attachment — and finds no marker, while
// the published control is found everywhere it should be.
func TestSecretByConstruction(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			w := fillSecrets(t, dsn)
			app := startApp(t, dsn)
			pages := crawl(t, app.URL)
			if len(pages) < 20 {
				t.Fatalf("crawl reached only %d pages", len(pages))
			}
			controlSeen, files := false, 0
			for p, body := range pages {
				if strings.HasPrefix(p, "/files/") {
					files++
				}
				for what, m := range w.markers {
					for _, part := range strings.Fields(m) {
						if strings.Contains(body, part) {
							t.Errorf("%s marker %q reachable at %s", what, part, p)
						}
					}
				}
				if strings.Contains(body, "熊猫公开对照") && strings.HasPrefix(p, "/files/") {
					controlSeen = true
				}
			}
			if !controlSeen || files < 2 {
				t.Fatalf("the control's attachments were not reached (%d files crawled)", files)
			}
			if !strings.Contains(pages["/items/"+strconv.FormatInt(w.controlI, 10)], "熊猫公开对照") ||
				!strings.Contains(pages["/sitemap.xml"], "/items/"+strconv.FormatInt(w.controlI, 10)) || !strings.Contains(pages["/atom.xml"], "熊猫公开对照") {
				t.Fatal("the control is missing from its page, the sitemap or the feed")
			}
			b := newBrowser(t, app.URL)
			hits := regexp.MustCompile(`找到 (\d+) 条`)
			for what, m := range w.markers {
				for _, q := range append(strings.Fields(m), m) {
					_, page := b.get("/search?q=" + url.QueryEscape(q))
					if h := hits.FindStringSubmatch(page); h == nil || h[1] != "0" {
						t.Errorf("search for %s marker %q: %v", what, q, h)
					}
				}
			}
			for _, q := range []string{"熊猫公开对照", "zzcontrolmark", "熊猫", "对照"} {
				if _, page := b.get("/search?q=" + url.QueryEscape(q)); !strings.Contains(page, "找到 1 条") {
					t.Errorf("the control is not found by %q", q)
				}
			}
			if _, page := b.get("/search?q=" + url.QueryEscape("密记")); !strings.Contains(page, "找到 0 条") {
				t.Error("the markers' common word finds something")
			}
			for what, id := range w.items {
				if what == "control" || what == "revision" {
					continue
				}
				if code, page := b.get(fmt.Sprintf("/items/%d", id)); code != 404 || strings.Contains(page, "密记") {
					t.Errorf("%s item page: %d", what, code)
				}
			}
			for what, id := range w.atts {
				if what == "control" {
					continue
				}
				if code, page := b.get(fmt.Sprintf("/files/%d/x", id)); code != 404 || strings.Contains(page, "密记") {
					t.Errorf("%s attachment: %d", what, code)
				}
			}
			// The revised item's published version is public; its draft is not.
			if _, page := b.get(fmt.Sprintf("/items/%d", w.items["revision"])); !strings.Contains(page, "修订前版本") || strings.Contains(page, "鲸鱼") {
				t.Error("the published version of the revised item is wrong")
			}
			if _, page := b.get("/shuanggongshi?q=" + url.QueryEscape("公司")); strings.Contains(page, "猎豹") || !strings.Contains(page, "熊猫公开对照") {
				t.Error("双公示 shows an unpublicized decision or misses the publicized one")
			}
		})
	}
}

// post sends a multipart form (with files) as a browser would.
func (b *browser) postMultipart(path string, fields url.Values, files map[string][]byte) (int, string) {
	b.t.Helper()
	return b.postFiles(path, fields, "files", files)
}

// postFiles sends a multipart form with files in the input named field.
func (b *browser) postFiles(path string, fields url.Values, field string, files map[string][]byte) (int, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var optionRE = func(label string) *regexp.Regexp {
	return regexp.MustCompile(`<option value="(\d+)"[^>]*>[　]*` + regexp.QuoteMeta(label) + `<`)
}

// The whole workflow through the web pages, on the demo world: an editor
// drafts with an attachment, the form re-shows errors, the reviewer of
// another department is refused (谁公开、谁审查), the department's reviewer
// approves, the item is published and found by its attachment's text, and
// withdrawn.
func TestPublishWorkflowThroughPages(t *testing.T) {
	app := startApp(t, demoCopy(t))
	ed := newBrowser(t, app.URL)
	if code, _ := ed.login("editor", "gongkai-demo"); code != 200 {
		t.Fatal("editor login")
	}
	_, form := ed.get("/admin/publish/new")
	tok := csrfOf(t, form)
	dept, cat := optionRE("综合业务处").FindStringSubmatch(form), optionRE("通知").FindStringSubmatch(form)
	if dept == nil || cat == nil {
		t.Fatalf("form lacks department or category:\n%.2000s", form)
	}
	fields := url.Values{"csrf": {tok}, "title": {""}, "department": {dept[1]}, "category": {cat[1]}, "attribute": {"active"},
		"made_on": {calendar.Today(nil).String()}, "body": {"第一段：关于海关监管的说明。\n\n第二段<script>alert(1)</script>"}}
	code, page := ed.postMultipart("/admin/publish/new", fields, map[string][]byte{"program.pdf": []byte("MZ\x90\x00 not a pdf")})
	if code != 422 || !strings.Contains(page, "请填写标题") || !strings.Contains(page, "内容与扩展名") {
		t.Fatalf("bad form: %d %.3000s", code, page)
	}
	fields.Set("title", "关于跨境电商监管的通知（网页测试）")
	code, page = ed.postMultipart("/admin/publish/new", fields, map[string][]byte{"说明.txt": []byte("附件里才有的词：榕城茉莉花茶出口")})
	if code != 200 || !strings.Contains(page, "已保存草稿") {
		t.Fatalf("create: %d %.2000s", code, page)
	}
	itemURL := regexp.MustCompile(`/admin/publish/items/(\d+)/edit`).FindStringSubmatch(page)
	if itemURL == nil {
		t.Fatal("no edit link on the item page")
	}
	id := itemURL[1]
	if strings.Contains(page, "<script>alert") {
		t.Fatal("body not sanitised")
	}
	act := func(b *browser, kind string, extra url.Values) string {
		_, page := b.get("/admin/publish/items/" + id)
		ev := regexp.MustCompile(`name="expect" value="(\d+)"`).FindStringSubmatch(page)
		v := url.Values{"csrf": {csrfOf(t, page)}, "kind": {kind}}
		if ev != nil {
			v.Set("expect", ev[1])
		}
		for k, x := range extra {
			v[k] = x
		}
		_, page = b.post("/admin/publish/items/"+id+"/act", v)
		return page
	}
	if page := act(ed, "submit", nil); !strings.Contains(page, "已提交审查") {
		t.Fatalf("submit: %.2000s", page)
	}
	office := newBrowser(t, app.URL)
	office.login("reviewer", "gongkai-demo")
	if page := act(office, "approve", nil); !strings.Contains(page, "谁公开、谁审查") {
		t.Fatalf("other department's reviewer: %.2000s", page)
	}
	rev := newBrowser(t, app.URL)
	rev.login("zhyw-sc", "gongkai-demo")
	if page := act(rev, "approve", nil); !strings.Contains(page, "已审查通过") {
		t.Fatalf("approve: %.2000s", page)
	}
	if code, _ := ed.get("/items/" + id); code != 404 {
		t.Fatalf("approved item public before publication: %d", code)
	}
	if page := act(rev, "publish", url.Values{"when": {"now"}}); !strings.Contains(page, "已发布") {
		t.Fatalf("publish: %.2000s", page)
	}
	anon := newBrowser(t, app.URL)
	if code, page := anon.get("/items/" + id); code != 200 || !strings.Contains(page, "跨境电商监管") || !strings.Contains(page, "说明.txt") || !strings.Contains(page, "综合业务处") {
		t.Fatalf("published page: %d", code)
	}
	if _, page := anon.get("/search?q=" + url.QueryEscape("茉莉花茶")); !strings.Contains(page, "找到 1 条") || !strings.Contains(page, "<mark>茉莉花茶</mark>") {
		t.Fatal("attachment text not found or not highlighted")
	}
	if page := act(rev, "withdraw", url.Values{"reason": {"测试撤回"}}); !strings.Contains(page, "已撤回") {
		t.Fatalf("withdraw: %.2000s", page)
	}
	if code, _ := anon.get("/items/" + id); code != 404 {
		t.Fatalf("withdrawn item: %d", code)
	}
	if _, page := anon.get("/search?q=" + url.QueryEscape("茉莉花茶")); !strings.Contains(page, "找到 0 条") {
		t.Fatal("withdrawn item still found")
	}
	// Decisions are imported from CSV; a bad line is reported by number and nothing is stored.
	_, reg := ed.get("/admin/publish/registers?year=2025")
	bad := url.Values{"csrf": {csrfOf(t, reg)}, "text": {"类别,决定文书号,行政相对人,相对人类型,统一社会信用代码,事项,决定内容,依据,决定日期,双公示\n行政许可,测许1,某公司,法人,,备案,准予,法,2025-01-02,是\n行政许可,测许2,某公司,法人,,备案,准予,法,2025-02-30,是\n"}}
	if code, page := ed.post("/admin/publish/decisions/import", bad); code != 422 || !strings.Contains(page, "第 3 行：决定日期“2025-02-30”") {
		t.Fatalf("bad import: %d", code)
	}
	bad.Set("text", strings.Replace(bad.Get("text"), "2025-02-30", "2025-02-28", 1))
	if code, page := ed.post("/admin/publish/decisions/import", bad); code != 200 || !strings.Contains(page, "已导入 2 条决定") {
		t.Fatalf("import: %d", code)
	}
	// The statistics page states the seed's figures from the demo records.
	st := newBrowser(t, app.URL)
	st.login("stats", "gongkai-demo")
	if _, page := st.get("/admin/publish/stats?year=2024"); !strings.Contains(page, "发布公告1条，通告2条，通知8条，采购招标信息248条，行政执法“双公示”378条，“双随机、一公开”信息125条，公务员考录和事业单位招聘信息11条，“关长接待日”信息12期，网站发布信息同比增长27.4%。更新办事指南等信息11条次。") {
		t.Fatalf("stats sentence:\n%s", page)
	}
}

func TestPublishCommands(t *testing.T) {
	dir := t.TempDir()
	db := dir + "/g.db"
	if code, _, errOut := run(t, "", "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	code, out, errOut := run(t, "", "publish", "stats", "--db", db, "--unit", "fuzhou", "--year", "2024")
	if code != 0 || !strings.Contains(out, "采购招标信息248条") || !strings.Contains(out, "同比增长27.4%") || !strings.Contains(out, "行政规范性文件\t1\t1\t32") || !strings.Contains(out, "行政许可\t1348") {
		t.Fatalf("stats: %d %s %s", code, out, errOut)
	}
	if code, out, _ := run(t, "", "publish", "stats", "--db", db, "--unit", "fuzhou", "--year", "2024", "--json"); code != 0 || !strings.Contains(out, `"licensing_decisions": 1348`) {
		t.Fatalf("stats json: %d %s", code, out)
	}
	csv := dir + "/d.csv"
	writeTestFile(t, csv, publish.DecisionCSVHeader+"\n行政处罚,福州关缉违字〔2025〕1号,某公司,法人或其他组织,,走私,罚款,海关法,2025-02-03,是\n行政处罚,,某公司,法人,,走私,罚款,海关法,2025-13-03,是\n")
	if code, _, errOut := run(t, "", "publish", "import-decisions", "--db", db, "--unit", "fuzhou", csv); code != 1 || !strings.Contains(errOut, "第 3 行") {
		t.Fatalf("bad csv: %d %s", code, errOut)
	}
	writeTestFile(t, csv, publish.DecisionCSVHeader+"\n行政处罚,福州关缉违字〔2025〕1号,某公司,法人或其他组织,,走私,罚款,海关法,2025-02-03,是\n")
	if code, out, errOut := run(t, "", "publish", "import-decisions", csv, "--db", db, "--unit", "fuzhou"); code != 0 || !strings.Contains(out, "已导入 1 条") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if code, out, _ := run(t, "", "publish", "stats", "--db", db, "--unit", "fuzhou", "--year", "2025"); code != 0 || !strings.Contains(out, "行政处罚\t1") {
		t.Fatalf("2025: %s", out)
	}
	if code, out, _ := run(t, "", "publish", "reindex", "--db", db); code != 0 || !strings.Contains(out, "已重建") {
		t.Fatalf("reindex: %d %s", code, out)
	}
	if code, out, _ := run(t, "", "publish", "stats", "--db", db, "--unit", "fuzhou", "--year", "2024"); code != 0 || !strings.Contains(out, "采购招标信息248条") {
		t.Fatalf("after reindex: %s", out)
	}
	if code, _, _ := run(t, "", "publish", "frobnicate"); code != 2 {
		t.Fatal("unknown subcommand")
	}
}

func writeTestFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
