package export

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-pdf/fpdf"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// DefaultPDFFont is the face the PDF embeds unless told otherwise: AR PL
// SungtiL GB from Debian's fonts-arphic-gbsn00lp, a 宋体-class serif and a
// real TrueType file (fpdf reads .ttf only, not the .ttc collections most
// CJK fonts come in), with the Latin letters and digits too.
const DefaultPDFFont = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"

// PDFOptions choose how a PDF export is made.
type PDFOptions struct {
	// Font is the path of the TrueType (.ttf) face to embed; "" for
	// DefaultPDFFont.
	Font string
	// Date, when set, is the document's creation date; unset, the output
	// depends on the document alone.
	Date time.Time
}

// The page, in millimetres: A4 with the margins of GB/T 9704-2012, a text
// area of 156 mm × 225 mm holding 22 lines of 3号 type.
const (
	pdfPageW, pdfPageH = 210.0, 297.0
	pdfTop, pdfBottom  = 37.0, 35.0
	pdfLeft, pdfRight  = 28.0, 26.0
	pdfTextW           = pdfPageW - pdfLeft - pdfRight
	pdfTextBottom      = pdfPageH - pdfBottom
	pdfBodyLine        = 225.0 / 22

	ptTitle, ptBody, ptTable, ptPage = 22.0, 16.0, 10.5, 14.0

	pdfTitleLine = 12.5
	pdfTableLine = 4.8 // 10.5 pt type with its leading
	pdfCellPadX  = 1.0
	pdfCellPadY  = 1.2
)

// PDF writes the document as a PDF: A4 with the margins of GB/T 9704, the
// CJK face embedded (a subset), Chinese line breaking (linebreak.go), page
// numbers 「— 1 —」. Tables come from their grids and are paginated row by
// row: a row is never split; a row that asks to stay with the next one
// (KeepWithNext) does; the grid's header rows are printed again at the top
// of each page a table runs onto; a label spanning rows that run onto a new
// page is printed again beside them; a break that would leave a spanning
// label too little room on either side moves up.
func PDF(doc *annual.Document, opt PDFOptions) ([]byte, error) {
	if doc == nil || doc.Report == nil {
		return nil, errNoReport
	}
	w, err := newPDFWriter(opt)
	if err != nil {
		return nil, err
	}
	pdf := w.pdf
	pdf.SetTitle(doc.Report.Title, true)
	pdf.SetSubject("政府信息公开工作年度报告", true)
	pdf.SetAuthor(doc.Report.Unit, true)
	w.newPage()
	w.bold = true // the one face stands in for 小标宋 and 黑体, stroked heavier
	w.paragraph(doc.Report.Title, ptTitle, pdfTitleLine, "C", false)
	w.bold = false
	w.y += 3
	w.paragraph(doc.Preface.Text(), ptBody, pdfBodyLine, "L", true)
	for _, s := range doc.Sections {
		// A heading stays with the start of what follows it.
		next := pdfBodyLine * 2
		if len(s.Blocks) > 0 {
			next = w.blockStart(doc, s.Blocks[0])
		}
		w.keep(w.textHeight(s.Heading, ptBody, pdfBodyLine, true) + next)
		w.bold = true
		w.paragraph(s.Heading, ptBody, pdfBodyLine, "L", true)
		w.bold = false
		for i, b := range s.Blocks {
			switch b.Kind {
			case annual.BlockTable:
				w.y += 1.5
				w.table(doc.Grid(b.Table))
				w.y += 3
			default:
				if b.Kind == annual.BlockHeading {
					next := pdfBodyLine * 2
					if i+1 < len(s.Blocks) {
						next = w.blockStart(doc, s.Blocks[i+1])
					}
					w.keep(w.textHeight(b.Para.Text(), ptBody, pdfBodyLine, true) + next)
				}
				w.paragraph(b.Para.Text(), ptBody, pdfBodyLine, "L", true)
			}
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "年报导出为PDF失败")
	}
	return buf.Bytes(), nil
}

