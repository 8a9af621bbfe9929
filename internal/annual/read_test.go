package annual

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// minimal returns the small 2021-format report of testdata with each old
// string replaced by its new one; a replacement that finds nothing fails the
// test, so that a test cannot silently test the unchanged file.
func minimal(t *testing.T, name string, oldNew ...string) []byte {
	t.Helper()
	s := string(readFile(t, name))
	for i := 0; i+1 < len(oldNew); i += 2 {
		if !strings.Contains(s, oldNew[i]) {
			t.Fatalf("%s does not contain %q", name, oldNew[i])
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	return []byte(s)
}

func rules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Where)
	}
	return out
}

func TestMinimalReportHasNoFindings(t *testing.T) {
	r := mustRead(t, readFile(t, "minimal_2021.txt"), "minimal_2021.txt")
	if len(r.Findings) != 0 {
		t.Fatalf("findings: %+v", r.Findings)
	}
	if r.Unit != "示例市示例局" || r.Year != 2024 || r.Template != Template2021 {
		t.Errorf("unit %q year %d template %q", r.Unit, r.Year, r.Template)
	}
	if got := *r.Table2.FeesWanYuan; got != "1.25" {
		t.Errorf("fees %q, want the printed decimal 1.25", got)
	}
	if got := r.Table3.Get(RowCarriedForward, ColNaturalPerson); got != N(1) {
		t.Errorf("carried_forward[0] = %+v", got)
	}
}

// Numbering, bracket width, stray spaces and the official alternative wording
// are read and are no finding; a garbled label is read and is a FORMAT finding.
func TestTolerantLabels(t *testing.T) {
	for _, tc := range []struct {
		name       string
		old, new   string
		key        RowKey
		wantFormat bool
	}{
		{"numbered 1、", "1.属于国家秘密", "1、属于国家秘密", RowWithheldStateSecret, false},
		{"numbered 1．", "1.属于国家秘密", "1．属于国家秘密", RowWithheldStateSecret, false},
		{"numbered (1)", "1.属于国家秘密", "（1）属于国家秘密", RowWithheldStateSecret, false},
		{"no numbering", "1.属于国家秘密", "属于国家秘密", RowWithheldStateSecret, false},
		{"stray spaces", "4.保护第三方合法权益", "4. 保护 第三方 合法权益", RowWithheldThirdPartyRights, false},
		{"half-width brackets", "（一）予以公开", "(一) 予以公开", RowDisclosed, false},
		{"full-width digits", "\t2.重复申请\t0\t0\t0\t0\t0\t0\t0", "\t２．重复申请\t０\t０\t０\t０\t０\t０\t０", RowNotProcessedRepeat, false},
		{"short wording of (六)1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1.申请人无正当理由逾期不补正", RowOtherNoCorrection, false},
		{"quotes dropped", "3.危及“三安全一稳定”", "3.危及\"三安全一稳定\"", RowWithheldSecurityStability, false},
		{"official 其他法律法规禁止公开", "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开", RowWithheldProhibitedByLaw, false},
		{"typo 其他法律行政止公开", "2.其他法律行政法规禁止公开", "2.其他法律行政止公开", RowWithheldProhibitedByLaw, true},
		{"typo 本机关不掌握相关正府信息", "1.本机关不掌握相关政府信息", "1.本机关不掌握相关正府信息", RowUnavailableNotHeld, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustRead(t, minimal(t, "minimal_2021.txt", tc.old, tc.new), "m.txt")
			if r.Table3.Row(tc.key) == nil {
				t.Fatalf("row %s not read", tc.key)
			}
			var format []Finding
			for _, f := range r.Findings {
				if f.Rule == RuleFormat {
					format = append(format, f)
				} else {
					t.Errorf("unexpected finding %+v", f)
				}
			}
			if tc.wantFormat {
				if len(format) != 1 || format[0].Where != "table3.rows."+string(tc.key) || !strings.Contains(format[0].Message, "文字有误") {
					t.Errorf("want one FORMAT finding on %s, got %+v", tc.key, format)
				}
			} else if len(format) != 0 {
				t.Errorf("want no FORMAT finding, got %+v", format)
			}
		})
	}
}

