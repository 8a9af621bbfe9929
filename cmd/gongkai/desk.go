package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

const deskUsage = "desk import-cdr FILE [--unit CODE] [--map 列名=字段,…] [--all-or-nothing] [--encoding utf-8|gb18030] [--db …]"

func (m *Main) desk(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == "stats" {
		return m.deskStats(ctx, args[1:])
	}
	if len(args) == 0 || (args[0] != "import-cdr" && args[0] != "import-calls") {
		fmt.Fprintln(m.Stderr, "用法：gongkai "+deskUsage+"\n      gongkai desk import-calls FILE …（热线工单，参数同上）\n      gongkai desk stats …（一（三）的各项数据，-h 查看参数）")
		return 2
	}
	kindKey := desk.ImportCDR
	if args[0] == "import-calls" {
		kindKey = desk.ImportCalls
	}
	kind, _ := desk.KindByKey(kindKey)
	fs := m.flagSet("desk "+args[0], deskUsage)
	dsn := m.dbFlag(fs)
	unitCode := fs.String("unit", "", "导入到哪个单位（单位代码，默认为门户网站所属单位）")
	spec := fs.String("map", "", "列对应关系：列名=字段，逗号分隔；字段为 "+fieldKeys(kind)+"；未给出的按列名自动识别")
	all := fs.Bool("all-or-nothing", false, "有任何一行错误时一行也不导入（默认导入正确的行并报告错误行）")
	enc := fs.String("encoding", "", "文件编码：utf-8 或 gb18030（默认自动识别）")
	batch := fs.Int("batch", desk.DefaultBatch, "每个事务写入的行数")
	files, ok, code := parseInterspersed(fs, args[1:])
	if !ok {
		return code
	}
	if len(files) != 1 {
		fmt.Fprintln(m.Stderr, "请给出一个要导入的 CSV 文件。用法：gongkai "+deskUsage)
		return 2
	}
	path := files[0]
	st, err := os.Stat(path)
	if err != nil || st.IsDir() {
		return m.fail(errs.E(errs.Invalid, "无法读取文件“%s”", path))
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
	// The encoding is sniffed from the file's start; the mapping starts
	// from the column names the file has and the user's --map overrides it.
	f, err := os.Open(path)
	if err != nil {
		return m.fail(errs.Wrap(errs.Invalid, err, "无法读取文件“%s”", path))
	}
	sample := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, sample)
	f.Close()
	if *enc == "" {
		*enc = desk.DetectEncoding(sample[:n])
	}
	f, _ = os.Open(path)
	header, err := desk.ReadHeader(f, *enc)
	f.Close()
	if err != nil {
		return m.fail(err)
	}
	mapping := desk.Suggest(kind, header)
	if *spec != "" {
		user, err := desk.ParseMappingSpec(kind, *spec)
		if err != nil {
			return m.fail(err)
		}
		mapping = mapping.Overlay(user)
	}
	mapping.Encoding = *enc
	mode := desk.ModeGood
	if *all {
		mode = desk.ModeAll
	}
	open := func() (io.ReadCloser, int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, errs.Wrap(errs.Invalid, err, "无法读取文件“%s”", path)
		}
		return f, st.Size(), nil
	}
	bar := newProgressBar(m.Stderr)
	actor := audit.System("cli")
	actor.UnitID = unit.ID
	res, err := db.ImportDesk(ctx, actor, unit.ID, kind, path, mapping, mode, open, *batch, bar.update)
	bar.done()
	var fe *errs.FormError
	if errors.As(err, &fe) {
		// The mapping does not fit the file: say every field at fault.
		for _, f := range fe.Fields {
			fmt.Fprintln(m.Stderr, "错误："+f.Message)
		}
		fmt.Fprintf(m.Stderr, "文件的列为：%s。请用 --map 列名=字段 指定对应关系。\n", strings.Join(header, "、"))
		return 1
	}
	m.printImport(res, kind)
	if err != nil {
		return m.fail(err)
	}
	if res.State == desk.ImportRejected {
		fmt.Fprintf(m.Stderr, "错误：有 %d 行不正确，按 --all-or-nothing 未导入任何记录。\n", res.Bad)
		return 1
	}
	return 0
}

func fieldKeys(k desk.ImportKind) string {
	var b []string
	for _, f := range k.Fields {
		b = append(b, f.Key)
	}
	return strings.Join(b, "、")
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("import-cdr FILE --map …").
func parseInterspersed(fs *flag.FlagSet, args []string) (pos []string, ok bool, code int) {
	for {
		if ok, code := parse(fs, args); !ok {
			return nil, false, code
		}
		if fs.NArg() == 0 {
			return pos, true, 0
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// deskUnit is the unit named by code, or the portal's unit.
func (m *Main) deskUnit(ctx context.Context, db *store.DB, code string) (org.Unit, error) {
	if code == "" {
		code, _ = db.Setting(ctx, "site_unit", "")
	}
	if code != "" {
		return db.UnitByCode(ctx, code)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return org.Unit{}, err
	}
	if len(units) == 0 {
		return org.Unit{}, errs.E(errs.Invalid, "数据库中还没有单位：请先建立单位，或用 --unit 指定")
	}
	return units[0], nil
}

func (m *Main) printImport(res desk.Result, kind desk.ImportKind) {
	w := m.Stdout
	fmt.Fprintf(w, "%s导入（编号 %d）：%s\n", kind.Label, res.ImportID, desk.ImportStateLabel(res.State))
	fmt.Fprintf(w, "  读取 %d 行，导入 %d 行，已有记录（重复）%d 行，错误 %d 行；用时 %s，%.0f 行/秒\n",
		res.Rows, res.Imported, res.Duplicates, res.Bad, res.Elapsed.Round(time.Millisecond), res.RowsPerSecond())
	for _, e := range res.Errors {
		fmt.Fprintln(w, "  "+e.Error())
	}
	if res.Bad > int64(len(res.Errors)) {
		fmt.Fprintf(w, "  ……另有 %d 行错误未列出\n", res.Bad-int64(len(res.Errors)))
	}
}

// progressBar draws the import's progress on a terminal, and nothing when
// the output is not one (a pipe, a file, a test).
type progressBar struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	p := &progressBar{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progressBar) update(pr desk.Progress) {
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := 0.0
	if pr.BytesAll > 0 {
		frac = float64(pr.BytesRead) / float64(pr.BytesAll)
	}
	frac = min(frac, 1)
	fill := int(frac * width)
	what := "导入"
	if pr.Pass == 1 && pr.BytesAll > 0 {
		what = "检查"
	}
	rate := float64(pr.Rows) / time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%%  %d 行  错误 %d 行  %.0f 行/秒 ", what, strings.Repeat("█", fill), strings.Repeat("░", width-fill), frac*100, pr.Rows, pr.Bad, rate)
}

func (p *progressBar) done() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}
