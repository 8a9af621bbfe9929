package inspect

import (
	"strings"
)

// Acc gathers what the checks find: one finding per defect (a defect found
// twice — a broken link on many pages — is kept once, at its most urgent
// class, with the places it shows), and for each indicator whether a check
// judged it or could not.
type Acc struct {
	order    []string
	findings map[string]*Finding
	judged   map[Indicator]string // note of a judged indicator ("" for none)
	unknown  map[Indicator]string // why an indicator could not be judged
	reasons  []string
	Stats    Stats
}

// NewAcc returns an empty accumulator.
func NewAcc() *Acc {
	return &Acc{findings: map[string]*Finding{}, judged: map[Indicator]string{}, unknown: map[Indicator]string{}}
}

func findingKey(f Finding) string { return string(f.Indicator) + "\x00" + f.Key }

// Add records a finding. A finding with the same indicator and key as one
// already recorded is the same defect: it keeps the more urgent class and
// adds its place to the context.
func (a *Acc) Add(f Finding) {
	k := findingKey(f)
	if old, ok := a.findings[k]; ok {
		if f.Level.Rank() < old.Level.Rank() {
			old.Level, old.Message = f.Level, f.Message
		}
		if f.Context != "" && !strings.Contains(old.Context, f.Context) && len([]rune(old.Context)) < 400 {
			if old.Context != "" {
				old.Context += "；"
			}
			old.Context += f.Context
		}
		return
	}
	a.order = append(a.order, k)
	a.findings[k] = &f
}

// Judged marks an indicator as looked at, with an optional note (a measured
// figure, what was covered).
func (a *Acc) Judged(i Indicator, note string) {
	if old, ok := a.judged[i]; ok && old != "" && note == "" {
		return
	}
	a.judged[i] = note
}

// Cannot marks an indicator that the run could not judge, and why.
func (a *Acc) Cannot(i Indicator, why string) {
	if old, ok := a.unknown[i]; ok && old != "" {
		if !strings.Contains(old, why) {
			a.unknown[i] = old + "；" + why
		}
		return
	}
	a.unknown[i] = why
}

// Incomplete records why the run could not complete.
func (a *Acc) Incomplete(why string) {
	for _, r := range a.reasons {
		if r == why {
			return
		}
	}
	a.reasons = append(a.reasons, why)
}

// Findings returns what has been found so far, in the order found.
func (a *Acc) Findings() []Finding {
	out := make([]Finding, 0, len(a.order))
	for _, k := range a.order {
		out = append(out, *a.findings[k])
	}
	return out
}

// Result gives each indicator its verdict: the most serious of its
// findings; else 无法判断 when a check could not judge it (or no check
// looked at it); else 合格.
func (a *Acc) Result() Result {
	r := Result{Findings: a.Findings(), Reasons: append([]string(nil), a.reasons...), Stats: a.Stats}
	SortFindings(r.Findings)
	for _, spec := range Indicators {
		j := Judgement{Indicator: spec.ID, Verdict: OK}
		for _, f := range r.Findings {
			if f.Indicator != spec.ID {
				continue
			}
			j.Findings++
			if v := verdictOf(f.Level); j.Findings == 1 || worse(v, j.Verdict) {
				j.Verdict = v
			}
		}
		note, judged := a.judged[spec.ID]
		why, cannot := a.unknown[spec.ID]
		switch {
		case j.Findings > 0:
			j.Note = note
			if cannot {
				j.Note = strings.TrimPrefix(j.Note+"；另有未能判断的部分："+why, "；")
			}
		case cannot:
			j.Verdict, j.Note = Unknown, why
		case !judged:
			j.Verdict, j.Note = Unknown, "本次检查未涉及"
		default:
			j.Note = note
		}
		r.Judgements = append(r.Judgements, j)
	}
	return r
}
