package rcep

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// The import format of the tariff data (税率数据导入格式), also described in
// docs/rcep-data-format.md.
//
// A file is CSV in UTF-8 (a byte-order mark is allowed; Excel's "CSV UTF-8"
// works), or an XLSX workbook laid out the same way, one record per row
// (see xlsx.go for the sheet read and the cells Excel turns into numbers).
// Each row is one record; its first cell names the kind of record,
// and the other cells follow in this order (trailing empty cells are
// ignored, so rows exported from a spreadsheet may be padded):
//
//	版本,生效日期,说明
//	协定,代码,简称,全称,生效日期
//	缔约方,协定代码,国家代码,国家名称,生效日期
//	商品,税号,商品名称[,别名；别名…]
//	最惠国,进口方,税号,税率
//	协定税率,协定代码,进口方,原产方,税号,基准税率,降税类别[,年份=税率…]
//	原产地规则,协定代码,税号范围,规则
//
// Rows starting with # are comments; blank rows are skipped; a first row
// whose first cell is 记录类型 is taken as a header and skipped.
//
//   - 版本 (exactly one): the date from which this data is in force
//     (YYYY-MM-DD) and a title. A title containing 示例数据 marks sample data.
//     Every import is a complete version: a query for a date uses the
//     version in force on that date.
//   - 协定: a code of letters, digits, - or _ (RCEP, ACFTA) used in the file
//     and in the API; the short name shown on pages (中国—东盟); the full name;
//     the date of first entry into force.
//   - 缔约方: a party to the agreement, by ISO 3166-1 two-letter code (CN, JP,
//     KR, TH…) and Chinese name, with the date the agreement entered into
//     force for it (not before the agreement's date). Every agreement needs
//     China (CN) among its parties.
//   - 商品: a tariff line of China's nomenclature (8 or 10 digits, dots
//     allowed: 0805.21.00), its name, and optional aliases for search.
//   - 最惠国: the MFN rate an importing party (CN for China's own tariff, or
//     a partner for its tariff on Chinese goods) applies to the line.
//   - 协定税率: a line of an agreement's schedule. 进口方 applies it to goods
//     originating in 原产方: one party, several joined by | (TH|VN|MY), or *
//     for every other party. Partners' schedules are recorded under China's
//     codes of the same HS subheading. 基准税率 is the base rate, 降税类别 the
//     staging category; then the rate for each year, "2022=10.91", in
//     increasing order of years: a rate applies from 1 January of its year
//     until the next listed year, and the last one for good. A line of
//     category U, X, E or 例外 (excluded from the phase-down) lists no years.
//   - 原产地规则: the product-specific rule of an agreement for a chapter (2
//     digits), heading (4), subheading (6) or line (8); the longest that
//     matches a product applies. Rules use the grammar of rule.go.
//
// Rates are percentages with at most two decimals (10.91 means 10.91%),
// 0 ≤ rate < 1000.
//
// Errors are reported by line (in a workbook, the sheet's row number): a
// malformed HS code, a duplicate record, a rate out of range, years out of
// order, an unknown agreement or party, a schedule line without an MFN
// rate or product. An import either takes every record or none (ImportAll,
// the default), or, when the user asks, takes the records without errors
// and keeps the list of those skipped (ImportGood).

// ImportMode says what an import does with records that have errors.
type ImportMode string

// The import modes.
const (
	ImportAll  ImportMode = "all"  // 全部无误才导入 (default): any error rejects the file
	ImportGood ImportMode = "good" // 仅导入无误的记录: skip those with errors, keep the list
)

// ParseImportMode reads a mode; "" is the default, ImportAll.
func ParseImportMode(s string) (ImportMode, error) {
	switch strings.TrimSpace(s) {
	case "", "all":
		return ImportAll, nil
	case "good":
		return ImportGood, nil
	}
	return "", errs.FieldError("mode", "导入方式应为 all（全部无误才导入）或 good（仅导入无误的记录）")
}

// Label is the mode's Chinese name.
func (m ImportMode) Label() string {
	if m == ImportGood {
		return "仅导入无误的记录"
	}
	return "全部无误才导入"
}

// Issue is an error found on one line of an imported file.
type Issue struct {
	Line    int
	Message string
}

func (i Issue) String() string {
	if i.Line == 0 {
		return i.Message
	}
	return fmt.Sprintf("第 %d 行：%s", i.Line, i.Message)
}

