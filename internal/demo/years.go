package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"gongkai/internal/calendar"
)

// The years after the seed's. 2023 and 2024 are the seed report's years:
// 2024 reproduces its figures exactly and 2023 is what its growth figures
// compare with. Each later year, up to demoUntil, is drawn from the seed
// on its own: every series (calls, enquiries, visits, posts, items of each
// category, decisions…) moves on the year before by a rate of 8–25%, more
// often up than down, as real years differ; the year of demoUntil holds
// only its days up to that date. A year's records depend on the seed and
// the year alone — never on which later years a world holds — so a world
// cut at Through is the default world as it stood at the end of Through.

// laterYears lists the years after the seed's that a world holds.
func (w World) laterYears() []int {
	var out []int
	for y := PublishYear + 1; y <= w.lastDay().Year(); y++ {
		out = append(out, y)
	}
	return out
}

// yearRNG is the random source of one purpose in one year, drawn from the
// seed alone.
func yearRNG(seed uint64, purpose string, year int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	return rand.New(rand.NewPCG(seed^h.Sum64(), uint64(year)*0x9e3779b97f4a7c15+seed))
}

// stopDay is the last day of a later year's records: 31 December, or
// demoUntil in its year.
func stopDay(year int) calendar.Date {
	until, _ := calendar.ParseDate(demoUntil)
	if until.Year() == year {
		return until
	}
	d, _ := calendar.NewDate(year, time.December, 31)
	return d
}

// span is the part of a later year its records cover, in Beijing time:
// from 1 January to the end of stopDay; share is its fraction of the year.
func span(year int) (from, to time.Time, share float64) {
	from = time.Date(year, 1, 1, 0, 0, 0, 0, cst)
	s := stopDay(year).AddDays(1)
	to = time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, cst)
	full := time.Date(year+1, 1, 1, 0, 0, 0, 0, cst).Sub(from)
	return from, to, float64(to.Sub(from)) / float64(full)
}

// rate is how much a series moves in a later year on the year before:
// 8–25%, up three times in five.
func rate(seed uint64, series string, year int) float64 {
	r := yearRNG(seed, "rate/"+series, year)
	g := 0.08 + 0.17*r.Float64()
	if r.IntN(5) < 2 {
		g = -g
	}
	return g
}

// level is a series' whole-year level in a later year: base, its figure in
// the seed's year, moved year by year by its rates.
func level(seed uint64, series string, base float64, year int) float64 {
	v := base
	for y := PublishYear + 1; y <= year; y++ {
		v *= 1 + rate(seed, series, y)
	}
	return v
}

// yearCount is a series' count in a later year: its level over the part of
// the year the records cover, at least least.
func yearCount(seed uint64, series string, base float64, year, least int) int {
	_, _, share := span(year)
	return max(least, int(math.Round(level(seed, series, base, year)*share)))
}
