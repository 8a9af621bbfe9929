package pdftext

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// font is what the text layer needs of a font (§9.5–9.10): how a string
// splits into character codes, each code's text and width.
type font struct {
	name string
	// composite is set for a Type0 font: codes of one to four bytes as its
	// CMap's code space says (two bytes for Identity-H/V).
	composite bool
	space     []codeRange // code space ranges of a composite font
	// cid maps a code to a CID (composite fonts); nil is identity.
	cid map[uint32]uint32
	// toUnicode maps a code to its text, from the ToUnicode CMap.
	toUnicode map[uint32]string
	// simple maps a byte code to its text for a simple font without
	// ToUnicode (or a code it lacks), from the font's encoding.
	simple [256]string
	// decodeCode turns a code into text for a predefined CJK CMap
	// (UniGB-UCS2-H, GBK-EUC-H …) when no ToUnicode says.
	decodeCode func(code uint32, n int) string
	// glyphText gives a CID's character from the embedded TrueType
	// program's cmap, for a CID font without ToUnicode (truetype.go).
	glyphText func(cid uint32) (rune, bool)
	// widths in glyph space (1/1000 of the size)
	widths   map[uint32]float64
	dw       float64
	vertical bool
	type3    bool
	matrix   [6]float64 // Type3 font matrix
}

type codeRange struct {
	n      int
	lo, hi uint32
}

// charCode is one character of a shown string.
type charCode struct {
	code  uint32
	n     int // bytes
	text  string
	width float64 // glyph space units / 1000
}

// decode splits a shown string into its characters.
func (f *font) decode(s string) []charCode {
	out := make([]charCode, 0, len(s))
	for i := 0; i < len(s); {
		code, n := f.nextCode(s[i:])
		i += n
		out = append(out, charCode{code: code, n: n, text: f.text(code, n), width: f.width(code)})
	}
	return out
}

func (f *font) nextCode(s string) (uint32, int) {
	if !f.composite {
		return uint32(s[0]), 1
	}
	if len(f.space) == 0 {
		if len(s) < 2 {
			return uint32(s[0]), 1
		}
		return uint32(s[0])<<8 | uint32(s[1]), 2
	}
	var code uint32
	for n := 1; n <= 4 && n <= len(s); n++ {
		code = code<<8 | uint32(s[n-1])
		for _, r := range f.space {
			if r.n == n && code >= r.lo && code <= r.hi {
				return code, n
			}
		}
	}
	// Not in any range: take the shortest range's length (§9.7.6.3).
	n := f.space[0].n
	for _, r := range f.space {
		n = min(n, r.n)
	}
	n = min(n, len(s))
	code = 0
	for k := 0; k < n; k++ {
		code = code<<8 | uint32(s[k])
	}
	return code, n
}

func (f *font) text(code uint32, n int) string {
	if t, ok := f.toUnicode[code]; ok {
		return t
	}
	if f.composite {
		if f.decodeCode != nil {
			return f.decodeCode(code, n)
		}
		if f.glyphText != nil {
			cid := code
			if c, ok := f.cid[code]; ok {
				cid = c
			}
			if r, ok := f.glyphText(cid); ok {
				return string(r)
			}
		}
		return "\uFFFD"
	}
	if t := f.simple[code&0xFF]; t != "" {
		return t
	}
	return "\uFFFD"
}

func (f *font) width(code uint32) float64 {
	if f.composite && f.cid != nil {
		if c, ok := f.cid[code]; ok {
			code = c
		}
	}
	if w, ok := f.widths[code]; ok {
		return w / 1000
	}
	return f.dw / 1000
}

// loadFont reads a font dictionary.
func (d *Doc) loadFont(ref any) *font {
	key, isRef := ref.(Ref)
	if isRef {
		if f, ok := d.fonts[key]; ok {
			return f
		}
	}
	fd, _ := d.resolve(ref).(Dict)
	f := &font{widths: map[uint32]float64{}, dw: 1000}
	if fd == nil {
		f.dw = 500
		f.simple = standardTable()
	} else {
		f.name = string(nameOf(d.resolve(fd["BaseFont"])))
		switch nameOf(d.resolve(fd["Subtype"])) {
		case "Type0":
			d.loadComposite(f, fd)
		default:
			d.loadSimple(f, fd)
		}
		if tu, ok := d.resolve(fd["ToUnicode"]).(*Stream); ok {
			if data, err := d.decode(tu); err == nil {
				f.toUnicode = map[uint32]string{}
				parseCMap(data, f.toUnicode, nil)
			}
		}
		if f.composite && len(f.toUnicode) == 0 && f.decodeCode == nil {
			if desc, ok := d.resolve(fd["DescendantFonts"]).(Array); ok && len(desc) > 0 {
				if cf, ok := d.resolve(desc[0]).(Dict); ok {
					d.embeddedText(f, cf)
				}
			}
		}
	}
	if isRef {
		d.fonts[key] = f
	}
	return f
}