// ImportError rejects a whole file, listing every issue by line.
type ImportError struct{ Issues []Issue }

func (e *ImportError) Error() string {
	return fmt.Sprintf("导入未成功：发现 %d 处错误，未导入任何数据", len(e.Issues))
}

// Record kinds.
const (
	kindVersion   = "版本"
	kindAgreement = "协定"
	kindParty     = "缔约方"
	kindGood      = "商品"
	kindMFN       = "最惠国"
	kindLine      = "协定税率"
	kindRule      = "原产地规则"
)

var (
	codeRE    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,20}$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
)

// excludedStaging are the staging categories of lines excluded from the
// phase-down (例外产品), which list no yearly rates.
var excludedStaging = map[string]bool{"U": true, "X": true, "E": true, "EXCL": true, "例外": true}

// MaxIssues bounds the issues reported for one file; past it the file is
// plainly not in the format.
const MaxIssues = 500

// MaxFileBytes bounds an import file, CSV or XLSX. A full schedule of
// every agreement is a few megabytes of CSV.
const MaxFileBytes = 32 << 20

// ParseFile reads an import file, CSV or XLSX: the form is taken from the
// content (an XLSX workbook is a ZIP archive), not from the name, and an
// old binary .xls workbook is refused with a sentence saying what to do
// (see xlsx.go). It returns the records without errors, every issue by
// line (for XLSX the spreadsheet's row number), and an error only when the
// file cannot be read at all (not UTF-8, broken CSV quoting, an unreadable
// workbook, no 版本 record). Whether the file is then imported depends on
// the mode: see Decide.
func ParseFile(data []byte, source string) (*Dataset, []Issue, error) {
	if len(data) > MaxFileBytes {
		return nil, nil, errs.E(errs.Invalid, "文件过大：税率数据文件不应超过 %d MB", MaxFileBytes>>20)
	}
	var p *parser
	var err error
	switch SniffFormat(data) {
	case FormatXLS:
		return nil, nil, errs.E(errs.Invalid, xlsRefusal)
	case FormatXLSX:
		p = newParser(data, source)
		err = p.readXLSX(data)
	default:
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			return nil, nil, errs.E(errs.Invalid, "文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后再导入")
		}
		p = newParser(data, source)
		err = p.readCSV(data)
	}
	if err != nil {
		return nil, nil, err
	}
	if p.versionLine == 0 {
		return nil, nil, errs.E(errs.Invalid, "文件中没有“版本”记录：第一条记录应为“版本,生效日期,说明”，例如“版本,2025-01-01,2025年协定税率”")
	}
	if !p.versionOK {
		return nil, p.sorted(), errs.Wrap(errs.Invalid, &ImportError{Issues: p.sorted()}, "“版本”记录有误，文件未导入：%s", p.versionIssue)
	}
	p.resolve()
	return p.ds, p.sorted(), nil
}

func newParser(data []byte, source string) *parser {
	sum := sha256.Sum256(data)
	p := &parser{ds: &Dataset{}, first: true}
	p.ds.Version.Source = source
	p.ds.Version.SHA256 = hex.EncodeToString(sum[:])
	return p
}

// readCSV feeds the records of a CSV file to the checks.
func (p *parser) readCSV(data []byte) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return errs.E(errs.Invalid, "第 %d 行：CSV 格式错误（%s），文件未导入", pe.Line, csvReason(pe.Err))
			}
			return errs.Wrap(errs.Invalid, err, "读取文件失败")
		}
		line, _ := cr.FieldPos(0)
		if !p.row(line, rec) {
			return nil
		}
	}
}

// row takes one row of cells, whatever the file's form: cells are
// trimmed, trailing empty cells dropped, blank rows and a first row of
// headings (记录类型) skipped. It reports false when the file has more
// issues than MaxIssues and reading should stop.
func (p *parser) row(line int, rec []string) bool {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	for len(rec) > 0 && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	if len(rec) == 0 {
		return true
	}
	if p.first && rec[0] == "记录类型" {
		p.first = false
		return true
	}
	p.first = false
	p.record(line, rec)
	return len(p.issues) <= MaxIssues
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "引号不成对"
	case errors.Is(err, csv.ErrFieldCount):
		return "列数不对"
	}
	return err.Error()
}

