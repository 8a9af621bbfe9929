package demo

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

var testStaff = DeskStaff{UnitID: 2, AgentID: 8, ReviewerID: 3, AgentName: "agent", ReviewerName: "reviewer"}

// A later year of the desk is drawn from the seed and the year alone.
func TestDeskYearDeterministic(t *testing.T) {
	a, b := deskYearOf(7, 2025, testStaff), deskYearOf(7, 2025, testStaff)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two desk years")
	}
	if reflect.DeepEqual(a.cdr, deskYearOf(8, 2025, testStaff).cdr) || reflect.DeepEqual(a.cdr, deskYearOf(7, 2026, testStaff).cdr) {
		t.Fatal("another seed or year gave the same calls")
	}
	// Nothing after the records' end, and every history replays.
	for _, y := range []int{2025, 2026} {
		dy := deskYearOf(1, y, testStaff)
		from, to, _ := span(y)
		for _, h := range dy.enquiries {
			if h.Enquiry.ReceivedAt.Before(from) || !h.Enquiry.ReceivedAt.Before(to) {
				t.Errorf("%d: enquiry received %v", y, h.Enquiry.ReceivedAt)
			}
			for _, e := range h.Events {
				if e.At.After(recordsEnd()) {
					t.Errorf("%d: event %s at %v", y, e.Kind, e.At)
				}
			}
		}
		for _, o := range dy.outreach {
			if d, _ := calendar.ParseDate(o.Day); d.Year() != y || d.After(stopDay(y)) {
				t.Errorf("%d: %s on %s", y, o.Title, o.Day)
			}
		}
		if !dy.survey.closed.Before(to) || len(dy.surveyAnswers) == 0 {
			t.Errorf("%d: survey %v–%v, %d answers", y, dy.survey.opened, dy.survey.closed, len(dy.surveyAnswers))
		}
	}
}

// testGen is a publishing generator over a made-up catalogue and staff.
func testGen(seed uint64, w World) *pubGen {
	g := &pubGen{seed: seed, cal: calendar.Default(), cats: map[string]int64{}, depts: map[string]int64{}, revs: map[string]org.User{},
		counts: map[int]int{}, later: map[int]*rand.Rand{}}
	var n int64
	var walk func([]publish.CategorySpec)
	walk = func(cs []publish.CategorySpec) {
		for _, c := range cs {
			n++
			g.cats[c.Slug] = n
			walk(c.Children)
		}
	}
	walk(publish.CustomsCatalogue())
	for i, d := range units[1].Departments {
		g.depts[d] = int64(i + 1)
	}
	g.editor, g.legal = org.User{ID: 1, DisplayName: "编辑"}, org.User{ID: 2, DisplayName: "法制"}
	g.revs["办公室"] = org.User{ID: 3, DisplayName: "审查"}
	for _, y := range w.laterYears() {
		g.later[y] = yearRNG(seed, "publish/updates", y)
	}
	return g
}

// A later year of publishing, and the updates and abolitions it makes of
// the seed's items, are drawn from the seed and the year alone: a world cut
// at the end of 2025 has the default world's 2025.
func TestPublishYearDeterministic(t *testing.T) {
	full, cut := Generate(7), Generate(7)
	cut.Through = 2025
	year := func(seed uint64) ([]publish.ImportItem, []publish.Decision) {
		g := testGen(seed, full).yearGen(2025)
		ds := g.laterYear(2025)
		return g.items, ds
	}
	ia, da := year(7)
	ib, db := year(7)
	if !reflect.DeepEqual(ia, ib) || !reflect.DeepEqual(da, db) {
		t.Fatal("the same seed gave two publishing years")
	}
	if ic, _ := year(8); reflect.DeepEqual(ia, ic) {
		t.Fatal("another seed gave the same items")
	}
	for _, it := range ia {
		evs := append([]publish.Event(nil), it.Events...)
		for i := range evs {
			evs[i].Seq = i + 1 // as ImportItems numbers them
		}
		if _, err := publish.Replay(1, 2, evs); err != nil {
			t.Fatalf("%s: %v", it.Events[0].Content.Title, err)
		}
		for _, e := range it.Events {
			if e.At.In(cst).Year() != 2025 {
				t.Fatalf("%s: %s at %v", it.Events[0].Content.Title, e.Kind, e.At)
			}
		}
	}
	gf, gc := testGen(7, full), testGen(7, cut)
	af, ac := gf.abolitions(full, 3, 35, 10), gc.abolitions(cut, 3, 35, 10)
	uf, uc := gf.guideUpdates(full, 20), gc.guideUpdates(cut, 20)
	for i, d := range af {
		if d.Year() == 2025 && ac[i] != d || d.Year() == 2026 && !ac[i].IsZero() {
			t.Errorf("abolition %d: %v in the default world, %v cut at 2025", i, d, ac[i])
		}
	}
	for i, ds := range uf {
		var want []calendar.Date
		for _, d := range ds {
			if d.Year() == 2025 {
				want = append(want, d)
			}
		}
		if !reflect.DeepEqual(want, uc[i]) {
			t.Errorf("guide %d: updates %v in the default world, %v cut at 2025", i, ds, uc[i])
		}
	}
	if len(af) < 2 || len(uf) == 0 {
		t.Errorf("abolitions %v, updates %v", af, uf)
	}
}
