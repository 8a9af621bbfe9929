package web_test

import (
	"context"
	"fmt"
	"html"
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
	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/web"
)

var ctx = context.Background()

var sysActor = audit.Actor{Name: "test"}

// secrecyWorld is a unit whose portal holds one published item (the
// control) and items in every state that must stay off the portal, each
// carrying its own marker in its title, 文号, body, attachment name and
// attachment text.
type secrecyWorld struct {
	db      *store.DB
	now     time.Time
	unit    org.Unit
	dept    org.Department
	editor  publish.Actor
	review  publish.Actor
	legal   publish.Actor
	cats    map[string]publish.Category
	hidden  map[string]int64 // marker → item id
	control string
	ctlID   int64
	// revised is the marker of a revision not yet published of a
	// published item (revisedID).
	revised   string
	revisedID int64
}

func newSecrecyWorld(t testing.TB, d store.Dialect) *secrecyWorld {
	t.Helper()
	w := &secrecyWorld{now: time.Date(2024, 5, 6, 2, 0, 0, 0, time.UTC), cats: map[string]publish.Category{}, hidden: map[string]int64{}}
	w.db = storetest.Open(t, d, store.Options{Now: func() time.Time { return w.now }})
	w.unit = org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := w.db.CreateUnit(ctx, sysActor, &w.unit); err != nil {
		t.Fatal(err)
	}
	w.dept = org.Department{UnitID: w.unit.ID, Name: "综合业务处"}
	if err := w.db.CreateDepartment(ctx, sysActor, &w.dept); err != nil {
		t.Fatal(err)
	}
	actor := func(name string, r org.Role) publish.Actor {
		u := org.User{Username: name, DisplayName: "测试" + name, UnitID: w.unit.ID, DepartmentID: w.dept.ID,
			Grants: []org.Grant{{UnitID: w.unit.ID, Role: r}}}
		if err := w.db.CreateUser(ctx, sysActor, &u, "x"); err != nil {
			t.Fatal(err)
		}
		return publish.ActorOf(u, w.unit.ID)
	}
	w.editor, w.review, w.legal = actor("editor", org.RoleEditor), actor("reviewer", org.RoleReviewer), actor("legal", org.RoleLegal)
	if _, err := w.db.EnsureCatalogue(ctx, sysActor, w.unit.ID, publish.CustomsCatalogue()); err != nil {
		t.Fatal(err)
	}
	cats, err := w.db.PublishCategories(ctx, w.unit.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		w.cats[c.Slug] = c
	}
	return w
}

// create drafts an item whose every text carries marker.
func (w *secrecyWorld) create(t testing.TB, marker string, attr publish.Attribute, opts ...func(*publish.Content)) publish.Item {
	t.Helper()
	c := publish.Content{
		Title: "关于口岸通关的公告 " + marker, DocNo: "福州关公告〔2024〕" + marker + "号", DepartmentID: w.dept.ID,
		MadeOn: calendar.DateOf(w.now.In(time.FixedZone("CST", 8*3600))), CategoryID: w.cats["gonggao"].ID, Attribute: attr,
		Body: "<p>海关关税公开 " + marker + " 正文。</p>",
	}
	if attr != publish.Active {
		c.Ground = publish.WithheldGrounds[0]
	}
	for _, o := range opts {
		o(&c)
	}
	up := publish.Upload{Name: marker + ".txt", Type: "text/plain; charset=utf-8", Data: []byte("附件 " + marker + " 内容"), Text: "附件 " + marker + " 内容"}
	it, err := w.db.CreateItem(ctx, sysActor, w.editor, w.unit.ID, store.ItemInput{Content: c, Uploads: []publish.Upload{up}})
	if err != nil {
		t.Fatalf("create %s: %v", marker, err)
	}
	return it
}

func (w *secrecyWorld) act(t testing.TB, who publish.Actor, id int64, a store.Act) publish.Item {
	t.Helper()
	it, err := w.db.ActOnItem(ctx, sysActor, who, id, 0, a)
	if err != nil {
		t.Fatalf("%s on %d: %v", a.Kind, id, err)
	}
	return it
}

// approve takes a draft through review (and legal review where needed).
func (w *secrecyWorld) approve(t testing.TB, id int64) publish.Item {
	t.Helper()
	w.act(t, w.editor, id, store.Act{Kind: publish.EvSubmit})
	it := w.act(t, w.review, id, store.Act{Kind: publish.EvApprove})
	if it.State == publish.Legal {
		it = w.act(t, w.legal, id, store.Act{Kind: publish.EvLegalApprove})
	}
	return it
}

