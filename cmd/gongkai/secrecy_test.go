package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/publish"
	"gongkai/internal/report"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// TestSecrecyCrawl puts a unique marker into every kind of record the
// portal must not show — items in every unpublished state, a revision not
// yet published and their attachments, an application (fields and
// attachment), messages and consultations with a draft and an approved but
// unpublished reply, and the unit's report template (so the draft report
// carries it) — on top of the demo world, serves it with the real server,
// and crawls everything public from the home page: links, feeds, the
// sitemap, the open-data JSON, the annual-report pages, search result
// pages for every marker and substrings of it, and every id up to the
// largest issued plus a margin. Figure: markers found (0), pages crawled.
func TestSecrecyCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crawl fetches thousands of pages")
	}
	dsn := demoCopy(t)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	markers := plantMarkers(t, db)
	app := startApp(t, dsn)
	c := &crawler{t: t, base: app.URL, client: &http.Client{Timeout: 30 * time.Second}, pages: map[string]string{}}

	c.crawl("/", "/sitemap.xml", "/atom.xml", "/robots.txt", "/open/reports", "/column/reports", "/interact", "/shuanggongshi", "/rcep", "/column/apply", "/column/apply/status", "/interact/lookup")
	crawled := len(c.pages)
	// Search result pages: every marker, and substrings of it.
	for _, m := range markers {
		for _, q := range []string{m, m[:len(m)-3], m[3:], m[2 : len(m)-2], m + " 海关"} {
			for _, p := range []string{"/search?q=", "/shuanggongshi?q=", "/interact/message?q=", "/interact/consult?q="} {
				c.fetch(p+url.QueryEscape(q), true)
			}
		}
	}
	// Guessed ids: every id up to the largest issued, and a margin.
	const margin = 50
	maxID := func(q string) int64 {
		var n int64
		if err := db.SQL().QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	items := max(maxID("SELECT COALESCE(MAX(id), 0) FROM publish_items"), maxID("SELECT COALESCE(MAX(id), 0) FROM pub_items"))
	for id := int64(1); id <= items+margin; id++ {
		c.fetch(fmt.Sprintf("/items/%d", id), false)
	}
	files := max(maxID("SELECT COALESCE(MAX(id), 0) FROM publish_attachments"), maxID("SELECT COALESCE(MAX(id), 0) FROM pub_attachments"))
	for id := int64(1); id <= files+margin; id++ {
		c.fetch(fmt.Sprintf("/files/%d/x", id), false)
	}
	for id := int64(1); id <= maxID("SELECT COALESCE(MAX(id), 0) FROM desk_surveys")+margin; id++ {
		c.fetch(fmt.Sprintf("/interact/surveys/%d", id), false)
	}
	units, err := db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		for y := 2015; y <= time.Now().Year()+1; y++ {
			p := fmt.Sprintf("/reports/%s/%d", u.Code, y)
			c.fetch(p, false)
			for _, f := range []string{"html", "docx", "pdf", "xlsx", "json", "txt"} {
				c.fetch(p+"/report."+f, false)
			}
		}
	}
	// The draft report carries its marker (the control): it is in the
	// draft, and must not be on the portal.
	if _, draft, _ := run(t, "", "report", "build", "--db", dsn, "--unit", "fuzhou", "--year", fmt.Sprint(time.Now().Year()), "--format", "json"); !strings.Contains(draft, markers[len(markers)-1]) {
		t.Errorf("the draft report does not carry its marker: the control failed")
	}

	// The control: the published item is reached by the crawl and found by
	// search, after the echo of the question is taken out.
	ctlCrawled := false
	for p, body := range c.pages {
		if strings.HasPrefix(p, "/items/") && strings.Contains(body, "zqpublishedcontrol") {
			ctlCrawled = true
		}
	}
	if !ctlCrawled || !strings.Contains(c.fetch("/search?q=zqpublishedcontrol", true), "zqpublishedcontrol") {
		t.Errorf("the published control is not reached (crawl %v) or not found by search: the crawl cannot see what it looks for", ctlCrawled)
	}

	found := 0
	var where []string
	for p, body := range c.pages {
		for _, m := range markers {
			if strings.Contains(body, m) {
				found++
				where = append(where, m+" at "+p)
			}
		}
	}
	sort.Strings(where)
	for _, w := range where {
		t.Errorf("marker found: %s", w)
	}
	for _, must := range []string{"/sitemap.xml", "/atom.xml", "/open/reports", "/column/reports", "/interact"} {
		if _, ok := c.pages[must]; !ok {
			t.Errorf("the crawl did not reach %s", must)
		}
	}
	reports, files2 := 0, 0
	for p := range c.pages {
		if strings.HasPrefix(p, "/reports/") && c.status[p] == 200 {
			reports++
		}
		if strings.HasPrefix(p, "/files/") && c.status[p] == 200 {
			files2++
		}
	}
	if reports == 0 || files2 == 0 {
		t.Errorf("the crawl found %d report pages and %d attachments: it did not reach the portal's content", reports, files2)
	}
	t.Logf("markers planted: %d; pages crawled: %d by links (%d in all with searches and guessed ids; %d report pages, %d attachments answered 200); markers found: %d",
		len(markers), crawled, len(c.pages), reports, files2, found)
}

