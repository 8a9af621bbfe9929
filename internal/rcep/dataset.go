package rcep

import (
	"context"
	"sort"
	"strings"
	"time"

	"gongkai/internal/calendar"
)

// China is the country code of China, the party on one side of every
// agreement this service covers.
const China = "CN"

// Version is one import of the tariff data (税率数据版本). Versions are
// never changed: a query for a date uses the version in force on that date
// (the latest effective date on or before it; of two with the same
// effective date, the later import), so a past answer can be reproduced.
type Version struct {
	ID        int64
	Effective calendar.Date // 生效日期
	Title     string        // 说明, e.g. "2025年税率（示例数据）"
	Source    string        // file name
	SHA256    string        // of the imported file
	Mode      ImportMode
	CreatedBy string
	CreatedAt time.Time
}

// Sample reports whether the version is the shipped sample data (its title
// says 示例数据); pages show a warning with every answer drawn from it.
func (v Version) Sample() bool { return strings.Contains(v.Title, "示例数据") }

// VersionSummary is a version with counts of its records, derived from
// the records themselves.
type VersionSummary struct {
	Version
	Agreements, Parties, Goods, MFN, Lines, Rules, Issues int
}

// Agreement is a free trade agreement (自由贸易协定) in force for China.
type Agreement struct {
	Code      string        // short identifier used in files and the API: RCEP, ACFTA
	Short     string        // 简称 shown on pages: RCEP, 中国—东盟
	Name      string        // 全称
	Effective calendar.Date // first entry into force
	Parties   []Party
	Line      int
}

// Party is a party to an agreement (缔约方) and the date the agreement
// entered into force for it.
type Party struct {
	Agreement string
	Country   string // ISO 3166-1 alpha-2: JP, KR, TH
	Name      string // 日本
	Effective calendar.Date
	Line      int
}

// Party returns the agreement's party for a country.
func (a Agreement) Party(country string) (Party, bool) {
	for _, p := range a.Parties {
		if p.Country == country {
			return p, true
		}
	}
	return Party{}, false
}

// InForce reports whether the agreement applies between China and the
// partner on day d: it must have entered into force for both.
func (a Agreement) InForce(partner string, d calendar.Date) (bool, calendar.Date) {
	cn, ok1 := a.Party(China)
	p, ok2 := a.Party(partner)
	if !ok1 || !ok2 {
		return false, calendar.Date{}
	}
	from := cn.Effective
	if p.Effective.After(from) {
		from = p.Effective
	}
	if a.Effective.After(from) {
		from = a.Effective
	}
	return !d.Before(from), from
}

// Good is a product of China's tariff nomenclature (商品): the code an
// enterprise declares and the names it may search by.
type Good struct {
	HS       string
	Name     string
	Keywords []string // 别名 such as 芦柑, 砂糖橘
	Line     int
}

// MFN is the most-favoured-nation rate (最惠国税率) an importing party
// applies to a tariff line.
type MFN struct {
	Importer string
	HS       string
	Rate     Rate
	Line     int
}

// YearRate is a preferential rate in force from 1 January of a year.
type YearRate struct {
	Year int
	Rate Rate
}

// Line is a line of an agreement's tariff schedule (协定税率/减让表): the
// rate the importing party applies, year by year, to goods originating in
// the origin parties.
type Line struct {
	Agreement string
	Importer  string   // the party that applies the tariff (CN for imports into China)
	Origins   []string // the parties whose goods it applies to; ["*"] for all others
	HS        string
	Base      Rate   // 基准税率
	Staging   string // 降税类别: A, B10, 0, U (例外)…
	Rates     []YearRate
	Line      int
}

// Excluded reports a line that grants no preference (例外产品).
func (l Line) Excluded() bool { return len(l.Rates) == 0 }

// Covers reports whether the line applies to goods of origin country.
func (l Line) Covers(origin string) bool {
	for _, o := range l.Origins {
		if o == "*" && origin != l.Importer || o == origin {
			return true
		}
	}
	return false
}

// RateIn is the rate in force in a year: that of the latest year listed on
// or before it. ok is false before the first listed year and for an
// excluded line.
func (l Line) RateIn(year int) (Rate, bool) {
	var r Rate
	ok := false
	for _, yr := range l.Rates {
		if yr.Year > year {
			break
		}
		r, ok = yr.Rate, true
	}
	return r, ok
}

