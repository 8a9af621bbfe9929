package publish

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/errs"
)

// Attachment is a file attached to an item (附件). Its bytes are kept once
// per content hash (SHA-256), in the database, so that every instance can
// serve it.
type Attachment struct {
	ID     int64
	ItemID int64
	Name   string // as uploaded, without any path
	Type   string // media type, as sniffed and checked
	Size   int64
	SHA256 string
	// Text is what could be read of it for search (txt, html, docx, xlsx);
	// empty for other types.
	Text string
}

// Upload is a file attached when a version is saved. Type is the checked
// media type (CheckAttachment); Text what could be read of it (ExtractText).
type Upload struct {
	Name string
	Type string
	Data []byte
	Text string
}

// ImportItem is an item with its whole history, for loading records kept
// before the system (or the demo world). The first event must be a create;
// Uploads are attached to version 1.
type ImportItem struct {
	Events  []Event
	Uploads []Upload
}

// MaxAttachmentSize bounds one attachment (20 MiB).
const MaxAttachmentSize = 20 << 20

// maxUnzip bounds what text extraction inflates from one office file.
const maxUnzip = 32 << 20

// fileTypes lists the extensions accepted, with the media types that
// sniffing (net/http's DetectContentType, run by the web layer) may report
// for each. Legacy office formats sniff as application/octet-stream; the
// zip-based formats (docx, xlsx, pptx, ofd) as application/zip.
var fileTypes = map[string]struct {
	sniffed []string
	serve   string
}{
	".pdf":  {[]string{"application/pdf"}, "application/pdf"},
	".ofd":  {[]string{"application/zip"}, "application/ofd"},
	".doc":  {[]string{"application/octet-stream"}, "application/msword"},
	".docx": {[]string{"application/zip"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xls":  {[]string{"application/octet-stream"}, "application/vnd.ms-excel"},
	".xlsx": {[]string{"application/zip"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".pptx": {[]string{"application/zip"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	".wps":  {[]string{"application/octet-stream"}, "application/vnd.ms-works"},
	".et":   {[]string{"application/octet-stream"}, "application/octet-stream"},
	".zip":  {[]string{"application/zip"}, "application/zip"},
	".rar":  {[]string{"application/x-rar-compressed"}, "application/vnd.rar"},
	".txt":  {[]string{"text/plain; charset=utf-8", "text/plain; charset=utf-16le", "text/plain; charset=utf-16be", "application/octet-stream"}, "text/plain; charset=utf-8"},
	".csv":  {[]string{"text/plain; charset=utf-8", "application/octet-stream"}, "text/csv; charset=utf-8"},
	".html": {[]string{"text/html; charset=utf-8"}, "text/html; charset=utf-8"},
	".htm":  {[]string{"text/html; charset=utf-8"}, "text/html; charset=utf-8"},
	".jpg":  {[]string{"image/jpeg"}, "image/jpeg"},
	".jpeg": {[]string{"image/jpeg"}, "image/jpeg"},
	".png":  {[]string{"image/png"}, "image/png"},
	".gif":  {[]string{"image/gif"}, "image/gif"},
}

// AcceptedExtensions lists the accepted extensions, for the upload form.
const AcceptedExtensions = ".pdf,.ofd,.doc,.docx,.xls,.xlsx,.pptx,.wps,.et,.zip,.rar,.txt,.csv,.html,.htm,.jpg,.jpeg,.png,.gif"

// CleanName keeps the base name of an uploaded file, without directories or
// control characters, at most 120 characters.
func CleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		name = ""
	}
	if rs := []rune(name); len(rs) > 120 {
		ext := path.Ext(name)
		name = string(rs[:120-len([]rune(ext))]) + ext
	}
	return strings.TrimSpace(name)
}

// CheckAttachment checks an upload: its size, that its extension is one
// accepted, and that the sniffed content agrees with the extension (a
// program renamed to .pdf is refused). It returns the type to serve it as.
func CheckAttachment(name, sniffed string, size int64) (string, error) {
	if name == "" {
		return "", errs.FieldError("file", "附件缺少文件名")
	}
	if size == 0 {
		return "", errs.FieldError("file", "附件“%s”是空文件", name)
	}
	if size > MaxAttachmentSize {
		return "", errs.FieldError("file", "附件“%s”超过 20 MB", name)
	}
	ext := strings.ToLower(path.Ext(name))
	ft, ok := fileTypes[ext]
	if !ok {
		return "", errs.FieldError("file", "不接受“%s”类型的附件，可上传：%s", ext, strings.ReplaceAll(AcceptedExtensions, ",", " "))
	}
	for _, s := range ft.sniffed {
		if s == sniffed {
			return ft.serve, nil
		}
	}
	return "", errs.FieldError("file", "附件“%s”的内容与扩展名“%s”不符（检测为 %s）", name, ext, sniffed)
}

// ExtractText reads the text of an attachment for search where the format
// allows: plain text (UTF-8, or GB18030/GBK as older files are), HTML, DOCX
// and XLSX. Other formats give "".
func ExtractText(name string, data []byte) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".csv":
		return tidyText(decodeText(data))
	case ".html", ".htm":
		return HTMLText(decodeText(data))
	case ".docx":
		return officeText(data, "word/document.xml", "p")
	case ".xlsx":
		return officeText(data, "xl/sharedStrings.xml", "si")
	}
	return ""
}

func decodeText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
		return string(out)
	}
	return strings.ToValidUTF8(string(data), "")
}

// officeText reads the text runs (<w:t>, <t>) of one part of an Office Open
// XML package, a line per paragraph element named para.
func officeText(data []byte, part, para string) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		if f.Name != part {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		dec := xml.NewDecoder(io.LimitReader(rc, maxUnzip))
		var b strings.Builder
		inText := false
		for {
			tok, err := dec.Token()
			if err != nil {
				return tidyText(b.String())
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "t":
					inText = true
				case "tab":
					b.WriteByte(' ')
				case "br":
					b.WriteByte('\n')
				}
			case xml.EndElement:
				switch t.Name.Local {
				case "t":
					inText = false
				case para:
					b.WriteByte('\n')
				}
			case xml.CharData:
				if inText {
					b.Write(t)
				}
			}
		}
	}
	return ""
}

// MakeDocx builds a minimal Word document whose paragraphs are the given
// lines. The demo uses it for realistic attachments, and tests for
// extraction.
func MakeDocx(lines []string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, l := range lines {
		body.WriteString("<w:p><w:r><w:t xml:space=\"preserve\">")
		xml.EscapeText(&body, []byte(l))
		body.WriteString("</w:t></w:r></w:p>")
	}
	body.WriteString("</w:body></w:document>")
	add("word/document.xml", body.String())
	zw.Close()
	return buf.Bytes()
}
