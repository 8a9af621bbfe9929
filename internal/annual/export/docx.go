package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// The Word document follows GB/T 9704-2012 (党政机关公文格式) where a report
// is laid out like a 公文: A4, the text area 156 mm × 225 mm (top margin
// 37 mm, bottom 35 mm, left 28 mm, right 26 mm), the title in 2号 小标宋,
// the body in 3号 仿宋 with a first-line indent of two characters, first-level
// headings in 3号 黑体, second-level in 3号 楷体, page numbers in 4号 宋体 as
// 「— 1 —」. Tables are set in 宋体 10.5 pt.
//
// The fonts are named as the Chinese editions of Word and WPS name them; the
// font table lists for each its fallback (w:altName), so that a machine
// without 方正小标宋简体 or 仿宋_GB2312 uses 小标宋 or 仿宋, then 宋体/SimSun or
// FangSong.

// Font names, each falling back to the next in docxFonts.
const (
	fontTitle   = "方正小标宋简体"
	fontBody    = "仿宋_GB2312"
	fontHeading = "黑体"
	fontPart    = "楷体_GB2312"
	fontTable   = "宋体"
)

// docxFonts is the font table: each font with its fallback.
var docxFonts = []struct{ name, alt, family, pitch string }{
	{fontTitle, "小标宋", "roman", "variable"},
	{"小标宋", "宋体", "roman", "variable"},
	{fontTable, "SimSun", "auto", "variable"},
	{"SimSun", "", "auto", "variable"},
	{fontBody, "仿宋", "modern", "fixed"},
	{"仿宋", "FangSong", "modern", "fixed"},
	{"FangSong", "", "modern", "fixed"},
	{fontHeading, "SimHei", "modern", "fixed"},
	{"SimHei", "", "modern", "fixed"},
	{fontPart, "楷体", "modern", "fixed"},
	{"楷体", "KaiTi", "modern", "fixed"},
	{"KaiTi", "", "modern", "fixed"},
}

// Sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 五号 10.5 pt.
const (
	sizeTitle = 44
	sizeBody  = 32
	sizePage  = 28
	sizeTable = 21
)

// The page in twentieths of a point (1 mm = 56.7 twips).
const (
	pageW, pageH   = 11906, 16838 // A4
	marginTop      = 2098         // 37 mm
	marginBottom   = 1984         // 35 mm
	marginLeft     = 1588         // 28 mm
	marginRight    = 1474         // 26 mm
	textWidth      = pageW - marginLeft - marginRight
	bodyLine       = 560 // exact line pitch of the body: 28 pt, 22 lines to the page
	cellMarginSide = 57  // 1 mm
)

// DOCXOptions choose what a Word export records besides the report.
type DOCXOptions struct {
	// Date, when set, is written as the document's creation and
	// modification time; unset, the output depends on the document alone.
	Date time.Time
}

