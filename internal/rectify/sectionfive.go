package rectify

import (
	"fmt"
	"strings"
)

// Section is section 五 of an annual report (存在的主要问题及改进情况) as the
// register words it, with the gaps the register leaves in it.
type Section struct {
	// Paragraphs are （一） and （二）, each one paragraph.
	Paragraphs []string
	// Sentences are the paragraphs' parts in order, each with the problems
	// it states, so that a preview can link the text to its records: the
	// texts of one Part joined make its paragraph.
	Sentences []Sentence
	// Findings are the gaps: last year's problems without measures, closed
	// without an outcome or not yet rectified, no problem stated this year.
	Findings []Finding
}

// Sentence is a part of section 五's text and the problems it comes from
// (none for a heading or a statement that there is none).
type Sentence struct {
	Part       int // 1 for （一）, 2 for （二）
	Text       string
	ProblemIDs []int64
}

// Text is the section's body, one paragraph a line.
func (s Section) Text() string { return strings.Join(s.Paragraphs, "\n") }

// Finding is a gap of the register that shows in section 五. Severity is
// "error" or "warning", as annual.Severity.
type Finding struct {
	Rule      string // R5.NO_MEASURE, R5.NO_OUTCOME, R5.NOT_DONE, R5.NO_PROBLEM
	Severity  string
	Part      string // 五（一） or 五（二）
	ProblemID int64  // the problem at fault, 0 for the section
	Message   string
}

// The rules of section 五's findings.
const (
	RuleNoMeasure = "R5.NO_MEASURE" // a problem of last year's report without any measure
	RuleNoOutcome = "R5.NO_OUTCOME" // a problem closed as done without its outcome
	RuleNotDone   = "R5.NOT_DONE"   // a problem of last year's report still being rectified
	RuleNoProblem = "R5.NO_PROBLEM" // no problem stated for this year
)

// SectionFive writes section 五 of year's report from the register:
// lastYears are the problems stated in year−1's report (Fields.Year ==
// year−1), thisYears those of year. Both are taken in registration order
// (SortReport); neither slice is changed.
//
// （一） says, for each of last year's problems, 「针对“问题”，采取N方面措施进行整改：
// 一是…；二是…。」 followed by its outcome; a problem without any measure is
// stated as 「针对“问题”，尚未采取整改措施。」, one still being rectified is
// followed by 「目前整改工作仍在推进。」, a dropped one gives its reason. Without
// any problem of last year it says 「<year−1>年年报未提出需要整改的问题。」.
// （二） states this year's problems (the dropped ones left out) — one as it
// is written, several as 「一是…；二是…。」 — and the measures still planned
// for them as 「下一步，…」.
//
// For the seed (福州海关 2024) it gives exactly the seed's text.
func SectionFive(year int, lastYears, thisYears []Problem) Section {
	var s Section
	last := append([]Problem(nil), lastYears...)
	this := append([]Problem(nil), thisYears...)
	SortReport(last)
	SortReport(this)
	finding := func(rule, part string, id int64, format string, args ...any) {
		s.Findings = append(s.Findings, Finding{Rule: rule, Severity: "warning", Part: part, ProblemID: id, Message: fmt.Sprintf(format, args...)})
	}

	part := 1
	say := func(text string, ids ...int64) {
		s.Sentences = append(s.Sentences, Sentence{Part: part, Text: text, ProblemIDs: ids})
	}
	say(fmt.Sprintf("（一）%d年年报中所提问题整改情况。", year-1))
	if len(last) == 0 {
		say(fmt.Sprintf("%d年年报未提出需要整改的问题。", year-1))
	}
	for _, p := range last {
		var b strings.Builder
		d := quoted(p.Description)
		ms := measureClauses(p.Measures, false)
		switch {
		case p.Status == Dropped:
			fmt.Fprintf(&b, "针对“%s”，经研究不再整改，理由是：%s", d, sentence(p.DropReason))
		case len(ms) == 0:
			fmt.Fprintf(&b, "针对“%s”，尚未采取整改措施。", d)
			finding(RuleNoMeasure, "五（一）", p.ID, "%d年年报所提问题“%s”尚未登记整改措施（%s）", year-1, short(p.Description), Ref(p.ID))
		case len(ms) == 1:
			fmt.Fprintf(&b, "针对“%s”，采取措施进行整改：%s。", d, ms[0])
		default:
			fmt.Fprintf(&b, "针对“%s”，采取%d方面措施进行整改：%s。", d, len(ms), enumerate(ms))
		}
		if p.Status != Dropped && len(ms) > 0 {
			switch {
			case sentence(p.Outcome) != "":
				b.WriteString(sentence(p.Outcome))
			case p.Status == Done:
				finding(RuleNoOutcome, "五（一）", p.ID, "%d年年报所提问题“%s”已整改，但未填写整改成效（%s）", year-1, short(p.Description), Ref(p.ID))
			default:
				b.WriteString("目前整改工作仍在推进。")
				finding(RuleNotDone, "五（一）", p.ID, "%d年年报所提问题“%s”尚未整改完成，状态为“%s”（%s）", year-1, short(p.Description), p.Status.Label(), Ref(p.ID))
			}
		}
		say(b.String(), p.ID)
	}

	part = 2
	say("（二）目前存在问题。")
	var probs, planned []string
	var probIDs, plannedIDs []int64
	for _, p := range this {
		if p.Status == Dropped {
			continue
		}
		if c := clause(p.Description); c != "" {
			probs, probIDs = append(probs, c), append(probIDs, p.ID)
		}
		if ms := measureClauses(p.Measures, true); len(ms) > 0 {
			planned, plannedIDs = append(planned, ms...), append(plannedIDs, p.ID)
		}
	}
	switch len(probs) {
	case 0:
		say("本年度暂未发现需要报告的问题。")
		finding(RuleNoProblem, "五（二）", 0, "整改台账中没有%d年度的问题，“目前存在问题”无内容", year)
	case 1:
		say(probs[0]+"。", probIDs...)
	default:
		say(enumerate(probs)+"。", probIDs...)
	}
	switch len(planned) {
	case 0:
	case 1:
		say("下一步，"+planned[0]+"。", plannedIDs...)
	default:
		say("下一步，"+enumerate(planned)+"。", plannedIDs...)
	}
	for _, n := range []int{1, 2} {
		var b strings.Builder
		for _, x := range s.Sentences {
			if x.Part == n {
				b.WriteString(x.Text)
			}
		}
		s.Paragraphs = append(s.Paragraphs, b.String())
	}
	return s
}

// measureClauses are the measures' wordings as clauses: all of them, or
// only those not yet completed (the planned ones).
func measureClauses(ms []Measure, plannedOnly bool) []string {
	var out []string
	for _, m := range ms {
		if plannedOnly && m.Done() {
			continue
		}
		if c := clause(m.Text); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// short is the start of a text for a message.
func short(s string) string {
	s = clause(s)
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}
