package rcep

import (
	"testing"

	"gongkai/internal/rcep/rceptest"
	"gongkai/internal/rcep/sample"
)

// FuzzParseFile: no import file, CSV or XLSX (a ZIP archive), may make the
// 享惠智选 importer panic or hang.
func FuzzParseFile(f *testing.F) {
	f.Add(sample.CSV, sample.Name)
	f.Add(rceptest.FromCSV(f, sample.CSV, "Sheet1"), "sample.xlsx")
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), "rates.xlsx")
	f.Add([]byte("\xef\xbb\xbf\"unclosed\n"), "rates.csv")
	f.Fuzz(func(t *testing.T, data []byte, source string) {
		ds, issues, err := ParseFile(data, source)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		_ = Decide(ds, issues, ImportAll)
	})
}