// DOCX writes the document as a Word document (WordprocessingML written by
// hand: document, styles, font table, settings, footer and the core
// properties). Tables come from their grids: merged cells as w:gridSpan
// and w:vMerge, a w:tblGrid of every column (WPS lays merged tables out from
// it), header rows repeated on each page (w:tblHeader), no row split across
// pages (w:cantSplit), headings and their rows kept with what follows.
func DOCX(doc *annual.Document, opt DOCXOptions) ([]byte, error) {
	if doc == nil || doc.Report == nil {
		return nil, errNoReport
	}
	w := &docxWriter{}
	w.b.WriteString(xml.Header)
	w.b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	w.para(paraStyle{font: fontTitle, size: sizeTitle, align: "center", line: 700, after: 280}, annual.Plain(doc.Report.Title))
	w.para(paraStyle{font: fontBody, size: sizeBody, indent: true, align: "both", line: bodyLine}, doc.Preface)
	last := "p"
	for _, s := range doc.Sections {
		w.para(paraStyle{font: fontHeading, size: sizeBody, indent: true, line: bodyLine, keepNext: true, outline: 1}, annual.Plain(s.Heading))
		last = "p"
		for _, b := range s.Blocks {
			switch b.Kind {
			case annual.BlockTable:
				if g := doc.Grid(b.Table); len(g.Rows) > 0 && len(g.Widths) > 0 {
					w.table(g)
					last = "tbl"
				}
			case annual.BlockHeading:
				w.para(paraStyle{font: fontPart, size: sizeBody, indent: true, line: bodyLine, keepNext: true, outline: 2}, b.Para)
				last = "p"
			default:
				w.para(paraStyle{font: fontBody, size: sizeBody, indent: true, align: "both", line: bodyLine}, b.Para)
				last = "p"
			}
		}
	}
	if last == "tbl" {
		w.b.WriteString(`<w:p/>`) // a document ends with a paragraph
	}
	w.b.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>`)
	w.b.WriteString(`<w:pgSz w:w="` + itoa(pageW) + `" w:h="` + itoa(pageH) + `"/>`)
	w.b.WriteString(`<w:pgMar w:top="` + itoa(marginTop) + `" w:right="` + itoa(marginRight) + `" w:bottom="` + itoa(marginBottom) +
		`" w:left="` + itoa(marginLeft) + `" w:header="851" w:footer="1134" w:gutter="0"/>`)
	w.b.WriteString(`<w:cols w:space="425"/></w:sectPr></w:body></w:document>`)

	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", docxCore(doc.Report.Title, opt.Date)},
		{"docProps/app.xml", xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>gongkai</Application></Properties>`},
		{"word/document.xml", w.b.String()},
		{"word/_rels/document.xml.rels", docxDocumentRels},
		{"word/styles.xml", docxStyles},
		{"word/fontTable.xml", docxFontTable()},
		{"word/settings.xml", docxSettings},
		{"word/footer1.xml", docxFooter},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	stamp := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if !opt.Date.IsZero() {
		stamp = opt.Date.UTC()
	}
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, errs.Wrap(errs.Internal, err, "年报导出为Word文档失败")
		}
		if _, err := f.Write([]byte(p.body)); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "年报导出为Word文档失败")
		}
	}
	if err := zw.Close(); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "年报导出为Word文档失败")
	}
	return buf.Bytes(), nil
}

const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

type docxWriter struct{ b strings.Builder }

// paraStyle is the formatting of one paragraph.
type paraStyle struct {
	font     string
	size     int
	align    string // "", "left", "center", "right", "both"
	indent   bool   // first line indented by two characters
	line     int    // exact line pitch in twips; 0 for single spacing
	after    int    // space after, in twips
	keepNext bool
	outline  int // 1 for a section heading, 2 for a part's (the navigation pane); 0 for none
}

func (w *docxWriter) para(st paraStyle, p annual.Paragraph) {
	b := &w.b
	b.WriteString(`<w:p><w:pPr>`)
	if st.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if st.line > 0 {
		b.WriteString(`<w:spacing w:before="0" w:after="` + itoa(st.after) + `" w:line="` + itoa(st.line) + `" w:lineRule="exact"/>`)
	} else {
		b.WriteString(`<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`)
	}
	if st.indent {
		// Two characters of the paragraph's size (a character is size/2 pt = size*10 twips).
		b.WriteString(`<w:ind w:firstLineChars="200" w:firstLine="` + itoa(st.size*20) + `"/>`)
	}
	if st.align != "" {
		b.WriteString(`<w:jc w:val="` + st.align + `"/>`)
	}
	if st.outline > 0 {
		b.WriteString(`<w:outlineLvl w:val="` + itoa(st.outline-1) + `"/>`)
	}
	b.WriteString(`<w:rPr>`)
	writeRunProps(b, st.font, st.size)
	b.WriteString(`</w:rPr></w:pPr>`)
	for _, r := range p.Runs {
		if r.Text == "" {
			continue
		}
		font := st.font
		if r.Lead {
			font = fontPart
		}
		b.WriteString(`<w:r><w:rPr>`)
		writeRunProps(b, font, st.size)
		b.WriteString(`</w:rPr><w:t xml:space="preserve">`)
		escapeXML(b, r.Text)
		b.WriteString(`</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
}

func writeRunProps(b *strings.Builder, font string, size int) {
	b.WriteString(`<w:rFonts w:hint="eastAsia" w:ascii="` + font + `" w:hAnsi="` + font + `" w:eastAsia="` + font + `" w:cs="` + font + `"/>`)
	b.WriteString(`<w:sz w:val="` + itoa(size) + `"/><w:szCs w:val="` + itoa(size) + `"/>`)
}

