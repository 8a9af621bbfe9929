package annual

import "testing"

// BenchmarkReadSeed reads and checks the seed report.
func BenchmarkReadSeed(b *testing.B) {
	data := readFile(b, "fuzhou_customs_2024.txt")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Read(data, "seed.txt")
		if err != nil {
			b.Fatal(err)
		}
		r.Findings = Check(r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkReadSeedHTML and BenchmarkReadSeedDOCX read the other forms.
func BenchmarkReadSeedHTML(b *testing.B) {
	data := readFile(b, "fuzhou_customs_2024.html")
	for b.Loop() {
		if _, err := Read(data, "seed.html"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadSeedDOCX(b *testing.B) {
	data := seedDOCX(b)
	for b.Loop() {
		if _, err := Read(data, "seed.docx"); err != nil {
			b.Fatal(err)
		}
	}
}
