// Package pdftext is the text layer of a PDF (ISO 32000-1): each page's
// glyphs with their positions, sizes, fonts and text, its ruling lines and
// how much of it images cover. It reads the object syntax itself —
// cross-reference tables and streams, object streams, the filters a text
// layer needs (Flate, LZW, ASCIIHex, ASCII85, RunLength, with predictors),
// a damaged cross-reference rebuilt by scanning the file — and the fonts'
// encodings: ToUnicode CMaps, CID fonts with Identity-H/V or an embedded
// CMap, the predefined CMaps of the Chinese collections (UniGB-UCS2,
// GBK-EUC, Big5), and simple fonts by WinAnsi, MacRoman or Standard encoding
// with Differences.
//
// It is written for reading published annual reports rather than taken from
// a module: pdfcpu parses documents but offers no positioned text, and
// rsc.io/pdf is unmaintained and reads neither CID fonts nor ToUnicode maps,
// which every Chinese PDF uses. Every cost of a read is bounded by Limits;
// an encrypted document is refused (ErrEncrypted), not decrypted.
package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Errors Open and Doc's methods return. Callers map them to their own
// messages; each says why a file is refused.
var (
	ErrNotPDF    = errors.New("pdftext: not a PDF file")
	ErrEncrypted = errors.New("pdftext: the document is encrypted")
	ErrBroken    = errors.New("pdftext: the document is damaged beyond repair")
	ErrTooLarge  = errors.New("pdftext: the document exceeds a size limit")
	ErrTooSlow   = errors.New("pdftext: reading the document took longer than allowed")
	ErrNoPages   = errors.New("pdftext: the document has no pages")
)

// Limits bound what reading one document may cost. A document over any of
// them is refused with ErrTooLarge (or ErrTooSlow), never read in part.
type Limits struct {
	// StreamBytes bounds the decoded size of one stream.
	StreamBytes int
	// TotalBytes bounds the decoded size of all streams read.
	TotalBytes int
	// Objects bounds the number of objects the cross-reference may name.
	Objects int
	// Pages bounds the number of pages.
	Pages int
	// Operators bounds the content stream operators run, over all pages.
	Operators int
	// Glyphs bounds the glyphs shown, over all pages.
	Glyphs int
	// Rules bounds the ruling lines kept, over all pages.
	Rules int
	// Time bounds the wall-clock time of one read.
	Time time.Duration
}

// The default limits. An annual report is a few dozen pages, a few
// megabytes, tens of thousands of glyphs; these leave a wide margin and
// still bound a hostile file to a few hundred megabytes of memory (a glyph
// kept costs about 80 bytes, a rule 32) and half a minute.
const (
	MaxStreamBytes = 64 << 20
	MaxTotalBytes  = 256 << 20
	MaxObjects     = 1 << 20
	MaxPages       = 2000
	MaxOperators   = 20_000_000
	MaxGlyphs      = 1_000_000
	MaxRules       = 1_000_000
	MaxTime        = 30 * time.Second
	// maxFormDepth bounds form XObjects drawn inside one another.
	maxFormDepth = 12
	// maxResolveDepth bounds references followed to reach one value.
	maxResolveDepth = 32
	// maxPrevChain bounds the /Prev chain of cross-reference sections.
	maxPrevChain = 256
)

// DefaultLimits are the limits of the constants above.
var DefaultLimits = Limits{
	StreamBytes: MaxStreamBytes, TotalBytes: MaxTotalBytes, Objects: MaxObjects, Pages: MaxPages,
	Operators: MaxOperators, Glyphs: MaxGlyphs, Rules: MaxRules, Time: MaxTime,
}

// xrefEntry locates one object: at an offset in the file, or as the index-th
// object of object stream stm.
type xrefEntry struct {
	offset   int
	stm      int
	index    int
	inStream bool
}

// Doc is an opened PDF document.
type Doc struct {
	data      []byte
	lim       Limits
	deadline  time.Time
	xref      map[int]xrefEntry
	trailer   Dict
	cache     map[int]any
	objStms   map[int]*objStm
	decoded   int // bytes decoded so far
	ops       int
	glyphs    int
	rules     int
	scanned   bool // the file was scanned for objects (a broken xref)
	resolving map[int]bool
	fonts     map[Ref]*font
}

type objStm struct {
	offsets []int // offset of each object, from First
	nums    []int
	data    []byte
}

