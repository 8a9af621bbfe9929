package pdftext

import (
	"bytes"
	"strconv"
)

// The objects of the PDF syntax (ISO 32000-1 §7.3). Integers are int64,
// reals float64, booleans bool, null nil.
type (
	// Name is a name object (/Type), without the slash and #xx escapes decoded.
	Name string
	// String is a string object: the bytes of a literal or hexadecimal string.
	String string
	// Array is an array object.
	Array []any
	// Dict is a dictionary object.
	Dict map[Name]any
	// Ref is an indirect reference (12 0 R).
	Ref struct{ Num, Gen int }
	// Stream is a stream object: its dictionary and its bytes as stored
	// (still encoded).
	Stream struct {
		Dict Dict
		Raw  []byte
	}
)

// keyword is a bare word of the syntax: obj, endobj, R, or a content
// stream operator.
type keyword string

// lexer reads tokens of the PDF syntax from a byte slice.
type lexer struct {
	b   []byte
	pos int
}

func isWhite(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// skip moves past white space and comments.
func (l *lexer) skip() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// token kinds
type tokKind uint8

const (
	tEOF tokKind = iota
	tInt
	tReal
	tName
	tString
	tKeyword
	tArrayOpen
	tArrayClose
	tDictOpen
	tDictClose
	tJunk // a delimiter out of place
)

type token struct {
	kind tokKind
	i    int64
	f    float64
	s    string
}

// next returns the next token.
func (l *lexer) next() token {
	l.skip()
	if l.pos >= len(l.b) {
		return token{kind: tEOF}
	}
	c := l.b[l.pos]
	switch {
	case c == '[':
		l.pos++
		return token{kind: tArrayOpen}
	case c == ']':
		l.pos++
		return token{kind: tArrayClose}
	case c == '<':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '<' {
			l.pos += 2
			return token{kind: tDictOpen}
		}
		return token{kind: tString, s: l.hexString()}
	case c == '>':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '>' {
			l.pos += 2
			return token{kind: tDictClose}
		}
		l.pos++
		return token{kind: tJunk}
	case c == '(':
		return token{kind: tString, s: l.literalString()}
	case c == '/':
		return token{kind: tName, s: l.name()}
	case c == ')' || c == '{' || c == '}':
		l.pos++
		return token{kind: tJunk}
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.number()
	}
	start := l.pos
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	return token{kind: tKeyword, s: string(l.b[start:l.pos])}
}

func (l *lexer) number() token {
	start := l.pos
	if c := l.b[l.pos]; c == '+' || c == '-' {
		l.pos++
	}
	dot, digits := false, false
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if c >= '0' && c <= '9' {
			digits = true
			l.pos++
			continue
		}
		if c == '.' && !dot {
			dot = true
			l.pos++
			continue
		}
		break
	}
	s := string(l.b[start:l.pos])
	// A malformed number such as "--5" or "1.2.3": skip the rest of the word.
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
		digits = false
	}
	if !digits {
		return token{kind: tReal, f: 0}
	}
	if !dot {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return token{kind: tInt, i: n}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f = 0
	}
	return token{kind: tReal, f: f}
}

