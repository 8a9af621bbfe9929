package report_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// This file writes records the way the product does — through the store's
// write methods, each in its transaction with its audit entry — for the
// tests that change records behind the report's figures.

var (
	cst   = time.FixedZone("CST", 8*3600)
	actor = audit.System("report-test")
)

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at is a Beijing time of a day.
func at(s string, hour, min int) time.Time {
	d := day(s)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, min, 0, 0, cst)
}

// writer writes records of one world.
type writer struct {
	t  *testing.T
	db *store.DB
	n  int // a sequence for unique tokens, titles and call ids
}

func (w *writer) seq() int { w.n++; return w.n }

func (w *writer) fatal(what string, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
}

// unitOf looks a unit up by code.
func (w *writer) unitOf(code string) org.Unit {
	w.t.Helper()
	u, err := w.db.UnitByCode(ctx, code)
	w.fatal("unit "+code, err)
	return u
}

func (w *writer) user(username string) org.User {
	w.t.Helper()
	u, err := w.db.UserByUsername(ctx, username)
	w.fatal("user "+username, err)
	return u
}

func (w *writer) deptID(unitID int64, name string) int64 {
	w.t.Helper()
	ds, err := w.db.Departments(ctx, unitID)
	w.fatal("departments", err)
	for _, d := range ds {
		if d.Name == name {
			return d.ID
		}
	}
	w.t.Fatalf("no department %s in unit %d", name, unitID)
	return 0
}

func (w *writer) categoryID(unitID int64, slug string) int64 {
	w.t.Helper()
	cs, err := w.db.PublishCategories(ctx, unitID)
	w.fatal("categories", err)
	for _, c := range cs {
		if c.Slug == slug {
			return c.ID
		}
	}
	w.t.Fatalf("no category %s in unit %d", slug, unitID)
	return 0
}

// itemSpec is an item's history: made, then published (unless draft),
// then revised and republished on each of revisions.
type itemSpec struct {
	unitID, dept, cat int64
	editor, reviewer  org.User
	made              calendar.Date
	published         time.Time // zero: left a draft
	revisions         []time.Time
	kind              publish.DocKind // a rule or normative document (table 二)
	abolished         calendar.Date   // its 废止 date, zero while in force
}

func (w *writer) history(s itemSpec) publish.ImportItem {
	n := w.seq()
	c := &publish.Content{Title: fmt.Sprintf("测试信息（第%d号）", n), DepartmentID: s.dept, MadeOn: s.made, CategoryID: s.cat,
		Attribute: publish.Active, Ground: publish.DefaultActiveGround, Body: fmt.Sprintf("<p>测试信息正文，第%d号。</p>", n)}
	if s.kind != publish.Ordinary {
		c.DocKind, c.ValidFrom, c.DocNo = s.kind, s.made, fmt.Sprintf("测试规〔%d〕%d号", s.made.Year(), n)
	}
	made := time.Date(s.made.Year(), s.made.Month(), s.made.Day(), 9, 0, 0, 0, cst)
	ev := func(k publish.EventKind, t time.Time, who org.User, v int) publish.Event {
		return publish.Event{Kind: k, At: t, ActorID: who.ID, ActorName: who.DisplayName, Version: v}
	}
	create := ev(publish.EvCreate, made, s.editor, 1)
	create.Content = c
	evs := []publish.Event{create}
	if s.published.IsZero() {
		return publish.ImportItem{Events: evs}
	}
	evs = append(evs, ev(publish.EvSubmit, made.Add(time.Hour), s.editor, 1), ev(publish.EvApprove, s.published.Add(-time.Hour), s.reviewer, 1))
	pub := ev(publish.EvPublish, s.published, s.reviewer, 1)
	pub.PublishAt = s.published
	evs = append(evs, pub)
	for i, r := range s.revisions {
		v := i + 2
		nc := *c
		nc.MadeOn = calendar.DateOf(r.In(cst))
		nc.Body = fmt.Sprintf("<p>（%s更新）</p>%s", r.In(cst).Format("2006年1月2日"), c.Body)
		rev := ev(publish.EvRevise, r.Add(-3*time.Hour), s.editor, v)
		rev.Content = &nc
		p := ev(publish.EvPublish, r, s.reviewer, v)
		p.PublishAt = r
		evs = append(evs, rev, ev(publish.EvSubmit, r.Add(-2*time.Hour), s.editor, v), ev(publish.EvApprove, r.Add(-time.Hour), s.reviewer, v), p)
	}
	if !s.abolished.IsZero() {
		a := ev(publish.EvValidity, time.Date(s.abolished.Year(), s.abolished.Month(), s.abolished.Day(), 11, 0, 0, 0, cst), s.reviewer, len(s.revisions)+1)
		a.Validity, a.ValidityOn = publish.Abolished, s.abolished
		evs = append(evs, a)
	}
	return publish.ImportItem{Events: evs}
}

