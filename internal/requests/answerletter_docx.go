package requests

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"
	"time"
)

// DOCX writes the letter as a WordprocessingML document, hand-written
// OOXML laid out after GB/T 9704-2012: A4 with the 版心 156 × 225 mm (top
// margin 37 mm, left 28 mm), the body in 3号仿宋 (16 pt) on a fixed 28.9 pt
// line pitch (22 lines a page), the title in 2号小标宋 (22 pt), the 文书编号
// under it, the agency and the date at the end right-aligned four
// characters in with room for the seal above, the contact note after, and
// the page number in the footer (— 1 —). The fonts are named as the
// standard names them — 仿宋_GB2312 and 方正小标宋简体 — with the free faces a
// machine without them has (仿宋, 宋体, AR PL SungtiL GB) as alternatives in
// the font table. The last paragraph of the body keeps with the signature,
// so the agency and the date never stand alone on a page. The output is
// deterministic: the same letter gives the same bytes and content hash.
func (l Letter) DOCX() ([]byte, error) {
	const (
		body  = "仿宋_GB2312"
		title = "方正小标宋简体"
		pitch = "578" // twips: 225 mm ÷ 22 lines
	)
	var doc strings.Builder
	doc.WriteString(xml.Header)
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	type style struct {
		align              string
		size               int
		font               string
		indent, rightChars int
		keepNext           bool
	}
	para := func(text string, st style) {
		doc.WriteString(`<w:p><w:pPr>`)
		if st.keepNext {
			doc.WriteString(`<w:keepNext/><w:keepLines/>`)
		}
		doc.WriteString(`<w:spacing w:before="0" w:after="0" w:line="` + pitch + `" w:lineRule="exact"/>`)
		if st.indent > 0 || st.rightChars > 0 {
			doc.WriteString(`<w:ind`)
			if st.indent > 0 {
				doc.WriteString(` w:firstLineChars="` + itoa(st.indent*100) + `" w:firstLine="` + itoa(st.indent*st.size*10) + `"`)
			}
			if st.rightChars > 0 {
				doc.WriteString(` w:rightChars="` + itoa(st.rightChars*100) + `" w:right="` + itoa(st.rightChars*st.size*10) + `"`)
			}
			doc.WriteString(`/>`)
		}
		if st.align != "" {
			doc.WriteString(`<w:jc w:val="` + st.align + `"/>`)
		}
		doc.WriteString(`</w:pPr>`)
		if text != "" {
			doc.WriteString(`<w:r><w:rPr><w:rFonts w:ascii="` + st.font + `" w:hAnsi="` + st.font + `" w:eastAsia="` + st.font + `" w:cs="` + st.font + `"/>`)
			doc.WriteString(`<w:sz w:val="` + itoa(st.size) + `"/><w:szCs w:val="` + itoa(st.size) + `"/></w:rPr><w:t xml:space="preserve">`)
			xml.EscapeText(&escWriter{&doc}, []byte(text))
			doc.WriteString(`</w:t></w:r>`)
		}
		doc.WriteString(`</w:p>`)
	}
	text := style{size: 32, font: body, align: "both"}
	para(l.FullTitle(), style{size: 44, font: title, align: "center"})
	if l.Number != "" {
		para(l.Number, style{size: 32, font: body, align: "center"})
	}
	para("", text)
	if l.Addressee != "" {
		para(l.Addressee+"：", text)
	}
	for i, p := range l.Paragraphs {
		st := text
		st.indent = 2
		st.keepNext = i == len(l.Paragraphs)-1
		para(p, st)
	}
	// 正文下空一行右空四字加盖印章: room for the seal, then the agency and
	// the date, kept with the last paragraph.
	seal := style{size: 32, font: body, keepNext: true}
	para("", seal)
	para("", seal)
	para(l.Agency, style{size: 32, font: body, align: "right", rightChars: 4, keepNext: true})
	para(ChineseDate(l.Date), style{size: 32, font: body, align: "right", rightChars: 4, keepNext: l.Contact != ""})
	if l.Contact != "" {
		para(l.Contact, style{size: 32, font: body, indent: 2})
	}
	doc.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/>`)
	doc.WriteString(`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>`)
	doc.WriteString(`<w:docGrid w:type="lines" w:linePitch="` + pitch + `"/></w:sectPr>`)
	doc.WriteString(`</w:body></w:document>`)

	footer := xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
		`<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
		`<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`
	font := func(name string, alts ...string) string {
		s := `<w:font w:name="` + name + `">`
		if len(alts) > 0 {
			s += `<w:altName w:val="` + strings.Join(alts, ",") + `"/>`
		}
		return s + `<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`
	}
	fonts := xml.Header + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		font(body, "仿宋", "FangSong", "AR PL SungtiL GB") + font("仿宋", "FangSong", "AR PL SungtiL GB") +
		font(title, "方正小标宋", "宋体", "SimSun", "AR PL SungtiL GB") + font("宋体", "SimSun", "AR PL SungtiL GB") + `</w:fonts>`
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
			`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/></Types>`},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
			`<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>`},
		{"word/document.xml", doc.String()},
		{"word/footer1.xml", footer},
		{"word/fontTable.xml", fonts},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type escWriter struct{ b *strings.Builder }

func (w *escWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