// plantMarkers adds the marked records and returns the markers; the last
// is the draft report's.
func plantMarkers(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	unit, err := db.UnitByCode(ctx, "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	user := func(name string) publish.Actor {
		u, err := db.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return publish.ActorOf(u, unit.ID)
	}
	editor, reviewer, legal := user("editor"), user("reviewer"), user("legal")
	cats, err := db.PublishCategories(ctx, unit.ID)
	if err != nil {
		t.Fatal(err)
	}
	var cat publish.Category
	for _, c := range cats {
		if c.Slug == "gonggao" {
			cat = c
		}
	}
	if cat.ID == 0 {
		t.Fatal("no 公告 category in the demo")
	}
	sys := audit.System("secrecy-test")
	var markers []string
	mark := func(what string) string {
		m := fmt.Sprintf("zqmk%sx%dq", what, len(markers))
		markers = append(markers, m)
		return m
	}
	create := func(m string, attr publish.Attribute) publish.Item {
		c := publish.Content{Title: "关于口岸通关的公告 " + m, DocNo: "福州关公告〔2024〕" + m + "号", DepartmentID: editor.DepartmentID,
			MadeOn: calendar.DateOf(time.Now()), CategoryID: cat.ID, Attribute: attr, Body: "<p>海关关税公开 " + m + " 正文。</p>"}
		if attr != publish.Active {
			c.Ground = publish.WithheldGrounds[0]
		}
		up := publish.Upload{Name: m + ".txt", Type: "text/plain; charset=utf-8", Data: []byte("附件 " + m + " 内容"), Text: "附件 " + m + " 内容"}
		it, err := db.CreateItem(ctx, sys, editor, unit.ID, store.ItemInput{Content: c, Uploads: []publish.Upload{up}})
		if err != nil {
			t.Fatalf("create %s: %v", m, err)
		}
		return it
	}
	act := func(who publish.Actor, id int64, a store.Act) publish.Item {
		it, err := db.ActOnItem(ctx, sys, who, id, 0, a)
		if err != nil {
			t.Fatalf("%s on %d: %v", a.Kind, id, err)
		}
		return it
	}
	approve := func(id int64) publish.Item {
		act(editor, id, store.Act{Kind: publish.EvSubmit})
		it := act(reviewer, id, store.Act{Kind: publish.EvApprove})
		if it.State == publish.Legal {
			it = act(legal, id, store.Act{Kind: publish.EvLegalApprove})
		}
		return it
	}
	create(mark("draft"), publish.Active)
	it := create(mark("review"), publish.Active)
	act(editor, it.ID, store.Act{Kind: publish.EvSubmit})
	it = create(mark("legal"), publish.Withheld)
	act(editor, it.ID, store.Act{Kind: publish.EvSubmit})
	act(reviewer, it.ID, store.Act{Kind: publish.EvApprove})
	approve(create(mark("approved"), publish.Active).ID)
	it = create(mark("schedule"), publish.Active)
	approve(it.ID)
	act(editor, it.ID, store.Act{Kind: publish.EvPublish, PublishAt: time.Now().Add(30 * 24 * time.Hour)})
	it = create(mark("withdrawn"), publish.Active)
	approve(it.ID)
	act(editor, it.ID, store.Act{Kind: publish.EvPublish})
	act(reviewer, it.ID, store.Act{Kind: publish.EvWithdraw, Reason: "内容有误"})
	approve(create(mark("onrequest"), publish.OnRequest).ID)
	approve(create(mark("withheld"), publish.Withheld).ID)
	// A published item under revision: the revision and its new attachment.
	it = create("zqpublishedcontrol", publish.Active)
	approve(it.ID)
	it = act(editor, it.ID, store.Act{Kind: publish.EvPublish})
	rev := it.Content
	m := mark("revision")
	rev.Body = "<p>修订中的正文 " + m + "</p>"
	if _, err := db.SaveItem(ctx, sys, editor, it.ID, 0, store.ItemInput{Content: rev, Uploads: []publish.Upload{{Name: m + "-new.txt", Type: "text/plain; charset=utf-8", Data: []byte(m), Text: m}}}); err != nil {
		t.Fatalf("revise: %v", err)
	}

	// An application: every field the applicant fills, and its attachment.
	m = mark("apply")
	a := requests.Application{Channel: requests.ChannelOnline, ApplicantType: requests.NaturalPerson, Name: "王" + m, IDNumber: "11010519491231002X",
		Phone: "13800000000", Address: "福州市" + m + "路1号", Email: m + "@example.cn", Description: "请公开 " + m + " 的文件", Form: "电子文档", Delivery: "网上获取",
		ReceivedOn: calendar.DateOf(time.Now()), Attachments: []requests.Attachment{{Name: m + ".pdf", Content: []byte("%PDF-1.4 " + m + strings.Repeat(" x", 200))}}}
	if _, _, _, err := db.SubmitApplication(ctx, audit.Public, unit.ID, "secrecy-token-0123456789abcdef", a); err != nil {
		t.Fatalf("application: %v", err)
	}

	// Messages and consultations: received, with a draft reply, with an
	// approved reply that is not published.
	staff, err := db.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	who := audit.Actor{UserID: staff.ID, Name: staff.Username, UnitID: unit.ID}
	for i, kind := range []string{desk.KindMessage, desk.KindConsult, desk.KindMessage} {
		m := mark("enquiry")
		e := desk.Enquiry{UnitID: unit.ID, Kind: kind, Name: "李" + m, Phone: "13900000000", Topic: desk.Topics[0].Key,
			Subject: "问题 " + m, Body: "请问 " + m + " 的办理时间？", PublicOK: true}
		if _, err := db.CreateEnquiry(ctx, &e, store.FormGuard{ClientKey: "secrecy" + m, Nonce: "nonce-" + m, Limit: 100, Window: time.Hour}); err != nil {
			t.Fatalf("enquiry: %v", err)
		}
		if i == 0 {
			continue
		}
		r := mark("reply")
		agent, err := db.UserByUsername(ctx, "agent") // the hotline drafts replies (desk.AuthorizeStep)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ActOnEnquiry(ctx, audit.Actor{UserID: agent.ID, Name: agent.Username, UnitID: unit.ID}, e.ID, desk.Action{Kind: desk.EvDrafted, Body: "答复草稿 " + r + " 内容"}, time.Now()); err != nil {
			t.Fatalf("draft reply: %v", err)
		}
		if i == 2 {
			head, err := db.UserByUsername(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			if err := db.ActOnEnquiry(ctx, audit.Actor{UserID: head.ID, Name: head.Username, UnitID: unit.ID}, e.ID, desk.Action{Kind: desk.EvApproved}, time.Now()); err != nil {
				t.Fatalf("approve reply: %v", err)
			}
		}
	}

	// The draft report: the unit's template carries a marker, so the
	// report of the current year — a draft, never published — does.
	m = mark("draftreport")
	tpl := report.DefaultTemplate()
	tpl.Parts[0].Body += "草稿标记" + m + "。"
	raw, _ := json.Marshal(tpl)
	if err := db.SetUnitSettings(ctx, who, unit.ID, map[string]string{report.TemplateKey(annual.ScopeSelf): string(raw), report.TemplateKey(annual.ScopeAll): string(raw)}); err != nil {
		t.Fatal(err)
	}
	return markers
}

