package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func opener(s string) func() (io.ReadCloser, int64, error) {
	return func() (io.ReadCloser, int64, error) {
		return io.NopCloser(strings.NewReader(s)), int64(len(s)), nil
	}
}

func cdrKind() desk.ImportKind { k, _ := desk.KindByKey(desk.ImportCDR); return k }

const cdrHeader = "呼叫编号,来电时间,主叫号码,呼叫结果,排队时长,通话时长,坐席工号\n"

func TestDeskCDRImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		good := cdrHeader +
			"A1,2024-01-02 09:00:00,138,接通,5,60,8001\n" +
			"A2,2024-01-02 09:01:00,138,放弃,50,0,\n" +
			"A3,2024-13-02 09:00:00,138,接通,5,60,8001\n" + // line 4 bad
			"A4,2024-12-31 23:59:00,138,接通,5,60,8001\n" +
			"A5,2025-01-01 00:00:01,138,接通,5,60,8001\n" // next year (Beijing)
		// All or nothing: one bad row, nothing stored.
		res, err := db.ImportDesk(ctx, admin, u.ID, cdrKind(), "a.csv", desk.SampleMapping(), desk.ModeAll, opener(good), 2, nil)
		if err != nil || res.State != desk.ImportRejected || res.Imported != 0 || res.Bad != 1 || res.Errors[0].Line != 4 {
			t.Fatalf("all-or-nothing: %+v %v", res, err)
		}
		f, err := db.DeskFigures(ctx, []int64{u.ID}, 2024)
		if err != nil || f.CallsOffered != 0 {
			t.Fatalf("rejected import counted: %+v %v", f, err)
		}
		// Good rows: four stored, line 4 reported.
		res, err = db.ImportDesk(ctx, admin, u.ID, cdrKind(), "a.csv", desk.SampleMapping(), desk.ModeGood, opener(good), 2, nil)
		if err != nil || res.State != desk.ImportDone || res.Imported != 4 || res.Bad != 1 || !strings.Contains(res.Errors[0].Reason, "来电时间") {
			t.Fatalf("good rows: %+v %v", res, err)
		}
		// The same file again: every good row is a duplicate.
		res, err = db.ImportDesk(ctx, admin, u.ID, cdrKind(), "a.csv", desk.SampleMapping(), desk.ModeGood, opener(good), 3, nil)
		if err != nil || res.Imported != 0 || res.Duplicates != 4 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		f, err = db.DeskFigures(ctx, []int64{u.ID}, 2024)
		// Waits 5, 50, 5 → 20 s; talks 60, 60 over two answered calls → 60 s.
		if err != nil || f.CallsOffered != 3 || f.CallsAnswered != 2 || f.CallsAbandoned != 1 || f.Connection.String() != "66.7%" || f.AvgWaitSecs != 20 || f.AvgTalkSecs != 60 {
			t.Fatalf("figures: %+v %v", f, err)
		}
		imps, err := db.DeskImports(ctx, []int64{u.ID}, 10)
		if err != nil || len(imps) != 3 || imps[2].State != desk.ImportRejected || len(imps[2].Errors) != 1 {
			t.Fatalf("imports: %+v %v", imps, err)
		}
		// A database failure part-way removes what the import stored.
		calls := 0
		failing := func() (io.ReadCloser, int64, error) {
			calls++
			var b bytes.Buffer
			b.WriteString(cdrHeader)
			for i := 0; i < 10; i++ {
				fmt.Fprintf(&b, "F%d,2024-02-01 10:00:00,1,接通,1,10,1\n", i)
			}
			b.WriteString("F0,2024-02-01 10:00:00,1,接通,1,10,1\n")
			return io.NopCloser(&b), 0, nil
		}
		cctx, cancel := contextWithCancelAfter(3)
		defer cancel()
		res, err = db.ImportDesk(cctx.ctx, admin, u.ID, cdrKind(), "f.csv", desk.SampleMapping(), desk.ModeGood, failing, 2, cctx.progress)
		if err == nil || res.State != desk.ImportFailed || res.Imported != 0 {
			t.Fatalf("cancelled import: %+v %v", res, err)
		}
		f, _ = db.DeskFigures(ctx, []int64{u.ID}, 2024)
		if f.CallsOffered != 3 {
			t.Fatalf("failed import left rows: %d", f.CallsOffered)
		}
	})
}

func TestDeskSatisfaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		at := time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC)
		for i, r := range []int{5, 5, 4, 0} {
			c := desk.Call{UnitID: u.ID, Channel: "电话", At: at.Add(time.Duration(i) * time.Minute), CallerType: "企业", Topic: "原产地",
				Question: "原产地证书如何申领？", Answer: "可通过国际贸易单一窗口申领。", AgentName: "坐席", Rating: r}
			if err := db.CreateCall(ctx, admin, &c); err != nil {
				t.Fatal(err)
			}
		}
		bad := desk.Call{UnitID: u.ID, Channel: "飞鸽", Rating: 9}
		var fe *errs.FormError
		if err := db.CreateCall(ctx, admin, &bad); !errors.As(err, &fe) || fe.Of("channel") == "" || fe.Of("rating") == "" || fe.Of("question") == "" {
			t.Fatalf("bad call: %v", err)
		}
		f, err := db.DeskFigures(ctx, []int64{u.ID}, 2024)
		// (5+5+4)/3 × 20 = 93.333… → 93.33; the unrated call is not counted.
		if err != nil || f.HotlineRecords != 4 || f.Satisfaction.String() != "93.33" || f.Satisfaction.Rated != 3 {
			t.Fatalf("satisfaction: %+v %v", f, err)
		}
		list, total, err := db.Calls(ctx, []int64{u.ID}, 2024, 2, 0)
		if err != nil || total != 4 || len(list) != 2 || list[0].Rating != 0 {
			t.Fatalf("calls: %d %+v %v", total, list, err)
		}
	})
}

func guard(key, nonce string) store.FormGuard {
	return store.FormGuard{ClientKey: key, Nonce: nonce, Limit: 3, Window: time.Hour}
}

func TestDeskEnquiryWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		agent := mustUser(t, db, u.ID, "agent", "agent-password-1", org.RoleHotline)
		rev := mustUser(t, db, u.ID, "rev", "rev-password-12", org.RoleReviewer)
		aAct := audit.Actor{UserID: agent.ID, Name: agent.Username, UnitID: u.ID}
		rAct := audit.Actor{UserID: rev.ID, Name: rev.Username, UnitID: u.ID}
		e := desk.Enquiry{UnitID: u.ID, Kind: desk.KindMessage, Name: "张三", Phone: "13812345678", Topic: "原产地", Subject: "原产地证书",
			Body: "请问原产地证书怎么申领？我的电话13812345678。", PublicOK: true}
		code, err := db.CreateEnquiry(ctx, &e, guard("k1", "n1"))
		if err != nil || e.Ref != fmt.Sprintf("LY%06d", e.ID) || len(code) != 8 {
			t.Fatalf("create: %+v %q %v", e, code, err)
		}
		// The same challenge cannot be used twice.
		e2 := e
		if _, err := db.CreateEnquiry(ctx, &e2, guard("k1", "n1")); err != desk.ErrChallengeUsed {
			t.Fatalf("nonce reuse: %v", err)
		}
		// Rate limit: three per hour per client; another client is not affected.
		for i := 2; i <= 3; i++ {
			e3 := e
			if _, err := db.CreateEnquiry(ctx, &e3, guard("k1", fmt.Sprint("n", i))); err != nil {
				t.Fatal(err)
			}
		}
		e4 := e
		if _, err := db.CreateEnquiry(ctx, &e4, guard("k1", "n4")); err != desk.ErrRateLimited {
			t.Fatalf("rate limit: %v", err)
		}
		if _, err := db.CreateEnquiry(ctx, &e4, guard("k2", "n5")); err != nil {
			t.Fatalf("other client: %v", err)
		}
		// Approve before a draft: refused.
		if err := db.ActOnEnquiry(ctx, rAct, e.ID, desk.Action{Kind: desk.EvApproved}, time.Time{}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("approve without draft: %v", err)
		}
		if err := db.ActOnEnquiry(ctx, aAct, e.ID, desk.Action{Kind: desk.EvDrafted, Body: "草稿答复"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		// The drafter cannot approve their own reply.
		if err := db.ActOnEnquiry(ctx, aAct, e.ID, desk.Action{Kind: desk.EvApproved}, time.Time{}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("self-approval: %v", err)
		}
		if err := db.ActOnEnquiry(ctx, rAct, e.ID, desk.Action{Kind: desk.EvReturned, Note: "请补充办理渠道"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		st, err := db.EnquiryStatus(ctx, e.Ref, code)
		if err != nil || st.Reply != "" || st.State != desk.EvReturned {
			t.Fatalf("status before approval: %+v %v", st, err)
		}
		if _, err := db.EnquiryStatus(ctx, e.Ref, "WRONG123"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("wrong code: %v", err)
		}
		if err := db.ActOnEnquiry(ctx, aAct, e.ID, desk.Action{Kind: desk.EvDrafted, Body: "可通过国际贸易单一窗口申领原产地证书。"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		qa, n, err := db.PublicQA(ctx, u.ID, desk.KindMessage, 10, 0)
		if err != nil || n != 0 || len(qa) != 0 {
			t.Fatalf("public before approval: %v %v", qa, err)
		}
		if err := db.ActOnEnquiry(ctx, rAct, e.ID, desk.Action{Kind: desk.EvApproved}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		st, _ = db.EnquiryStatus(ctx, strings.ToLower(e.Ref), strings.ToLower(code))
		if st.Reply != "可通过国际贸易单一窗口申领原产地证书。" {
			t.Fatalf("status after approval: %+v", st)
		}
		if qa, _, _ := db.PublicQA(ctx, u.ID, desk.KindMessage, 10, 0); len(qa) != 0 {
			t.Fatal("approved but unpublished reply is public")
		}
		if err := db.ActOnEnquiry(ctx, rAct, e.ID, desk.Action{Kind: desk.EvPublished, Body: desk.Redact(e.Body)}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		qa, n, err = db.PublicQA(ctx, u.ID, desk.KindMessage, 10, 0)
		if err != nil || n != 1 || qa[0].Reply != "可通过国际贸易单一窗口申领原产地证书。" || strings.Contains(qa[0].Question, "13812345678") {
			t.Fatalf("public: %+v %v", qa, err)
		}
		got, evs, err := db.Enquiry(ctx, e.ID)
		if err != nil || got.State != desk.EvPublished || len(evs) != 6 {
			t.Fatalf("history: %+v %d %v", got, len(evs), err)
		}
		if s, err := desk.StateOf(evs); err != nil || s != got.State {
			t.Fatalf("replayed state %s != stored %s (%v)", s, got.State, err)
		}
		f, err := db.DeskFigures(ctx, []int64{u.ID}, time.Now().In(desk.Shanghai).Year())
		if err != nil || f.Message.Received != 4 || f.Message.Handled != 1 || f.Message.Published != 1 || !f.Message.AvgDays.Valid {
			t.Fatalf("figures: %+v %v", f.Message, err)
		}
	})
}

func TestDeskHandlingDaysAndAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		rev := audit.Actor{UserID: 0, Name: "审核人"}
		base := time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC) // 09:00 Beijing
		// Handled in 6 h, 12 h and 36 h: a mean of 18 h = 0.75 days.
		for _, h := range []int{6, 12, 36} {
			e := desk.Enquiry{UnitID: u.ID, Kind: desk.KindMessage, Name: "李四", Email: "a@example.com", Topic: "其他", Subject: "问题", Body: "这是一个问题的内容"}
			if err := db.ImportEnquiry(ctx, admin, &e, base); err != nil {
				t.Fatal(err)
			}
			if err := db.ActOnEnquiry(ctx, audit.Actor{Name: "坐席"}, e.ID, desk.Action{Kind: desk.EvDrafted, Body: "答复"}, base.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := db.ActOnEnquiry(ctx, rev, e.ID, desk.Action{Kind: desk.EvApproved}, base.Add(time.Duration(h)*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		// One left open since 2024-10-01: overdue at the year's end (3 months).
		open := desk.Enquiry{UnitID: u.ID, Kind: desk.KindMessage, Name: "王五", Phone: "0591-1234567", Topic: "其他", Subject: "未答复", Body: "一直没有答复的留言"}
		if err := db.ImportEnquiry(ctx, admin, &open, time.Date(2024, 9, 30, 16, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		// Two more received then: one dismissed in November (not open at the
		// year's end), one dismissed only in January (still open at it).
		for _, at := range []time.Time{time.Date(2024, 11, 1, 2, 0, 0, 0, time.UTC), time.Date(2025, 1, 5, 2, 0, 0, 0, time.UTC)} {
			e := desk.Enquiry{UnitID: u.ID, Kind: desk.KindMessage, Name: "赵六", Phone: "0591-7654321", Topic: "其他", Subject: "重复", Body: "重复提交的留言内容"}
			if err := db.ImportEnquiry(ctx, admin, &e, time.Date(2024, 9, 30, 16, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			if err := db.ActOnEnquiry(ctx, rev, e.ID, desk.Action{Kind: desk.EvDismissed, Note: "重复留言"}, at); err != nil {
				t.Fatal(err)
			}
		}
		f, err := db.DeskFigures(ctx, []int64{u.ID}, 2024)
		if err != nil || f.Message.Handled != 3 || f.Message.AvgDays.String() != "0.75" || f.Message.OpenAtYearEnd != 2 || f.Message.OverdueAtYearEnd != 2 || f.Message.Dismissed != 1 {
			t.Fatalf("figures: %+v %v", f.Message, err)
		}
		alerts, lim, err := db.UnansweredAlerts(ctx, []int64{u.ID}, time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC))
		if err != nil || lim.String() != "3m" || len(alerts) != 1 || alerts[0].Urgency != desk.DueSoon {
			t.Fatalf("alerts: %+v %v %v", alerts, lim, err)
		}
		if err := db.SetSetting(ctx, admin, desk.SettingUnansweredLimit, "30d"); err != nil {
			t.Fatal(err)
		}
		alerts, _, _ = db.UnansweredAlerts(ctx, []int64{u.ID}, time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC))
		if len(alerts) != 1 || alerts[0].Urgency != desk.Overdue {
			t.Fatalf("alerts with 30 days: %+v", alerts)
		}
	})
}

func TestDeskVisitsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 10; j++ {
					if err := db.CountVisit(ctx, u.ID, "2024-06-01", "home", 1); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		db.CountVisit(ctx, u.ID, "2023-06-01", "home", 50)
		s, err := db.SectionOneThree(ctx, []int64{u.ID}, 2024)
		if err != nil || s.Current.PageViews != 80 || s.Previous.PageViews != 50 || desk.GrowthOf(s.Current.PageViews, s.Previous.PageViews).String() != "+60.0%" {
			t.Fatalf("visits: %d %d %v", s.Current.PageViews, s.Previous.PageViews, err)
		}
	})
}

// contextWithCancelAfter gives a context cancelled after n progress reports.
func contextWithCancelAfter(n int) (struct {
	ctx      context.Context
	progress func(desk.Progress)
}, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	count := 0
	return struct {
		ctx      context.Context
		progress func(desk.Progress)
	}{c, func(desk.Progress) {
		count++
		if count >= n {
			cancel()
		}
	}}, cancel
}

// A history that does not replay, or whose times go backwards, is refused
// and nothing of the batch is stored.
func TestDeskImportEnquiryHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		rec := time.Date(2024, 4, 1, 2, 0, 0, 0, time.UTC)
		e := desk.Enquiry{UnitID: u.ID, Kind: desk.KindConsult, Name: "赵六", Phone: "0591-7654321", Topic: "tariff", Subject: "税率", Body: "请问这个商品的税率是多少？"}
		good := desk.History{Enquiry: e, Events: []desk.Event{
			{Kind: desk.EvDrafted, At: rec.Add(time.Hour), ActorName: "坐席", Body: "答复内容"},
			{Kind: desk.EvApproved, At: rec.Add(2 * time.Hour), ActorName: "审核人"},
			{Kind: desk.EvPublished, At: rec.Add(3 * time.Hour), ActorName: "审核人", Body: "请问这个商品的税率是多少？"},
		}}
		good.Enquiry.ReceivedAt = rec
		skip := good
		skip.Events = []desk.Event{{Kind: desk.EvApproved, At: rec.Add(time.Hour)}}
		back := good
		back.Events = []desk.Event{{Kind: desk.EvDrafted, At: rec.Add(-time.Hour), Body: "x"}}
		for _, bad := range []desk.History{skip, back} {
			if err := db.ImportEnquiryHistory(ctx, admin, []desk.History{good, bad}); err == nil {
				t.Fatalf("bad history accepted: %+v", bad.Events)
			}
		}
		if _, n, _ := db.Enquiries(ctx, store.EnquiryFilter{UnitIDs: []int64{u.ID}}); n != 0 {
			t.Fatalf("a refused batch stored %d enquiries", n)
		}
		if err := db.ImportEnquiryHistory(ctx, admin, []desk.History{good}); err != nil {
			t.Fatal(err)
		}
		qa, _, err := db.PublicQA(ctx, u.ID, desk.KindConsult, 10, 0)
		if err != nil || len(qa) != 1 || qa[0].Reply != "答复内容" || !qa[0].RepliedAt.Equal(rec.Add(2*time.Hour)) {
			t.Fatalf("imported history: %+v %v", qa, err)
		}
	})
}

// Two submissions carrying the same challenge at the same moment: one is
// stored, the other refused (the nonce is used once, on both engines).
func TestDeskNonceRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		var wg sync.WaitGroup
		errsc := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				e := desk.Enquiry{UnitID: u.ID, Kind: desk.KindMessage, Name: "钱七", Email: "q@example.com", Topic: "other", Subject: "同一题", Body: "同一个验证题提交多次"}
				_, err := db.CreateEnquiry(ctx, &e, store.FormGuard{ClientKey: fmt.Sprint("c", i), Nonce: "same", Limit: 10, Window: time.Hour})
				errsc <- err
			}(i)
		}
		wg.Wait()
		close(errsc)
		ok := 0
		for err := range errsc {
			switch {
			case err == nil:
				ok++
			case err == desk.ErrChallengeUsed, errs.Is(err, errs.Unavailable):
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d submissions with one challenge stored", ok)
		}
	})
}

