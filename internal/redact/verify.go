package redact

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/annual/pdftext"
	"gongkai/internal/errs"
)

// Leak is withheld text found in a produced file.
type Leak struct {
	Part   string // where: "文件名", "PDF文字层", "PDF第3个数据流（解压后）", "word/document.xml" …
	Needle int    // index into the needles Verify was given
}

func (l Leak) String() string {
	return fmt.Sprintf("第%d处删除内容出现在%s", l.Needle+1, l.Part)
}

// Needles are the withheld texts worth looking for in a released copy: each
// without white space, at least two characters long, and not also part of
// what the copy keeps (a name withheld in one passage and kept in another
// cannot be told apart by a search).
func Needles(r *Result) []string {
	kept := squash(r.KeptText())
	seen := map[string]bool{}
	var out []string
	for _, w := range r.Withheld {
		n := squash(w)
		if utf8.RuneCountInString(n) < 2 || seen[n] || strings.Contains(kept, n) {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// squash removes white space, as text extraction may add or drop it.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Verify scans every part of a produced file, and its name, for the
// needles: in a PDF the raw bytes (every revision an incremental update left
// behind included), every stream inflated, every string object decoded
// (annotations, /ActualText, outlines, the info dictionary), XMP metadata,
// and the text layer as our reader extracts it; in a DOCX every part of the
// package by name and content, raw and as XML text and attributes (so
// w:del, comments, headers, footers, footnotes and docProps are covered); a
// text file as text. Each needle is sought as UTF-8, UTF-16 (both byte
// orders), GB18030 and their hexadecimal forms. An empty result means no
// withheld text was found.
func Verify(name string, data []byte, needles []string) []Leak {
	v := &verifier{needles: needles, found: map[Leak]bool{}}
	v.text("文件名", name)
	switch {
	case bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")):
		v.pdf(data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		v.docx(data)
	default:
		v.bytes("文本", data)
	}
	return v.leaks
}

// CheckReleased is Verify as an error: the store refuses to keep a copy in
// which withheld text is found.
func CheckReleased(name string, data []byte, needles []string) error {
	if leaks := Verify(name, data, needles); len(leaks) > 0 {
		return errs.E(errs.Internal, "生成的公开文本中仍能找到被删除的内容（%s），未予保存。", leaks[0])
	}
	return nil
}

type verifier struct {
	needles []string
	forms   *matcher // the needles' byte forms
	textm   *matcher // the needles as text
	found   map[Leak]bool
	leaks   []Leak
}

func (v *verifier) report(part string, i int) {
	l := Leak{Part: part, Needle: i}
	if !v.found[l] {
		v.found[l] = true
		v.leaks = append(v.leaks, l)
	}
}

// matcher finds which of many byte patterns occur in data in one pass:
// patterns are indexed by their first k bytes (k = 2, 3 or 4, the longest
// their lengths allow), and each position of data is looked up.
type matcher struct {
	byLen map[int]map[string][]pattern
}

type pattern struct {
	b      []byte
	needle int
}

func newMatcher(ps []pattern) *matcher {
	m := &matcher{byLen: map[int]map[string][]pattern{}}
	for _, p := range ps {
		k := min(len(p.b), 4)
		if k == 0 {
			continue
		}
		if m.byLen[k] == nil {
			m.byLen[k] = map[string][]pattern{}
		}
		key := string(p.b[:k])
		m.byLen[k][key] = append(m.byLen[k][key], p)
	}
	return m
}

// find calls hit for each needle with a pattern in data.
func (m *matcher) find(data []byte, hit func(needle int)) {
	for k, idx := range m.byLen {
		for i := 0; i+k <= len(data); i++ {
			for _, p := range idx[string(data[i:i+k])] {
				if bytes.HasPrefix(data[i:], p.b) {
					hit(p.needle)
				}
			}
		}
	}
}

func (v *verifier) byteMatcher() *matcher {
	if v.forms != nil {
		return v.forms
	}
	var ps []pattern
	for i, n := range v.needles {
		add := func(b []byte) {
			if len(b) > 0 {
				for _, f := range [][]byte{b, []byte(hex.EncodeToString(b)), []byte(strings.ToUpper(hex.EncodeToString(b)))} {
					ps = append(ps, pattern{f, i})
				}
			}
		}
		add([]byte(n))
		u := utf16.Encode([]rune(n))
		be, le := make([]byte, 2*len(u)), make([]byte, 2*len(u))
		for k, c := range u {
			be[2*k], be[2*k+1] = byte(c>>8), byte(c)
			le[2*k], le[2*k+1] = byte(c), byte(c>>8)
		}
		add(be)
		add(le)
		if gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(n)); err == nil && !bytes.Equal(gb, []byte(n)) {
			add(gb)
		}
	}
	v.forms = newMatcher(ps)
	return v.forms
}

// text looks for the needles in decoded text, white space ignored.
func (v *verifier) text(part, s string) {
	if v.textm == nil {
		var ps []pattern
		for i, n := range v.needles {
			ps = append(ps, pattern{[]byte(n), i})
		}
		v.textm = newMatcher(ps)
	}
	v.textm.find([]byte(squash(s)), func(i int) { v.report(part, i) })
}

// bytes looks for the needles' byte forms in raw data, and in the data read
// as text.
func (v *verifier) bytes(part string, data []byte) {
	v.byteMatcher().find(data, func(i int) { v.report(part, i) })
	if utf8.Valid(data) {
		v.text(part, string(data))
	}
}

func (v *verifier) pdf(data []byte) {
	v.bytes("PDF原始字节", data)
	v.pdfStrings("PDF字符串对象", data)
	// Every stream in the file, whether the current cross-reference names
	// it or not: an earlier revision's objects stay in the bytes.
	for k, at := 0, 0; ; k++ {
		i := bytes.Index(data[at:], []byte("stream"))
		if i < 0 {
			break
		}
		start := at + i + len("stream")
		at = start
		if i >= 3 && bytes.HasSuffix(data[:at-len("stream")], []byte("end")) {
			continue
		}
		if start < len(data) && data[start] == '\r' {
			start++
		}
		if start < len(data) && data[start] == '\n' {
			start++
		}
		end := bytes.Index(data[start:], []byte("endstream"))
		if end < 0 {
			break
		}
		body := data[start : start+end]
		at = start + end
		if zr, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
			inflated, _ := io.ReadAll(io.LimitReader(zr, MaxSourceBytes))
			part := fmt.Sprintf("PDF第%d个数据流（解压后）", k+1)
			v.bytes(part, inflated)
			v.pdfStrings(part, inflated)
		}
	}
	// The text layer: what a reader copies out of the page.
	doc, err := pdftext.Open(data, pdftext.DefaultLimits)
	if err != nil {
		return
	}
	pages, err := doc.Pages()
	if err != nil {
		return
	}
	for n, p := range pages {
		var b strings.Builder
		for _, g := range p.Glyphs {
			b.WriteString(g.Text)
		}
		v.text(fmt.Sprintf("PDF文字层第%d页", n+1), b.String())
		v.text(fmt.Sprintf("PDF文字层第%d页", n+1), pageText(p))
	}
}

// pdfStrings decodes the literal and hexadecimal strings of PDF syntax
// (§7.3.4) in data and looks for the needles in them, read as UTF-16 when
// they carry its byte order mark, else as UTF-8 or PDFDocEncoding.
func (v *verifier) pdfStrings(part string, data []byte) {
	var all strings.Builder
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '(':
			s, next := literal(data, i+1)
			all.WriteString(decodePDFString(s))
			i = next
		case '<':
			if i+1 < len(data) && data[i+1] == '<' {
				i++
				continue
			}
			end := bytes.IndexByte(data[i+1:], '>')
			if end < 0 {
				continue
			}
			h := bytes.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, data[i+1:i+1+end])
			if len(h)%2 == 1 {
				h = append(h, '0')
			}
			if b, err := hex.DecodeString(string(h)); err == nil {
				all.WriteString(decodePDFString(b))
			}
			i += end + 1
		}
		all.WriteByte('\n')
	}
	v.text(part, all.String())
}

