package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

const calendarUsage = `用法：
  gongkai calendar due --from YYYY-MM-DD --workdays N [--pause FROM:TO[:原因]]… [--db …]
      第一行以 YYYY-MM-DD 格式输出到期日（收到之日不计入），随后是计算过程。
  gongkai calendar import FILE [--db …]
      导入节假日安排（每行：开始日期,结束日期,holiday|workday,名称）。
  gongkai calendar show [--year YYYY] [--db …]
      列出某年的节假日安排。`

func (m *Main) calendar(ctx context.Context, args []string) int {
	return m.subcommand(ctx, "calendar", calendarUsage, args, map[string]command{
		"due": m.calendarDue, "import": m.calendarImport, "show": m.calendarShow,
	})
}

// command is a subcommand's entry point: its arguments, its exit code.
type command func(ctx context.Context, args []string) int

// subcommand runs the group's subcommand named by args[0], or prints the
// group's usage (exit 2) when there is none or it is unknown.
func (m *Main) subcommand(ctx context.Context, group, usage string, args []string, cmds map[string]command) int {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, usage)
		return 2
	}
	if run, ok := cmds[args[0]]; ok {
		return run(ctx, args[1:])
	}
	fmt.Fprintf(m.Stderr, "未知的 %s 子命令“%s”。\n%s\n", group, args[0], usage)
	return 2
}

// pauseFlags collects repeated --pause FROM:TO[:reason] values.
type pauseFlags []calendar.Pause

func (p *pauseFlags) String() string { return "" }

func (p *pauseFlags) Set(v string) error {
	parts := strings.SplitN(v, ":", 3)
	if len(parts) < 2 {
		return fmt.Errorf("暂停期间应写作 开始日期:结束日期[:原因]，如 2024-10-08:2024-10-15:征求第三方意见")
	}
	from, err := calendar.ParseDate(parts[0])
	if err != nil {
		return err
	}
	to, err := calendar.ParseDate(parts[1])
	if err != nil {
		return err
	}
	reason := "暂停计算"
	if len(parts) == 3 && strings.TrimSpace(parts[2]) != "" {
		reason = strings.TrimSpace(parts[2])
	}
	*p = append(*p, calendar.Pause{From: from, To: to, Reason: reason})
	return nil
}

// calendarFor returns the calendar in force: with --db given explicitly,
// the statutory data plus that database's imports; otherwise the statutory
// data alone, so that the command needs no database.
func (m *Main) calendarFor(ctx context.Context, dsn string) (*calendar.Calendar, error) {
	if dsn == "" {
		return calendar.Default(), nil
	}
	db, err := m.open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Calendar(ctx)
}

func (m *Main) calendarDue(ctx context.Context, args []string) int {
	fs := m.flagSet("calendar due", "calendar due --from YYYY-MM-DD --workdays N [--pause FROM:TO[:原因]]… [--db …]")
	fromS := fs.String("from", "", "收到日期（不计入期限）")
	n := fs.Int("workdays", 20, "工作日数")
	dsn := fs.String("db", "", "使用该数据库中导入的日历（默认只用内置的国务院节假日安排）")
	var pauses pauseFlags
	fs.Var(&pauses, "pause", "不计入期限的期间 FROM:TO[:原因]，可重复")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if *fromS == "" {
		fmt.Fprintln(m.Stderr, "缺少 --from：请给出收到日期，格式 YYYY-MM-DD")
		return 2
	}
	from, err := calendar.ParseDate(*fromS)
	if err != nil {
		fmt.Fprintln(m.Stderr, "错误："+err.Error())
		return 2
	}
	if *n < 1 {
		fmt.Fprintln(m.Stderr, "错误：--workdays 必须是正整数")
		return 2
	}
	cal, err := m.calendarFor(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	res, err := cal.AddWorkdays(from, *n, pauses)
	if err != nil {
		fmt.Fprintln(m.Stderr, "错误："+err.Error())
		return 2
	}
	fmt.Fprintf(m.Stdout, "%s 为自 %s 收到之日起第 %d 个工作日\n", res.Due, from, *n)
	fmt.Fprint(m.Stdout, res.Explain())
	if s := res.Explain(); s != "" && !strings.HasSuffix(s, "\n") {
		fmt.Fprintln(m.Stdout)
	}
	return 0
}

func (m *Main) calendarImport(ctx context.Context, args []string) int {
	fs := m.flagSet("calendar import", "calendar import FILE [--db …]")
	dsn := m.dbFlag(fs)
	if ok, code := parse(fs, moveFlagsFirst(args)); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(m.Stderr, "用法：gongkai calendar import FILE [--db …]")
		return 2
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return m.fail(errs.Wrap(errs.Invalid, err, "无法读取文件“%s”", path))
	}
	entries, err := calendar.ParseEntries(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintf(m.Stderr, "导入失败，未写入任何条目：\n%s\n", err.Error())
		return 1
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	changed, err := db.ImportCalendar(ctx, audit.System("cli"), entries, path)
	if err != nil {
		fmt.Fprintf(m.Stderr, "导入失败，未写入任何条目：\n%s\n", errs.MessageOf(err))
		return 1
	}
	fmt.Fprintf(m.Stdout, "已导入 %d 条日历条目。\n", len(entries))
	if changed > 0 {
		fmt.Fprintf(m.Stdout, "已按新日历重新计算 %d 件办理中申请的答复期限。\n", changed)
	}
	return 0
}

func (m *Main) calendarShow(ctx context.Context, args []string) int {
	fs := m.flagSet("calendar show", "calendar show [--year YYYY] [--db …]")
	year := fs.Int("year", calendar.Today(nil).Year(), "年份")
	dsn := fs.String("db", "", "同时列出该数据库中导入的条目")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	cal, err := m.calendarFor(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	if !cal.Covers(*year) {
		fmt.Fprintf(m.Stdout, "%d 年的节假日安排尚未录入，期限按周一至周五计算。\n", *year)
		return 0
	}
	for _, e := range cal.Entries() {
		if e.Start.Year() == *year || e.End.Year() == *year {
			fmt.Fprintln(m.Stdout, e.String())
		}
	}
	return 0
}

// moveFlagsFirst lets flags follow positional arguments (import FILE --db X).
func moveFlagsFirst(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
