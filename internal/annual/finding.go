package annual

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
)

// ruleStatus is the status of a rule's findings: a rule that reads the
// narrative, or a count other documents may explain (YEAR.IN_FORCE), is
// StatusDoubt; one the printed tables decide is StatusFail. A FORMAT finding
// for what the reader could not read is StatusUnknown (set where it is
// made).
func ruleStatus(rule string) Status {
	switch rule {
	case RuleNarrative, RuleInForce, RuleNarrativeBreakdown, RuleProblemsNone, RuleProblemsNoMeasure, RuleFeesStated:
		return StatusDoubt
	}
	return StatusFail
}

// Label is the status in Chinese, as pages show it: 不通过, 存疑, 无法判断.
func (s Status) Label() string {
	switch s {
	case StatusFail:
		return "不通过"
	case StatusDoubt:
		return "存疑"
	case StatusUnknown:
		return "无法判断"
	}
	return string(s)
}

var digitRun = regexp.MustCompile(`\d+(?:\.\d+)?`)

// findingID derives a finding's ID from its rule, its place and the numbers
// involved — expected and actual, and the numbers its message quotes (the
// cells of a row the reader could not place) — so that wording may change
// without changing it, while any changed number gives a new ID.
func findingID(f Finding) string {
	var b strings.Builder
	b.WriteString(f.Rule)
	b.WriteByte(0)
	b.WriteString(f.Where)
	b.WriteByte(0)
	for _, p := range []*int{f.Expected, f.Actual} {
		if p != nil {
			b.WriteString(strconv.Itoa(*p))
		}
		b.WriteByte(0)
	}
	b.WriteString(strings.Join(digitRun.FindAllString(f.Message, -1), ","))
	sum := sha256.Sum256([]byte(b.String()))
	return f.Rule + "-" + hex.EncodeToString(sum[:6])
}

// identify gives each finding its ID; a second finding with the same ID in
// one report (two rows the reader could not place, quoting the same
// numbers) gets a suffix by its order.
func identify(fs []Finding) {
	seen := map[string]int{}
	for i := range fs {
		id := findingID(fs[i])
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		fs[i].ID = id
	}
}
