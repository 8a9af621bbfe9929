package export

import (
	"strings"
	"unicode"
)

// Chinese line breaking for the PDF. Chinese has no spaces between words: a
// line may break between any two characters, except that closing punctuation
// never starts a line and opening punctuation never ends one (避头尾, as
// GB/T 15834 and common typesetting practice have it). A run of Latin
// letters, digits and their punctuation (10289, 99.3%, an address) breaks
// only at a space, and is cut only when it is wider than a whole line.

// noLineStart are the characters that never begin a line (避头).
const noLineStart = "，。、；：？！）》」』】〕〉”’…—·%‰℃．,.;:?!)]}>/-"

// noLineEnd are the characters that never end a line (避尾).
const noLineEnd = "（《「『【〔〈“‘([{<"

// isWide reports whether r is set as a character of its own (ideographs,
// kana, full-width forms and CJK punctuation), between which a line may
// break.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF ||
		r >= 0x2E80 && r <= 0x2FFF || r >= 0x3040 && r <= 0x30FF || r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…'
}

// breakLines breaks text into lines, the first no wider than first, the
// others no wider than width; width measures a string.
func breakLines(text string, first, width float64, measure func(string) float64) []string {
	units := lineUnits(text)
	var lines []string
	var cur strings.Builder
	curW := 0.0
	limit := first
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
		limit = width
	}
	for _, u := range units {
		if cur.Len() == 0 && strings.TrimSpace(u) == "" {
			continue // no space at the start of a line
		}
		w := measure(u)
		if curW+w <= limit || cur.Len() == 0 && w <= limit {
			cur.WriteString(u)
			curW += w
			continue
		}
		if strings.TrimSpace(u) == "" {
			flush() // the space ends the line
			continue
		}
		if cur.Len() > 0 {
			flush()
		}
		// A unit wider than a line is cut where it must be.
		for w > limit {
			runes := []rune(u)
			n := len(runes)
			for n > 1 && measure(string(runes[:n])) > limit {
				n--
			}
			// Even then, a mark that may not start a line stays up if it can.
			for n > 1 && strings.ContainsRune(noLineStart, runes[n]) {
				n--
			}
			cur.WriteString(string(runes[:n]))
			flush()
			u = strings.TrimLeft(string(runes[n:]), " ")
			w = measure(u)
		}
		cur.WriteString(u)
		curW = w
	}
	if cur.Len() > 0 || len(lines) == 0 {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
	}
	return lines
}

// lineUnits splits text into the pieces a line may not break inside: a wide
// character, a run of narrow ones, or a space; closing punctuation joins the
// piece before it and opening punctuation the piece after it.
func lineUnits(text string) []string {
	var raw []string
	var narrow strings.Builder
	endNarrow := func() {
		if narrow.Len() > 0 {
			raw = append(raw, narrow.String())
			narrow.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r == '\n' || r == '\t' || unicode.IsSpace(r) && r != '\u3000':
			endNarrow()
			raw = append(raw, " ")
		case isWide(r) || r > unicode.MaxASCII && (strings.ContainsRune(noLineStart, r) || strings.ContainsRune(noLineEnd, r)):
			endNarrow()
			raw = append(raw, string(r))
		default:
			narrow.WriteRune(r)
		}
	}
	endNarrow()
	// Glue: closing punctuation to what precedes it, opening punctuation to
	// what follows it.
	var out []string
	glueNext := false
	for _, u := range raw {
		rs := []rune(u)
		switch {
		case glueNext && u != " ":
			out[len(out)-1] += u
		case len(out) > 0 && out[len(out)-1] != " " && strings.ContainsRune(noLineStart, rs[0]):
			out[len(out)-1] += u
		case len(out) > 1 && out[len(out)-1] == " " && strings.ContainsRune(noLineStart, rs[0]):
			// 「99.3% ，」: the space does not let the comma start a line.
			out = out[:len(out)-1]
			out[len(out)-1] += " " + u
		default:
			out = append(out, u)
		}
		glueNext = u != " " && strings.ContainsRune(noLineEnd, rs[len(rs)-1])
	}
	return out
}
