package demo_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/auth"
	"gongkai/internal/demo"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/report"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

var testParams = auth.Params{Memory: 1024, Time: 1, Threads: 1}

// growth is cur's change on prev as a fraction.
func growth(cur, prev int64) float64 { return float64(cur-prev) / float64(prev) }

// The default world carries records up to demoUntil: 2025 and 2026 have
// every figure the seed's section 一（三） states, publishing in every
// category section 一（一） lists, table 二 carried on from the year before,
// moving on it as real years do, and work still open at the end. A world
// cut at Through = 2024 is the default world as it stood at the end of
// 2024. (TestDemoDeskFigures loads the default world on PostgreSQL too.)
func TestDemoYears(t *testing.T) {
	ctx := context.Background()
	full := storetest.Open(t, store.SQLite, store.Options{})
	if err := demo.Load(ctx, full, demo.Generate(1), testParams); err != nil {
		t.Fatal(err)
	}
	t.Run("later years", func(t *testing.T) { laterYears(t, full) })
	t.Run("through 2024", func(t *testing.T) { through(t, full) })
}

func laterYears(t *testing.T, db *store.DB) {
	ctx := context.Background()
	u, err := db.UnitByCode(ctx, demo.SiteUnit)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []int{2025, 2026} {
		s, err := db.SectionOneThree(ctx, []int64{u.ID}, y)
		if err != nil {
			t.Fatal(err)
		}
		c, p := s.Current, s.Previous
		column := func(f desk.Figures, name string) int64 {
			for _, cf := range f.Columns {
				if cf.Column == name {
					return cf.Issues
				}
			}
			return 0
		}
		rows := map[string]int64{
			"接听": c.CallsAnswered, "热线工单": c.HotlineRecords, "咨询": c.Consult.Handled, "留言": c.Message.Handled, "访问量": c.PageViews,
			"微博": c.Platform("weibo").Posts, "公众号": c.Platform("wechat").Posts, "微直播": c.Lives, "关注人数": c.Platform("wechat").Followers,
			"原产地证书": column(c, "原产地证书"), "一站式服务": column(c, "一站式服务"), "发布会": c.PressConferences, "覆盖企业": c.Enterprises,
			"问卷": int64(len(c.Surveys)), "答卷": c.SurveyResponses,
		}
		for k, n := range rows {
			if n <= 0 {
				t.Errorf("%d: %s = %d", y, k, n)
			}
		}
		if !c.Connection.Valid || !c.Satisfaction.Valid || !c.Message.AvgDays.Valid || !c.Platform("wechat").FollowersKnown {
			t.Errorf("%d: rates %+v %+v %+v", y, c.Connection, c.Satisfaction, c.Message.AvgDays)
		}
		if c.CallsOffered < 7000 || c.CallsOffered > 12000 || c.HotlineRecords != c.CallsAnswered {
			t.Errorf("%d: %d calls offered, %d answered, %d records", y, c.CallsOffered, c.CallsAnswered, c.HotlineRecords)
		}
		if y == 2025 {
			// A whole year: each series moves on 2024 as a real year
			// does — neither a copy nor a jump.
			for k, v := range map[string][2]int64{
				"接听": {c.CallsAnswered, p.CallsAnswered}, "咨询": {c.Consult.Handled, p.Consult.Handled}, "留言": {c.Message.Handled, p.Message.Handled},
				"访问量": {c.PageViews, p.PageViews}, "微博": {c.Platform("weibo").Posts, p.Platform("weibo").Posts},
				"公众号": {c.Platform("wechat").Posts, p.Platform("wechat").Posts}, "关注人数": {c.Platform("wechat").Followers, p.Platform("wechat").Followers},
			} {
				if g := growth(v[0], v[1]); g == 0 || g < -0.30 || g > 0.30 {
					t.Errorf("2025 %s: %d on %d", k, v[0], v[1])
				}
			}
		}
	}
	// At the end of the records: enquiries waiting, two of them for
	// longer than the three months (an alert whatever the day now).
	alerts, _, err := db.UnansweredAlerts(ctx, []int64{u.ID}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	overdue := 0
	for _, a := range alerts {
		if a.Urgency == desk.Overdue {
			overdue++
		}
	}
	if overdue < 2 {
		t.Errorf("%d overdue enquiries, want at least 2", overdue)
	}

	// 主动公开: every category section 一（一） lists, updates, the
	// growth a real year shows; table 二 carried on.
	prev, err := db.Table2(ctx, u.ID, 2024)
	if err != nil {
		t.Fatal(err)
	}
	var issued, abolished int
	for _, y := range []int{2025, 2026} {
		ps, err := db.PublishStats(ctx, u.ID, y)
		if err != nil {
			t.Fatal(err)
		}
		for _, cs := range ps.Categories {
			if cs.Category.InReport && cs.New == 0 {
				t.Errorf("%d: nothing published in %s", y, cs.Category.Name)
			}
		}
		if ps.Revisions == 0 {
			t.Errorf("%d: no updates", y)
		}
		if g := growth(int64(ps.New), int64(ps.PrevNew)); y == 2025 && (g < -0.30 || g > 0.30 || g > -0.05 && g < 0.05) {
			t.Errorf("2025: %d items on %d", ps.New, ps.PrevNew)
		}
		t2, err := db.Table2(ctx, u.ID, y)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []struct {
			name       string
			prev, curr annual.DocCounts
		}{{"规章", prev.Regulations, t2.Regulations}, {"行政规范性文件", prev.NormativeDocuments, t2.NormativeDocuments}} {
			if want := d.prev.InForce.Int() + d.curr.Issued.Int() - d.curr.Abolished.Int(); d.curr.InForce.Int() != want {
				t.Errorf("%d %s: in force %d, want %d + %d − %d", y, d.name, d.curr.InForce.Int(), d.prev.InForce.Int(), d.curr.Issued.Int(), d.curr.Abolished.Int())
			}
		}
		issued += t2.NormativeDocuments.Issued.Int()
		abolished += t2.NormativeDocuments.Abolished.Int()
		if t2.LicensingDecisions.Int() == 0 {
			t.Errorf("%d: no licensing decisions", y)
		}
		prev = t2
	}
	if issued == 0 || abolished == 0 {
		t.Errorf("normative documents 2025–2026: %d issued, %d abolished", issued, abolished)
	}
	// Work in the queue at the end of the records.
	pending, err := db.PendingItems(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	recent := 0
	for _, it := range pending {
		if it.MadeOn.Year() == 2026 {
			recent++
		}
	}
	if recent < 3 {
		t.Errorf("%d items of 2026 in the work queue", recent)
	}

	// 福州海关's template builds the later years' reports: every
	// placeholder filled, table 二 consistent with the year before.
	for _, y := range []int{2025, 2026} {
		d, err := report.Build(ctx, db, report.Request{UnitID: u.ID, Year: y, Scope: annual.ScopeSelf, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d.Doc.Report.Findings {
			if f.Rule == report.RulePlaceholder || strings.HasPrefix(f.Rule, "YEAR.") {
				t.Errorf("%d: %s %s %s", y, f.Rule, f.Where, f.Message)
			}
		}
	}
}

// through loads the world cut at the end of 2024 and compares it with the
// default one: the seed's years alike in every figure, nothing later.
func through(t *testing.T, full *store.DB) {
	ctx := context.Background()
	w := demo.Generate(1)
	w.Through = 2024
	cut := storetest.Open(t, store.SQLite, store.Options{})
	if err := demo.Load(ctx, cut, w, testParams); err != nil {
		t.Fatal(err)
	}
	units, err := full.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, a, b any) {
		t.Helper()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs:\n%+v\n%+v", what, a, b)
		}
	}
	for _, u := range units {
		ids := []int64{u.ID}
		for _, y := range []int{2023, 2024} {
			a, err := full.RequestReport(ctx, u.ID, y)
			if err != nil {
				t.Fatal(err)
			}
			b, err := cut.RequestReport(ctx, u.ID, y)
			if err != nil {
				t.Fatal(err)
			}
			same(u.Code+" tables 三 and 四", []any{a.Table3, a.Table4}, []any{b.Table3, b.Table4})
			da, err := full.SectionOneThree(ctx, ids, y)
			if err != nil {
				t.Fatal(err)
			}
			db2, err := cut.SectionOneThree(ctx, ids, y)
			if err != nil {
				t.Fatal(err)
			}
			same(u.Code+" section 一（三）", da, db2)
			pa, _ := full.PublishStats(ctx, u.ID, y)
			pb, _ := cut.PublishStats(ctx, u.ID, y)
			same(u.Code+" publishing", pa, pb)
			ta, _ := full.Table2(ctx, u.ID, y)
			tb, _ := cut.Table2(ctx, u.ID, y)
			same(u.Code+" table 二", ta, tb)
			ca, na, _ := full.Calls(ctx, ids, y, 20000, 0)
			cb, nb, _ := cut.Calls(ctx, ids, y, 20000, 0)
			if na != nb || len(ca) != len(cb) {
				t.Errorf("%s %d: %d and %d hotline records", u.Code, y, na, nb)
			}
			for i := range min(len(ca), len(cb)) {
				ca[i].ID, cb[i].ID, ca[i].CreatedAt, cb[i].CreatedAt = 0, 0, time.Time{}, time.Time{}
				if !reflect.DeepEqual(ca[i], cb[i]) {
					t.Errorf("%s %d: hotline record %d differs", u.Code, y, i)
					break
				}
			}
			xa, _, _ := full.Decisions(ctx, u.ID, publish.Licensing, y, 5000, 0)
			xb, _, _ := cut.Decisions(ctx, u.ID, publish.Licensing, y, 5000, 0)
			for i := range xa {
				xa[i].CreatedAt = time.Time{}
			}
			for i := range xb {
				xb[i].CreatedAt = time.Time{}
			}
			same(u.Code+" decisions", xa, xb)
		}
		// Nothing after 2024.
		for _, y := range []int{2025, 2026} {
			r, err := cut.RequestReport(ctx, u.ID, y)
			if err != nil {
				t.Fatal(err)
			}
			if n := r.Table3.Get(annual.RowReceived, annual.ColTotal).Int(); n != 0 {
				t.Errorf("%s %d: %d applications", u.Code, y, n)
			}
			s, _ := cut.DeskFigures(ctx, ids, y)
			ps, _ := cut.PublishStats(ctx, u.ID, y)
			t2, _ := cut.Table2(ctx, u.ID, y)
			if s.CallsOffered+s.HotlineRecords+s.Consult.Received+s.Message.Received+s.PageViews+s.PressConferences+s.ComplaintsReceived != 0 || ps.New+ps.Revisions != 0 || t2.LicensingDecisions.Int() != 0 {
				t.Errorf("%s %d: records after 2024: %+v %+v", u.Code, y, s, ps)
			}
		}
		years, _ := cut.DeskYears(ctx, ids)
		if len(years) > 0 && years[0] > 2024 {
			t.Errorf("%s: desk years %v", u.Code, years)
		}
	}
	if alerts, _, _ := cut.UnansweredAlerts(ctx, unitIDs(units), time.Now()); len(alerts) != 0 {
		t.Errorf("the 2024 world has open enquiries of today: %+v", alerts)
	}
	// A world cut before the seed's years is refused.
	w.Through = 2023
	if err := demo.Load(ctx, storetest.Open(t, store.SQLite, store.Options{}), w, testParams); err == nil || !strings.Contains(err.Error(), "2024") {
		t.Errorf("Through 2023: %v", err)
	}
}

func unitIDs(us []org.Unit) []int64 {
	var out []int64
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}
