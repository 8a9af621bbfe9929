package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/rcep"
	"gongkai/internal/rcep/sample"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

var shanghai = time.FixedZone("CST", 8*3600)

func importSample(t *testing.T, db *store.DB, edit func(string) string) rcep.Version {
	t.Helper()
	text := string(sample.CSV)
	if edit != nil {
		text = edit(text)
	}
	ds, issues, err := rcep.ParseFile([]byte(text), sample.Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := rcep.Decide(ds, issues, rcep.ImportAll); err != nil {
		t.Fatal(err)
	}
	v, err := db.ImportRCEP(context.Background(), audit.System("test"), ds, issues)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ask(t *testing.T, db *store.DB, in rcep.QueryInput, now string) (*rcep.Answer, error) {
	t.Helper()
	at, err := time.Parse(time.RFC3339, now)
	if err != nil {
		t.Fatal(err)
	}
	return rcep.Ask(context.Background(), db, in, "page", at, shanghai)
}

// The data survives the round trip: answers from the store equal answers
// from the parsed file, on both engines.
func TestRCEPImportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := importSample(t, db, nil)
		parsed, _, _ := rcep.ParseFile(sample.CSV, sample.Name)
		vs, err := db.RCEPVersions(ctx)
		if err != nil || len(vs) != 1 {
			t.Fatalf("versions %v %v", vs, err)
		}
		if s := vs[0]; s.Lines != len(parsed.Lines) || s.Goods != 8 || s.Agreements != 5 || s.Rules != len(parsed.Rules) || s.MFN != len(parsed.MFN) || s.Issues != 0 {
			t.Fatalf("summary %+v", s)
		}
		ags, err := db.RCEPAgreements(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ags, parsed.Agreements) {
			t.Fatalf("agreements differ:\n%+v\n%+v", ags, parsed.Agreements)
		}
		for _, g := range parsed.Goods {
			pd, err := db.RCEPProductData(ctx, v.ID, g.HS)
			if err != nil {
				t.Fatal(err)
			}
			var want []rcep.Line
			for _, l := range parsed.Lines {
				if l.HS == g.HS {
					want = append(want, l)
				}
			}
			if !reflect.DeepEqual(pd.Lines, want) {
				t.Fatalf("%s lines differ:\n%+v\n%+v", g.HS, pd.Lines, want)
			}
			for _, c := range []string{"JP", "KR", "AU", "NZ", "TH", "VN"} {
				for _, dir := range []rcep.Direction{rcep.Import, rcep.Export} {
					q := rcep.Query{HS: g.HS, Country: c, Direction: dir, Date: mustDate(t, "2025-07-01"), Value: rcep.DefaultValue}
					country, _ := parsed.FindCountry(c)
					want, werr := rcep.Choose(parsed, g, country, q)
					pd.Version, pd.Agreements, pd.Goods = v, ags, []rcep.Good{g}
					got, gerr := rcep.Choose(pd, g, country, q)
					if (werr == nil) != (gerr == nil) {
						t.Fatalf("%s %s %s: errors %v / %v", g.HS, c, dir, werr, gerr)
					}
					if werr == nil && (!reflect.DeepEqual(got.Options, want.Options) || !reflect.DeepEqual(got.Best, want.Best)) {
						t.Fatalf("%s %s %s: answers differ", g.HS, c, dir)
					}
				}
			}
		}
		es, err := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "rcep_version"})
		if err != nil || len(es) != 1 || es[0].Action != "rcep.import" {
			t.Fatalf("audit %v %v", es, err)
		}
	})
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A question for a date uses the version in force on that date, so past
// answers stay as they were when a new version comes.
func TestRCEPVersionInForce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.RCEPVersionAt(ctx, mustDate(t, "2025-01-01")); !errs.Is(err, errs.NotFound) {
			t.Fatalf("empty: %v", err)
		}
		v1 := importSample(t, db, nil)
		// 2026: China's MFN rate on mandarins drops from 12% to 10%.
		v2 := importSample(t, db, func(s string) string {
			s = strings.Replace(s, "版本,2022-01-01,", "版本,2026-01-01,", 1)
			return strings.Replace(s, "最惠国,CN,08052100,12", "最惠国,CN,08052100,10", 1)
		})
		for date, want := range map[string]int64{"2021-12-31": 0, "2022-01-01": v1.ID, "2025-12-31": v1.ID, "2026-01-01": v2.ID, "2030-05-05": v2.ID} {
			v, err := db.RCEPVersionAt(ctx, mustDate(t, date))
			if want == 0 {
				if !errs.Is(err, errs.NotFound) {
					t.Errorf("%s: %v", date, err)
				}
				continue
			}
			if err != nil || v.ID != want {
				t.Errorf("%s: version %d %v, want %d", date, v.ID, err, want)
			}
		}
		in := rcep.QueryInput{HS: "08052100", Country: "JP", Direction: "import"}
		in.Date = "2025-06-01"
		old, err := ask(t, db, in, "2026-03-01T10:00:00+08:00")
		if err != nil || old.MFN != 1200 || old.Version.ID != v1.ID {
			t.Fatalf("2025 answer: %v %+v", err, old)
		}
		in.Date = "2026-06-01"
		cur, err := ask(t, db, in, "2026-03-01T10:00:00+08:00")
		if err != nil || cur.MFN != 1000 || cur.Version.ID != v2.ID {
			t.Fatalf("2026 answer: %v %+v", err, cur)
		}
		// A date before any version is a clear error on the date field.
		in.Date = "2020-01-01"
		if _, err := ask(t, db, in, "2026-03-01T10:00:00+08:00"); err == nil || !strings.Contains(errs.MessageOf(err), "尚无生效的税率数据") {
			t.Fatalf("before any version: %v", err)
		}
	})
}

