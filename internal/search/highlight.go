package search

import (
	"html"
	"sort"
	"strings"
)

// span is a half-open interval of rune positions.
type span struct{ from, to int }

// matches finds where the terms of q occur in text, in rune positions,
// merged and sorted.
func (q Query) matches(rs []rune) []span {
	folded := make([]rune, len(rs))
	for i, r := range rs {
		folded[i] = Fold(r)
	}
	var out []span
	for _, t := range q.Terms {
		needle := []rune(t.Text)
		if len(needle) == 0 {
			continue
		}
		for i := 0; i+len(needle) <= len(folded); i++ {
			if !equalAt(folded, i, needle) {
				continue
			}
			if t.Kind == Word && (i > 0 && isWordRune(folded[i-1]) || i+len(needle) < len(folded) && isWordRune(folded[i+len(needle)])) {
				continue
			}
			out = append(out, span{i, i + len(needle)})
			i += len(needle) - 1
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].from < out[j].from })
	merged := out[:1]
	for _, s := range out[1:] {
		last := &merged[len(merged)-1]
		if s.from <= last.to {
			if s.to > last.to {
				last.to = s.to
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func equalAt(hay []rune, i int, needle []rune) bool {
	for j, r := range needle {
		if hay[i+j] != r {
			return false
		}
	}
	return true
}

// Highlight returns text as escaped HTML with every occurrence of the
// query's terms wrapped in <mark>.
func (q Query) Highlight(text string) string {
	rs := []rune(text)
	return markUp(rs, q.matches(rs))
}

func markUp(rs []rune, ms []span) string {
	var b strings.Builder
	pos := 0
	for _, m := range ms {
		b.WriteString(html.EscapeString(string(rs[pos:m.from])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(rs[m.from:m.to])))
		b.WriteString("</mark>")
		pos = m.to
	}
	b.WriteString(html.EscapeString(string(rs[pos:])))
	return b.String()
}

// Snippet returns about width characters of text around the first match,
// as escaped HTML with the matches marked; without a match, the start of
// the text.
func (q Query) Snippet(text string, width int) string {
	rs := []rune(strings.Join(strings.Fields(text), " "))
	ms := q.matches(rs)
	start := 0
	if len(ms) > 0 {
		start = ms[0].from - width/4
		if start < 0 {
			start = 0
		}
	}
	end := start + width
	if end > len(rs) {
		end = len(rs)
		if start = end - width; start < 0 {
			start = 0
		}
	}
	var in []span
	for _, m := range ms {
		if m.from >= start && m.to <= end {
			in = append(in, span{m.from - start, m.to - start})
		}
	}
	out := markUp(rs[start:end], in)
	if start > 0 {
		out = "…" + out
	}
	if end < len(rs) {
		out += "…"
	}
	return out
}
