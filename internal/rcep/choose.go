package rcep

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// Direction says which tariff a question is about.
type Direction string

// The directions. For an import the rate is China's tariff on goods of the
// partner; for an export it is the partner's tariff on Chinese goods.
const (
	Import Direction = "import"
	Export Direction = "export"
)

// Label is the direction's Chinese name.
func (d Direction) Label() string {
	if d == Export {
		return "出口"
	}
	return "进口"
}

// ParseDirection reads import/export (or 进口/出口); "" is import.
func ParseDirection(s string) (Direction, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "", "import", "进口":
		return Import, nil
	case "export", "出口":
		return Export, nil
	}
	return "", errs.FieldError("direction", "进出口方向应为 import（进口）或 export（出口）")
}

// DefaultValue is the customs value the chooser uses when none is given:
// 10,000 元, so that the duty saved reads "per 10,000 元".
const DefaultValue Fen = 1_000_000

// QueryInput is a chooser question as typed.
type QueryInput struct {
	HS, Text, Direction, Country, Date, Value string
}

// Query is a checked chooser question.
type Query struct {
	HS        string // digits, at least 4; or empty when searching by Text
	Text      string
	Direction Direction
	Country   string // as typed: a code or a Chinese name
	Date      calendar.Date
	Value     Fen // customs value (完税价格)
}

// ParseQuery checks a question and reports every field at fault. An empty
// date is today; an empty value is 10,000 元.
func ParseQuery(in QueryInput, today calendar.Date) (Query, error) {
	var f errs.Fields
	q := Query{Text: strings.TrimSpace(in.Text), Country: strings.TrimSpace(in.Country)}
	if strings.TrimSpace(in.HS) != "" {
		hs, err := CleanHS(in.HS)
		switch {
		case err != nil:
			f.Add("hs", "%s", errs.MessageOf(err))
		case len(hs) < 4:
			f.Add("hs", "税号“%s”太短：请输入至少 4 位（品目），如 0805 或 0805.21.00", in.HS)
		default:
			q.HS = hs
		}
	} else if q.Text == "" {
		f.Add("hs", "请输入商品税号，或在“商品名称”中输入名称查找")
	}
	if utf8.RuneCountInString(q.Text) > 50 {
		f.Add("q", "商品名称不超过 50 字")
	}
	d, err := ParseDirection(in.Direction)
	if err != nil {
		f = append(f, err.(*errs.Error))
	}
	q.Direction = d
	if q.Country == "" {
		f.Add("country", "请选择贸易伙伴国家（地区）")
	}
	q.Date = today
	if s := strings.TrimSpace(in.Date); s != "" {
		dt, err := calendar.ParseDate(s)
		if err != nil || dt.Year() < 2000 || dt.Year() > 2100 {
			f.Add("date", "日期“%s”格式不正确：应为 YYYY-MM-DD，如 2025-03-01", s)
		} else {
			q.Date = dt
		}
	}
	q.Value = DefaultValue
	if s := strings.TrimSpace(in.Value); s != "" {
		v, err := ParseYuan(s, "完税价格")
		switch {
		case err != nil:
			f.Add("value", "%s", errs.MessageOf(err))
		case v == 0:
			f.Add("value", "完税价格应大于 0")
		default:
			q.Value = v
		}
	}
	return q, f.Err()
}

// AmbiguousError says a code or name matched several products; the page
// lists them to choose from.
type AmbiguousError struct {
	Candidates []Good
	More       bool // more matched than are listed
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("匹配到 %d 个商品", len(e.Candidates))
}

// Option is one agreement's answer.
type Option struct {
	Agreement Agreement
	InForce   bool
	From      calendar.Date // when the agreement applies between China and the partner
	HasLine   bool
	Excluded  bool // 例外产品: no preference
	Staging   string
	Base      Rate
	HasRate   bool // a preferential rate is in force this year
	Rate      Rate
	Duty      Fen // on the query's customs value
	Saving    Fen // against MFN, on the query's customs value
	Saving10k Fen // against MFN, per 10,000 元 of customs value
	Phase     []PhaseCell
	Final     YearRate
	HasFinal  bool
	Rule      PSR
	HasRule   bool
	Best      bool
	Note      string
}

// PhaseCell is the rate in one year of the phase-down.
type PhaseCell struct {
	Year int
	Rate Rate
	OK   bool // false: no preferential rate that year
}