// Open parses the structure of a PDF: its cross-reference (repaired by
// scanning the file when it is missing or wrong) and trailer. An encrypted
// document is refused with ErrEncrypted.
func Open(data []byte, lim Limits) (d *Doc, err error) {
	// The header may follow other bytes within the first kilobyte (§7.5.2).
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	d = &Doc{data: data, lim: lim, deadline: time.Now().Add(lim.Time), cache: map[int]any{},
		objStms: map[int]*objStm{}, resolving: map[int]bool{}, fonts: map[Ref]*font{}}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(abort)
			if !ok {
				panic(r)
			}
			d, err = nil, e.err
		}
	}()
	if !d.readXref() || d.catalog() == nil {
		d.recover()
	}
	if d.catalog() == nil {
		return nil, ErrBroken
	}
	if _, enc := d.trailer["Encrypt"]; enc {
		return nil, ErrEncrypted
	}
	return d, nil
}

// abort carries an error out of deep recursion; the exported entry points
// recover it.
type abort struct{ err error }

func (d *Doc) fail(err error) { panic(abort{err}) }

// check stops the read when a limit of time is passed.
func (d *Doc) checkTime() {
	if time.Now().After(d.deadline) {
		d.fail(ErrTooSlow)
	}
}

func (d *Doc) catalog() Dict {
	c, _ := d.resolve(d.trailer["Root"]).(Dict)
	if c == nil {
		return nil
	}
	return c
}

// readXref reads the cross-reference sections from startxref down the /Prev
// chain. It reports false when they cannot be read.
func (d *Doc) readXref() bool {
	tail := d.data[max(0, len(d.data)-2048):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return false
	}
	l := lexer{b: tail, pos: i + len("startxref")}
	t := l.next()
	if t.kind != tInt || t.i <= 0 || t.i >= int64(len(d.data)) {
		return false
	}
	d.xref = map[int]xrefEntry{}
	offset := int(t.i)
	seen := map[int]bool{}
	for n := 0; n < maxPrevChain; n++ {
		if seen[offset] {
			break
		}
		seen[offset] = true
		trailer, ok := d.xrefSection(offset)
		if !ok {
			return false
		}
		if d.trailer == nil {
			d.trailer = trailer
		}
		if stm, ok := trailer["XRefStm"].(int64); ok && stm > 0 && stm < int64(len(d.data)) && !seen[int(stm)] {
			seen[int(stm)] = true
			d.xrefSection(int(stm))
		}
		prev, ok := trailer["Prev"].(int64)
		if !ok || prev <= 0 || prev >= int64(len(d.data)) {
			break
		}
		offset = int(prev)
	}
	return d.trailer != nil
}

// xrefSection reads one cross-reference table or stream at offset; entries
// already known (from a newer section) are kept.
func (d *Doc) xrefSection(offset int) (Dict, bool) {
	p := newParser(d.data, offset)
	t := p.tok()
	if t.kind == tKeyword && t.s == "xref" {
		return d.xrefTable(p)
	}
	p.unread(t)
	num, obj, ok := d.parseIndirect(offset)
	if !ok {
		return nil, false
	}
	s, ok := obj.(*Stream)
	if !ok || s.Dict["Type"] != Name("XRef") {
		return nil, false
	}
	_ = num
	return s.Dict, d.xrefStream(s)
}

func (d *Doc) xrefTable(p *parser) (Dict, bool) {
	for {
		t := p.tok()
		if t.kind == tKeyword && t.s == "trailer" {
			obj, _ := p.object()
			tr, ok := obj.(Dict)
			return tr, ok
		}
		if t.kind != tInt {
			return nil, false
		}
		t2 := p.tok()
		if t2.kind != tInt || t.i < 0 || t2.i < 0 || t2.i > int64(d.lim.Objects) || t.i > int64(d.lim.Objects) {
			return nil, false
		}
		start, count := int(t.i), int(t2.i)
		for k := 0; k < count; k++ {
			off, gen, typ := p.tok(), p.tok(), p.tok()
			if off.kind != tInt || gen.kind != tInt || typ.kind != tKeyword {
				return nil, false
			}
			num := start + k
			if _, known := d.xref[num]; known {
				continue
			}
			if len(d.xref) >= d.lim.Objects {
				d.fail(ErrTooLarge)
			}
			if typ.s == "n" {
				d.xref[num] = xrefEntry{offset: int(off.i)}
			} else {
				d.xref[num] = xrefEntry{offset: -1}
			}
		}
	}
}

