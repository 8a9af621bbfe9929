package annual

import (
	"errors"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/internal/annual/pdftext"
)

// Errors Read returns for PDF files it cannot read.
var (
	ErrPDFEncrypted = errors.New("PDF 文件已加密（设置了打开密码或权限密码），无法读取其中的文字，请提供未加密的版本")
	ErrPDFBroken    = errors.New("PDF 文件已损坏，无法解析其结构")
	ErrPDFTooLarge  = errors.New("PDF 文件的内容超出可读取的上限（页数、解压后的数据量或对象数过大），疑为异常文件，不予读取")
	ErrPDFTooSlow   = errors.New("PDF 文件过于复杂，读取超过时限，不予读取")
	ErrPDFScanned   = errors.New("这是扫描件 PDF：页面是图片，没有文字层，无法读取文字；请提供带文字的 PDF，或 DOCX、HTML 版本")
	ErrPDFNoText    = errors.New("PDF 文件中没有文字")
	ErrPDFFonts     = errors.New("PDF 文件的字体没有给出文字编码（缺少 ToUnicode 映射），读不出其中的文字")
)

// pdfLines reads a PDF's text layer and rebuilds the lines the parser reads:
// each line of text outside a table one line (cells split at wide gaps),
// each row of a ruled table one line of its cells.
//
// The text layer is package pdftext, a reader of the PDF object syntax of
// our own rather than a module: pdfcpu parses documents but gives no
// positioned text, and rsc.io/pdf is unmaintained and reads neither the CID
// fonts nor the ToUnicode maps that every Chinese PDF uses; our own is small,
// bounded in memory and time by named limits (pdftext.Limits), and does
// exactly the part we need.
//
// Tables are rebuilt from their ruling: the drawn lines give the grid, a
// cell is a rectangle of the grid whose inner borders are not drawn (a
// header cell merged across columns, a label merged down rows), and its
// text is every glyph inside, the lines of a wrapped cell joined. A row
// spanned from above gives no cell, as an HTML table does. A table broken
// over pages continues on the next page, with its header repeated or not: the
// parser skips a repeated header, and a row the break cut in two is joined
// (continueRow). A table ruled only between its columns is divided into
// rows where its numbers sit on separate baselines (splitOpenRows); a single
// box is no table. Page numbers in the margins are dropped, and so are
// running headers and footers after their first appearance. Outside tables,
// a table printed without rules has its numbers placed in columns by their
// right edges (alignNumbers).
func pdfLines(data []byte) ([]line, error) {
	doc, err := pdftext.Open(data, pdftext.DefaultLimits)
	if err != nil {
		return nil, pdfError(err)
	}
	pages, err := doc.Pages()
	if err != nil {
		return nil, pdfError(err)
	}
	var (
		blocks      []block
		paged       [][]block
		glyphs, bad int
		imagePages  int
	)
	for _, p := range pages {
		for _, g := range p.Glyphs {
			if strings.TrimSpace(g.Text) == "" {
				continue
			}
			glyphs++
			if strings.ContainsRune(g.Text, utf8.RuneError) {
				bad++
			}
		}
		if p.ImageArea > 0.5 {
			imagePages++
		}
		paged = append(paged, pageBlocks(p))
	}
	paged = dropRepeats(paged)
	for _, bs := range paged {
		if n := len(blocks); n > 0 && len(bs) > 0 && blocks[n-1].rows != nil && bs[0].rows != nil {
			bs[0].rows = continueRow(&blocks[n-1].rows[len(blocks[n-1].rows)-1], bs[0].rows)
		}
		blocks = append(blocks, bs...)
	}
	var lines []line
	for _, b := range blocks {
		lines = append(lines, b.lines...)
		for _, r := range b.rows {
			lines = append(lines, line{cells: r.cells})
		}
	}
	switch {
	case glyphs < 20 && imagePages > 0:
		return nil, ErrPDFScanned
	case glyphs == 0:
		return nil, ErrPDFNoText
	case bad*3 > glyphs:
		return nil, ErrPDFFonts
	}
	return lines, nil
}

