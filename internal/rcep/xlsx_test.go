package rcep

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/rcep/rceptest"
	"gongkai/internal/rcep/sample"
)

func TestSniffFormat(t *testing.T) {
	for _, c := range []struct {
		data string
		want Format
	}{
		{"PK\x03\x04rest", FormatXLSX},
		{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", FormatXLS},
		{"版本,2025-01-01,x\n", FormatCSV},
		{"\xef\xbb\xbf版本", FormatCSV},
		{"PK\x05\x06", FormatCSV}, // an empty ZIP is no workbook: read as text, refused there
		{"", FormatCSV},
	} {
		if got := SniffFormat([]byte(c.data)); got != c.want {
			t.Errorf("%q: %v, want %v", c.data, got, c.want)
		}
	}
}

// The sample data laid out as a workbook reads into the same dataset as the
// CSV, with the same line numbers.
func TestXLSXSameAsCSV(t *testing.T) {
	want, issues, err := ParseFile(sample.CSV, sample.Name)
	if err != nil || len(issues) > 0 {
		t.Fatal(err, issues)
	}
	// The name says .csv: the content decides.
	got, issues, err := ParseFile(rceptest.FromCSV(t, sample.CSV, "Sheet1"), "sample.csv")
	if err != nil || len(issues) > 0 {
		t.Fatalf("xlsx: %v %v", err, issues)
	}
	if got.Version.Effective != want.Version.Effective || got.Version.Title != want.Version.Title || got.Version.SHA256 == want.Version.SHA256 {
		t.Errorf("version %+v, want %+v (another file, another digest)", got.Version, want.Version)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"agreements", got.Agreements, want.Agreements},
		{"goods", got.Goods, want.Goods},
		{"mfn", got.MFN, want.MFN},
		{"lines", got.Lines, want.Lines},
		{"rules", got.Rules, want.Rules},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s differ from the CSV's", c.name)
		}
	}
	if err := Decide(got, nil, ImportAll); err != nil {
		t.Fatal(err)
	}
}

// Each error kind of the issue, by spreadsheet row, with the CSV's messages;
// rows moved down in the sheet move the line numbers with them.
func TestXLSXErrorsByRow(t *testing.T) {
	_, want, err := ParseFile([]byte(badFile), "bad.csv")
	if err != nil || len(want) != 5 {
		t.Fatal(err, want)
	}
	_, got, err := ParseFile(rceptest.FromCSV(t, []byte(badFile), "Sheet1"), "bad.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("issues\n%v\nwant the CSV's\n%v", got, want)
	}
	moved := "\n\n\n" + badFile
	_, want, _ = ParseFile([]byte(moved), "bad.csv")
	shifted, got, err := ParseFile(rceptest.FromCSV(t, []byte(moved), "Sheet1"), "bad.xlsx")
	if err != nil || !reflect.DeepEqual(got, want) || got[0].Line != 11 {
		t.Fatalf("three rows down: %v %v\nwant\n%v", err, got, want)
	}
	var ie *ImportError
	if err := Decide(shifted, got, ImportAll); !errors.As(err, &ie) || !strings.HasPrefix(ie.Issues[0].String(), "第 11 行：税号“0805.2X.00”格式不正确") {
		t.Fatalf("refusal %v", err)
	}
}