// The 2019 trial format: table 二 maps 本年新制作数量 → issued and 对外公开总数量
// → in_force (abolished and fees null); （六）其他处理 is one row.
func TestRead2019Format(t *testing.T) {
	r := mustRead(t, readFile(t, "minimal_2019.txt"), "minimal_2019.txt")
	if r.Template != Template2019 || r.Year != 2019 {
		t.Fatalf("template %q year %d", r.Template, r.Year)
	}
	want := `{"regulations":{"issued":0,"abolished":null,"in_force":3},` +
		`"normative_documents":{"issued":4,"abolished":null,"in_force":25},` +
		`"licensing_decisions":860,"penalty_decisions":212,"enforcement_decisions":9,"fees_wan_yuan":null}`
	if got := string(jsonOf(t, r.Table2)); got != want {
		t.Errorf("table2\n got %s\nwant %s", got, want)
	}
	if r.Table3.Row(RowOtherNoCorrection) != nil || r.Table3.Row(RowOtherNoFee) != nil {
		t.Error("（六）1 and 2 should be null in the 2019 format")
	}
	if r.Table3.Row(RowOtherOther) == nil || !r.Printed.SingleRowOther {
		t.Error("（六）其他处理 should be read into other_other")
	}
	if len(r.Findings) != 0 {
		t.Errorf("a 2019 report in the 2019 format has no findings, got %+v", r.Findings)
	}

	// The same report for 2022 is in the wrong format: one FORMAT finding.
	r = mustRead(t, minimal(t, "minimal_2019.txt", "示例县人民政府2019年", "示例县人民政府2022年", "2019年，本县", "2022年，本县"), "m.txt")
	if got := rules(r.Findings); len(got) != 1 || got[0] != "FORMAT template" {
		t.Errorf("2022 in the 2019 format: %v", got)
	}
}

// A 2021-format report with （六） as one row (as 洪泽区 2023 prints it).
func TestSingleRowOtherIn2021(t *testing.T) {
	data := minimal(t, "minimal_2021.txt",
		"\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n", "\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0\n",
		"\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n", "",
		"\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n", "")
	r := mustRead(t, data, "m.txt")
	if r.Template != Template2021 {
		t.Errorf("template %q", r.Template)
	}
	if got := rules(r.Findings); len(got) != 1 || got[0] != "FORMAT table3.rows.other_other" {
		t.Errorf("findings %v", got)
	}
}

// A row the reader cannot place is reported, not guessed; and a standard row
// that is missing is reported.
func TestUnplacedRow(t *testing.T) {
	data := minimal(t, "minimal_2021.txt",
		"\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n",
		"\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n\t\t9.属于其他情形\t1\t0\t0\t0\t0\t0\t1\n",
		"\t\t3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0\n", "")
	r := mustRead(t, data, "m.txt")
	var unplaced, missing bool
	for _, f := range r.Findings {
		if f.Rule == RuleFormat && strings.Contains(f.Message, "9.属于其他情形") && strings.Contains(f.Message, "无法对应") {
			unplaced = true
		}
		if f.Rule == RuleFormat && f.Where == "table3.rows.not_processed_publication" && strings.Contains(f.Message, "缺少") {
			missing = true
		}
		if f.Rule != RuleFormat {
			t.Errorf("the unplaced row must not be counted anywhere: %+v", f)
		}
	}
	if !unplaced || !missing {
		t.Errorf("unplaced %v missing %v: %+v", unplaced, missing, r.Findings)
	}
	if r.Table3.Row(RowNotProcessedPublication) != nil {
		t.Error("a row not printed is null")
	}
}

// A subtotal row is not part of the format: reported and not counted.
func TestSubtotalRow(t *testing.T) {
	data := minimal(t, "minimal_2021.txt",
		"\t（三）不予公开\t1.属于国家秘密", "\t（三）不予公开\t\t0\t0\t0\t0\t0\t0\t0\n\t\t1.属于国家秘密")
	r := mustRead(t, data, "m.txt")
	if got := rules(r.Findings); len(got) != 1 || got[0] != "FORMAT table3" || !strings.Contains(r.Findings[0].Message, "小计") {
		t.Errorf("findings %+v", r.Findings)
	}
}

