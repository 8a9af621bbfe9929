package redact

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"gongkai/internal/requests"
)

// The withheld texts of the documents below, and the sentences kept.
var (
	secretName  = "王秀英"
	secretID    = "350102198807154321"
	secretPhone = "13905912345"
	secretTalk  = "内部讨论认为该项目应暂缓审批"
	keptLines   = []string{
		"关于福州港区进口冷链食品抽检情况的说明",
		"二〇二四年共抽检进口冷链食品一千二百批次。",
		"抽检结果均符合国家食品安全标准。",
		"Sample report No. 2024-117 was filed on 3 May.",
	}
)

func sourceLines() [][]string {
	return [][]string{
		{keptLines[0], "联系人" + secretName + "，身份证号" + secretID + "。", keptLines[1], "联系电话：" + secretPhone},
		{keptLines[2], secretTalk + "，待进一步研究。", keptLines[3]},
	}
}

func marksFor() []Mark {
	return []Mark{
		DefaultRules[0].Mark(), DefaultRules[1].Mark(),
		{Kind: Term, Text: secretName, Ground: third},
		{Kind: Term, Text: secretTalk, Ground: "withheld_process_information"},
	}
}

// extractable reports the kept lines a text does not contain, white space
// ignored.
func missing(text string) []string {
	text = squash(text)
	var out []string
	for _, k := range keptLines {
		if !strings.Contains(text, squash(k)) {
			out = append(out, k)
		}
	}
	return out
}

// pdftotext is poppler's text of a PDF, or "" when poppler is not installed.
func pdftotext(t *testing.T, data []byte) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", false
	}
	f := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}

