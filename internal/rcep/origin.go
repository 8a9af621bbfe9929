package rcep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/errs"
)

// The origin calculator (原产地计算器) applies RCEP 第三章 (原产地规则):
//
//   - 第3.2条: a good is originating when it is wholly obtained (WO), or
//     meets its product-specific rule (附件三A), which is a tariff shift,
//     a regional value content, or a combination.
//   - 第3.5条第一款: the regional value content (区域价值成分) is computed by
//     either formula, at the exporter's choice:
//     build-down (间接/扣减法)  RVC = (FOB − VNM) / FOB × 100%
//     build-up   (直接/累加法)  RVC = (VOM + 直接人工成本 + 直接经营费用
//     + 利润 + 其他成本) / FOB × 100%;
//     第3.5条第四款: materials of undetermined origin count as
//     non-originating.
//   - 第3.7条 (微小含量): a good that fails a change in tariff
//     classification is still originating when the non-originating
//     materials that did not undergo the change are worth no more than 10%
//     of the good's FOB value (any chapter); for goods of chapters 50–63
//     their weight may instead be no more than 10% of the good's weight.
//     De minimis rescues only the tariff shift: other tests of the rule
//     still apply, and the materials' value stays in VNM (第3.7条第二款).
//
// A tariff shift is tested material by material, so it needs the
// materials: non-originating value declared (VNM) but not listed by HS
// code is of unknown classification. It is taken as not having changed;
// when even so the test is met (de minimis covers it) the answer stands,
// otherwise the shift — and a rule that depends on it — cannot be judged
// (无法判断) until the materials are listed.
//
// All amounts are integer fen and every comparison is exact integer
// arithmetic: an RVC of exactly 40.00% meets RVC40.

// DeMinimis is the de minimis allowance (微小含量标准), in basis points.
type DeMinimis struct {
	ValueBP  int64 // share of the FOB value, any chapter
	WeightBP int64 // share of the good's weight, chapters 50–63
}

// DefaultDeMinimis is RCEP 第3.7条第一款: 10% of the FOB value, and for
// goods of chapters 50–63, alternatively 10% of the weight.
var DefaultDeMinimis = DeMinimis{ValueBP: 1000, WeightBP: 1000}

// The settings that override DefaultDeMinimis (basis points, as text).
const (
	SettingDeMinimisValue  = "rcep.de_minimis.value_bp"
	SettingDeMinimisWeight = "rcep.de_minimis.weight_bp"
)

// DeMinimisFrom reads the allowance from the settings, falling back to the
// default for a missing or malformed value.
func DeMinimisFrom(get func(key, def string) string) DeMinimis {
	d := DefaultDeMinimis
	if v, err := strconv.ParseInt(get(SettingDeMinimisValue, ""), 10, 64); err == nil && v >= 0 && v <= 10000 {
		d.ValueBP = v
	}
	if v, err := strconv.ParseInt(get(SettingDeMinimisWeight, ""), 10, 64); err == nil && v >= 0 && v <= 10000 {
		d.WeightBP = v
	}
	return d
}

// ParseDeMinimis reads a percentage typed by an administrator (0–100, two
// decimals) into basis points.
func ParseDeMinimis(s, field string) (int64, error) {
	r, err := ParseRate(s)
	if err != nil || r > 10000 {
		return 0, errs.FieldError(field, "微小含量比例应为 0 至 100 之间的百分数，最多两位小数")
	}
	return int64(r), nil
}

// Method is the RVC formula the exporter chooses (第3.5条第一款).
type Method string

// The formulas.
const (
	BuildDown Method = "down" // 扣减法: (FOB − VNM) / FOB
	BuildUp   Method = "up"   // 累加法: (VOM + 人工 + 经营费用 + 利润 + 其他) / FOB
	BothWays  Method = "both" // compute both; the rule is met if either meets it
)

