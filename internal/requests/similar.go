package requests

import (
	"sort"
	"unicode"

	"gongkai/internal/calendar"
)

// This file gives the handler the hints 条例第三十五条 and 第三十六条第（六）项
// rest on: earlier applications by the same applicant (the same identity
// number, or the same name and contact) whose content is similar — a
// possible 重复申请 — and how many the applicant made in the calendar month,
// the count 国办函〔2020〕109号 charges per request by and 第三十五条's "数量、
// 频次明显超过合理范围" looks at. They are hints: the handler decides.

// SimilarThreshold is the character-bigram Jaccard similarity from which an
// earlier application is shown as similar.
const SimilarThreshold = 0.5

// Bigrams is the set of adjacent character pairs of s's letters and digits
// (punctuation and spaces dropped), the unit Chinese text is compared in.
func Bigrams(s string) map[string]struct{} {
	var rs []rune
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, unicode.ToLower(r))
		}
	}
	out := make(map[string]struct{}, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = struct{}{}
	}
	if len(rs) == 1 {
		out[string(rs)] = struct{}{}
	}
	return out
}

// Jaccard is |A∩B| / |A∪B| of the two texts' bigram sets (0 when both are empty).
func Jaccard(a, b string) float64 {
	x, y := Bigrams(a), Bigrams(b)
	if len(x) == 0 && len(y) == 0 {
		return 0
	}
	inter := 0
	for k := range x {
		if _, ok := y[k]; ok {
			inter++
		}
	}
	return float64(inter) / float64(len(x)+len(y)-inter)
}

// Earlier is an earlier application by the same applicant, as the store
// finds it.
type Earlier struct {
	ID          int64
	ReceiptNo   string
	ReceivedOn  calendar.Date
	Description string
	Status      Status
	SameID      bool // matched by identity number (else by name and contact)
}

// Hint is an earlier application shown to the handler.
type Hint struct {
	Earlier
	Similarity float64
}

// SimilarHints returns the earlier applications whose description is at
// least SimilarThreshold similar to desc, the most similar first.
func SimilarHints(desc string, earlier []Earlier) []Hint {
	var out []Hint
	for _, e := range earlier {
		if s := Jaccard(desc, e.Description); s >= SimilarThreshold {
			out = append(out, Hint{Earlier: e, Similarity: s})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Similarity > out[j].Similarity })
	return out
}

// MonthCount is how many of the applicant's applications (earlier ones and
// this one, received on) fall in on's calendar month: the n of the
// per-request fee (FeeBands.RequestFee) and a 第三十五条 hint.
func MonthCount(on calendar.Date, earlier []Earlier) int {
	n := 1
	for _, e := range earlier {
		if e.ReceivedOn.Year() == on.Year() && e.ReceivedOn.Month() == on.Month() && e.ReceivedOn.String() <= on.String() {
			n++
		}
	}
	return n
}
