package demo

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/publish"
)

// The years after the seed's, for 主动公开: each year's items of the
// categories the report counts, drawn by the same generator as the seed's
// year (yearOfPublishing, decisions, shuanggongshi) from a source of its
// own, at the year's scale; new normative documents, and some of the old
// ones abolished (so table 二's in-force count moves as issued minus
// abolished); updates of the 办事指南; at the end of the records, items
// still in the work queue.

// lastMade is the last day a later year's items are made on: 12 December,
// or two weeks before demoUntil in its year, so that each is published
// before the records end.
func lastMade(year int) calendar.Date {
	if s := stopDay(year); s.Month() != time.December || s.Day() != 31 {
		return s.AddDays(-14)
	}
	d, _ := calendar.NewDate(year, time.December, 12)
	return d
}

// lastDecided is the last day of a later year's licensing decisions.
func lastDecided(year int) calendar.Date {
	if s := stopDay(year); s.Month() != time.December || s.Day() != 31 {
		return s.AddDays(-10)
	}
	d, _ := calendar.NewDate(year, time.December, 20)
	return d
}

// monthsMade is how many months of a later year have their monthly items
// (“关长接待日”, the month's trade figures): those up to lastMade's month,
// that one only when it is well under way.
func monthsMade(year int) int {
	l := lastMade(year)
	if l.Day() >= 10 {
		return int(l.Month())
	}
	return int(l.Month()) - 1
}

// yearGen is the generator of a later year: the seed's catalogue and staff,
// a source and items of its own.
func (g *pubGen) yearGen(year int) *pubGen {
	return &pubGen{seed: g.seed, rng: yearRNG(g.seed, "publish", year), cal: g.cal, cats: g.cats, depts: g.depts, editor: g.editor,
		revs: g.revs, legal: g.legal, counts: map[int]int{}}
}

// abolitions chooses, for each later year of the world, one or two of the
// normative documents from..to−1 (skip excepted) to abolish in it, and the
// day.
func (g *pubGen) abolitions(w World, from, to, skip int) map[int]calendar.Date {
	out := map[int]calendar.Date{}
	for _, y := range w.laterYears() {
		pg := &pubGen{rng: yearRNG(w.Seed, "publish/abolish", y), cal: g.cal}
		last := lastMade(y)
		for k := 1 + pg.rng.IntN(2); k > 0; {
			i := from + pg.rng.IntN(to-from)
			if i == skip || !out[i].IsZero() {
				continue
			}
			out[i] = pg.randomDay(y, time.January, last.Month(), last.Day())
			k--
		}
	}
	return out
}

// guideUpdates chooses, for each later year of the world, which of the n
// 办事指南 are updated and when (更新办事指南等信息…条次): about as often as
// in the seed's year, at the year's scale, spread over its months.
func (g *pubGen) guideUpdates(w World, n int) map[int][]calendar.Date {
	out := map[int][]calendar.Date{}
	for _, y := range w.laterYears() {
		pg := &pubGen{rng: yearRNG(w.Seed, "publish/guides", y), cal: g.cal}
		months := monthsMade(y)
		k := yearCount(w.Seed, "guide-updates", 11, y, 1)
		for i := 0; i < k; i++ {
			m := time.Month(1 + i*months/k)
			d := pg.randomDay(y, m, m, 12)
			guide := pg.rng.IntN(n)
			for i := 0; i < n && hasDate(out[guide], d); i++ {
				guide = (guide + 1) % n // one update of a guide a day
			}
			out[guide] = append(out[guide], d)
		}
	}
	for _, ds := range out {
		sort.Slice(ds, func(a, b int) bool { return ds[a].Before(ds[b]) })
	}
	return out
}