// Label is the method's Chinese name.
func (m Method) Label() string {
	switch m {
	case BuildUp:
		return "累加法（直接法）"
	case BothWays:
		return "扣减法和累加法"
	}
	return "扣减法（间接法）"
}

// Material is a non-originating material (非原产材料) or one of
// undetermined origin.
type Material struct {
	HS        string // at least 6 digits
	Value     Fen    // CIF value at import, or the earliest ascertainable price (第3.5条第三款)
	Weight    Grams
	HasWeight bool
}

// OriginInput is what the calculator needs.
type OriginInput struct {
	Agreement string // for the explanation
	HS        string // the good, at least 6 digits
	Rule      *Rule
	RuleText  string // as written in the data, for the explanation
	Method    Method
	FOB       Fen // 离岸价格, > 0
	// VNM is the value of non-originating materials (非原产材料价值). When
	// VNMGiven is false it is the sum of the listed materials.
	VNM      Fen
	VNMGiven bool
	// The build-up components.
	VOM, Labour, Overhead, Profit, Other Fen
	Materials                            []Material
	Weight                               Grams // the good's weight, for chapters 50–63
	HasWeight                            bool
	DeMinimis                            DeMinimis
}

// OriginResult is the calculator's answer, with every step explained.
type OriginResult struct {
	Originating bool
	// Undetermined: the rule cannot be judged from what was given (a
	// tariff shift with non-originating value not listed as materials);
	// Originating is then false.
	Undetermined bool
	Steps        []string // each step in Chinese, in order
	VNM          Fen
	RVCDown      *Percent // set when computed
	RVCUp        *Percent
}

// Validate checks the input and reports every field at fault.
func (in *OriginInput) Validate() error {
	var f errs.Fields
	if in.Rule == nil {
		f.Add("rule", "缺少产品特定原产地规则")
	}
	if in.FOB <= 0 {
		f.Add("fob", "离岸价格（FOB）应大于 0")
	}
	for _, c := range []struct {
		field, label string
		v            Fen
	}{{"vnm", "非原产材料价值", in.VNM}, {"vom", "原产材料价值", in.VOM}, {"labour", "直接人工成本", in.Labour},
		{"overhead", "直接经营费用", in.Overhead}, {"profit", "利润", in.Profit}, {"other", "其他成本", in.Other}} {
		if c.v < 0 {
			f.Add(c.field, "%s不能为负数", c.label)
		}
	}
	var sum Fen
	for i, m := range in.Materials {
		field, label := fmt.Sprintf("m%d", i+1), fmt.Sprintf("第 %d 项材料", i+1)
		switch {
		case !validMaterialHS(m.HS):
			f.Add(field, "%s的税号应为至少 6 位数字（HS 子目）", label)
		case m.Value < 0:
			f.Add(field, "%s的价值不能为负数", label)
		case m.Weight < 0:
			f.Add(field, "%s的重量不能为负数", label)
		}
		sum += m.Value
	}
	if in.Weight < 0 {
		f.Add("weight", "产品重量不能为负数")
	}
	if in.VNMGiven && in.VNM < sum {
		f.Add("vnm", "非原产材料价值（%s 元）不应小于所列非原产材料价值之和（%s 元）", in.VNM, sum)
	}
	if in.Method != BuildDown && in.Method != BuildUp && in.Method != BothWays {
		f.Add("method", "请选择区域价值成分的计算方法")
	}
	if hs, err := CleanHS(in.HS); err != nil || hs != in.HS || len(hs) < 6 {
		f.Add("hs", "产品税号应为至少 6 位数字")
	}
	return f.Err()
}

