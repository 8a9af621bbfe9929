package rcep

import (
	"strings"
	"testing"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/rcep/sample"
)

func sampleData(t *testing.T) *Dataset {
	t.Helper()
	ds, issues, err := ParseFile(sample.CSV, sample.Name)
	if err != nil || len(issues) > 0 {
		t.Fatalf("sample: %v %v", err, issues)
	}
	return ds
}

func choose(t *testing.T, ds *Dataset, hs, country, dir, date string) *Answer {
	t.Helper()
	q, err := ParseQuery(QueryInput{HS: hs, Country: country, Direction: dir, Date: date}, calendar.Date{})
	if err != nil {
		t.Fatal(err)
	}
	g, ok := ds.Good(q.HS)
	if !ok {
		t.Fatalf("no good %s", hs)
	}
	c, ok := ds.FindCountry(country)
	if !ok {
		t.Fatalf("no country %s", country)
	}
	ans, err := Choose(ds, g, c, q)
	if err != nil {
		t.Fatal(err)
	}
	return ans
}

func option(t *testing.T, ans *Answer, code string) Option {
	t.Helper()
	for _, o := range ans.Options {
		if o.Agreement.Code == code {
			return o
		}
	}
	t.Fatalf("no option %s in %+v", code, ans.Options)
	return Option{}
}

// Importing mandarins from Japan in 2025: only RCEP applies. The sample
// schedule is B10 from 12%: 2022 10.8, 2023 9.6, 2024 8.4, 2025 7.2 …
// 2031 0. Saving per 10,000 元: (12% − 7.2%) × 10,000 = 480 元.
func TestChooseImportPhaseDown(t *testing.T) {
	ds := sampleData(t)
	ans := choose(t, ds, "0805.21.00", "JP", "import", "2025-03-01")
	if ans.MFN != 1200 || ans.Importer != "CN" || len(ans.Options) != 1 {
		t.Fatalf("MFN %s importer %s options %d", ans.MFN, ans.Importer, len(ans.Options))
	}
	o := option(t, ans, "RCEP")
	if !o.Best || o.Rate != 720 || o.Saving10k != yuan(t, "480") || o.Saving != yuan(t, "480") {
		t.Fatalf("RCEP option %+v", o)
	}
	if o.Rule.Text != "CC" {
		t.Fatalf("rule %q", o.Rule.Text)
	}
	// The notes name the best choice and the rule it requires, in words
	// that carry the code once.
	notes := strings.Join(ans.Notes, "\n")
	if !strings.Contains(notes, "最优选择：RCEP") || !strings.Contains(notes, "须满足RCEP产品特定原产地规则：章改变（CC），") || strings.Contains(notes, "CC（") {
		t.Fatalf("notes:\n%s", notes)
	}
	// The phase-down runs 2025 … 2031 (the final year).
	if len(ans.Years) != 7 || ans.Years[0] != 2025 || ans.Years[6] != 2031 {
		t.Fatalf("years %v", ans.Years)
	}
	if o.Phase[1].Rate != 600 || o.Phase[6].Rate != 0 || o.Final.Year != 2031 {
		t.Fatalf("phase %+v final %+v", o.Phase, o.Final)
	}
	// A year earlier the rate is 8.4%: the date decides the year.
	if o := option(t, choose(t, ds, "08052100", "日本", "进口", "2024-12-31"), "RCEP"); o.Rate != 840 {
		t.Fatalf("2024 rate %s", o.Rate)
	}
}

// Exports use the partner's tariff on Chinese goods: Viet Nam's MFN on
// mandarins is 40% (China's own is 12%). In 2025 RCEP (B10 from 40%:
// 2025 = 40 × 6/10 = 24%) loses to 中国—东盟 (0% since 2015); saving per
// 10,000 元 = 40% × 10,000 = 4,000 元.
func TestChooseExportUsesPartnerTariff(t *testing.T) {
	ds := sampleData(t)
	ans := choose(t, ds, "08052100", "VN", "export", "2025-06-01")
	if ans.MFN != 4000 || ans.Importer != "VN" {
		t.Fatalf("MFN %s importer %s", ans.MFN, ans.Importer)
	}
	if rc := option(t, ans, "RCEP"); rc.Rate != 2400 || rc.Best {
		t.Fatalf("RCEP %+v", rc)
	}
	ac := option(t, ans, "ACFTA")
	if !ac.Best || ac.Rate != 0 || ac.Saving10k != yuan(t, "4000") || ac.Rule.Text != "WO" {
		t.Fatalf("ACFTA %+v", ac)
	}
	if ans.Best[0] != "ACFTA" || ans.Options[0].Agreement.Code != "ACFTA" {
		t.Fatalf("best %v; the best is listed first", ans.Best)
	}
	if n := strings.Join(ans.Notes, ""); !strings.Contains(n, "最优选择：中国—东盟") || !strings.Contains(n, "出口至越南的柑橘") || !strings.Contains(n, "产品特定原产地规则：完全获得（WO），") {
		t.Fatalf("notes %v", ans.Notes)
	}
}

// Frozen shrimp from Korea: 中韩 (B10 from 2015, 1% in 2022) beats RCEP
// (B15 from 2022, 4.67%) in 2022; in 2025 中韩 is 0 and RCEP 3.67%. The
// RCEP phase-down ends in 2036, beyond the 10 years shown (2025–2035).
func TestChooseBestPickAcrossYears(t *testing.T) {
	ds := sampleData(t)
	a22 := choose(t, ds, "03061790", "KR", "import", "2022-06-01")
	if ck := option(t, a22, "CKFTA"); !ck.Best || ck.Rate != 100 {
		t.Fatalf("2022 CKFTA %+v", ck)
	}
	a25 := choose(t, ds, "03061790", "KR", "import", "2025-06-01")
	rc := option(t, a25, "RCEP")
	if rc.Rate != 367 || rc.Best || len(a25.Years) != 11 || a25.Years[10] != 2035 || rc.Final.Year != 2036 {
		t.Fatalf("2025 RCEP %+v years %v", rc, a25.Years)
	}
	// Saving on 10,000 元 against MFN 5%: 500 元 with 中韩 at 0.
	if ck := option(t, a25, "CKFTA"); ck.Saving10k != yuan(t, "500") {
		t.Fatalf("CKFTA saving %s", ck.Saving10k)
	}
}