func hasDate(ds []calendar.Date, d calendar.Date) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// seedCounts are the seed year's items of each category yearOfPublishing
// makes (the monthly ones aside), as its report states them.
var seedCounts = []struct {
	cat string
	n   int
}{{"gonggao", 1}, {"tonggao", 2}, {"tongzhi", 8}, {"procurement", 248}, {"shuangsuiji", 125}, {"recruitment", 11},
	{"policy-guides", 52}, {"interpretation", 4}}

// catLevel is a category's whole-year level in a later year: the year's
// publishing rate, give or take 3% for the category.
func catLevel(seed uint64, cat string, base float64, year int) float64 {
	v := base
	for y := PublishYear + 1; y <= year; y++ {
		v *= 1 + rate(seed, "publishing", y) + 0.06*(yearRNG(seed, "publish/"+cat, y).Float64()-0.5)
	}
	return v
}

// laterYear generates a later year's items and returns its licensing
// decisions (those 双公示 lists).
func (g *pubGen) laterYear(year int) []publish.Decision {
	_, _, share := span(year)
	last := lastMade(year)
	n := map[string]int{"reception": monthsMade(year), "art20-4": monthsMade(year), "art20-7": 2, "press": yearCount(g.seed, "press", 2, year, 1)}
	for _, c := range seedCounts {
		n[c.cat] = max(1, int(math.Round(catLevel(g.seed, c.cat, float64(c.n), year)*share)))
	}
	g.yearOfPublishing(year, n, last)
	ds := g.decisions(year, yearCount(g.seed, "licensing", 1348, year, 1), lastDecided(year))
	g.shuanggongshi(year, max(1, int(math.Round(catLevel(g.seed, "shuanggongshi", 378, year)*share))), ds)

	// New normative documents (本年制发).
	for i, k := 0, 1+g.rng.IntN(2); i < k; i++ {
		made := g.randomDay(year, time.February, last.Month(), last.Day())
		g.add(spec{cat: "art20-1", dept: "政策法规处", kind: publish.Normative, made: made, docNo: fmt.Sprintf("福州关规〔%d〕%d号", year, i+1),
			title: "福州海关" + strings.TrimPrefix(objects[g.rng.IntN(len(objects))], "海关") + normTitles[g.rng.IntN(len(normTitles))], body: GovParagraphs(g.rng, 4, 3)})
	}

	// The work queue at the end of the records: a draft, one under review,
	// one under legal review, one approved and waiting to go out.
	if stop := stopDay(year); stop.String() == demoUntil {
		g.add(spec{cat: "tongzhi", dept: "办公室", title: fmt.Sprintf("关于做好%d年元旦春节期间通关保障工作的通知（草稿）", year+1), made: stop.AddDays(-2), body: GovParagraphs(g.rng, 2, 2), stop: publish.Draft})
		g.add(spec{cat: "policy-guides", dept: "综合业务处", title: "跨境电商零售进口退货操作指引（送审稿）", made: stop.AddDays(-4), body: GovParagraphs(g.rng, 2, 2), stop: publish.Review})
		g.add(spec{cat: "gonggao", dept: "政策法规处", title: "关于优化进口货物“两步申报”有关事项的公告（征求意见稿）", made: stop.AddDays(-7), body: GovParagraphs(g.rng, 2, 2), legal: true, stop: publish.Legal})
		g.add(spec{cat: "procurement", dept: "财务处", title: fmt.Sprintf("福州海关%d年%s项目%s", year+1, procurementItems[g.rng.IntN(len(procurementItems))], procurementKinds[0]),
			made: stop.AddDays(-3), body: GovParagraphs(g.rng, 2, 2), stop: publish.Approved})
	}
	return ds
}

// cutItem keeps what of an item's history happened by end: nothing when it
// was made after it; otherwise its steps up to end.
func cutItem(it publish.ImportItem, end time.Time) (publish.ImportItem, bool) {
	if len(it.Events) == 0 || it.Events[0].At.After(end) {
		return it, false
	}
	for i, e := range it.Events {
		if e.At.After(end) {
			it.Events = it.Events[:i]
			break
		}
	}
	return it, true
}
