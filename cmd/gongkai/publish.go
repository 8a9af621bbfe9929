package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/publish"
)

const publishUsage = `用法：
  gongkai publish stats --unit CODE --year YYYY [--json] [--db …]
      输出年报“主动公开信息情况”一段和表二（由发布记录和第二十条登记统计）。
  gongkai publish import-decisions --unit CODE FILE.csv [--db …]
      导入行政许可、行政处罚、行政强制决定；任一行有误则整批不导入，逐行报告。
  gongkai publish reindex [--db …]
      按当前分词规则重建站内搜索索引。`

func (m *Main) publish(ctx context.Context, args []string) int {
	return m.subcommand(ctx, "publish", publishUsage, args, map[string]command{
		"stats": m.publishStats, "import-decisions": m.publishImportDecisions, "reindex": m.publishReindex,
	})
}

func (m *Main) publishStats(ctx context.Context, args []string) int {
	fs := m.flagSet("publish stats", "publish stats --unit CODE --year YYYY [--json] [--db …]")
	dsn := m.dbFlag(fs)
	unitCode := fs.String("unit", "", "单位代码")
	year := fs.Int("year", 0, "年度")
	asJSON := fs.Bool("json", false, "以 JSON 输出（表二为 gongkai.annual-report/v1 的 table2）")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if *unitCode == "" || *year < 2000 || *year > 2100 {
		fmt.Fprintln(m.Stderr, "用法：gongkai publish stats --unit CODE --year YYYY [--json]")
		return 2
	}
	db, unit, code := m.openUnit(ctx, *dsn, *unitCode, byCode)
	if code != 0 {
		return code
	}
	defer db.Close()
	st, err := db.PublishStats(ctx, unit.ID, *year)
	if err != nil {
		return m.fail(err)
	}
	t2, err := db.Table2(ctx, unit.ID, *year)
	if err != nil {
		return m.fail(err)
	}
	sentence := st.Sentence(unit.Name + "本级机关")
	if *asJSON {
		type cat struct {
			Category  string `json:"category"`
			New       int    `json:"new"`
			Revisions int    `json:"revisions"`
			PrevNew   int    `json:"prev_new"`
			InReport  bool   `json:"in_report"`
		}
		out := struct {
			Unit       string `json:"unit"`
			Year       int    `json:"year"`
			Sentence   string `json:"sentence"`
			New        int    `json:"new"`
			PrevNew    int    `json:"prev_new"`
			Revisions  int    `json:"revisions"`
			Categories []cat  `json:"categories"`
			Table2     any    `json:"table2"`
		}{Unit: unit.Name, Year: *year, Sentence: sentence, New: st.New, PrevNew: st.PrevNew, Revisions: st.Revisions, Table2: t2}
		for _, c := range st.Categories {
			out.Categories = append(out.Categories, cat{c.Category.Name, c.New, c.Revisions, c.PrevNew, c.Category.InReport})
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return m.fail(err)
		}
		return 0
	}
	fmt.Fprintln(m.Stdout, sentence)
	fmt.Fprintln(m.Stdout)
	fmt.Fprintf(m.Stdout, "表二（%d年）\t本年制发件数\t本年废止件数\t现行有效件数\n", *year)
	fmt.Fprintf(m.Stdout, "规章\t%s\t%s\t%s\n", t2.Regulations.Issued, t2.Regulations.Abolished, t2.Regulations.InForce)
	fmt.Fprintf(m.Stdout, "行政规范性文件\t%s\t%s\t%s\n", t2.NormativeDocuments.Issued, t2.NormativeDocuments.Abolished, t2.NormativeDocuments.InForce)
	fmt.Fprintf(m.Stdout, "行政许可\t%s\n行政处罚\t%s\n行政强制\t%s\n行政事业性收费（万元）\t%s\n", t2.LicensingDecisions, t2.PenaltyDecisions, t2.EnforcementDecisions, *t2.FeesWanYuan)
	return 0
}

func (m *Main) publishImportDecisions(ctx context.Context, args []string) int {
	fs := m.flagSet("publish import-decisions", "publish import-decisions --unit CODE FILE.csv [--db …]")
	dsn := m.dbFlag(fs)
	unitCode := fs.String("unit", "", "单位代码")
	if ok, code := parse(fs, moveFlagsFirst(args)); !ok {
		return code
	}
	if *unitCode == "" || fs.NArg() != 1 {
		fmt.Fprintln(m.Stderr, "用法：gongkai publish import-decisions --unit CODE FILE.csv")
		return 2
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return m.fail(errs.Wrap(errs.Invalid, err, "无法读取文件“%s”", path))
	}
	ds, err := publish.ParseDecisionsCSV(bytes.NewReader(data))
	if ie, ok := err.(*publish.ImportError); ok {
		fmt.Fprintf(m.Stderr, "导入失败，未写入任何记录：\n%s\n", ie.Error())
		return 1
	} else if err != nil {
		return m.fail(err)
	}
	db, unit, code := m.openUnit(ctx, *dsn, *unitCode, byCode)
	if code != 0 {
		return code
	}
	defer db.Close()
	if err := db.AddDecisions(ctx, audit.System("cli"), unit.ID, ds, path); err != nil {
		fmt.Fprintf(m.Stderr, "导入失败，未写入任何记录：%s\n", errs.MessageOf(err))
		return 1
	}
	fmt.Fprintf(m.Stdout, "已导入 %d 条决定。\n", len(ds))
	return 0
}

func (m *Main) publishReindex(ctx context.Context, args []string) int {
	fs := m.flagSet("publish reindex", "publish reindex [--db …]")
	dsn := m.dbFlag(fs)
	if ok, code := parse(fs, args); !ok {
		return code
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	n, err := db.Reindex(ctx)
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "已重建站内搜索索引：%d 条公开信息。\n", n)
	return 0
}
