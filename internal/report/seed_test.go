package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"gongkai/internal/annual"
	"gongkai/internal/auth"
	"gongkai/internal/demo"
	"gongkai/internal/report"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

var ctx = context.Background()

// The seed: 福州海关（本级机关）2024年政府信息公开工作年度报告, as published.
const seedFile = "../../../shared/seeds/000_2f79b80c6173732d.txt"

func seedReport(t *testing.T) *annual.Report {
	t.Helper()
	b, err := os.ReadFile(seedFile)
	if err != nil {
		b, err = os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
	}
	if err != nil {
		t.Fatal(err)
	}
	r, err := annual.Read(b, "seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// squeeze removes all white space: the seed's text was extracted from a PDF,
// with spaces around figures and lines broken mid-sentence.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// seedWorld loads the world of the seed's records into a fresh database.
func seedWorld(t *testing.T, d store.Dialect) (*store.DB, int64) {
	t.Helper()
	db := storetest.Open(t, d, store.Options{})
	if err := demo.Load(ctx, db, demo.Generate(1), auth.Params{Memory: 1024, Time: 1, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	u, err := db.UnitByCode(ctx, "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	return db, u.ID
}

func build(t *testing.T, db *store.DB, unitID int64, year int, scope annual.Scope) *report.Draft {
	t.Helper()
	d, err := report.Build(ctx, db, report.Request{UnitID: unitID, Year: year, Scope: scope, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func tablesJSON(t *testing.T, r *annual.Report) string {
	t.Helper()
	b, err := json.Marshal(struct {
		T2 *annual.Table2
		T3 annual.Table3
		T4 *annual.Table4
	}{r.Table2, r.Table3, r.Table4})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSeedWorld is the end-to-end acceptance test of the product: from the
// records of 福州海关's 2024 (one per application, item, decision, call,
// message, post), the report built for 福州海关（本级机关） has the seed's
// tables exactly and its sections 一, 五 and 六 word for word.
func TestSeedWorld(t *testing.T) {
	seed := seedReport(t)
	for _, dialect := range storetest.Backends {
		t.Run(string(dialect), func(t *testing.T) {
			db, fz := seedWorld(t, dialect)
			d := build(t, db, fz, 2024, annual.ScopeSelf)
			got := d.Doc.Report
			if a, b := tablesJSON(t, got), tablesJSON(t, seed); a != b {
				t.Errorf("tables differ from the seed's:\nbuilt %s\nseed  %s", a, b)
			}
			for _, part := range []struct {
				name       string
				built, ref string
			}{
				{"一、总体情况", d.Doc.SectionText(1), seed.Text.Overview},
				{"五、存在的主要问题及改进情况", d.Doc.SectionText(5), seed.Text.Problems},
				{"六、其他需要报告的事项", d.Doc.SectionText(6), seed.Text.Other},
			} {
				if squeeze(part.built) != squeeze(part.ref) {
					t.Errorf("%s differs from the seed:\nbuilt %s\nseed  %s", part.name, squeeze(part.built), squeeze(part.ref))
				}
			}
			if got.Title != "福州海关（本级机关）2024年政府信息公开工作年度报告" || got.Unit != "福州海关（本级机关）" {
				t.Errorf("title %q, unit %q", got.Title, got.Unit)
			}
			if squeeze(d.Doc.Preface.Text()) != squeeze(strings.ReplaceAll(strings.ReplaceAll(seed.Text.Preface, "<", ""), ">", "")) {
				t.Errorf("preface:\nbuilt %s\nseed  %s", d.Doc.Preface.Text(), seed.Text.Preface)
			}
			for _, f := range got.Findings {
				t.Errorf("finding: %s %s %s %s", f.Rule, f.Severity, f.Where, f.Message)
			}
		})
	}
}

// TestFigureRecords holds the drill-down to the figures: for every count of
// the catalogue and every number cell of the tables, the records listed
// behind it are as many as it says (a sum over the records for visits,
// followers and enterprises).
func TestFigureRecords(t *testing.T) {
	for _, dialect := range storetest.Backends {
		t.Run(string(dialect), func(t *testing.T) {
			db, fz := seedWorld(t, dialect)
			d := build(t, db, fz, 2024, annual.ScopeSelf)
			checked := 0
			for _, st := range d.Stats {
				if st.Records == nil || st.Def.Kind != annual.FigureCount || st.Figure.Value == nil {
					continue
				}
				t0 := time.Now()
				page, err := db.FigureRecords(ctx, *st.Records, 1, 10)
				if err != nil {
					t.Fatalf("%s: %v", st.Def.Key, err)
				}
				if el := time.Since(t0); el > 200*time.Millisecond {
					t.Logf("%s took %v", st.Def.Key, el)
				}
				if page.Sum != *st.Figure.Value {
					t.Errorf("%s = %d, but the records listed behind it make %d (%d records)", st.Def.Key, *st.Figure.Value, page.Sum, page.Total)
				}
				checked++
			}
			if checked < 60 {
				t.Errorf("only %d counts checked", checked)
			}
			for _, tb := range []string{annual.TableTwo, annual.TableThree, annual.TableFour} {
				for _, row := range d.Doc.Grid(tb).Rows {
					for _, c := range row.Cells {
						if c.Kind != annual.CellNumber || c.Where == "table2.fees_wan_yuan" {
							continue
						}
						q, ok := report.CellQuery(c.Where, &d.Doc.Report.Table3, d.Facts.UnitIDs, 2024)
						if !ok {
							t.Errorf("cell %s leads to no records", c.Where)
							continue
						}
						page, err := db.FigureRecords(ctx, q, 1, 10)
						if err != nil {
							t.Fatalf("%s: %v", c.Where, err)
						}
						if fmt.Sprint(page.Total) != c.Text {
							t.Errorf("cell %s = %s, but %d records are listed behind it", c.Where, c.Text, page.Total)
						}
					}
				}
			}
		})
	}
}

// TestStatisticsDocumented holds docs/report-statistics.md to the
// catalogue: every statistic of the seed world is listed (dynamic keys by
// their pattern).
func TestStatisticsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/report-statistics.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	db, fz := seedWorld(t, store.SQLite)
	d := build(t, db, fz, 2024, annual.ScopeSelf)
	for _, st := range d.Stats {
		k := st.Def.Key
		switch {
		case strings.HasPrefix(k, "主动公开.") && k != "主动公开.发布总数" && k != "主动公开.更新条次":
			k = "主动公开.<栏目名称>"
		case strings.HasPrefix(k, "新媒体.专栏."):
			k = "新媒体.专栏.<专栏名称>"
		case strings.HasPrefix(k, "新媒体.") && strings.HasSuffix(k, ".发文"):
			k = "新媒体.<平台>.发文"
		case strings.HasPrefix(k, "新媒体.") && strings.HasSuffix(k, ".关注人数"):
			k = "新媒体.<平台>.关注人数"
		}
		if !strings.Contains(doc, "`{"+k+"}`") {
			t.Errorf("docs/report-statistics.md does not list {%s}", k)
		}
	}
}