// Ties: mandarins to Thailand are 0% under both RCEP and 中国—东盟; both
// are best and the note says to compare the rules of origin.
func TestChooseTie(t *testing.T) {
	ans := choose(t, sampleData(t), "08052100", "TH", "export", "2025-01-01")
	if len(ans.Best) != 2 || !strings.Contains(strings.Join(ans.Notes, ""), "请比较各协定的原产地规则") {
		t.Fatalf("best %v notes %v", ans.Best, ans.Notes)
	}
}

// RCEP entered into force for the Philippines on 2023-06-02 (sample data):
// before that only 中国—东盟 applies.
func TestChooseNotYetInForce(t *testing.T) {
	ds := sampleData(t)
	before := choose(t, ds, "08052100", "PH", "export", "2023-03-01")
	if rc := option(t, before, "RCEP"); rc.InForce || rc.HasRate || !strings.Contains(rc.Note, "2023-06-02") {
		t.Fatalf("RCEP before entry into force %+v", rc)
	}
	after := choose(t, ds, "08052100", "PH", "export", "2023-07-01")
	if rc := option(t, after, "RCEP"); !rc.InForce || rc.Rate != 800 {
		t.Fatalf("RCEP after %+v", rc)
	}
}

// No preference: cars from Japan are excluded under RCEP; from Thailand
// 中国—东盟's 20% is above the 15% MFN rate; laptops have a 0% MFN rate;
// Korea excludes Chinese mandarins in both agreements.
func TestChooseNoPreference(t *testing.T) {
	ds := sampleData(t)
	jp := choose(t, ds, "87032342", "JP", "import", "2025-01-01")
	if len(jp.Best) != 0 || !option(t, jp, "RCEP").Excluded {
		t.Fatalf("cars from JP %+v", jp)
	}
	th := choose(t, ds, "87032342", "TH", "import", "2025-01-01")
	if ac := option(t, th, "ACFTA"); len(th.Best) != 0 || ac.Rate != 2000 || ac.Saving != 0 || !strings.Contains(ac.Note, "不低于最惠国") {
		t.Fatalf("cars from TH %+v", th)
	}
	pc := choose(t, ds, "84713000", "KR", "import", "2025-01-01")
	if len(pc.Best) != 0 || !strings.Contains(strings.Join(pc.Notes, ""), "无需申请") {
		t.Fatalf("laptops %+v", pc.Notes)
	}
	kr := choose(t, ds, "08052100", "KR", "export", "2025-01-01")
	if len(kr.Best) != 0 || kr.MFN != 14400 || !strings.Contains(strings.Join(kr.Notes, ""), "最惠国税率 144%") {
		t.Fatalf("mandarins to KR %+v", kr.Notes)
	}
}

// The customs value scales the duty saved: 250,000 元 of Australian wine
// in 2025 — 中澳 0% (B5 from 2015, 0 since 2019), RCEP 11.2% (2025 = 14 ×
// 16/20), MFN 14%: duty 35,000 元 at MFN, saved 35,000 元 with 中澳.
func TestChooseValue(t *testing.T) {
	ds := sampleData(t)
	q, err := ParseQuery(QueryInput{HS: "22042100", Country: "澳大利亚", Direction: "import", Date: "2025-05-05", Value: "250,000"}, calendar.Date{})
	if err != nil {
		t.Fatal(err)
	}
	g, _ := ds.Good(q.HS)
	c, _ := ds.FindCountry(q.Country)
	ans, err := Choose(ds, g, c, q)
	if err != nil {
		t.Fatal(err)
	}
	ch := option(t, ans, "CHAFTA")
	if !ch.Best || ans.MFNDuty != yuan(t, "35000") || ch.Saving != yuan(t, "35000") || ch.Saving10k != yuan(t, "1400") {
		t.Fatalf("CHAFTA %+v MFN duty %s", ch, ans.MFNDuty)
	}
	if rc := option(t, ans, "RCEP"); rc.Rate != 1120 || rc.Duty != yuan(t, "28000") {
		t.Fatalf("RCEP %+v", rc)
	}
}

func TestParseQueryErrors(t *testing.T) {
	_, err := ParseQuery(QueryInput{HS: "08x", Country: "", Direction: "sideways", Date: "2025-02-30", Value: "-5"}, calendar.Date{})
	var fe *errs.FormError
	if !asForm(err, &fe) {
		t.Fatalf("want a form error, got %v", err)
	}
	for _, f := range []string{"hs", "country", "direction", "date", "value"} {
		if fe.Of(f) == "" {
			t.Errorf("no message for %s: %v", f, fe.Fields)
		}
	}
	if !strings.Contains(fe.Of("value"), "不能为负数") || !strings.Contains(fe.Of("date"), "YYYY-MM-DD") {
		t.Errorf("messages: %q %q", fe.Of("value"), fe.Of("date"))
	}
	today, _ := calendar.ParseDate("2025-04-01")
	q, err := ParseQuery(QueryInput{Text: "芦柑", Country: "JP"}, today)
	if err != nil || q.Date != today || q.Direction != Import || q.Value != DefaultValue {
		t.Fatalf("defaults: %+v %v", q, err)
	}
}