// fill creates the control and one item per unpublished state.
func (w *secrecyWorld) fill(t testing.TB) {
	t.Helper()
	w.control = "zqcontrolmark"
	ctl := w.create(t, w.control, publish.Active)
	w.approve(t, ctl.ID)
	w.act(t, w.editor, ctl.ID, store.Act{Kind: publish.EvPublish})
	w.ctlID = ctl.ID

	hide := func(marker string, it publish.Item) { w.hidden[marker] = it.ID }

	hide("zqdraftmark", w.create(t, "zqdraftmark", publish.Active))

	it := w.create(t, "zqreviewmark", publish.Active)
	w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvSubmit})
	hide("zqreviewmark", it)

	it = w.create(t, "zqlegalmark", publish.Withheld)
	w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvSubmit})
	if got := w.act(t, w.review, it.ID, store.Act{Kind: publish.EvApprove}); got.State != publish.Legal {
		t.Fatalf("不予公开 after review: %s", got.State)
	}
	hide("zqlegalmark", it)

	it = w.create(t, "zqapprovedmark", publish.Active)
	w.approve(t, it.ID)
	hide("zqapprovedmark", it)

	it = w.create(t, "zqschedulemark", publish.Active)
	w.approve(t, it.ID)
	if got := w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvPublish, PublishAt: w.now.Add(48 * time.Hour)}); got.State != publish.Scheduled {
		t.Fatalf("scheduled: %s", got.State)
	}
	hide("zqschedulemark", it)

	it = w.create(t, "zqwithdrawnmark", publish.Active)
	w.approve(t, it.ID)
	w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvPublish})
	w.act(t, w.review, it.ID, store.Act{Kind: publish.EvWithdraw, Reason: "内容有误"})
	hide("zqwithdrawnmark", it)

	it = w.create(t, "zqrequestmark", publish.OnRequest)
	if got := w.approve(t, it.ID); got.State != publish.Approved {
		t.Fatalf("依申请公开 approved: %s", got.State)
	}
	hide("zqrequestmark", it)

	it = w.create(t, "zqwithheldmark", publish.Withheld)
	if got := w.approve(t, it.ID); got.State != publish.Approved {
		t.Fatalf("不予公开 approved: %s", got.State)
	}
	hide("zqwithheldmark", it)

	// Interpretations of the control not yet published are not linked
	// from it.
	interp := func(c *publish.Content) {
		c.Interprets, c.CategoryID, c.Title = ctl.ID, w.cats["interpretation"].ID, "政策解读 zqinterpdraftmark"
	}
	hide("zqinterpdraftmark", w.create(t, "zqinterpdraftmark", publish.Active, interp))
	it = w.create(t, "zqinterpschedmark", publish.Active, func(c *publish.Content) {
		interp(c)
		c.Title = "政策解读 zqinterpschedmark"
	})
	w.approve(t, it.ID)
	w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvPublish, PublishAt: w.now.Add(72 * time.Hour)})
	hide("zqinterpschedmark", it)

	// A published item under revision: the portal keeps the published
	// version; the revision's text stays private until it is published.
	it = w.create(t, "zqoldversionmark", publish.Active)
	w.approve(t, it.ID)
	it = w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvPublish})
	c := it.Content
	c.Body = "<p>修订中的正文 zqrevisionmark</p>"
	if _, err := w.db.SaveItem(ctx, sysActor, w.editor, it.ID, 0, store.ItemInput{Content: c}); err != nil {
		t.Fatalf("revise: %v", err)
	}
	w.revised = "zqrevisionmark"
	w.revisedID = it.ID
}

var linkRE = regexp.MustCompile(`(?:href|src|action)="([^"]*)"|<loc>([^<]*)</loc>`)

// crawl fetches every page reachable from the portal's entry points by
// links, feeds and the sitemap, and returns the text of each.
func crawl(t *testing.T, base string) map[string]string {
	t.Helper()
	seen := map[string]string{}
	queue := []string{"/", "/sitemap.xml", "/atom.xml", "/robots.txt"}
	client := &http.Client{Timeout: 10 * time.Second}
	for len(queue) > 0 && len(seen) < 3000 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := seen[p]; ok {
			continue
		}
		resp, err := client.Get(base + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("GET %s: %d", p, resp.StatusCode)
		}
		body := string(b)
		seen[p] = body
		for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
			ref := html.UnescapeString(m[1] + m[2])
			u, err := url.Parse(ref)
			if err != nil || strings.HasPrefix(ref, "#") {
				continue
			}
			if u.Host != "" && base != u.Scheme+"://"+u.Host {
				continue
			}
			if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/admin") {
				continue
			}
			next := u.Path
			if u.RawQuery != "" {
				next += "?" + u.RawQuery
			}
			if _, ok := seen[next]; !ok {
				queue = append(queue, next)
			}
		}
	}
	return seen
}

