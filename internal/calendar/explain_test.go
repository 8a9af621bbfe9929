package calendar

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestExplainReference(t *testing.T) {
	r, err := Default().AddWorkdays(day(t, "2024-09-27"), 20, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `自 2024-09-27 的次日起算 20 个工作日（起算日当天不计），第 20 个工作日为 2024-10-30（周三）。
  2024-09-28 跳过：周六
  2024-09-29 计入：第1个工作日（国庆节调休上班）
  2024-09-30 计入：第2个工作日
  2024-10-01 至 2024-10-07 跳过：国庆节
  2024-10-08 至 2024-10-11 计入：第3至第6个工作日
  2024-10-12 计入：第7个工作日（国庆节调休上班）
  2024-10-13 跳过：周日
  2024-10-14 至 2024-10-18 计入：第8至第12个工作日
  2024-10-19 至 2024-10-20 跳过：周末
  2024-10-21 至 2024-10-25 计入：第13至第17个工作日
  2024-10-26 至 2024-10-27 跳过：周末
  2024-10-28 至 2024-10-30 计入：第18至第20个工作日
合计：2024-09-28 至 2024-10-30 共 33 天，计入 20 天，跳过 13 天，暂停 0 天。
`
	if got := r.Explain(); got != want {
		t.Errorf("Explain() =\n%s\nwant\n%s", got, want)
	}
}

func TestExplainPausesAndWarnings(t *testing.T) {
	c := Default()
	r, err := c.AddWorkdays(day(t, "2024-09-20"), 20,
		[]Pause{{day(t, "2024-09-30"), day(t, "2024-10-09"), "征求第三方意见"}})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Explain()
	for _, want := range []string{
		"  2024-09-30 至 2024-10-09 暂停：征求第三方意见（不计入期限）\n",
		"  2024-10-10 至 2024-10-11 计入：第7至第8个工作日\n",
		"合计：2024-09-21 至 2024-10-28 共 38 天，计入 20 天，跳过 8 天，暂停 10 天。\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain() lacks %q:\n%s", want, got)
		}
	}

	r, _ = c.AddWorkdays(day(t, "2026-12-25"), 5, nil)
	got = r.Explain()
	for _, want := range []string{
		"  2027-01-01 计入：第5个工作日（未录入节假日安排，按周一至周五推定）\n",
		"提示：2027年的节假日安排尚未录入，按周一至周五计算。\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain() lacks %q:\n%s", want, got)
		}
	}

	r, _ = c.AddWorkdays(day(t, "2024-09-27"), 0, nil)
	if got := r.Explain(); got != "起算日 2024-09-27，0 个工作日：期限即为当日（当场答复）。\n" {
		t.Errorf("Explain(n=0) = %q", got)
	}
	r, _ = c.WorkdaysBetween(day(t, "2024-09-27"), day(t, "2024-09-27"), nil)
	if got := r.Explain(); got != "自 2024-09-27 至 2024-09-27 未经过任何一天，计 0 个工作日。\n" {
		t.Errorf("Explain(empty between) = %q", got)
	}
	r, _ = c.WorkdaysBetween(day(t, "2024-09-27"), day(t, "2024-10-08"), nil)
	if got := r.Explain(); !strings.HasPrefix(got, "自 2024-09-27 的次日起至 2024-10-08（起算日当天不计），共 3 个工作日。\n") {
		t.Errorf("Explain(between) = %q", got)
	}
}

var (
	explainLine  = regexp.MustCompile(`^  (\d{4}-\d{2}-\d{2})(?: 至 (\d{4}-\d{2}-\d{2}))? (计入|跳过|暂停)：(.+)$`)
	ordinalRange = regexp.MustCompile(`^第(\d+)(?:至第(\d+))?个工作日`)
	totalLine    = regexp.MustCompile(`^合计：.* 共 (\d+) 天，计入 (\d+) 天，跳过 (\d+) 天，暂停 (\d+) 天。$`)
)

