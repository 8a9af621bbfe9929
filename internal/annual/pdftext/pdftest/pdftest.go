// Package pdftest writes small PDF files for tests of the PDF reader: objects
// as text, streams compressed or not, with a cross-reference table or a
// cross-reference stream (objects packed in an object stream), and the fonts
// Chinese reports use. It exists for tests; nothing in the product calls it.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Doc is a PDF under construction. Object 1 is the catalog, 2 the page tree.
type Doc struct {
	objs  []string // object n is objs[n-1]; "" for one not yet written
	pages []int
	// XRefStream writes a cross-reference stream and packs the objects that
	// are not streams into an object stream (PDF 1.5).
	XRefStream bool
	// Trailer is added to the trailer dictionary (e.g. "/Encrypt 9 0 R").
	Trailer string
}

// New returns a document with its catalog and page tree.
func New() *Doc {
	d := &Doc{}
	d.Add("<< /Type /Catalog /Pages 2 0 R >>")
	d.Add("") // page tree, written by Bytes
	return d
}

// Add adds an object and returns its number.
func (d *Doc) Add(obj string) int {
	d.objs = append(d.objs, obj)
	return len(d.objs)
}

// Set replaces object n.
func (d *Doc) Set(n int, obj string) { d.objs[n-1] = obj }

// Stream returns a stream object with data, Flate-compressed when flate is
// set; dict holds further entries.
func Stream(dict string, data []byte, flate bool) string {
	if flate {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		w.Write(data)
		w.Close()
		data = b.Bytes()
		dict += " /Filter /FlateDecode"
	}
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// AddPage adds a page of the given size with a content stream and
// resources; it returns the page's object number.
func (d *Doc) AddPage(w, h float64, content string, resources string, flate bool) int {
	c := d.Add(Stream("", []byte(content), flate))
	p := d.Add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R /Resources << %s >> >>", w, h, c, resources))
	d.pages = append(d.pages, p)
	return p
}

// AddPageObject adds a page written by the caller; parent is "2 0 R".
func (d *Doc) AddPageObject(obj string) int {
	p := d.Add(obj)
	d.pages = append(d.pages, p)
	return p
}

// ChineseFont adds a Type0 font with Identity-H encoding and a ToUnicode
// CMap for the runes of text (each rune's code is its index + 1, two bytes),
// and returns the font's object number and a function that encodes a string
// as the hex string to show.
func (d *Doc) ChineseFont(text string) (int, func(string) string) {
	codes := map[rune]int{}
	var order []rune
	for _, r := range text {
		if _, ok := codes[r]; !ok {
			codes[r] = len(order) + 1
			order = append(order, r)
		}
	}
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Test-UCS def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	for i := 0; i < len(order); i += 100 {
		end := min(i+100, len(order))
		fmt.Fprintf(&cm, "%d beginbfchar\n", end-i)
		for _, r := range order[i:end] {
			var u strings.Builder
			for _, x := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&u, "%04X", x)
			}
			fmt.Fprintf(&cm, "<%04X> <%s>\n", codes[r], u.String())
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end\n")
	tu := d.Add(Stream("", []byte(cm.String()), true))
	// Every glyph one em wide but for ASCII, half an em.
	var w strings.Builder
	for _, r := range order {
		adv := 1000
		if r < 0x80 {
			adv = 500
		}
		fmt.Fprintf(&w, "%d [%d] ", codes[r], adv)
	}
	desc := d.Add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [%s] >>", w.String()))
	f := d.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", desc, tu))
	enc := func(s string) string {
		var b strings.Builder
		b.WriteByte('<')
		for _, r := range s {
			fmt.Fprintf(&b, "%04X", codes[r])
		}
		b.WriteByte('>')
		return b.String()
	}
	return f, enc
}

// Bytes writes the document.
func (d *Doc) Bytes() []byte {
	var kids strings.Builder
	for _, p := range d.pages {
		fmt.Fprintf(&kids, "%d 0 R ", p)
	}
	d.objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(d.pages))
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	n := len(d.objs)
	offsets := make([]int, n+1)
	if !d.XRefStream {
		for i, o := range d.objs {
			offsets[i+1] = b.Len()
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
		}
		x := b.Len()
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", n+1)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%010d 00000 n \n", offsets[i])
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", n+1, d.Trailer, x)
		return b.Bytes()
	}
	// Objects that are not streams go into one object stream.
	var packed []int
	inStream := map[int]int{}
	for i, o := range d.objs {
		if !strings.Contains(o, "stream\n") {
			inStream[i+1] = len(packed)
			packed = append(packed, i+1)
		}
	}
	stmNum := n + 1
	xrefNum := n + 2
	for i, o := range d.objs {
		if _, ok := inStream[i+1]; ok {
			continue
		}
		offsets[i+1] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	var head, body strings.Builder
	for _, num := range packed {
		fmt.Fprintf(&head, "%d %d ", num, body.Len())
		body.WriteString(d.objs[num-1])
		body.WriteString("\n")
	}
	stmData := head.String() + body.String()
	stmOff := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", stmNum, Stream(fmt.Sprintf("/Type /ObjStm /N %d /First %d", len(packed), head.Len()), []byte(stmData), true))
	// The xref stream: W [1 4 2], rows PNG-Up predicted.
	var rows []byte
	row := func(t, a, c int) {
		rows = append(rows, byte(t), byte(a>>24), byte(a>>16), byte(a>>8), byte(a), byte(c>>8), byte(c))
	}
	row(0, 0, 65535)
	for i := 1; i <= n; i++ {
		if k, ok := inStream[i]; ok {
			row(2, stmNum, k)
		} else {
			row(1, offsets[i], 0)
		}
	}
	row(1, stmOff, 0)
	xrefOff := b.Len()
	row(1, xrefOff, 0)
	const cols = 7
	var pred []byte
	prev := make([]byte, cols)
	for r := 0; r+cols <= len(rows); r += cols {
		pred = append(pred, 2)
		for k := range cols {
			pred = append(pred, rows[r+k]-prev[k])
		}
		copy(prev, rows[r:r+cols])
	}
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", xrefNum, Stream(fmt.Sprintf("/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R %s /DecodeParms << /Predictor 12 /Columns %d >>", xrefNum+1, d.Trailer, cols), pred, true))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes()
}
