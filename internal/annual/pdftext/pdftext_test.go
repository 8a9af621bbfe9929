package pdftext

import (
	"bytes"
	"compress/lzw"
	"compress/zlib"
	"encoding/ascii85"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"gongkai/internal/annual/pdftext/pdftest"
)

func pagesOf(t *testing.T, data []byte, lim Limits) []*Page {
	t.Helper()
	d, err := Open(data, lim)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ps, err := d.Pages()
	if err != nil {
		t.Fatalf("Pages: %v", err)
	}
	return ps
}

func text(p *Page) string {
	var b strings.Builder
	for _, g := range p.Glyphs {
		b.WriteString(g.Text)
	}
	return b.String()
}

// A page with a Chinese Type0 font (Identity-H, ToUnicode), a simple font
// with Differences, and a table drawn as stroked rectangles and thin filled
// ones; under both kinds of cross-reference.
func testDoc(xrefStream bool) []byte {
	d := pdftest.New()
	d.XRefStream = xrefStream
	cn, enc := d.ChineseFont("本年新收政府信息公开申请数量")
	latin := d.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /Widths [278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556] /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [39 /quoteright 48 /uni4E00] >> >>")
	content := fmt.Sprintf(`BT /F1 12 Tf 1 0 0 1 72 700 Tm %s Tj ET
BT /F2 10 Tf 72 680 Td (12 ') Tj [(3) -500 (0)] TJ ET
q 0.5 w 72 600 200 40 re S Q
72 560 200 0.5 re f
72 540 m 272 540 l 272 540.6 l 72 540.6 l h f
`, enc("本年新收政府信息公开申请数量"))
	d.AddPage(595, 842, content, fmt.Sprintf("/Font << /F1 %d 0 R /F2 %d 0 R >>", cn, latin), true)
	return d.Bytes()
}

func TestTextLayer(t *testing.T) {
	for _, xs := range []bool{false, true} {
		t.Run(fmt.Sprintf("xrefstream=%v", xs), func(t *testing.T) {
			ps := pagesOf(t, testDoc(xs), DefaultLimits)
			if len(ps) != 1 {
				t.Fatalf("%d pages", len(ps))
			}
			p := ps[0]
			if got := text(p); got != "本年新收政府信息公开申请数量12 ’3一" {
				t.Errorf("text %q", got)
			}
			g := p.Glyphs[0]
			if g.X != 72 || g.Y != 700 || g.Size != 12 || g.W != 12 {
				t.Errorf("first glyph %+v", g)
			}
			if g := p.Glyphs[1]; g.X != 84 {
				t.Errorf("second glyph at %v, want 84 (one em on)", g.X)
			}
			// 「3」 then a TJ offset of 500/1000 em: 「一」 (code 48, from
			// Differences) starts 5.56 + 5 points after 「3」.
			n := len(p.Glyphs)
			three, one := p.Glyphs[n-2], p.Glyphs[n-1]
			if d := one.X - three.X; d < 10.5 || d > 10.6 {
				t.Errorf("TJ offset: %v apart", d)
			}
			var h, v int
			for _, r := range p.Rules {
				if r.Horizontal() {
					h++
				} else {
					v++
				}
			}
			if h != 4 || v != 2 {
				t.Errorf("rules %d horizontal %d vertical: %+v", h, v, p.Rules)
			}
		})
	}
}

// Predefined CMaps of the Chinese character collections: codes in UCS-2 and
// in GBK.
func TestPredefinedCMaps(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("政府信息A")
	var hex strings.Builder
	for i := 0; i < len(gbk); i++ {
		fmt.Fprintf(&hex, "%02X", gbk[i])
	}
	d := pdftest.New()
	ucs := d.Add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>")
	gb := d.Add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /GBK-EUC-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>")
	d.AddPage(595, 842, "BT /U 10 Tf 50 50 Td <516C5F00> Tj /G 10 Tf <"+hex.String()+"> Tj ET", fmt.Sprintf("/Font << /U %d 0 R /G %d 0 R >>", ucs, gb), false)
	if got := text(pagesOf(t, d.Bytes(), DefaultLimits)[0]); got != "公开政府信息A" {
		t.Errorf("text %q", got)
	}
}

