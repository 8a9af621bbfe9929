// Command gongkai runs the 政府信息公开 platform: the public portal, the
// staff back office, and the command-line tools around them.
//
//	gongkai serve     [--addr 127.0.0.1:8080] [--db PATH|postgres://DSN] [--demo]
//	gongkai migrate   [--db …]
//	gongkai user add  --unit CODE --username NAME --name 姓名 --role admin,editor (--password-stdin | --password P)
//	gongkai calendar  due --from YYYY-MM-DD --workdays N [--pause FROM:TO]… | import FILE | show [--year Y]
//	gongkai audit     verify
//	gongkai backup    [--db …] -o FILE
//	gongkai restore   [--db …] [--force] FILE
//	gongkai demo      [--seed N]
//	gongkai desk      import-cdr FILE [--map 列名=字段,…] [--all-or-nothing] | import-calls FILE | stats
//	gongkai report    check [--json] FILE… | check --csv DIR | build --unit U --year Y --format F
//	gongkai rcep      import FILE [--mode all|good] | versions | choose --hs … --country …
//	gongkai inspect   run --unit UNIT [--site URL] [--allow-private] [--json]
//	gongkai mail      receive --unit UNIT < message.eml | mailbox --unit UNIT … | poll [--unit UNIT]
//	gongkai version
//
// All wiring lives in Main, so that end-to-end tests run the real thing.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program: its input, output and environment, so that tests can
// run it in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	// Ready, when set, is called by serve with the address it listens on
	// (useful with --addr 127.0.0.1:0).
	Ready func(addr string)
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

const usageText = `gongkai —— 政府信息公开工作平台

用法：
  gongkai serve     启动门户网站和工作平台（--addr、--db、--demo）
  gongkai migrate   升级数据库结构
  gongkai user add  新建工作人员账号
  gongkai calendar  工作日历：due 计算期限，import 导入节假日，show 查看
  gongkai audit     verify 校验审计日志
  gongkai backup    备份数据库到文件（-o 文件）
  gongkai restore   从备份文件恢复到空数据库（--force 覆盖已有数据）
  gongkai demo      向空数据库载入演示数据
  gongkai desk      import-cdr 导入热线话单（CSV），import-calls 导入热线工单，stats 一（三）统计
  gongkai report    build 由业务记录生成年度报告，check 检查已发布的年度报告
  gongkai rcep      享惠智选：import 导入税率数据，versions 列出版本，choose 查询协定税率
  gongkai publish   stats 主动公开统计和表二，import-decisions 导入第二十条决定
  gongkai portal    export 把门户网站导出为静态文件（附 nginx 配置）
  gongkai inspect   run 按国办秘函〔2019〕19号检查门户网站或指定网站
  gongkai mail      receive 接收管道投递的申请邮件，mailbox 设置依申请公开邮箱（IMAP），poll 读取新邮件
  gongkai version   显示版本

每个子命令加 -h 查看参数。数据库默认为 ./gongkai.db（SQLite），也可用 --db 或环境变量 GONGKAI_DB 指定 postgres:// 地址。
`

// Run executes one command line and returns the exit code: 0 for success,
// 1 for a failure, 2 for a usage error.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usageText)
		return 2
	}
	switch args[0] {
	case "serve":
		return m.serve(ctx, args[1:])
	case "migrate":
		return m.migrate(ctx, args[1:])
	case "user":
		return m.user(ctx, args[1:])
	case "calendar":
		return m.calendar(ctx, args[1:])
	case "audit":
		return m.audit(ctx, args[1:])
	case "backup":
		return m.backup(ctx, args[1:])
	case "restore":
		return m.restore(ctx, args[1:])
	case "demo":
		return m.demo(ctx, args[1:])
	case "desk":
		return m.desk(ctx, args[1:])
	case "publish":
		return m.publish(ctx, args[1:])
	case "report":
		if len(args) > 1 && args[1] == "build" {
			return m.reportBuild(ctx, args[2:])
		}
		return reportCmd(args[1:], m.Stdout, m.Stderr)
	case "rcep":
		return m.rcep(ctx, args[1:])
	case "inspect":
		return m.inspect(ctx, args[1:])
	case "mail":
		return m.mailCmd(ctx, args[1:])
	case "portal":
		return m.portal(ctx, args[1:])
	case "version", "--version", "-v":
		fmt.Fprintln(m.Stdout, versionString())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usageText)
		return 0
	}
	fmt.Fprintf(m.Stderr, "未知命令“%s”。\n\n%s", args[0], usageText)
	return 2
}
