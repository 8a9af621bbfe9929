package rcep

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

func yuan(t *testing.T, s string) Fen {
	t.Helper()
	f, err := ParseYuan(s, "金额")
	if err != nil {
		t.Fatalf("ParseYuan(%q): %v", s, err)
	}
	return f
}

func kg(t *testing.T, s string) Grams {
	t.Helper()
	g, err := ParseKg(s, "重量")
	if err != nil {
		t.Fatalf("ParseKg(%q): %v", s, err)
	}
	return g
}

func mustRule(t *testing.T, s string) *Rule {
	t.Helper()
	r, err := ParseRule(s)
	if err != nil {
		t.Fatalf("ParseRule(%q): %v", s, err)
	}
	return r
}

func mat(t *testing.T, hs, value string) Material {
	t.Helper()
	h, err := ParseMaterialHS(hs)
	if err != nil {
		t.Fatal(err)
	}
	return Material{HS: h, Value: yuan(t, value)}
}

func evaluate(t *testing.T, in OriginInput) *OriginResult {
	t.Helper()
	if in.DeMinimis == (DeMinimis{}) {
		in.DeMinimis = DefaultDeMinimis
	}
	if in.Method == "" {
		in.Method = BuildDown
	}
	res, err := Evaluate(in)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return res
}

func explain(res *OriginResult) string { return strings.Join(res.Steps, "\n") }

// The 40% boundary, build-down, worked by hand:
//
//	FOB = 10,000.30 元 = 1,000,030 分; VNM = 6,000.18 元 = 600,018 分
//	RVC = (1,000,030 − 600,018) / 1,000,030 = 400,012 / 1,000,030
//	400,012 × 100 = 40,001,200 = 40 × 1,000,030, so RVC is exactly 40%
//	and meets RVC40. (In float64, (10000.3 − 6000.18) / 10000.3 × 100 is
//	39.99999999999999, which would wrongly fail.)
//
// One fen more of VNM: 400,011 × 100 = 40,001,100 < 40,001,200 → fails;
// shown truncated as "约 39.99%", never rounded up to 40%.
func TestRVCBoundaryIsExact(t *testing.T) {
	rule := mustRule(t, "RVC40")
	pass := evaluate(t, OriginInput{HS: "87032342", Rule: rule, FOB: yuan(t, "10,000.30"), VNM: yuan(t, "6000.18"), VNMGiven: true})
	if !pass.Originating || pass.RVCDown.String() != "40.00%" {
		t.Fatalf("40%% exactly must pass: %v %s\n%s", pass.Originating, pass.RVCDown, explain(pass))
	}
	fail := evaluate(t, OriginInput{HS: "87032342", Rule: rule, FOB: yuan(t, "10000.30"), VNM: yuan(t, "6000.19"), VNMGiven: true})
	if fail.Originating || fail.RVCDown.String() != "约 39.99%" {
		t.Fatalf("one fen below 40%% must fail: %v %s", fail.Originating, fail.RVCDown)
	}
	if !strings.Contains(explain(fail), "未达到") || !strings.Contains(explain(fail), "不符合") {
		t.Fatalf("explanation should say it fails:\n%s", explain(fail))
	}
}

// Build-down and build-up on the same goods give different answers:
//
//	FOB 100,000; VNM 55,000 → build-down (100,000 − 55,000)/100,000 = 45% ≥ 40 ✓
//	VOM 20,000 + labour 10,000 + overhead 5,000 + profit 3,000 + other 1,000
//	= 39,000 → build-up 39,000/100,000 = 39% < 40 ✗
//
// The exporter may use either formula (第3.5条第一款), so "both" passes.
func TestBuildUpVersusBuildDown(t *testing.T) {
	base := OriginInput{HS: "870323", Rule: mustRule(t, "RVC40"), FOB: yuan(t, "100000"), VNM: yuan(t, "55000"), VNMGiven: true,
		VOM: yuan(t, "20000"), Labour: yuan(t, "10000"), Overhead: yuan(t, "5000"), Profit: yuan(t, "3000"), Other: yuan(t, "1000")}
	cases := []struct {
		m    Method
		want bool
	}{{BuildDown, true}, {BuildUp, false}, {BothWays, true}}
	for _, c := range cases {
		in := base
		in.Method = c.m
		res := evaluate(t, in)
		if res.Originating != c.want {
			t.Errorf("%s: originating = %v, want %v\n%s", c.m, res.Originating, c.want, explain(res))
		}
	}
	res := evaluate(t, OriginInput{HS: "870323", Rule: base.Rule, Method: BothWays, FOB: base.FOB, VNM: base.VNM, VNMGiven: true,
		VOM: base.VOM, Labour: base.Labour, Overhead: base.Overhead, Profit: base.Profit, Other: base.Other})
	if res.RVCDown.String() != "45.00%" || res.RVCUp.String() != "39.00%" {
		t.Fatalf("RVC down %s up %s", res.RVCDown, res.RVCUp)
	}
	if !strings.Contains(explain(res), "(20,000.00 + 10,000.00 + 5,000.00 + 3,000.00 + 1,000.00) ÷ 100,000.00") {
		t.Fatalf("build-up step should show its arithmetic:\n%s", explain(res))
	}
}