// Evaluate decides whether the good is originating under its rule,
// explaining each step.
func Evaluate(in OriginInput) (*OriginResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	res := &OriginResult{}
	step := func(format string, args ...any) { res.Steps = append(res.Steps, fmt.Sprintf(format, args...)) }
	rule := in.Rule.String()
	step("产品税号 %s（第 %02d 章 %s），适用%s产品特定原产地规则：%s，即%s。",
		FormatHS(in.HS), Chapter(in.HS), ChapterName(Chapter(in.HS)), agreementLabel(in.Agreement), rule, in.Rule.Describe())

	res.VNM = in.VNM
	if !in.VNMGiven {
		for _, m := range in.Materials {
			res.VNM += m.Value
		}
		if len(in.Materials) == 0 {
			step("未列出非原产材料，非原产材料价值（VNM）按 0 元计（未确定原产地的材料应作为非原产材料列出，第3.5条第四款）。")
		} else {
			step("非原产材料价值（VNM）为所列 %d 项非原产材料价值之和：%s 元。", len(in.Materials), res.VNM)
		}
	} else {
		step("非原产材料价值（VNM）按填写的 %s 元计。", res.VNM)
	}

	needRVC, _ := in.Rule.Needs()
	if needRVC {
		if in.Method == BuildDown || in.Method == BothWays {
			p := Percent{Num: int64(in.FOB - res.VNM), Den: int64(in.FOB)}
			res.RVCDown = &p
			step("扣减法（第3.5条第一款(a)项）：RVC = (FOB − VNM) ÷ FOB × 100%% = (%s − %s) ÷ %s × 100%% = %s。",
				in.FOB, res.VNM, in.FOB, p)
		}
		if in.Method == BuildUp || in.Method == BothWays {
			num := in.VOM + in.Labour + in.Overhead + in.Profit + in.Other
			p := Percent{Num: int64(num), Den: int64(in.FOB)}
			res.RVCUp = &p
			step("累加法（第3.5条第一款(b)项）：RVC = (原产材料价值 + 直接人工成本 + 直接经营费用 + 利润 + 其他成本) ÷ FOB × 100%% = (%s + %s + %s + %s + %s) ÷ %s × 100%% = %s ÷ %s × 100%% = %s。",
				in.VOM, in.Labour, in.Overhead, in.Profit, in.Other, in.FOB, num, in.FOB, p)
			if num > in.FOB {
				step("注意：累加各项之和超过离岸价格，请核对所填成本。")
			}
		}
	}

	switch in.eval(in.Rule, res, step) {
	case met:
		res.Originating = true
		step("结论：该产品符合%s原产地规则“%s”，可作为原产货物申请享受%s协定税率（还须满足直接运输等其他要求）。", agreementLabel(in.Agreement), rule, agreementLabel(in.Agreement))
	case unknown:
		res.Undetermined = true
		step("结论：无法判断该产品是否符合%s原产地规则“%s”：请逐项列出非原产材料（税号和价值）后重新计算。", agreementLabel(in.Agreement), rule)
	default:
		step("结论：该产品不符合%s原产地规则“%s”，不能凭该协定享受协定税率。", agreementLabel(in.Agreement), rule)
	}
	return res, nil
}

// verdict of one test: met, not met, or not to be judged from the input.
type outcome int

const (
	notMet outcome = iota
	met
	unknown
)

func metIf(ok bool) outcome {
	if ok {
		return met
	}
	return notMet
}

func agreementLabel(a string) string {
	if a == "" {
		return ""
	}
	return a + " "
}

