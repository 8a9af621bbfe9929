package pdftext

import (
	"bytes"
	"math"
)

// Glyph is one character shown on a page, in the page's reading
// orientation (the page's /Rotate applied): X and Y are the start of its
// baseline in points from the bottom left, W its advance, Size the height of
// its em square.
type Glyph struct {
	X, Y, W, Size float64
	Font          string
	Text          string
}

// Rule is a drawn straight line, horizontal or vertical, in the same space
// as the glyphs: a table's ruling. X0 ≤ X1 and Y0 ≤ Y1; a horizontal rule has
// Y0 = Y1, a vertical one X0 = X1.
type Rule struct{ X0, Y0, X1, Y1 float64 }

// Horizontal reports whether the rule runs left to right.
func (r Rule) Horizontal() bool { return r.Y1-r.Y0 < r.X1-r.X0 }

// Page is what the text layer reads of one page.
type Page struct {
	Width, Height float64
	Glyphs        []Glyph
	Rules         []Rule
	// ImageArea is the share of the page that images cover (0 to 1 and
	// more where they overlap): a scanned page is one image.
	ImageArea float64
}

// matrix is an affine transform [a b c d e f] (§8.3.3).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

type gstate struct {
	ctm       matrix
	font      *font
	size      float64
	charSpace float64
	wordSpace float64
	scale     float64
	leading   float64
	rise      float64
}

// interp runs the content of one page.
type interp struct {
	d     *Doc
	page  *Page
	view  matrix // default user space to the page's reading orientation
	gs    gstate
	stack []gstate
	tm    matrix
	tlm   matrix
	path  []pathPart
	sub   int // counts subpaths
	cur   [2]float64
	start [2]float64
	depth int
	area  float64 // page area, for ImageArea
}

type pathPart struct {
	rect           bool
	sub            int     // the subpath it belongs to
	x0, y0, x1, y1 float64 // a segment, in device space
	corners        [4][2]float64
}

// pageList walks the page tree (§7.7.3) and returns each page with what it
// inherits: resources, boxes, rotation.
func (d *Doc) pageList() (pages []Dict, err error) {
	defer d.catch(&err)
	type inherited struct {
		res, box, rot any
	}
	seen := map[Ref]bool{}
	var walk func(node any, inh inherited, depth int)
	walk = func(node any, inh inherited, depth int) {
		if depth > 64 {
			return
		}
		if r, isRef := node.(Ref); isRef {
			if seen[r] {
				return
			}
			seen[r] = true
		}
		n, _ := d.resolve(node).(Dict)
		if n == nil {
			return
		}
		if v, ok := n["Resources"]; ok {
			inh.res = v
		}
		if v, ok := n["CropBox"]; ok {
			inh.box = v
		} else if v, ok := n["MediaBox"]; ok && inh.box == nil {
			inh.box = v
		}
		if v, ok := n["Rotate"]; ok {
			inh.rot = v
		}
		kids, isNode := d.resolve(n["Kids"]).(Array)
		if !isNode || nameOf(n["Type"]) == "Page" {
			if len(pages) >= d.lim.Pages {
				d.fail(ErrTooLarge)
			}
			p := Dict{"Contents": n["Contents"], "Resources": inh.res, "Box": inh.box, "Rotate": inh.rot}
			if mb, ok := n["MediaBox"]; ok {
				p["MediaBox"] = mb
			}
			pages = append(pages, p)
			return
		}
		for _, k := range kids {
			walk(k, inh, depth+1)
		}
	}
	walk(d.catalog()["Pages"], inherited{}, 0)
	if len(pages) == 0 {
		return nil, ErrNoPages
	}
	return pages, nil
}

func (d *Doc) catch(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(abort)
		if !ok {
			panic(r)
		}
		*err = e.err
	}
}

