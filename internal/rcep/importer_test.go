package rcep

import (
	"errors"
	"strings"
	"testing"

	"gongkai/internal/errs"
	"gongkai/internal/rcep/sample"
)

func asForm(err error, fe **errs.FormError) bool { return errors.As(err, fe) }

func TestSampleParsesCleanly(t *testing.T) {
	ds, issues, err := ParseFile(sample.CSV, sample.Name)
	if err != nil || len(issues) > 0 {
		t.Fatalf("sample: %v %v", err, issues)
	}
	if !ds.Version.Sample() || ds.Version.Effective.String() != "2022-01-01" {
		t.Fatalf("version %+v", ds.Version)
	}
	if len(ds.Agreements) != 5 || len(ds.Goods) != 8 || len(ds.Lines) < 60 || len(ds.Rules) < 30 {
		t.Fatalf("counts: %d agreements %d goods %d lines %d rules", len(ds.Agreements), len(ds.Goods), len(ds.Lines), len(ds.Rules))
	}
	if err := Decide(ds, issues, ImportAll); err != nil {
		t.Fatal(err)
	}
}

// badFile has one error of each kind the issue names, on known lines.
const badFile = `# 测试文件：第 1 行是注释
记录类型,字段
版本,2025-01-01,测试版本
协定,RCEP,RCEP,区域全面经济伙伴关系协定,2022-01-01
缔约方,RCEP,CN,中国,2022-01-01
缔约方,RCEP,JP,日本,2022-01-01
商品,0805.21.00,柑橘
商品,0805.2X.00,坏税号
最惠国,CN,08052100,12
最惠国,JP,08052100,17
协定税率,RCEP,CN,JP,08052100,12,B10,2022=10.8,2023=9.6
协定税率,RCEP,CN,JP,0805.21.00,12,B10,2022=10.8
协定税率,RCEP,JP,CN,08052100,17,B10,2022=1700
协定税率,RCEP,JP,CN,08052100,17,B10,2023=15,2022=16
原产地规则,RCEP,08,CC 或
`

func TestImportErrorsByLine(t *testing.T) {
	ds, issues, err := ParseFile([]byte(badFile), "bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		8:  "税号“0805.2X.00”格式不正确",
		12: "与第 11 行重复",
		13: "超出范围",
		14: "年份顺序错误：2022 年排在 2023 年之后",
		15: "原产地规则“CC 或”无法识别",
	}
	got := map[int]string{}
	for _, i := range issues {
		got[i.Line] += i.Message
	}
	for line, frag := range want {
		if !strings.Contains(got[line], frag) {
			t.Errorf("line %d: want %q, got %q", line, frag, got[line])
		}
	}
	if len(issues) != len(want) {
		t.Errorf("issues: %v", issues)
	}
	// All or nothing (the default) refuses the file, listing every issue.
	err = Decide(ds, issues, ImportAll)
	var ie *ImportError
	if err == nil || !errors.As(err, &ie) || len(ie.Issues) != 5 || errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("ImportAll: %v", err)
	}
	if !strings.HasPrefix(ie.Issues[0].String(), "第 8 行：") {
		t.Fatalf("issue text %q", ie.Issues[0])
	}
	// Good rows only keeps line 11 and drops the rest.
	if err := Decide(ds, issues, ImportGood); err != nil {
		t.Fatal(err)
	}
	if len(ds.Lines) != 1 || ds.Lines[0].Line != 11 || len(ds.Goods) != 1 || len(ds.Rules) != 0 {
		t.Fatalf("kept %d lines %d goods %d rules", len(ds.Lines), len(ds.Goods), len(ds.Rules))
	}
}

func TestImportReferenceErrors(t *testing.T) {
	file := `版本,2025-01-01,测试
协定,RCEP,RCEP,区域全面经济伙伴关系协定,2022-01-01
缔约方,RCEP,CN,中国,2022-01-01
缔约方,RCEP,JP,日本,2021-12-01
缔约方,RCEP,KR,韩国,2022-02-01
商品,08052100,柑橘
商品,08052100,柑橘又一次
最惠国,CN,08052100,12
最惠国,CN,08052100,13
协定税率,RCEP,CN,US,08052100,12,A,2022=0
协定税率,RCEP,CN,KR,08052100,12,A,2020=0
协定税率,ACFTA,CN,*,08052100,12,A,2022=0
协定税率,RCEP,KR,CN,08052100,144,U
协定税率,RCEP,CN,KR,08052100,12,B10
最惠国,CN,0805210,5
协定税率,RCEP,CN,*,08052100,12,A,2022=0
协定税率,RCEP,CN,KR,08052100,12,U
`
	_, issues, err := ParseFile([]byte(file), "ref.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		4:  "早于协定生效日期",
		7:  "重复的商品 0805.21.00（与第 6 行重复）",
		9:  "重复的最惠国税率",
		10: "原产方 US 不是RCEP的缔约方",
		11: "早于RCEP生效年份",
		12: "协定“ACFTA”未定义",
		13: "没有“最惠国”税率记录",
		14: "缺少分年税率",
		15: "8 位或 10 位",
		17: "已由第 16 行的 * 覆盖",
	}
	got := map[int]string{}
	for _, i := range issues {
		got[i.Line] += i.Message
	}
	for line, frag := range want {
		if !strings.Contains(got[line], frag) {
			t.Errorf("line %d: want %q, got %q", line, frag, got[line])
		}
	}
	if len(issues) != len(want) {
		t.Errorf("issues: %v", issues)
	}
}

