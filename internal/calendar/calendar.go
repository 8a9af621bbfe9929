package calendar

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"time"
)

// Calendar is the working-day calendar (工作日历): Monday to Friday, minus
// the statutory holidays, plus the adjusted working weekends (调休上班) in
// its entries. A Calendar never changes once built, so one value can be
// shared by any number of goroutines; Merge returns a new one.
type Calendar struct {
	entries []Entry      // sorted by Start
	byDay   map[Date]int // day → index into entries
	years   map[int]bool // years whose arrangement is on record
	ordered []int        // the keys of years, ascending
}

// Sources used in messages about where an entry came from.
const (
	SourceBuiltin  = "内置数据"
	SourceImported = "导入数据"
)

//go:embed data/holidays.csv
var builtinData string

var loadDefault = sync.OnceValues(func() (*Calendar, error) {
	entries, err := ParseEntries(strings.NewReader(builtinData))
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].Source = SourceBuiltin
	}
	return New(entries)
})

// Default returns the calendar built from the embedded data: the State
// Council's holiday notices for 2019 through 2026 (data/holidays.csv). It
// panics only if the embedded file is invalid, which the package tests
// rule out.
func Default() *Calendar {
	c, err := loadDefault()
	if err != nil {
		panic("calendar: embedded holiday data is invalid: " + err.Error())
	}
	return c
}

// New builds a calendar from one or more sets of entries, after checking
// them with Validate: an invalid entry, or two entries covering the same
// day, is an error listing every problem.
func New(entries ...[]Entry) (*Calendar, error) {
	var all []Entry
	for _, es := range entries {
		all = append(all, es...)
	}
	if err := Validate(all); err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b Entry) int { return a.Start.Compare(b.Start) })
	c := &Calendar{entries: all, byDay: make(map[Date]int), years: make(map[int]bool)}
	for i, e := range all {
		for d := e.Start; !d.After(e.End); d = d.AddDays(1) {
			c.byDay[d] = i
		}
		if y, ok := e.arrangementYear(); ok {
			c.years[y] = true
		}
	}
	for y := range c.years {
		c.ordered = append(c.ordered, y)
	}
	slices.Sort(c.ordered)
	return c, nil
}

// Merge returns a new calendar with extra entries added, typically the next
// year's arrangement imported by an administrator when the notice comes
// out. An entry that covers a day already in the calendar is an error: a
// correction replaces the data, it is not layered on top. Entries without a
// Source are labelled 导入数据 in messages. c itself is unchanged.
func (c *Calendar) Merge(extra []Entry) (*Calendar, error) {
	added := slices.Clone(extra)
	for i := range added {
		if added[i].Source == "" {
			added[i].Source = SourceImported
		}
	}
	return New(c.entries, added)
}

// Entries returns a copy of the calendar's entries, sorted by start date.
func (c *Calendar) Entries() []Entry { return slices.Clone(c.entries) }

// Covers reports whether the holiday arrangement for year is on record,
// that is, whether at least one holiday period ends in that year. For a
// year not covered, the calendar can only assume Monday–Friday.
func (c *Calendar) Covers(year int) bool { return c.years[year] }

// Years returns the covered years in ascending order.
func (c *Calendar) Years() []int { return slices.Clone(c.ordered) }

// IsWorkday reports whether d is a working day (工作日) and why:
// "春节" or "周六" for a day off, "国庆节调休上班" for an adjusted working
// weekend, the weekday ("周三") for an ordinary working day. In a year the
// calendar does not cover, only the Monday–Friday rule applies.
func (c *Calendar) IsWorkday(d Date) (bool, string) {
	work, reason, _ := c.status(d)
	return work, reason
}

// status is IsWorkday plus whether the answer comes from the data (an
// entry or a covered year) rather than the bare Monday–Friday assumption.
func (c *Calendar) status(d Date) (work bool, reason string, known bool) {
	if i, ok := c.byDay[d]; ok {
		e := c.entries[i]
		if e.Kind == Holiday {
			return false, e.Name, true
		}
		return true, e.Name + "调休上班", true
	}
	known = c.years[d.Year()]
	switch w := d.Weekday(); w {
	case time.Saturday, time.Sunday:
		return false, weekdayName(w), known
	default:
		return true, weekdayName(w), known
	}
}
