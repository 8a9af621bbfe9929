package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The inspection's test world: a unit whose portal carries one defect of
// each kind the checks know (the defect site), and one that carries none
// (the clean site), on a fixed clock.

// inspectNow is the fixture's clock: 15 June 2026, 10:00 Beijing time.
var inspectNow = time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)

func bj(d time.Duration) time.Time { return inspectNow.Add(d) }

const day = 24 * time.Hour

// eachInspectDB runs fn on both engines with the fixture's clock.
func eachInspectDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	eachInspectDSN(t, func(t *testing.T, db *store.DB, dsn string) { fn(t, db) })
}

// eachInspectDSN also gives the database's address, for the command line.
func eachInspectDSN(t *testing.T, fn func(t *testing.T, db *store.DB, dsn string)) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			db, err := store.Open(context.Background(), dsn, store.Options{Now: func() time.Time { return inspectNow }})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db, dsn)
		})
	}
}

// siteWorld is a unit with its people.
type siteWorld struct {
	unit                         org.Unit
	office, business             org.Department
	editor, reviewer, head, stat org.User
	cats                         map[string]int64
	items                        map[string]int64
}

func (w *siteWorld) headActor() (audit.Actor, inspect.Actor) {
	return audit.Actor{UserID: w.head.ID, Name: w.head.Username, UnitID: w.unit.ID}, inspect.Actor{UserID: w.head.ID, Name: w.head.DisplayName, Roles: []org.Role{org.RoleOfficeHead}}
}