func TestImportFileErrors(t *testing.T) {
	if _, _, err := ParseFile([]byte("版本,2025-01-01,\xb0\xe6\xb1\xbe"), "gbk.csv"); err == nil || !strings.Contains(errs.MessageOf(err), "UTF-8") {
		t.Fatalf("GBK file: %v", err)
	}
	if _, _, err := ParseFile([]byte("商品,08052100,柑橘\n"), "nover.csv"); err == nil || !strings.Contains(errs.MessageOf(err), "没有“版本”记录") {
		t.Fatalf("no version: %v", err)
	}
	if _, _, err := ParseFile([]byte("版本,2025-13-01,x\n"), "baddate.csv"); err == nil || !strings.Contains(errs.MessageOf(err), "生效日期") {
		t.Fatalf("bad version date: %v", err)
	}
	if _, _, err := ParseFile([]byte("版本,2025-01-01,x\n商品,\"0805,柑橘\n"), "quote.csv"); err == nil || !strings.Contains(errs.MessageOf(err), "第 2 行：CSV 格式错误") {
		t.Fatalf("broken quote: %v", err)
	}
	// A byte-order mark and padded rows from a spreadsheet are fine.
	ds, issues, err := ParseFile(append([]byte("\xef\xbb\xbf"), []byte("版本,2025-01-01,x,,,\n")...), "bom.csv")
	if err != nil || len(issues) != 0 || ds.Version.Title != "x" {
		t.Fatalf("BOM: %v %v", err, issues)
	}
	if err := Decide(ds, issues, ImportAll); err == nil {
		t.Fatal("a file without tariff lines must not import")
	}
}

func TestRates(t *testing.T) {
	for in, want := range map[string]Rate{"12": 1200, "10.91": 1091, "8.5%": 850, "0": 0, "513.6": 51360, " 7.4 ": 740} {
		got, err := ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "1000", "1.234", "abc", "", "1e2", "."} {
		if _, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) should fail", in)
		}
	}
	if s := Rate(1091).String(); s != "10.91%" {
		t.Errorf("String %q", s)
	}
	if s := Rate(850).String(); s != "8.5%" {
		t.Errorf("String %q", s)
	}
	if s := Fen(123456789).String(); s != "1,234,567.89" {
		t.Errorf("Fen %q", s)
	}
	// Duty on 10,000.00 元 at 10.91% is 1,091.00 元; on 0.05 元 at 10% it
	// is 0.005 元, rounded half up to 0.01 元.
	if d := DutyOn(1_000_000, 1091); d != 109_100 {
		t.Errorf("DutyOn = %d", d)
	}
	if d := DutyOn(5, 1000); d != 1 {
		t.Errorf("DutyOn rounding = %d", d)
	}
}

func TestHS(t *testing.T) {
	for in, want := range map[string]string{"0805.21.00": "08052100", " 6109 10 00 ": "61091000", "8471": "8471"} {
		if got, err := CleanHS(in); err != nil || got != want {
			t.Errorf("CleanHS(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"00", "7700", "98010000", "0805A", "1", "08052100001"} {
		if _, err := CleanHS(in); err == nil {
			t.Errorf("CleanHS(%q) should fail", in)
		}
	}
	if _, err := ParseLineHS("080521"); err == nil {
		t.Error("a 6-digit tariff line must be refused")
	}
	if len(chapterNames) != 98 || ChapterName(8) != "食用水果及坚果" || ChapterName(97) != "艺术品、收藏品及古物" || ChapterName(61) != "针织或钩编的服装及衣着附件" {
		t.Errorf("chapter names: %d %q %q", len(chapterNames), ChapterName(8), ChapterName(97))
	}
	if FormatHS("08052100") != "0805.21.00" || FormatHS("847130") != "8471.30" {
		t.Error("FormatHS")
	}
}

func TestRuleGrammar(t *testing.T) {
	for in, want := range map[string]string{
		"RVC40":                  "RVC40",
		"rvc 40 or cth":          "RVC40 或 CTH",
		"RVC40或CTH":              "RVC40 或 CTH",
		"CTSH 且 RVC40":           "CTSH 且 RVC40",
		"（CC 或 CTH）且 RVC35":      "(CC 或 CTH) 且 RVC35",
		"CC or CTH and RVC40":    "CC 或 CTH 且 RVC40",
		"WO":                     "WO",
		"RVC40% 或 (CTH 和 RVC35)": "RVC40 或 CTH 且 RVC35",
	} {
		r, err := ParseRule(in)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", in, err)
			continue
		}
		if r.String() != want {
			t.Errorf("ParseRule(%q) = %q, want %q", in, r.String(), want)
		}
	}
	if d := mustRule(t, "RVC40 或 CTH").Describe(); d != "区域价值成分不低于40% 或 品目改变（CTH）" {
		t.Errorf("Describe %q", d)
	}
	for _, in := range []string{"", "RVC", "RVC0", "RVC101", "CTH 或", "(CC", "CC CTH", "XYZ", "CTH except 5201", "CC;"} {
		if _, err := ParseRule(in); err == nil {
			t.Errorf("ParseRule(%q) should fail", in)
		}
	}
}