func TestRCEPAskErrorsAndUsage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importSample(t, db, nil)
		// By product name: 芦柑 finds the mandarin line.
		ans, err := ask(t, db, rcep.QueryInput{Text: "芦柑", Country: "越南", Direction: "export", Date: "2024-11-15"}, "2024-11-15T09:00:00+08:00")
		if err != nil || ans.Product.HS != "08052100" || ans.Best[0] != "ACFTA" {
			t.Fatalf("芦柑: %v %+v", err, ans)
		}
		// A 4-digit heading with one product resolves to it; a search with
		// several matches lists them.
		if ans, err := ask(t, db, rcep.QueryInput{HS: "8703", Country: "KR", Date: "2024-11-15"}, "2024-11-16T09:00:00+08:00"); err != nil || ans.Product.HS != "87032342" {
			t.Fatalf("8703: %v", err)
		}
		_, err = ask(t, db, rcep.QueryInput{Text: "及", Country: "JP", Date: "2024-11-15"}, "2024-12-01T09:00:00+08:00")
		var amb *rcep.AmbiguousError
		if !errors.As(err, &amb) || len(amb.Candidates) < 2 || !strings.Contains(errs.MessageOf(err), "对应多个商品") {
			t.Fatalf("several products: %v", err)
		}
		_, err = ask(t, db, rcep.QueryInput{Text: "奶", Country: "JP", Date: "2024-11-15"}, "2024-12-01T09:00:00+08:00")
		if err != nil {
			t.Fatalf("奶粉 is one product: %v", err)
		}
		// Unknown HS code → NotFound on the hs field.
		_, err = ask(t, db, rcep.QueryInput{HS: "0101.21.00", Country: "JP", Date: "2024-11-15"}, "2024-12-02T09:00:00+08:00")
		var ae *errs.Error
		if !errs.Is(err, errs.NotFound) || !errors.As(err, &ae) || ae.Field != "hs" || !strings.Contains(ae.Message, "0101.21.00 不在税率数据中") {
			t.Fatalf("unknown HS: %v", err)
		}
		// A country that is not a party → a clear sentence on the country field.
		_, err = ask(t, db, rcep.QueryInput{HS: "08052100", Country: "US", Date: "2024-11-15"}, "2024-12-03T09:00:00+08:00")
		var fe *errs.FormError
		if !errors.As(err, &fe) || !strings.Contains(fe.Of("country"), "“US”不是我国已签自贸协定") {
			t.Fatalf("not a party: %v", err)
		}
		// Bad input is recorded too (kind choose, outcome invalid).
		_, err = ask(t, db, rcep.QueryInput{HS: "08052100", Country: "JP", Value: "-100"}, "2025-01-05T09:00:00+08:00")
		if err == nil || !strings.Contains(errs.MessageOf(err), "不能为负数") {
			t.Fatalf("negative value: %v", err)
		}
		// A malformed date and a non-party together: both fields are
		// reported at once (the country checked against today's data).
		_, err = ask(t, db, rcep.QueryInput{HS: "08052100", Country: "US", Date: "2025-02-30"}, "2025-01-06T09:00:00+08:00")
		if !errors.As(err, &fe) || !strings.Contains(fe.Of("date"), "日期“2025-02-30”格式不正确") || !strings.Contains(fe.Of("country"), "“US”不是我国已签自贸协定") {
			t.Fatalf("date and country: %v", err)
		}
		// The statistics count the records: 2024-11 has 3 questions (2
		// answered), 2024-12 has 3 (1 answered), 2025-01 one invalid.
		at, _ := time.Parse(time.RFC3339, "2024-12-20T08:00:00+08:00")
		if err := db.RecordRCEPQueries(ctx, []rcep.QueryRecord{{At: at, Day: mustDate(t, "2024-12-20"), Kind: rcep.KindOrigin, Channel: "page",
			Date: mustDate(t, "2024-12-20"), HS: "61091000", Agreement: "RCEP", Outcome: rcep.OutcomeOriginating}}); err != nil {
			t.Fatal(err)
		}
		u, err := db.RCEPUsage(ctx, mustDate(t, "2024-01-01"), mustDate(t, "2024-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Months) != 12 || u.Months[10].Choose != 2 || u.Months[10].ChooseOK != 2 || u.Months[11].Choose != 4 || u.Months[11].ChooseOK != 1 || u.Months[11].Origin != 1 {
			t.Fatalf("months %+v", u.Months)
		}
		if tot := u.Totals(); tot.Total() != 7 {
			t.Fatalf("totals %+v", tot)
		}
		if len(u.Chapters) != 3 || u.Chapters[0].Key != "04" || u.Chapters[0].Label != "第04章 乳品、蛋品、天然蜂蜜" {
			t.Fatalf("chapters %+v", u.Chapters)
		}
		if !strings.Contains(u.Narrative(), "共受理企业查询 7 次") {
			t.Fatalf("narrative %q", u.Narrative())
		}
		years, err := db.RCEPQueryYears(ctx)
		if err != nil || len(years) != 2 || years[0] != 2025 {
			t.Fatalf("years %v %v", years, err)
		}
	})
}

