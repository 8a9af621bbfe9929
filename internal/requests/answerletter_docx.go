package requests

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"
	"time"
)

// DOCX writes the letter as a WordprocessingML document (hand-written
// OOXML: one document part, no styles part needed). The output is
// deterministic: the same letter gives the same bytes and content hash.
func (l Letter) DOCX() ([]byte, error) {
	var doc strings.Builder
	doc.WriteString(xml.Header)
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(text, align string, size int, bold, indent bool) {
		doc.WriteString(`<w:p><w:pPr>`)
		if align != "" {
			doc.WriteString(`<w:jc w:val="` + align + `"/>`)
		}
		if indent {
			doc.WriteString(`<w:ind w:firstLineChars="200" w:firstLine="640"/>`)
		}
		doc.WriteString(`<w:spacing w:line="560" w:lineRule="exact"/></w:pPr><w:r><w:rPr>`)
		doc.WriteString(`<w:rFonts w:ascii="FangSong" w:hAnsi="FangSong" w:eastAsia="仿宋"/>`)
		if bold {
			doc.WriteString(`<w:b/>`)
		}
		doc.WriteString(`<w:sz w:val="` + itoa(size) + `"/><w:szCs w:val="` + itoa(size) + `"/></w:rPr><w:t xml:space="preserve">`)
		xml.EscapeText(&escWriter{&doc}, []byte(text))
		doc.WriteString(`</w:t></w:r></w:p>`)
	}
	para(l.Title, "center", 44, true, false)
	para(l.Number, "right", 32, false, false)
	for i, p := range l.Paragraphs {
		// The salutation (first line of the first paragraph) is not indented.
		para(p, "both", 32, false, i > 0)
	}
	for _, s := range l.Signature {
		para(s, "right", 32, false, false)
	}
	doc.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	doc.WriteString(`</w:body></w:document>`)

	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", doc.String()},
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