// newSiteWorld makes a unit with two departments, its people, and the
// columns the fixtures fill.
func newSiteWorld(t *testing.T, db *store.DB, code, name string) *siteWorld {
	t.Helper()
	ctx := context.Background()
	sys := audit.System("test")
	w := &siteWorld{unit: org.Unit{Code: code, Name: name}, cats: map[string]int64{}, items: map[string]int64{}}
	noErr(t, db.CreateUnit(ctx, sys, &w.unit))
	w.office = org.Department{UnitID: w.unit.ID, Name: "办公室"}
	w.business = org.Department{UnitID: w.unit.ID, Name: "综合业务处"}
	noErr(t, db.CreateDepartment(ctx, sys, &w.office))
	noErr(t, db.CreateDepartment(ctx, sys, &w.business))
	hash, err := auth.HashPassword("inspect password", auth.Params{Memory: 1024, Time: 1, Threads: 1})
	noErr(t, err)
	for _, a := range []struct {
		u    *org.User
		name string
		dept int64
		role org.Role
	}{{&w.editor, "editor", w.business.ID, org.RoleEditor}, {&w.reviewer, "reviewer", w.office.ID, org.RoleReviewer},
		{&w.head, "head", w.office.ID, org.RoleOfficeHead}, {&w.stat, "stats", w.office.ID, org.RoleStatistician}} {
		*a.u = org.User{Username: code + "-" + a.name, DisplayName: name + a.name, UnitID: w.unit.ID, DepartmentID: a.dept, Email: a.name + "@" + code + ".example.cn",
			Grants: []org.Grant{{UnitID: w.unit.ID, Role: a.role}}}
		noErr(t, db.CreateUser(ctx, sys, a.u, hash))
	}
	col := func(slug, name string) publish.CategorySpec {
		return publish.CategorySpec{Category: publish.Category{Slug: slug, Name: name}}
	}
	_, err = db.EnsureCatalogue(ctx, sys, w.unit.ID, []publish.CategorySpec{
		col("dongtai", "工作动态"), col("tongzhi", "通知"), col("guides", "办事指南"), col("art20-1", "规章和行政规范性文件"), col("kongbai", "规划计划"),
	})
	noErr(t, err)
	cats, err := db.PublishCategories(ctx, w.unit.ID)
	noErr(t, err)
	for _, c := range cats {
		w.cats[c.Slug] = c.ID
	}
	return w
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// item is an item to publish: made on made, published at pub.
type item struct {
	key, cat, title, body string
	made                  time.Time
	pub                   time.Time
	kind                  publish.DocKind
}

func (w *siteWorld) publish(t *testing.T, db *store.DB, its ...item) {
	t.Helper()
	var in []publish.ImportItem
	for _, it := range its {
		made := calendar.DateOf(it.made.In(beijing))
		c := &publish.Content{Title: it.title, DepartmentID: w.business.ID, MadeOn: made, CategoryID: w.cats[it.cat], Attribute: publish.Active,
			Ground: publish.DefaultActiveGround, Body: "<p>" + it.body + "</p>", DocKind: it.kind}
		if strings.Contains(it.body, "<") {
			c.Body = it.body
		}
		if it.kind != publish.Ordinary {
			c.ValidFrom, c.DocNo = made, "测关规〔"+strconv.Itoa(made.Year())+"〕"+strconv.Itoa(len(in)+1)+"号"
		}
		at := it.made.Add(time.Hour)
		pub := it.pub
		in = append(in, publish.ImportItem{Events: []publish.Event{
			{Kind: publish.EvCreate, At: at, ActorID: w.editor.ID, ActorName: w.editor.DisplayName, Version: 1, Content: c},
			{Kind: publish.EvSubmit, At: at.Add(time.Minute), ActorID: w.editor.ID, ActorName: w.editor.DisplayName, Version: 1},
			{Kind: publish.EvApprove, At: pub.Add(-time.Minute), ActorID: w.reviewer.ID, ActorName: w.reviewer.DisplayName, Version: 1},
			{Kind: publish.EvPublish, At: pub, ActorID: w.reviewer.ID, ActorName: w.reviewer.DisplayName, Version: 1, PublishAt: pub},
		}})
	}
	ids, err := db.ImportItems(context.Background(), audit.System("test"), w.unit.ID, in)
	noErr(t, err)
	for i, it := range its {
		w.items[it.key] = ids[i]
	}
}

const completeGuide = "事项名称：报关企业备案。设定依据：《海关法》。申请条件：依法设立。办理材料：备案表。办理地点：政务服务大厅。办理时间：工作日9:00-17:00。联系电话：12360。办理流程：申请、受理、办结。"

// enquiry adds a consultation or message received at rec; answered at ans
// (zero: still open).
func (w *siteWorld) enquiry(t *testing.T, db *store.DB, kind, subject string, rec, ans time.Time) {
	t.Helper()
	h := desk.History{Enquiry: desk.Enquiry{UnitID: w.unit.ID, Kind: kind, Name: "张三", Phone: "0591-12345678", Topic: desk.Topics[0].Key, Subject: subject, Body: "请问" + subject, ReceivedAt: rec}}
	if !ans.IsZero() {
		h.Events = []desk.Event{
			{Kind: desk.EvDrafted, At: ans.Add(-time.Hour), ActorID: w.editor.ID, ActorName: w.editor.DisplayName, Body: "答复：" + subject},
			{Kind: desk.EvApproved, At: ans, ActorID: w.reviewer.ID, ActorName: w.reviewer.DisplayName, Body: "答复：" + subject},
		}
	}
	noErr(t, db.ImportEnquiryHistory(context.Background(), audit.System("test"), []desk.History{h}))
}

// account adds a new-media account with its last post and one channel.
func (w *siteWorld) account(t *testing.T, db *store.DB, platform, name string, last time.Time, working bool) {
	t.Helper()
	ctx := context.Background()
	a := &desk.Account{UnitID: w.unit.ID, Platform: platform, Name: name}
	noErr(t, db.CreateAccount(ctx, audit.System("test"), a))
	p := &desk.Post{AccountID: a.ID, Kind: "post", Day: calendar.DateOf(last.In(beijing)).String(), Title: name + "的发文"}
	noErr(t, db.CreatePost(ctx, audit.System("test"), p))
	act, who := w.headActor()
	noErr(t, db.SetMediaChannel(ctx, act, who, a.ID, inspect.Channel{Name: "留言", Working: working, CheckedOn: calendar.DateOf(inspectNow.In(beijing))}))
}

// probes records a week of hourly probes of url, failing every failEvery-th
// (0: none fails).
func probes(t *testing.T, db *store.DB, url string, failEvery int) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= 7*24+2; i++ {
		at := inspectNow.Add(-time.Duration(i) * time.Hour)
		ok, err := db.ClaimProbe(ctx, url, at)
		noErr(t, err)
		if !ok {
			t.Fatal("probe slot taken twice")
		}
		p := inspect.Probe{At: at, OK: failEvery == 0 || i%failEvery != 0, Status: 200, Millis: 120}
		if !p.OK {
			p.Status, p.Error = 0, "15 秒内未打开"
		}
		noErr(t, db.RecordProbe(ctx, url, at, p))
	}
}