// header and base rows of a workbook whose cells are typed as Excel types
// them; the tests add the rows under test.
func typedRows(extra ...[]any) [][]any {
	pct := func(v float64) rceptest.Styled { return rceptest.Styled{Value: v, NumFmt: 10} } // 0.00%
	day := func(s string) rceptest.Styled {
		d, _ := time.Parse("2006-01-02", s)
		return rceptest.Styled{Value: d, NumFmt: 14}
	}
	rows := [][]any{
		{"记录类型", "字段1", "字段2"},
		{"版本", 45658, "数字单元格"}, // 45658 is Excel's serial day of 2025-01-01
		{"协定", "RCEP", "RCEP", "区域全面经济伙伴关系协定", day("2022-01-01")},
		{"缔约方", "RCEP", "CN", "中国", day("2022-01-01")},
		{"缔约方", "RCEP", "JP", "日本", day("2022-01-01")},
		{"商品", 8052100, "柑橘"},                         // 0805.21.00 typed into a General cell
		{"商品", 84713000, "便携式电脑"},                     // no leading zero to lose
		{"商品", "0303.89.90", "其他鱼"},                   // text as in CSV
		{"最惠国", "CN", 8052100, 12},                    // rate 12%
		{"最惠国", "CN", 84713000, 0},                    //
		{"最惠国", "CN", "03038990", 10.910000000000002}, // floating point residue of 10.91
		{"协定税率", "RCEP", "CN", "JP", 8052100, pct(0.12), "B10", "2022=10.8", "2023=9.6"},
		{"协定税率", "RCEP", "CN", "JP", 84713000, 0, "A", "2022=0"},
		{"协定税率", "RCEP", "CN", "JP", "03038990", 0.5, "B5", "2022=0.4"}, // 0.5 in a General cell is 0.5%
		{"原产地规则", "RCEP", 8, "CC"},                                      // chapter 08 as the number 8
		{"原产地规则", "RCEP", 8471, "RVC40 或 CTSH"},
		{"原产地规则", "RCEP", 30389, "CTH"}, // 0303.89
	}
	return append(rows, extra...)
}

func TestXLSXNumericCells(t *testing.T) {
	ds, issues, err := ParseFile(rceptest.Workbook(t, rceptest.Sheet{Name: "Sheet1", Rows: typedRows()}), "typed.xlsx")
	if err != nil || len(issues) > 0 {
		t.Fatalf("%v %v", err, issues)
	}
	if ds.Version.Effective.String() != "2025-01-01" || ds.Agreements[0].Effective.String() != "2022-01-01" {
		t.Errorf("dates: version %s agreement %s", ds.Version.Effective, ds.Agreements[0].Effective)
	}
	var goods []string
	for _, g := range ds.Goods {
		goods = append(goods, g.HS)
	}
	if want := []string{"08052100", "84713000", "03038990"}; !reflect.DeepEqual(goods, want) {
		t.Errorf("goods %v, want %v", goods, want)
	}
	rates := map[string]Rate{}
	for _, m := range ds.MFN {
		rates[m.HS] = m.Rate
	}
	if rates["08052100"] != 1200 || rates["84713000"] != 0 || rates["03038990"] != 1091 {
		t.Errorf("MFN rates %v", rates)
	}
	base := map[string]Rate{}
	for _, l := range ds.Lines {
		base[l.HS] = l.Base
	}
	if base["08052100"] != 1200 || base["03038990"] != 50 {
		t.Errorf("base rates %v (12%% in a percentage cell, 0.5 in a General cell)", base)
	}
	var prefixes []string
	for _, r := range ds.Rules {
		prefixes = append(prefixes, r.Prefix)
	}
	if want := []string{"08", "8471", "030389"}; !reflect.DeepEqual(prefixes, want) {
		t.Errorf("rule ranges %v, want %v", prefixes, want)
	}
}

// What cannot be repaired is refused on its row with the CSV's message.
func TestXLSXNumericCellErrors(t *testing.T) {
	rows := typedRows(
		[]any{"商品", 8471.3, "8471.30 typed as a number"},                               // row 18: trailing zero lost
		[]any{"最惠国", "CN", 84713000, 10.915},                                           // row 19: three decimals
		[]any{"最惠国", "JP", 84713000, rceptest.Styled{Value: 17.5, NumFmt: 9}},          // row 20: 1750%
		[]any{"协定税率", "RCEP", "JP", "CN", 84713000, -1, "A", "2022=0"},                 // row 21: negative
		[]any{"缔约方", "RCEP", "KR", "韩国", 20220201},                                     // row 22: not a serial day
		[]any{"商品", 84713000, "重复"},                                                    // row 23: duplicate
		[]any{"协定税率", "RCEP", "CN", "JP", 8052100, 12, "B10", "2023=9.6", "2022=10.8"}, // row 24: years out of order
	)
	_, issues, err := ParseFile(rceptest.Workbook(t, rceptest.Sheet{Name: "Sheet1", Rows: rows}), "typed.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		18: "税号“8471.3”格式不正确：税则税号应为 8 位或 10 位数字",
		19: "最惠国税率“10.915”格式不正确",
		20: "最惠国税率“1750”超出范围",
		21: "基准税率“-1”超出范围：不能为负数",
		22: "对该缔约方生效日期“20220201”格式不正确",
		23: "重复的商品 8471.30.00（与第 7 行重复）",
		24: "年份顺序错误：2022 年排在 2023 年之后",
	}
	got := map[int]string{}
	for _, i := range issues {
		got[i.Line] += i.Message
	}
	for line, frag := range want {
		if !strings.Contains(got[line], frag) {
			t.Errorf("row %d: want %q, got %q", line, frag, got[line])
		}
	}
	if len(issues) != len(want) {
		t.Errorf("issues: %v", issues)
	}
}

