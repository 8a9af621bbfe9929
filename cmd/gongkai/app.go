package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/errs"
	"gongkai/internal/jobs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// flagSet makes a FlagSet that reports to stderr in Chinese and never exits.
func (m *Main) flagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "用法：gongkai %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; it returns false (after printing why) on bad usage.
func parse(fs *flag.FlagSet, args []string) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, 0
		}
		return false, 2
	}
	return true, 0
}

func (m *Main) env(key, def string) string {
	if v := m.Getenv(key); v != "" {
		return v
	}
	return def
}

// dbFlag adds the --db flag with its default from GONGKAI_DB or ./gongkai.db.
func (m *Main) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", m.env("GONGKAI_DB", "gongkai.db"), "数据库：SQLite 文件路径或 postgres:// 地址（环境变量 GONGKAI_DB）")
}

// fail prints an error as one clear sentence and returns exit code 1.
func (m *Main) fail(err error) int {
	msg := errs.MessageOf(err)
	if errs.CodeOf(err) == errs.Internal {
		msg = err.Error()
	}
	fmt.Fprintln(m.Stderr, "错误："+msg)
	return 1
}

func (m *Main) open(ctx context.Context, dsn string) (*store.DB, error) {
	return store.Open(ctx, dsn, store.Options{})
}

// unitFinder looks up the unit a command names: byCode by its code (the
// commands that take --unit CODE), findUnit by its code or exact name.
type unitFinder func(ctx context.Context, db *store.DB, arg string) (org.Unit, error)

func byCode(ctx context.Context, db *store.DB, code string) (org.Unit, error) {
	return db.UnitByCode(ctx, code)
}

// openUnit is the preamble of a command about one unit: it opens the
// database and finds the unit named by arg. When either fails it prints
// the error (m.fail), closes what it opened and returns the exit code;
// otherwise code is 0 and the caller closes db.
func (m *Main) openUnit(ctx context.Context, dsn, arg string, find unitFinder) (db *store.DB, u org.Unit, code int) {
	db, err := m.open(ctx, dsn)
	if err != nil {
		return nil, org.Unit{}, m.fail(err)
	}
	u, err = find(ctx, db, arg)
	if err != nil {
		code = m.fail(err)
		db.Close()
		return nil, org.Unit{}, code
	}
	return db, u, 0
}

