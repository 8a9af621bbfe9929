package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"gongkai/internal/desk"
	"gongkai/internal/org"
)

const deskStatsUsage = "desk stats [--unit CODE] [--year YYYY] [--sub] [--json] [--db …]"

// deskStats prints a unit's section 一（三） figures for a year with the
// year before's and the growth, and the sentences the annual report prints;
// with --json, the desk.SectionOneThree value itself.
func (m *Main) deskStats(ctx context.Context, args []string) int {
	fs := m.flagSet("desk stats", deskStatsUsage)
	dsn := m.dbFlag(fs)
	unitCode := fs.String("unit", "", "单位代码（默认为门户网站所属单位）")
	year := fs.Int("year", time.Now().In(desk.Shanghai).Year()-1, "年度（默认为上一年）")
	sub := fs.Bool("sub", false, "含下级单位")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 || *year < 2000 || *year > 9999 {
		fs.Usage()
		return 2
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	unit, err := m.deskUnit(ctx, db, *unitCode)
	if err != nil {
		return m.fail(err)
	}
	ids := []int64{unit.ID}
	if *sub {
		units, err := db.Units(ctx)
		if err != nil {
			return m.fail(err)
		}
		ids = org.Descendants(units, unit.ID)
	}
	sec, err := db.SectionOneThree(ctx, ids, *year)
	if err != nil {
		return m.fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sec); err != nil {
			return m.fail(err)
		}
		return 0
	}
	scope := unit.Name
	if *sub {
		scope += "（含下级单位）"
	}
	fmt.Fprintf(m.Stdout, "%s %d 年 信息公开平台建设情况（年度报告一（三））\n\n", scope, *year)
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "类别\t项目\t%d年\t%d年\t同比\n", *year, *year-1)
	for _, r := range sec.Rows() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Group, r.Label, r.Current, r.Previous, r.Growth)
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "\n（三）%s\n（四）%s\n", sec.Narrative(), sec.NarrativeOversight())
	return 0
}