// wantDefect is a defect the defect site carries: its indicator, the
// class it must get, and a word of its message.
type wantDefect struct {
	ind   inspect.Indicator
	level inspect.Level
	word  string
}

// defectSite seeds a unit whose portal has one defect of each kind; ext is
// a server whose /missing answers 404 and whose /ok answers 200 (the
// items' external links). It returns the defects to find.
func defectSite(t *testing.T, db *store.DB, ext string) (*siteWorld, []wantDefect) {
	w := newSiteWorld(t, db, "defect", "缺陷海关")
	w.publish(t, db,
		// 工作动态 (news): 20 days old — stale; its text has a typo, a link
		// to an item that does not exist, an attachment that does not
		// exist and an external link that is gone.
		item{key: "news", cat: "dongtai", title: "关区工作动态", made: bj(-21 * day), pub: bj(-20 * day),
			body: `<p>全关上下再接再励。</p><p><a href="/items/99999">相关信息</a> <a href="/files/99999/附件.pdf">附件</a> <a href="` + ext + `/missing">外部链接</a> <a href="` + ext + `/ok">有效外部链接</a></p>`},
		// 通知 (notice): 8 months old — stale.
		item{key: "notice", cat: "tongzhi", title: "关于调整办公时间的通知", made: bj(-245 * day), pub: bj(-244 * day), body: "自即日起调整办公时间。"},
		// 办事指南: one lacks 办理地点 and 办理时间, and was published two
		// months after it was made (第二十六条); the other is complete.
		item{key: "guide-bad", cat: "guides", title: "进出口货物收发货人备案办事指南", made: bj(-65 * day), pub: bj(-5 * day),
			body: "事项名称：收发货人备案。设定依据：《海关法》。申请条件：依法设立。办理材料：备案表。联系电话：12360。办理流程：申请、受理。"},
		item{key: "guide-ok", cat: "guides", title: "报关企业备案办事指南", made: bj(-4 * day), pub: bj(-3 * day), body: completeGuide},
		// A normative document of 2019 with a term of three years, still
		// shown as 有效; an ordinary item keeps its column fresh.
		item{key: "normative", cat: "art20-1", title: "查验作业管理办法", made: bj(-7 * 365 * day), pub: bj(-7*365*day + day), kind: publish.Normative,
			body: "本办法自发布之日起施行，有效期3年。"},
		item{key: "fresh", cat: "art20-1", title: "规范性文件清理结果", made: bj(-8 * day), pub: bj(-7 * day), body: "清理结果如下。"},
	)
	// 留言咨询: one unanswered past three months (veto), one past two
	// (warning), one answered in time.
	w.enquiry(t, db, desk.KindMessage, "退税进度", bj(-100*day), time.Time{})
	w.enquiry(t, db, desk.KindConsult, "备案材料", bj(-70*day), time.Time{})
	w.enquiry(t, db, desk.KindConsult, "办公时间", bj(-30*day), bj(-29*day))
	// 新媒体: one silent for 20 days (veto), one for 11 (warning) whose
	// interaction does not work (veto).
	w.account(t, db, "weibo", "缺陷海关发布", bj(-20*day), true)
	w.account(t, db, "wechat", "缺陷海关服务号", bj(-11*day), false)
	// The home page went down one probe in ten over the week (veto).
	act, _ := w.headActor()
	noErr(t, db.SetUnitSettings(context.Background(), act, w.unit.ID, map[string]string{"report.portal_url": "https://defect.example.cn"}))
	probes(t, db, "https://defect.example.cn", 10)
	return w, []wantDefect{
		{inspect.ColumnStale, inspect.Deduction, "工作动态"},
		{inspect.ColumnStale, inspect.Deduction, "通知"},
		{inspect.ColumnBlank, inspect.Deduction, "规划计划"},
		{inspect.Wording, inspect.Deduction, "再接再励"},
		{inspect.BrokenLink, inspect.Deduction, "/items/99999"},
		{inspect.BrokenLink, inspect.Deduction, "/missing"},
		{inspect.BrokenAttachment, inspect.Deduction, "/files/99999"},
		{inspect.GuideElements, inspect.Veto, "办理地点、办理时间"},
		{inspect.LatePublication, inspect.Deduction, "进出口货物收发货人备案办事指南"},
		{inspect.NormativeValidity, inspect.Deduction, "查验作业管理办法"},
		{inspect.Unanswered, inspect.Veto, "退税进度"},
		{inspect.Unanswered, inspect.Warning, "备案材料"},
		{inspect.MediaStale, inspect.Veto, "缺陷海关发布"},
		{inspect.MediaStale, inspect.Warning, "缺陷海关服务号"},
		{inspect.MediaInteraction, inspect.Veto, "缺陷海关服务号"},
		{inspect.Availability, inspect.Veto, "打不开 16 次"},
	}
}

