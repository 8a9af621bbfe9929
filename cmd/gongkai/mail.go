package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/jobs"
	"gongkai/internal/mail"
	"gongkai/internal/mailbox"
	"gongkai/internal/store"
)

const mailUsage = `用法：
  gongkai mail receive --unit UNIT [--db DB] < message.eml
      从标准输入读取一封邮件（供邮件服务器管道投递），存为待承办人确认的申请邮件。
      UNIT 为单位代码或单位全称。输出一行：邮件登记号<TAB>解码后的主题。
      退出码：0 已存入（或重复、垃圾邮件、退信、自动回复，均不重复存入、不作为申请）；
              75 数据库暂时无法连接（邮件服务器稍后重试）；2 用法错误；1 其他错误。
  gongkai mail mailbox --unit UNIT --addr 主机:端口 --user 用户名 [--security tls|starttls|none] [--folder INBOX] --password-stdin [--db DB]
      设置单位的依申请公开邮箱（IMAP），密码加密保存。
  gongkai mail poll [--unit UNIT] [--db DB]
      立即读取已设置的邮箱中的新邮件（服务运行时每5分钟自动读取一次）。
`

// exTempFail is sendmail's EX_TEMPFAIL: the mail server keeps the message
// and tries again later.
const exTempFail = 75

// mailCmd runs "gongkai mail" (receive is a contract: a mail server's pipe
// depends on its flags, output and exit codes).
func (m *Main) mailCmd(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, mailUsage)
		return 2
	}
	switch args[0] {
	case "receive":
		return m.mailReceive(ctx, args[1:])
	case "mailbox":
		return m.mailMailbox(ctx, args[1:])
	case "poll":
		return m.mailPoll(ctx, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(m.Stdout, mailUsage)
		return 0
	}
	fmt.Fprintf(m.Stderr, "错误：未知的子命令“%s”\n\n%s", args[0], mailUsage)
	return 2
}

func (m *Main) mailUsageErr(msg string) int {
	fmt.Fprintf(m.Stderr, "错误：%s\n\n%s", msg, mailUsage)
	return 2
}

func (m *Main) mailReceive(ctx context.Context, args []string) int {
	fs := m.flagSet("mail receive", "mail receive --unit UNIT [--db DB] < message.eml")
	fs.Usage = func() { fmt.Fprint(m.Stderr, mailUsage) }
	dsn := m.dbFlag(fs)
	unitArg := fs.String("unit", "", "单位")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return m.mailUsageErr(fmt.Sprintf("多余的参数“%s”", strings.Join(fs.Args(), " ")))
	}
	if strings.TrimSpace(*unitArg) == "" {
		return m.mailUsageErr("请用 --unit 指定单位")
	}
	// The message is read first, so that a database that cannot be
	// reached costs the mail server a retry and nothing else.
	msg, perr := mail.Parse(m.Stdin)
	if perr != nil && !errors.Is(perr, mail.ErrMalformed) {
		fmt.Fprintln(m.Stderr, "错误：无法读取邮件：", perr)
		return exTempFail
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(m.Stderr, "错误：数据库暂时无法连接，请邮件服务器稍后重试：", errs.MessageOf(err))
		return exTempFail
	}
	defer db.Close()
	u, err := findUnit(ctx, db, strings.TrimSpace(*unitArg))
	if err != nil {
		return m.mailFail(err)
	}
	stored, created, err := db.IngestMail(ctx, u.ID, store.SourcePipe, msg)
	if err != nil {
		return m.mailFail(err)
	}
	fmt.Fprintf(m.Stdout, "%d\t%s\n", stored.ID, oneLine(stored.Subject))
	fmt.Fprintln(m.Stderr, mailNote(stored, created))
	return 0
}

// mailFail: a database that fails in the middle is a temporary failure too.
func (m *Main) mailFail(err error) int {
	if errs.CodeOf(err) == errs.Unavailable || errs.CodeOf(err) == errs.Internal {
		fmt.Fprintln(m.Stderr, "错误：数据库暂时无法写入，请邮件服务器稍后重试：", errs.MessageOf(err))
		return exTempFail
	}
	return m.fail(err)
}

func mailNote(s store.MailMessage, created bool) string {
	if !created {
		return fmt.Sprintf("这封邮件已于%s收到（登记号 %d），未重复存入。", s.ReceivedAt.In(beijing).Format("2006-01-02 15:04"), s.ID)
	}
	var b strings.Builder
	if s.Status == store.MailApart {
		fmt.Fprintf(&b, "%s（%s），已单独存放，不作为申请。", s.Kind.Label(), s.Why)
	} else if s.Purpose == store.MailForCorrection {
		b.WriteString("已存为对补正告知的回复，待承办人确认。")
	} else {
		b.WriteString("已存为待承办人确认的申请邮件。")
	}
	for _, r := range s.Refused {
		fmt.Fprintf(&b, "附件“%s”%s。", r.Name, r.Reason)
	}
	for _, w := range s.Warnings {
		b.WriteString(w)
	}
	return b.String()
}

