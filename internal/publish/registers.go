package publish

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file keeps the registers of 条例第二十条 that table 二 of the annual
// report counts (国办公开办函〔2021〕30号, 二、主动公开政府信息情况):
//
//   - 第二十条第（一）项 规章 and 行政规范性文件: items whose DocKind is Rule or
//     Normative. Issued in a year: made (成文) in it; abolished: declared
//     废止 on a day in it; in force on a day: made by then and neither
//     abolished nor expired (失效) by then. Only documents whose publication
//     was ordered count (规范性文件 are always published).
//   - 第二十条第（五）项 行政许可 and 第（六）项 行政处罚、行政强制: one Decision
//     per decision made, counted by the day it was made (本年处理决定数量).
//     Decisions marked for 双公示 are published on the portal.
//   - 第二十条第（八）项 行政事业性收费: one Fee per amount collected, summed
//     in 万元 without rounding.

// DecisionKind is the kind of an administrative decision.
type DecisionKind string

// Decision kinds.
const (
	Licensing   DecisionKind = "licensing"   // 行政许可
	Penalty     DecisionKind = "penalty"     // 行政处罚
	Enforcement DecisionKind = "enforcement" // 行政强制
)

// DecisionKinds lists the kinds in printed order.
var DecisionKinds = []DecisionKind{Licensing, Penalty, Enforcement}

// Label is the kind's Chinese name.
func (k DecisionKind) Label() string {
	switch k {
	case Licensing:
		return "行政许可"
	case Penalty:
		return "行政处罚"
	case Enforcement:
		return "行政强制"
	}
	return string(k)
}

// ParseDecisionKind accepts a kind's identifier or Chinese name.
func ParseDecisionKind(s string) (DecisionKind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range DecisionKinds {
		if s == string(k) || s == k.Label() || s == strings.TrimPrefix(k.Label(), "行政") {
			return k, true
		}
	}
	return "", false
}

// Subject types of a decision's counterpart (行政相对人).
const (
	SubjectOrg    = "org"    // 法人或其他组织
	SubjectPerson = "person" // 自然人
)

// Decision is one administrative decision (行政许可、行政处罚、行政强制决定).
type Decision struct {
	ID          int64
	UnitID      int64
	Kind        DecisionKind
	DocNo       string // 决定文书号
	Subject     string // 行政相对人名称
	SubjectType string // SubjectOrg or SubjectPerson
	CreditCode  string // 统一社会信用代码 (organisations)
	Matter      string // 许可事项 / 违法行为 / 强制措施
	Result      string // 决定内容
	Basis       string // 依据
	DecidedOn   calendar.Date
	// Publicize puts the decision on the portal (行政执法“双公示”).
	Publicize bool
	CreatedBy string
	CreatedAt time.Time
}

// PublicSubject is the counterpart's name as the portal shows it: a
// natural person's given name is masked (个人信息保护).
func (d Decision) PublicSubject() string {
	if d.SubjectType != SubjectPerson {
		return d.Subject
	}
	rs := []rune(d.Subject)
	if len(rs) <= 1 {
		return d.Subject
	}
	return string(rs[0]) + strings.Repeat("*", len(rs)-1)
}

// ValidateDecision checks a decision before it is stored.
func ValidateDecision(d *Decision) error {
	var f errs.Fields
	d.DocNo = strings.TrimSpace(d.DocNo)
	d.Subject = strings.TrimSpace(d.Subject)
	d.CreditCode = strings.ToUpper(strings.TrimSpace(d.CreditCode))
	d.Matter = strings.TrimSpace(d.Matter)
	d.Result = strings.TrimSpace(d.Result)
	d.Basis = strings.TrimSpace(d.Basis)
	if _, ok := ParseDecisionKind(string(d.Kind)); !ok {
		f.Add("kind", "类别应为行政许可、行政处罚或行政强制")
	}
	if d.DocNo == "" {
		f.Add("doc_no", "请填写决定文书号")
	}
	if d.Subject == "" {
		f.Add("subject", "请填写行政相对人名称")
	}
	switch d.SubjectType {
	case SubjectOrg:
		if d.CreditCode != "" && utf8.RuneCountInString(d.CreditCode) != 18 {
			f.Add("credit_code", "统一社会信用代码应为 18 位")
		}
	case SubjectPerson:
		d.CreditCode = ""
	default:
		f.Add("subject_type", "相对人类型应为法人或其他组织、自然人")
	}
	if d.Matter == "" {
		f.Add("matter", "请填写事项")
	}
	if d.DecidedOn.IsZero() {
		f.Add("decided_on", "请填写决定日期（YYYY-MM-DD）")
	}
	return f.Err()
}

