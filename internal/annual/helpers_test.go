package annual

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readFile reads a file of testdata.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustRead reads a report and checks it, failing the test on a read error.
func mustRead(t testing.TB, data []byte, name string) *Report {
	t.Helper()
	r, err := Read(data, name)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	r.Findings = Check(r)
	return r
}

// canonical re-marshals JSON with sorted keys and no layout, so that two
// documents compare by content. The findings' ids are left out: they are
// hashes no one writes by hand, checked by TestFindingIDs.
func canonical(t testing.TB, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b)
	}
	if doc, ok := v.(map[string]any); ok {
		if fs, ok := doc["findings"].([]any); ok {
			for _, f := range fs {
				if m, ok := f.(map[string]any); ok {
					delete(m, "id")
				}
			}
		}
	}
	out, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func jsonOf(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// diffLines shows the first differing lines of two texts.
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)) && len(out) < 12; i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, x, y))
		}
	}
	return strings.Join(out, "\n")
}

// The seed's tables as a word processor holds them. A cell "text^N" spans N
// grid columns (w:gridSpan), "text_N" spans N rows (w:vMerge): the rows below
// hold an empty continuation cell there, as Word writes them.
var (
	seedTable2 = [][]string{
		{"第二十条第（一）项^4"},
		{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
		{"规章", "0", "0", "0"},
		{"行政规范性文件", "1", "1", "32"},
		{"第二十条第（五）项^4"},
		{"信息内容", "本年处理决定数量^3"},
		{"行政许可", "1348^3"},
		{"第二十条第（六）项^4"},
		{"信息内容", "本年处理决定数量^3"},
		{"行政处罚", "0^3"},
		{"行政强制", "0^3"},
		{"第二十条第（八）项^4"},
		{"信息内容", "本年收费金额（单位：万元）^3"},
		{"行政事业性收费", "0^3"},
	}
	seedTable3 = func() [][]string {
		z := []string{"0", "0", "0", "0", "0", "0", "0"}
		row := func(cells ...string) []string { return cells }
		with := func(label []string, values []string) []string { return append(append([]string{}, label...), values...) }
		return [][]string{
			{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）^3_3", "申请人情况^7"},
			{"自然人_2", "法人或其他组织^5", "总计_2"},
			{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"},
			row("一、本年新收政府信息公开申请数量^3", "5", "1", "0", "0", "0", "0", "6"),
			with([]string{"二、上年结转政府信息公开申请数量^3"}, z),
			row("三、本年度办理结果_22", "（一）予以公开^2", "2", "0", "0", "0", "0", "0", "2"),
			with([]string{"（二）部分公开（区分处理的，只计这一情形，不计其他情形）^2"}, z),
			with([]string{"（三）不予公开_8", "1．属于国家秘密"}, z),
			with([]string{"2．其他法律法规禁止公开"}, z),
			with([]string{"3．危及“三安全一稳定”"}, z),
			with([]string{"4．保护第三方合法权益"}, z),
			with([]string{"5．属于三类内部事务信息"}, z),
			with([]string{"6．属于四类过程性信息"}, z),
			with([]string{"7．属于行政执法案卷"}, z),
			with([]string{"8．属于行政查询事项"}, z),
			with([]string{"（四）无法提供_3", "1．本机关不掌握相关政府信息"}, z),
			with([]string{"2．没有现成信息需要另行制作"}, z),
			with([]string{"3．补正后申请内容仍不明确"}, z),
			with([]string{"（五）不予处理_5", "1．信访举报投诉类申请"}, z),
			with([]string{"2．重复申请"}, z),
			with([]string{"3．要求提供公开出版物"}, z),
			with([]string{"4．无正当理由大量反复申请"}, z),
			with([]string{"5．要求行政机关确认或重新出具已获取信息"}, z),
			with([]string{"（六）其他处理_4", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"}, z),
			with([]string{"2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"}, z),
			with([]string{"3. 咨询事项，指引咨询渠道"}, z),
			row("4. 申请人撤销申请", "3", "1", "0", "0", "0", "0", "4"),
			row("（七）总计^2", "5", "1", "0", "0", "0", "0", "6"),
			with([]string{"四、结转下年度继续办理^3"}, z),
		}
	}()
	seedTable4 = [][]string{
		{"行政复议^5", "行政诉讼^10"},
		{"结果维持_2", "结果纠正_2", "其他结果_2", "尚未审结_2", "总计_2", "未经复议直接起诉^5", "复议后起诉^5"},
		{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"},
		{"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
	}
)

var spanMarkup = regexp.MustCompile(`^(.*?)(?:\^(\d+))?(?:_(\d+))?$`)

// docxTable writes a table in WordprocessingML, expanding row spans into
// vMerge continuation cells.
func docxTable(rows [][]string) string {
	var b strings.Builder
	b.WriteString("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/></w:tblPr>")
	type cont struct{ left, span int }
	pending := map[int]*cont{} // grid column → rows still merged
	for _, row := range rows {
		b.WriteString("<w:tr>")
		col, i := 0, 0
		for i < len(row) || pending[col] != nil {
			if p := pending[col]; p != nil {
				fmt.Fprintf(&b, `<w:tc><w:tcPr><w:gridSpan w:val="%d"/><w:vMerge/></w:tcPr><w:p/></w:tc>`, p.span)
				p.left--
				span := p.span
				if p.left == 0 {
					delete(pending, col)
				}
				col += span
				continue
			}
			m := spanMarkup.FindStringSubmatch(row[i])
			text, span, rowspan := m[1], 1, 1
			if m[2] != "" {
				span, _ = strconv.Atoi(m[2])
			}
			if m[3] != "" {
				rowspan, _ = strconv.Atoi(m[3])
			}
			b.WriteString("<w:tc><w:tcPr>")
			if span > 1 {
				fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, span)
			}
			if rowspan > 1 {
				b.WriteString(`<w:vMerge w:val="restart"/>`)
				pending[col] = &cont{left: rowspan - 1, span: span}
			}
			b.WriteString("</w:tcPr>")
			b.WriteString(docxParagraph(text))
			b.WriteString("</w:tc>")
			col += span
			i++
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

// docxParagraph writes a paragraph, its text split over several runs as Word
// does, with a proofing mark and a field code that are not text.
func docxParagraph(text string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:jc w:val="both"/></w:pPr>`)
	runes := []rune(text)
	for i := 0; i < len(runes); i += 9 {
		part := string(runes[i:min(i+9, len(runes))])
		if i == 9 {
			b.WriteString(`<w:proofErr w:type="spellStart"/><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>`)
		}
		fmt.Fprintf(&b, `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, html.EscapeString(part))
	}
	b.WriteString("</w:p>")
	return b.String()
}

// buildDOCX wraps a body in a minimal DOCX package.
func buildDOCX(t testing.TB, body string) []byte {
	t.Helper()
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body + `<w:sectPr/></w:body></w:document>`
	return zipFiles(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   doc,
	})
}

func zipFiles(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		content, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	for name, content := range files {
		switch name {
		case "[Content_Types].xml", "_rels/.rels", "word/document.xml":
			continue
		}
		w, _ := zw.Create(name)
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seedDOCX renders the seed as a Word document: its paragraphs as printed,
// its tables as Word tables with merged cells.
func seedDOCX(t testing.TB) []byte {
	t.Helper()
	var body strings.Builder
	for _, l := range strings.Split(string(readFile(t, "fuzhou_customs_2024.txt")), "\n") {
		if strings.Contains(l, "\t") || strings.TrimSpace(l) == "" {
			continue // the flattened tables; Word holds real ones
		}
		body.WriteString(docxParagraph(l))
		switch l {
		case "二、主动公开政府信息情况":
			body.WriteString(docxTable(seedTable2))
		case "三、收到和处理政府信息公开申请情况":
			body.WriteString(docxTable(seedTable3))
		case "四、政府信息公开行政复议、行政诉讼情况":
			body.WriteString(docxTable(seedTable4))
		}
	}
	return buildDOCX(t, body.String())
}
