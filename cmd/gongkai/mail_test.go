package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/demo"
	"gongkai/internal/mailbox/dovecottest"
	"gongkai/internal/smtp/smtptest"
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

// The handler's pages: the pending message with its refused attachment
// named, the identity number found in it offered for the form, the
// registration dated the day of confirmation, and the reply with the
// receipt number and query code over SMTP; spam set aside.
func TestMailPages(t *testing.T) {
	dsn := demoCopy(t)
	mb := smtptest.Start(t)
	host, port := mb.HostPort()
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"requests.smtp_host": host, "requests.smtp_port": strconv.Itoa(port), "requests.smtp_from": "gongkai@fuzhou.example"} {
		if err := db.SetSetting(context.Background(), audit.System("test"), k, v); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	msg := strings.ReplaceAll(`From: =?UTF-8?B?5byg5LiJ?= <zhangsan@example.cn>
Subject: =?UTF-8?B?5pS/5bqc5L+h5oGv5YWs5byA55Sz6K+3?=
Message-ID: <pages-1@example.cn>
Date: Mon, 1 Jan 2024 08:00:00 +0800
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/html; charset=UTF-8

<p>申请公开2024年福州海关行政处罚决定书目录。</p><p>身份证号11010519491231002X</p>
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="macro.exe"

MZ
--b--
`, "\n", "\r\n")
	code, out, errOut := run(t, msg, "mail", "receive", "--unit", "fuzhou", "--db", dsn)
	if code != 0 {
		t.Fatal(errOut)
	}
	id := strings.SplitN(out, "\t", 2)[0]
	app := startApp(t, dsn)
	h := newBrowser(t, app.URL)
	if code, _ := h.login("handler", demo.Password); code != 200 {
		t.Fatalf("login %d", code)
	}
	if _, list := h.get("/admin/mail"); !strings.Contains(list, "/admin/mail/"+id) || !strings.Contains(list, "1个附件未收入") {
		t.Fatalf("list: %.3000s", list)
	}
	_, page := h.get("/admin/mail/" + id)
	for _, want := range []string{"行政处罚决定书目录", "110*************2X", "macro.exe", "仅供参考", `name="id_number" value="11010519491231002X"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("view lacks %q: %.4000s", want, page)
		}
	}
	on := regexp.MustCompile(`name="received_on" value="([^"]+)"`).FindStringSubmatch(page)[1]
	form := url.Values{"csrf": {csrfOf(t, page)}, "received_on": {on}, "applicant_type": {"natural_person"}, "name": {"张三"}, "id_number": {"11010519491231002X"},
		"email": {"zhangsan@example.cn"}, "description": {"申请公开2024年福州海关行政处罚决定书目录。"}, "form": {"电子文档"}, "delivery": {"电子邮件"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("received_on", "2099-01-01")
	if code, p := h.post("/admin/mail/"+id+"/confirm", bad); code != http.StatusUnprocessableEntity || !strings.Contains(p, "不能晚于今天") {
		t.Fatalf("a future day: %d %.2000s", code, p)
	}
	code, reg := h.post("/admin/mail/"+id+"/confirm", form)
	if code != 200 || !strings.Contains(reg, "已登记申请") || !strings.Contains(reg, "已通过电子邮件将申请编号和查询码告知申请人") {
		t.Fatalf("confirm: %d %.3000s", code, reg)
	}
	receipt := regexp.MustCompile(`YSQ\d{14}`).FindString(reg)
	msgs := mb.Messages()
	if len(msgs) != 1 || !strings.Contains(mb.Recipients()[0], "zhangsan@example.cn") || !strings.Contains(msgs[0], "In-Reply-To: <pages-1@example.cn>") {
		t.Fatalf("reply %q to %q", msgs, mb.Recipients())
	}
	if !strings.HasPrefix(receipt, "YSQ"+strings.ReplaceAll(on, "-", "")) {
		t.Fatalf("receipt %q not dated the day of confirmation %s", receipt, on)
	}
	if code, p := h.post("/admin/mail/"+id+"/confirm", form); code == 200 || !strings.Contains(p, "已处理") {
		t.Fatalf("confirmed twice: %d %.1000s", code, p)
	}
	// The 补正 asked on the application's page; the applicant's reply,
	// with the receipt number in its subject, confirmed as the correction.
	appID := regexp.MustCompile(`action="/admin/requests/(\d+)/events"`).FindStringSubmatch(reg)[1]
	if code, p := h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {csrfOf(t, reg)}, "kind": {"correction_requested"}, "on": {on},
		"note": {"请写明决定书的文号"}}); code != 200 || !strings.Contains(p, "待补正") {
		t.Fatalf("补正 asked: %d %.2000s", code, p)
	}
	reply := strings.ReplaceAll("From: zhangsan@example.cn\nSubject: Re: "+receipt+" 补正\nMessage-ID: <pages-2@example.cn>\nContent-Type: text/plain; charset=UTF-8\n\n文号为福关缉违字〔2024〕1号。\n", "\n", "\r\n")
	_, out, _ = run(t, reply, "mail", "receive", "--unit", "fuzhou", "--db", dsn)
	rid := strings.SplitN(out, "\t", 2)[0]
	_, page = h.get("/admin/mail/" + rid)
	if !strings.Contains(page, "确认为补正") || !strings.Contains(page, receipt) {
		t.Fatalf("reply page: %.3000s", page)
	}
	if code, p := h.post("/admin/mail/"+rid+"/correction", url.Values{"csrf": {csrfOf(t, page)}, "received_on": {on}}); code != 200 || !strings.Contains(p, "作为申请 "+receipt+" 的补正") || !strings.Contains(p, "福关缉违字") {
		t.Fatalf("correction: %d %.3000s", code, p)
	}
	// Spam set aside by the handler.
	spam := strings.Replace(strings.Replace(contractMail, "contracts-1", "pages-spam", 1), "test@", "ads@", 1)
	_, out, _ = run(t, spam, "mail", "receive", "--unit", "fuzhou", "--db", dsn)
	sid := strings.SplitN(out, "\t", 2)[0]
	_, page = h.get("/admin/mail/" + sid)
	if code, p := h.post("/admin/mail/"+sid+"/reject", url.Values{"csrf": {csrfOf(t, page)}, "as": {"spam"}}); code != 200 || !strings.Contains(p, "已标为垃圾邮件") {
		t.Fatalf("spam: %d %.1000s", code, p)
	}
	// Someone with no role in the unit does not see the message.
	o := newBrowser(t, app.URL)
	o.login("editor", demo.Password)
	if code, _ := o.get("/admin/mail/" + id); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Fatalf("editor opens a message: %d", code)
	}
}