func (d *Doc) xrefStream(s *Stream) bool {
	data, err := d.decode(s)
	if err != nil {
		return false
	}
	w, _ := s.Dict["W"].(Array)
	if len(w) < 3 {
		return false
	}
	var ws [3]int
	rowLen := 0
	for i := range 3 {
		v, _ := w[i].(int64)
		if v < 0 || v > 8 {
			return false
		}
		ws[i] = int(v)
		rowLen += int(v)
	}
	if rowLen == 0 {
		return false
	}
	var index []int64
	if idx, ok := s.Dict["Index"].(Array); ok {
		for _, v := range idx {
			n, _ := v.(int64)
			index = append(index, n)
		}
	} else {
		size, _ := s.Dict["Size"].(int64)
		index = []int64{0, size}
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		start, count := index[i], index[i+1]
		if start < 0 || count < 0 || start+count > int64(d.lim.Objects) {
			d.fail(ErrTooLarge)
		}
		for k := int64(0); k < count; k++ {
			if pos+rowLen > len(data) {
				return true
			}
			var f [3]int
			for j := range 3 {
				v := 0
				for b := 0; b < ws[j]; b++ {
					v = v<<8 | int(data[pos])
					pos++
				}
				f[j] = v
			}
			if ws[0] == 0 {
				f[0] = 1
			}
			num := int(start + k)
			if _, known := d.xref[num]; known {
				continue
			}
			if len(d.xref) >= d.lim.Objects {
				d.fail(ErrTooLarge)
			}
			switch f[0] {
			case 1:
				d.xref[num] = xrefEntry{offset: f[1]}
			case 2:
				d.xref[num] = xrefEntry{inStream: true, stm: f[1], index: f[2]}
			default:
				d.xref[num] = xrefEntry{offset: -1}
			}
		}
	}
	return true
}

// recover rebuilds the cross-reference by scanning the file for "N G obj"
// and the trailer from the last "trailer" dictionary (or the catalog found
// among the objects), as readers do with damaged files.
func (d *Doc) recover() {
	if d.scanned {
		return
	}
	d.scanned = true
	d.cache = map[int]any{}
	xref := map[int]xrefEntry{}
	b := d.data
	var stms []int
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("obj"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		if at+3 < len(b) && !isWhite(b[at+3]) && !isDelim(b[at+3]) {
			continue
		}
		// Walk back over "N G ".
		k := at
		for k > 0 && isWhite(b[k-1]) {
			k--
		}
		g := k
		for g > 0 && b[g-1] >= '0' && b[g-1] <= '9' {
			g--
		}
		if g == k || g == 0 {
			continue
		}
		n := g
		for n > 0 && isWhite(b[n-1]) {
			n--
		}
		s := n
		for s > 0 && b[s-1] >= '0' && b[s-1] <= '9' {
			s--
		}
		if s == n || n == g {
			continue
		}
		num, err := strconv.Atoi(string(b[s:n]))
		if err != nil || num <= 0 {
			continue
		}
		if len(xref) >= d.lim.Objects {
			d.fail(ErrTooLarge)
		}
		xref[num] = xrefEntry{offset: s}
		if bytes.Contains(b[at:min(len(b), at+200)], []byte("/ObjStm")) {
			stms = append(stms, num)
		}
		d.checkTime()
	}
	if d.xref == nil {
		d.xref = map[int]xrefEntry{}
	}
	// Objects found in the file win over a table that pointed elsewhere; keep
	// what only the table (an object stream) knew.
	for num, e := range xref {
		d.xref[num] = e
	}
	for _, sn := range stms {
		st := d.objectStream(sn)
		if st == nil {
			continue
		}
		for idx, num := range st.nums {
			if e, ok := d.xref[num]; !ok || e.offset < 0 {
				d.xref[num] = xrefEntry{inStream: true, stm: sn, index: idx}
			}
		}
	}
	var trailer Dict
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("trailer"))
		if j < 0 {
			break
		}
		p := newParser(b, i+j+len("trailer"))
		if t, ok := p.object(); ok {
			if td, ok := t.(Dict); ok {
				if _, ok := td["Root"]; ok {
					trailer = td
				}
			}
		}
		i += j + len("trailer")
	}
	if trailer == nil && d.trailer != nil {
		if _, ok := d.trailer["Root"]; ok {
			trailer = d.trailer
		}
	}
	if trailer != nil {
		if c, _ := d.resolve(trailer["Root"]).(Dict); c == nil {
			trailer = nil
		}
	}
	if trailer == nil {
		trailer = Dict{}
		if d.trailer != nil {
			if e, ok := d.trailer["Encrypt"]; ok {
				trailer["Encrypt"] = e
			}
		}
		for num := range d.xref {
			o := d.resolve(Ref{num, 0})
			dict, _ := o.(Dict)
			if s, ok := o.(*Stream); ok {
				dict = s.Dict
			}
			if dict == nil {
				continue
			}
			if dict["Type"] == Name("Catalog") {
				trailer["Root"] = Ref{num, 0}
			}
			if _, ok := dict["Encrypt"]; ok && dict["Type"] == Name("XRef") {
				trailer["Encrypt"] = dict["Encrypt"]
			}
		}
	}
	d.trailer = trailer
}

