package pdftext

import "encoding/binary"

// A CID font without a ToUnicode map (some converters write none) can still
// be read when its embedded TrueType program (FontFile2) keeps its 'cmap'
// table: the table maps characters to glyphs, and reversed it gives each
// glyph its character. The CID is the glyph through /CIDToGIDMap (Identity
// unless a stream says otherwise).

// maxGlyphMap bounds the glyphs a reversed cmap may name.
const maxGlyphMap = 1 << 16

// glyphRunes reads the 'cmap' table of a TrueType font program and returns
// each glyph's character; nil when the program has no usable table.
func glyphRunes(font []byte) map[uint16]rune {
	be := binary.BigEndian
	if len(font) < 12 {
		return nil
	}
	n := int(be.Uint16(font[4:]))
	var cmap []byte
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil
		}
		if string(font[rec:rec+4]) == "cmap" {
			off, l := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
			if off < 0 || l < 0 || off > len(font) || l > len(font)-off {
				return nil
			}
			cmap = font[off : off+l]
		}
	}
	if len(cmap) < 4 {
		return nil
	}
	// Prefer a Unicode subtable: (3,10) full repertoire, (3,1) BMP, (0,*).
	best, bestRank := -1, 0
	for i := 0; i < int(be.Uint16(cmap[2:])); i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		pid, eid, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		rank := 0
		switch {
		case pid == 3 && eid == 10:
			rank = 3
		case pid == 3 && eid == 1:
			rank = 2
		case pid == 0:
			rank = 1
		}
		if rank > bestRank && off < len(cmap) {
			best, bestRank = off, rank
		}
	}
	if best < 0 {
		return nil
	}
	t := cmap[best:]
	out := map[uint16]rune{}
	put := func(gid uint16, r rune) {
		if gid == 0 || len(out) >= maxGlyphMap {
			return
		}
		if old, ok := out[gid]; !ok || (old >= 0x2E80 && old <= 0x2FDF) {
			out[gid] = r // the first character wins, but an ideograph over a radical
		}
	}
	if len(t) < 2 {
		return nil
	}
	switch be.Uint16(t) {
	case 4:
		if len(t) < 14 {
			return nil
		}
		segs := int(be.Uint16(t[6:])) / 2
		if 16+8*segs > len(t) {
			return nil
		}
		ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
		for s := 0; s < segs; s++ {
			end, start := int(be.Uint16(t[ends+2*s:])), int(be.Uint16(t[starts+2*s:]))
			delta, ro := be.Uint16(t[deltas+2*s:]), int(be.Uint16(t[ranges+2*s:]))
			if start > end || end-start > maxGlyphMap {
				continue
			}
			for c := start; c <= end && c != 0xFFFF; c++ {
				var gid uint16
				if ro == 0 {
					gid = uint16(c) + delta
				} else {
					at := ranges + 2*s + ro + 2*(c-start)
					if at+2 > len(t) {
						break
					}
					if gid = be.Uint16(t[at:]); gid != 0 {
						gid += delta
					}
				}
				put(gid, rune(c))
			}
		}
	case 12:
		if len(t) < 16 {
			return nil
		}
		groups := int(be.Uint32(t[12:]))
		for g := 0; g < groups && 16+12*g+12 <= len(t); g++ {
			rec := t[16+12*g:]
			start, end, gid := be.Uint32(rec), be.Uint32(rec[4:]), be.Uint32(rec[8:])
			if start > end || end-start > maxGlyphMap || end > 0x10FFFF {
				continue
			}
			for c := start; c <= end; c++ {
				put(uint16(gid+(c-start)), rune(c))
			}
		}
	default:
		return nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// embeddedText sets a composite font's text from its embedded TrueType
// program when it has no ToUnicode map.
func (d *Doc) embeddedText(f *font, cidFont Dict) {
	desc, _ := d.resolve(cidFont["FontDescriptor"]).(Dict)
	ff, _ := d.resolve(desc["FontFile2"]).(*Stream)
	if ff == nil {
		return
	}
	data, err := d.decode(ff)
	if err != nil {
		return
	}
	runes := glyphRunes(data)
	if runes == nil {
		return
	}
	var cidToGID []byte
	if s, ok := d.resolve(cidFont["CIDToGIDMap"]).(*Stream); ok {
		cidToGID, _ = d.decode(s)
	}
	f.glyphText = func(cid uint32) (rune, bool) {
		gid := uint16(cid)
		if cidToGID != nil {
			if int(cid)*2+1 >= len(cidToGID) {
				return 0, false
			}
			gid = binary.BigEndian.Uint16(cidToGID[cid*2:])
		}
		r, ok := runes[gid]
		return r, ok
	}
}
