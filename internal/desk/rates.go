package desk

import "fmt"

// This file is the one place where the hotline's two quality figures are
// computed, as the seed report states them: 「接通率 99.3%，满意度得分
// 99.89 分」. docs/GLOSSARY.md repeats the definitions.
//
// 接通率 (connection rate) = calls answered by an agent ÷ calls offered to
// the hotline, in per cent, one decimal. The counts come from the telephony
// system's call-detail records (CDR): every CDR row is an offered call; a row
// whose outcome is 接通 is answered; the rest (the caller hung up in the
// queue or while ringing) are abandoned. A year with no offered call has no
// rate.
//
// 满意度得分 (satisfaction score) = the mean of the callers' ratings on the
// five-level scale of the 政务服务“好差评” system (国办发〔2019〕51号《国务院办公厅关于建立
// 政务服务“好差评”制度提高政务服务水平的意见》: 非常满意 5, 满意 4, 基本满意 3,
// 不满意 2, 非常不满意 1), scaled to 100 (mean × 20), two decimals. Only
// hotline records that carry a rating count; a record without one is neither
// a good nor a bad mark. A year with no rating has no score.
//
// Both are rounded half up with integer arithmetic, so that the printed
// figure never depends on floating-point error.

// Ratings are the five satisfaction levels, best first.
var Ratings = []Choice{{"5", "非常满意"}, {"4", "满意"}, {"3", "基本满意"}, {"2", "不满意"}, {"1", "非常不满意"}}

// RatingLabel names a rating 1–5; 0 is 未评价.
func RatingLabel(r int) string {
	if r < 1 || r > 5 {
		return "未评价"
	}
	return Ratings[5-r].Label
}

// ParseRating accepts 1–5, a level's name, or "" (not rated, 0).
func ParseRating(s string) (int, bool) {
	switch s {
	case "", "0", "未评价", "无":
		return 0, true
	}
	if k, ok := keyOf(Ratings, s); ok {
		return int(k[0] - '0'), true
	}
	return 0, false
}

// Rate is a connection rate in tenths of a per cent (993 is 99.3%).
type Rate struct {
	Tenths int64
	Valid  bool // false when nothing was offered
}

func (r Rate) String() string {
	if !r.Valid {
		return "—"
	}
	return fmt.Sprintf("%d.%d%%", r.Tenths/10, r.Tenths%10)
}

// ConnectionRate is answered ÷ offered in per cent, rounded half up to one
// decimal: 10289 answered of 10362 offered is 99.2955…% → 99.3%.
func ConnectionRate(offered, answered int64) Rate {
	if offered <= 0 {
		return Rate{}
	}
	return Rate{Tenths: roundDiv(answered*1000, offered), Valid: true}
}

// Score is a satisfaction score in hundredths of a point (9989 is 99.89).
type Score struct {
	Hundredths int64
	Rated      int64 // how many ratings it is the mean of
	Valid      bool  // false when there was no rating
}

func (s Score) String() string {
	if !s.Valid {
		return "—"
	}
	return fmt.Sprintf("%d.%02d", s.Hundredths/100, s.Hundredths%100)
}

// Satisfaction is the mean rating × 20, rounded half up to two decimals.
// counts[r] is the number of ratings r (1–5); other keys are ignored. For
// example 7200 ratings of which 7160 are 5 and 40 are 4 make a mean of
// 4.99444…, a score of 99.888… → 99.89.
func Satisfaction(counts map[int]int64) Score {
	var n, sum int64
	for r, c := range counts {
		if r < 1 || r > 5 || c <= 0 {
			continue
		}
		n += c
		sum += int64(r) * c
	}
	if n == 0 {
		return Score{}
	}
	// mean × 20 × 100 hundredths = sum × 2000 / n
	return Score{Hundredths: roundDiv(sum*2000, n), Rated: n, Valid: true}
}

// roundDiv is a ÷ b rounded half up, for a ≥ 0 and b > 0.
func roundDiv(a, b int64) int64 { return (2*a + b) / (2 * b) }