// decisionColumns are the columns of the import file, by header.
var decisionColumns = []string{"类别", "决定文书号", "行政相对人", "相对人类型", "统一社会信用代码", "事项", "决定内容", "依据", "决定日期", "双公示"}

// DecisionCSVHeader is the header line of the import file.
var DecisionCSVHeader = strings.Join(decisionColumns, ",")

// LineError is what is wrong with one line of an import file.
type LineError struct {
	Line    int
	Message string
}

// ImportError lists every line at fault; nothing is imported when there is one.
type ImportError struct{ Lines []LineError }

func (e *ImportError) Error() string {
	var b strings.Builder
	for i, l := range e.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "第 %d 行：%s", l.Line, l.Message)
	}
	return b.String()
}

// MaxImportLines bounds one import file.
const MaxImportLines = 100000

// ParseDecisionsCSV reads decisions from a CSV file with the header
// DecisionCSVHeader (columns in any order; UTF-8 or GB18030, as Excel saves
// it). Every line at fault is reported with its number.
func ParseDecisionsCSV(r io.Reader) ([]Decision, error) {
	raw, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "读取导入文件失败")
	}
	cr := csv.NewReader(strings.NewReader(decodeText(bytes.TrimSpace(raw))))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, errs.E(errs.Invalid, "导入文件为空或不是 CSV 格式，第一行应为：%s", DecisionCSVHeader)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	var missing []string
	for _, c := range decisionColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &ImportError{Lines: []LineError{{1, "表头缺少列：" + strings.Join(missing, "、") + "（应为：" + DecisionCSVHeader + "）"}}}
	}
	var out []Decision
	var bad []LineError
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			bad = append(bad, LineError{line, "CSV 格式错误：" + err.Error()})
			continue
		}
		if len(out)+len(bad) >= MaxImportLines {
			return nil, errs.E(errs.Invalid, "导入文件超过 %d 行，请分批导入", MaxImportLines)
		}
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		var d Decision
		var msgs []string
		kind, ok := ParseDecisionKind(get("类别"))
		if !ok {
			msgs = append(msgs, "类别“"+get("类别")+"”应为行政许可、行政处罚或行政强制")
		}
		d.Kind = kind
		d.DocNo, d.Subject, d.CreditCode = get("决定文书号"), get("行政相对人"), get("统一社会信用代码")
		d.Matter, d.Result, d.Basis = get("事项"), get("决定内容"), get("依据")
		switch get("相对人类型") {
		case "自然人", "个人", SubjectPerson:
			d.SubjectType = SubjectPerson
		case "法人或其他组织", "法人", "企业", "其他组织", SubjectOrg, "":
			d.SubjectType = SubjectOrg
		default:
			msgs = append(msgs, "相对人类型“"+get("相对人类型")+"”应为法人或其他组织、自然人")
		}
		if v := get("决定日期"); v != "" {
			dt, err := calendar.ParseDate(strings.ReplaceAll(v, "/", "-"))
			if err != nil {
				msgs = append(msgs, "决定日期“"+v+"”格式应为 YYYY-MM-DD")
			}
			d.DecidedOn = dt
		}
		switch get("双公示") {
		case "是", "1", "Y", "y", "yes", "true":
			d.Publicize = true
		case "否", "0", "N", "n", "no", "false", "":
		default:
			msgs = append(msgs, "双公示“"+get("双公示")+"”应为是或否")
		}
		if err := ValidateDecision(&d); err != nil {
			var fe *errs.FormError
			if asFormError(err, &fe) {
				for _, f := range fe.Fields {
					if f.Field == "kind" && !ok || f.Field == "subject_type" && d.SubjectType == "" || f.Field == "decided_on" && get("决定日期") != "" {
						continue // already reported above
					}
					msgs = append(msgs, f.Message)
				}
			}
		}
		if d.DocNo != "" && d.Kind != "" {
			key := string(d.Kind) + "\x00" + d.DocNo
			if first, dup := seen[key]; dup {
				msgs = append(msgs, "决定文书号“"+d.DocNo+"”与第 "+strconv.Itoa(first)+" 行重复")
			} else {
				seen[key] = line
			}
		}
		if len(msgs) > 0 {
			bad = append(bad, LineError{line, strings.Join(msgs, "；")})
			continue
		}
		out = append(out, d)
	}
	if len(bad) > 0 {
		return nil, &ImportError{Lines: bad}
	}
	if len(out) == 0 {
		return nil, errs.E(errs.Invalid, "导入文件中没有决定记录")
	}
	return out, nil
}

