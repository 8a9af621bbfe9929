package report

import (
	"context"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
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
	// Date is written into the documents' properties (a published
	// version's publication time); zero leaves them undated.
	Date time.Time
}

// Settings reads platform settings.
type Settings interface {
	Setting(ctx context.Context, key, def string) (string, error)
}

// DefaultPDFFont is Debian's fonts-arphic-gbsn00lp, a TrueType 宋体-class face.
const DefaultPDFFont = export.DefaultPDFFont

// RenderOptionsOf reads the export settings.
func RenderOptionsOf(ctx context.Context, s Settings) (RenderOptions, error) {
	font, err := s.Setting(ctx, "annual.pdf_font", DefaultPDFFont)
	return RenderOptions{PDFFont: font}, err
}

// Render writes a document in one format (annual/export: one model, every
// format). HTML is the standalone page, for download and archiving.
func Render(d *annual.Document, format string, opts RenderOptions) ([]byte, error) {
	switch format {
	case "json":
		return export.JSON(d)
	case "html":
		return export.HTML(d, export.HTMLOptions{Standalone: true})
	case "docx":
		return export.DOCX(d, export.DOCXOptions{Date: opts.Date})
	case "pdf":
		return export.PDF(d, export.PDFOptions{Font: opts.PDFFont, Date: opts.Date})
	case "xlsx":
		return export.XLSX(d)
	}
	return nil, errs.E(errs.Invalid, "不支持的格式“%s”", format)
}