// Answer is the chooser's answer.
type Answer struct {
	Version   Version
	Product   Good
	Direction Direction
	Country   Country
	Importer  string
	Date      calendar.Date
	Year      int
	Value     Fen
	MFN       Rate
	MFNDuty   Fen
	Options   []Option
	Best      []string // codes of the best agreements (tied at the lowest rate below MFN)
	Years     []int    // the phase-down columns
	Notes     []string
}

// BestOption returns the first best option.
func (a *Answer) BestOption() (Option, bool) {
	for _, o := range a.Options {
		if o.Best {
			return o, true
		}
	}
	return Option{}, false
}

// maxPhaseYears bounds the phase-down columns shown after this year.
const maxPhaseYears = 10

// Choose answers a question about one product with the data of one
// version: every agreement China and the partner are both party to, its
// rate this year and in the coming years against the MFN rate, the duty
// saved, the best choice and the rule of origin it requires.
func Choose(ds *Dataset, product Good, country Country, q Query) (*Answer, error) {
	ans := &Answer{Version: ds.Version, Product: product, Direction: q.Direction, Country: country,
		Date: q.Date, Year: q.Date.Year(), Value: q.Value}
	importer, origin := China, country.Code
	if q.Direction == Export {
		importer, origin = country.Code, China
	}
	ans.Importer = importer
	mfn, ok := ds.MFNRate(importer, product.HS)
	if !ok {
		who := "我国"
		if importer != China {
			who = country.Name
		}
		return nil, errs.E(errs.NotFound, "税率数据中没有%s对税号 %s 的最惠国税率，无法比较", who, FormatHS(product.HS))
	}
	ans.MFN = mfn
	ans.MFNDuty = DutyOn(q.Value, mfn)
	lastYear := ans.Year
	for _, a := range ds.Agreements {
		if _, ok := a.Party(country.Code); !ok {
			continue
		}
		if _, ok := a.Party(China); !ok {
			continue
		}
		o := Option{Agreement: a}
		o.InForce, o.From = a.InForce(country.Code, q.Date)
		if r, ok := ds.RuleFor(a.Code, product.HS); ok {
			o.Rule, o.HasRule = r, true
		}
		l, ok := ds.LineFor(a.Code, importer, origin, product.HS)
		switch {
		case !o.InForce:
			o.Note = fmt.Sprintf("%s %s 起对%s生效，所选日期尚未生效", a.Short, o.From, country.Name)
		case !ok:
			o.Note = "减让表未列入该税号，不享受协定税率"
		default:
			o.HasLine, o.Staging, o.Base = true, l.Staging, l.Base
			if l.Excluded() {
				o.Excluded = true
				o.Note = "例外产品（降税类别 " + l.Staging + "），不享受协定税率"
				break
			}
			o.Rate, o.HasRate = l.RateIn(ans.Year)
			if !o.HasRate {
				o.Note = fmt.Sprintf("协定税率自 %d 年起适用", l.Rates[0].Year)
			}
			o.Final, o.HasFinal = l.Final()
			if o.HasFinal && o.Final.Year > lastYear {
				lastYear = o.Final.Year
			}
			if o.HasRate {
				o.Duty = DutyOn(q.Value, o.Rate)
				if o.Rate < mfn {
					o.Saving = ans.MFNDuty - o.Duty
					o.Saving10k = Fen(int64(mfn-o.Rate) * 100) // per 10,000 元 the duty in 元 is the rate in basis points
				} else {
					o.Note = "协定税率不低于最惠国税率，无需申请"
				}
			}
		}
		ans.Options = append(ans.Options, o)
	}
	if lastYear > ans.Year+maxPhaseYears {
		lastYear = ans.Year + maxPhaseYears
	}
	for y := ans.Year; y <= lastYear; y++ {
		ans.Years = append(ans.Years, y)
	}
	for i := range ans.Options {
		o := &ans.Options[i]
		if !o.HasLine || o.Excluded || !o.InForce {
			continue
		}
		l, _ := ds.LineFor(o.Agreement.Code, importer, origin, product.HS)
		for _, y := range ans.Years {
			r, ok := l.RateIn(y)
			o.Phase = append(o.Phase, PhaseCell{Year: y, Rate: r, OK: ok})
		}
	}
	if len(ans.Options) == 0 {
		return nil, errs.FieldError("country", "%s与我国之间没有本系统收录的自贸协定", country.Name)
	}
	ans.pickBest()
	sort.SliceStable(ans.Options, func(i, j int) bool {
		a, b := ans.Options[i], ans.Options[j]
		if a.HasRate != b.HasRate {
			return a.HasRate
		}
		if a.HasRate && a.Rate != b.Rate {
			return a.Rate < b.Rate
		}
		return false
	})
	return ans, nil
}

