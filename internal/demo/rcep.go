package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/rcep"
	"gongkai/internal/rcep/sample"
)

// RCEPStore is what the demo's 享惠智选 data is written through.
type RCEPStore interface {
	ImportRCEP(ctx context.Context, actor audit.Actor, ds *rcep.Dataset, issues []rcep.Issue) (rcep.Version, error)
	RecordRCEPQueries(ctx context.Context, qs []rcep.QueryRecord) error
}

// RCEPYear is the year of the demo's questions: the year of the annual
// report the demo world is modelled on.
const RCEPYear = 2024

// loadRCEP imports the sample tariff data (示例数据) and a year of
// questions asked of 享惠智选, drawn from the world's seed.
func loadRCEP(ctx context.Context, st Store, w World) error {
	rs, ok := st.(RCEPStore)
	if !ok {
		return fmt.Errorf("demo: the store cannot keep 享惠智选 data")
	}
	ds, issues, err := rcep.ParseFile(sample.CSV, sample.Name)
	if err != nil {
		return fmt.Errorf("demo rcep sample: %w", err)
	}
	if err := rcep.Decide(ds, issues, rcep.ImportAll); err != nil {
		return fmt.Errorf("demo rcep sample: %w", err)
	}
	v, err := rs.ImportRCEP(ctx, audit.System("demo"), ds, issues)
	if err != nil {
		return fmt.Errorf("demo rcep import: %w", err)
	}
	ds.Version = v
	return rs.RecordRCEPQueries(ctx, RCEPQueries(w.Seed, ds))
}

// rcepScenario is a kind of question enterprises ask, with its weight.
type rcepScenario struct {
	hs        string
	dir       rcep.Direction
	countries []string
	weight    int
	season    bool // asked more in the 芦柑 season (October–February)
}

var rcepScenarios = []rcepScenario{
	{"08052100", rcep.Export, []string{"VN", "TH", "MY", "PH", "ID", "JP", "KR", "SG"}, 30, true},
	{"09021090", rcep.Export, []string{"JP", "MY", "VN", "KR"}, 12, false},
	{"61091000", rcep.Export, []string{"JP", "KR", "AU"}, 12, false},
	{"03061790", rcep.Import, []string{"VN", "TH", "KR", "JP", "NZ", "AU"}, 10, false},
	{"22042100", rcep.Import, []string{"AU", "NZ", "KR"}, 8, true},
	{"04022100", rcep.Import, []string{"NZ", "AU"}, 8, false},
	{"84713000", rcep.Import, []string{"JP", "KR", "VN"}, 5, false},
	{"87032342", rcep.Import, []string{"JP", "KR", "TH"}, 5, false},
}

// RCEPQueries generates a realistic year of questions (RCEPYear): more on
// working days and in the 芦柑 export season, most of them answered, some
// with an unknown code or a partner that is not a party, and one in six a
// use of the origin calculator. Each answered question's best agreement is
// what the chooser really answers on the data. The same seed gives the
// same records.
func RCEPQueries(seed uint64, ds *rcep.Dataset) []rcep.QueryRecord {
	rng := rand.New(rand.NewPCG(seed, seed^0x52434550))
	cst := time.FixedZone("CST", 8*3600)
	total := 0
	for _, s := range rcepScenarios {
		total += s.weight
	}
	var out []rcep.QueryRecord
	day, _ := calendar.NewDate(RCEPYear, time.January, 1)
	for ; day.Year() == RCEPYear; day = day.AddDays(1) {
		n := 7 + rng.IntN(8)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n = rng.IntN(3)
		}
		season := day.Month() >= time.October || day.Month() <= time.February
		for range n {
			at := time.Date(day.Year(), day.Month(), day.Day(), 8+rng.IntN(10), rng.IntN(60), rng.IntN(60), 0, cst)
			rec := rcep.QueryRecord{At: at.UTC(), Day: day, Date: day, Kind: rcep.KindChoose, Channel: "page", VersionID: ds.Version.ID}
			if rng.IntN(7) == 0 {
				rec.Channel = "api"
			}
			pick := rng.IntN(total)
			var sc rcepScenario
			for _, s := range rcepScenarios {
				if pick < s.weight {
					sc = s
					break
				}
				pick -= s.weight
			}
			if sc.season && !season && rng.IntN(2) == 0 {
				sc = rcepScenarios[1+rng.IntN(len(rcepScenarios)-1)]
			}
			country := sc.countries[rng.IntN(len(sc.countries))]
			switch r := rng.IntN(100); {
			case r < 3: // a code that is not in the data
				rec.HS, rec.Country, rec.Direction, rec.Outcome, rec.VersionID = "01012100", country, sc.dir, "not_found", ds.Version.ID
			case r < 6: // a partner that is not a party
				rec.HS, rec.Country, rec.Direction, rec.Outcome = sc.hs, []string{"US", "GB", "IN", "DE"}[rng.IntN(4)], sc.dir, "invalid"
			case r < 22: // the origin calculator
				rec.Kind, rec.HS = rcep.KindOrigin, sc.hs[:6]
				rec.Agreement = []string{"RCEP", "ACFTA", "CKFTA", "CHAFTA", "CNZFTA"}[rng.IntN(5)]
				rec.Outcome = rcep.OutcomeOriginating
				if rng.IntN(10) < 3 {
					rec.Outcome = rcep.OutcomeNotOriginating
				}
			default:
				rec.HS, rec.Country, rec.Direction, rec.Outcome = sc.hs, country, sc.dir, rcep.OutcomeOK
				g, _ := ds.Good(sc.hs)
				c, _ := ds.FindCountry(country)
				if ans, err := rcep.Choose(ds, g, c, rcep.Query{HS: sc.hs, Direction: sc.dir, Country: country, Date: day, Value: rcep.DefaultValue}); err == nil && len(ans.Best) > 0 {
					rec.Agreement = ans.Best[0]
				}
			}
			out = append(out, rec)
		}
	}
	return out
}