func pdfError(err error) error {
	switch {
	case errors.Is(err, pdftext.ErrEncrypted):
		return ErrPDFEncrypted
	case errors.Is(err, pdftext.ErrTooLarge):
		return ErrPDFTooLarge
	case errors.Is(err, pdftext.ErrTooSlow):
		return ErrPDFTooSlow
	case errors.Is(err, pdftext.ErrNoPages):
		return ErrPDFNoText
	}
	return ErrPDFBroken
}

// Tolerances of the layout, in points.
const (
	ruleJoin  = 2.0  // rules this close are one line, or touch
	gridSnap  = 1.5  // grid lines this close are one
	minCell   = 2.0  // a grid band narrower than this is a double rule
	pageEdge  = 0.1  // the share of the page height that is its margin, for page numbers
	headEdge  = 0.07 // the same for running headers and footers (the body may come closer)
	cellGapEm = 1.6  // a gap this many ems wide splits a line of text into cells
)

// maxTables bounds the tables rebuilt on one page (a page of a report has a
// few; a file drawing thousands of boxes gets its first ones).
const maxTables = 64

// block is a piece of a page in reading order: a line of text or a table.
type block struct {
	top   float64
	lines []line
	rows  []tableRow // a table's rows, with where each cell lies
	// margin is the text of a line in the top or bottom margin, "" for
	// others: a running header or footer repeats it page after page.
	margin string
}

// tableRow is a row of a ruled table: its cells and their left and right
// edges.
type tableRow struct {
	cells  []string
	x0, x1 []float64
}

// pageBlocks rebuilds the lines of one page.
func pageBlocks(p *pdftext.Page) []block {
	tables := findTables(p.Rules)
	var free []pdftext.Glyph
	inTable := make([][]pdftext.Glyph, len(tables))
	for _, g := range p.Glyphs {
		cx, cy := g.X+g.W/2, g.Y+g.Size*0.3
		placed := false
		for i, t := range tables {
			if t.contains(cx, cy) {
				inTable[i] = append(inTable[i], g)
				placed = true
				break
			}
		}
		if !placed {
			free = append(free, g)
		}
	}
	var blocks []block
	for i, t := range tables {
		t.splitOpenRows(inTable[i])
		if rs := t.rows(inTable[i]); len(rs) > 0 {
			blocks = append(blocks, block{top: t.ys[0], rows: rs})
		}
	}
	free2 := textLines2(free)
	alignNumbers(free2)
	for _, tl := range free2 {
		if isPageNumber(tl, p.Height) {
			continue
		}
		b := block{top: tl.y + tl.size, lines: []line{{cells: tl.cells}}}
		if p.Height > 0 && (tl.y <= p.Height*headEdge || tl.y >= p.Height*(1-headEdge)) {
			b.margin = removeSpace(strings.Join(tl.cells, ""))
		}
		blocks = append(blocks, b)
	}
	sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].top > blocks[j].top })
	return blocks
}

// continueRow joins the first row of a table at the top of a page to the
// last row of the page before when it is that row continued: a row broken
// by the page break (its cells' text goes on, its numbers were printed
// above). Each cell's text joins the cell above it. It returns the rows
// that remain.
func continueRow(prev *tableRow, rows []tableRow) []tableRow {
	// The table's header may be repeated above the rest of the row.
	k := 0
	for k < len(rows) && isHeaderRow(rows[k].cells) {
		k++
	}
	if k == len(rows) {
		return rows
	}
	first := rows[k]
	var texts, prevNumbers int
	for _, c := range first.cells {
		switch k := classify(c).kind; {
		case k == cellInt || k == cellDecimal:
			return rows
		case k == cellText:
			if numbering.MatchString(c) || isTable3Header([]string{c}) || isTable4Header(line{cells: first.cells}) {
				return rows
			}
			texts++
		}
	}
	for j, c := range prev.cells {
		if k := classify(c).kind; k != cellInt && k != cellDecimal {
			continue
		}
		prevNumbers++
		// The row goes on under each number with an empty cell; a row of
		// another shape (a heading across the table) is no continuation.
		under := false
		for i := range first.cells {
			if mid := (first.x0[i] + first.x1[i]) / 2; prev.x0[j] <= mid && mid <= prev.x1[j] && first.cells[i] == "" {
				under = true
				break
			}
		}
		if !under {
			return rows
		}
	}
	if texts == 0 || prevNumbers == 0 {
		return rows
	}
	for i, c := range first.cells {
		if c == "" {
			continue
		}
		mid := (first.x0[i] + first.x1[i]) / 2
		for j := range prev.cells {
			if prev.x0[j] <= mid && mid <= prev.x1[j] {
				prev.cells[j] += c
				break
			}
		}
	}
	return append(rows[:k:k], rows[k+1:]...)
}

