package annual

import (
	"encoding/json"
	"math"
	"testing"
)

// FuzzReadDOCX: no DOCX (a ZIP archive of XML) may make Read or Check
// panic or escape the reader's limits.
func FuzzReadDOCX(f *testing.F) {
	f.Add(seedDOCX(f))
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Read(data, "report.docx")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		r.Findings = Check(r)
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}

// FuzzTemplate: no template text may make the annual-report template
// parser, its check or its rendering panic; a text that parses and is
// valid renders, and huge or negative values format without a panic.
func FuzzTemplate(f *testing.F) {
	f.Add("收到{依申请.新收}件，访问量{网站.访问量:增长}，{网站.访问量:约数}，上年{网站.访问量:上年}。", int64(12), int64(10))
	f.Add("{依申请.内容涉及}{热线.接通率}{", int64(0), int64(0))
	f.Add("}{：}{网站.访问量：增长}{ }", int64(math.MaxInt64), int64(math.MinInt64))
	f.Add("{网站.访问量:约数}", int64(-1), int64(0))
	f.Fuzz(func(t *testing.T, text string, v, prev int64) {
		pieces, err := ParsePlaceholders(text)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		_ = pieces
		tpl := TextTemplate{Parts: []TemplatePart{{Key: PartRequests, Heading: "（二）", Body: text}}}
		if ValidateTemplate(tpl, testDefs) != nil {
			return
		}
		_ = LiteralNumbers(tpl)
		figures := map[string]Figure{
			"依申请.新收":   {Key: "依申请.新收", Kind: FigureCount, Text: "12", Value: &v},
			"网站.访问量":   {Key: "网站.访问量", Kind: FigureCount, Text: "x", Value: &v, Previous: &prev},
			"依申请.内容涉及": {Key: "依申请.内容涉及", Kind: FigureText, Text: "统计数据"},
			"热线.接通率":   {Key: "热线.接通率", Kind: FigureRate, Text: "99.3%", Value: &v},
		}
		RenderParagraph(text, figures, 100)
		Fill(text, figures, 100)
	})
}
