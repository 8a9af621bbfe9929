package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/mailbox/dovecottest"
	"gongkai/internal/store"
)

const contractMail = "From: test@example.cn\r\nTo: office@example.cn\r\nSubject: =?UTF-8?B?5pS/5bqc5L+h5oGv5YWs5byA55Sz6K+3?=\r\nMessage-ID: <contracts-1@example.cn>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n申请公开2024年的统计数据。\r\n"

func pendingMail(t *testing.T, dsn string) []store.MailMessage {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	units, _ := db.Units(context.Background())
	var ids []int64
	for _, u := range units {
		ids = append(ids, u.ID)
	}
	ms, err := db.MailMessages(context.Background(), ids, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// The contract: one line, the pending registration's number and the
// decoded subject; 0 for a stored, duplicate or spam message, 75 when the
// database cannot be reached, 2 for a usage error.
func TestMailReceiveContract(t *testing.T) {
	dsn := demoCopy(t)
	code, out, errOut := run(t, contractMail, "mail", "receive", "--unit", "fuzhou", "--db", dsn)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var id int64
	var subject string
	if n, _ := fmt.Sscanf(out, "%d\t%s\n", &id, &subject); n != 2 || subject != "政府信息公开申请" || strings.Count(out, "\n") != 1 {
		t.Fatalf("output %q", out)
	}
	if code, again, _ := run(t, contractMail, "mail", "receive", "--unit", "fuzhou", "--db", dsn); code != 0 || again != out {
		t.Fatalf("a duplicate: exit %d, %q", code, again)
	}
	spam := strings.Replace(strings.Replace(contractMail, "contracts-1", "spam-1", 1), "Content-Type:", "X-Spam-Flag: YES\r\nContent-Type:", 1)
	if code, _, errOut := run(t, spam, "mail", "receive", "--unit", "福州海关", "--db", dsn); code != 0 || !strings.Contains(errOut, "单独存放") {
		t.Fatalf("spam: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run(t, "not a message at all", "mail", "receive", "--unit", "fuzhou", "--db", dsn); code != 0 || !strings.Contains(errOut, "无法解析") {
		t.Fatalf("malformed: exit %d, %s", code, errOut)
	}
	ms := pendingMail(t, dsn)
	if len(ms) != 3 || ms[2].ID != id || ms[2].Status != store.MailPending || ms[1].Status != store.MailApart || ms[0].Status != store.MailApart {
		t.Fatalf("stored %+v", ms)
	}
	if code, _, errOut := run(t, contractMail, "mail", "receive", "--unit", "fuzhou", "--db", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")); code != 75 {
		t.Fatalf("database unreachable: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run(t, contractMail, "mail", "receive", "--unit", "fuzhou", "--db", "postgres://127.0.0.1:1/none?connect_timeout=2"); code != 75 {
		t.Fatalf("PostgreSQL unreachable: exit %d, %s", code, errOut)
	}
	for _, args := range [][]string{{"mail", "receive", "--db", dsn}, {"mail", "receive", "--unit", "fuzhou", "extra"}, {"mail", "receive", "--bogus"}, {"mail"}} {
		if code, _, _ := run(t, contractMail, args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// The mailbox read over IMAP from a real dovecot: the password sealed, each
// message once, the mailbox left unread; a mailbox that cannot be reached
// says so and is read next time.
func TestMailPollDovecot(t *testing.T) {
	srv := dovecottest.Start(t)
	c := srv.Client(t)
	raw := func(i int) []byte {
		return []byte(strings.ReplaceAll(fmt.Sprintf("From: a%d@example.cn\nSubject: 申请%d\nMessage-ID: <poll-%d@example.cn>\nContent-Type: text/plain; charset=UTF-8\n\n申请公开第%d号文件。\n", i, i, i, i), "\n", "\r\n"))
	}
	srv.Append(t, c, raw(1), raw(2), []byte(contractMail))
	dsn := demoCopy(t)
	// The same message piped before: not stored twice.
	if code, _, errOut := run(t, contractMail, "mail", "receive", "--unit", "fuzhou", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := run(t, srv.Password+"\n", "mail", "mailbox", "--unit", "fuzhou", "--addr", srv.Addr, "--security", "none", "--user", srv.Username, "--password-stdin", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := run(t, "", "mail", "poll", "--db", dsn)
	if code != 0 || !strings.Contains(out, "读取3封，新存入2封") {
		t.Fatalf("poll: exit %d %q %s", code, out, errOut)
	}
	if code, out, _ := run(t, "", "mail", "poll", "--db", dsn); code != 0 || !strings.Contains(out, "读取0封，新存入0封") {
		t.Fatalf("second poll: exit %d %q", code, out)
	}
	if len(pendingMail(t, dsn)) != 3 {
		t.Fatalf("stored %+v", pendingMail(t, dsn))
	}
	if unseen, total := srv.Unseen(t, c); unseen != 3 || total != 3 {
		t.Fatalf("the mailbox changed: %d unseen of %d", unseen, total)
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sealed string
	db.SQL().QueryRow("SELECT password_sealed FROM mail_mailboxes").Scan(&sealed)
	db.Close()
	if sealed == "" || strings.Contains(sealed, srv.Password) {
		t.Fatalf("password stored as %q", sealed)
	}
	if code, _, errOut := run(t, "x\n", "mail", "mailbox", "--unit", "fuzhou", "--addr", "127.0.0.1:1", "--security", "none", "--user", "u", "--password-stdin", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := run(t, "", "mail", "poll", "--db", dsn); code != 1 || !strings.Contains(errOut, "无法连接邮件服务器") {
		t.Fatalf("unreachable mailbox: exit %d %s", code, errOut)
	}
}
