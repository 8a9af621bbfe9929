package web

import (
	"fmt"
	"html/template"
	"strings"
)

// Server-rendered SVG charts for the desk's pages: no script, no
// third-party library. Each chart has a <title> and is accompanied on its
// page by a table with the same numbers, so that it is readable without
// seeing the picture. Colours are attributes (the Content-Security-Policy
// forbids inline styles).

// Series is one set of bars in a grouped bar chart.
type Series struct {
	Name   string
	Values []int64
	Fill   string
}

// barChart draws vertical bars: one group per label, one bar per series.
func barChart(title string, labels []string, series []Series) template.HTML {
	const w, h, left, bottom, top = 720, 280, 64, 36, 28
	var max int64
	for _, s := range series {
		for _, v := range s.Values {
			if v > max {
				max = v
			}
		}
	}
	scale := niceMax(max)
	plotW, plotH := float64(w-left-10), float64(h-top-bottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, esc(title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	// Grid lines with values.
	for i := 0; i <= 4; i++ {
		y := float64(top) + plotH - plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#dddddd"/>`, left, y, w-10, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="#505a5f">%s</text>`, left-6, y+4, short(scale*int64(i)/4))
	}
	n := len(labels)
	if n == 0 {
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	groupW := plotW / float64(n)
	barW := groupW * 0.8 / float64(max1(len(series)))
	for i, l := range labels {
		x0 := float64(left) + groupW*float64(i) + groupW*0.1
		for j, s := range series {
			var v int64
			if i < len(s.Values) {
				v = s.Values[i]
			}
			bh := 0.0
			if scale > 0 {
				bh = plotH * float64(v) / float64(scale)
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s：%d</title></rect>`,
				x0+barW*float64(j), float64(top)+plotH-bh, barW-1, bh, s.Fill, esc(s.Name), esc(l), v)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="#1b1b1b">%s</text>`, x0+groupW*0.4, h-bottom+16, esc(l))
	}
	// Legend.
	x := left
	for _, s := range series {
		fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" fill="%s"/><text x="%d" y="16" font-size="12" fill="#1b1b1b">%s</text>`, x, s.Fill, x+16, esc(s.Name))
		x += 30 + 12*len([]rune(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Bar is one bar of a horizontal bar chart.
type Bar struct {
	Label string
	Value int64
	Note  string // printed after the value, e.g. a share
}

// hbarChart draws one horizontal bar per item (a survey question's options).
func hbarChart(title string, bars []Bar) template.HTML {
	const w, labelW, rowH, top = 720, 220, 30, 8
	h := top*2 + rowH*len(bars)
	var max int64
	for _, x := range bars {
		if x.Value > max {
			max = x.Value
		}
	}
	plotW := float64(w - labelW - 130)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, esc(title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	for i, x := range bars {
		y := top + rowH*i
		bw := 0.0
		if max > 0 {
			bw = plotW * float64(x.Value) / float64(max)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" text-anchor="end" fill="#1b1b1b">%s</text>`, labelW-8, y+19, esc(clipRunes(x.Label, 16)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="20" fill="#1d4f91"><title>%s：%d</title></rect>`, labelW, y+5, bw, esc(x.Label), x.Value)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="13" fill="#1b1b1b">%d（%s）</text>`, float64(labelW)+bw+6, y+19, x.Value, esc(x.Note))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceMax rounds a maximum up to a round figure for the axis.
func niceMax(v int64) int64 {
	if v <= 0 {
		return 4
	}
	p := int64(1)
	for p*10 < v {
		p *= 10
	}
	for _, m := range []int64{1, 2, 4, 5, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// short writes a number for an axis: 12000 → 1.2万.
func short(v int64) string {
	switch {
	case v >= 100000000:
		return trimZero(fmt.Sprintf("%.1f", float64(v)/1e8)) + "亿"
	case v >= 10000:
		return trimZero(fmt.Sprintf("%.1f", float64(v)/1e4)) + "万"
	}
	return fmt.Sprint(v)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return template.HTMLEscapeString(s) }
