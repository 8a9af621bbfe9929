package annual

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// maxDocumentXML bounds the uncompressed size of word/document.xml, so that a
// zip bomb is refused before it is inflated.
const maxDocumentXML = 32 << 20

// docxLines reads word/document.xml of a DOCX document: each paragraph outside
// a table is a line; each row of a table is a line of its cells, a cell
// spanning columns (w:gridSpan) followed by empty cells. Tables nested in a
// cell give their text to that cell.
func docxLines(data []byte) ([]line, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrZip
	}
	var doc *zip.File
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "word/document.xml") {
			doc = f
			break
		}
	}
	if doc == nil {
		return nil, ErrNoDocXML
	}
	if doc.UncompressedSize64 > maxDocumentXML {
		return nil, ErrTooLarge
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, ErrZip
	}
	defer rc.Close()
	// The size in the header may lie: read at most one byte past the limit.
	body, err := io.ReadAll(io.LimitReader(rc, maxDocumentXML+1))
	if err != nil {
		return nil, ErrZip
	}
	if len(body) > maxDocumentXML {
		return nil, ErrTooLarge
	}
	return documentXMLLines(body)
}

// documentXMLLines walks the WordprocessingML body.
func documentXMLLines(body []byte) ([]line, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var (
		lines    []line
		para     strings.Builder
		cellText strings.Builder
		row      []string
		span     = 1
		tblDepth int
		inCell   bool
		inText   bool
		sawBody  bool
	)
	write := func(s string) {
		if tblDepth > 0 && inCell {
			cellText.WriteString(s)
		} else {
			para.WriteString(s)
		}
	}
	flushPara := func() {
		t := para.String()
		para.Reset()
		parts := strings.Split(t, "\t")
		for i := range parts {
			parts[i] = trimSpace(parts[i])
		}
		if len(parts) > 1 || parts[0] != "" {
			lines = append(lines, line{cells: parts})
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ErrDocXML
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "body":
				sawBody = true
			case "tbl":
				if tblDepth == 0 {
					flushPara()
				}
				tblDepth++
			case "tr":
				if tblDepth == 1 {
					row = row[:0]
				}
			case "tc":
				if tblDepth == 1 {
					inCell = true
					cellText.Reset()
					span = 1
				}
			case "gridSpan":
				if tblDepth == 1 && inCell {
					for _, a := range t.Attr {
						if a.Name.Local == "val" {
							if v, err := strconv.Atoi(a.Value); err == nil && v > 1 {
								span = min(v, maxSpan)
							}
						}
					}
				}
			case "t":
				inText = true
			case "tab":
				if tblDepth > 0 && inCell {
					write(" ")
				} else {
					write("\t")
				}
			case "br", "cr":
				if tblDepth == 0 {
					flushPara()
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if tblDepth == 0 {
					flushPara()
				}
			case "tc":
				if tblDepth == 1 && inCell {
					row = append(row, trimSpace(collapse(cellText.String())))
					for i := 1; i < span; i++ {
						row = append(row, "")
					}
					inCell = false
				}
			case "tr":
				if tblDepth == 1 && len(row) > 0 {
					lines = append(lines, line{cells: append([]string(nil), row...)})
					row = row[:0]
				}
			case "tbl":
				if tblDepth > 0 {
					tblDepth--
				}
			}
		case xml.CharData:
			if inText {
				write(string(t))
			}
		}
	}
	if !sawBody {
		return nil, ErrDocXML
	}
	flushPara()
	return lines, nil
}

// DOCXParagraphs returns the text of a DOCX document's body as the reader
// sees it: one string a paragraph, a table row's cells joined by tabs. It
// refuses what Read refuses (ErrZip, ErrNoDocXML, ErrTooLarge, ErrDocXML).
// The redaction of 部分公开 (internal/redact) reads documents with it.
func DOCXParagraphs(data []byte) ([]string, error) {
	lines, err := docxLines(data)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text()
	}
	return out, nil
}