func TestXLSXSheetChoice(t *testing.T) {
	notes := rceptest.Sheet{Name: "说明", Rows: [][]any{{"本工作簿的税率数据在“税率数据”工作表"}}}
	data := rceptest.Workbook(t, notes, rceptest.Sheet{Name: XLSXSheet, Rows: typedRows()})
	if _, issues, err := ParseFile(data, "two.xlsx"); err != nil || len(issues) > 0 {
		t.Fatalf("the sheet named %s must be read: %v %v", XLSXSheet, err, issues)
	}
	// Without it, the first sheet is read.
	data = rceptest.Workbook(t, notes, rceptest.Sheet{Name: "数据", Rows: typedRows()})
	if _, _, err := ParseFile(data, "two.xlsx"); err == nil || !strings.Contains(errs.MessageOf(err), "没有“版本”记录") {
		t.Fatalf("the first sheet must be read: %v", err)
	}
}

func TestXLSXUnreadable(t *testing.T) {
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	empty := rceptest.Workbook(t, rceptest.Sheet{Name: "Sheet1"})
	onlyHeader := rceptest.Workbook(t, rceptest.Sheet{Name: "Sheet1", Rows: [][]any{{"记录类型", "字段1"}}})
	truncated := rceptest.FromCSV(t, sample.CSV, "Sheet1")
	truncated = truncated[:len(truncated)/2]
	for _, c := range []struct {
		name string
		data []byte
		frag string
	}{
		{"old.xls", xls, "旧版 Excel 文件（.xls）"},
		{"old.csv", xls, "另存为"}, // the content decides, not the name
		{"empty.xlsx", empty, "工作表“Sheet1”是空的"},
		{"header.xlsx", onlyHeader, "文件中没有“版本”记录"},
		{"cut.xlsx", truncated, "不是完整的 Excel 工作簿"},
		{"big.xlsx", make([]byte, MaxFileBytes+1), "文件过大"},
	} {
		ds, issues, err := ParseFile(c.data, c.name)
		if err == nil || ds != nil || issues != nil || errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), c.frag) {
			t.Errorf("%s: %v, want an Invalid error saying %q", c.name, err, c.frag)
		}
	}
}

// zipWith builds an archive of one part whose header declares size bytes
// unpacked while it holds content, deflated.
func zipWith(t *testing.T, name string, content []byte, size uint64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
	fw.Write(content)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

// A zip bomb is refused before it is unpacked, by the sizes its parts
// declare; a part that lies about its size is cut off by the zip reader.
func TestXLSXZipBomb(t *testing.T) {
	zeros := make([]byte, 8<<20)
	for _, c := range []struct {
		name string
		data []byte
		frag string
	}{
		{"declared huge sheet", zipWith(t, "xl/worksheets/sheet1.xml", zeros[:1024], 4<<30), "解压后过大"},
		{"declared big styles", zipWith(t, "xl/styles.xml", zeros[:1024], 64<<20), "解压后过大"},
		{"lying header", zipWith(t, "[Content_Types].xml", zeros, 1000), "无法读取 Excel 工作簿"},
	} {
		_, _, err := ParseFile(c.data, "bomb.xlsx")
		if err == nil || errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), c.frag) {
			t.Errorf("%s: %v, want %q", c.name, err, c.frag)
		}
	}
}