// Fee is an amount of administrative fees collected (行政事业性收费).
type Fee struct {
	ID          int64
	UnitID      int64
	CollectedOn calendar.Date
	Item        string // 收费项目
	Basis       string // 收费依据
	AmountFen   int64  // in fen (分), to keep sums exact
	Payer       string
	ReceiptNo   string
	CreatedBy   string
	CreatedAt   time.Time
}

// Yuan writes the amount in yuan with two decimals.
func (f Fee) Yuan() string { return fmt.Sprintf("%d.%02d", f.AmountFen/100, f.AmountFen%100) }

// ParseYuan reads an amount in yuan with at most two decimals ("1,250.5").
func ParseYuan(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, errs.FieldError("amount", "金额应为元，最多两位小数")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n <= 0 || strings.HasPrefix(whole, "-") {
		return 0, errs.FieldError("amount", "金额应为大于零的数，单位元，最多两位小数")
	}
	return n, nil
}

// ValidateFee checks a fee record before it is stored.
func ValidateFee(f *Fee) error {
	var fs errs.Fields
	f.Item = strings.TrimSpace(f.Item)
	f.Basis = strings.TrimSpace(f.Basis)
	if f.CollectedOn.IsZero() {
		fs.Add("collected_on", "请填写收费日期（YYYY-MM-DD）")
	}
	if f.Item == "" {
		fs.Add("item", "请填写收费项目")
	}
	if f.Basis == "" {
		fs.Add("basis", "请填写收费依据")
	}
	if f.AmountFen <= 0 {
		fs.Add("amount", "金额应大于零")
	}
	return fs.Err()
}

// WanYuan writes an amount in fen as 万元, exactly, with no trailing zeros
// ("0", "1.25", "0.003812").
func WanYuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	s := strconv.FormatInt(fen/1000000, 10)
	if r := fen % 1000000; r != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%06d", r), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// DocFact is what table 二 needs of one rule or normative document.
type DocFact struct {
	Kind       DocKind
	MadeOn     calendar.Date
	Validity   Validity
	ValidityOn calendar.Date
}

// InForceOn reports whether the document was in force on day: made by then
// and not abolished or expired by then.
func (d DocFact) InForceOn(day calendar.Date) bool {
	if d.MadeOn.IsZero() || d.MadeOn.After(day) {
		return false
	}
	if (d.Validity == Abolished || d.Validity == Expired) && !d.ValidityOn.IsZero() && !d.ValidityOn.After(day) {
		return false
	}
	return true
}

// DocCountsOf counts the documents of one kind for table 二: issued and
// abolished in year, in force on 31 December.
func DocCountsOf(docs []DocFact, kind DocKind, year int) annual.DocCounts {
	end, _ := calendar.NewDate(year, time.December, 31)
	var issued, abolished, inForce int
	for _, d := range docs {
		if d.Kind != kind {
			continue
		}
		if d.MadeOn.Year() == year {
			issued++
		}
		if d.Validity == Abolished && d.ValidityOn.Year() == year {
			abolished++
		}
		if d.InForceOn(end) {
			inForce++
		}
	}
	return annual.DocCounts{Issued: annual.N(issued), Abolished: annual.N(abolished), InForce: annual.N(inForce)}
}

// Table2Of computes table 二 from the registers: the unit's rules and
// normative documents, its decisions of the year by kind, and the fees it
// collected in the year (in fen).
func Table2Of(docs []DocFact, year int, decisions map[DecisionKind]int, feesFen int64) *annual.Table2 {
	fees := WanYuan(feesFen)
	return &annual.Table2{
		Regulations:          DocCountsOf(docs, Rule, year),
		NormativeDocuments:   DocCountsOf(docs, Normative, year),
		LicensingDecisions:   annual.N(decisions[Licensing]),
		PenaltyDecisions:     annual.N(decisions[Penalty]),
		EnforcementDecisions: annual.N(decisions[Enforcement]),
		FeesWanYuan:          &fees,
	}
}