func TestFilters(t *testing.T) {
	plain := []byte(strings.Repeat("BT /F1 12 Tf (hello) Tj ET\n", 20))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(plain)
	zw.Close()
	var l bytes.Buffer
	lw := lzw.NewWriter(&l, lzw.MSB, 8)
	lw.Write(plain)
	lw.Close()
	var a85 bytes.Buffer
	aw := ascii85.NewEncoder(&a85)
	aw.Write(plain)
	aw.Close()
	hex := fmt.Sprintf("%X>", plain)
	rl := []byte{byte(len("hello") - 1)}
	rl = append(rl, "hello"...)
	rl = append(rl, 257-4, 'x', 128)
	// PNG Sub predictor over 3 columns: 1 2 3 → 1 1 1.
	var zp bytes.Buffer
	zw = zlib.NewWriter(&zp)
	zw.Write([]byte{1, 1, 1, 1, 2, 1, 0, 0})
	zw.Close()
	d := &Doc{lim: DefaultLimits, cache: map[int]any{}, deadline: time.Now().Add(time.Minute)}
	for _, tc := range []struct {
		name string
		dict Dict
		raw  []byte
		want []byte
	}{
		{"flate", Dict{"Filter": Name("FlateDecode")}, z.Bytes(), plain},
		{"flate without zlib header", Dict{"Filter": Name("FlateDecode")}, z.Bytes()[2:], plain},
		{"lzw late change", Dict{"Filter": Name("LZWDecode"), "DecodeParms": Dict{"EarlyChange": int64(0)}}, l.Bytes(), plain},
		// ISO 32000-1 §7.4.4.2's example: 「-----A---B」.
		{"lzw spec example", Dict{"Filter": Name("LZWDecode")}, []byte{0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01}, []byte("-----A---B")},
		{"ascii85", Dict{"Filter": Name("ASCII85Decode")}, append(a85.Bytes(), "~>"...), plain},
		{"asciihex", Dict{"Filter": Name("AHx")}, []byte(hex), plain},
		{"runlength", Dict{"Filter": Name("RunLengthDecode")}, rl, []byte("helloxxxx")},
		{"chain", Dict{"Filter": Array{Name("ASCIIHexDecode"), Name("FlateDecode")}}, []byte(fmt.Sprintf("%X>", z.Bytes())), plain},
		{"png predictor", Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(12), "Columns": int64(3)}}, zp.Bytes(), []byte{1, 2, 3, 2, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.decode(&Stream{Dict: tc.dict, Raw: tc.raw})
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// A damaged cross-reference is rebuilt by scanning the file.
func TestRecovery(t *testing.T) {
	good := testDoc(false)
	x := bytes.LastIndex(good, []byte("startxref"))
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"wrong startxref", append(append([]byte(nil), good[:x]...), "startxref\n99\n%%EOF\n"...)},
		{"no xref at all", good[:bytes.Index(good, []byte("xref\n0 "))]},
		{"offsets shifted", bytes.Replace(good, []byte("%PDF-1.7\n"), []byte("%PDF-1.7\n% a comment added by a broken tool\n"), 1)},
		{"xref stream, trailer lost", testDoc(true)[:bytes.LastIndex(testDoc(true), []byte("startxref"))]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := pagesOf(t, tc.data, DefaultLimits)
			if !strings.HasPrefix(text(ps[0]), "本年新收") {
				t.Errorf("text %q", text(ps[0]))
			}
		})
	}
}

func TestRefused(t *testing.T) {
	enc := pdftest.New()
	enc.Add("<< /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>")
	enc.Trailer = "/Encrypt 3 0 R"
	enc.AddPage(595, 842, "", "", false)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"not a pdf", []byte("hello"), ErrNotPDF},
		{"encrypted", enc.Bytes(), ErrEncrypted},
		{"garbage after the header", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("\x00\xff obj"), 100)...), ErrBroken},
		{"truncated header", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), ErrBroken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.data, DefaultLimits)
			if !errors.Is(err, tc.want) {
				t.Errorf("Open = %v, want %v", err, tc.want)
			}
		})
	}
}

