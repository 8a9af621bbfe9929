package pdftext

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"io"
)

// errLimit is returned by a decoder whose output passes the room it was
// given.
var errLimit = errors.New("pdftext: decoded stream too large")

// errImage marks a stream in an image encoding, which the text layer does
// not decode.
var errImage = errors.New("pdftext: image data")

// decodeStream applies the filters of a stream in order (§7.4), giving at
// most room bytes.
func decodeStream(d *Doc, s *Stream, room int) ([]byte, error) {
	filters, parms := filterList(d, s.Dict)
	data := s.Raw
	for i, f := range filters {
		var p Dict
		if i < len(parms) {
			p = parms[i]
		}
		var err error
		switch f {
		case "FlateDecode", "Fl":
			data, err = inflate(data, room)
			if err == nil {
				data, err = predict(data, p, room)
			}
		case "LZWDecode", "LZW":
			early := 1
			if v, ok := p["EarlyChange"].(int64); ok {
				early = int(v)
			}
			data, err = lzwDecode(data, early != 0, room)
			if err == nil {
				data, err = predict(data, p, room)
			}
		case "ASCIIHexDecode", "AHx":
			data = asciiHex(data)
		case "ASCII85Decode", "A85":
			data, err = ascii85Decode(data, room)
		case "RunLengthDecode", "RL":
			data, err = runLength(data, room)
		case "DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "CCF", "JBIG2Decode":
			return nil, errImage
		case "Crypt":
			// Only the Identity crypt filter can be applied without a key.
			if n, _ := p["Name"].(Name); n != "" && n != "Identity" {
				return nil, ErrEncrypted
			}
		default:
			return nil, errors.New("pdftext: unknown filter " + f)
		}
		if err != nil {
			return nil, err
		}
		if len(data) > room {
			return nil, errLimit
		}
	}
	return data, nil
}

func filterList(d *Doc, dict Dict) ([]string, []Dict) {
	var names []string
	var parms []Dict
	switch f := d.resolve(dict["Filter"]).(type) {
	case Name:
		names = []string{string(f)}
	case Array:
		for _, v := range f {
			if n, ok := d.resolve(v).(Name); ok {
				names = append(names, string(n))
			}
		}
	}
	switch p := d.resolve(dict["DecodeParms"]).(type) {
	case Dict:
		parms = []Dict{p}
	case Array:
		for _, v := range p {
			pd, _ := d.resolve(v).(Dict)
			parms = append(parms, pd)
		}
	}
	return names, parms
}