func TestDeskYears(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		other := mustUnit(t, db, 0, "xm", "厦门海关")
		if ys, err := db.DeskYears(ctx, []int64{u.ID}); err != nil || len(ys) != 0 {
			t.Fatalf("no records: %v %v", ys, err)
		}
		// 2022-12-31 17:00 UTC is 2023-01-01 01:00 in Beijing.
		c := desk.Call{UnitID: u.ID, Channel: "电话", At: time.Date(2022, 12, 31, 17, 0, 0, 0, time.UTC), CallerType: "个人", Topic: "其他", Question: "问题", Answer: "答复", AgentName: "坐席"}
		if err := db.CreateCall(ctx, admin, &c); err != nil {
			t.Fatal(err)
		}
		db.CountVisit(ctx, u.ID, "2021-05-01", "home", 3)
		db.CountVisit(ctx, other.ID, "2019-05-01", "home", 3)
		o := desk.Outreach{UnitID: u.ID, Kind: "press", Day: "2025-02-01", Title: "发布会"}
		if err := db.CreateOutreach(ctx, admin, &o); err != nil {
			t.Fatal(err)
		}
		ys, err := db.DeskYears(ctx, []int64{u.ID})
		if err != nil || fmt.Sprint(ys) != "[2025 2023 2021]" {
			t.Fatalf("years: %v %v", ys, err)
		}
	})
}

