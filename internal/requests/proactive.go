package requests

import (
	"sort"
	"strconv"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
)

// 条例第四十四条: where several applicants ask the same agency for the same
// government information, and it may be disclosed, the agency may bring it
// into proactive disclosure (纳入主动公开的范围). The application page and
// the office head's list say when that is so; the decision to propose it
// is the office head's. "Several" and "the same" are policy
// (ProactiveSettings): by default 3 different applicants within 12 months,
// with descriptions at least as similar as SimilarThreshold.

// ProactiveSettings are the thresholds of the 第四十四条 signal (settings
// requests.proactive_applicants, requests.proactive_months,
// requests.proactive_similarity).
type ProactiveSettings struct {
	Applicants int     // different applicants, the application's own included
	Months     int     // the window either side of an application's receipt
	Threshold  float64 // Similarity from which two descriptions count as the same
}

// DefaultProactive are the thresholds until a unit sets its own.
var DefaultProactive = ProactiveSettings{Applicants: 3, Months: 12, Threshold: SimilarThreshold}

// Asked is what the signal reads of an application.
type Asked struct {
	ID           int64
	ReceiptNo    string
	ApplicantKey string // HMAC of the identity number ("" when none was given)
	Description  string
	ReceivedOn   calendar.Date
	Outcome      annual.RowKey
}

// applicant names who asked: the identity key, or, without one, the
// application itself (an applicant the system cannot recognise again
// counts once).
func (a Asked) applicant() string {
	if a.ApplicantKey != "" {
		return a.ApplicantKey
	}
	return "#" + strconv.FormatInt(a.ID, 10)
}

func within(a, b calendar.Date, months int) bool {
	ta := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	if tb.Before(ta) {
		ta, tb = tb, ta
	}
	return !tb.After(ta.AddDate(0, months, 0))
}

// AlsoAsked returns the applications by other applicants that ask for
// information similar to a's within the window, most similar first, and
// whether they make the 第四十四条 signal: at least set.Applicants different
// applicants, a's own included.
func AlsoAsked(a Asked, others []Asked, set ProactiveSettings) ([]Asked, bool) {
	type scored struct {
		Asked
		sim float64
	}
	var hits []scored
	who := map[string]bool{a.applicant(): true}
	for _, o := range others {
		if o.ID == a.ID || o.applicant() == a.applicant() || !within(a.ReceivedOn, o.ReceivedOn, set.Months) {
			continue
		}
		if s := Similarity(a.Description, o.Description); s >= set.Threshold {
			hits = append(hits, scored{o, s})
			who[o.applicant()] = true
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].sim > hits[j].sim })
	out := make([]Asked, len(hits))
	for i, h := range hits {
		out[i] = h.Asked
	}
	return out, len(who) >= set.Applicants
}

// Clusters groups applications that ask for similar information (linked
// through pairs at or above the threshold, received within the window of
// each other) and returns the groups asked by at least set.Applicants
// different applicants, each in order of receipt, the largest group first.
func Clusters(apps []Asked, set ProactiveSettings) [][]Asked {
	parent := make([]int, len(apps))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	grams := make([]map[[2]rune]bool, len(apps))
	for i, a := range apps {
		grams[i] = bigrams(a.Description)
	}
	for i := range apps {
		for j := i + 1; j < len(apps); j++ {
			if find(i) == find(j) || !within(apps[i].ReceivedOn, apps[j].ReceivedOn, set.Months) {
				continue
			}
			if jaccard(grams[i], grams[j]) >= set.Threshold {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]Asked{}
	for i, a := range apps {
		groups[find(i)] = append(groups[find(i)], a)
	}
	var out [][]Asked
	for _, g := range groups {
		who := map[string]bool{}
		for _, a := range g {
			who[a.applicant()] = true
		}
		if len(who) < set.Applicants {
			continue
		}
		sort.SliceStable(g, func(i, j int) bool { return g[i].ReceivedOn.Before(g[j].ReceivedOn) })
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i][0].ReceivedOn.Before(out[j][0].ReceivedOn)
	})
	return out
}

func jaccard(x, y map[[2]rune]bool) float64 {
	if len(x) == 0 && len(y) == 0 {
		return 0
	}
	inter := 0
	for g := range x {
		if y[g] {
			inter++
		}
	}
	return float64(inter) / float64(len(x)+len(y)-inter)
}