// Decide applies the mode: with ImportAll any issue rejects the file (an
// Invalid error wrapping *ImportError); with ImportGood the file is taken
// when at least one tariff line survived.
func Decide(ds *Dataset, issues []Issue, mode ImportMode) error {
	if mode != ImportGood && len(issues) > 0 {
		return errs.Wrap(errs.Invalid, &ImportError{Issues: issues}, "导入未成功：发现 %d 处错误，未导入任何数据。请改正后重新导入，或选择“仅导入无误的记录”", len(issues))
	}
	if len(ds.Lines) == 0 {
		if len(issues) > 0 {
			return errs.Wrap(errs.Invalid, &ImportError{Issues: issues}, "导入未成功：没有一条无误的协定税率记录")
		}
		return errs.E(errs.Invalid, "导入未成功：文件中没有协定税率记录")
	}
	ds.Version.Mode = mode
	return nil
}

type lineKey struct{ agreement, importer, hs string }

type parser struct {
	ds           *Dataset
	issues       []Issue
	first        bool // no row read yet (a heading row may come)
	versionLine  int
	versionOK    bool
	versionIssue string

	agreements map[string]int // code → line
	parties    map[string]int // agreement/country → line
	goods      map[string]int
	mfn        map[string]int // importer/hs → line
	rules      map[string]int // agreement/prefix → line
	// schedule lines: per (agreement, importer, hs), the line of a * row
	// and of each named origin
	lines map[lineKey]map[string]int

	pendingParties []Party
	pendingLines   []Line
	pendingRules   []PSR
	pendingMFN     []MFN
}

func (p *parser) add(line int, format string, args ...any) {
	p.issues = append(p.issues, Issue{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) sorted() []Issue {
	sort.SliceStable(p.issues, func(i, j int) bool { return p.issues[i].Line < p.issues[j].Line })
	return p.issues
}

var columns = map[string]struct {
	min, max int
	layout   string
}{
	kindVersion:   {3, 3, "版本,生效日期,说明"},
	kindAgreement: {5, 5, "协定,代码,简称,全称,生效日期"},
	kindParty:     {5, 5, "缔约方,协定代码,国家代码,国家名称,生效日期"},
	kindGood:      {3, 4, "商品,税号,商品名称[,别名]"},
	kindMFN:       {4, 4, "最惠国,进口方,税号,税率"},
	kindLine:      {7, 200, "协定税率,协定代码,进口方,原产方,税号,基准税率,降税类别,年份=税率…"},
	kindRule:      {4, 4, "原产地规则,协定代码,税号范围,规则"},
}

func (p *parser) record(line int, rec []string) {
	kind := rec[0]
	c, ok := columns[kind]
	if !ok {
		p.add(line, "无法识别的记录类型“%s”：应为 版本、协定、缔约方、商品、最惠国、协定税率、原产地规则 之一", kind)
		return
	}
	if len(rec) < c.min || len(rec) > c.max {
		p.add(line, "“%s”记录应为 %s，本行有 %d 列", kind, c.layout, len(rec))
		if kind == kindVersion && p.versionLine == 0 {
			p.versionLine, p.versionIssue = line, "列数不对"
		}
		return
	}
	switch kind {
	case kindVersion:
		p.version(line, rec)
	case kindAgreement:
		p.agreement(line, rec)
	case kindParty:
		p.party(line, rec)
	case kindGood:
		p.good(line, rec)
	case kindMFN:
		p.mfnRow(line, rec)
	case kindLine:
		p.scheduleLine(line, rec)
	case kindRule:
		p.rule(line, rec)
	}
}

func (p *parser) version(line int, rec []string) {
	if p.versionLine != 0 {
		p.add(line, "重复的“版本”记录（第 %d 行已有）：一个文件只能有一条", p.versionLine)
		return
	}
	p.versionLine = line
	d, err := calendar.ParseDate(rec[1])
	if err != nil {
		p.versionIssue = fmt.Sprintf("生效日期“%s”格式不正确，应为 YYYY-MM-DD", rec[1])
		p.add(line, "%s", p.versionIssue)
		return
	}
	if rec[2] == "" {
		p.versionIssue = "缺少说明"
		p.add(line, "“版本”记录缺少说明")
		return
	}
	p.ds.Version.Effective = d
	p.ds.Version.Title = rec[2]
	p.versionOK = true
}

func (p *parser) date(line int, s, what string) (calendar.Date, bool) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		p.add(line, "%s“%s”格式不正确，应为 YYYY-MM-DD", what, s)
		return d, false
	}
	return d, true
}