// De minimis rescues a failed change of heading (CTH), by value:
//
//	wine 2204.21, FOB 50,000; grapes 0806.10 worth 30,000 change heading
//	(0806 → 2204); bulk wine 2204.29 worth 4,000 does not (2204 = 2204).
//	4,000 / 50,000 = 8% ≤ 10% → CTH met by de minimis (第3.7条第一款(a)项).
//	At 5,000: 5,000/50,000 = 10% exactly → still met (not more than 10%).
//	At 5,000.01: 500,001 × 10,000 = 5,000,010,000 > 1,000 × 5,000,000 → fails.
func TestDeMinimisRescuesTariffShift(t *testing.T) {
	rule := mustRule(t, "CTH")
	for _, c := range []struct {
		bulk string
		want bool
	}{{"4000", true}, {"5000", true}, {"5000.01", false}} {
		res := evaluate(t, OriginInput{HS: "22042100", Rule: rule, FOB: yuan(t, "50000"),
			Materials: []Material{mat(t, "0806.10", "30000"), mat(t, "2204.29", c.bulk)}})
		if res.Originating != c.want {
			t.Errorf("bulk wine %s: originating = %v, want %v\n%s", c.bulk, res.Originating, c.want, explain(res))
		}
		if c.want && !strings.Contains(explain(res), "符合微小含量标准") {
			t.Errorf("explanation should name de minimis:\n%s", explain(res))
		}
	}
	// Without de minimis (an allowance of 0) the same goods fail.
	res, err := Evaluate(OriginInput{HS: "22042100", Rule: rule, Method: BuildDown, FOB: yuan(t, "50000"), DeMinimis: DeMinimis{ValueBP: 0, WeightBP: 0},
		Materials: []Material{mat(t, "0806.10", "30000"), mat(t, "2204.29", "4000")}})
	if err != nil || res.Originating {
		t.Fatalf("with no allowance the shift must fail:\n%s", explain(res))
	}
}

// For goods of chapters 50–63 de minimis may go by weight (第3.7条第一款(b)项):
//
//	T-shirts 6109.10, FOB 20,000, weight 10 kg, rule CC. Cotton yarn 5205.11
//	(chapter 52 → 61, changes); knitted trim 6117.80 worth 3,000 weighing
//	0.9 kg stays in chapter 61. By value 3,000/20,000 = 15% > 10% ✗; by
//	weight 0.9/10 = 9% ≤ 10% ✓ → CC met. Without the weights: fails.
func TestDeMinimisByWeightForTextiles(t *testing.T) {
	trim := mat(t, "6117.80", "3000")
	trim.Weight, trim.HasWeight = kg(t, "0.9"), true
	in := OriginInput{HS: "61091000", Rule: mustRule(t, "CC"), FOB: yuan(t, "20000"), Weight: kg(t, "10"), HasWeight: true,
		Materials: []Material{mat(t, "5205.11", "6000"), trim}}
	res := evaluate(t, in)
	if !res.Originating || !strings.Contains(explain(res), "按重量符合微小含量标准") {
		t.Fatalf("weight de minimis should rescue CC:\n%s", explain(res))
	}
	in.HasWeight = false
	if res := evaluate(t, in); res.Originating {
		t.Fatalf("without the good's weight only the value test applies (15%%), which fails:\n%s", explain(res))
	}
	// Weight is not an option outside chapters 50–63: the same figures for
	// a chapter 94 good fail.
	in = OriginInput{HS: "94036000", Rule: mustRule(t, "CC"), FOB: yuan(t, "20000"), Weight: kg(t, "10"), HasWeight: true,
		Materials: []Material{mat(t, "4407.11", "6000"), {HS: "940390", Value: yuan(t, "3000"), Weight: kg(t, "0.9"), HasWeight: true}}}
	if res := evaluate(t, in); res.Originating {
		t.Fatalf("weight de minimis must not apply to chapter 94:\n%s", explain(res))
	}
}

