package publish

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// This file computes the figures of section 一（一） of the annual report
// (主动公开信息情况, 国办公开办函〔2021〕30号): how many items of each category
// a unit published in the year, the growth of all its publishing on the
// year before, and how many times published items were updated
// ("更新办事指南等信息11条次"). Everything is counted from the items' events.

// Publication is one publication that took effect: a version of an item
// went public at At.
type Publication struct {
	ItemID     int64
	CategoryID int64
	Version    int
	At         time.Time
	// Revision is set when the item had been public before: the
	// publication is an update (更新), counted in 条次, not a new item.
	Revision bool
}

// Publications lists the publications of one item that took effect by now:
// a publish event counts from its PublishAt unless a cancellation or a
// withdrawal came before that time. events are the item's events in order,
// create/edit/revise events carrying their content.
func Publications(itemID int64, events []Event, now time.Time) []Publication {
	var out []Publication
	cat := map[int]int64{}
	for i, e := range events {
		if e.Content != nil {
			cat[e.Version] = e.Content.CategoryID
		}
		if e.Kind != EvPublish || e.PublishAt.After(now) {
			continue
		}
		cancelled := false
		for _, later := range events[i+1:] {
			if (later.Kind == EvUnschedule || later.Kind == EvWithdraw) && later.At.Before(e.PublishAt) {
				cancelled = true
				break
			}
		}
		if cancelled {
			continue
		}
		out = append(out, Publication{ItemID: itemID, CategoryID: cat[e.Version], Version: e.Version, At: e.PublishAt, Revision: len(out) > 0})
	}
	return out
}

// CategoryStat is one category's publishing in a year and the year before.
type CategoryStat struct {
	Category  Category
	New       int // items first published in the year
	Revisions int // updates of published items in the year (条次)
	PrevNew   int // items first published the year before
}

// YearStats is a unit's publishing in one year.
type YearStats struct {
	Year       int
	Categories []CategoryStat // in catalogue order
	New        int            // all items first published in the year
	PrevNew    int            // the same, the year before
	Revisions  int            // all updates in the year
}

// PrevYear is the year before.
func (s YearStats) PrevYear() int { return s.Year - 1 }

// Growth is the change of New on PrevNew in per cent, rounded to one
// decimal; ok is false when there was nothing the year before.
func (s YearStats) Growth() (pct float64, ok bool) {
	if s.PrevNew == 0 {
		return 0, false
	}
	v := float64(s.New-s.PrevNew) * 100 / float64(s.PrevNew)
	return math.Round(v*10) / 10, true
}

// StatsOf counts publications by category for year and the year before.
// Publications are dated in loc (Beijing time). Categories are given in
// catalogue order; a publication in a category not listed is counted in the
// totals only.
func StatsOf(pubs []Publication, cats []Category, year int, loc *time.Location) YearStats {
	s := YearStats{Year: year}
	idx := map[int64]int{}
	for _, c := range cats {
		idx[c.ID] = len(s.Categories)
		s.Categories = append(s.Categories, CategoryStat{Category: c})
	}
	for _, p := range pubs {
		y := p.At.In(loc).Year()
		i, known := idx[p.CategoryID]
		switch {
		case y == year && p.Revision:
			s.Revisions++
			if known {
				s.Categories[i].Revisions++
			}
		case y == year:
			s.New++
			if known {
				s.Categories[i].New++
			}
		case y == year-1 && !p.Revision:
			s.PrevNew++
			if known {
				s.Categories[i].PrevNew++
			}
		}
	}
	return s
}

// Sentence writes section 一（一） as the seed report words it: "2024年，
// 福州海关本级机关通过门户网站发布公告1条，通告2条，…，网站发布信息同比增长27.4%。
// 更新办事指南等信息11条次。" Only categories marked InReport are listed.
func (s YearStats) Sentence(who string) string {
	var parts []string
	for _, c := range s.Categories {
		if c.Category.InReport {
			parts = append(parts, fmt.Sprintf("%s%d%s", c.Category.ReportNoun(), c.New, c.Category.ReportMeasure()))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d年，%s通过门户网站发布", s.Year, who)
	if len(parts) == 0 {
		fmt.Fprintf(&b, "信息%d条", s.New)
	} else {
		b.WriteString(strings.Join(parts, "，"))
	}
	if g, ok := s.Growth(); ok {
		switch {
		case g > 0:
			fmt.Fprintf(&b, "，网站发布信息同比增长%.1f%%", g)
		case g < 0:
			fmt.Fprintf(&b, "，网站发布信息同比下降%.1f%%", -g)
		default:
			b.WriteString("，网站发布信息与上年持平")
		}
	}
	b.WriteString("。")
	if s.Revisions > 0 {
		fmt.Fprintf(&b, "更新办事指南等信息%d条次。", s.Revisions)
	}
	return b.String()
}