// table writes a grid as a Word table. A cell covered by a span from above
// is written as a w:vMerge continuation of the same width; a column no cell
// covers gets an empty cell, so that every row fills the grid.
func (w *docxWriter) table(g annual.Grid) {
	b := &w.b
	cols := scaleWidths(g.Widths, textWidth)
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + itoa(textWidth) + `" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="` + itoa(cellMarginSide) + `" w:type="dxa"/><w:right w:w="` + itoa(cellMarginSide) + `" w:type="dxa"/></w:tblCellMar>`)
	b.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	b.WriteString(`<w:tblCaption w:val="`)
	escapeXML(b, g.Title)
	b.WriteString(`"/></w:tblPr><w:tblGrid>`)
	for _, c := range cols {
		b.WriteString(`<w:gridCol w:w="` + itoa(c) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	cover := g.Cover()
	for i, row := range g.Rows {
		head := i < g.HeadRows
		keep := head || row.KeepWithNext
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if head {
			b.WriteString(`<w:tblHeader/>`)
		}
		b.WriteString(`</w:trPr>`)
		for j := 0; j < len(cols); {
			at := cover[i][j]
			if at[0] < 0 {
				w.cell(cols[j], 1, "", false, annual.GridCell{}, keep)
				j++
				continue
			}
			c := g.Rows[at[0]].Cells[at[1]]
			span := min(max(c.ColSpan, 1), len(cols)-c.Col)
			width := 0
			for k := c.Col; k < c.Col+span; k++ {
				width += cols[k]
			}
			merge := ""
			switch {
			case at[0] < i:
				merge = "continue"
			case c.RowSpan > 1:
				merge = "restart"
			}
			w.cell(width, span, merge, at[0] < i, c, keep)
			j = c.Col + span
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

// cell writes one w:tc; a continuation of a vertical merge has no text.
func (w *docxWriter) cell(width, span int, merge string, continued bool, c annual.GridCell, keep bool) {
	b := &w.b
	b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + itoa(width) + `" w:type="dxa"/>`)
	if span > 1 {
		b.WriteString(`<w:gridSpan w:val="` + itoa(span) + `"/>`)
	}
	switch merge {
	case "restart":
		b.WriteString(`<w:vMerge w:val="restart"/>`)
	case "continue":
		b.WriteString(`<w:vMerge/>`)
	}
	b.WriteString(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>`)
	if keep {
		b.WriteString(`<w:keepNext/>`)
	}
	b.WriteString(`<w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="atLeast"/>`)
	align := "center"
	if c.Kind == annual.CellLabel {
		align = "left"
	}
	b.WriteString(`<w:jc w:val="` + align + `"/><w:rPr>`)
	writeRunProps(b, fontTable, sizeTable)
	b.WriteString(`</w:rPr></w:pPr>`)
	if !continued && c.Text != "" {
		b.WriteString(`<w:r><w:rPr>`)
		writeRunProps(b, fontTable, sizeTable)
		b.WriteString(`</w:rPr><w:t xml:space="preserve">`)
		escapeXML(b, c.Text)
		b.WriteString(`</w:t></w:r>`)
	}
	b.WriteString(`</w:p></w:tc>`)
}

// scaleWidths shares total among columns in proportion to their relative
// widths, rounding so that the parts add up to total exactly.
func scaleWidths(widths []int, total int) []int {
	sum := 0
	for _, w := range widths {
		sum += max(w, 0)
	}
	out := make([]int, len(widths))
	if sum == 0 {
		for i := range out {
			out[i] = total / max(len(widths), 1)
		}
		return out
	}
	cum, prev := 0, 0
	for i, w := range widths {
		cum += max(w, 0)
		at := (cum*total + sum/2) / sum
		out[i] = at - prev
		prev = at
	}
	return out
}

func escapeXML(b *strings.Builder, s string) {
	// Characters XML 1.0 does not allow are dropped rather than written.
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	_ = xml.EscapeText(stringWriter{b}, []byte(clean))
}

type stringWriter struct{ b *strings.Builder }

func (w stringWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

func itoa(n int) string { return strconv.Itoa(n) }

func docxCore(title string, date time.Time) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>`)
	escapeXML(&b, title)
	b.WriteString(`</dc:title><dc:subject>政府信息公开工作年度报告</dc:subject><dc:creator>gongkai</dc:creator><cp:lastModifiedBy>gongkai</cp:lastModifiedBy><dc:language>zh-CN</dc:language>`)
	if !date.IsZero() {
		d := date.UTC().Format("2006-01-02T15:04:05Z")
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + d + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + d + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

func docxFontTable() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:fonts xmlns:w="` + nsW + `">`)
	for _, f := range docxFonts {
		b.WriteString(`<w:font w:name="` + f.name + `">`)
		if f.alt != "" {
			b.WriteString(`<w:altName w:val="` + f.alt + `"/>`)
		}
		b.WriteString(`<w:charset w:val="86"/><w:family w:val="` + f.family + `"/><w:pitch w:val="` + f.pitch + `"/></w:font>`)
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}

const docxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const docxRootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxDocumentRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`</Relationships>`

// docxStyles sets the defaults (the body's font and size, Chinese as the
// East Asian language) and the Normal and table styles Word expects.
const docxStyles = xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + fontBody + `" w:hAnsi="` + fontBody + `" w:eastAsia="` + fontBody + `" w:cs="` + fontBody + `"/>` +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
	`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>` +
	`</w:styles>`

const docxSettings = xml.Header + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`</w:settings>`

// docxFooter is the page number, 「— 1 —」 in 4号 宋体 (GB/T 9704-2012 7.5).
var docxFooter = func() string {
	var rp strings.Builder
	writeRunProps(&rp, fontTable, sizePage)
	run := func(s string) string {
		return `<w:r><w:rPr>` + rp.String() + `</w:rPr><w:t xml:space="preserve">` + s + `</w:t></w:r>`
	}
	return xml.Header + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>` +
		run("— ") +
		`<w:r><w:rPr>` + rp.String() + `</w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
		`<w:r><w:rPr>` + rp.String() + `</w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:rPr>` + rp.String() + `</w:rPr><w:fldChar w:fldCharType="separate"/></w:r>` +
		run("1") +
		`<w:r><w:rPr>` + rp.String() + `</w:rPr><w:fldChar w:fldCharType="end"/></w:r>` +
		run(" —") + `</w:p></w:ftr>`
}()