// Blank cells are null wherever they fall, even where the flattened line has
// layout cells on both sides; a blank total is a BLANK warning and, as 0, a
// ROWSUM error.
func TestBlankCells(t *testing.T) {
	data := minimal(t, "minimal_2021.txt",
		// blank total, with a trailing layout tab
		"\t（七）总计\t\t2\t1\t0\t0\t0\t0\t3\n", "\t（七）总计\t\t2\t1\t0\t0\t0\t0\t\t\n",
		// blank first cell
		"\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t1\t0", "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t\t0",
		// blank cells in tables 二 and 四
		"行政强制\t3\t\t", "行政强制\t\t\t",
		"1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0", "1\t0\t0\t0\t1\t0\t0\t0\t1\t\t0\t0\t0\t0\t0",
	)
	r := mustRead(t, data, "m.txt")
	if got := r.Table3.Row(RowTotalHandled); got == nil || got[ColTotal].Valid || got[ColNaturalPerson] != N(2) {
		t.Fatalf("total_handled = %+v", got)
	}
	if got := r.Table3.Row(RowPartlyDisclosed); got[ColNaturalPerson].Valid || got[ColTotal] != N(1) {
		t.Fatalf("partly_disclosed = %+v", got)
	}
	want := []string{
		"T3.BALANCE table3.rows.carried_forward[6]",
		"T3.ROWSUM table3.rows.partly_disclosed[6]",
		"T3.ROWSUM table3.rows.total_handled[6]",
		"T3.OUTCOMES table3.rows.total_handled[0]",
		"T3.OUTCOMES table3.rows.total_handled[6]",
		"T4.SUM table4.litigation_direct",
		"BLANK table2.enforcement_decisions",
		"BLANK table3.rows.partly_disclosed[0]",
		"BLANK table3.rows.total_handled[6]",
		"BLANK table4.litigation_direct.total",
		"NARRATIVE table3.rows.total_handled[6]",
	}
	if got := rules(r.Findings); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// A label broken over two lines, numbers continued on the next line, and the
// column headings repeated after a page break are read as one table.
func TestBrokenLines(t *testing.T) {
	header := "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t\n\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
	data := minimal(t, "minimal_2021.txt",
		"\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t1\t0\t0\t0\t0\t0\t1\n",
		"\t（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）\t\t1\t0\t0\t0\t0\t0\t1\n",
		"\t（五）不予处理\t1.信访举报投诉类申请", "\n"+header+"\t（五）不予处理\t1.信访举报投诉类申请",
		"一、本年新收政府信息公开申请数量\t\t\t2\t1\t0\t0\t0\t0\t3\n", "一、本年新收政府信息公开申请数量\t\t\t2\t1\t0\n0\t0\t0\t3\n",
		"\t（七）总计\t\t2\t1\t0\t0\t0\t0\t3\n", "\t（七）总计\n\t\t2\t1\t0\t0\t0\t0\t3\n",
	)
	r := mustRead(t, data, "m.txt")
	if len(r.Findings) != 0 {
		t.Fatalf("findings %+v", r.Findings)
	}
	if got := r.Table3.Row(RowReceived); *got != *RowOf(2, 1, 0, 0, 0, 0, 3) {
		t.Errorf("received %+v", got)
	}
	if r.Printed.Labels[RowPartlyDisclosed] != "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" {
		t.Errorf("label %q", r.Printed.Labels[RowPartlyDisclosed])
	}
}

func TestReadErrors(t *testing.T) {
	docx := func(body string) []byte { return buildDOCX(t, body) }
	for _, tc := range []struct {
		name string
		data []byte
		file string
		want error
	}{
		{"empty", nil, "a.txt", ErrEmpty},
		{"blank", []byte(" \n\t\r\n"), "a.txt", ErrEmpty},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), "a.txt", ErrBinary},
		{"control bytes", bytes.Repeat([]byte{1, 2, 3, 'a'}, 50), "a.txt", ErrBinary},
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "a.pdf", ErrPDFBroken},
		{"doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "a.doc", ErrDOC},
		// 「政府信息公开」 in GBK is decoded, and is no report.
		{"gbk", []byte("\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa"), "a.txt", ErrNotReport},
		{"neither utf-8 nor gb18030", bytes.Repeat([]byte("\x81\x20\xff\x30"), 40), "a.txt", ErrEncoding},
		{"not a report", []byte("关于做好2024年春节假期值班工作的通知\n各单位：\n请做好值班安排。\n"), "a.txt", ErrNotReport},
		{"html not a report", []byte("<html><body><p>首页</p><table><tr><td>1</td></tr></table></body></html>"), "a.html", ErrNotReport},
		{"heading without table", []byte("某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n（表格为图片）\n四、政府信息公开行政复议、行政诉讼情况\n"), "a.txt", ErrNoRows},
		{"corrupt zip", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x55}, 200)...), "a.docx", ErrZip},
		{"docx that is not a zip", []byte("hello"), "a.docx", ErrZip},
		{"zip without document", zipFiles(t, map[string]string{"[Content_Types].xml": "<Types/>"}), "a.docx", ErrNoDocXML},
		{"broken xml", zipFiles(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), "a.docx", ErrDocXML},
		{"docx not a report", docx(docxParagraph("会议纪要")), "a.docx", ErrNotReport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.data, tc.file)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Read = %v, %v; want %v", r, err, tc.want)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n") || !utf8.ValidString(msg) || strings.Count(msg, "。") > 0 {
				t.Errorf("want one plain sentence, got %q", msg)
			}
		})
	}
}

// A DOCX whose document.xml inflates beyond the limit is refused, whether its
// header says so or lies about the size.
func TestZipBomb(t *testing.T) {
	big := bytes.Repeat([]byte("<w:p/>"), maxDocumentXML/6+10)
	// Honest header.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write(big)
	zw.Close()
	if _, err := Read(buf.Bytes(), "bomb.docx"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("honest header: %v", err)
	}
	// A header that claims a small size.
	var raw bytes.Buffer
	fw := zipDeflate(t, big)
	zw = zip.NewWriter(&raw)
	h := &zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(big),
		CompressedSize64: uint64(len(fw)), UncompressedSize64: 100}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(fw)
	zw.Close()
	// archive/zip stops at the declared size; either way it is refused.
	if _, err := Read(raw.Bytes(), "bomb.docx"); !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrZip) {
		t.Errorf("lying header: %v", err)
	}
}

