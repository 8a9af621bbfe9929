package annual

import (
	"bytes"
	"errors"
	"path"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Errors Read returns for files it cannot read as a report. Each is one
// Chinese sentence a user can act on.
var (
	ErrEmpty     = errors.New("文件为空，没有可读的内容")
	ErrBinary    = errors.New("文件不是文本、HTML、DOCX 或 PDF，无法读取（可能是图片、压缩包或其他二进制文件）")
	ErrDOC       = errors.New("这是旧版 Word（.doc）文件，请另存为 DOCX 后再读取")
	ErrEncoding  = errors.New("文件既不是 UTF-8 也不是 GBK（GB18030）编码的文本，无法识别其中的文字")
	ErrZip       = errors.New("DOCX 文件已损坏，无法解压")
	ErrNoDocXML  = errors.New("不是 Word 文档（DOCX）：压缩包中没有 word/document.xml")
	ErrTooLarge  = errors.New("DOCX 文件的正文解压后过大，疑为异常文件，不予读取")
	ErrDocXML    = errors.New("DOCX 文件的正文（word/document.xml）已损坏，无法解析")
	ErrNotReport = errors.New("不是政府信息公开工作年度报告：未找到表三（收到和处理政府信息公开申请情况）")
	ErrNoRows    = errors.New("表三（收到和处理政府信息公开申请情况）中没有读出任何数据行，表格可能是图片或已损坏")
)

// line is one line of a report as the reader sees it: a paragraph, a line of
// extracted text, or a table row. Cells are the tab-separated parts of a text
// line or the cells of a table row.
type line struct {
	cells []string
}

// text returns the line as printed, cells joined by tabs.
func (l line) text() string { return strings.Join(l.cells, "\t") }

// Read reads a published annual report and returns it with every cell of
// tables 二, 三 and 四 as printed (blank cells null), its unit, year, template
// and narrative. It does not check it: call Check.
//
// The form is detected from the content (and name, for the extension): plain
// text extracted from a PDF (tables flattened to tab- or space-separated
// lines), an HTML page with <table> markup, or a DOCX document. The tables
// are those of 国办公开办函〔2021〕30号, or of the 2019 trial format.
//
// An error means the file is not a readable report; its message is one
// Chinese sentence.
func Read(data []byte, name string) (*Report, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	var (
		lines []line
		title string
		form  string
	)
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		form = "docx"
		var err error
		if lines, err = docxLines(data); err != nil {
			return nil, err
		}
	case ext == ".docx":
		return nil, ErrZip
	case isPDF(data):
		form = "pdf"
		var err error
		if lines, err = pdfLines(data); err != nil {
			return nil, err
		}
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return nil, ErrDOC
	default:
		s, err := decodeText(data)
		if err != nil {
			return nil, err
		}
		if ext == ".html" || ext == ".htm" || looksHTML(s) {
			form = "html"
			lines, title = htmlLines(s)
		} else {
			form = "text"
			lines = textLines(s)
		}
	}
	r, err := parse(lines, title)
	if err != nil {
		return nil, err
	}
	r.Printed.Form = form
	return r, nil
}

// decodeText returns the text of a UTF-8 (or UTF-16 with a byte order mark,
// or GBK/GB18030) file, refusing binary content.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		data = decodeUTF16(data)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", ErrBinary
	}
	if !utf8.Valid(data) {
		var err error
		if data, err = decodeGB18030(data); err != nil {
			return "", err
		}
	}
	control := 0
	for _, b := range data {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v' {
			control++
		}
	}
	if control > 0 && control*100 > len(data) {
		return "", ErrBinary
	}
	return string(data), nil
}

// decodeGB18030 decodes text that is not UTF-8 as GB18030, the superset of
// GBK and GB2312 in which older systems export Chinese text. Text with
// bytes that are no GB18030 either (more than one in a thousand replaced) is
// refused.
func decodeGB18030(data []byte) ([]byte, error) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return nil, ErrEncoding
	}
	if bad := bytes.Count(out, []byte("\uFFFD")); bad > 0 && bad*1000 > utf8.RuneCount(out) {
		return nil, ErrEncoding
	}
	return out, nil
}

func decodeUTF16(data []byte) []byte {
	big := data[0] == 0xFE
	data = data[2:]
	u := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		if big {
			u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// isPDF reports whether data is a PDF: its header within the first kilobyte,
// where readers look for it (§7.5.2 allows bytes before it).
func isPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// looksHTML reports whether text is HTML markup rather than extracted text.
func looksHTML(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n\uFEFF")
	if !strings.HasPrefix(t, "<") {
		return false
	}
	head := strings.ToLower(t[:min(len(t), 4096)])
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<table", "<p", "<div", "<meta", "<!--"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}

// textLines splits extracted text into lines and each line into its
// tab-separated cells.
func textLines(s string) []line {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")
	lines := make([]line, 0, len(raw))
	for _, r := range raw {
		parts := strings.Split(r, "\t")
		for i := range parts {
			parts[i] = trimSpace(parts[i])
		}
		lines = append(lines, line{cells: parts})
	}
	return lines
}
