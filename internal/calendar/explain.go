package calendar

import (
	"fmt"
	"strings"
)

// Explain renders the result in Chinese, one line per run of similar days,
// so that every day from From+1 to To is accounted for: counted working
// days with their ordinals, skipped days and why (周末 or the holiday), and
// paused days with the pause's reason. For example:
//
//	自 2024-09-27 的次日起算 20 个工作日（起算日当天不计），第 20 个工作日为 2024-10-30（周三）。
//	  2024-09-28 跳过：周六
//	  2024-09-29 计入：第1个工作日（国庆节调休上班）
//	  2024-09-30 计入：第2个工作日
//	  2024-10-01 至 2024-10-07 跳过：国庆节
//	  2024-10-08 至 2024-10-11 计入：第3至第6个工作日
//	  …
//	合计：2024-09-28 至 2024-10-30 共 33 天，计入 20 天，跳过 13 天，暂停 0 天。
func (r Result) Explain() string {
	var b strings.Builder
	switch {
	case r.Due.IsZero() && len(r.Days) == 0:
		fmt.Fprintf(&b, "自 %s 至 %s 未经过任何一天，计 0 个工作日。\n", r.From, r.To)
	case r.Due.IsZero():
		fmt.Fprintf(&b, "自 %s 的次日起至 %s（起算日当天不计），共 %d 个工作日。\n", r.From, r.To, r.Count)
	case r.N == 0:
		fmt.Fprintf(&b, "起算日 %s，0 个工作日：期限即为当日（当场答复）。\n", r.From)
	default:
		fmt.Fprintf(&b, "自 %s 的次日起算 %d 个工作日（起算日当天不计），第 %d 个工作日为 %s（%s）。\n",
			r.From, r.N, r.N, r.Due, weekdayName(r.Due.Weekday()))
	}
	var counted, skipped, paused int
	for i := 0; i < len(r.Days); {
		j := i + 1
		for j < len(r.Days) && groupKey(r.Days[j]) == groupKey(r.Days[i]) {
			j++
		}
		run := r.Days[i:j]
		first, last := run[0], run[len(run)-1]
		b.WriteString("  ")
		b.WriteString(spanText(first.Date, last.Date))
		b.WriteString(" ")
		b.WriteString(first.Status.String())
		b.WriteString("：")
		switch first.Status {
		case Counted:
			counted += len(run)
			if len(run) == 1 {
				fmt.Fprintf(&b, "第%d个工作日", first.N)
			} else {
				fmt.Fprintf(&b, "第%d至第%d个工作日", first.N, last.N)
			}
			if !isWeekdayName(first.Reason) {
				b.WriteString("（" + first.Reason + "）")
			}
		case Skipped:
			skipped += len(run)
			if len(run) > 1 && isWeekendName(first.Reason) {
				b.WriteString("周末")
			} else {
				b.WriteString(first.Reason)
			}
		case Paused:
			paused += len(run)
			b.WriteString(first.Reason)
			b.WriteString("（不计入期限）")
		}
		if first.Assumed {
			b.WriteString("（未录入节假日安排，按周一至周五推定）")
		}
		b.WriteString("\n")
		i = j
	}
	if len(r.Days) > 0 {
		fmt.Fprintf(&b, "合计：%s 共 %d 天，计入 %d 天，跳过 %d 天，暂停 %d 天。\n",
			spanText(r.Days[0].Date, r.Days[len(r.Days)-1].Date), len(r.Days), counted, skipped, paused)
	}
	for _, w := range r.Warnings {
		b.WriteString("提示：" + w + "。\n")
	}
	return b.String()
}

// groupKey puts consecutive days on one line when they say the same
// thing: ordinary working days together, a Saturday with its Sunday, the
// days of one holiday, the days of one pause.
func groupKey(d Day) string {
	reason := d.Reason
	switch {
	case d.Status == Counted && isWeekdayName(reason):
		reason = ""
	case d.Status == Skipped && isWeekendName(reason):
		reason = "周末"
	}
	return fmt.Sprintf("%d|%s|%t", d.Status, reason, d.Assumed)
}

func isWeekdayName(s string) bool {
	for _, n := range weekdayNames[1:6] {
		if s == n {
			return true
		}
	}
	return false
}

func isWeekendName(s string) bool { return s == "周六" || s == "周日" }