// A 50 MB attachment piped in: the message is stored with the file kept
// out and named, and an unknown charset is read with a warning.
func TestMailReceiveBadInput(t *testing.T) {
	dsn := demoCopy(t)
	var b strings.Builder
	b.WriteString("From: big@example.cn\r\nSubject: big\r\nMessage-ID: <big-1@example.cn>\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n申请公开扫描件所列文件。\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"scan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	line := base64Lines(append([]byte("%PDF-1.4\n"), make([]byte, 57-9)...))
	b.WriteString(line + "\r\n")
	zero := base64Lines(make([]byte, 57)) + "\r\n"
	for i := 0; i < (50<<20)/57; i++ {
		b.WriteString(zero)
	}
	b.WriteString("--b--\r\n")
	code, out, errOut := run(t, b.String(), "mail", "receive", "--unit", "fuzhou", "--db", dsn)
	if code != 0 || !strings.HasSuffix(out, "\tbig\n") || !strings.Contains(errOut, "附件“scan.pdf”超过5MB") || !strings.Contains(errOut, "字符集") {
		t.Fatalf("exit %d %q %s", code, out, errOut)
	}
	ms := pendingMail(t, dsn)
	if len(ms) != 1 || ms[0].Status != store.MailPending || len(ms[0].Refused) != 1 || ms[0].Refused[0].Size < 50<<20 || ms[0].Body != "申请公开扫描件所列文件。" {
		t.Fatalf("stored %+v", ms)
	}
}
