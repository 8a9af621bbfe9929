package mailbox_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"gongkai/internal/errs"
	"gongkai/internal/mailbox"
	"gongkai/internal/mailbox/dovecottest"
)

func message(i int) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf("From: a%d@example.cn\nSubject: n%d\nMessage-ID: <m%d@example.cn>\n\n申请公开第%d号文件。\n", i, i, i, i), "\n", "\r\n"))
}

// Against a real dovecot: new messages by UID, each once, the mailbox left
// as it was (nothing seen, moved or deleted); a handler's error stops the
// read there; a mailbox that cannot be reached or logged into says so.
func TestPollDovecot(t *testing.T) {
	srv := dovecottest.Start(t)
	c := srv.Client(t)
	srv.Append(t, c, message(1), message(2), message(3))
	cfg := mailbox.Config{Address: srv.Addr, Security: mailbox.Plain, Username: srv.Username, Password: srv.Password}
	ctx := context.Background()
	var got []string
	h := func(uid uint32, r io.Reader) error {
		b, err := io.ReadAll(r)
		got = append(got, fmt.Sprintf("%d:%s", uid, strings.SplitN(string(b), "\r\n", 2)[0]))
		return err
	}
	st, n, err := mailbox.Poll(ctx, cfg, mailbox.State{}, 0, h)
	if err != nil || n != 3 || st.LastUID != 3 || st.UIDValidity == 0 {
		t.Fatalf("first poll: %+v %d %v", st, n, err)
	}
	if strings.Join(got, " ") != "1:From: a1@example.cn 2:From: a2@example.cn 3:From: a3@example.cn" {
		t.Fatalf("read %q", got)
	}
	// Nothing new: nothing read (UID n:* would return the last one).
	got = nil
	if st2, n, err := mailbox.Poll(ctx, cfg, st, 0, h); err != nil || n != 0 || st2 != st || len(got) != 0 {
		t.Fatalf("second poll: %+v %d %v %q", st2, n, err, got)
	}
	srv.Append(t, c, message(4), message(5))
	// The handler fails on the second new message: the state stops at the first.
	got = nil
	fail := func(uid uint32, r io.Reader) error {
		if uid == 5 {
			return errs.E(errs.Unavailable, "数据库不可用")
		}
		return h(uid, r)
	}
	st3, n, err := mailbox.Poll(ctx, cfg, st, 0, fail)
	if !errs.Is(err, errs.Unavailable) || n != 1 || st3.LastUID != 4 {
		t.Fatalf("failing poll: %+v %d %v", st3, n, err)
	}
	if st4, n, err := mailbox.Poll(ctx, cfg, st3, 0, h); err != nil || n != 1 || st4.LastUID != 5 {
		t.Fatalf("retry: %+v %d %v", st4, n, err)
	}
	// A new UIDVALIDITY reads the mailbox from the start.
	if _, n, err := mailbox.Poll(ctx, cfg, mailbox.State{UIDValidity: st.UIDValidity + 1, LastUID: 5}, 0, h); err != nil || n != 5 {
		t.Fatalf("renumbered mailbox: %d %v", n, err)
	}
	if unseen, total := srv.Unseen(t, c); unseen != 5 || total != 5 {
		t.Fatalf("the mailbox changed: %d unseen of %d", unseen, total)
	}
	bad := cfg
	bad.Password = "wrong"
	if _, _, err := mailbox.Poll(ctx, bad, mailbox.State{}, 0, h); !errs.Is(err, errs.Unavailable) || !strings.Contains(errs.MessageOf(err), "拒绝登录") {
		t.Fatalf("wrong password: %v", err)
	}
	gone := cfg
	gone.Address = "127.0.0.1:1"
	if _, _, err := mailbox.Poll(ctx, gone, mailbox.State{}, 0, h); !errs.Is(err, errs.Unavailable) || !strings.Contains(errs.MessageOf(err), "无法连接") {
		t.Fatalf("unreachable: %v", err)
	}
}