// readLimited reads r to the end, failing past room bytes. A stream cut short
// (a truncated file) gives what was read. It reads in growing chunks and
// joins them once, so that a stream refused at the limit has held no more
// than the limit, and one read holds at most twice its size for a moment.
func readLimited(r io.Reader, room int) ([]byte, error) {
	var (
		chunks [][]byte
		total  int
		err    error
		size   = 4 << 10
	)
	for {
		buf := make([]byte, size)
		size = min(size*2, 1<<20)
		var n int
		n, err = io.ReadFull(r, buf)
		total += n
		if total > room {
			return nil, errLimit
		}
		if n > 0 {
			chunks = append(chunks, buf[:n])
		}
		if err != nil {
			break
		}
	}
	if err != io.EOF && err != io.ErrUnexpectedEOF && total == 0 {
		return nil, err
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

func inflate(data []byte, room int) ([]byte, error) {
	if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
		out, err := readLimited(zr, room)
		if err == nil || errors.Is(err, errLimit) {
			return out, err
		}
	}
	// Some writers omit the zlib header, or write a wrong checksum.
	off := 0
	if len(data) >= 2 && (uint16(data[0])<<8|uint16(data[1]))%31 == 0 {
		off = 2
	}
	return readLimited(flate.NewReader(bytes.NewReader(data[off:])), room)
}

// predict undoes a PNG (Predictor ≥ 10) or TIFF (2) predictor (§7.4.4.4).
func predict(data []byte, p Dict, room int) ([]byte, error) {
	pred, _ := p["Predictor"].(int64)
	if pred <= 1 {
		return data, nil
	}
	colors, bpc, columns := int64(1), int64(8), int64(1)
	if v, ok := p["Colors"].(int64); ok && v > 0 && v <= 32 {
		colors = v
	}
	if v, ok := p["BitsPerComponent"].(int64); ok && v > 0 && v <= 16 {
		bpc = v
	}
	if v, ok := p["Columns"].(int64); ok && v > 0 && v <= 1<<20 {
		columns = v
	}
	bpp := int((colors*bpc + 7) / 8)
	rowLen := int((colors*bpc*columns + 7) / 8)
	if pred == 2 {
		if bpc != 8 {
			return data, nil
		}
		for r := 0; r+rowLen <= len(data); r += rowLen {
			for i := bpp; i < rowLen; i++ {
				data[r+i] += data[r+i-bpp]
			}
		}
		return data, nil
	}
	out := make([]byte, 0, min(len(data), room))
	prev := make([]byte, rowLen)
	cur := make([]byte, rowLen)
	for r := 0; r < len(data); r += rowLen + 1 {
		typ := data[r]
		end := min(len(data), r+1+rowLen)
		n := copy(cur, data[r+1:end])
		for i := n; i < rowLen; i++ {
			cur[i] = 0
		}
		for i := range rowLen {
			var a, b, c byte
			if i >= bpp {
				a, c = cur[i-bpp], prev[i-bpp]
			}
			b = prev[i]
			switch typ {
			case 1:
				cur[i] += a
			case 2:
				cur[i] += b
			case 3:
				cur[i] += byte((int(a) + int(b)) / 2)
			case 4:
				cur[i] += paeth(a, b, c)
			}
		}
		if len(out)+rowLen > room {
			return nil, errLimit
		}
		out = append(out, cur[:n]...)
		prev, cur = cur, prev
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func asciiHex(data []byte) []byte {
	out := make([]byte, 0, len(data)/2)
	var hi byte
	half := false
	for _, c := range data {
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
	return out
}

func ascii85Decode(data []byte, room int) ([]byte, error) {
	data = bytes.TrimPrefix(bytes.TrimSpace(data), []byte("<~"))
	if i := bytes.Index(data, []byte("~>")); i >= 0 {
		data = data[:i]
	}
	return readLimited(ascii85.NewDecoder(bytes.NewReader(data)), room)
}

func runLength(data []byte, room int) ([]byte, error) {
	var out []byte
	for i := 0; i < len(data); {
		n := int(data[i])
		i++
		switch {
		case n == 128:
			return out, nil
		case n < 128:
			end := min(len(data), i+n+1)
			out = append(out, data[i:end]...)
			i = end
		default:
			if i >= len(data) {
				return out, nil
			}
			out = append(out, bytes.Repeat(data[i:i+1], 257-n)...)
			i++
		}
		if len(out) > room {
			return nil, errLimit
		}
	}
	return out, nil
}

// lzwDecode decodes LZW data as PDF writes it (§7.4.4): codes of 9 to 12
// bits, most significant bit first, 256 clears the table, 257 ends the data;
// with early change the code width grows one code early.
func lzwDecode(data []byte, early bool, room int) ([]byte, error) {
	var (
		out   []byte
		table = make([][]byte, 258, 4096)
		width = 9
		bits  uint32
		nbits int
		prev  []byte
		extra = 0
	)
	if early {
		extra = 1
	}
	reset := func() {
		table = table[:258]
		width = 9
		prev = nil
	}
	for i := range 256 {
		table[i] = []byte{byte(i)}
	}
	for _, b := range data {
		bits = bits<<8 | uint32(b)
		nbits += 8
		for nbits >= width {
			code := int(bits>>(nbits-width)) & (1<<width - 1)
			nbits -= width
			switch {
			case code == 256:
				reset()
				continue
			case code == 257:
				return out, nil
			}
			var entry []byte
			switch {
			case code < len(table):
				entry = table[code]
			case code == len(table) && prev != nil:
				entry = append(append([]byte(nil), prev...), prev[0])
			default:
				return out, nil // a corrupt code: keep what was decoded
			}
			out = append(out, entry...)
			if len(out) > room {
				return nil, errLimit
			}
			if prev != nil && len(table) < 4096 {
				e := make([]byte, len(prev)+1)
				copy(e, prev)
				e[len(prev)] = entry[0]
				table = append(table, e)
			}
			prev = entry
			if len(table)+extra >= 1<<width && width < 12 {
				width++
			}
		}
	}
	return out, nil
}
