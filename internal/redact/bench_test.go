package redact

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gongkai/internal/requests"
)

// hundredPages is a 100-page PDF of 30 lines a page, each page with an
// identity number, a mobile number and a name to withhold.
func hundredPages(b *testing.B) []byte {
	pages := make([][]string, 100)
	for p := range pages {
		for l := 0; l < 30; l++ {
			switch l {
			case 5:
				pages[p] = append(pages[p], fmt.Sprintf("申请人王秀英，身份证号3501021988071%05d。", p))
			case 12:
				pages[p] = append(pages[p], fmt.Sprintf("联系电话1390591%04d，地址福州市鼓楼区。", p))
			default:
				pages[p] = append(pages[p], fmt.Sprintf("第%d页第%d行：二〇二四年抽检进口冷链食品一千二百批次，结果均符合标准。", p+1, l+1))
			}
		}
	}
	return sourcePDF(b, pages, nil)
}

// BenchmarkRedact100Pages times the redaction of a 100-page PDF — reading
// it, applying the default rules and a name, writing the released PDF and
// checking it for leaks — beside poppler's pdftotext reading the same file
// (the peer: the cost of only getting the text out). Run with -count to
// interleave them: go test ./internal/redact -run '^$' -bench Redact100 -count 6
func BenchmarkRedact100Pages(b *testing.B) {
	data := hundredPages(b)
	marks := append([]Mark{}, DefaultRules[0].Mark(), DefaultRules[1].Mark(), Mark{Kind: Term, Text: "王秀英", Ground: third})
	b.Run("redact", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			src, err := Extract("a.pdf", data)
			if err != nil {
				b.Fatal(err)
			}
			r, err := Apply(src, marks)
			if err != nil {
				b.Fatal(err)
			}
			out, err := r.PDF(requests.PDFFonts{})
			if err != nil {
				b.Fatal(err)
			}
			if leaks := Verify("a.pdf", out, Needles(r)); len(leaks) > 0 {
				b.Fatal(leaks)
			}
			b.ReportMetric(float64(len(out)), "out-bytes")
		}
	})
	b.Run("extract", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Extract("a.pdf", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return
	}
	f := filepath.Join(b.TempDir(), "in.pdf")
	os.WriteFile(f, data, 0o600)
	b.Run("pdftotext", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := exec.Command(bin, "-enc", "UTF-8", f, os.DevNull).Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