// eval tests one node of the rule. Both sides of 或 and 且 are always
// evaluated, so that the explanation covers every test.
func (in *OriginInput) eval(r *Rule, res *OriginResult, step func(string, ...any)) outcome {
	switch r.Kind {
	case RuleOr:
		var got []outcome
		for _, k := range r.Kids {
			got = append(got, in.eval(k, res, step))
		}
		switch {
		case slices.Contains(got, met):
			step("“%s”：各项之一满足即可，已满足。", r)
			return met
		case slices.Contains(got, unknown):
			step("“%s”：其余各项不满足，有无法判断的项，无法判断。", r)
			return unknown
		}
		step("“%s”：各项均不满足。", r)
		return notMet
	case RuleAnd:
		var got []outcome
		for _, k := range r.Kids {
			got = append(got, in.eval(k, res, step))
		}
		switch {
		case slices.Contains(got, notMet):
			step("“%s”：各项均须满足，有未满足的项。", r)
			return notMet
		case slices.Contains(got, unknown):
			step("“%s”：各项均须满足，有无法判断的项，无法判断。", r)
			return unknown
		}
		step("“%s”：各项均须满足，均已满足。", r)
		return met
	case RuleWO:
		if len(in.Materials) == 0 && res.VNM == 0 {
			step("完全获得（WO）：未使用任何非原产材料，满足（须确属第3.3条所列完全获得货物）。")
			return met
		}
		step("完全获得（WO）：使用了非原产材料（价值 %s 元），不满足；微小含量标准不适用于完全获得标准。", res.VNM)
		return notMet
	case RuleRVC:
		thr := r.Threshold
		pass := false
		var parts []string
		if res.RVCDown != nil {
			ok := res.RVCDown.AtLeast(thr)
			pass = pass || ok
			parts = append(parts, "扣减法 "+res.RVCDown.String()+verdict(ok))
		}
		if res.RVCUp != nil {
			ok := res.RVCUp.AtLeast(thr)
			pass = pass || ok
			parts = append(parts, "累加法 "+res.RVCUp.String()+verdict(ok))
		}
		how := "（以整数精确比较，不作四舍五入：分子 × 100 与门槛百分数 × FOB 比较）"
		if pass {
			step("区域价值成分不低于 %d%%：%s，满足%s。", thr, strings.Join(parts, "；"), how)
		} else {
			step("区域价值成分不低于 %d%%：%s，不满足%s。", thr, strings.Join(parts, "；"), how)
		}
		return metIf(pass)
	case RuleCC, RuleCTH, RuleCTSH:
		return in.shift(r.Kind, res.VNM, step)
	}
	return notMet
}

func verdict(ok bool) string {
	if ok {
		return "（达到）"
	}
	return "（未达到）"
}

// shift tests a change in tariff classification and, when it fails, the
// de minimis allowance (第3.7条). Non-originating value not listed as
// materials (vnm above their sum) is of unknown classification: when the
// listed materials already fail, the test fails whatever it is; when they
// pass and the unlisted value, even if none of it changed, is within the
// allowance, the test is met; otherwise it cannot be judged.
func (in *OriginInput) shift(kind RuleKind, vnm Fen, step func(string, ...any)) outcome {
	digits, level := 2, "章"
	switch kind {
	case RuleCTH:
		digits, level = 4, "品目"
	case RuleCTSH:
		digits, level = 6, "子目"
	}
	name := ruleWords[kind]
	own := in.HS[:digits]
	var listed Fen
	for _, m := range in.Materials {
		listed += m.Value
	}
	unlisted := max(vnm-listed, 0)
	if len(in.Materials) == 0 && unlisted == 0 {
		step("%s：未使用非原产材料，满足。", name)
		return met
	}
	var failed []Material
	var lines []string
	for i, m := range in.Materials {
		same := m.HS[:digits] == own
		if same {
			failed = append(failed, m)
			lines = append(lines, fmt.Sprintf("材料%d %s 与产品同属%s %s，未发生%s改变", i+1, FormatHS(m.HS), level, FormatHS(own), level))
		} else {
			lines = append(lines, fmt.Sprintf("材料%d %s 属%s %s，已发生%s改变", i+1, FormatHS(m.HS), level, FormatHS(m.HS[:digits]), level))
		}
	}
	if len(lines) > 0 {
		step("%s：逐项比较所列非原产材料与产品（%s %s）的税则归类——%s。", name, level, FormatHS(own), strings.Join(lines, "；"))
	}
	var val Fen
	for _, m := range failed {
		val += m.Value
	}
	if !in.listedPass(failed, name, level, step) {
		if unlisted > 0 {
			step("%s：所列材料已不满足，另有 %s 元非原产材料价值未列出税号也不会改变这一结果。", name, unlisted)
		}
		step("%s：不满足。", name)
		return notMet
	}
	if unlisted == 0 {
		return met
	}
	// The unlisted value, counted as not having changed classification.
	worst := Percent{Num: int64(val + unlisted), Den: int64(in.FOB)}
	if worst.AtMost(in.DeMinimis.ValueBP) {
		step("%s：另有 %s 元非原产材料价值未列出税号；即使均未发生%s改变，连同所列未改变的材料共 %s 元，占离岸价格的 %s，不超过 %s（微小含量，第3.7条第一款(a)项），满足。",
			name, unlisted, level, val+unlisted, worst, BPString(in.DeMinimis.ValueBP))
		return met
	}
	step("%s：另有 %s 元非原产材料价值未列出税号，无法判断是否发生%s改变（若均未改变，共 %s 元，占离岸价格的 %s，超过 %s）：无法判断，请逐项列出非原产材料的税号和价值。",
		name, unlisted, level, val+unlisted, worst, BPString(in.DeMinimis.ValueBP))
	return unknown
}