// cleanSite seeds a unit whose portal has no defect.
func cleanSite(t *testing.T, db *store.DB) *siteWorld {
	w := newSiteWorld(t, db, "clean", "清洁海关")
	w.publish(t, db,
		item{key: "news", cat: "dongtai", title: "关区工作动态", made: bj(-3 * day), pub: bj(-2 * day), body: "全关上下再接再厉。"},
		item{key: "notice", cat: "tongzhi", title: "关于调整办公时间的通知", made: bj(-11 * day), pub: bj(-10 * day), body: "自即日起调整办公时间。"},
		item{key: "guide", cat: "guides", title: "报关企业备案办事指南", made: bj(-4 * day), pub: bj(-3 * day), body: completeGuide},
		item{key: "normative", cat: "art20-1", title: "查验作业管理办法", made: bj(-300 * day), pub: bj(-299 * day), kind: publish.Normative, body: "本办法自发布之日起施行，有效期5年。"},
		item{key: "fresh", cat: "art20-1", title: "规范性文件清理结果", made: bj(-8 * day), pub: bj(-7 * day), body: "清理结果如下。"},
		item{key: "plan", cat: "kongbai", title: "2026年工作计划", made: bj(-100 * day), pub: bj(-99 * day), body: "工作计划如下。"},
	)
	w.enquiry(t, db, desk.KindConsult, "办公时间", bj(-30*day), bj(-29*day))
	w.account(t, db, "weibo", "清洁海关发布", bj(-2*day), true)
	act, _ := w.headActor()
	noErr(t, db.SetUnitSettings(context.Background(), act, w.unit.ID, map[string]string{"report.portal_url": "https://clean.example.cn"}))
	probes(t, db, "https://clean.example.cn", 0)
	return w
}

// extServer answers /ok and fails /missing.
func extServer(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			fmt.Fprint(w, "<html><body>ok</body></html>")
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// testInspector runs inspections with the fixture's clock; other sites are
// reached on loopback (the guard allows the test servers).
func testInspector(db *store.DB) *inspector {
	return &inspector{db: db, worker: "test", now: func() time.Time { return inspectNow }, guard: func(string) error { return nil },
		sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
}