// Pages reads every page's glyphs, rules and images, within the limits.
func (d *Doc) Pages() (out []*Page, err error) {
	list, err := d.pageList()
	if err != nil {
		return nil, err
	}
	defer d.catch(&err)
	for _, p := range list {
		out = append(out, d.readPage(p))
	}
	return out, nil
}

func (d *Doc) box(v any) [4]float64 {
	b := [4]float64{0, 0, 595, 842}
	if a, ok := d.resolve(v).(Array); ok && len(a) == 4 {
		for i := range 4 {
			b[i], _ = number(d.resolve(a[i]))
		}
		if b[0] > b[2] {
			b[0], b[2] = b[2], b[0]
		}
		if b[1] > b[3] {
			b[1], b[3] = b[3], b[1]
		}
	}
	return b
}

func (d *Doc) readPage(p Dict) *Page {
	box := d.box(p["Box"])
	if p["Box"] == nil {
		box = d.box(p["MediaBox"])
	}
	w, h := box[2]-box[0], box[3]-box[1]
	rot, _ := d.resolve(p["Rotate"]).(int64)
	rot = ((rot % 360) + 360) % 360
	view := matrix{1, 0, 0, 1, -box[0], -box[1]}
	page := &Page{Width: w, Height: h}
	switch rot {
	case 90:
		view = view.mul(matrix{0, -1, 1, 0, 0, w})
		page.Width, page.Height = h, w
	case 180:
		view = view.mul(matrix{-1, 0, 0, -1, w, h})
	case 270:
		view = view.mul(matrix{0, 1, -1, 0, h, 0})
		page.Width, page.Height = h, w
	}
	in := &interp{d: d, page: page, view: view, area: math.Max(w*h, 1)}
	in.gs = gstate{ctm: view, scale: 1, size: 0}
	var content []byte
	switch c := d.resolve(p["Contents"]).(type) {
	case *Stream:
		content, _ = d.decode(c)
	case Array:
		var parts [][]byte
		for _, v := range c {
			if s, ok := d.resolve(v).(*Stream); ok {
				if b, err := d.decode(s); err == nil {
					parts = append(parts, b)
				}
			}
		}
		content = bytes.Join(parts, []byte("\n"))
	}
	res, _ := d.resolve(p["Resources"]).(Dict)
	in.run(content, res)
	return page
}

// run interprets a content stream with its resources.
func (in *interp) run(content []byte, res Dict) {
	d := in.d
	p := newParser(content, 0)
	var ops []any
	for {
		v, ok := p.object()
		if !ok {
			return
		}
		op, isOp := v.(keyword)
		if !isOp {
			if len(ops) < 64 {
				ops = append(ops, v)
			}
			continue
		}
		d.ops++
		if d.ops > d.lim.Operators {
			d.fail(ErrTooLarge)
		}
		if d.ops&4095 == 0 {
			d.checkTime()
		}
		in.op(string(op), ops, res, p)
		ops = ops[:0]
	}
}

func num(ops []any, i int) float64 {
	if i < 0 || i >= len(ops) {
		return 0
	}
	f, _ := number(ops[i])
	return f
}

