package export

import "testing"

// Export time per format, on the seed report laid out as a document.
func benchExport(b *testing.B, f func() ([]byte, error)) {
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		out, err := f()
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/export")
}

func BenchmarkExportHTML(b *testing.B) {
	doc := seedDoc(b)
	benchExport(b, func() ([]byte, error) { return HTML(doc, HTMLOptions{Standalone: true}) })
}

func BenchmarkExportDOCX(b *testing.B) {
	doc := seedDoc(b)
	benchExport(b, func() ([]byte, error) { return DOCX(doc, DOCXOptions{}) })
}

func BenchmarkExportPDF(b *testing.B) {
	needFont(b)
	doc := seedDoc(b)
	benchExport(b, func() ([]byte, error) { return PDF(doc, PDFOptions{}) })
}

func BenchmarkExportXLSX(b *testing.B) {
	doc := seedDoc(b)
	benchExport(b, func() ([]byte, error) { return XLSX(doc) })
}

func BenchmarkExportJSON(b *testing.B) {
	doc := seedDoc(b)
	benchExport(b, func() ([]byte, error) { return JSON(doc) })
}