func (l *lexer) name() string {
	l.pos++ // '/'
	var b []byte
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isWhite(c) || isDelim(c) {
			break
		}
		if c == '#' && l.pos+2 < len(l.b) {
			if v, ok := unhex2(l.b[l.pos+1], l.b[l.pos+2]); ok {
				b = append(b, v)
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return string(b)
}

func unhexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex2(a, b byte) (byte, bool) {
	x, ok1 := unhexDigit(a)
	y, ok2 := unhexDigit(b)
	return x<<4 | y, ok1 && ok2
}

func (l *lexer) hexString() string {
	l.pos++ // '<'
	var out []byte
	var hi byte
	half := false
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v, ok := unhexDigit(c)
		if !ok {
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}

func (l *lexer) literalString() string {
	l.pos++ // '('
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(out)
			}
		case '\\':
			if l.pos >= len(l.b) {
				return string(out)
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return string(out)
}

// parser reads objects from a lexer, with the look-ahead an indirect
// reference needs ("12 0 R").
type parser struct {
	lex   lexer
	ahead []token
	depth int
}

func newParser(b []byte, pos int) *parser { return &parser{lex: lexer{b: b, pos: pos}} }

func (p *parser) tok() token {
	if n := len(p.ahead); n > 0 {
		t := p.ahead[n-1]
		p.ahead = p.ahead[:n-1]
		return t
	}
	return p.lex.next()
}

func (p *parser) unread(t token) { p.ahead = append(p.ahead, t) }

// maxNesting bounds arrays and dictionaries inside one another.
const maxNesting = 64

// object reads one object; a keyword is returned as keyword. ok is false at
// the end of input.
func (p *parser) object() (any, bool) {
	t := p.tok()
	return p.objectFrom(t)
}

func (p *parser) objectFrom(t token) (any, bool) {
	switch t.kind {
	case tEOF:
		return nil, false
	case tInt:
		// Look for "gen R".
		t2 := p.tok()
		if t2.kind == tInt {
			t3 := p.tok()
			if t3.kind == tKeyword && t3.s == "R" {
				return Ref{int(t.i), int(t2.i)}, true
			}
			p.unread(t3)
		}
		p.unread(t2)
		return t.i, true
	case tReal:
		return t.f, true
	case tName:
		return Name(t.s), true
	case tString:
		return String(t.s), true
	case tKeyword:
		switch t.s {
		case "true":
			return true, true
		case "false":
			return false, true
		case "null":
			return nil, true
		}
		return keyword(t.s), true
	case tArrayOpen:
		if p.depth >= maxNesting {
			return nil, false
		}
		p.depth++
		defer func() { p.depth-- }()
		var a Array
		for {
			t := p.tok()
			if t.kind == tArrayClose {
				return a, true
			}
			if t.kind == tEOF || t.kind == tDictClose {
				return a, t.kind != tEOF
			}
			v, ok := p.objectFrom(t)
			if !ok {
				return a, false
			}
			if k, isKw := v.(keyword); isKw && (k == "endobj" || k == "stream" || k == "obj") {
				p.unread(t)
				return a, true
			}
			a = append(a, v)
		}
	case tDictOpen:
		if p.depth >= maxNesting {
			return nil, false
		}
		p.depth++
		defer func() { p.depth-- }()
		d := Dict{}
		for {
			t := p.tok()
			switch t.kind {
			case tDictClose:
				return d, true
			case tEOF:
				return d, false
			case tName:
				v, ok := p.object()
				if !ok {
					return d, false
				}
				if k, isKw := v.(keyword); isKw {
					if k == "endobj" || k == "stream" || k == "obj" {
						p.unread(token{kind: tKeyword, s: string(k)})
						return d, true
					}
					continue
				}
				d[Name(t.s)] = v
			case tArrayClose:
				return d, true
			default:
				// A value without a key: skip it.
				if _, ok := p.objectFrom(t); !ok {
					return d, false
				}
			}
		}
	}
	return keyword(""), true
}

// bytesAfterStreamKeyword returns the position where stream data starts after
// the "stream" keyword at lexer position pos (CRLF or LF, §7.3.8.1).
func streamDataStart(b []byte, pos int) int {
	if pos < len(b) && b[pos] == '\r' {
		pos++
	}
	if pos < len(b) && b[pos] == '\n' {
		pos++
	}
	return pos
}

var endstreamKW = []byte("endstream")

// findEndstream returns where the data of a stream ends when its /Length is
// missing or wrong.
func findEndstream(b []byte, from int) int {
	i := bytes.Index(b[from:], endstreamKW)
	if i < 0 {
		return len(b)
	}
	end := from + i
	if end > from && b[end-1] == '\n' {
		end--
	}
	if end > from && b[end-1] == '\r' {
		end--
	}
	return end
}
