package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/store"
)

const reportBuildUsage = `用法：
  gongkai report build [--db DB] --unit UNIT --year YEAR --format json|html|docx|pdf|xlsx [--scope self|all] [--published] [-o FILE]
      由业务记录生成政府信息公开工作年度报告（本年度也可生成，为截至当前的草稿）。
      UNIT 为单位代码、单位全称，或全称后加（本级机关）或（全系统）（此时不能再用 --scope 指定不同的范围）。
      --scope     self 本级机关（默认）或 all 全系统（本单位及所有下级单位）
      --published 导出已发布的版本（发布时冻结的文件），而不是按当前记录生成的草稿
      -o FILE     写入文件；不加时写到标准输出（二进制格式不写到终端）

退出码：0 完成；1 失败（原因见标准错误）；2 用法错误。
`

// reportBuild runs "gongkai report build" (a contract: scripts depend on
// its flags, output and exit codes).
func (m *Main) reportBuild(ctx context.Context, args []string) int {
	fs := m.flagSet("report build", "report build [--db DB] --unit UNIT --year YEAR --format json|html|docx|pdf|xlsx [--scope self|all] [--published] [-o FILE]")
	fs.Usage = func() { fmt.Fprint(m.Stderr, reportBuildUsage) }
	dsn := m.dbFlag(fs)
	unitArg := fs.String("unit", "", "单位")
	year := fs.Int("year", 0, "年度")
	format := fs.String("format", "", "格式")
	scopeArg := fs.String("scope", "", "范围")
	published := fs.Bool("published", false, "导出已发布的版本")
	out := fs.String("o", "", "输出文件")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	usage := func(msg string) int {
		fmt.Fprintf(m.Stderr, "错误：%s\n\n%s", msg, reportBuildUsage)
		return 2
	}
	if fs.NArg() > 0 {
		return usage(fmt.Sprintf("多余的参数“%s”", strings.Join(fs.Args(), " ")))
	}
	if strings.TrimSpace(*unitArg) == "" {
		return usage("请用 --unit 指定单位")
	}
	if *year == 0 {
		return usage("请用 --year 指定年度")
	}
	if *year < 1000 || *year > 9999 {
		return usage(fmt.Sprintf("年度“%d”不是四位数的年份", *year))
	}
	if !report.ValidFormat(*format) {
		return usage(fmt.Sprintf("请用 --format 指定格式：%s", strings.Join(report.Formats, "、")))
	}
	var scope annual.Scope
	if *scopeArg != "" {
		s, ok := annual.ParseScope(*scopeArg)
		if !ok || (*scopeArg != "self" && *scopeArg != "all") {
			return usage(fmt.Sprintf("--scope 只能是 self（本级机关）或 all（全系统），而不是“%s”", *scopeArg))
		}
		scope = s
	}
	name, named, ok := splitScope(*unitArg)
	if ok && scope != "" && named != scope {
		return usage(fmt.Sprintf("单位“%s”已指明范围为%s，与 --scope %s 矛盾", *unitArg, named.Label(), *scopeArg))
	}
	if ok {
		scope = named
	}
	if scope == "" {
		scope = annual.ScopeSelf
	}
	if *out == "" && report.Binary(*format) && reportIsTerminal(m.Stdout) {
		return usage(fmt.Sprintf("%s 是二进制格式，不能输出到终端：请用 -o 指定文件", strings.ToUpper(*format)))
	}

	db, unit, code := m.openUnit(ctx, *dsn, name, findUnit)
	if code != 0 {
		return code
	}
	defer db.Close()
	var (
		data []byte
		err  error
	)
	if *published {
		data, err = publishedFile(ctx, db, unit, *year, scope, *format)
	} else {
		data, err = m.buildFile(ctx, db, unit, *year, scope, *format)
	}
	if err != nil {
		return m.fail(err)
	}
	if *out == "" {
		_, err = m.Stdout.Write(data)
	} else {
		err = writeFileAtomic(*out, data)
	}
	if err != nil {
		return m.fail(errs.Wrap(errs.Internal, err, "写出年度报告失败"))
	}
	return 0
}

// splitScope reads 「福州海关（本级机关）」 / 「福州海关（全系统）」 (half-width
// brackets too); ok is false for a name without a scope.
func splitScope(arg string) (name string, scope annual.Scope, ok bool) {
	arg = strings.TrimSpace(arg)
	for _, s := range []annual.Scope{annual.ScopeSelf, annual.ScopeAll} {
		for _, form := range []string{"（" + s.Label() + "）", "(" + s.Label() + ")"} {
			if strings.HasSuffix(arg, form) {
				return strings.TrimSpace(strings.TrimSuffix(arg, form)), s, true
			}
		}
	}
	return arg, "", false
}

// findUnit finds a unit by its code or its exact name.
func findUnit(ctx context.Context, db *store.DB, arg string) (org.Unit, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return org.Unit{}, err
	}
	for _, u := range units {
		if u.Code == arg || u.Name == arg {
			return u, nil
		}
	}
	return org.Unit{}, errs.E(errs.NotFound, "没有代码或名称为“%s”的单位", arg)
}

func (m *Main) buildFile(ctx context.Context, db *store.DB, unit org.Unit, year int, scope annual.Scope, format string) ([]byte, error) {
	d, err := report.Build(ctx, db, report.Request{UnitID: unit.ID, Year: year, Scope: scope, Now: time.Now()})
	if err != nil {
		return nil, err
	}
	e, w := d.Counts()
	if err := db.NoteDraft(ctx, audit.System("cli"), unit.ID, year, scope, e, w); err != nil {
		return nil, err
	}
	opts, err := report.RenderOptionsOf(ctx, db)
	if err != nil {
		return nil, err
	}
	return report.Render(d.Doc, format, opts)
}

func publishedFile(ctx context.Context, db *store.DB, unit org.Unit, year int, scope annual.Scope, format string) ([]byte, error) {
	rec, ok, err := db.ReportRecord(ctx, unit.ID, year, scope)
	if err != nil {
		return nil, err
	}
	if !ok || rec.CurrentVersion == 0 {
		return nil, errs.E(errs.NotFound, "%s（%s）%d年度报告尚未发布，没有已发布的版本可导出", unit.Name, scope.Label(), year)
	}
	vs, err := db.ReportVersions(ctx, unit.ID, year, scope)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Number == rec.CurrentVersion {
			f, err := db.ReportFile(ctx, v.ID, format)
			return f.Content, err
		}
	}
	return nil, errs.E(errs.NotFound, "没有找到已发布的版本")
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, so that a failure leaves no half-written file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gongkai-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