// newPDFWriter starts an A4 document with the face embedded and the page
// numbers in the footer.
func newPDFWriter(opt PDFOptions) (*pdfWriter, error) {
	path := opt.Font
	if path == "" {
		path = DefaultPDFFont
	}
	font, err := loadFont(path)
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	stamp := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if !opt.Date.IsZero() {
		stamp = opt.Date.UTC()
	}
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(pdfLeft, pdfTop, pdfRight)
	pdf.SetAutoPageBreak(false, pdfBottom)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes("song", "", font)
	if err := pdf.Error(); err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "字体 %s 无法用于生成年报PDF：需要 TrueType（.ttf）字体，不能是 .ttc 字体集或其他格式", path)
	}
	pdf.SetCreator("gongkai", true)
	pdf.SetProducer("gongkai", true)
	pdf.SetLang("zh-CN")
	pdf.SetFooterFunc(func() {
		pdf.SetTextRenderingMode(0)
		pdf.SetFont("song", "", ptPage)
		pdf.SetXY(pdfLeft, pdfTextBottom+7)
		pdf.CellFormat(pdfTextW, 6, "— "+strconv.Itoa(pdf.PageNo())+" —", "", 0, "C", false, 0, "")
	})

	return &pdfWriter{pdf: pdf, widths: map[float64]map[rune]float64{}}, nil
}

// fonts caches the faces read, by path, size and modification time: the
// default face is 5 MB, read once rather than at every export.
var fonts struct {
	sync.Mutex
	m map[string][]byte
}

func loadFont(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "找不到生成年报PDF所需的字体 %s：请安装 fonts-arphic-gbsn00lp（AR PL SungtiL GB 宋体），或指定一个 TrueType（.ttf）中文字体", path)
	}
	key := path + "\x00" + strconv.FormatInt(st.Size(), 10) + "\x00" + st.ModTime().String()
	fonts.Lock()
	defer fonts.Unlock()
	if b, ok := fonts.m[key]; ok {
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "无法读取生成年报PDF所需的字体 %s", path)
	}
	if bytes.HasPrefix(b, []byte("ttcf")) {
		return nil, errs.E(errs.Unavailable, "字体 %s 是 .ttc 字体集，生成年报PDF需要单个 TrueType（.ttf）字体", path)
	}
	if !isTrueType(b) {
		return nil, errs.E(errs.Unavailable, "字体 %s 不是 TrueType（.ttf）字体，无法用于生成年报PDF", path)
	}
	if fonts.m == nil {
		fonts.m = map[string][]byte{}
	}
	for k := range fonts.m {
		if strings.HasPrefix(k, path+"\x00") {
			delete(fonts.m, k)
		}
	}
	fonts.m[key] = b
	return b, nil
}

