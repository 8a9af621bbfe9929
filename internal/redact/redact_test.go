package redact

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

const third = "withheld_third_party_rights"

// sourcePDF writes a PDF of the given pages, each a list of lines, in the
// letters' Chinese font: a document as an agency would attach it.
func sourcePDF(t testing.TB, pages [][]string, extra func(*fpdf.Fpdf)) []byte {
	t.Helper()
	font, err := os.ReadFile(requests.DefaultFontPath)
	if err != nil {
		t.Skipf("font %s not installed", requests.DefaultFontPath)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.AddUTF8FontFromBytes("song", "", font)
	for _, lines := range pages {
		pdf.AddPage()
		pdf.SetFont("song", "", 12)
		for _, l := range lines {
			pdf.CellFormat(0, 8, l, "", 1, "L", false, 0, "")
		}
		if extra != nil {
			extra(pdf)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sourceDOCX writes a DOCX whose body is paras, with the given extra parts
// (comments, headers, properties) beside it.
func sourceDOCX(t testing.TB, body string, extra map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`,
	}
	for k, v := range extra {
		parts[k] = v
	}
	for name, s := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(s))
	}
	zw.Close()
	return buf.Bytes()
}

func para(s string) string { return `<w:p><w:r><w:t>` + s + `</w:t></w:r></w:p>` }

func TestGrounds(t *testing.T) {
	for _, g := range Grounds {
		if err := CheckGround(g.Key); err != nil {
			t.Errorf("%s refused", g.Key)
		}
		if !strings.HasPrefix(string(g.Key), "withheld_") || !strings.Contains(g.Article, "第十") {
			t.Errorf("%+v", g)
		}
	}
	for _, bad := range []Ground{"", "withheld_inquiry_matters", "disclosed", "partly_disclosed"} {
		if CheckGround(bad) == nil {
			t.Errorf("%q accepted as a ground", bad)
		}
	}
}

func TestApply(t *testing.T) {
	src := &Source{Format: Text, Pages: []Page{
		{Text: "申请人张三，身份证号350102199001011234，电话13800138000。\n张三的申请已办结。"},
		{Text: "内部讨论记录：拟同意。\n结论：予以公开。"},
		{Text: "", Scanned: true},
	}}
	scanned := Mark{Kind: WholePage, Page: 3, Ground: third}
	cases := []struct {
		name   string
		marks  []Mark
		want   string // the kept text, labels shown as [n]
		chars  []int  // per mark
		errHas string
	}{
		{name: "default rules", marks: []Mark{DefaultRules[0].Mark(), DefaultRules[1].Mark(), scanned},
			want: "申请人张三，身份证号[18]，电话[11]。\n张三的申请已办结。\f内部讨论记录：拟同意。\n结论：予以公开。\f[page]", chars: []int{18, 11, 0}},
		{name: "term, every occurrence", marks: []Mark{{Kind: Term, Text: "张三", Ground: third}, scanned},
			want: "申请人[2]，身份证号350102199001011234，电话13800138000。\n[2]的申请已办结。\f内部讨论记录：拟同意。\n结论：予以公开。\f[page]", chars: []int{4, 0}},
		{name: "passage and page", marks: []Mark{{Kind: Passage, Page: 2, Start: 0, End: 11, Ground: "withheld_process_information"}, {Kind: WholePage, Page: 1, Ground: third}, scanned},
			want: "[page]\f[11]\n结论：予以公开。\f[page]", chars: []int{11, 0, 0}},
		{name: "overlap counts once", marks: []Mark{{Kind: Term, Text: "张三的申请", Ground: third}, {Kind: Term, Text: "张三", Ground: third}, scanned},
			want: "申请人[2]，身份证号350102199001011234，电话13800138000。\n[5]已办结。\f内部讨论记录：拟同意。\n结论：予以公开。\f[page]", chars: []int{5, 2, 0}},
		{name: "term without a match", marks: []Mark{{Kind: Term, Text: "李四", Ground: third}, scanned}, errHas: "没有找到"},
		{name: "scanned page left", marks: []Mark{{Kind: Term, Text: "张三", Ground: third}}, errHas: "扫描图像"},
		{name: "passage on a scanned page", marks: []Mark{{Kind: Passage, Page: 3, Start: 0, End: 1, Ground: third}}, errHas: "只能整页"},
		{name: "page outside", marks: []Mark{{Kind: WholePage, Page: 9, Ground: third}}, errHas: "没有第9页"},
		{name: "passage outside", marks: []Mark{{Kind: Passage, Page: 2, Start: 0, End: 99, Ground: third}, scanned}, errHas: "超出"},
		{name: "no ground", marks: []Mark{{Kind: Term, Text: "张三"}}, errHas: "理由"},
		{name: "bad expression", marks: []Mark{{Kind: Pattern, Text: "(", Ground: third}}, errHas: "正则"},
		{name: "empty match", marks: []Mark{{Kind: Pattern, Text: "a*", Ground: third}}, errHas: "空文本"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Apply(src, c.marks)
			if c.errHas != "" {
				var e *errs.Error
				if err == nil || !strings.Contains(err.Error(), c.errHas) || !errors.As(err, &e) || e.Code != errs.Invalid {
					t.Fatalf("err %v, want one saying %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, p := range r.Pages {
				if i > 0 {
					b.WriteString("\f")
				}
				if p.Withheld {
					b.WriteString("[page]")
				}
				for _, s := range p.Segments {
					if s.Removed {
						b.WriteString("[" + strconv.Itoa(s.Chars) + "]")
					} else {
						b.WriteString(s.Text)
					}
				}
			}
			if b.String() != c.want {
				t.Errorf("kept\n%q\nwant\n%q", b.String(), c.want)
			}
			for i, n := range c.chars {
				if r.Log[i].Chars != n {
					t.Errorf("mark %d removed %d characters, want %d", i+1, r.Log[i].Chars, n)
				}
			}
			for _, w := range r.Withheld {
				if strings.Contains(r.KeptText(), w) && w != "张三" {
					t.Errorf("withheld %q still in the kept text", w)
				}
			}
		})
	}
}

// Bad input: each refused with a message for the handler, never a panic.
func TestExtractRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		has  string
	}{
		{"a.pdf", nil, "空文件"},
		{"a.pdf", []byte("%PDF-1.7\n garbage without objects"), "损坏"},
		{"a.docx", []byte("not a zip"), "不是有效的DOCX"},
		{"a.docx", []byte("PK\x03\x04broken"), "无法读取"},
		{"a.doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "旧版Word"},
		{"a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "不是PDF、DOCX或文本文件"},
		{"big.txt", bytes.Repeat([]byte("字"), MaxSourceBytes/3+1), "超过"},
	} {
		_, err := Extract(c.name, c.data)
		var e *errs.Error
		if err == nil || !errors.As(err, &e) || e.Code != errs.Invalid || !strings.Contains(err.Error(), c.has) {
			t.Errorf("%s: %v, want one saying %q", c.name, err, c.has)
		}
	}
	src, err := Extract("gbk.txt", []byte("\xd5\xc5\xc8\xfd")) // 张三 in GBK
	if err != nil || src.Pages[0].Text != "张三" {
		t.Errorf("GBK text: %v %+v", err, src)
	}
}
