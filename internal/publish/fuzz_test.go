package publish

import (
	"bytes"
	"testing"
)

// FuzzParseDecisionsCSV: no file may make the 第二十条 decisions importer
// panic; what it accepts validates.
func FuzzParseDecisionsCSV(f *testing.F) {
	f.Add([]byte("类型,文号,对象,事由,结果,决定日期,金额\n行政处罚,福关缉违字〔2024〕1号,某公司,走私,罚款,2024-03-01,1000.00\n"))
	f.Add([]byte("kind,doc_no,party,matter,result,decided_on,amount\nlicense,X1,Y,Z,W,2024-02-30,-1\n"))
	f.Add([]byte("\xef\xbb\xbf类型,文号\n\"unclosed\n"))
	f.Add([]byte("类型,文号,对象,事由,结果,决定日期,金额\n行政处罚,1,2,3,4,2024-01-01,99999999999999999999.99\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := ParseDecisionsCSV(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for i := range ds {
			d := ds[i]
			if err := ValidateDecision(&d); err != nil {
				t.Fatalf("accepted a decision that does not validate: %+v: %v", ds[i], err)
			}
		}
	})
}