func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func (m *Main) serve(ctx context.Context, args []string) int {
	fs := m.flagSet("serve", "serve [--addr 127.0.0.1:8080] [--db PATH|postgres://DSN] [--demo]")
	addr := fs.String("addr", m.env("GONGKAI_ADDR", "127.0.0.1:8080"), "监听地址（环境变量 GONGKAI_ADDR）")
	dsn := m.dbFlag(fs)
	withDemo := fs.Bool("demo", false, "数据库为空时载入演示数据，并显示登录方式")
	seed := fs.Uint64("seed", 1, "演示数据的随机种子")
	site := fs.String("site", m.env("GONGKAI_SITE_UNIT", ""), "门户网站所属单位的代码（环境变量 GONGKAI_SITE_UNIT）")
	secure := fs.Bool("secure-cookies", m.env("GONGKAI_SECURE_COOKIES", "") == "1", "仅通过 HTTPS 发送 Cookie（部署在 HTTPS 之后时开启）")
	metricsAddr := fs.String("metrics-addr", m.env("GONGKAI_METRICS_ADDR", ""), "监控指标（Prometheus 格式）的单独监听地址，如 127.0.0.1:9100（环境变量 GONGKAI_METRICS_ADDR）")
	metricsToken := fs.String("metrics-token", m.env("GONGKAI_METRICS_TOKEN", ""), "在 /metrics 提供监控指标，须带此令牌访问（Authorization: Bearer 令牌；环境变量 GONGKAI_METRICS_TOKEN）")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	log := m.logger()
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	policy := auth.DefaultPolicy
	if *withDemo {
		loaded, err := m.loadDemo(ctx, db, *seed, policy.Params)
		if err != nil {
			return m.fail(err)
		}
		if !loaded {
			fmt.Fprintln(m.Stdout, "数据库中已有数据，未载入演示数据。")
		}
	}
	a := &auth.Service{Store: db, Policy: policy}
	var metrics *web.Metrics
	if *metricsAddr != "" || *metricsToken != "" {
		metrics = web.NewMetrics(db, func() calendar.Date { return calendar.Today(beijing) })
	}
	srv, err := web.New(db, a, log, web.Config{Secret: m.Getenv("GONGKAI_SECRET"), SecureCookies: *secure, SiteUnit: *site, Metrics: metrics, MetricsToken: *metricsToken})
	if err != nil {
		return m.fail(err)
	}
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return m.fail(errs.Wrap(errs.Unavailable, err, "无法监听监控指标地址 %s：端口可能已被占用", *metricsAddr))
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler(""))
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go ms.Serve(mln)
		defer ms.Close()
		fmt.Fprintf(m.Stdout, "监控指标：http://%s/metrics\n", mln.Addr())
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return m.fail(errs.Wrap(errs.Unavailable, err, "无法监听地址 %s：端口可能已被占用", *addr))
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(m.Stdout, "gongkai 已启动：门户网站 %s/ ，工作平台 %s/admin/ （数据库：%s）\n", url, url, db.Describe())
	if *withDemo {
		fmt.Fprintf(m.Stdout, "演示账号：admin、editor、reviewer、legal、handler、head、stats、agent，密码均为 %s\n", demo.Password)
	}
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	runner := m.jobRunner(db, policy, log)
	for kind, h := range runner.Handlers {
		runner.Handlers[kind] = func(ctx context.Context, j jobs.Job) (time.Time, error) {
			next, err := h(ctx, j)
			metrics.JobDone(kind, err)
			return next, err
		}
	}
	for kind := range runner.Handlers {
		if queued[kind] {
			continue // one job per piece of work asked for, not recurring
		}
		if err := jobs.Every(ctx, db, kind, time.Now()); err != nil {
			return m.fail(err)
		}
	}
	go runner.Run(ctx)
	srv.Start(ctx) // the portal cache's poll and the visits' flush
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return m.fail(err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hs.Shutdown(shutdown)
	if err := srv.Close(shutdown); err != nil {
		log.Warn("visits not written at shutdown", "err", err)
	}
	fmt.Fprintln(m.Stdout, "gongkai 已停止。")
	return 0
}

// queued are the job kinds that are not recurring: a job of the kind is
// queued by what it works on (a batch audit by its upload).
var queued = map[string]bool{annual.BatchJobKind: true, inspectRunJob: true}

// batchChunk is the files of a batch audit checked in one run of its job.
const batchChunk = 10

// jobRunner wires the background jobs. Each kind here but the queued ones
// is recurring: its handler returns when it should run next. Every instance
// runs a runner; the row lock on each job makes sure only one of them runs
// it.
func (m *Main) jobRunner(db *store.DB, p auth.Policy, log *slog.Logger) *jobs.Runner {
	host, _ := os.Hostname()
	worker := fmt.Sprintf("%s-%d", host, os.Getpid())
	in := &inspector{db: db, log: log, worker: worker}
	r := &jobs.Runner{
		Store:  db,
		Worker: worker,
		Log:    log,
		Handlers: map[string]jobs.Handler{
			// Idle sessions are removed from the database every ten minutes.
			"auth.sweep_sessions": func(ctx context.Context, j jobs.Job) (time.Time, error) {
				_, err := db.DeleteSessionsIdleSince(ctx, time.Now().Add(-p.IdleTimeout))
				return time.Now().Add(10 * time.Minute), err
			},
			"requests.reminders": requestReminders(db, log, time.Now), // 依申请公开 due-soon and overdue reminders, hourly
			"mail.poll":          mailPollJob(db, log),                // 依申请公开邮箱 read over IMAP, every five minutes
			inspectRunJob:        in.inspectRun(),                     // a site inspection asked for in the back office
			annual.BatchJobKind:  annual.BatchJob(db, batchChunk),     // 批量检查 of annual reports, queued by each upload
		},
	}
	for kind, h := range in.jobs() { // 网站检查: the schedule, the probes, the daily digest
		r.Handlers[kind] = h
	}
	return r
}

