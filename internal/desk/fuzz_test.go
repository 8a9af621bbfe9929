package desk

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzImportReader: no file may make the CSV importers (热线话单 CDR,
// 热线工单, new media, visits) panic or hang, whatever its encoding: each
// row is a record or a RowError, and the file ends.
func FuzzImportReader(f *testing.F) {
	f.Add(uint8(0), []byte("主叫号码,呼入时间,通话时长,结果\n13800000000,2024-03-01 09:00:00,65,接通\n13900000000,2024-03-01 09:05:00,0,放弃\n"))
	f.Add(uint8(1), []byte("工单号,受理时间,类别,问题,答复,满意度\nGD1,2024-03-01 09:00,通关,问,答,满意\n"))
	f.Add(uint8(0), []byte("\xef\xbb\xbfcaller,start,duration,result\n1,2024-13-45 99:99,-5,\"unclosed\n"))
	f.Add(uint8(0), []byte("\xd6\xf7\xbd\xd0\xba\xc5\xc2\xeb,\xba\xf4\xc8\xeb\xca\xb1\xbc\xe4\n1,2\n")) // GBK header
	f.Add(uint8(4), []byte("日期,访问量\n2024-01-01,99999999999999999999999\n"))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := ImportKinds[int(kind)%len(ImportKinds)]
		enc := DetectEncoding(data)
		header, err := ReadHeader(bytes.NewReader(data), enc)
		if err != nil {
			return
		}
		m := Suggest(k, header)
		m.Encoding = enc
		r, err := NewReader(k, m, bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more rows (%d) than bytes (%d)", i, len(data))
			}
			_, _, err := r.Next()
			if err == io.EOF {
				return
			}
			var re RowError
			if err != nil && !errors.As(err, &re) {
				return
			}
		}
	})
}