// crawler fetches the public site and keeps every page's text.
type crawler struct {
	t      *testing.T
	base   string
	client *http.Client
	pages  map[string]string
	status map[string]int
}

var crawlLinkRE = regexp.MustCompile(`(?:href|src|action)="([^"]*)"|<loc>([^<]*)</loc>|"(?:url|href|link|file|path)"\s*:\s*"([^"]+)"`)

func (c *crawler) crawl(start ...string) {
	queue := append([]string(nil), start...)
	for len(queue) > 0 && len(c.pages) < 20000 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := c.pages[p]; ok {
			continue
		}
		body := c.fetch(p, false)
		for _, m := range crawlLinkRE.FindAllStringSubmatch(body, -1) {
			ref := html.UnescapeString(m[1] + m[2] + m[3])
			u, err := url.Parse(ref)
			if err != nil || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "mailto:") {
				continue
			}
			if u.Host != "" && c.base != u.Scheme+"://"+u.Host {
				continue
			}
			if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/admin") || strings.HasPrefix(u.Path, "/static/") {
				continue
			}
			next := u.Path
			if u.RawQuery != "" {
				next += "?" + u.RawQuery
			}
			if _, ok := c.pages[next]; !ok {
				queue = append(queue, next)
			}
		}
	}
}

// fetch gets one public URL; a 5xx fails the test. A search page repeats
// what was asked: echo removes that before the page is kept.
func (c *crawler) fetch(p string, echo bool) string {
	c.t.Helper()
	if c.status == nil {
		c.status = map[string]int{}
	}
	if b, ok := c.pages[p]; ok {
		return b
	}
	resp, err := c.client.Get(c.base + p)
	if err != nil {
		c.t.Fatalf("GET %s: %v", p, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		c.t.Errorf("GET %s: %d", p, resp.StatusCode)
	}
	body := string(b)
	if echo {
		u, _ := url.Parse(p)
		q := u.Query().Get("q")
		// Only where the page repeats the question: the search box, the
		// quoted question, the title, the links to other result pages. A
		// marker anywhere else is a finding.
		for _, form := range []string{q, html.EscapeString(q), url.QueryEscape(q), strings.ReplaceAll(url.QueryEscape(q), "+", "%20")} {
			qe := regexp.QuoteMeta(form)
			body = regexp.MustCompile(`value="`+qe+`"|“`+qe+`”|<title>[^<]*</title>|q=`+qe+`(&|&amp;|")`).ReplaceAllString(body, "")
		}
	}
	c.pages[p], c.status[p] = body, resp.StatusCode
	return body
}