// parseIndirect reads "N G obj … endobj" at offset.
func (d *Doc) parseIndirect(offset int) (int, any, bool) {
	if offset < 0 || offset >= len(d.data) {
		return 0, nil, false
	}
	p := newParser(d.data, offset)
	n, g, o := p.tok(), p.tok(), p.tok()
	if n.kind != tInt || g.kind != tInt || o.kind != tKeyword || o.s != "obj" {
		return 0, nil, false
	}
	obj, ok := p.object()
	if !ok {
		return int(n.i), obj, obj != nil
	}
	t := p.tok()
	if t.kind == tKeyword && t.s == "stream" {
		dict, _ := obj.(Dict)
		if dict == nil {
			return 0, nil, false
		}
		start := streamDataStart(d.data, p.lex.pos)
		end := -1
		if l, ok := d.resolveLength(dict["Length"]); ok && l >= 0 && start+l <= len(d.data) {
			end = start + l
			// The length must be followed by endstream; otherwise it is wrong.
			rest := bytes.TrimLeft(d.data[end:min(len(d.data), end+32)], "\r\n\t\f \x00")
			if !bytes.HasPrefix(rest, endstreamKW) {
				end = -1
			}
		}
		if end < 0 {
			end = findEndstream(d.data, start)
		}
		return int(n.i), &Stream{Dict: dict, Raw: d.data[start:end]}, true
	}
	return int(n.i), obj, true
}

// resolveLength reads a stream's /Length, which may be a reference.
func (d *Doc) resolveLength(v any) (int, bool) {
	if r, ok := v.(Ref); ok {
		if d.resolving[r.Num] {
			return 0, false
		}
		v = d.resolve(r)
	}
	n, ok := v.(int64)
	return int(n), ok
}

// resolve follows references to the value they name; nil when there is
// none.
func (d *Doc) resolve(v any) any {
	for depth := 0; depth < maxResolveDepth; depth++ {
		r, ok := v.(Ref)
		if !ok {
			return v
		}
		v = d.object(r.Num)
	}
	return nil
}

// object returns the object numbered num.
func (d *Doc) object(num int) any {
	if v, ok := d.cache[num]; ok {
		return v
	}
	if d.resolving[num] {
		return nil
	}
	d.resolving[num] = true
	defer delete(d.resolving, num)
	d.checkTime()
	v, ok := d.load(num)
	if !ok && !d.scanned {
		d.recover()
		v, _ = d.load(num)
	}
	d.cache[num] = v
	return v
}

func (d *Doc) load(num int) (any, bool) {
	e, ok := d.xref[num]
	if !ok {
		return nil, false
	}
	if e.inStream {
		st := d.objectStream(e.stm)
		if st == nil || e.index >= len(st.offsets) {
			return nil, false
		}
		p := newParser(st.data, st.offsets[e.index])
		v, _ := p.object()
		if _, isKw := v.(keyword); isKw {
			return nil, false
		}
		return v, true
	}
	if e.offset < 0 {
		return nil, true // a free entry is null
	}
	n, v, ok := d.parseIndirect(e.offset)
	if !ok || n != num {
		return nil, false
	}
	return v, true
}

// objectStream decodes object stream num (§7.5.7).
func (d *Doc) objectStream(num int) *objStm {
	if st, ok := d.objStms[num]; ok {
		return st
	}
	d.objStms[num] = nil
	s, _ := d.resolve(Ref{num, 0}).(*Stream)
	if s == nil {
		return nil
	}
	data, err := d.decode(s)
	if err != nil {
		return nil
	}
	n, _ := s.Dict["N"].(int64)
	first, _ := s.Dict["First"].(int64)
	if n < 0 || n > int64(d.lim.Objects) || first < 0 || first > int64(len(data)) {
		return nil
	}
	st := &objStm{data: data}
	p := newParser(data[:first], 0)
	for k := int64(0); k < n; k++ {
		a, b := p.tok(), p.tok()
		if a.kind != tInt || b.kind != tInt {
			break
		}
		st.nums = append(st.nums, int(a.i))
		st.offsets = append(st.offsets, int(first)+int(b.i))
	}
	for i := range st.offsets {
		if st.offsets[i] > len(data) {
			st.offsets[i] = len(data)
		}
	}
	d.objStms[num] = st
	return st
}

// decode returns the decoded bytes of a stream, within the limits.
func (d *Doc) decode(s *Stream) ([]byte, error) {
	room := min(d.lim.StreamBytes, d.lim.TotalBytes-d.decoded)
	if room <= 0 {
		d.fail(ErrTooLarge)
	}
	out, err := decodeStream(d, s, room)
	if errors.Is(err, errLimit) {
		d.fail(ErrTooLarge)
	}
	d.decoded += len(out)
	return out, err
}

func (d *Doc) String() string { return fmt.Sprintf("pdftext.Doc(%d objects)", len(d.xref)) }