// checkAccounted parses an explanation and checks that it accounts for
// every day from From+1 to To exactly once, in order, with the working days
// numbered 1, 2, … Count and each line agreeing with the days it covers.
func checkAccounted(t *testing.T, r Result) {
	t.Helper()
	text := r.Explain()
	next := r.From.AddDays(1)
	ordinal := 0
	var counted, skipped, paused int
	sawTotal := false
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n")[1:] {
		if m := totalLine.FindStringSubmatch(line); m != nil {
			sawTotal = true
			all, _ := strconv.Atoi(m[1])
			c, _ := strconv.Atoi(m[2])
			s, _ := strconv.Atoi(m[3])
			p, _ := strconv.Atoi(m[4])
			if all != len(r.Days) || c != counted || s != skipped || p != paused || c != r.Count {
				t.Errorf("total line %q disagrees with %d days (%d/%d/%d, Count %d)", line, len(r.Days), counted, skipped, paused, r.Count)
			}
			continue
		}
		if strings.HasPrefix(line, "提示：") {
			continue
		}
		m := explainLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("unexpected line %q in:\n%s", line, text)
		}
		first := day(t, m[1])
		last := first
		if m[2] != "" {
			last = day(t, m[2])
		}
		if first != next || last.Before(first) {
			t.Fatalf("line %q: expected it to start at %s\n%s", line, next, text)
		}
		n := last.Sub(first) + 1
		for d := first; !d.After(last); d = d.AddDays(1) {
			got := r.Days[d.Sub(r.From)-1]
			if got.Status.String() != m[3] {
				t.Fatalf("line %q covers %s, which is %s", line, d, got.Status)
			}
		}
		switch m[3] {
		case "计入":
			counted += n
			o := ordinalRange.FindStringSubmatch(m[4])
			if o == nil {
				t.Fatalf("line %q: no ordinals", line)
			}
			lo, _ := strconv.Atoi(o[1])
			hi := lo
			if o[2] != "" {
				hi, _ = strconv.Atoi(o[2])
			}
			if lo != ordinal+1 || hi-lo+1 != n {
				t.Fatalf("line %q: ordinals %d–%d after %d, for %d days", line, lo, hi, ordinal, n)
			}
			ordinal = hi
		case "跳过":
			skipped += n
		case "暂停":
			paused += n
		}
		next = last.AddDays(1)
	}
	if len(r.Days) > 0 && next != r.To.AddDays(1) {
		t.Errorf("explanation stops at %s, want %s:\n%s", next.AddDays(-1), r.To, text)
	}
	if ordinal != r.Count {
		t.Errorf("last ordinal %d, Count %d", ordinal, r.Count)
	}
	if len(r.Days) > 0 && !sawTotal {
		t.Errorf("no total line:\n%s", text)
	}
	for _, w := range r.Warnings {
		if !strings.Contains(text, "提示："+w) {
			t.Errorf("warning %q not shown", w)
		}
	}
}

func TestExplainAccountsForEveryDay(t *testing.T) {
	c := Default()
	rng := rand.New(rand.NewPCG(31, 33))
	start := day(t, "2018-12-01")
	for range 500 {
		from := start.AddDays(rng.IntN(365*8 + 60)) // a few land in 2027
		var pauses []Pause
		for range rng.IntN(3) {
			p := from.AddDays(rng.IntN(40))
			pauses = append(pauses, Pause{p, p.AddDays(rng.IntN(15)), "暂停原因"})
		}
		r, err := c.AddWorkdays(from, rng.IntN(45), pauses)
		if err != nil {
			t.Fatal(err)
		}
		checkAccounted(t, r)
		b, err := c.WorkdaysBetween(from, from.AddDays(rng.IntN(80)), pauses)
		if err != nil {
			t.Fatal(err)
		}
		checkAccounted(t, b)
	}
}
