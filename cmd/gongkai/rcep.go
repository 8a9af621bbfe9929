package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/rcep"
	"gongkai/internal/rcep/sample"
)

const rcepUsage = `用法：
  gongkai rcep import FILE [--mode all|good] [--db …]
      导入税率数据（CSV，UTF-8；或 Excel 工作簿 .xlsx；格式见 docs/rcep-data-format.md）。--mode all（默认）有任何错误则不导入；
      --mode good 只导入无误的记录。错误按行号列出。FILE 为 sample 时导入内置的示例数据。
  gongkai rcep versions [--db …]
      列出税率数据版本。
  gongkai rcep choose --hs 税号 | --q 商品名称  --country 国家 [--direction import|export] [--date YYYY-MM-DD] [--db …]
      享惠智选：比较各协定税率与最惠国税率。`

func (m *Main) rcep(ctx context.Context, args []string) int {
	return m.subcommand(ctx, "rcep", rcepUsage, args, map[string]command{
		"import": m.rcepImport, "versions": m.rcepVersions, "choose": m.rcepChoose,
	})
}

func (m *Main) rcepImport(ctx context.Context, args []string) int {
	fs := m.flagSet("rcep import", "rcep import FILE [--mode all|good] [--db …]")
	dsn := m.dbFlag(fs)
	modeS := fs.String("mode", "all", "all：有任何错误则不导入（默认）；good：只导入无误的记录")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	var file string
	if fs.NArg() > 0 { // flags may also follow the file name
		file = fs.Arg(0)
		if ok, code := parse(fs, fs.Args()[1:]); !ok {
			return code
		}
	}
	if file == "" || fs.NArg() > 0 {
		fmt.Fprintln(m.Stderr, rcepUsage)
		return 2
	}
	mode, err := rcep.ParseImportMode(*modeS)
	if err != nil {
		return m.fail(err)
	}
	data, name := sample.CSV, sample.Name
	if file != "sample" {
		if data, err = readAtMost(file, rcep.MaxFileBytes); err != nil {
			fmt.Fprintf(m.Stderr, "错误：无法读取文件 %s\n", file)
			return 1
		}
		name = filepath.Base(file)
	}
	ds, issues, err := rcep.ParseFile(data, name)
	if err == nil {
		err = rcep.Decide(ds, issues, mode)
	}
	if err != nil {
		var ie *rcep.ImportError
		if errors.As(err, &ie) {
			for _, i := range ie.Issues {
				fmt.Fprintln(m.Stderr, i.String())
			}
		}
		return m.fail(err)
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	v, err := db.ImportRCEP(ctx, audit.System("cli"), ds, issues)
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "已导入税率数据版本 #%d（%s 起生效）：%d 个协定、%d 个商品、%d 条协定税率、%d 条原产地规则\n",
		v.ID, v.Effective, len(ds.Agreements), len(ds.Goods), len(ds.Lines), len(ds.Rules))
	for _, i := range issues {
		fmt.Fprintln(m.Stdout, "已跳过 "+i.String())
	}
	return 0
}

func (m *Main) rcepVersions(ctx context.Context, args []string) int {
	fs := m.flagSet("rcep versions", "rcep versions [--db …]")
	dsn := m.dbFlag(fs)
	if ok, code := parse(fs, args); !ok {
		return code
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	vs, err := db.RCEPVersions(ctx)
	if err != nil {
		return m.fail(err)
	}
	if len(vs) == 0 {
		fmt.Fprintln(m.Stdout, "尚未导入税率数据。")
	}
	for _, v := range vs {
		fmt.Fprintf(m.Stdout, "#%d\t%s 起生效\t%s\t%d 个协定、%d 个商品、%d 条协定税率、%d 条原产地规则、跳过 %d 条\t%s\n",
			v.ID, v.Effective, v.Title, v.Agreements, v.Goods, v.Lines, v.Rules, v.Issues, v.Source)
	}
	return 0
}

func (m *Main) rcepChoose(ctx context.Context, args []string) int {
	fs := m.flagSet("rcep choose", "rcep choose --hs 税号 | --q 商品名称 --country 国家 [--direction import|export] [--date YYYY-MM-DD]")
	dsn := m.dbFlag(fs)
	var in rcep.QueryInput
	fs.StringVar(&in.HS, "hs", "", "商品税号")
	fs.StringVar(&in.Text, "q", "", "商品名称")
	fs.StringVar(&in.Country, "country", "", "贸易伙伴：国家代码或中文名称")
	fs.StringVar(&in.Direction, "direction", "import", "import（进口）或 export（出口）")
	fs.StringVar(&in.Date, "date", "", "日期，默认今天")
	fs.StringVar(&in.Value, "value", "", "完税价格（元），默认 10000")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	ans, err := rcep.Ask(ctx, db, in, "cli", time.Now(), cst)
	if err != nil {
		var amb *rcep.AmbiguousError
		if errors.As(err, &amb) {
			for _, g := range amb.Candidates {
				fmt.Fprintf(m.Stderr, "  %s %s\n", g.Code(), g.Name)
			}
		}
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "%s %s，%s，%s，最惠国税率 %s（数据版本 #%d %s）\n", ans.Product.Code(), ans.Product.Name, ans.Direction.Label(), ans.Country.Name, ans.MFN, ans.Version.ID, ans.Version.Title)
	for _, o := range ans.Options {
		rate := "—"
		if o.HasRate {
			rate = o.Rate.String()
		}
		mark := "  "
		if o.Best {
			mark = "★ "
		}
		rule := ""
		if o.HasRule {
			rule = "原产地规则 " + o.Rule.Text
		}
		fmt.Fprintf(m.Stdout, "%s%s\t%d 年 %s\t每万元少缴 %s 元\t%s\t%s\n", mark, o.Agreement.Short, ans.Year, rate, o.Saving10k, rule, o.Note)
	}
	fmt.Fprintln(m.Stdout, strings.Join(ans.Notes, "\n"))
	return 0
}

// cst is China Standard Time, for the day a question is counted on.
var cst = time.FixedZone("CST", 8*3600)

// readAtMost reads a file, or its first limit+1 bytes when it is longer:
// enough for the reader to refuse it as too large without holding it all.
func readAtMost(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}