func (ans *Answer) pickBest() {
	min := Rate(-1)
	for _, o := range ans.Options {
		if o.HasRate && (min < 0 || o.Rate < min) {
			min = o.Rate
		}
	}
	with := "进口"
	if ans.Direction == Export {
		with = "出口至" + ans.Country.Name + "的"
	}
	if min < 0 {
		ans.Notes = append(ans.Notes, fmt.Sprintf("%s，该商品没有可适用的协定税率，按最惠国税率 %s 缴纳关税。", dayLabel(ans.Date), ans.MFN))
		return
	}
	if min >= ans.MFN {
		ans.Notes = append(ans.Notes, fmt.Sprintf("各协定税率均不低于最惠国税率 %s，按最惠国税率缴纳即可，无需申请享受协定税率。", ans.MFN))
		return
	}
	var names []string
	for i := range ans.Options {
		o := &ans.Options[i]
		if o.HasRate && o.Rate == min {
			o.Best = true
			ans.Best = append(ans.Best, o.Agreement.Code)
			names = append(names, o.Agreement.Short)
		}
	}
	b, _ := ans.BestOption()
	if len(names) == 1 {
		ans.Notes = append(ans.Notes, fmt.Sprintf("最优选择：%s。%d 年协定税率 %s，比最惠国税率 %s 低 %s 个百分点，每 1 万元完税价格可少缴关税 %s 元。",
			names[0], ans.Year, min, ans.MFN, (ans.MFN-min).Number(), b.Saving10k))
	} else {
		ans.Notes = append(ans.Notes, fmt.Sprintf("最优选择：%s 的 %d 年协定税率相同，均为 %s，每 1 万元完税价格均可少缴关税 %s 元；请比较各协定的原产地规则，选择企业更容易满足的一项。",
			strings.Join(names, "、"), ans.Year, min, b.Saving10k))
	}
	for _, o := range ans.Options {
		if !o.Best {
			continue
		}
		if o.HasRule {
			ans.Notes = append(ans.Notes, fmt.Sprintf("%s%s须满足%s产品特定原产地规则：%s，并取得原产地证明。", with, ans.Product.Name, o.Agreement.Short, ruleWithCode(o.Rule.Rule)))
		} else {
			ans.Notes = append(ans.Notes, fmt.Sprintf("%s：税率数据中未录入该商品的产品特定原产地规则，请查阅协定附件或咨询海关。", o.Agreement.Short))
		}
	}
}