// The desk's rules are applied by the store, on the roles held in the
// enquiry's unit when the step is written: a caller of the store that
// skips the page's check is refused all the same.
func TestDeskEnquiryRolesInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		other := mustUnit(t, db, 0, "xm", "厦门海关")
		agent := mustUser(t, db, u.ID, "agent", "agent-password-1", org.RoleHotline)
		elsewhere := mustUser(t, db, other.ID, "xmagent", "agent-password-2", org.RoleHotline)
		rev := mustUser(t, db, u.ID, "rev", "rev-password-12", org.RoleReviewer)
		act := func(who org.User) audit.Actor { return audit.Actor{UserID: who.ID, Name: who.Username, UnitID: u.ID} }
		e := desk.Enquiry{UnitID: u.ID, Kind: desk.KindConsult, Name: "张三", Phone: "13812345678", Topic: "原产地", Subject: "原产地证书",
			Body: "请问原产地证书怎么申领？"}
		if err := db.ImportEnquiry(ctx, admin, &e, time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		draft := desk.Action{Kind: desk.EvDrafted, Body: "请通过单一窗口申领。"}
		if err := db.ActOnEnquiry(ctx, act(rev), e.ID, draft, time.Time{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("reviewer drafting: %v", err)
		}
		if err := db.ActOnEnquiry(ctx, audit.Actor{UserID: elsewhere.ID, Name: elsewhere.Username}, e.ID, draft, time.Time{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("another unit's agent drafting: %v", err)
		}
		if err := db.ActOnEnquiry(ctx, audit.Public, e.ID, draft, time.Time{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the public drafting: %v", err)
		}
		if err := db.ActOnEnquiry(ctx, act(agent), e.ID, draft, time.Time{}); err != nil {
			t.Fatal(err)
		}
		// The reviewer's role withdrawn a moment ago counts.
		if err := db.SetGrants(ctx, admin, rev.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.ActOnEnquiry(ctx, act(rev), e.ID, desk.Action{Kind: desk.EvApproved}, time.Time{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("approval after the role was withdrawn: %v", err)
		}
		_, evs, err := db.Enquiry(ctx, e.ID)
		if err != nil || len(evs) != 2 {
			t.Fatalf("refused steps were stored: %d %v", len(evs), err)
		}
	})
}