// isHeaderRow reports whether a row of a table is a row of its column
// headings (table 二's 「信息内容」 row, table 三's, table 四's).
func isHeaderRow(cells []string) bool {
	var texts []string
	for _, c := range cells {
		if k := classify(c).kind; k == cellInt || k == cellDecimal {
			return false
		}
		if c != "" {
			texts = append(texts, c)
		}
	}
	if len(texts) == 0 {
		return false
	}
	for _, t := range texts {
		if f := labelForm(t); f == "信息内容" || f == "结果维持" || f == "行政复议" || f == "行政诉讼" || strings.Contains(t, "复议后起诉") {
			return true
		}
	}
	return isTable3Header(texts)
}

// textLine is a line of glyphs outside tables.
type textLine struct {
	y, size float64
	cells   []string
	right   []float64 // the right edge of each cell
}

var pageNumberExpr = regexp.MustCompile(`^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|[-—–－]?\s*\d{1,4}\s*[-—–－]?)$`)

// isPageNumber reports whether a line in the top or bottom margin is a page
// number (「- 3 -」「第3页 共9页」「3/9」).
func isPageNumber(tl textLine, height float64) bool {
	inMargin := height <= 0 || tl.y <= height*pageEdge || tl.y >= height*(1-pageEdge)
	return inMargin && pageNumberExpr.MatchString(removeSpace(strings.Join(tl.cells, "")))
}

// dropRepeats removes the lines that repeat in the margins of later
// pages (a running header or footer: 「福州海关2024年政府信息公开工作年度报告」
// at the top of every page), which would otherwise fall between the rows
// of a table broken over pages. The first occurrence stays: on the first
// page it may be the title.
func dropRepeats(pages [][]block) [][]block {
	onPages := map[string]int{}
	for _, bs := range pages {
		seen := map[string]bool{}
		for _, b := range bs {
			if b.margin != "" && !seen[b.margin] {
				seen[b.margin] = true
				onPages[b.margin]++
			}
		}
	}
	out := make([][]block, len(pages))
	kept := map[string]bool{}
	for i, bs := range pages {
		for _, b := range bs {
			if b.margin != "" && onPages[b.margin] >= 2 {
				if kept[b.margin] {
					continue
				}
				kept[b.margin] = true
			}
			out[i] = append(out[i], b)
		}
	}
	return out
}

// textLines2 groups glyphs into lines by their baseline and splits each line
// into cells at wide gaps.
func textLines2(gs []pdftext.Glyph) []textLine {
	var out []textLine
	for _, run := range baselines(gs) {
		tl := textLine{y: run[0].Y, size: run[0].Size}
		var cur strings.Builder
		for i, g := range run {
			if i > 0 {
				prev := run[i-1]
				gap := g.X - (prev.X + prev.W)
				em := math.Max(math.Max(prev.Size, g.Size), 1)
				switch {
				case gap > cellGapEm*em:
					tl.cells = append(tl.cells, trimSpace(cur.String()))
					tl.right = append(tl.right, prev.X+prev.W)
					cur.Reset()
				case gap > 0.25*em && !strings.HasSuffix(cur.String(), " ") && g.Text != " ":
					cur.WriteByte(' ')
				}
			}
			cur.WriteString(g.Text)
		}
		tl.cells = append(tl.cells, trimSpace(cur.String()))
		last := run[len(run)-1]
		tl.right = append(tl.right, last.X+last.W)
		out = append(out, tl)
	}
	return out
}