// Final is the last listed rate and the year it takes effect.
func (l Line) Final() (YearRate, bool) {
	if len(l.Rates) == 0 {
		return YearRate{}, false
	}
	return l.Rates[len(l.Rates)-1], true
}

// PSR is a product-specific rule of origin of an agreement for an HS range.
type PSR struct {
	Agreement string
	Prefix    string // chapter, heading, subheading or tariff line
	Text      string // canonical form
	Rule      *Rule
	Line      int
}

// Dataset is the content of one version, or the part of it a question
// needs.
type Dataset struct {
	Version    Version
	Agreements []Agreement
	Goods      []Good
	MFN        []MFN
	Lines      []Line
	Rules      []PSR
}

// Agreement finds an agreement by code.
func (ds *Dataset) Agreement(code string) (Agreement, bool) {
	for _, a := range ds.Agreements {
		if strings.EqualFold(a.Code, code) {
			return a, true
		}
	}
	return Agreement{}, false
}

// Good finds a product by its exact code.
func (ds *Dataset) Good(hs string) (Good, bool) {
	for _, g := range ds.Goods {
		if g.HS == hs {
			return g, true
		}
	}
	return Good{}, false
}

// MFNRate is the importer's MFN rate for a tariff line.
func (ds *Dataset) MFNRate(importer, hs string) (Rate, bool) {
	for _, m := range ds.MFN {
		if m.Importer == importer && m.HS == hs {
			return m.Rate, true
		}
	}
	return 0, false
}

// LineFor is the schedule line an agreement's importer applies to goods of
// origin under code hs.
func (ds *Dataset) LineFor(agreement, importer, origin, hs string) (Line, bool) {
	for _, l := range ds.Lines {
		if l.Agreement == agreement && l.Importer == importer && l.HS == hs && l.Covers(origin) {
			return l, true
		}
	}
	return Line{}, false
}

// RuleFor is the agreement's product-specific rule for a product: the one
// with the longest HS prefix of the product's code.
func (ds *Dataset) RuleFor(agreement, hs string) (PSR, bool) {
	var best PSR
	found := false
	for _, r := range ds.Rules {
		if r.Agreement == agreement && strings.HasPrefix(hs, r.Prefix) && (!found || len(r.Prefix) > len(best.Prefix)) {
			best, found = r, true
		}
	}
	return best, found
}

// Country is a partner country as the pages list it.
type Country struct {
	Code, Name string
	Agreements []string // short names of the agreements it is party to
}

// Countries lists every party other than China, by code.
func (ds *Dataset) Countries() []Country {
	byCode := map[string]*Country{}
	for _, a := range ds.Agreements {
		for _, p := range a.Parties {
			if p.Country == China {
				continue
			}
			c := byCode[p.Country]
			if c == nil {
				c = &Country{Code: p.Country, Name: p.Name}
				byCode[p.Country] = c
			}
			c.Agreements = append(c.Agreements, a.Short)
		}
	}
	out := make([]Country, 0, len(byCode))
	for _, c := range byCode {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// FindCountry resolves a country given by code (JP) or Chinese name (日本).
func (ds *Dataset) FindCountry(s string) (Country, bool) {
	t := strings.TrimSpace(s)
	for _, c := range ds.Countries() {
		if strings.EqualFold(c.Code, t) || c.Name == t {
			return c, true
		}
	}
	return Country{}, false
}

// Store keeps the versions of the tariff data and the query records. The
// store (internal/store/rcep.go) implements it.
type Store interface {
	// RCEPVersionAt is the version in force on day d; NotFound when none.
	RCEPVersionAt(ctx context.Context, d calendar.Date) (Version, error)
	// RCEPAgreements are a version's agreements with their parties.
	RCEPAgreements(ctx context.Context, versionID int64) ([]Agreement, error)
	// RCEPFindGoods lists up to limit products whose code starts with
	// hsPrefix (when given) and whose name or keywords contain text (when
	// given), by code.
	RCEPFindGoods(ctx context.Context, versionID int64, hsPrefix, text string, limit int) ([]Good, error)
	// RCEPProductData is what a question about one product needs: its
	// MFN rates, schedule lines and the rules that may cover it.
	RCEPProductData(ctx context.Context, versionID int64, hs string) (*Dataset, error)
	// RecordRCEPQuery keeps one record of a question asked.
	RecordRCEPQuery(ctx context.Context, q QueryRecord) error
}

// Code renders the product's code with dots: 0805.21.00.
func (g Good) Code() string { return FormatHS(g.HS) }
