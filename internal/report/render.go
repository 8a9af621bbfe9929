package report

import (
	"context"
	"encoding/json"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// ValidFormat reports whether f is an export format.
func ValidFormat(f string) bool {
	for _, x := range Formats {
		if x == f {
			return true
		}
	}
	return false
}

// Binary reports whether an export is not text.
func Binary(f string) bool { return f == "docx" || f == "pdf" || f == "xlsx" }

// ContentType is an export's media type.
func ContentType(f string) string {
	switch f {
	case "html":
		return "text/html; charset=utf-8"
	case "pdf":
		return "application/pdf"
	case "docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "json":
		return "application/json; charset=utf-8"
	}
	return "application/octet-stream"
}

// RenderOptions are the platform settings the exports use.
type RenderOptions struct {
	// PDFFont is the TrueType face the PDF embeds (setting annual.pdf_font).
	PDFFont string
}

// Settings reads platform settings.
type Settings interface {
	Setting(ctx context.Context, key, def string) (string, error)
}

// DefaultPDFFont is Debian's fonts-arphic-gbsn00lp, a TrueType 宋体-class face.
const DefaultPDFFont = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"

// RenderOptionsOf reads the export settings.
func RenderOptionsOf(ctx context.Context, s Settings) (RenderOptions, error) {
	font, err := s.Setting(ctx, "annual.pdf_font", DefaultPDFFont)
	return RenderOptions{PDFFont: font}, err
}

// Render writes a document in one format.
func Render(d *annual.Document, format string, opts RenderOptions) ([]byte, error) {
	switch format {
	case "json":
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return nil, errs.Wrap(errs.Internal, err, "生成 JSON 失败")
		}
		return append(b, '\n'), nil
	}
	return nil, errs.E(errs.Invalid, "不支持的格式“%s”", format)
}