// alignNumbers places the numbers of a table printed without rules in its
// columns: in a run of three or more lines that end in numbers, the numbers'
// right edges (numbers are right-aligned in narrow columns) cluster into
// columns, and a line missing a column gets an empty cell there — a blank
// cell, which gaps alone cannot show. A line whose numbers do not fall one
// to a column is left as it is.
func alignNumbers(lines []textLine) {
	isNum := func(c string) bool {
		k := classify(c).kind
		return k == cellInt || k == cellDecimal || k == cellBlank
	}
	trailing := func(tl textLine) int {
		n := 0
		for i := len(tl.cells) - 1; i >= 0 && isNum(tl.cells[i]); i-- {
			n++
		}
		return n
	}
	for start := 0; start < len(lines); {
		end := start
		for end < len(lines) && trailing(lines[end]) >= 2 {
			end++
		}
		if end-start >= 3 {
			alignRun(lines[start:end], trailing)
		}
		start = max(end, start+1)
	}
}

// alignTolerance is how far apart two right edges of one column may be.
const alignTolerance = 4.0

func alignRun(run []textLine, trailing func(textLine) int) {
	var edges []float64
	for _, tl := range run {
		n := trailing(tl)
		edges = append(edges, tl.right[len(tl.right)-n:]...)
	}
	sort.Float64s(edges)
	var cols []float64 // each column's right edge (the first seen)
	for _, e := range edges {
		if len(cols) == 0 || e-cols[len(cols)-1] > alignTolerance {
			cols = append(cols, e)
		}
	}
	if len(cols) > 16 {
		return
	}
	for i := range run {
		tl := &run[i]
		n := trailing(*tl)
		label := len(tl.cells) - n
		if n == len(cols) {
			continue
		}
		placed := make([]string, len(cols))
		used := make([]bool, len(cols))
		ok := true
		for k := label; k < len(tl.cells) && ok; k++ {
			c := sort.Search(len(cols), func(j int) bool { return cols[j] >= tl.right[k]-alignTolerance })
			if c == len(cols) || math.Abs(cols[c]-tl.right[k]) > alignTolerance || used[c] {
				ok = false
				break
			}
			used[c] = true
			placed[c] = tl.cells[k]
		}
		if !ok {
			continue
		}
		tl.cells = append(tl.cells[:label:label], placed...)
		tl.right = nil // no longer one edge a cell
	}
}

// baselines sorts glyphs into runs on one baseline, top to bottom, each run
// left to right. A glyph joins a line whose baseline is within a third of
// its size (a superscript or a mixed-size line stays one line).
func baselines(gs []pdftext.Glyph) [][]pdftext.Glyph {
	if len(gs) == 0 {
		return nil
	}
	sorted := append([]pdftext.Glyph(nil), gs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Y > sorted[j].Y })
	var runs [][]pdftext.Glyph
	var cur []pdftext.Glyph
	var y float64
	for _, g := range sorted {
		tol := math.Max(g.Size*0.35, 1)
		if cur != nil && math.Abs(y-g.Y) <= tol {
			cur = append(cur, g)
			continue
		}
		if cur != nil {
			runs = append(runs, cur)
		}
		cur, y = []pdftext.Glyph{g}, g.Y
	}
	runs = append(runs, cur)
	for _, r := range runs {
		sort.SliceStable(r, func(i, j int) bool { return r[i].X < r[j].X })
	}
	// Drop a glyph drawn twice at one place (fake bold).
	for k, r := range runs {
		out := r[:0]
		for i, g := range r {
			if i > 0 && g.Text == r[i-1].Text && math.Abs(g.X-r[i-1].X) < 0.5 {
				continue
			}
			out = append(out, g)
		}
		runs[k] = out
	}
	return runs
}