func literal(data []byte, i int) ([]byte, int) {
	var out []byte
	depth := 1
	for ; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\\':
			i++
			if i >= len(data) {
				return out, i
			}
			switch e := data[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					n := 0
					for k := 0; k < 3 && i < len(data) && data[i] >= '0' && data[i] <= '7'; k++ {
						n = n*8 + int(data[i]-'0')
						i++
					}
					i--
					out = append(out, byte(n))
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return out, i
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, i
}

func decodePDFString(b []byte) string {
	if len(b) >= 2 && (b[0] == 0xFE && b[1] == 0xFF || b[0] == 0xFF && b[1] == 0xFE) {
		big := b[0] == 0xFE
		u := make([]uint16, 0, len(b)/2)
		for k := 2; k+1 < len(b); k += 2 {
			if big {
				u = append(u, uint16(b[k])<<8|uint16(b[k+1]))
			} else {
				u = append(u, uint16(b[k+1])<<8|uint16(b[k]))
			}
		}
		return string(utf16.Decode(u))
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
		return string(s)
	}
	return string(b)
}

func (v *verifier) docx(data []byte) {
	v.bytes("DOCX原始字节", data)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return
	}
	for _, f := range zr.File {
		v.text("DOCX部件名", f.Name)
		v.text("DOCX部件注释", f.Comment)
		rc, err := f.Open()
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(io.LimitReader(rc, MaxSourceBytes))
		rc.Close()
		v.bytes(f.Name, body)
		// As XML: the character data of every element joined (text split
		// over runs is found whole) and every attribute value.
		d := xml.NewDecoder(bytes.NewReader(body))
		d.Strict = false
		var text, attrs strings.Builder
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			switch t := tok.(type) {
			case xml.CharData:
				text.Write(t)
			case xml.StartElement:
				for _, a := range t.Attr {
					attrs.WriteString(a.Value)
					attrs.WriteByte('\n')
				}
			case xml.Comment:
				attrs.Write(t)
				attrs.WriteByte('\n')
			}
		}
		v.text(f.Name+"（文字）", text.String())
		v.text(f.Name+"（属性）", attrs.String())
	}
	v.text("DOCX注释", zr.Comment)
}
