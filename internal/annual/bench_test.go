package annual

import "testing"

// benchRead reads and checks one report b.N times and reports reports/s.
func benchRead(b *testing.B, data []byte, name string) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Read(data, name)
		if err != nil {
			b.Fatal(err)
		}
		r.Findings = Check(r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkReadSeed reads and checks the seed report as extracted text;
// the others read it in the other forms.
func BenchmarkReadSeed(b *testing.B) {
	benchRead(b, readFile(b, "fuzhou_customs_2024.txt"), "seed.txt")
}

func BenchmarkReadSeedHTML(b *testing.B) {
	benchRead(b, readFile(b, "fuzhou_customs_2024.html"), "seed.html")
}

func BenchmarkReadSeedDOCX(b *testing.B) {
	benchRead(b, seedDOCX(b), "seed.docx")
}

// BenchmarkReadSeedPDF reads the seed as Chromium printed it (fonts
// embedded, 600 KB) and as LibreOffice converted it.
func BenchmarkReadSeedPDF(b *testing.B) {
	b.Run("chromium", func(b *testing.B) { benchRead(b, readFile(b, "pdf/fuzhou_customs_2024.chromium.pdf"), "seed.pdf") })
	b.Run("libreoffice", func(b *testing.B) { benchRead(b, readFile(b, "pdf/fuzhou_customs_2024.libreoffice.pdf"), "seed.pdf") })
}

// BenchmarkReadLargestPDF reads the largest test PDF (淮安市 2024, Chromium).
func BenchmarkReadLargestPDF(b *testing.B) {
	benchRead(b, readFile(b, "pdf/huaian_city_2024.chromium.pdf"), "huaian.pdf")
}