// TestPortalKeepsUnpublishedSecret fills a database with items in every
// state that must not be public, crawls everything the portal links to
// (pages, feeds, sitemap, attachments), searches for every marker and asks
// for every unpublished item and attachment by its id: none is found, while
// the published control is.
func TestPortalKeepsUnpublishedSecret(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			w := newSecrecyWorld(t, d)
			w.fill(t)
			srv, err := web.New(w.db, &auth.Service{Store: w.db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: "fuzhou"})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()

			markers := []string{w.revised}
			for m := range w.hidden {
				markers = append(markers, m)
			}
			pages := crawl(t, ts.URL)
			t.Logf("crawled %d public URLs", len(pages))
			for _, want := range []string{"/sitemap.xml", "/atom.xml", "/catalog/gonggao", "/catalog/gonggao/atom.xml", "/search", "/column/catalog"} {
				if _, ok := pages[want]; !ok {
					t.Errorf("the crawl did not reach %s", want)
				}
			}
			for _, m := range markers {
				for _, u := range []string{"/search?q=" + m, "/search?q=" + m + "&category=gonggao&year=2024", "/search?q=" + m + "+" + url.QueryEscape("海关")} {
					body := get(t, ts.URL+u)
					if !strings.Contains(body, "找到 0 条") {
						t.Errorf("search %s found something", u)
					}
					// The page repeats what was asked; only the answer counts.
					body = strings.ReplaceAll(body, `value="`+m+`"`, "")
					body = regexp.MustCompile(`value="`+m+`[^"]*"|“`+m+`[^”]*”`).ReplaceAllString(body, "")
					pages[u] = body
				}
			}
			ctlSeen, ctlFile := false, false
			for p, body := range pages {
				for _, m := range markers {
					if strings.Contains(body, m) {
						t.Errorf("marker %s reachable at %s", m, p)
					}
				}
				if strings.Contains(body, w.control) && strings.HasPrefix(p, "/items/") {
					ctlSeen = true
				}
				if strings.HasPrefix(p, "/files/") && strings.Contains(body, "附件 "+w.control) {
					ctlFile = true
				}
			}
			if !ctlSeen || !ctlFile {
				t.Fatalf("control not reached by the crawl (item %v, attachment %v) in %d pages", ctlSeen, ctlFile, len(pages))
			}
			if body := get(t, ts.URL+"/search?q="+w.control); !strings.Contains(body, "<mark>"+w.control+"</mark>") {
				t.Fatalf("control not found by search:\n%s", body)
			}
			for _, q := range []string{"海关", "关税", "公开"} {
				if body := get(t, ts.URL+"/search?q="+url.QueryEscape(q)); !strings.Contains(body, "/items/"+fmt.Sprint(w.ctlID)) {
					t.Errorf("search %s does not find the control", q)
				}
			}
			// Asked for directly, by id.
			ids := []int64{}
			for _, id := range w.hidden {
				ids = append(ids, id)
			}
			for _, id := range ids {
				if code := status(t, fmt.Sprintf("%s/items/%d", ts.URL, id)); code != http.StatusNotFound {
					t.Errorf("/items/%d: %d, want 404", id, code)
				}
				atts, err := w.db.PublishAttachments(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(atts) == 0 {
					t.Fatalf("item %d has no attachment", id)
				}
				for _, a := range atts {
					if code := status(t, fmt.Sprintf("%s/files/%d/%s", ts.URL, a.ID, url.PathEscape(a.Name))); code != http.StatusNotFound {
						t.Errorf("/files/%d: %d, want 404", a.ID, code)
					}
				}
			}
			// The revision's new attachment-free text is not public, but its
			// published version is.
			if body := get(t, fmt.Sprintf("%s/items/%d", ts.URL, w.revisedID)); !strings.Contains(body, "zqoldversionmark") || strings.Contains(body, w.revised) {
				t.Errorf("item under revision shows the wrong version")
			}

			// The scheduled item appears when its time comes, and only then.
			w.now = w.now.Add(49 * time.Hour)
			if body := get(t, ts.URL+"/search?q=zqschedulemark"); !strings.Contains(body, "<mark>zqschedulemark</mark>") {
				t.Errorf("scheduled item not found after its time")
			}
			if code := status(t, fmt.Sprintf("%s/items/%d", ts.URL, w.hidden["zqschedulemark"])); code != http.StatusOK {
				t.Errorf("scheduled item after its time: %d", code)
			}
		})
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}

func status(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
