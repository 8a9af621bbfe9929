package rectify

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text helpers shared by SectionFive and FromReportText: whitespace as
// printed (PDF lines broken inside sentences, spaces around figures),
// trailing punctuation, leading ordinals, and Chinese ordinals.

// squash joins lines and removes the whitespace that printing puts between
// Chinese characters and figures (「2023 年」 → 「2023年」); whitespace between
// two ASCII letters or digits stays, as one space.
func squash(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !unicode.IsSpace(rs[i]) && rs[i] != '\u3000' {
			b.WriteRune(rs[i])
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsSpace(rs[j]) || rs[j] == '\u3000') {
			j++
		}
		if i > 0 && j < len(rs) && isASCIIWord(rs[i-1]) && isASCIIWord(rs[j]) {
			b.WriteByte(' ')
		}
		i = j - 1
	}
	return b.String()
}

func isASCIIWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// trailing is the punctuation a clause may end with that the sentence it is
// put into supplies itself.
const trailing = "。；;，,、.．！!？?：: "

// clause is text made ready to stand inside a sentence: whitespace
// squashed, a leading ordinal (「一是」「1.」「（1）」) and the trailing
// punctuation removed — also inside a closing quotation mark, so that
// 「“……。”」 becomes 「“……”」.
func clause(s string) string {
	s = stripOrdinal(squash(s))
	for {
		t := strings.TrimRight(s, trailing)
		if strings.HasSuffix(t, "”") {
			inner := strings.TrimSuffix(t, "”")
			if u := strings.TrimRight(inner, trailing); u != inner && strings.Contains(u, "“") {
				t = u + "”"
			}
		}
		if t == s {
			return s
		}
		s = t
	}
}

// sentence is text made to end as a sentence: a clause closed with 「。」,
// or kept as it is when it already ends with 「。」「！」「？」 (also before a
// closing quotation mark).
func sentence(s string) string {
	s = squash(s)
	if s == "" {
		return ""
	}
	for _, end := range []string{"。", "！", "？", "。”", "！”", "？”"} {
		if strings.HasSuffix(s, end) {
			return s
		}
	}
	c := clause(s)
	if c == "" {
		return ""
	}
	return c + "。"
}

// quoted is text ready to be quoted in 「针对“……”」: a clause whose own
// quotation marks become the inner ones (‘’).
func quoted(s string) string {
	return strings.NewReplacer("“", "‘", "”", "’").Replace(clause(s))
}

// ordinal writes n as the Chinese ordinal of an enumeration's 「n是」: 一、二 …
// 十、十一 … 九十九; larger numbers in figures.
func ordinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n >= 1 && n <= 9:
		return digits[n]
	case n >= 10 && n <= 99:
		s := ""
		if n/10 > 1 {
			s = digits[n/10]
		}
		return s + "十" + digits[n%10]
	}
	return strconv.Itoa(n)
}

// enumerate writes clauses as 「一是A；二是B；三是C」 (no final punctuation).
func enumerate(items []string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = ordinal(i+1) + "是" + it
	}
	return strings.Join(parts, "；")
}

// chineseNumeral reads 一 … 九十九 (as ordinal writes them); 0 when s is not one.
func chineseNumeral(s string) int {
	for n := 1; n <= 99; n++ {
		if ordinal(n) == s {
			return n
		}
	}
	return 0
}

// stripOrdinal removes a leading enumeration marker: 「一是」「二是，」「1.」
// 「1、」「1．」「（1）」「(1)」「第一，」「其一，」.
func stripOrdinal(s string) string {
	if m, ok := markerAt(s, 0); ok && m.start == 0 {
		return strings.TrimLeft(s[m.end:], "，,、：: ")
	}
	return s
}
