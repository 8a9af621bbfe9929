package rcep

import (
	"fmt"
	"strconv"
	"strings"

	"gongkai/internal/errs"
)

// Rate is an ad valorem duty rate in basis points (基点): 1 = 0.01%, so
// 1091 is 10.91%. Rates in the import format carry at most two decimals,
// so every rate is exact.
//
// A convenient identity: the duty on 10,000 元 of customs value, in 元, is
// the rate in basis points (10,000 × 10.91% = 1,091 元).
type Rate int64

// MaxRate bounds a rate: below 1000%. Some real MFN rates exceed 100%
// (out-of-quota agricultural lines), none comes near 1000%; the bound
// catches a missing decimal point such as "1091" for "10.91".
const MaxRate Rate = 100000

// ParseRate reads a percentage such as "12", "10.91" or "8.5%". It accepts
// at most two decimals and 0 ≤ rate < 1000%.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "%"), "％")
	t = strings.TrimSpace(t)
	if t == "" {
		return 0, errs.E(errs.Invalid, "税率为空")
	}
	if strings.HasPrefix(t, "-") {
		return 0, errs.E(errs.Invalid, "税率“%s”超出范围：不能为负数", s)
	}
	v, ok := parseDecimal(t, 2)
	if !ok {
		return 0, errs.E(errs.Invalid, "税率“%s”格式不正确：应为百分数，最多两位小数（如 10.91 表示 10.91%%）", s)
	}
	if v >= int64(MaxRate) {
		return 0, errs.E(errs.Invalid, "税率“%s”超出范围：应在 0 至 999.99 之间（以百分数填写）", s)
	}
	return Rate(v), nil
}

// String renders the rate as a percentage with as few decimals as it needs:
// "12%", "10.91%", "8.5%", "0%".
func (r Rate) String() string { return r.Number() + "%" }

// Number renders the rate without the percent sign.
func (r Rate) Number() string { return trimDecimal(int64(r), 2) }

// parseDecimal reads an unsigned decimal with at most places decimals and
// returns it scaled by 10^places. It refuses signs, exponents and anything
// that is not a digit or one point.
func parseDecimal(s string, places int) (int64, bool) {
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" && (!hasPoint || frac == "") {
		return 0, false
	}
	if len(frac) > places || (hasPoint && frac == "") {
		return 0, false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if len(whole) > 15 {
		return 0, false
	}
	frac += strings.Repeat("0", places-len(frac))
	w := int64(0)
	if whole != "" {
		var err error
		if w, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, false
		}
	}
	f := int64(0)
	if places > 0 {
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	return w*pow10(places) + f, true
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// trimDecimal renders v / 10^places without trailing zeros.
func trimDecimal(v int64, places int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	p := pow10(places)
	s := strconv.FormatInt(v/p, 10)
	if f := v % p; f != 0 {
		fs := fmt.Sprintf("%0*d", places, f)
		s += "." + strings.TrimRight(fs, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Fen is an amount of money in fen (分), 1/100 元.
type Fen int64

// MaxFen bounds an amount (one trillion 元), so that products with basis
// points and percentages stay far inside int64.
const MaxFen Fen = 1e14

// ParseYuan reads an amount in 元 such as "10000", "12,345.67" or
// "500元". Negative amounts and more than two decimals are refused with a
// sentence naming the field (label).
func ParseYuan(s, label string) (Fen, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(t, "元"))
	t = strings.NewReplacer(",", "", "，", "", " ", "").Replace(t)
	if t == "" {
		return 0, errs.E(errs.Invalid, "请填写%s", label)
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") {
		return 0, errs.E(errs.Invalid, "%s不能为负数", label)
	}
	v, ok := parseDecimal(t, 2)
	if !ok {
		return 0, errs.E(errs.Invalid, "%s“%s”格式不正确：应为金额（元），最多两位小数", label, s)
	}
	if Fen(v) > MaxFen {
		return 0, errs.E(errs.Invalid, "%s过大：不应超过一万亿元", label)
	}
	return Fen(v), nil
}

// String renders the amount in 元 with two decimals and thousands
// separators: "12,345.60".
func (f Fen) String() string {
	neg := f < 0
	if neg {
		f = -f
	}
	whole := strconv.FormatInt(int64(f)/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	s := fmt.Sprintf("%s.%02d", b.String(), int64(f)%100)
	if neg {
		s = "-" + s
	}
	return s
}

// Plain renders the amount in 元 with two decimals and no separators,
// for machines: "12345.60".
func (f Fen) Plain() string {
	neg := f < 0
	if neg {
		f = -f
	}
	s := fmt.Sprintf("%d.%02d", int64(f)/100, int64(f)%100)
	if neg {
		s = "-" + s
	}
	return s
}

// Grams is a weight in grams.
type Grams int64

// ParseKg reads a weight in kilograms with at most three decimals.
func ParseKg(s, label string) (Grams, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "千克"), "kg"))
	t = strings.ReplaceAll(t, ",", "")
	if t == "" {
		return 0, errs.E(errs.Invalid, "请填写%s", label)
	}
	if strings.HasPrefix(t, "-") {
		return 0, errs.E(errs.Invalid, "%s不能为负数", label)
	}
	v, ok := parseDecimal(t, 3)
	if !ok {
		return 0, errs.E(errs.Invalid, "%s“%s”格式不正确：应为千克数，最多三位小数", label, s)
	}
	if v > 1e12 {
		return 0, errs.E(errs.Invalid, "%s过大", label)
	}
	return Grams(v), nil
}

// String renders the weight in kilograms: "12.5 千克".
func (g Grams) String() string { return trimDecimal(int64(g), 3) + " 千克" }

// DutyOn is the duty at rate r on value v, rounded half up to the fen.
func DutyOn(v Fen, r Rate) Fen {
	return Fen((int64(v)*int64(r) + 5000) / 10000)
}

// Percent is an exact ratio num/den shown as a percentage.
type Percent struct{ Num, Den int64 }

// AtLeast reports whether the ratio is at least pct percent, exactly:
// num/den ≥ pct/100 ⇔ num×100 ≥ pct×den (den > 0).
func (p Percent) AtLeast(pct int64) bool { return p.Num*100 >= pct*p.Den }

// AtMost reports whether the ratio is at most bp basis points, exactly:
// num/den ≤ bp/10000 ⇔ num×10000 ≤ bp×den.
func (p Percent) AtMost(bp int64) bool { return p.Num*10000 <= bp*p.Den }

// String renders the percentage truncated (never rounded up) to two
// decimals, with "约" when it is not exact, so that a value just below a
// threshold never shows as the threshold itself: 3,999,999/10,000,000 is
// "约 39.99%", not "40.00%".
func (p Percent) String() string {
	if p.Den == 0 {
		return "—"
	}
	n := p.Num * 10000 // percent with two decimals = num×10000/den
	q := n / p.Den
	exact := n%p.Den == 0
	s := trimDecimalFixed(q, 2) + "%"
	if !exact {
		s = "约 " + s
	}
	return s
}

func trimDecimalFixed(v int64, places int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	p := pow10(places)
	s := fmt.Sprintf("%d.%0*d", v/p, places, v%p)
	if neg {
		s = "-" + s
	}
	return s
}

// BPString renders basis points as a percentage: 1000 → "10%".
func BPString(bp int64) string { return trimDecimal(bp, 2) + "%" }
