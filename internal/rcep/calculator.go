package rcep

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// MaxMaterials is the number of material rows the calculator form offers.
const MaxMaterials = 8

// OriginForm is the calculator's input as typed (all fields text).
type OriginForm struct {
	Agreement, HS, Date, Rule, Method              string
	FOB, VNM, VOM, Labour, Overhead, Profit, Other string
	Weight                                         string
	Materials                                      [MaxMaterials]MaterialForm
}

// MaterialForm is one material row as typed.
type MaterialForm struct{ HS, Value, Weight string }

// Filled reports whether the row has anything in it.
func (m MaterialForm) Filled() bool {
	return strings.TrimSpace(m.HS+m.Value+m.Weight) != ""
}

// ParseOriginForm checks the typed input and reports every field at fault.
// Field names: agreement, hs, date, rule, method, fob, vnm, vom, labour,
// overhead, profit, other, weight, m1…m8.
func ParseOriginForm(f OriginForm, today calendar.Date) (OriginInput, calendar.Date, error) {
	var fe errs.Fields
	in := OriginInput{Agreement: strings.TrimSpace(f.Agreement)}
	if strings.TrimSpace(f.HS) == "" {
		fe.Add("hs", "请填写产品税号（至少 6 位）")
	} else if hs, err := ParseMaterialHS(f.HS); err != nil {
		fe.Add("hs", "产品%s", strings.TrimPrefix(errs.MessageOf(err), "材料"))
	} else {
		in.HS = hs
	}
	if in.Agreement == "" && strings.TrimSpace(f.Rule) == "" {
		fe.Add("agreement", "请选择协定（或直接填写原产地规则）")
	}
	date := today
	if s := strings.TrimSpace(f.Date); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			fe.Add("date", "日期“%s”格式不正确：应为 YYYY-MM-DD", s)
		} else {
			date = d
		}
	}
	if s := strings.TrimSpace(f.Rule); s != "" {
		r, err := ParseRule(s)
		if err != nil {
			fe.Add("rule", "%s", errs.MessageOf(err))
		} else {
			in.Rule, in.RuleText = r, r.String()
		}
	}
	switch strings.TrimSpace(f.Method) {
	case "", string(BuildDown):
		in.Method = BuildDown
	case string(BuildUp):
		in.Method = BuildUp
	case string(BothWays):
		in.Method = BothWays
	default:
		fe.Add("method", "计算方法应为扣减法、累加法或两种都算")
	}
	money := func(field, label, s string, required bool) Fen {
		if strings.TrimSpace(s) == "" {
			if required {
				fe.Add(field, "请填写%s", label)
			}
			return 0
		}
		v, err := ParseYuan(s, label)
		if err != nil {
			fe.Add(field, "%s", errs.MessageOf(err))
		}
		return v
	}
	in.FOB = money("fob", "离岸价格（FOB）", f.FOB, true)
	if strings.TrimSpace(f.VNM) != "" {
		in.VNM, in.VNMGiven = money("vnm", "非原产材料价值", f.VNM, false), true
	}
	up := in.Method == BuildUp || in.Method == BothWays
	in.VOM = money("vom", "原产材料价值", f.VOM, up)
	in.Labour = money("labour", "直接人工成本", f.Labour, false)
	in.Overhead = money("overhead", "直接经营费用", f.Overhead, false)
	in.Profit = money("profit", "利润", f.Profit, false)
	in.Other = money("other", "其他成本", f.Other, false)
	if s := strings.TrimSpace(f.Weight); s != "" {
		w, err := ParseKg(s, "产品重量")
		if err != nil {
			fe.Add("weight", "%s", errs.MessageOf(err))
		}
		in.Weight, in.HasWeight = w, err == nil
	}
	for i, m := range f.Materials {
		if !m.Filled() {
			continue
		}
		field := fmt.Sprintf("m%d", i+1)
		label := fmt.Sprintf("第 %d 项材料", i+1)
		var mat Material
		hs, err := ParseMaterialHS(m.HS)
		if err != nil {
			fe.Add(field, "%s：%s", label, errs.MessageOf(err))
			continue
		}
		mat.HS = hs
		if strings.TrimSpace(m.Value) == "" {
			fe.Add(field, "%s：请填写价值", label)
			continue
		}
		if mat.Value, err = ParseYuan(m.Value, label+"的价值"); err != nil {
			fe.Add(field, "%s", errs.MessageOf(err))
			continue
		}
		if strings.TrimSpace(m.Weight) != "" {
			if mat.Weight, err = ParseKg(m.Weight, label+"的重量"); err != nil {
				fe.Add(field, "%s", errs.MessageOf(err))
				continue
			}
			mat.HasWeight = true
		}
		in.Materials = append(in.Materials, mat)
	}
	if err := fe.Err(); err != nil {
		return in, date, err
	}
	return in, date, nil
}

// CheckOrigin runs the calculator for a typed form: it finds the
// agreement's product-specific rule for the product in the version in
// force on the form's date (unless a rule was typed), evaluates it, and
// keeps one record of the question.
func CheckOrigin(ctx context.Context, st Store, f OriginForm, dm DeMinimis, channel string, now time.Time, loc *time.Location) (*OriginResult, OriginInput, error) {
	today := calendar.DateOf(now.In(loc))
	in, date, err := ParseOriginForm(f, today)
	in.DeMinimis = dm
	var res *OriginResult
	var versionID int64
	if err == nil && in.Rule == nil {
		var v Version
		v, err = st.RCEPVersionAt(ctx, date)
		if errs.Is(err, errs.NotFound) {
			err = errs.FieldError("date", "%s尚无生效的税率数据", dayLabel(date))
		}
		var ds *Dataset
		if err == nil {
			versionID = v.ID
			ds, err = st.RCEPProductData(ctx, v.ID, in.HS)
		}
		var ags []Agreement
		if err == nil {
			ags, err = st.RCEPAgreements(ctx, v.ID)
		}
		if err == nil {
			base := &Dataset{Agreements: ags}
			a, ok := base.Agreement(in.Agreement)
			if !ok {
				err = errs.FieldError("agreement", "协定“%s”不在税率数据中，应为 %s 之一", in.Agreement, agreementShorts(ags))
			} else if psr, ok := ds.RuleFor(a.Code, in.HS); !ok {
				err = &errs.Error{Code: errs.NotFound, Field: "hs", Message: fmt.Sprintf("税率数据中没有%s对 %s 的产品特定原产地规则：可在“原产地规则”中直接填写", a.Short, FormatHS(in.HS))}
			} else {
				in.Agreement, in.Rule, in.RuleText = a.Short, psr.Rule, psr.Text
			}
		}
	}
	if err == nil {
		res, err = Evaluate(in)
	}
	rec := QueryRecord{At: now, Day: today, Kind: KindOrigin, Channel: channel, Date: date, HS: in.HS,
		Agreement: strings.ToUpper(strings.TrimSpace(f.Agreement)), VersionID: versionID, Outcome: OutcomeOf(err)}
	if res != nil {
		switch {
		case res.Originating:
			rec.Outcome = OutcomeOriginating
		case res.Undetermined:
			rec.Outcome = OutcomeUndetermined
		default:
			rec.Outcome = OutcomeNotOriginating
		}
	}
	if code := errs.CodeOf(err); err != nil && code != errs.Invalid && code != errs.NotFound {
		return nil, in, err
	}
	if rerr := st.RecordRCEPQuery(ctx, rec); rerr != nil {
		return nil, in, rerr
	}
	return res, in, err
}
