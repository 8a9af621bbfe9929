//go:build ignore

// mkhtml renders a report's extracted text (testdata/*.txt: tables flattened
// one row a line, TAB between cells) as an HTML page with real tables: the
// label columns of table 三 merged across rows and columns as the format
// prints them, the headers of tables 二, 三 and 四 with their spans. make.sh
// converts the pages to DOCX and PDF with LibreOffice and prints them with
// Chromium. Run by hand: go run mkhtml.go [-thead] [-page A4|A5] in.txt > out.html
package main

import (
	"flag"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
)

var (
	thead = flag.Bool("thead", true, "mark table 三's header as <thead> (repeated on each page)")
	page  = flag.String("page", "A4", "CSS page size")
	font  = flag.String("font", "12pt", "body font size")
)

var number = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

func main() {
	flag.Parse()
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>report</title>
<style>
@page { size: %s; margin: 2cm 1.8cm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: %s; line-height: 1.6; }
h1 { font-size: 16pt; text-align: center; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0; font-size: 9pt; }
td, th { border: 1px solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle; font-weight: normal; }
td.l { text-align: left; }
td.n { text-align: right; width: 2.6em; }
</style></head><body>
`, *page, *font)
	i := 0
	for i < len(lines) && (strings.TrimSpace(lines[i]) == "" || strings.HasPrefix(lines[i], "http") || strings.HasPrefix(lines[i], "#")) {
		i++
	}
	titled := false
	section := ""
	for i < len(lines) {
		l := lines[i]
		if !strings.Contains(l, "\t") {
			t := strings.TrimSpace(l)
			switch {
			case t == "":
			case !titled && strings.Contains(t, "年度报告"):
				fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(t))
				titled = true
			default:
				if !titled && len([]rune(t)) < 20 {
					fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(t))
				} else {
					fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(t))
				}
				for _, s := range []string{"二、", "三、", "四、"} {
					if strings.HasPrefix(t, s) && len([]rune(t)) < 40 {
						section = s
					}
				}
			}
			i++
			continue
		}
		var rows [][]string
		for i < len(lines) && strings.Contains(lines[i], "\t") {
			rows = append(rows, strings.Split(lines[i], "\t"))
			i++
		}
		switch section {
		case "三、":
			table3(&b, rows)
		default:
			generic(&b, rows)
		}
	}
	b.WriteString("</body></html>\n")
	os.Stdout.WriteString(b.String())
}

func esc(s string) string { return html.EscapeString(strings.TrimSpace(s)) }

func isNum(s string) bool { return number.MatchString(strings.TrimSpace(s)) }

// generic writes tables 二 and 四: in a row without numbers an empty cell
// continues the cell to its left (a column span), a leading one the cell
// above (a row span); in a row of numbers trailing empty cells widen the
// last number.
func generic(b *strings.Builder, rows [][]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	type cellT struct {
		text           string
		row, col, span int
		rowspan        int
	}
	grid := make([][]*cellT, len(rows))
	var out [][]*cellT
	for ri, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		grid[ri] = make([]*cellT, width)
		hasNum := false
		for _, c := range r {
			hasNum = hasNum || isNum(c)
		}
		var line []*cellT
		var last *cellT
		for ci, c := range r {
			if strings.TrimSpace(c) != "" {
				last = &cellT{text: c, row: ri, col: ci, span: 1, rowspan: 1}
				line = append(line, last)
				grid[ri][ci] = last
				continue
			}
			switch {
			case last == nil && ri > 0 && grid[ri-1][ci] != nil && !hasNum:
				above := grid[ri-1][ci]
				if above.col == ci {
					above.rowspan++
				}
				grid[ri][ci] = above
			case last != nil && (!hasNum || allEmpty(r[ci:])):
				last.span++
				grid[ri][ci] = last
			default:
				e := &cellT{row: ri, col: ci, span: 1, rowspan: 1}
				line = append(line, e)
				grid[ri][ci] = e
				last = nil
			}
		}
		out = append(out, line)
	}
	b.WriteString(tableOpen)
	for _, line := range out {
		b.WriteString("<tr>")
		for _, c := range line {
			cls := "l"
			if isNum(c.text) {
				cls = "n"
			}
			fmt.Fprintf(b, `<td class="%s"%s%s>%s</td>`, cls, span("colspan", c.span), span("rowspan", c.rowspan), esc(c.text))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n")
}

func allEmpty(cs []string) bool {
	for _, c := range cs {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func span(attr string, n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(` %s="%d"`, attr, n)
}

// table3 writes table 三 with the format's header and its three label
// columns: a label continued from the row above (a leading empty cell) spans
// rows, a label followed by empty label cells spans columns.
func table3(b *strings.Builder, rows [][]string) {
	const labelCols = 3
	type lab struct {
		text         string
		col, colspan int
		rowspan      int
	}
	var body [][]*lab
	var values [][]string
	var above [labelCols]*lab
	for _, r := range rows {
		joined := strings.Join(r, "")
		if strings.Contains(joined, "申请人情况") || strings.Contains(joined, "商业企业") || strings.Contains(joined, "自然人") {
			continue // the header, written below (and a repeat of it after a page break)
		}
		e := -1
		for k := len(r) - 1; k >= 0; k-- {
			if isNum(r[k]) {
				e = k
				break
			}
		}
		var labels []string
		var vals []string
		if e >= 6 {
			labels, vals = r[:e-6], r[e-6:e+1]
		} else {
			for _, c := range r {
				if strings.TrimSpace(c) != "" {
					labels = append(labels, c)
				}
			}
			vals = make([]string, 7)
		}
		lead := 0
		for lead < len(labels) && strings.TrimSpace(labels[lead]) == "" {
			lead++
		}
		var line []*lab
		var last *lab
		col := lead
		for _, c := range labels[lead:] {
			if col >= labelCols {
				break
			}
			if strings.TrimSpace(c) == "" {
				if last != nil {
					last.colspan++
				}
				col++
				continue
			}
			last = &lab{text: c, col: col, colspan: 1, rowspan: 1}
			line = append(line, last)
			col++
		}
		if last != nil {
			last.colspan = labelCols - last.col
		}
		for k := 0; k < lead && k < labelCols; k++ {
			if above[k] != nil {
				above[k].rowspan++
			}
		}
		for _, l := range line {
			for k := l.col; k < l.col+l.colspan && k < labelCols; k++ {
				above[k] = l
			}
		}
		body = append(body, line)
		values = append(values, vals)
	}
	b.WriteString(tableOpen)
	if *thead {
		b.WriteString("<thead>\n")
	}
	b.WriteString(`<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
`)
	if *thead {
		b.WriteString("</thead><tbody>\n")
	}
	for i, line := range body {
		b.WriteString("<tr>")
		for _, l := range line {
			fmt.Fprintf(b, `<td class="l"%s%s>%s</td>`, span("colspan", l.colspan), span("rowspan", l.rowspan), esc(l.text))
		}
		for _, v := range values[i] {
			fmt.Fprintf(b, `<td class="n">%s</td>`, esc(v))
		}
		b.WriteString("</tr>\n")
	}
	if *thead {
		b.WriteString("</tbody>")
	}
	b.WriteString("</table>\n")
}

// tableOpen opens a table with its borders as attributes too: LibreOffice's
// HTML import reads those, not the style sheet.
const tableOpen = `<table border="1" cellspacing="0" cellpadding="3" width="100%">` + "\n"