// isTrueType reports whether b is a TrueType font with the tables fpdf
// reads (glyph outlines, not the CFF of an .otf), so that a wrong file gets
// a clear error rather than fpdf's.
func isTrueType(b []byte) bool {
	if len(b) < 12 || !bytes.HasPrefix(b, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(b, []byte("true")) {
		return false
	}
	n := int(b[4])<<8 | int(b[5])
	need := map[string]bool{"cmap": true, "glyf": true, "head": true, "hmtx": true, "loca": true}
	for i := range n {
		at := 12 + 16*i
		if at+16 > len(b) {
			return false
		}
		delete(need, string(b[at:at+4]))
	}
	return len(need) == 0
}

type pdfWriter struct {
	pdf    *fpdf.Fpdf
	y      float64
	fresh  bool                         // nothing printed on this page yet
	bold   bool                         // paragraphs are stroked as well as filled
	widths map[float64]map[rune]float64 // character widths by type size
}

func (w *pdfWriter) newPage() {
	w.pdf.AddPage()
	w.y = pdfTop
	w.fresh = true
}

// keep starts a new page unless h millimetres fit on this one.
func (w *pdfWriter) keep(h float64) {
	if !w.fresh && w.y+h > pdfTextBottom+0.01 {
		w.newPage()
	}
}

// measurer returns the width of a string in the face at a size.
func (w *pdfWriter) measurer(size float64) func(string) float64 {
	m := w.widths[size]
	if m == nil {
		m = map[rune]float64{}
		w.widths[size] = m
	}
	return func(s string) float64 {
		total := 0.0
		for _, r := range s {
			cw, ok := m[r]
			if !ok {
				w.pdf.SetFont("song", "", size)
				cw = w.pdf.GetStringWidth(string(r))
				m[r] = cw
			}
			total += cw
		}
		return total
	}
}

// lines breaks a paragraph for the text area (indented by two characters).
func (w *pdfWriter) lines(text string, size, width float64, indent bool) []string {
	measure := w.measurer(size)
	first := width
	if indent {
		first -= 2 * size * 25.4 / 72
	}
	return breakLines(text, first, width, measure)
}

func (w *pdfWriter) textHeight(text string, size, lineH float64, indent bool) float64 {
	return float64(len(w.lines(text, size, pdfTextW, indent))) * lineH
}

// paragraph prints text line by line, breaking pages between lines.
func (w *pdfWriter) paragraph(text string, size, lineH float64, align string, indent bool) {
	if strings.TrimSpace(text) == "" {
		return
	}
	w.pdf.SetFont("song", "", size)
	if w.bold {
		w.pdf.SetTextRenderingMode(2)
		w.pdf.SetLineWidth(size / 60)
		defer w.pdf.SetTextRenderingMode(0)
	}
	for i, l := range w.lines(text, size, pdfTextW, indent) {
		if w.y+lineH > pdfTextBottom+0.01 {
			w.newPage()
			w.pdf.SetFont("song", "", size)
		}
		x := pdfLeft
		if indent && i == 0 {
			x += 2 * size * 25.4 / 72
		}
		w.pdf.SetXY(x, w.y)
		w.pdf.CellFormat(pdfLeft+pdfTextW-x, lineH, l, "", 0, align, false, 0, "")
		w.y += lineH
		w.fresh = false
	}
}

// blockStart is the height a block needs on the page its heading is on:
// two lines of a paragraph, or a table's header and first row.
func (w *pdfWriter) blockStart(doc *annual.Document, b annual.Block) float64 {
	if b.Kind != annual.BlockTable {
		return min(w.textHeight(b.Para.Text(), ptBody, pdfBodyLine, true), 2*pdfBodyLine)
	}
	t := w.layout(doc.Grid(b.Table))
	h := 1.5 + t.headH
	for r := t.g.HeadRows; r < len(t.heights); r++ {
		h += t.heights[r]
		if !t.g.Rows[r].KeepWithNext {
			break
		}
	}
	return h
}

// pdfTable is a grid laid out for the page: column widths, each cell's
// lines and each row's height.
type pdfTable struct {
	g       annual.Grid
	cols    []float64 // left edge of each column, and the right edge last
	lines   [][][]string
	need    [][]float64 // height each cell needs
	heights []float64
	headH   float64
}

func (w *pdfWriter) layout(g annual.Grid) *pdfTable {
	t := &pdfTable{g: g}
	sum := 0
	for _, c := range g.Widths {
		sum += max(c, 0)
	}
	x := pdfLeft
	t.cols = append(t.cols, x)
	for _, c := range g.Widths {
		if sum > 0 {
			x += pdfTextW * float64(max(c, 0)) / float64(sum)
		}
		t.cols = append(t.cols, x)
	}
	n := len(g.Rows)
	t.lines = make([][][]string, n)
	t.need = make([][]float64, n)
	t.heights = make([]float64, n)
	for r, row := range g.Rows {
		t.lines[r] = make([][]string, len(row.Cells))
		t.need[r] = make([]float64, len(row.Cells))
		t.heights[r] = pdfTableLine + 2*pdfCellPadY
		for k, c := range row.Cells {
			width := t.width(c) - 2*pdfCellPadX
			t.lines[r][k] = w.lines(c.Text, ptTable, width, false)
			t.need[r][k] = float64(len(t.lines[r][k]))*pdfTableLine + 2*pdfCellPadY
			if max(c.RowSpan, 1) == 1 {
				t.heights[r] = max(t.heights[r], t.need[r][k])
			}
		}
	}
	// A cell spanning rows that together are too low for it makes each of
	// them higher by an equal share.
	for r, row := range g.Rows {
		for k, c := range row.Cells {
			span := min(max(c.RowSpan, 1), n-r)
			if span == 1 {
				continue
			}
			if have := t.span(r, r+span); have < t.need[r][k] {
				extra := (t.need[r][k] - have) / float64(span)
				for i := r; i < r+span; i++ {
					t.heights[i] += extra
				}
			}
		}
	}
	for r := 0; r < g.HeadRows && r < n; r++ {
		t.headH += t.heights[r]
	}
	return t
}

func (t *pdfTable) width(c annual.GridCell) float64 {
	end := min(c.Col+max(c.ColSpan, 1), len(t.cols)-1)
	return t.cols[end] - t.cols[min(c.Col, end)]
}

// span is the height of rows [from, to).
func (t *pdfTable) span(from, to int) float64 {
	h := 0.0
	for i := from; i < to && i < len(t.heights); i++ {
		h += t.heights[i]
	}
	return h
}

// table prints a grid, page by page.
func (w *pdfWriter) table(g annual.Grid) {
	t := w.layout(g)
	n := len(g.Rows)
	head := min(g.HeadRows, n)
	if head == n {
		w.keep(t.headH)
		w.rows(t, 0, n)
		return
	}
	for s := head; s < n; {
		b, greedy := t.pageBreak(s, pdfTextBottom-w.y-t.headH)
		if b == s {
			if !w.fresh {
				w.newPage()
				continue
			}
			// Nothing fits the rules on a whole page: as many rows as fit,
			// at least one (a row higher than a page is cut off).
			b = max(greedy, s+1)
		}
		if head > 0 {
			w.rows(t, 0, head)
		}
		w.rows(t, s, b)
		if b >= n {
			break
		}
		w.newPage()
		s = b
	}
}

// pageBreak returns the row before which the page breaks, for a page that
// starts with row s and has room for avail millimetres of rows: as many
// rows as fit, then moved up past rows that keep with the next one, and
// past the start of a spanning label that would keep too little of itself
// on either side. It returns s when no break satisfies the rules, with the
// break that merely fits as greedy.
func (t *pdfTable) pageBreak(s int, avail float64) (b, greedy int) {
	n := len(t.heights)
	b = s
	for h := 0.0; b < n && h+t.heights[b] <= avail+0.01; b++ {
		h += t.heights[b]
	}
	if b >= n {
		return n, n
	}
	greedy = b
	keep := func() {
		for b > s && t.g.Rows[b-1].KeepWithNext {
			b--
		}
	}
	keep()
	for moved := b > s; moved; {
		moved = false
		for r := 0; r < b && !moved; r++ {
			for k, c := range t.g.Rows[r].Cells {
				end := min(r+max(c.RowSpan, 1), n)
				if end <= b || end <= s {
					continue
				}
				need := t.need[r][k]
				switch {
				case r > s && t.span(r, b) < need:
					b, moved = r, true // the label's first rows go over with it
				case t.span(b, end) < need && b-1 > max(r, s):
					b, moved = b-1, true // more of its rows go over with it
				}
				if moved {
					break
				}
			}
		}
		keep()
		if b == s {
			break
		}
	}
	return b, greedy
}

// rows prints rows [from, to) at the cursor. A cell that spans rows before
// from (a label whose rows ran onto this page) is printed again over its
// rows here; a cell spanning past to is cut at the page's last row.
func (w *pdfWriter) rows(t *pdfTable, from, to int) {
	pdf := w.pdf
	pdf.SetFont("song", "", ptTable)
	pdf.SetLineWidth(0.2)
	top := w.y
	rowTop := func(r int) float64 { return top + t.span(from, r) }
	for r := 0; r < to; r++ {
		for k, c := range t.g.Rows[r].Cells {
			end := min(r+max(c.RowSpan, 1), to)
			if end <= from || r < from && r+max(c.RowSpan, 1) <= from {
				continue
			}
			start := max(r, from)
			x := t.cols[min(c.Col, len(t.cols)-1)]
			y := rowTop(start)
			cw, ch := t.width(c), t.span(start, end)
			pdf.Rect(x, y, cw, ch, "D")
			lines := t.lines[r][k]
			textH := float64(len(lines)) * pdfTableLine
			ty := y + (ch-textH)/2
			clip := textH > ch-2*pdfCellPadY+0.01
			if clip {
				ty = y + pdfCellPadY
				pdf.ClipRect(x, y, cw, ch, false)
			}
			align := "C"
			if c.Kind == annual.CellLabel {
				align = "L"
			}
			for i, l := range lines {
				pdf.SetXY(x+pdfCellPadX, ty+float64(i)*pdfTableLine)
				pdf.CellFormat(cw-2*pdfCellPadX, pdfTableLine, l, "", 0, align, false, 0, "")
			}
			if clip {
				pdf.ClipEnd()
			}
		}
	}
	w.y = top + t.span(from, to)
	w.fresh = false
}