// TestReleasedLeakFree redacts a PDF, a DOCX (with the withheld text also
// in its comments, tracked deletions, header and properties) and a text
// file, and scans every part of each released copy: none of the withheld
// text in any form, every kept sentence extractable by our reader and by
// pdftotext.
func TestReleasedLeakFree(t *testing.T) {
	pdfSrc := sourcePDF(t, sourceLines(), nil)
	var body strings.Builder
	for _, p := range sourceLines() {
		for _, l := range p {
			body.WriteString(para(l))
		}
	}
	body.WriteString(`<w:p><w:del w:id="1" w:author="` + secretName + `"><w:r><w:delText>` + secretTalk + `</w:delText></w:r></w:del></w:p>`)
	docxSrc := sourceDOCX(t, body.String(), map[string]string{
		"word/comments.xml": `<w:comments xmlns:w="x"><w:comment w:author="` + secretName + `"><w:p><w:r><w:t>` + secretID + `</w:t></w:r></w:p></w:comment></w:comments>`,
		"word/header1.xml":  `<w:hdr xmlns:w="x">` + para(secretPhone) + `</w:hdr>`,
		"docProps/core.xml": `<cp:coreProperties xmlns:cp="x"><dc:creator xmlns:dc="y">` + secretName + `</dc:creator></cp:coreProperties>`,
	})
	var txt strings.Builder
	for i, p := range sourceLines() {
		if i > 0 {
			txt.WriteString("\f")
		}
		txt.WriteString(strings.Join(p, "\n"))
	}
	for _, c := range []struct {
		name string
		data []byte
		want Format
	}{
		{secretName + "的材料.pdf", pdfSrc, PDF},
		{secretName + "的材料.docx", docxSrc, DOCX},
		{secretName + "的材料.txt", []byte(txt.String()), Text},
	} {
		t.Run(string(c.want), func(t *testing.T) {
			src, err := Extract(c.name, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if src.Format != c.want {
				t.Fatalf("read as %s", src.Format)
			}
			r, err := Apply(src, marksFor())
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range r.Log {
				if e.Matches == 0 || e.Chars == 0 {
					t.Errorf("mark %d removed nothing: %+v", i+1, e)
				}
			}
			needles := Needles(r)
			for _, s := range []string{secretName, secretID, secretPhone, secretTalk} {
				if !contains(needles, s) {
					t.Errorf("%q not among the needles %q", s, needles)
				}
			}
			out, err := r.Render(FileName("2024-0042", 1, r.Format), requests.PDFFonts{})
			if err != nil {
				t.Fatal(err)
			}
			if leaks := Verify(out.Name, out.Content, needles); len(leaks) > 0 {
				t.Fatalf("withheld text in the released copy: %v", leaks)
			}
			// What a reader of the copy gets out of it.
			back, err := Extract(out.Name, out.Content)
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, p := range back.Pages {
				all.WriteString(p.Text + "\n")
			}
			if m := missing(all.String()); len(m) > 0 {
				t.Errorf("kept sentences not extractable by our reader: %q\n%s", m, all.String())
			}
			if !strings.Contains(all.String(), "此处删除11字：保护第三方合法权益，条例第十五条") {
				t.Errorf("no labelled removal in\n%s", all.String())
			}
			if c.want == PDF {
				text, ok := pdftotext(t, out.Content)
				if ok {
					if m := missing(text); len(m) > 0 {
						t.Errorf("kept sentences not extractable by pdftotext: %q\n%s", m, text)
					}
					for _, s := range []string{secretName, secretID, secretPhone, secretTalk} {
						if strings.Contains(squash(text), s) {
							t.Errorf("pdftotext finds %q", s)
						}
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestVerifyFindsLeaks feeds Verify files where the withheld text is
// covered, not removed, or hidden in a part a viewer does not show: each
// must be caught, in the part named.
func TestVerifyFindsLeaks(t *testing.T) {
	needles := []string{secretName, secretID}
	covered := sourcePDF(t, [][]string{{keptLines[0], "联系人" + secretName}}, func(p *fpdf.Fpdf) {
		// The classic mistake: a black box over text that stays in the file.
		p.SetFillColor(0, 0, 0)
		p.Rect(10, 15, 80, 10, "F")
	})
	withTitle := func() []byte {
		font, _ := os.ReadFile(requests.DefaultFontPath)
		p := fpdf.New("P", "mm", "A4", "")
		p.AddUTF8FontFromBytes("song", "", font)
		p.SetTitle("关于"+secretName+"的材料", true)
		p.SetKeywords(secretID, true)
		p.AddPage()
		p.SetFont("song", "", 12)
		p.Cell(0, 8, keptLines[0])
		p.Bookmark("第一章 "+secretName, 0, -1)
		p.SetXmpMetadata([]byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>` + secretName + `</dc:creator></x:xmpmeta>`))
		var b bytes.Buffer
		p.Output(&b)
		return b.Bytes()
	}()
	clean := sourcePDF(t, [][]string{{keptLines[0]}}, nil)
	// An incremental update that replaces the page's content leaves the
	// old revision — the withheld name in a text annotation — behind.
	update := append(append([]byte{}, clean...), []byte(fmt.Sprintf("\n99 0 obj\n<< /Type /Annot /Subtype /Text /Contents <%s> /ActualText (%s) >>\nendobj\n%%%%EOF\n",
		utf16hex(secretName), secretID))...)
	deflatedActual := func() []byte {
		var b bytes.Buffer
		b.Write(clean)
		b.WriteString("\n98 0 obj\n<< /Length 0 /Filter /FlateDecode >>\nstream\n")
		b.Write(deflate([]byte("/Span << /ActualText <" + utf16hex(secretName) + "> >> BDC EMC")))
		b.WriteString("\nendstream\nendobj\n")
		return b.Bytes()
	}()
	delDOCX := sourceDOCX(t, para(keptLines[0])+`<w:p><w:del w:id="1"><w:r><w:delText>`+secretName+`</w:delText></w:r></w:del></w:p>`, nil)
	split := sourceDOCX(t, `<w:p><w:r><w:t>王秀</w:t></w:r><w:r><w:t>英</w:t></w:r></w:p>`, nil)
	comment := sourceDOCX(t, para(keptLines[0]), map[string]string{"word/comments.xml": `<w:comments xmlns:w="x"><w:comment><w:p><w:r><w:t>&#x738B;&#x79C0;&#x82F1;</w:t></w:r></w:p></w:comment></w:comments>`})
	props := sourceDOCX(t, para(keptLines[0]), map[string]string{"docProps/core.xml": `<cp:coreProperties xmlns:cp="x" title="` + secretID + `"/>`})
	footnote := sourceDOCX(t, para(keptLines[0]), map[string]string{"word/footnotes.xml": `<w:footnotes xmlns:w="x">` + para(secretName) + `</w:footnotes>`})
	for _, c := range []struct {
		name, file string
		data       []byte
		where      string
	}{
		{"covered, not removed", "a.pdf", covered, "PDF文字层"},
		{"info, outline and XMP", "a.pdf", withTitle, "PDF"},
		{"incremental update", "a.pdf", update, "PDF"},
		{"ActualText in a deflated stream", "a.pdf", deflatedActual, "解压后"},
		{"file name", secretName + ".pdf", clean, "文件名"},
		{"tracked deletion", "a.docx", delDOCX, "word/document.xml"},
		{"text split over runs", "a.docx", split, "（文字）"},
		{"comment as character references", "a.docx", comment, "word/comments.xml"},
		{"document properties", "a.docx", props, "docProps/core.xml"},
		{"footnotes", "a.docx", footnote, "word/footnotes.xml"},
		{"UTF-16 text", "a.txt", utf16le("说明：" + secretName), "文本"},
	} {
		t.Run(c.name, func(t *testing.T) {
			leaks := Verify(c.file, c.data, needles)
			if len(leaks) == 0 {
				t.Fatal("no leak found")
			}
			ok := false
			for _, l := range leaks {
				ok = ok || strings.Contains(l.Part, c.where)
			}
			if !ok {
				t.Errorf("leaks %v, none in %q", leaks, c.where)
			}
			if CheckReleased(c.file, c.data, needles) == nil {
				t.Error("CheckReleased let it pass")
			}
		})
	}
	if leaks := Verify("a.pdf", clean, needles); len(leaks) > 0 {
		t.Errorf("leaks in a clean file: %v", leaks)
	}
}

func utf16hex(s string) string {
	var b strings.Builder
	b.WriteString("FEFF")
	for _, r := range s {
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// TestScannedPage: a page that is only an image can be withheld whole, and
// the message for one left unmarked says so.
func TestScannedPage(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 40, 40))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(1, 1, color.White)
	var pngb bytes.Buffer
	png.Encode(&pngb, img)
	data := sourcePDF(t, [][]string{{keptLines[0]}, {}}, func(p *fpdf.Fpdf) {
		if p.PageNo() == 2 {
			p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(pngb.Bytes()))
			p.ImageOptions("scan", 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		}
	})
	src, err := Extract("scan.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Pages) != 2 || src.Pages[0].Scanned || !src.Pages[1].Scanned {
		t.Fatalf("pages %+v", src.Pages)
	}
	if _, err := Apply(src, nil); err == nil || !strings.Contains(err.Error(), "第2页是扫描图像") {
		t.Fatalf("unmarked scanned page: %v", err)
	}
	r, err := Apply(src, []Mark{{Kind: WholePage, Page: 2, Ground: third}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.KeptText(), "原文第2页整页不予公开：保护第三方合法权益，条例第十五条") || r.Log[0].Pages != 1 {
		t.Errorf("%q %+v", r.KeptText(), r.Log)
	}
	out, err := r.PDF(requests.PDFFonts{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("/Subtype /Image")) {
		t.Error("the scanned image was carried into the released copy")
	}
}