func (p *parser) agreement(line int, rec []string) {
	a := Agreement{Code: rec[1], Short: rec[2], Name: rec[3], Line: line}
	ok := true
	if !codeRE.MatchString(a.Code) {
		p.add(line, "协定代码“%s”格式不正确：应为字母、数字、- 或 _，不超过 20 个字符", a.Code)
		ok = false
	}
	if a.Short == "" || a.Name == "" {
		p.add(line, "协定的简称和全称不能为空")
		ok = false
	}
	d, dok := p.date(line, rec[4], "协定生效日期")
	a.Effective = d
	if !ok || !dok {
		return
	}
	if p.agreements == nil {
		p.agreements = map[string]int{}
	}
	key := strings.ToUpper(a.Code)
	if prev, dup := p.agreements[key]; dup {
		p.add(line, "重复的协定“%s”（与第 %d 行重复）", a.Code, prev)
		return
	}
	p.agreements[key] = line
	p.ds.Agreements = append(p.ds.Agreements, a)
}

func (p *parser) party(line int, rec []string) {
	pt := Party{Agreement: rec[1], Country: strings.ToUpper(rec[2]), Name: rec[3], Line: line}
	ok := true
	if !countryRE.MatchString(pt.Country) {
		p.add(line, "国家代码“%s”格式不正确：应为两位字母（ISO 3166-1，如 JP、KR、TH）", rec[2])
		ok = false
	}
	if pt.Name == "" {
		p.add(line, "国家名称不能为空")
		ok = false
	}
	d, dok := p.date(line, rec[4], "对该缔约方生效日期")
	pt.Effective = d
	if ok && dok {
		p.pendingParties = append(p.pendingParties, pt)
	}
}

func (p *parser) good(line int, rec []string) {
	hs, err := ParseLineHS(rec[1])
	if err != nil {
		p.add(line, "%s", errs.MessageOf(err))
		return
	}
	g := Good{HS: hs, Name: rec[2], Line: line}
	if g.Name == "" || utf8.RuneCountInString(g.Name) > 200 {
		p.add(line, "商品名称不能为空，且不超过 200 字")
		return
	}
	if len(rec) > 3 {
		for _, k := range strings.FieldsFunc(rec[3], func(r rune) bool { return r == ';' || r == '；' || r == '、' }) {
			if k = strings.TrimSpace(k); k != "" {
				g.Keywords = append(g.Keywords, k)
			}
		}
	}
	if p.goods == nil {
		p.goods = map[string]int{}
	}
	if prev, dup := p.goods[hs]; dup {
		p.add(line, "重复的商品 %s（与第 %d 行重复）", FormatHS(hs), prev)
		return
	}
	p.goods[hs] = line
	p.ds.Goods = append(p.ds.Goods, g)
}

func (p *parser) mfnRow(line int, rec []string) {
	m := MFN{Importer: strings.ToUpper(rec[1]), Line: line}
	ok := true
	if !countryRE.MatchString(m.Importer) {
		p.add(line, "进口方“%s”格式不正确：应为两位字母国家代码", rec[1])
		ok = false
	}
	hs, err := ParseLineHS(rec[2])
	if err != nil {
		p.add(line, "%s", errs.MessageOf(err))
		ok = false
	}
	m.HS = hs
	r, err := ParseRate(rec[3])
	if err != nil {
		p.add(line, "最惠国%s", errs.MessageOf(err))
		ok = false
	}
	m.Rate = r
	if ok {
		p.pendingMFN = append(p.pendingMFN, m)
	}
}

