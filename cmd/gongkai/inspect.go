package main

import (
	"context"
	"fmt"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/inspect"
	sitecrawl "gongkai/internal/inspect/crawl"
)

const inspectRunUsage = `用法：
  gongkai inspect run --unit UNIT [--site URL] [--allow-private] [--json] [--db DB]
      按《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）检查网站，检查记录保存在数据库中。
      UNIT 为单位代码或单位全称。不加 --site 时在本进程内检查该单位的门户网站
      （按业务记录检查每个栏目和每条信息，不需要启动服务）；加 --site 时检查该网址的网站。
      --allow-private  允许访问回环和内网地址（默认拒绝）
      --json           以 JSON 输出
      每个检查发现一行：级别<TAB>指标<TAB>URL或路径<TAB>说明；无法判断的指标和检查结论写到标准错误。

退出码：0 检查完成（无论发现什么问题）；1 检查未能完成（原因见标准错误）；2 用法错误。
`

// inspect runs "gongkai inspect run" (a contract: scripts depend on its
// flags, output and exit codes).
func (m *Main) inspect(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprint(m.Stderr, inspectRunUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 2
	}
	fs := m.flagSet("inspect run", "inspect run --unit UNIT [--site URL] [--allow-private] [--json] [--db DB]")
	fs.Usage = func() { fmt.Fprint(m.Stderr, inspectRunUsage) }
	dsn := m.dbFlag(fs)
	unitArg := fs.String("unit", "", "单位")
	site := fs.String("site", "", "网址")
	allowPrivate := fs.Bool("allow-private", false, "允许内网地址")
	asJSON := fs.Bool("json", false, "JSON 输出")
	if ok, code := parse(fs, args[1:]); !ok {
		return code
	}
	usage := func(msg string) int {
		fmt.Fprintf(m.Stderr, "错误：%s\n\n%s", msg, inspectRunUsage)
		return 2
	}
	if fs.NArg() > 0 {
		return usage(fmt.Sprintf("多余的参数“%s”", strings.Join(fs.Args(), " ")))
	}
	if strings.TrimSpace(*unitArg) == "" {
		return usage("请用 --unit 指定单位")
	}
	db, u, code := m.openUnit(ctx, *dsn, strings.TrimSpace(*unitArg), findUnit)
	if code != 0 {
		return code
	}
	defer db.Close()
	t := inspect.Target{UnitID: u.ID, Own: true, AllowPrivate: *allowPrivate}
	if *site != "" {
		t.Own, t.URL = false, strings.TrimSpace(*site)
		if pu, err := sitecrawl.ParseURL(t.URL); err == nil {
			t.URL = pu.String()
		}
	} else {
		us, err := db.UnitSettings(ctx, u.ID)
		if err != nil {
			return m.fail(err)
		}
		t.URL = strings.TrimSpace(us["report.portal_url"])
	}
	r := &inspect.Run{UnitID: u.ID, Target: t, Trigger: inspect.CLI}
	if _, err := db.QueueRun(ctx, audit.System("cli"), inspect.SystemActor("命令行"), r); err != nil {
		return m.fail(err)
	}
	in := &inspector{db: db, log: m.logger(), worker: "cli"}
	done, err := in.run(ctx, r.ID)
	if err != nil {
		return m.fail(err)
	}
	fs2, err := db.RunFindings(ctx, done.ID)
	if err != nil {
		return m.fail(err)
	}
	if *asJSON {
		b, err := encodeRun(u, done, fs2)
		if err != nil {
			return m.fail(err)
		}
		fmt.Fprintln(m.Stdout, string(b))
	} else {
		for _, f := range fs2 {
			fmt.Fprintf(m.Stdout, "%s\t%s\t%s\t%s\n", f.Level.Label(), f.Indicator.Label(), oneLine(f.URL), oneLine(f.Message))
		}
	}
	for _, j := range done.Judgements {
		if j.Verdict == inspect.Unknown {
			fmt.Fprintf(m.Stderr, "无法判断\t%s\t%s\n", j.Indicator.Label(), j.Note)
		}
	}
	v, w, d := done.Vetoes, done.Warnings, done.Deductions
	if done.Status != inspect.Complete {
		for _, why := range done.Reasons {
			fmt.Fprintln(m.Stderr, "未完成："+why)
		}
		fmt.Fprintf(m.Stderr, "检查未完成（检查记录第 %d 次）：已发现单项否决 %d 项、预警 %d 项、扣分 %d 项。\n", done.ID, v, w, d)
		return 1
	}
	fmt.Fprintf(m.Stderr, "检查完成（检查记录第 %d 次，%s）：单项否决 %d 项、预警 %d 项、扣分 %d 项；检查信息 %d 条、栏目 %d 个、页面 %d 个、链接 %d 个。\n",
		done.ID, u.Name, v, w, d, done.Stats.Items, done.Stats.Columns, done.Stats.Pages, done.Stats.Links)
	return 0
}

// oneLine keeps a field of the tab-separated output on its line.
func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\r", " ", "\n", " ").Replace(s)
}