// table is a ruled table of a page: its grid lines (xs left to right, ys top
// to bottom) and which grid bands a cell spans.
type table struct {
	xs, ys []float64
	h, v   []pdftext.Rule
	group  []int // per grid cell (row*cols+col), the cell it belongs to
}

func (t *table) contains(x, y float64) bool {
	return x >= t.xs[0]-1 && x <= t.xs[len(t.xs)-1]+1 && y <= t.ys[0]+1 && y >= t.ys[len(t.ys)-1]-1
}

// findTables builds the tables of a page from its rules: rules that touch
// form one table; its grid lines are where its rules lie.
func findTables(rules []pdftext.Rule) []*table {
	var hs, vs []pdftext.Rule
	for _, r := range rules {
		if r.Horizontal() {
			hs = append(hs, r)
		} else {
			vs = append(vs, r)
		}
	}
	hs, vs = mergeRules(hs, true), mergeRules(vs, false)
	if len(hs) == 0 || len(vs) == 0 || len(hs)*len(vs) > 1<<20 {
		return nil
	}
	n := len(hs) + len(vs)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if v.X0 >= h.X0-ruleJoin && v.X0 <= h.X1+ruleJoin && h.Y0 >= v.Y0-ruleJoin && h.Y0 <= v.Y1+ruleJoin {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	comps := map[int]*table{}
	var order []int
	for i := range n {
		root := find(i)
		t := comps[root]
		if t == nil {
			t = &table{}
			comps[root] = t
			order = append(order, root)
		}
		if i < len(hs) {
			t.h = append(t.h, hs[i])
		} else {
			t.v = append(t.v, vs[i-len(hs)])
		}
	}
	var out []*table
	for _, root := range order {
		t := comps[root]
		if len(t.h)+len(t.v) < 4 || len(t.h) == 0 || len(t.v) == 0 {
			continue
		}
		// The grid spans its rules: where a table is cut by a page break,
		// its vertical rules run past the last horizontal one.
		for _, r := range t.v {
			t.xs = append(t.xs, r.X0)
			t.ys = append(t.ys, r.Y0, r.Y1)
		}
		for _, r := range t.h {
			t.ys = append(t.ys, r.Y0)
			t.xs = append(t.xs, r.X0, r.X1)
		}
		t.xs = snap(t.xs, false)
		t.ys = snap(t.ys, true)
		// One box is no table: a frame around the page or a note.
		if len(t.xs) < 2 || len(t.ys) < 2 || len(t.xs) == 2 && len(t.ys) == 2 || len(t.xs)*len(t.ys) > 1<<16 {
			continue
		}
		sort.Slice(t.v, func(i, j int) bool { return t.v[i].X0 < t.v[j].X0 })
		sort.Slice(t.h, func(i, j int) bool { return t.h[i].Y0 < t.h[j].Y0 })
		t.build()
		out = append(out, t)
		if len(out) == maxTables {
			break
		}
	}
	return out
}

// mergeRules joins collinear rules that overlap or touch: rules within
// gridSnap of one another's position are one line, and along it the pieces
// that touch are one rule.
func mergeRules(rs []pdftext.Rule, horizontal bool) []pdftext.Rule {
	pos := func(r pdftext.Rule) float64 {
		if horizontal {
			return r.Y0
		}
		return r.X0
	}
	span := func(r pdftext.Rule) (float64, float64) {
		if horizontal {
			return r.X0, r.X1
		}
		return r.Y0, r.Y1
	}
	sort.Slice(rs, func(i, j int) bool { return pos(rs[i]) < pos(rs[j]) })
	// Cluster the positions, then order each cluster along the line.
	cluster := make([]int, len(rs))
	at := 0.0
	for i, r := range rs {
		if i == 0 || pos(r)-at > gridSnap {
			at = pos(r)
			if i > 0 {
				cluster[i] = cluster[i-1] + 1
			}
		} else {
			cluster[i] = cluster[i-1]
		}
	}
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if cluster[idx[a]] != cluster[idx[b]] {
			return cluster[idx[a]] < cluster[idx[b]]
		}
		la, _ := span(rs[idx[a]])
		lb, _ := span(rs[idx[b]])
		return la < lb
	})
	var out []pdftext.Rule
	last := -1
	for _, i := range idx {
		r := rs[i]
		lo, hi := span(r)
		if n := len(out); n > 0 && cluster[i] == last {
			o := &out[n-1]
			_, ohi := span(*o)
			if lo <= ohi+ruleJoin {
				if horizontal {
					o.X1 = math.Max(o.X1, hi)
				} else {
					o.Y1 = math.Max(o.Y1, hi)
				}
				continue
			}
		}
		out = append(out, r)
		last = cluster[i]
	}
	return out
}