func (p *parser) scheduleLine(line int, rec []string) {
	l := Line{Agreement: rec[1], Importer: strings.ToUpper(rec[2]), Staging: rec[6], Line: line}
	ok := true
	if !countryRE.MatchString(l.Importer) {
		p.add(line, "进口方“%s”格式不正确：应为两位字母国家代码", rec[2])
		ok = false
	}
	if rec[3] == "*" {
		l.Origins = []string{"*"}
	} else {
		for _, o := range strings.Split(rec[3], "|") {
			o = strings.ToUpper(strings.TrimSpace(o))
			if !countryRE.MatchString(o) {
				p.add(line, "原产方“%s”格式不正确：应为两位字母国家代码，多个用 | 分隔，或 * 表示其他所有缔约方", rec[3])
				ok = false
				break
			}
			l.Origins = append(l.Origins, o)
		}
	}
	hs, err := ParseLineHS(rec[4])
	if err != nil {
		p.add(line, "%s", errs.MessageOf(err))
		ok = false
	}
	l.HS = hs
	if l.Base, err = ParseRate(rec[5]); err != nil {
		p.add(line, "基准%s", errs.MessageOf(err))
		ok = false
	}
	if l.Staging == "" {
		p.add(line, "降税类别不能为空")
		ok = false
	}
	prevYear := 0
	for _, cell := range rec[7:] {
		ys, rs, found := strings.Cut(cell, "=")
		if !found {
			p.add(line, "分年税率“%s”格式不正确：应为 年份=税率，如 2022=10.91", cell)
			ok = false
			break
		}
		y, err := strconv.Atoi(strings.TrimSpace(ys))
		if err != nil || y < 1990 || y > 2100 {
			p.add(line, "分年税率“%s”中的年份不正确：应为 1990–2100 之间的四位年份", cell)
			ok = false
			break
		}
		if y <= prevYear {
			if y == prevYear {
				p.add(line, "年份 %d 重复", y)
			} else {
				p.add(line, "年份顺序错误：%d 年排在 %d 年之后，分年税率应按年份从早到晚排列", y, prevYear)
			}
			ok = false
			break
		}
		prevYear = y
		r, err := ParseRate(rs)
		if err != nil {
			p.add(line, "%d 年%s", y, errs.MessageOf(err))
			ok = false
			break
		}
		l.Rates = append(l.Rates, YearRate{Year: y, Rate: r})
	}
	if ok {
		excl := excludedStaging[strings.ToUpper(l.Staging)]
		switch {
		case excl && len(l.Rates) > 0:
			p.add(line, "降税类别“%s”表示例外产品，不应列出分年税率", l.Staging)
			ok = false
		case !excl && len(l.Rates) == 0:
			p.add(line, "缺少分年税率（年份=税率）；例外产品的降税类别应填 U、X、E 或 例外")
			ok = false
		}
	}
	if ok {
		p.pendingLines = append(p.pendingLines, l)
	}
}

func (p *parser) rule(line int, rec []string) {
	prefix, err := ParseRulePrefix(rec[2])
	if err != nil {
		p.add(line, "%s", errs.MessageOf(err))
		return
	}
	r, err := ParseRule(rec[3])
	if err != nil {
		p.add(line, "%s", errs.MessageOf(err))
		return
	}
	p.pendingRules = append(p.pendingRules, PSR{Agreement: rec[1], Prefix: prefix, Text: r.String(), Rule: r, Line: line})
}

// resolve checks the records that refer to others (parties to agreements,
// lines to parties, products and MFN rates), now that all are read, so
// the order of rows in the file does not matter.
func (p *parser) resolve() {
	agreement := func(code string) (*Agreement, bool) {
		for i := range p.ds.Agreements {
			if strings.EqualFold(p.ds.Agreements[i].Code, code) {
				return &p.ds.Agreements[i], true
			}
		}
		return nil, false
	}
	p.parties = map[string]int{}
	for _, pt := range p.pendingParties {
		a, ok := agreement(pt.Agreement)
		if !ok {
			p.add(pt.Line, "协定“%s”未定义（或其“协定”记录有误）", pt.Agreement)
			continue
		}
		pt.Agreement = a.Code
		key := a.Code + "/" + pt.Country
		if prev, dup := p.parties[key]; dup {
			p.add(pt.Line, "重复的缔约方 %s（与第 %d 行重复）", pt.Country, prev)
			continue
		}
		if pt.Effective.Before(a.Effective) {
			p.add(pt.Line, "对 %s 的生效日期 %s 早于协定生效日期 %s", pt.Name, pt.Effective, a.Effective)
			continue
		}
		p.parties[key] = pt.Line
		a.Parties = append(a.Parties, pt)
	}
	var kept []Agreement
	for _, a := range p.ds.Agreements {
		if _, ok := a.Party(China); !ok {
			p.add(a.Line, "协定“%s”缺少中国（CN）的“缔约方”记录", a.Code)
			continue
		}
		kept = append(kept, a)
	}
	p.ds.Agreements = kept
	isParty := func(code string) bool {
		for _, a := range p.ds.Agreements {
			if _, ok := a.Party(code); ok {
				return true
			}
		}
		return false
	}

	p.mfn = map[string]int{}
	for _, m := range p.pendingMFN {
		if !isParty(m.Importer) {
			p.add(m.Line, "进口方 %s 不是任何协定的缔约方", m.Importer)
			continue
		}
		if _, ok := p.goods[m.HS]; !ok {
			p.add(m.Line, "税号 %s 未在“商品”记录中登记", FormatHS(m.HS))
			continue
		}
		key := m.Importer + "/" + m.HS
		if prev, dup := p.mfn[key]; dup {
			p.add(m.Line, "重复的最惠国税率：%s 的税号 %s（与第 %d 行重复）", m.Importer, FormatHS(m.HS), prev)
			continue
		}
		p.mfn[key] = m.Line
		p.ds.MFN = append(p.ds.MFN, m)
	}

	p.lines = map[lineKey]map[string]int{}
	for _, l := range p.pendingLines {
		if !p.checkLine(&l, agreement) {
			continue
		}
		p.ds.Lines = append(p.ds.Lines, l)
	}

	p.rules = map[string]int{}
	for _, r := range p.pendingRules {
		a, ok := agreement(r.Agreement)
		if !ok {
			p.add(r.Line, "协定“%s”未定义（或其“协定”记录有误）", r.Agreement)
			continue
		}
		r.Agreement = a.Code
		key := a.Code + "/" + r.Prefix
		if prev, dup := p.rules[key]; dup {
			p.add(r.Line, "重复的原产地规则：%s 的 %s（与第 %d 行重复）", a.Code, FormatHS(r.Prefix), prev)
			continue
		}
		p.rules[key] = r.Line
		p.ds.Rules = append(p.ds.Rules, r)
	}
}