func TestXLSXRowLimits(t *testing.T) {
	data := rceptest.Workbook(t, rceptest.Sheet{Name: "Sheet1", Rows: typedRows()})
	defer func(r, c int) { maxXLSXRows, maxXLSXCells = r, c }(maxXLSXRows, maxXLSXCells)
	maxXLSXRows = 10
	if _, _, err := ParseFile(data, "rows.xlsx"); err == nil || !strings.Contains(errs.MessageOf(err), "过大：最多读取 10 行") {
		t.Errorf("rows: %v", err)
	}
	maxXLSXRows, maxXLSXCells = 1000, 40
	if _, _, err := ParseFile(data, "cells.xlsx"); err == nil || !strings.Contains(errs.MessageOf(err), "40 个单元格") {
		t.Errorf("cells: %v", err)
	}
	maxXLSXCells = 1000
	if _, issues, err := ParseFile(data, "ok.xlsx"); err != nil || len(issues) > 0 {
		t.Errorf("within the limits: %v %v", err, issues)
	}
}

func TestXLSXCellRules(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"805", "0805"}, {"8052100", "08052100"}, {"8", "08"}, {"30389", "030389"},
		{"84713000", "84713000"}, {"0805", "0805"}, {"8.4713E7", "84713000"}, {"805.21", "805.21"},
		{"0805.21.00", "0805.21.00"}, {"", ""}, {"12345678901", "12345678901"}, {"坏", "坏"},
	} {
		if got := xlsxHS(c.in); got != c.want {
			t.Errorf("xlsxHS(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		pct  bool
		want string
	}{
		{"12", false, "12"}, {"0.12", true, "12"}, {"0.1091", true, "10.91"}, {"10.910000000000002", false, "10.91"},
		{"0.05", false, "0.05"}, {"10.915", false, "10.915"}, {"0.10915", true, "10.915"}, {"5%", false, "5%"},
		{"1.2E1", false, "12"}, {"-1", false, "-1"}, {"abc", true, "abc"},
	} {
		if got := xlsxRate(c.in, c.pct); got != c.want {
			t.Errorf("xlsxRate(%q, %v) = %q, want %q", c.in, c.pct, got, c.want)
		}
	}
	for _, c := range []struct {
		in     string
		d1904  bool
		wanted string
	}{
		{"45658", false, "2025-01-01"}, {"44197", true, "2025-01-02"}, {"45658.75", false, "2025-01-01"},
		{"2025-01-01", false, "2025-01-01"}, {"20250101", false, "20250101"}, {"0", false, "0"},
	} {
		if got := xlsxDate(c.in, c.d1904); got != c.wanted {
			t.Errorf("xlsxDate(%q, %v) = %q, want %q", c.in, c.d1904, got, c.wanted)
		}
	}
}

// BenchmarkParseFile reads the same data, 10,000 schedule lines (30,000
// rows with their products and MFN rates), as CSV and as a workbook:
// go test ./internal/rcep -run '^$' -bench ParseFile
func BenchmarkParseFile(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("版本,2025-01-01,基准测试\n协定,RCEP,RCEP,区域全面经济伙伴关系协定,2022-01-01\n缔约方,RCEP,CN,中国,2022-01-01\n缔约方,RCEP,JP,日本,2022-01-01\n")
	for i := range 10000 {
		hs := 10000000 + i
		fmt.Fprintf(&buf, "商品,%d,商品%d\n最惠国,CN,%d,12\n协定税率,RCEP,CN,JP,%d,12,B10,2022=10.8,2023=9.6,2024=8.4,2025=7.2,2026=6,2027=4.8\n", hs, i, hs, hs)
	}
	files := map[string][]byte{"csv": buf.Bytes(), "xlsx": rceptest.FromCSV(b, buf.Bytes(), "Sheet1")}
	for _, name := range []string{"csv", "xlsx"} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(files[name])))
			for b.Loop() {
				ds, issues, err := ParseFile(files[name], "bench")
				if err != nil || len(issues) > 0 || len(ds.Lines) != 10000 {
					b.Fatal(err, issues)
				}
			}
		})
	}
}