func (in *interp) op(op string, ops []any, res Dict, p *parser) {
	gs := &in.gs
	switch op {
	case "q":
		if len(in.stack) < 256 {
			in.stack = append(in.stack, in.gs)
		}
	case "Q":
		if n := len(in.stack); n > 0 {
			in.gs = in.stack[n-1]
			in.stack = in.stack[:n-1]
		}
	case "cm":
		if len(ops) == 6 {
			m := matrix{num(ops, 0), num(ops, 1), num(ops, 2), num(ops, 3), num(ops, 4), num(ops, 5)}
			gs.ctm = m.mul(gs.ctm)
		}
	case "BT":
		in.tm, in.tlm = identity, identity
	case "ET":
	case "Tc":
		gs.charSpace = num(ops, 0)
	case "Tw":
		gs.wordSpace = num(ops, 0)
	case "Tz":
		gs.scale = num(ops, 0) / 100
	case "TL":
		gs.leading = num(ops, 0)
	case "Ts":
		gs.rise = num(ops, 0)
	case "Tf":
		if len(ops) == 2 {
			name, _ := ops[0].(Name)
			fonts, _ := in.d.resolve(res["Font"]).(Dict)
			gs.font = in.d.loadFont(fonts[name])
			gs.size = num(ops, 1)
		}
	case "Td":
		in.tlm = matrix{1, 0, 0, 1, num(ops, 0), num(ops, 1)}.mul(in.tlm)
		in.tm = in.tlm
	case "TD":
		gs.leading = -num(ops, 1)
		in.tlm = matrix{1, 0, 0, 1, num(ops, 0), num(ops, 1)}.mul(in.tlm)
		in.tm = in.tlm
	case "Tm":
		if len(ops) == 6 {
			in.tlm = matrix{num(ops, 0), num(ops, 1), num(ops, 2), num(ops, 3), num(ops, 4), num(ops, 5)}
			in.tm = in.tlm
		}
	case "T*":
		in.nextLine()
	case "Tj":
		if len(ops) > 0 {
			in.show(ops[0])
		}
	case "'":
		in.nextLine()
		if len(ops) > 0 {
			in.show(ops[0])
		}
	case "\"":
		if len(ops) == 3 {
			gs.wordSpace, gs.charSpace = num(ops, 0), num(ops, 1)
			in.nextLine()
			in.show(ops[2])
		}
	case "TJ":
		if len(ops) > 0 {
			a, _ := ops[0].(Array)
			for _, e := range a {
				if s, ok := e.(String); ok {
					in.show(s)
				} else if f, ok := number(e); ok {
					tx := -f / 1000 * gs.size * gs.scale
					if gs.font != nil && gs.font.vertical {
						in.tm = matrix{1, 0, 0, 1, 0, -tx}.mul(in.tm)
					} else {
						in.tm = matrix{1, 0, 0, 1, tx, 0}.mul(in.tm)
					}
				}
			}
		}
	case "m":
		x, y := gs.ctm.apply(num(ops, 0), num(ops, 1))
		in.cur, in.start = [2]float64{x, y}, [2]float64{x, y}
		in.sub++
	case "l":
		x, y := gs.ctm.apply(num(ops, 0), num(ops, 1))
		in.segment(in.cur[0], in.cur[1], x, y)
		in.cur = [2]float64{x, y}
	case "c", "v", "y":
		// A curve is no ruling; move the current point to its end.
		n := len(ops)
		if n >= 2 {
			x, y := gs.ctm.apply(num(ops, n-2), num(ops, n-1))
			in.cur = [2]float64{x, y}
		}
	case "h":
		in.segment(in.cur[0], in.cur[1], in.start[0], in.start[1])
		in.cur = in.start
	case "re":
		x, y, w, h := num(ops, 0), num(ops, 1), num(ops, 2), num(ops, 3)
		var c [4][2]float64
		for i, pt := range [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}} {
			c[i][0], c[i][1] = gs.ctm.apply(pt[0], pt[1])
		}
		in.sub++
		if len(in.path) < 1<<16 {
			in.path = append(in.path, pathPart{rect: true, sub: in.sub, corners: c})
		}
		in.cur, in.start = c[0], c[0]
	case "S", "s":
		if op == "s" {
			in.segment(in.cur[0], in.cur[1], in.start[0], in.start[1])
		}
		in.paint(true, false)
	case "f", "F", "f*":
		in.paint(false, true)
	case "B", "B*", "b", "b*":
		in.paint(true, true)
	case "n":
		in.path = in.path[:0]
	case "Do":
		if len(ops) > 0 {
			name, _ := ops[0].(Name)
			xo, _ := in.d.resolve(res["XObject"]).(Dict)
			in.xobject(xo[name], res)
		}
	case "BI":
		in.inlineImage(p)
	}
}