// loadDemo loads the demo world when the database has no units yet.
func (m *Main) loadDemo(ctx context.Context, db *store.DB, seed uint64, params auth.Params) (bool, error) {
	w := demo.Generate(seed)
	w.Notes = func(s string) { fmt.Fprintln(m.Stderr, s) }
	return m.loadWorld(ctx, db, w, params)
}

// loadWorld loads a demo world when the database has no units yet.
func (m *Main) loadWorld(ctx context.Context, db *store.DB, w demo.World, params auth.Params) (bool, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return false, err
	}
	if len(units) > 0 {
		return false, nil
	}
	if err := demo.Load(ctx, db, w, params); err != nil {
		return false, err
	}
	return true, nil
}

func (m *Main) migrate(ctx context.Context, args []string) int {
	fs := m.flagSet("migrate", "migrate [--db …]")
	dsn := m.dbFlag(fs)
	if ok, code := parse(fs, args); !ok {
		return code
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "数据库已是最新结构（版本 %d）：%s\n", v, db.Describe())
	return 0
}

func (m *Main) demo(ctx context.Context, args []string) int {
	fs := m.flagSet("demo", "demo [--world NAME] [--db …] [--seed N]")
	dsn := m.dbFlag(fs)
	seed := fs.Uint64("seed", 1, "随机种子：同一种子总是生成相同的数据")
	world := fs.String("world", "", "载入指定的演示数据（fuzhou-2024：福州海关 2023—2024 年的业务记录）")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	w := demo.Generate(*seed)
	if *world != "" {
		var err error
		if w, err = demo.Named(*world, *seed); err != nil {
			fmt.Fprintln(m.Stderr, "错误："+errs.MessageOf(err))
			return 2
		}
	}
	w.Notes = func(s string) { fmt.Fprintln(m.Stderr, s) }
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	loaded, err := m.loadWorld(ctx, db, w, auth.DefaultParams)
	if err != nil {
		return m.fail(err)
	}
	if !loaded {
		return m.fail(errs.E(errs.Conflict, "数据库中已有单位数据，演示数据只能载入空数据库"))
	}
	name := "演示数据"
	if *world != "" {
		name = "演示数据 " + *world
	}
	fmt.Fprintf(m.Stdout, "已载入%s（种子 %d）。演示账号：admin、editor、reviewer、legal、handler、head、stats、agent，密码均为 %s\n", name, *seed, demo.Password)
	return 0
}

func (m *Main) audit(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(m.Stderr, "用法：gongkai audit verify [--db …]")
		return 2
	}
	fs := m.flagSet("audit verify", "audit verify [--db …]")
	dsn := m.dbFlag(fs)
	if ok, code := parse(fs, args[1:]); !ok {
		return code
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	n, err := db.VerifyAudit(ctx)
	if err != nil {
		fmt.Fprintf(m.Stderr, "审计日志校验未通过（已校验 %d 条）：%s\n", n, err.Error())
		return 1
	}
	fmt.Fprintf(m.Stdout, "审计日志完整：共 %d 条，哈希链无断裂。\n", n)
	return 0
}

func versionString() string {
	v := "gongkai (开发版)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty, _ = strconv.ParseBool(s.Value)
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = "gongkai " + bi.Main.Version
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			v += " " + rev
			if dirty {
				v += "（有未提交的修改）"
			}
		}
		v += " " + bi.GoVersion
	}
	return v
}