// zipDeflate returns the raw deflate stream of b.
func zipDeflate(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Deflate})
	w.Write(b)
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.ReadFrom(rc)
	return out.Bytes()
}

func TestUTF16AndBOM(t *testing.T) {
	want := canonical(t, readFile(t, "hongze_district_2023.golden.json"))
	src := readFile(t, "hongze_district_2023.txt")
	bom := append([]byte("\xEF\xBB\xBF"), src...)
	if got := canonical(t, jsonOf(t, mustRead(t, bom, "h.txt"))); got != want {
		t.Error("UTF-8 with BOM reads differently")
	}
	u := []rune(string(src))
	le := []byte{0xFF, 0xFE}
	for _, r := range u {
		if r > 0xFFFF {
			t.Skip("sample has runes outside the BMP")
		}
		le = append(le, byte(r), byte(r>>8))
	}
	if got := canonical(t, jsonOf(t, mustRead(t, le, "h.txt"))); got != want {
		t.Error("UTF-16LE reads differently")
	}
}

// A standard row printed with its label and every cell blank is a row of
// blanks: seven nulls and seven BLANK findings, no FORMAT finding — in
// every form.
func TestRowPrintedBlank(t *testing.T) {
	seed := string(readFile(t, "fuzhou_customs_2024.txt"))
	const row = "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"
	if !strings.Contains(seed, row) {
		t.Fatal("seed lacks the row")
	}
	blankTxt := strings.Replace(seed, row, "二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t\t\t", 1)
	html := string(readFile(t, "fuzhou_customs_2024.html"))
	htmlRow := regexp.MustCompile(`(二、上年结转政府信息公开申请数量</td>)((?:\s*<td[^>]*>0</td>){7})`)
	if !htmlRow.MatchString(html) {
		t.Fatal("seed page lacks the row")
	}
	blankHTML := htmlRow.ReplaceAllStringFunc(html, func(m string) string {
		return regexp.MustCompile(`>0</td>`).ReplaceAllString(m, "></td>")
	})
	for _, tc := range []struct{ name, data string }{{"blank.txt", blankTxt}, {"blank.html", blankHTML}} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustRead(t, []byte(tc.data), tc.name)
			got := r.Table3.Row(RowCarriedOver)
			if got == nil {
				t.Fatal("row read as not printed")
			}
			for c, cell := range got {
				if cell.Valid {
					t.Errorf("cell %d = %v, want blank", c, cell)
				}
			}
			blanks := 0
			for _, f := range r.Findings {
				switch {
				case f.Rule == RuleBlank && strings.HasPrefix(f.Where, "table3.rows.carried_over["):
					blanks++
				case f.Rule == RuleFormat:
					t.Errorf("FORMAT finding %+v", f)
				}
			}
			if blanks != NumColumns {
				t.Errorf("%d BLANK findings, want %d: %+v", blanks, NumColumns, r.Findings)
			}
			b := jsonOf(t, r)
			if !strings.Contains(string(b), `"carried_over":[null,null,null,null,null,null,null]`) {
				t.Errorf("JSON: %s", b)
			}
		})
	}
	// A label broken over two lines, its numbers on the second, is one row,
	// not a blank row and another.
	broken := strings.Replace(seed, "\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t0", "\t(二) 部分公开(区分处理的,\n\t只计这一情形, 不计其他情形)\t0", 1)
	r := mustRead(t, []byte(broken), "broken.txt")
	if len(r.Findings) != 0 {
		t.Errorf("findings %+v", r.Findings)
	}
}

// Text in GBK or GB18030, as older systems export it, reads as its UTF-8
// form does.
func TestGBKText(t *testing.T) {
	want := canonical(t, readFile(t, "hongze_district_2023.golden.json"))
	src := readFile(t, "hongze_district_2023.txt")
	for name, enc := range map[string]encoding.Encoding{"gbk": simplifiedchinese.GBK, "gb18030": simplifiedchinese.GB18030} {
		t.Run(name, func(t *testing.T) {
			data, err := enc.NewEncoder().Bytes(src)
			if err != nil {
				t.Fatal(err)
			}
			if utf8.Valid(data) {
				t.Fatal("encoded text is valid UTF-8")
			}
			if got := canonical(t, jsonOf(t, mustRead(t, data, "h.txt"))); got != want {
				t.Errorf("reads differently:\n%s", diffLines(want, got))
			}
		})
	}
}