// items imports item histories of a unit in one transaction.
func (w *writer) items(unitID int64, specs ...itemSpec) {
	w.t.Helper()
	var in []publish.ImportItem
	for _, s := range specs {
		in = append(in, w.history(s))
	}
	_, err := w.db.ImportItems(ctx, actor, unitID, in)
	w.fatal("import items", err)
}

// residentID makes a valid 身份证号码 (the MOD 11-2 check digit) from a
// sequence number.
func residentID(n int) string {
	body := fmt.Sprintf("35010219800101%03d", n%1000)
	for _, c := range "0123456789X" {
		if id, err := requests.ValidateResidentID(body + string(c)); err == nil {
			return id
		}
	}
	panic("no check digit for " + body)
}

// application registers an application received on a day (through the
// intake the portal and the office use), assigned to a handler and
// marked with subjects, then applies each event of its life.
func (w *writer) application(unitID, handlerID int64, received string, subjects []string, evs ...requests.Event) int64 {
	w.t.Helper()
	n := w.seq()
	a := requests.Application{Channel: requests.ChannelOnline, ApplicantType: requests.NaturalPerson, Name: "测试申请人", IDNumber: residentID(n),
		Phone: "13800000000", Description: fmt.Sprintf("申请公开测试信息第%d号", n), Form: requests.Forms[1], Delivery: "网上获取", ReceivedOn: day(received)}
	app, _, _, err := w.db.SubmitApplication(ctx, actor, unitID, fmt.Sprintf("report-test-application-%06d", n), a)
	w.fatal("submit application", err)
	pre := []requests.Event{{Kind: requests.Assigned, On: day(received), Role: org.RoleOfficeHead, Assignee: handlerID}}
	if len(subjects) > 0 {
		pre = append(pre, requests.Event{Kind: requests.SubjectsMarked, On: day(received), Role: org.RoleHandler, Subjects: subjects})
	}
	for _, e := range append(pre, evs...) {
		w.event(app.ID, e)
	}
	return app.ID
}

func (w *writer) event(id int64, e requests.Event) {
	w.t.Helper()
	_, err := w.db.AppendRequestEvent(ctx, actor, id, e)
	w.fatal(fmt.Sprintf("application %d: %s", id, e.Kind), err)
}

// answered is the life of an application answered on a day: decided
// (予以公开), answered and delivered.
func answered(on string) []requests.Event {
	return []requests.Event{{Kind: requests.Decided, On: day(on), Outcome: annual.RowDisclosed},
		{Kind: requests.Answered, On: day(on), Note: "经审查，您申请的信息予以公开。"},
		{Kind: requests.Delivered, On: day(on).AddDays(1)}}
}

func withdrawn(on string) []requests.Event {
	return []requests.Event{{Kind: requests.Withdrawn, On: day(on), Note: "申请人撤回申请"}}
}

func (w *writer) appeal(appID int64, kind requests.AppealKind, filed string) {
	w.t.Helper()
	a := requests.Appeal{ApplicationID: appID, Kind: kind, FiledOn: day(filed)}
	w.fatal("appeal", w.db.AddRequestAppeal(ctx, actor, &a))
}

// importCSV runs a desk import of a CSV file for a unit, with the columns
// the importer suggests for its header, as staff confirm them.
func (w *writer) importCSV(unitID int64, kindKey, name, csv string) {
	w.t.Helper()
	kind, ok := desk.KindByKey(kindKey)
	if !ok {
		w.t.Fatalf("no import kind %s", kindKey)
	}
	h, err := desk.ReadHeader(strings.NewReader(csv), "")
	w.fatal("header of "+name, err)
	open := func() (io.ReadCloser, int64, error) {
		return io.NopCloser(strings.NewReader(csv)), int64(len(csv)), nil
	}
	a := actor
	a.UnitID = unitID
	res, err := w.db.ImportDesk(ctx, a, unitID, kind, name, desk.Suggest(kind, h), desk.ModeAll, open, 500, nil)
	w.fatal("import "+name, err)
	if res.State != desk.ImportDone {
		w.t.Fatalf("import %s: %s %v", name, res.State, res.Errors)
	}
}

// cdr imports call-detail records: answered calls and abandoned ones,
// an hour apart from a Beijing time on.
func (w *writer) cdr(unitID int64, from time.Time, answered, abandoned int) {
	w.t.Helper()
	var b strings.Builder
	b.WriteString("呼叫编号,来电时间,呼叫结果,排队时长,通话时长,坐席工号\n")
	for i := 0; i < answered+abandoned; i++ {
		id := fmt.Sprintf("T%d%07d", unitID, w.seq())
		when := from.Add(time.Duration(i) * time.Hour).In(cst).Format("2006-01-02 15:04:05")
		if i < answered {
			fmt.Fprintf(&b, "%s,%s,接通,5,120,8001\n", id, when)
		} else {
			fmt.Fprintf(&b, "%s,%s,放弃,40,0,\n", id, when)
		}
	}
	w.importCSV(unitID, desk.ImportCDR, fmt.Sprintf("话单-%d.csv", w.seq()), b.String())
}