// In good-rows mode the skipped lines are kept with the version.
func TestRCEPImportGoodRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		bad := strings.Replace(string(sample.CSV), "最惠国,JP,61091000,7.4", "最惠国,JP,61091000,-7.4", 1)
		ds, issues, err := rcep.ParseFile([]byte(bad), "bad.csv")
		if err != nil {
			t.Fatal(err)
		}
		if err := rcep.Decide(ds, issues, rcep.ImportAll); err == nil {
			t.Fatal("all-or-nothing must refuse")
		}
		if err := rcep.Decide(ds, issues, rcep.ImportGood); err != nil {
			t.Fatal(err)
		}
		v, err := db.ImportRCEP(ctx, audit.System("test"), ds, issues)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.RCEPImportIssues(ctx, v.ID)
		// The bad MFN row, and the JP schedule line that then lacks an MFN rate.
		if err != nil || len(got) != 2 || !strings.Contains(got[0].Message, "不能为负数") || !strings.Contains(got[1].Message, "没有“最惠国”税率记录") {
			t.Fatalf("issues %v %v", got, err)
		}
		if v.Mode != rcep.ImportGood {
			t.Fatalf("mode %s", v.Mode)
		}
	})
}

// A refused file is kept byte for byte (and audited), so that importing
// its good rows later reads exactly what was checked.
func TestRCEPUploadKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		content := append([]byte("\xef\xbb\xbf"), sample.CSV...)
		u, err := db.SaveRCEPUpload(ctx, audit.System("test"), "税率.csv", content)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.RCEPUpload(ctx, u.ID)
		if err != nil || got.Name != "税率.csv" || string(got.Content) != string(content) || got.SHA256 != u.SHA256 || len(u.SHA256) != 64 {
			t.Fatalf("upload %v: %q %d bytes", err, got.Name, len(got.Content))
		}
		if _, err := db.RCEPUpload(ctx, u.ID+1); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unknown upload: %v", err)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		es, err := db.AuditEntries(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range es {
			found = found || e.Action == "rcep.upload"
		}
		if !found {
			t.Fatal("the upload is not audited")
		}
	})
}