func (in *interp) nextLine() {
	in.tlm = matrix{1, 0, 0, 1, 0, -in.gs.leading}.mul(in.tlm)
	in.tm = in.tlm
}

func (in *interp) segment(x0, y0, x1, y1 float64) {
	if len(in.path) < 1<<16 {
		in.path = append(in.path, pathPart{sub: in.sub, x0: x0, y0: y0, x1: x1, y1: y1})
	}
}

// thinRule is the widest a filled rectangle may be to count as a line.
const thinRule = 3.0

// paint turns the current path into rules: stroked lines and rectangle
// edges, and filled rectangles thin enough to be lines (how many writers draw
// table borders).
func (in *interp) paint(stroke, fill bool) {
	// A filled subpath of lines (a border drawn as a thin polygon) is a
	// line when its box is thin.
	if fill && !stroke {
		type box struct{ x0, y0, x1, y1 float64 }
		boxes := map[int]*box{}
		var order []int
		for _, part := range in.path {
			if part.rect {
				continue
			}
			b := boxes[part.sub]
			if b == nil {
				b = &box{part.x0, part.y0, part.x0, part.y0}
				boxes[part.sub] = b
				order = append(order, part.sub)
			}
			b.x0, b.x1 = math.Min(b.x0, math.Min(part.x0, part.x1)), math.Max(b.x1, math.Max(part.x0, part.x1))
			b.y0, b.y1 = math.Min(b.y0, math.Min(part.y0, part.y1)), math.Max(b.y1, math.Max(part.y0, part.y1))
		}
		for _, k := range order {
			b := boxes[k]
			switch w, h := b.x1-b.x0, b.y1-b.y0; {
			case h <= thinRule && w > h:
				in.rule(b.x0, (b.y0+b.y1)/2, b.x1, (b.y0+b.y1)/2)
			case w <= thinRule && h > w:
				in.rule((b.x0+b.x1)/2, b.y0, (b.x0+b.x1)/2, b.y1)
			}
		}
	}
	for _, part := range in.path {
		if !part.rect {
			if stroke {
				in.rule(part.x0, part.y0, part.x1, part.y1)
			}
			continue
		}
		c := part.corners
		minX, maxX := math.Min(math.Min(c[0][0], c[1][0]), math.Min(c[2][0], c[3][0])), math.Max(math.Max(c[0][0], c[1][0]), math.Max(c[2][0], c[3][0]))
		minY, maxY := math.Min(math.Min(c[0][1], c[1][1]), math.Min(c[2][1], c[3][1])), math.Max(math.Max(c[0][1], c[1][1]), math.Max(c[2][1], c[3][1]))
		w, h := maxX-minX, maxY-minY
		switch {
		case fill && !stroke && h <= thinRule && w > h:
			in.rule(minX, (minY+maxY)/2, maxX, (minY+maxY)/2)
		case fill && !stroke && w <= thinRule && h > w:
			in.rule((minX+maxX)/2, minY, (minX+maxX)/2, maxY)
		case stroke:
			in.rule(minX, minY, maxX, minY)
			in.rule(minX, maxY, maxX, maxY)
			in.rule(minX, minY, minX, maxY)
			in.rule(maxX, minY, maxX, maxY)
		}
	}
	in.path = in.path[:0]
}

func (in *interp) rule(x0, y0, x1, y1 float64) {
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	if in.d.rules++; in.d.rules > in.d.lim.Rules {
		in.d.fail(ErrTooLarge)
	}
	switch {
	case y1-y0 < 0.5 && x1-x0 >= 1:
		y := (y0 + y1) / 2
		in.page.Rules = append(in.page.Rules, Rule{x0, y, x1, y})
	case x1-x0 < 0.5 && y1-y0 >= 1:
		x := (x0 + x1) / 2
		in.page.Rules = append(in.page.Rules, Rule{x, y0, x, y1})
	}
}

