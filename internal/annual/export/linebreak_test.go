package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A measure where a wide character is 2 and a narrow one 1.
func testMeasure(s string) float64 {
	w := 0.0
	for _, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func TestBreakLines(t *testing.T) {
	text := "严格落实依申请公开办理流程，加强与申请人沟通。“谁制作、谁认定”原则（第三十三条）；接听热线电话咨询 10289 条次，接通率 99.3%，网站 https://fuzhou.customs.gov.cn 。《12360 热线服务调查问卷》……"
	for _, width := range []float64{6, 7, 8, 9, 10, 13, 20, 31, 34, 40, 57} {
		lines := breakLines(text, width-4, width, testMeasure)
		joined := strings.Join(lines, "")
		if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Errorf("width %v: lost or added text:\n%q\n%q", width, joined, text)
		}
		for i, l := range lines {
			limit := width
			if i == 0 {
				limit = width - 4
			}
			if testMeasure(l) > limit && utf8.RuneCountInString(l) > 1 {
				t.Errorf("width %v: line %q is wider than %v", width, l, limit)
			}
			if l == "" {
				t.Errorf("width %v: empty line", width)
				continue
			}
			if width < 34 {
				continue // narrower than the address: it must be cut somewhere
			}
			first, _ := utf8.DecodeRuneInString(l)
			last, _ := utf8.DecodeLastRuneInString(l)
			if i > 0 && strings.ContainsRune(noLineStart, first) {
				t.Errorf("width %v: line %d starts with %q: %q", width, i, first, l)
			}
			if i < len(lines)-1 && strings.ContainsRune(noLineEnd, last) {
				t.Errorf("width %v: line %d ends with %q: %q", width, i, last, l)
			}
			if strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
				t.Errorf("width %v: line %q has a space at an end", width, l)
			}
		}
		// Numbers and addresses are never cut when they fit on a line.
		for _, word := range []string{"10289", "99.3%", "12360"} {
			if width >= 10 && !strings.Contains(strings.Join(lines, "\n"), word) {
				t.Errorf("width %v: %q was cut: %q", width, word, lines)
			}
		}
	}
	// Between two Chinese characters a line may break anywhere.
	if got := breakLines("一二三四五六七八", 6, 6, testMeasure); strings.Join(got, "|") != "一二三|四五六|七八" {
		t.Errorf("got %q", got)
	}
	// A closing mark stays on its line even if it overflows by itself…
	if got := breakLines("一二三。四五", 6, 6, testMeasure); strings.Join(got, "|") != "一二|三。四|五" {
		t.Errorf("got %q", got)
	}
	// …and an opening one goes down with what it opens.
	if got := breakLines("一二（三四", 6, 6, testMeasure); strings.Join(got, "|") != "一二|（三四" {
		t.Errorf("got %q", got)
	}
	if got := breakLines("", 6, 6, testMeasure); len(got) != 1 || got[0] != "" {
		t.Errorf("empty text: %q", got)
	}
}