// snap sorts grid positions and makes positions closer than minCell one
// (a double rule, or a border drawn as two thin rectangles).
func snap(ps []float64, descending bool) []float64 {
	sort.Float64s(ps)
	var out []float64
	for _, p := range ps {
		if len(out) > 0 && p-out[len(out)-1] < minCell {
			continue
		}
		out = append(out, p)
	}
	if descending {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// hasV reports whether a vertical rule at x covers the band between y0 and
// y1 (y0 > y1); hasH likewise for a horizontal rule at y between x0 and x1.
// (t.v is sorted by X0 and t.h by Y0, so each looks only at the rules near
// the grid line.)
func (t *table) hasV(x, y0, y1 float64) bool {
	mid := (y0 + y1) / 2
	tol := gridSnap + 0.5
	for i := sort.Search(len(t.v), func(i int) bool { return t.v[i].X0 >= x-tol }); i < len(t.v) && t.v[i].X0 <= x+tol; i++ {
		if r := t.v[i]; r.Y0 <= mid && r.Y1 >= mid {
			return true
		}
	}
	return false
}

func (t *table) hasH(y, x0, x1 float64) bool {
	mid := (x0 + x1) / 2
	tol := gridSnap + 0.5
	for i := sort.Search(len(t.h), func(i int) bool { return t.h[i].Y0 >= y-tol }); i < len(t.h) && t.h[i].Y0 <= y+tol; i++ {
		if r := t.h[i]; r.X0 <= mid && r.X1 >= mid {
			return true
		}
	}
	return false
}

// build joins the grid cells between which no border is drawn.
func (t *table) build() {
	rows, cols := len(t.ys)-1, len(t.xs)-1
	t.group = make([]int, rows*cols)
	for i := range t.group {
		t.group[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for t.group[i] != i {
			t.group[i] = t.group[t.group[i]]
			i = t.group[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			t.group[rb] = ra
		} else {
			t.group[ra] = rb
		}
	}
	for r := range rows {
		for c := range cols {
			if c+1 < cols && !t.hasV(t.xs[c+1], t.ys[r], t.ys[r+1]) {
				union(r*cols+c, r*cols+c+1)
			}
			if r+1 < rows && !t.hasH(t.ys[r+1], t.xs[c], t.xs[c+1]) {
				union(r*cols+c, (r+1)*cols+c)
			}
		}
	}
	for i := range t.group {
		t.group[i] = find(i)
	}
}

// splitOpenRows divides the rows of a table drawn without rules between its
// rows (only its columns ruled): a band of the grid that holds numbers on
// two or more baselines, each in three or more columns, is that many rows, cut
// midway between the baselines.
func (t *table) splitOpenRows(gs []pdftext.Glyph) {
	type baseline struct {
		y, size float64
		cols    map[int]bool
	}
	cols, rows := len(t.xs)-1, len(t.ys)-1
	// The digits of each band of the grid.
	digits := make([][]pdftext.Glyph, rows)
	for _, g := range gs {
		if strings.Trim(g.Text, "0123456789") != "" {
			continue
		}
		cy := g.Y + g.Size*0.3
		if r := sort.Search(rows, func(i int) bool { return t.ys[i+1] <= cy }); r < rows {
			digits[r] = append(digits[r], g)
		}
	}
	var cuts []float64
	for r := range rows {
		var bls []*baseline
		for _, g := range digits[r] {
			cx := g.X + g.W/2
			c := sort.Search(cols, func(i int) bool { return t.xs[i+1] >= cx })
			var found *baseline
			for _, b := range bls {
				if math.Abs(b.y-g.Y) <= math.Max(1, g.Size*0.35) {
					found = b
					break
				}
			}
			if found == nil {
				if len(bls) >= 256 {
					continue
				}
				found = &baseline{y: g.Y, size: g.Size, cols: map[int]bool{}}
				bls = append(bls, found)
			}
			found.cols[c] = true
		}
		// A number wrapped in a narrow column puts its last digits on a
		// baseline of their own, in a column or two: a row has numbers in
		// three columns at least, and in half as many as the fullest.
		most := 0
		for _, b := range bls {
			most = max(most, len(b.cols))
		}
		var rows []*baseline
		for _, b := range bls {
			if len(b.cols) >= 3 && 2*len(b.cols) >= most {
				rows = append(rows, b)
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].y > rows[j].y })
		for i := 0; i+1 < len(rows); i++ {
			cuts = append(cuts, (rows[i].y+rows[i+1].y)/2+0.3*rows[i+1].size)
		}
	}
	if len(cuts) == 0 || len(t.ys)+len(cuts) > 1<<12 {
		return
	}
	for _, y := range cuts {
		t.h = append(t.h, pdftext.Rule{X0: t.xs[0], Y0: y, X1: t.xs[len(t.xs)-1], Y1: y})
		t.ys = append(t.ys, y)
	}
	t.ys = snap(t.ys, true)
	sort.Slice(t.h, func(i, j int) bool { return t.h[i].Y0 < t.h[j].Y0 })
	t.build()
}

// rows returns the rows of the table: each row the cells that start in it,
// left to right, with their text.
func (t *table) rows(gs []pdftext.Glyph) []tableRow {
	rows, cols := len(t.ys)-1, len(t.xs)-1
	byCell := map[int][]pdftext.Glyph{}
	for _, g := range gs {
		cx, cy := g.X+g.W/2, g.Y+g.Size*0.3
		c := sort.Search(cols, func(i int) bool { return t.xs[i+1] >= cx })
		r := sort.Search(rows, func(i int) bool { return t.ys[i+1] <= cy })
		if c >= cols || r >= rows {
			continue
		}
		id := t.group[r*cols+c]
		byCell[id] = append(byCell[id], g)
	}
	var out []tableRow
	for r := range rows {
		var row tableRow
		for c := range cols {
			id := t.group[r*cols+c]
			// A cell is listed in the row and column where it starts.
			if id != r*cols+c {
				continue
			}
			end := c
			for end+1 < cols && t.group[r*cols+end+1] == id {
				end++
			}
			row.cells = append(row.cells, gridCellText(byCell[id]))
			row.x0 = append(row.x0, t.xs[c])
			row.x1 = append(row.x1, t.xs[end+1])
		}
		if len(row.cells) > 0 {
			out = append(out, row)
		}
	}
	return out
}

// gridCellText joins the lines of a wrapped cell: without a space, as Chinese
// text wraps, except between two Latin letters.
func gridCellText(gs []pdftext.Glyph) string {
	var b strings.Builder
	for _, tl := range textLines2(gs) {
		t := strings.Join(tl.cells, " ")
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(t)
			if last < utf8.RuneSelf && first < utf8.RuneSelf && unicode.IsLetter(last) && unicode.IsLetter(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
	}
	// A number printed with its digits spaced out (letter-spacing, or one
	// glyph placed at a time) is one number in its cell.
	if t := b.String(); strings.ContainsRune(t, ' ') && strings.Trim(t, "0123456789., ") == "" {
		return strings.ReplaceAll(t, " ", "")
	}
	return b.String()
}