func (in *interp) xobject(ref any, res Dict) {
	s, _ := in.d.resolve(ref).(*Stream)
	if s == nil {
		return
	}
	switch nameOf(in.d.resolve(s.Dict["Subtype"])) {
	case "Image":
		in.image()
	case "Form":
		if in.depth >= maxFormDepth {
			return
		}
		data, err := in.d.decode(s)
		if err != nil {
			return
		}
		saved, savedStack := in.gs, len(in.stack)
		if m, ok := in.d.resolve(s.Dict["Matrix"]).(Array); ok && len(m) == 6 {
			var fm matrix
			for i := range 6 {
				fm[i], _ = number(in.d.resolve(m[i]))
			}
			in.gs.ctm = fm.mul(in.gs.ctm)
		}
		fres, _ := in.d.resolve(s.Dict["Resources"]).(Dict)
		if fres == nil {
			fres = res
		}
		in.depth++
		savedTm, savedTlm := in.tm, in.tlm
		in.run(data, fres)
		in.depth--
		in.gs, in.tm, in.tlm = saved, savedTm, savedTlm
		in.stack = in.stack[:min(savedStack, len(in.stack))]
	}
}

// image records the area an image covers: the unit square under the CTM.
func (in *interp) image() {
	m := in.gs.ctm
	// The view transform keeps areas.
	in.page.ImageArea += math.Abs(m[0]*m[3]-m[1]*m[2]) / in.area
}

// inlineImage skips an inline image (BI … ID data EI).
func (in *interp) inlineImage(p *parser) {
	for {
		t := p.tok()
		if t.kind == tEOF {
			return
		}
		if t.kind == tKeyword && t.s == "ID" {
			break
		}
	}
	b := p.lex.b
	pos := p.lex.pos
	if pos < len(b) && isWhite(b[pos]) {
		pos++
	}
	for i := pos; i+1 < len(b); i++ {
		if b[i] == 'E' && b[i+1] == 'I' && (i == pos || isWhite(b[i-1])) && (i+2 == len(b) || isWhite(b[i+2])) {
			p.lex.pos = i + 2
			p.ahead = p.ahead[:0]
			in.image()
			return
		}
	}
	p.lex.pos = len(b)
}

// show shows a string with the current font (§9.4.3), one glyph per
// character code.
func (in *interp) show(v any) {
	s, ok := v.(String)
	if !ok || len(s) == 0 {
		return
	}
	gs := &in.gs
	f := gs.font
	if f == nil {
		f = in.d.loadFont(nil)
		gs.font = f
	}
	for _, ch := range f.decode(string(s)) {
		trm := matrix{gs.size * gs.scale, 0, 0, gs.size, 0, gs.rise}.mul(in.tm).mul(gs.ctm)
		x, y := trm.apply(0, 0)
		var tx, ty float64
		if f.vertical {
			// Vertical writing advances one em down (the default /W2).
			ty = -gs.size - gs.charSpace
		} else {
			tx = ch.width * gs.size
			tx += gs.charSpace
			if ch.n == 1 && ch.code == 32 {
				tx += gs.wordSpace
			}
			tx *= gs.scale
		}
		adv := matrix{1, 0, 0, 1, tx, ty}.mul(in.tm).mul(gs.ctm)
		ex, ey := adv.apply(0, 0)
		size := math.Hypot(trm[2], trm[3])
		text := cleanText(ch.text)
		if text != "" {
			in.d.glyphs++
			if in.d.glyphs > in.d.lim.Glyphs {
				in.d.fail(ErrTooLarge)
			}
			in.page.Glyphs = append(in.page.Glyphs, Glyph{X: x, Y: y, W: math.Hypot(ex-x, ey-y), Size: size, Font: f.name, Text: text})
		}
		in.tm = matrix{1, 0, 0, 1, tx, ty}.mul(in.tm)
	}
}