// Each limit refuses a document over it.
func TestLimits(t *testing.T) {
	bomb := func() []byte {
		d := pdftest.New()
		// One stream that inflates past StreamBytes: 64 MiB and a byte of zeros
		// compress to about 64 KB.
		var z bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		zw.Write(make([]byte, MaxStreamBytes+1))
		zw.Close()
		c := d.Add(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
		d.AddPageObject(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>", c))
		return d.Bytes()
	}
	manyPages := func(n int, content string) []byte {
		d := pdftest.New()
		f, enc := d.ChineseFont("公开")
		for range n {
			d.AddPage(595, 842, strings.ReplaceAll(content, "TEXT", enc("公开")), fmt.Sprintf("/Font << /F1 %d 0 R >>", f), true)
		}
		return d.Bytes()
	}
	small := DefaultLimits
	for _, tc := range []struct {
		name string
		data []byte
		lim  func(*Limits)
		want error
	}{
		{"stream bomb (default limits)", bomb(), func(*Limits) {}, ErrTooLarge},
		{"total decoded", manyPages(10, strings.Repeat("BT /F1 10 Tf 10 10 Td TEXT Tj ET\n", 200)), func(l *Limits) { l.TotalBytes = 20_000 }, ErrTooLarge},
		{"pages", manyPages(11, "BT ET"), func(l *Limits) { l.Pages = 10 }, ErrTooLarge},
		{"operators", manyPages(2, strings.Repeat("q Q ", 600)), func(l *Limits) { l.Operators = 1000 }, ErrTooLarge},
		{"glyphs", manyPages(2, "BT /F1 10 Tf 10 10 Td "+strings.Repeat("TEXT Tj ", 300)+" ET"), func(l *Limits) { l.Glyphs = 1000 }, ErrTooLarge},
		{"objects", manyPages(30, "BT ET"), func(l *Limits) { l.Objects = 50 }, ErrTooLarge},
		{"rules", manyPages(2, strings.Repeat("0 0 m 100 0 l S ", 600)), func(l *Limits) { l.Rules = 1000 }, ErrTooLarge},
		{"time", manyPages(3, strings.Repeat("q Q ", 10000)), func(l *Limits) { l.Time = time.Nanosecond }, ErrTooSlow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := small
			tc.lim(&lim)
			d, err := Open(tc.data, lim)
			if err == nil {
				_, err = d.Pages()
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	// The same documents read under the default limits (but the bomb).
	if _, err := Open(manyPages(11, "BT ET"), DefaultLimits); err != nil {
		t.Errorf("default limits: %v", err)
	}
}

// A page rotated by /Rotate reads in its reading orientation.
func TestRotatedPage(t *testing.T) {
	d := pdftest.New()
	f, enc := d.ChineseFont("公开")
	p := d.AddPage(595, 842, "BT /F1 10 Tf 100 50 Td "+enc("公开")+" Tj ET", fmt.Sprintf("/Font << /F1 %d 0 R >>", f), false)
	_ = p
	data := bytes.Replace(d.Bytes(), []byte("/MediaBox [0 0 595 842]"), []byte("/MediaBox [0 0 595 842] /Rotate 90"), 1)
	pg := pagesOf(t, data, DefaultLimits)[0]
	if pg.Width != 842 || pg.Height != 595 {
		t.Errorf("size %vx%v", pg.Width, pg.Height)
	}
	if g := pg.Glyphs[0]; g.X != 50 || g.Y != 495 {
		t.Errorf("glyph at %v,%v; want 50,495", g.X, g.Y)
	}
}

// trueTypeWithCmap writes a TrueType program holding only a 'cmap' table,
// format 4 or 12, mapping each rune of chars to glyph index+1.
func trueTypeWithCmap(chars []rune, format int) []byte {
	be := binary.BigEndian
	var sub []byte
	if format == 4 {
		segs := len(chars) + 1
		u16 := func(v int) { sub = be.AppendUint16(sub, uint16(v)) }
		u16(4)
		u16(0) // length, set below
		u16(0)
		u16(segs * 2)
		u16(0)
		u16(0)
		u16(0)
		for _, c := range chars {
			u16(int(c))
		}
		u16(0xFFFF)
		u16(0)
		for _, c := range chars {
			u16(int(c))
		}
		u16(0xFFFF)
		for i, c := range chars {
			u16((i + 1 - int(c)) & 0xFFFF)
		}
		u16(1)
		for range segs {
			u16(0)
		}
		be.PutUint16(sub[2:], uint16(len(sub)))
	} else {
		sub = be.AppendUint16(sub, 12)
		sub = be.AppendUint16(sub, 0)
		sub = be.AppendUint32(sub, uint32(16+12*len(chars)))
		sub = be.AppendUint32(sub, 0)
		sub = be.AppendUint32(sub, uint32(len(chars)))
		for i, c := range chars {
			sub = be.AppendUint32(sub, uint32(c))
			sub = be.AppendUint32(sub, uint32(c))
			sub = be.AppendUint32(sub, uint32(i+1))
		}
	}
	eid := 1
	if format == 12 {
		eid = 10
	}
	var cmap []byte
	cmap = be.AppendUint16(cmap, 0)
	cmap = be.AppendUint16(cmap, 1)
	cmap = be.AppendUint16(cmap, 3)
	cmap = be.AppendUint16(cmap, uint16(eid))
	cmap = be.AppendUint32(cmap, 12)
	cmap = append(cmap, sub...)
	var f []byte
	f = be.AppendUint32(f, 0x00010000)
	f = be.AppendUint16(f, 1)
	f = append(f, 0, 16, 0, 0, 0, 0)
	f = append(f, "cmap"...)
	f = be.AppendUint32(f, 0)
	f = be.AppendUint32(f, 28)
	f = be.AppendUint32(f, uint32(len(cmap)))
	return append(f, cmap...)
}

// A CID font without ToUnicode is read through its embedded program's cmap.
func TestEmbeddedCmap(t *testing.T) {
	for _, format := range []int{4, 12} {
		t.Run(fmt.Sprint(format), func(t *testing.T) {
			d := pdftest.New()
			prog := trueTypeWithCmap([]rune{'公', '开', '一'}, format)
			ff := d.Add(pdftest.Stream("", prog, true))
			fd := d.Add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontFile2 %d 0 R >>", ff))
			f := d.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity >>] >>", fd))
			d.AddPage(595, 842, "BT /F1 10 Tf 50 50 Td <000100020003> Tj ET", fmt.Sprintf("/Font << /F1 %d 0 R >>", f), false)
			if got := text(pagesOf(t, d.Bytes(), DefaultLimits)[0]); got != "公开一" {
				t.Errorf("text %q", got)
			}
		})
	}
	if glyphRunes([]byte("not a font at all")) != nil {
		t.Error("garbage read as a cmap")
	}
}

// An incremental update (a new cross-reference section whose /Prev is the
// old one) replaces the objects it rewrites.
func TestIncrementalUpdate(t *testing.T) {
	d := pdftest.New()
	f, enc := d.ChineseFont("旧新")
	d.AddPage(595, 842, "BT /F1 10 Tf 50 50 Td "+enc("旧")+" Tj ET", fmt.Sprintf("/Font << /F1 %d 0 R >>", f), false)
	old := d.Bytes()
	// The content stream is the object before the page, the last two.
	content := len(strings.Split(string(old), " 0 obj\n")) - 2
	prev := bytes.LastIndex(old, []byte("startxref\n"))
	var prevOff int
	fmt.Sscanf(string(old[prev+len("startxref\n"):]), "%d", &prevOff)
	var b bytes.Buffer
	b.Write(old)
	off := b.Len()
	body := "BT /F1 10 Tf 50 50 Td " + enc("新") + " Tj ET"
	fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", content, len(body), body)
	x := b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", content, off, content+2, prevOff, x)
	if got := text(pagesOf(t, b.Bytes(), DefaultLimits)[0]); got != "新" {
		t.Errorf("text %q, want the update's", got)
	}
	if got := text(pagesOf(t, old, DefaultLimits)[0]); got != "旧" {
		t.Errorf("before the update: %q", got)
	}
}