// Combinations: 或 needs one test, 且 needs all; de minimis helps only the
// tariff shift.
//
//	Laptop 8471.30, FOB 3,000; CPU 8542.31 worth 1,200 and display 8524.11
//	worth 900 → VNM 2,100, RVC = 900/3,000 = 30% ✗; both materials change
//	subheading (854231, 852411 ≠ 847130) → CTSH ✓. "RVC40 或 CTSH" ✓.
//	Wine 2204.21 under "CTSH 且 RVC40": grapes 0806.10 change subheading ✓,
//	FOB 10,000, VNM 6,500 → RVC 35% ✗ → ✗.
func TestRuleCombinations(t *testing.T) {
	res := evaluate(t, OriginInput{HS: "84713000", Rule: mustRule(t, "RVC40 或 CTSH"), FOB: yuan(t, "3000"),
		Materials: []Material{mat(t, "8542.31", "1200"), mat(t, "8524.11", "900")}})
	if !res.Originating || res.VNM != yuan(t, "2100") || res.RVCDown.String() != "30.00%" {
		t.Fatalf("OR: %v VNM %s RVC %s\n%s", res.Originating, res.VNM, res.RVCDown, explain(res))
	}
	res = evaluate(t, OriginInput{HS: "22042100", Rule: mustRule(t, "CTSH 且 RVC40"), FOB: yuan(t, "10000"),
		Materials: []Material{mat(t, "0806.10", "6500")}})
	if res.Originating || res.RVCDown.String() != "35.00%" {
		t.Fatalf("AND: %v %s\n%s", res.Originating, res.RVCDown, explain(res))
	}
	// WO admits no non-originating material, however small: de minimis
	// does not apply to it.
	res = evaluate(t, OriginInput{HS: "08052100", Rule: mustRule(t, "WO"), FOB: yuan(t, "10000"),
		Materials: []Material{mat(t, "3808.92", "10")}})
	if res.Originating {
		t.Fatalf("WO with materials must fail:\n%s", explain(res))
	}
	res = evaluate(t, OriginInput{HS: "08052100", Rule: mustRule(t, "WO"), FOB: yuan(t, "10000")})
	if !res.Originating {
		t.Fatalf("WO without materials passes:\n%s", explain(res))
	}
}

func TestOriginInputErrors(t *testing.T) {
	_, err := Evaluate(OriginInput{HS: "22042100", Rule: mustRule(t, "CTH"), Method: BuildDown, FOB: 0, VNM: 100, VNMGiven: true,
		Materials: []Material{{HS: "080610", Value: 500}}, DeMinimis: DefaultDeMinimis})
	var fe *errs.FormError
	if err == nil || !asForm(err, &fe) || fe.Of("fob") == "" || fe.Of("vnm") == "" {
		t.Fatalf("want fob and vnm field errors, got %v", err)
	}
	if _, err := ParseYuan("-1", "直接人工成本"); err == nil || !strings.Contains(errs.MessageOf(err), "直接人工成本不能为负数") {
		t.Fatalf("negative cost: %v", err)
	}
	if _, err := ParseYuan("1.234", "利润"); err == nil {
		t.Fatal("three decimals must be refused")
	}
	if _, err := ParseMaterialHS("5205"); err == nil {
		t.Fatal("a 4-digit material code must be refused")
	}
	// The calculator itself refuses negative costs and short material
	// codes, whoever calls it: a field error each, never a panic.
	_, err = Evaluate(OriginInput{HS: "610910", Rule: mustRule(t, "CC 或 RVC40"), Method: BothWays, FOB: 1_000_000,
		Labour: -1, Profit: -500, Materials: []Material{{HS: "52", Value: 100}, {HS: "520511", Value: -3}}, DeMinimis: DefaultDeMinimis})
	if !asForm(err, &fe) || !strings.Contains(fe.Of("labour"), "直接人工成本不能为负数") || fe.Of("profit") == "" ||
		!strings.Contains(fe.Of("m1"), "第 1 项材料的税号") || !strings.Contains(fe.Of("m2"), "第 2 项材料的价值不能为负数") || fe.Of("fob") != "" {
		t.Fatalf("negative costs: %v", err)
	}
}

