package requests

import "unicode"

// Similarity is the Jaccard index of the character bigrams of two
// descriptions (punctuation and spaces ignored): 1 for the same content, 0
// for nothing in common. The handler sees earlier applications by the same
// applicant with similar content as a hint of 重复申请 (条例第三十九条) or
// 大量反复申请 (第三十五条); the decision stays the handler's.
func Similarity(a, b string) float64 {
	x, y := bigrams(a), bigrams(b)
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

func bigrams(s string) map[[2]rune]bool {
	var rs []rune
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, unicode.ToLower(r))
		}
	}
	out := map[[2]rune]bool{}
	for i := 0; i+1 < len(rs); i++ {
		out[[2]rune{rs[i], rs[i+1]}] = true
	}
	return out
}

// SimilarThreshold is the similarity from which an earlier application is
// shown as a possible repeat.
const SimilarThreshold = 0.5

// ExcessiveCount is how many applications by one applicant within 30 days
// make the page suggest asking for reasons (第三十五条); a policy hint.
const ExcessiveCount = 10