func nameOf(v any) Name {
	n, _ := v.(Name)
	return n
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func (d *Doc) loadSimple(f *font, fd Dict) {
	sub := nameOf(d.resolve(fd["Subtype"]))
	f.type3 = sub == "Type3"
	if f.type3 {
		f.matrix = [6]float64{0.001, 0, 0, 0.001, 0, 0}
		if m, ok := d.resolve(fd["FontMatrix"]).(Array); ok && len(m) == 6 {
			for i := range 6 {
				f.matrix[i], _ = number(d.resolve(m[i]))
			}
		}
	}
	first, _ := number(d.resolve(fd["FirstChar"]))
	if ws, ok := d.resolve(fd["Widths"]).(Array); ok {
		for i, w := range ws {
			if i > 255 {
				break
			}
			v, _ := number(d.resolve(w))
			if f.type3 {
				v *= f.matrix[0] * 1000
			}
			f.widths[uint32(int(first)+i)] = v
		}
	}
	f.dw = 0
	if desc, ok := d.resolve(fd["FontDescriptor"]).(Dict); ok {
		if mw, ok := number(d.resolve(desc["MissingWidth"])); ok {
			f.dw = mw
		}
	}
	if len(f.widths) == 0 {
		// A standard 14 font printed without widths: an average advance.
		f.dw = 500
		if strings.Contains(f.name, "Courier") {
			f.dw = 600
		}
	}

	base := standardTable()
	symbolic := false
	if desc, ok := d.resolve(fd["FontDescriptor"]).(Dict); ok {
		if fl, ok := d.resolve(desc["Flags"]).(int64); ok && fl&4 != 0 {
			symbolic = true
		}
	}
	if symbolic || sub == "TrueType" {
		base = winAnsiTable()
	}
	switch enc := d.resolve(fd["Encoding"]).(type) {
	case Name:
		base = namedEncoding(enc, base)
	case Dict:
		if b, ok := d.resolve(enc["BaseEncoding"]).(Name); ok {
			base = namedEncoding(b, base)
		}
		if diff, ok := d.resolve(enc["Differences"]).(Array); ok {
			code := 0
			for _, v := range diff {
				switch x := d.resolve(v).(type) {
				case int64:
					code = int(x)
				case Name:
					if code >= 0 && code < 256 {
						if t := glyphText(string(x)); t != "" {
							base[code] = t
						}
					}
					code++
				}
			}
		}
	}
	f.simple = base
}

func namedEncoding(n Name, base [256]string) [256]string {
	switch n {
	case "WinAnsiEncoding":
		return winAnsiTable()
	case "MacRomanEncoding":
		return charmapTable(charmap.Macintosh)
	case "StandardEncoding":
		return standardTable()
	case "PDFDocEncoding":
		return winAnsiTable()
	}
	return base
}

func charmapTable(cm *charmap.Charmap) [256]string {
	var t [256]string
	for i := 32; i < 256; i++ {
		r := cm.DecodeByte(byte(i))
		if r != utf8.RuneError {
			t[i] = string(r)
		}
	}
	return t
}

var winAnsi = charmapTable(charmap.Windows1252)

func winAnsiTable() [256]string { return winAnsi }

var standard = func() [256]string {
	t := winAnsiTable()
	t[0x27] = "’"
	t[0x60] = "‘"
	for i := 0x80; i < 0x100; i++ {
		t[i] = ""
	}
	return t
}()

func standardTable() [256]string { return standard }

// glyphText returns the text of a glyph name (Adobe Glyph List naming:
// uniXXXX, uXXXX[XX], the names of the Latin text fonts), "" for an unknown
// name.
func glyphText(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if t, ok := glyphNames[name]; ok {
		return t
	}
	if len(name) == 1 {
		return name
	}
	if rest, ok := strings.CutPrefix(name, "uni"); ok && len(rest) >= 4 && len(rest)%4 == 0 {
		var u []uint16
		for i := 0; i < len(rest); i += 4 {
			v, err := strconv.ParseUint(rest[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			u = append(u, uint16(v))
		}
		return string(utf16.Decode(u))
	}
	if rest, ok := strings.CutPrefix(name, "u"); ok && len(rest) >= 4 && len(rest) <= 6 {
		if v, err := strconv.ParseUint(rest, 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			return string(rune(v))
		}
	}
	// Glyph names in the standard Latin set that are single characters of
	// Windows-1252 are found through that table.
	return ""
}

// glyphNames are the glyph names of the standard Latin character set
// (ISO 32000-1 Annex D) that are not one character long.
var glyphNames = func() map[string]string {
	m := map[string]string{}
	pairs := []string{
		"space", " ", "exclam", "!", "quotedbl", "\"", "numbersign", "#", "dollar", "$", "percent", "%",
		"ampersand", "&", "quotesingle", "'", "quoteright", "’", "parenleft", "(", "parenright", ")",
		"asterisk", "*", "plus", "+", "comma", ",", "hyphen", "-", "period", ".", "slash", "/",
		"zero", "0", "one", "1", "two", "2", "three", "3", "four", "4", "five", "5", "six", "6",
		"seven", "7", "eight", "8", "nine", "9", "colon", ":", "semicolon", ";", "less", "<",
		"equal", "=", "greater", ">", "question", "?", "at", "@", "bracketleft", "[", "backslash", "\\",
		"bracketright", "]", "asciicircum", "^", "underscore", "_", "grave", "`", "quoteleft", "‘",
		"braceleft", "{", "bar", "|", "braceright", "}", "asciitilde", "~", "exclamdown", "¡",
		"cent", "¢", "sterling", "£", "yen", "¥", "section", "§", "copyright", "©", "registered", "®",
		"degree", "°", "plusminus", "±", "multiply", "×", "divide", "÷", "endash", "–", "emdash", "—",
		"bullet", "•", "ellipsis", "…", "quotedblleft", "“", "quotedblright", "”", "quotesinglbase", "‚",
		"quotedblbase", "„", "dagger", "†", "daggerdbl", "‡", "perthousand", "‰", "fi", "fi", "fl", "fl",
		"minus", "−", "nbspace", "\u00a0", "periodcentered", "·", "middot", "·", "Euro", "€",
		"guillemotleft", "«", "guillemotright", "»", "trademark", "™", "ff", "ff", "ffi", "ffi", "ffl", "ffl",
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	// Accented Latin letters through Windows-1252's names are rare in
	// Chinese reports; each name maps by its first letter when unknown.
	return m
}()

func (d *Doc) loadComposite(f *font, fd Dict) {
	f.composite = true
	f.dw = 1000
	var ordering string
	if desc, ok := d.resolve(fd["DescendantFonts"]).(Array); ok && len(desc) > 0 {
		if cf, ok := d.resolve(desc[0]).(Dict); ok {
			if dw, ok := number(d.resolve(cf["DW"])); ok {
				f.dw = dw
			}
			if w, ok := d.resolve(cf["W"]).(Array); ok {
				d.cidWidths(f, w)
			}
			if si, ok := d.resolve(cf["CIDSystemInfo"]).(Dict); ok {
				o, _ := d.resolve(si["Ordering"]).(String)
				ordering = string(o)
			}
		}
	}
	_ = ordering
	switch enc := d.resolve(fd["Encoding"]).(type) {
	case Name:
		name := string(enc)
		f.vertical = strings.HasSuffix(name, "-V")
		if !strings.HasPrefix(name, "Identity") {
			f.decodeCode, f.space = predefinedCMap(name)
		}
	case *Stream:
		if data, err := d.decode(enc); err == nil {
			f.cid = map[uint32]uint32{}
			f.space = parseCMap(data, nil, f.cid)
		}
		if n, ok := d.resolve(enc.Dict["CMapName"]).(Name); ok {
			f.vertical = strings.HasSuffix(string(n), "-V")
		}
	}
}

// cidWidths reads a /W array: c [w1 w2 …] or cfirst clast w.
func (d *Doc) cidWidths(f *font, w Array) {
	for i := 0; i < len(w); {
		c, ok := number(d.resolve(w[i]))
		if !ok || i+1 >= len(w) {
			return
		}
		switch next := d.resolve(w[i+1]).(type) {
		case Array:
			for k, v := range next {
				if x, ok := number(d.resolve(v)); ok {
					f.widths[uint32(int(c)+k)] = x
				}
			}
			i += 2
		default:
			if i+2 >= len(w) {
				return
			}
			last, ok1 := number(next)
			x, ok2 := number(d.resolve(w[i+2]))
			if !ok1 || !ok2 || last < c || last-c > 65535 {
				return
			}
			for k := int(c); k <= int(last); k++ {
				f.widths[uint32(k)] = x
			}
			i += 3
		}
	}
}

// predefinedCMap returns how to read the codes of a predefined CMap of the
// Chinese character collections (§9.7.5.2) as text, and their code space.
func predefinedCMap(name string) (func(uint32, int) string, []codeRange) {
	two := []codeRange{{n: 2, lo: 0, hi: 0xFFFF}}
	switch {
	case strings.Contains(name, "UCS2"), strings.Contains(name, "UTF16"):
		return func(code uint32, n int) string {
			if n == 2 {
				return string(rune(code))
			}
			return "\uFFFD"
		}, two
	case strings.HasPrefix(name, "GB"), strings.HasPrefix(name, "GBK"), strings.HasPrefix(name, "GBpc"), strings.HasPrefix(name, "GBT"):
		return multiByte(simplifiedchinese.GBK), []codeRange{{n: 1, lo: 0, hi: 0x80}, {n: 2, lo: 0x8140, hi: 0xFEFE}}
	case strings.HasPrefix(name, "B5"), strings.HasPrefix(name, "ETen"), strings.HasPrefix(name, "HKscs"):
		return multiByte(traditionalchinese.Big5), []codeRange{{n: 1, lo: 0, hi: 0x80}, {n: 2, lo: 0x8140, hi: 0xFEFE}}
	}
	return nil, two
}

func multiByte(enc encoding.Encoding) func(uint32, int) string {
	return func(code uint32, n int) string {
		var b []byte
		if n == 1 {
			b = []byte{byte(code)}
		} else {
			b = []byte{byte(code >> 8), byte(code)}
		}
		s, err := enc.NewDecoder().Bytes(b)
		if err != nil || len(s) == 0 {
			return "\uFFFD"
		}
		return string(s)
	}
}

// maxCMapRange bounds the codes one range of a CMap may map, and
// maxCMapEntries the codes one CMap may map in all.
const (
	maxCMapRange   = 1 << 16
	maxCMapEntries = 1 << 18
)

// parseCMap reads a CMap (§9.7.5, 9.10.3): its code space ranges, its bfchar
// and bfrange (into toUnicode) and cidchar and cidrange (into cids). It
// returns the code space.
func parseCMap(data []byte, toUnicode map[uint32]string, cids map[uint32]uint32) []codeRange {
	p := newParser(data, 0)
	var space []codeRange
	var operands []any
	code := func(v any) (uint32, int, bool) {
		s, ok := v.(String)
		if !ok || len(s) == 0 || len(s) > 4 {
			return 0, 0, false
		}
		var c uint32
		for i := 0; i < len(s); i++ {
			c = c<<8 | uint32(s[i])
		}
		return c, len(s), true
	}
	for {
		v, ok := p.object()
		if !ok {
			break
		}
		k, isKw := v.(keyword)
		if !isKw {
			operands = append(operands, v)
			if len(operands) > 1<<16 {
				operands = operands[:0]
			}
			continue
		}
		if len(toUnicode)+len(cids) > maxCMapEntries {
			break
		}
		switch k {
		case "endcodespacerange":
			for i := 0; i+1 < len(operands); i += 2 {
				lo, n, ok1 := code(operands[i])
				hi, _, ok2 := code(operands[i+1])
				if ok1 && ok2 {
					space = append(space, codeRange{n: n, lo: lo, hi: hi})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(operands); i += 2 {
				c, _, ok := code(operands[i])
				if !ok || toUnicode == nil {
					continue
				}
				switch dst := operands[i+1].(type) {
				case String:
					toUnicode[c] = utf16Text(string(dst))
				case Name:
					toUnicode[c] = glyphText(string(dst))
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(operands); i += 3 {
				lo, _, ok1 := code(operands[i])
				hi, _, ok2 := code(operands[i+1])
				if !ok1 || !ok2 || hi < lo || hi-lo > maxCMapRange || toUnicode == nil {
					continue
				}
				switch dst := operands[i+2].(type) {
				case String:
					u := []rune(utf16Text(string(dst)))
					if len(u) == 0 {
						continue
					}
					for c := lo; c <= hi; c++ {
						last := u[len(u)-1] + rune(c-lo)
						toUnicode[c] = string(u[:len(u)-1]) + string(last)
					}
				case Array:
					for j, e := range dst {
						if s, ok := e.(String); ok && lo+uint32(j) <= hi {
							toUnicode[lo+uint32(j)] = utf16Text(string(s))
						}
					}
				}
			}
		case "endcidchar":
			for i := 0; i+1 < len(operands); i += 2 {
				c, _, ok := code(operands[i])
				cid, ok2 := operands[i+1].(int64)
				if ok && ok2 && cids != nil {
					cids[c] = uint32(cid)
				}
			}
		case "endcidrange":
			for i := 0; i+2 < len(operands); i += 3 {
				lo, _, ok1 := code(operands[i])
				hi, _, ok2 := code(operands[i+1])
				cid, ok3 := operands[i+2].(int64)
				if !ok1 || !ok2 || !ok3 || hi < lo || hi-lo > maxCMapRange || cids == nil {
					continue
				}
				for c := lo; c <= hi; c++ {
					cids[c] = uint32(cid) + (c - lo)
				}
			}
		}
		operands = operands[:0]
	}
	return space
}

// utf16Text decodes the UTF-16BE text of a ToUnicode destination.
func utf16Text(s string) string {
	if len(s) == 1 {
		return string(rune(s[0]))
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}