func TestDeMinimisFromSettings(t *testing.T) {
	get := func(vals map[string]string) func(string, string) string {
		return func(k, def string) string {
			if v, ok := vals[k]; ok {
				return v
			}
			return def
		}
	}
	if d := DeMinimisFrom(get(nil)); d != DefaultDeMinimis {
		t.Fatalf("default %+v", d)
	}
	if d := DeMinimisFrom(get(map[string]string{SettingDeMinimisValue: "800", SettingDeMinimisWeight: "junk"})); d.ValueBP != 800 || d.WeightBP != 1000 {
		t.Fatalf("override %+v", d)
	}
}

// A tariff shift needs the materials: non-originating value declared but
// not listed by HS code cannot be judged, unless de minimis covers it even
// if none of it changed classification. Worked by hand, FOB 10,000 元:
//
//	CTSH, VNM 5,000 unlisted: 50% > 10% → cannot be judged.
//	CTSH, VNM 500 unlisted: 5% ≤ 10% → met by de minimis.
//	CTSH, VNM 5,000 of which 4,600 listed (all change): 400 unlisted, 4% → met.
//	CTSH, VNM 5,000 of which 3,000 listed (all change): 2,000 unlisted, 20% → cannot be judged.
//	RVC40 或 CTSH, VNM 5,000 unlisted: RVC 50% ✓ → met.
//	CTSH 且 RVC40, VNM 5,000 unlisted: RVC ✓, CTSH ? → cannot be judged.
//	CTSH 且 RVC40, VNM 7,000 unlisted: RVC 30% ✗ → not met.
//	CTSH 或 WO, VNM 5,000 unlisted: WO ✗, CTSH ? → cannot be judged.
func TestShiftNeedsTheMaterials(t *testing.T) {
	for _, c := range []struct {
		rule, vnm string
		mats      []Material
		want      string // met, not met, unknown
	}{
		{"CTSH", "5000", nil, "unknown"},
		{"CTSH", "500", nil, "met"},
		{"CTSH", "5000", []Material{mat(t, "8542.31", "4600")}, "met"},
		{"CTSH", "5000", []Material{mat(t, "8542.31", "3000")}, "unknown"},
		{"CTH", "5000", []Material{mat(t, "8471.50", "3000")}, "not met"}, // same heading 8471, 30% + 20%: fails whatever the rest
		{"RVC40 或 CTSH", "5000", nil, "met"},
		{"CTSH 且 RVC40", "5000", nil, "unknown"},
		{"CTSH 且 RVC40", "7000", nil, "not met"},
		{"CTSH 或 WO", "5000", nil, "unknown"},
	} {
		res := evaluate(t, OriginInput{HS: "84713000", Rule: mustRule(t, c.rule), FOB: yuan(t, "10000"), VNM: yuan(t, c.vnm), VNMGiven: true, Materials: c.mats})
		got := "not met"
		switch {
		case res.Originating && res.Undetermined:
			t.Fatalf("%s: both originating and undetermined", c.rule)
		case res.Originating:
			got = "met"
		case res.Undetermined:
			got = "unknown"
		}
		if got != c.want {
			t.Errorf("%s VNM %s %d materials: %s, want %s\n%s", c.rule, c.vnm, len(c.mats), got, c.want, explain(res))
		}
		if got == "unknown" && !strings.Contains(explain(res), "请逐项列出非原产材料") {
			t.Errorf("%s: the explanation does not say what to do:\n%s", c.rule, explain(res))
		}
	}
}
