package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/web"
)

const portalUsage = `用法：
  gongkai portal export --unit CODE [--base-url URL] [--upstream URL] [--watch] [--db …] DIR
      把该单位门户网站的公开页面写成静态文件（DIR），供 nginx 原样提供；
      同时在 DIR 旁写出 nginx 配置（DIR.nginx.conf），检索、表单和办理结果查询转给 gongkai 服务器。
      已撤回的页面从 DIR 中删除。--watch 持续运行，发布、撤回后数秒内更新。`

func (m *Main) portal(ctx context.Context, args []string) int {
	return m.subcommand(ctx, "portal", portalUsage, args, map[string]command{"export": m.portalExport})
}

func (m *Main) portalExport(ctx context.Context, args []string) int {
	fs := m.flagSet("portal export", "portal export --unit CODE [--base-url URL] [--upstream URL] [--watch] [--db …] DIR")
	dsn := m.dbFlag(fs)
	unitCode := fs.String("unit", "", "单位代码（门户网站所属单位）")
	base := fs.String("base-url", "", "网站地址，用于订阅和网站地图中的链接（默认 http://localhost）")
	upstream := fs.String("upstream", "http://127.0.0.1:8080", "gongkai 服务器地址（nginx 转发动态页面）")
	watch := fs.Bool("watch", false, "持续运行：公开信息变化后重新导出")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	var dir string
	if fs.NArg() > 0 { // flags may also follow the directory
		dir = fs.Arg(0)
		if ok, code := parse(fs, fs.Args()[1:]); !ok {
			return code
		}
	}
	if dir == "" || fs.NArg() > 0 || *unitCode == "" {
		fmt.Fprintln(m.Stderr, portalUsage)
		return 2
	}
	if *base == "" {
		*base = "http://localhost"
	}
	db, unit, code := m.openUnit(ctx, *dsn, *unitCode, byCode)
	if code != 0 {
		return code
	}
	defer db.Close()
	srv, err := web.New(db, &auth.Service{Store: db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: unit.Code, Secret: "export"})
	if err != nil {
		return m.fail(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return m.fail(err)
	}
	export := func() error {
		res, err := srv.Export(ctx, abs, *base)
		if err != nil {
			return err
		}
		conf := web.NginxConfig(abs, *upstream, hostOf(*base))
		if err := os.WriteFile(abs+".nginx.conf", []byte(conf), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "已导出 %s 门户网站：%d 个文件（写入 %d，未变 %d，删除 %d），nginx 配置 %s\n",
			unit.Name, len(res.Files), res.Written, res.Unchanged, res.Removed, abs+".nginx.conf")
		return nil
	}
	if err := export(); err != nil {
		return m.fail(err)
	}
	if !*watch {
		return 0
	}
	// Watch: the unit's generation moves in the transaction of every change
	// to its public rows; a change is exported within a second or two.
	last := int64(-1)
	if g, err := db.PortalGenerations(ctx); err == nil {
		last = g[unit.ID][0]
	}
	next, _ := db.NextPortalChange(ctx, unit.ID)
	for {
		select {
		case <-ctx.Done():
			return 0
		case <-time.After(time.Second):
		}
		g, err := db.PortalGenerations(ctx)
		if err != nil {
			fmt.Fprintln(m.Stderr, "错误：", err)
			continue
		}
		due := !next.IsZero() && !db.Now().Before(next)
		if g[unit.ID][0] == last && !due {
			continue
		}
		last = g[unit.ID][0]
		next, _ = db.NextPortalChange(ctx, unit.ID)
		if err := export(); err != nil {
			fmt.Fprintln(m.Stderr, "错误：", err)
		}
	}
}

func hostOf(base string) string {
	u := base
	for _, p := range []string{"https://", "http://"} {
		if len(u) > len(p) && u[:len(p)] == p {
			u = u[len(p):]
		}
	}
	for i, c := range u {
		if c == '/' || c == ':' {
			return u[:i]
		}
	}
	return u
}