// listedPass reports whether the listed materials meet the shift: each
// changed classification, or those that did not are within the de minimis
// allowance by value, or for chapters 50–63 by weight (第3.7条).
func (in *OriginInput) listedPass(failed []Material, name, level string, step func(string, ...any)) bool {
	if len(failed) == 0 {
		if len(in.Materials) > 0 {
			step("%s：所列非原产材料均已发生%s改变，满足。", name, level)
		}
		return true
	}
	var val Fen
	var wt Grams
	allWeighed := true
	for _, m := range failed {
		val += m.Value
		wt += m.Weight
		allWeighed = allWeighed && m.HasWeight
	}
	share := Percent{Num: int64(val), Den: int64(in.FOB)}
	valueOK := share.AtMost(in.DeMinimis.ValueBP)
	step("微小含量（第3.7条第一款(a)项）：未发生%s改变的非原产材料价值 %s 元，占离岸价格 %s 元的 %s，%s离岸价格的 %s。",
		level, val, in.FOB, share, map[bool]string{true: "不超过", false: "超过"}[valueOK], BPString(in.DeMinimis.ValueBP))
	if valueOK {
		step("%s：虽有非原产材料未发生%s改变，但符合微小含量标准，视为满足。", name, level)
		return true
	}
	ch := Chapter(in.HS)
	if ch >= 50 && ch <= 63 {
		switch {
		case !in.HasWeight || in.Weight <= 0:
			step("微小含量（第3.7条第一款(b)项）：产品属第50–63章，可按重量判断，但未填写产品重量，无法适用。")
		case !allWeighed:
			step("微小含量（第3.7条第一款(b)项）：产品属第50–63章，可按重量判断，但未发生%s改变的材料未全部填写重量，无法适用。", level)
		default:
			ws := Percent{Num: int64(wt), Den: int64(in.Weight)}
			weightOK := ws.AtMost(in.DeMinimis.WeightBP)
			step("微小含量（第3.7条第一款(b)项）：产品属第50–63章，未发生%s改变的非原产材料重量 %s，占产品重量 %s 的 %s，%s %s。",
				level, wt, in.Weight, ws, map[bool]string{true: "不超过", false: "超过"}[weightOK], BPString(in.DeMinimis.WeightBP))
			if weightOK {
				step("%s：按重量符合微小含量标准，视为满足。", name)
				return true
			}
		}
	}
	return false
}

// ValueText is the value allowance as a percentage: "10%".
func (d DeMinimis) ValueText() string { return BPString(d.ValueBP) }

// WeightText is the weight allowance as a percentage: "10%".
func (d DeMinimis) WeightText() string { return BPString(d.WeightBP) }

func validMaterialHS(hs string) bool {
	t, err := ParseMaterialHS(hs)
	return err == nil && t == hs
}