func dayLabel(d calendar.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// Lookup answers a question from the store: it finds the version in force
// on the question's date, the partner and the product, and then chooses.
func Lookup(ctx context.Context, st Store, q Query) (*Answer, error) {
	v, err := st.RCEPVersionAt(ctx, q.Date)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errs.FieldError("date", "%s尚无生效的税率数据", dayLabel(q.Date))
		}
		return nil, err
	}
	ags, err := st.RCEPAgreements(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	base := &Dataset{Version: v, Agreements: ags}
	var f errs.Fields
	country, cerr := base.partner(q.Country)
	if cerr != nil {
		f = append(f, cerr)
	}
	goods, err := st.RCEPFindGoods(ctx, v.ID, q.HS, q.Text, 21)
	if err != nil {
		return nil, err
	}
	var notFound *errs.Error
	switch {
	case len(goods) == 0 && q.HS != "":
		notFound = &errs.Error{Code: errs.NotFound, Field: "hs", Message: fmt.Sprintf("税号 %s 不在税率数据中：请核对税号，或用商品名称查找", FormatHS(q.HS))}
		if q.Text != "" {
			notFound.Message = fmt.Sprintf("没有名称含“%s”、税号以 %s 开头的商品", q.Text, FormatHS(q.HS))
		}
	case len(goods) == 0:
		notFound = &errs.Error{Code: errs.NotFound, Field: "q", Message: fmt.Sprintf("没有找到名称含“%s”的商品：请换个名称，或直接输入税号", q.Text)}
	}
	if notFound != nil {
		if len(f) == 0 {
			return nil, notFound
		}
		f = append(f, notFound)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if len(goods) > 1 {
		more := len(goods) > 20
		if more {
			goods = goods[:20]
		}
		what := "税号 " + FormatHS(q.HS)
		if q.HS == "" {
			what = "名称“" + q.Text + "”"
		}
		e := errs.Wrap(errs.Invalid, &AmbiguousError{Candidates: goods, More: more}, "%s对应多个商品，请从下列商品中选择一个", what)
		e.Field = "hs"
		if q.HS == "" {
			e.Field = "q"
		}
		return nil, e
	}
	ds, err := st.RCEPProductData(ctx, v.ID, goods[0].HS)
	if err != nil {
		return nil, err
	}
	ds.Version, ds.Agreements, ds.Goods = v, ags, goods
	return Choose(ds, goods[0], country, q)
}

func agreementShorts(ags []Agreement) string {
	var s []string
	for _, a := range ags {
		s = append(s, a.Short)
	}
	return strings.Join(s, "、")
}

// Ask answers a question and keeps one record of it (for the usage
// statistics), whatever the outcome. channel is "page", "api" or "cli".
func Ask(ctx context.Context, st Store, in QueryInput, channel string, now time.Time, loc *time.Location) (*Answer, error) {
	today := calendar.DateOf(now.In(loc))
	q, err := ParseQuery(in, today)
	var ans *Answer
	if err == nil {
		ans, err = Lookup(ctx, st, q)
	} else {
		err = withCountryCheck(ctx, st, q, err)
	}
	rec := QueryRecord{At: now, Day: today, Kind: KindChoose, Channel: channel, Date: q.Date,
		HS: q.HS, Direction: q.Direction, Country: strings.ToUpper(q.Country), Outcome: OutcomeOf(err)}
	if rec.Date.IsZero() {
		rec.Date = today
	}
	if ans != nil {
		rec.HS, rec.Country, rec.VersionID = ans.Product.HS, ans.Country.Code, ans.Version.ID
		if len(ans.Best) > 0 {
			rec.Agreement = ans.Best[0]
		}
	}
	if code := errs.CodeOf(err); err != nil && code != errs.Invalid && code != errs.NotFound {
		return nil, err // the database failed: nothing to record
	}
	if rerr := st.RecordRCEPQuery(ctx, rec); rerr != nil {
		return nil, rerr
	}
	return ans, err
}

// ruleWithCode names a rule for a sentence: the words, which already carry
// the codes of the tariff shift tests, and the code of an RVC test, e.g.
// "区域价值成分不低于40%（RVC40） 或 品目改变（CTH）"; a bare "CC" reads
// "章改变（CC）" rather than "CC（章改变（CC））".
func ruleWithCode(r *Rule) string {
	if r.Kind == RuleRVC {
		return r.Describe() + "（" + r.String() + "）"
	}
	return r.Describe()
}

// partner resolves the partner country of a question, or says why it
// cannot be one: China itself, or a country party to none of the
// agreements.
func (ds *Dataset) partner(s string) (Country, *errs.Error) {
	country, ok := ds.FindCountry(s)
	switch {
	case strings.EqualFold(s, China) || s == "中国":
		return country, errs.FieldError("country", "请选择我国以外的贸易伙伴")
	case !ok:
		return country, errs.FieldError("country", "“%s”不是我国已签自贸协定（本系统收录的%s）的缔约方，不能享受协定税率，按最惠国税率征税", s, agreementShorts(ds.Agreements))
	}
	return country, nil
}

// withCountryCheck adds the partner's error to a question refused for
// other fields, so that the page reports every field at fault at once: the
// country is checked against the data in force on the question's date (or
// today, when the date itself is at fault).
func withCountryCheck(ctx context.Context, st Store, q Query, err error) error {
	var fe *errs.FormError
	if !errors.As(err, &fe) || q.Country == "" || fe.Of("country") != "" {
		return err
	}
	v, verr := st.RCEPVersionAt(ctx, q.Date)
	if verr != nil {
		return err
	}
	ags, aerr := st.RCEPAgreements(ctx, v.ID)
	if aerr != nil {
		return err
	}
	if _, cerr := (&Dataset{Agreements: ags}).partner(q.Country); cerr != nil {
		return &errs.FormError{Fields: append(fe.Fields, cerr)}
	}
	return err
}