func (p *parser) checkLine(l *Line, agreement func(string) (*Agreement, bool)) bool {
	a, ok := agreement(l.Agreement)
	if !ok {
		p.add(l.Line, "协定“%s”未定义（或其“协定”记录有误）", l.Agreement)
		return false
	}
	l.Agreement = a.Code
	if _, ok := a.Party(l.Importer); !ok {
		p.add(l.Line, "进口方 %s 不是%s的缔约方", l.Importer, a.Short)
		return false
	}
	china := l.Importer == China
	for _, o := range l.Origins {
		if o == "*" || o == China {
			china = true
			continue
		}
		if o == l.Importer {
			p.add(l.Line, "原产方不能与进口方相同（%s）", o)
			return false
		}
		if _, ok := a.Party(o); !ok {
			p.add(l.Line, "原产方 %s 不是%s的缔约方", o, a.Short)
			return false
		}
	}
	if !china {
		p.add(l.Line, "本行既不是我国进口（进口方 CN），也不适用于我国原产货物（原产方含 CN 或 *），本服务不使用")
		return false
	}
	if len(l.Rates) > 0 && l.Rates[0].Year < a.Effective.Year() {
		p.add(l.Line, "分年税率从 %d 年开始，早于%s生效年份 %d", l.Rates[0].Year, a.Short, a.Effective.Year())
		return false
	}
	if _, ok := p.goods[l.HS]; !ok {
		p.add(l.Line, "税号 %s 未在“商品”记录中登记", FormatHS(l.HS))
		return false
	}
	if _, ok := p.mfn[l.Importer+"/"+l.HS]; !ok {
		p.add(l.Line, "进口方 %s 对税号 %s 没有“最惠国”税率记录，无法计算节省的税款", l.Importer, FormatHS(l.HS))
		return false
	}
	key := lineKey{a.Code, l.Importer, l.HS}
	seen := p.lines[key]
	if seen == nil {
		seen = map[string]int{}
		p.lines[key] = seen
	}
	for _, o := range l.Origins {
		if prev, dup := seen[o]; dup {
			p.add(l.Line, "重复的协定税率：%s %s 对原产方 %s 的税号 %s（与第 %d 行重复）", a.Short, l.Importer, o, FormatHS(l.HS), prev)
			return false
		}
		if o == "*" && len(seen) > 0 {
			other, prev := "", 0
			for c, n := range seen {
				if prev == 0 || n < prev || n == prev && c < other {
					other, prev = c, n
				}
			}
			p.add(l.Line, "重复的协定税率：原产方 * 已包含第 %d 行的原产方 %s（%s 税号 %s）", prev, other, a.Short, FormatHS(l.HS))
			return false
		}
		if prev, star := seen["*"]; star && o != "*" {
			p.add(l.Line, "重复的协定税率：原产方 %s 已由第 %d 行的 * 覆盖（%s 税号 %s）", o, prev, a.Short, FormatHS(l.HS))
			return false
		}
	}
	for _, o := range l.Origins {
		seen[o] = l.Line
	}
	return true
}