func (m *Main) mailMailbox(ctx context.Context, args []string) int {
	fs := m.flagSet("mail mailbox", "mail mailbox --unit UNIT --addr HOST:PORT --user U [--security tls|starttls|none] [--folder INBOX] --password-stdin")
	fs.Usage = func() { fmt.Fprint(m.Stderr, mailUsage) }
	dsn := m.dbFlag(fs)
	unitArg := fs.String("unit", "", "单位")
	addr := fs.String("addr", "", "IMAP 服务器 主机:端口")
	user := fs.String("user", "", "用户名")
	security := fs.String("security", "tls", "tls、starttls 或 none")
	folder := fs.String("folder", "INBOX", "邮箱文件夹")
	pwStdin := fs.Bool("password-stdin", false, "从标准输入读取密码")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 || strings.TrimSpace(*unitArg) == "" || !*pwStdin {
		return m.mailUsageErr("请指定 --unit，并用 --password-stdin 从标准输入提供密码")
	}
	line, _ := bufio.NewReader(m.Stdin).ReadString('\n')
	pw := strings.TrimRight(line, "\r\n")
	cfg := mailbox.Config{Address: strings.TrimSpace(*addr), Security: mailbox.Security(*security), Username: *user, Password: pw, Mailbox: *folder}
	if err := cfg.Check(); err != nil {
		return m.mailUsageErr(errs.MessageOf(err))
	}
	db, u, code := m.openUnit(ctx, *dsn, strings.TrimSpace(*unitArg), findUnit)
	if code != 0 {
		return code
	}
	defer db.Close()
	if err := db.SetMailbox(ctx, audit.System("cli"), store.MailboxSettings{UnitID: u.ID, Address: cfg.Address, Security: string(cfg.Security),
		Username: cfg.Username, Password: cfg.Password, Mailbox: cfg.Mailbox}); err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "已设置%s的依申请公开邮箱 %s（密码已加密保存）。\n", u.Name, cfg)
	return 0
}

func (m *Main) mailPoll(ctx context.Context, args []string) int {
	fs := m.flagSet("mail poll", "mail poll [--unit UNIT] [--db DB]")
	fs.Usage = func() { fmt.Fprint(m.Stderr, mailUsage) }
	dsn := m.dbFlag(fs)
	unitArg := fs.String("unit", "", "单位")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return m.mailUsageErr(fmt.Sprintf("多余的参数“%s”", strings.Join(fs.Args(), " ")))
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return m.fail(err)
	}
	defer db.Close()
	var unitID int64
	if strings.TrimSpace(*unitArg) != "" {
		u, err := findUnit(ctx, db, strings.TrimSpace(*unitArg))
		if err != nil {
			return m.fail(err)
		}
		unitID = u.ID
	}
	res, err := pollMailboxes(ctx, db, unitID)
	if err != nil {
		return m.fail(err)
	}
	if len(res) == 0 {
		fmt.Fprintln(m.Stderr, "没有设置依申请公开邮箱（gongkai mail mailbox）。")
		return 1
	}
	code := 0
	for _, r := range res {
		if r.Err != nil {
			fmt.Fprintf(m.Stderr, "错误：%s：%s（邮箱未作改动，下次重试）\n", r.Mailbox, errs.MessageOf(r.Err))
			code = 1
		}
		fmt.Fprintf(m.Stdout, "%s\t读取%d封，新存入%d封\n", r.Mailbox, r.Read, r.Stored)
	}
	return code
}

// pollResult is what one mailbox's poll did.
type pollResult struct {
	Mailbox      string
	Read, Stored int
	Err          error
}

// pollMailboxes reads the new messages of every configured mailbox (or the
// unit's), ingesting each as the pipe does, and remembers how far it read;
// one mailbox failing does not stop the others.
func pollMailboxes(ctx context.Context, db *store.DB, unitID int64) ([]pollResult, error) {
	boxes, err := db.Mailboxes(ctx)
	if err != nil {
		return nil, err
	}
	var out []pollResult
	for _, b := range boxes {
		if unitID != 0 && b.UnitID != unitID {
			continue
		}
		cfg := mailbox.Config{Address: b.Address, Security: mailbox.Security(b.Security), Username: b.Username, Password: b.Password, Mailbox: b.Mailbox}
		r := pollResult{Mailbox: cfg.String()}
		if b.Password == "" && b.LastError != "" {
			r.Err = errs.E(errs.Invalid, "%s", b.LastError)
			out = append(out, r)
			continue
		}
		st, n, err := mailbox.Poll(ctx, cfg, mailbox.State{UIDValidity: b.UIDValidity, LastUID: b.LastUID}, 0, func(uid uint32, raw io.Reader) error {
			msg, perr := mail.Parse(raw)
			if perr != nil && !errors.Is(perr, mail.ErrMalformed) {
				return perr
			}
			_, created, err := db.IngestMail(ctx, b.UnitID, store.SourceIMAP, msg)
			if created {
				r.Stored++
			}
			return err
		})
		r.Read, r.Err = n, err
		msg := ""
		if err != nil {
			msg = errs.MessageOf(err)
		}
		if serr := db.SaveMailboxState(ctx, b.UnitID, st.UIDValidity, st.LastUID, msg); serr != nil && r.Err == nil {
			r.Err = serr
		}
		out = append(out, r)
	}
	return out, nil
}

// mailPollJob is the recurring job mail.poll: every five minutes it reads
// the units' mailboxes; the job's row lock makes one instance do it. A
// mailbox that cannot be reached is logged and kept in its settings, and
// read again next time.
func mailPollJob(db *store.DB, log *slog.Logger) jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		next := time.Now().Add(5 * time.Minute)
		res, err := pollMailboxes(ctx, db, 0)
		if err != nil {
			return next, err
		}
		for _, r := range res {
			if r.Err != nil && log != nil {
				log.Warn("读取依申请公开邮箱失败", "mailbox", r.Mailbox, "error", errs.MessageOf(r.Err))
			} else if r.Stored > 0 && log != nil {
				log.Info("依申请公开邮箱", "mailbox", r.Mailbox, "stored", r.Stored)
			}
		}
		return next, nil
	}
}