// call records one hotline record (工单), rated 1–5 or 0 for none.
func (w *writer) call(unitID int64, when time.Time, rating int) {
	w.t.Helper()
	c := desk.Call{UnitID: unitID, Channel: "phone", At: when, CallerType: "enterprise", Topic: "origin",
		Question: "RCEP 原产地证书如何申领？", Answer: "可通过国际贸易单一窗口申领。", AgentName: "测试坐席", Rating: rating}
	w.fatal("hotline record", w.db.CreateCall(ctx, actor, &c))
}

// enquiry stores a web consultation or message received at a time; when
// handled it is drafted by an agent and approved by a reviewer after the
// given time.
func (w *writer) enquiry(unitID int64, kind string, received time.Time, handled time.Duration, agent, reviewer org.User) {
	w.t.Helper()
	e := desk.Enquiry{UnitID: unitID, Kind: kind, Name: "测试来信人", Phone: "13900000000", Topic: "origin",
		Subject: fmt.Sprintf("测试咨询第%d号", w.seq()), Body: "请问原产地证书如何申领？", PublicOK: true}
	w.fatal("enquiry", w.db.ImportEnquiry(ctx, actor, &e, received))
	if handled == 0 {
		return
	}
	ag := actor
	ag.UserID, ag.Name = agent.ID, agent.Username
	w.fatal("draft", w.db.ActOnEnquiry(ctx, ag, e.ID, desk.Action{Kind: desk.EvDrafted, Body: "可通过国际贸易单一窗口申领。"}, received.Add(handled/2)))
	rv := actor
	rv.UserID, rv.Name = reviewer.ID, reviewer.Username
	w.fatal("approve", w.db.ActOnEnquiry(ctx, rv, e.ID, desk.Action{Kind: desk.EvApproved}, received.Add(handled)))
}

// account returns a unit's new-media account on a platform, creating it
// when there is none.
func (w *writer) account(unitID int64, platform string) int64 {
	w.t.Helper()
	as, err := w.db.Accounts(ctx, []int64{unitID})
	w.fatal("accounts", err)
	for _, a := range as {
		if a.UnitID == unitID && a.Platform == platform {
			return a.ID
		}
	}
	a := desk.Account{UnitID: unitID, Platform: platform, Name: fmt.Sprintf("测试账号%d", w.seq())}
	w.fatal("account", w.db.CreateAccount(ctx, actor, &a))
	return a.ID
}

func (w *writer) post(unitID int64, platform, kind, on, column string) {
	w.t.Helper()
	p := desk.Post{AccountID: w.account(unitID, platform), Kind: kind, Day: on, Title: fmt.Sprintf("测试发文第%d号", w.seq()), Column: column}
	w.fatal("post", w.db.CreatePost(ctx, actor, &p))
}

func (w *writer) followers(unitID int64, platform, on string, n int64) {
	w.t.Helper()
	f := desk.Followers{AccountID: w.account(unitID, platform), Day: on, Count: n}
	w.fatal("followers", w.db.SetFollowers(ctx, actor, &f))
}

func (w *writer) outreach(unitID int64, kind, on string, enterprises int64) {
	w.t.Helper()
	o := desk.Outreach{UnitID: unitID, Kind: kind, Day: on, Title: fmt.Sprintf("测试活动第%d号", w.seq()), Enterprises: enterprises}
	w.fatal("outreach", w.db.CreateOutreach(ctx, actor, &o))
}

// survey creates a questionnaire with one question, and opens it at a
// time unless that is zero.
func (w *writer) survey(unitID int64, title string, opened time.Time) int64 {
	w.t.Helper()
	s := desk.Survey{UnitID: unitID, Title: title, Intro: "请您提出意见建议。"}
	w.fatal("survey", w.db.CreateSurvey(ctx, actor, &s))
	q, err := desk.ParseQuestion(desk.QSingle, "您对我们的服务是否满意？", "满意\n不满意", true)
	w.fatal("question", err)
	w.fatal("add question", w.db.AddQuestion(ctx, actor, s.ID, &q))
	if !opened.IsZero() {
		w.openSurvey(s.ID, opened)
	}
	return s.ID
}

func (w *writer) openSurvey(id int64, opened time.Time) {
	w.t.Helper()
	w.fatal("open survey", w.db.OpenSurveyAt(ctx, actor, id, opened))
}

func (w *writer) complaint(unitID int64, received string) int64 {
	w.t.Helper()
	c := desk.Complaint{UnitID: unitID, ReceivedOn: received, Channel: "网站", Complainant: "测试投诉人", Subject: "答复期限",
		Summary: "投诉人认为依申请公开答复超过法定期限。"}
	w.fatal("complaint", w.db.CreateComplaint(ctx, actor, &c))
	return c.ID
}
