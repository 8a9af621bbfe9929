// Package mailbox reads a unit's disclosure mailbox over IMAP (RFC 9051,
// through emersion/go-imap/v2): the messages that arrived since the last
// read, by UID, remembering UIDVALIDITY. The mailbox is opened read-only
// (EXAMINE) and bodies are fetched with BODY.PEEK[], so no flag is set and
// nothing is moved or deleted: the mailbox stays as it was for the staff's
// own mail client and for the next read.
package mailbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	imap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"gongkai/internal/errs"
)

// Security is how the connection is protected.
type Security string

// The ways.
const (
	TLS      Security = "tls"      // 993, TLS from the start
	StartTLS Security = "starttls" // 143, then STARTTLS
	Plain    Security = "none"     // no encryption (a server on the same host)
)

// Config is where the mailbox is and how to log in.
type Config struct {
	Address  string // host:port
	Security Security
	Username string
	Password string
	Mailbox  string // "INBOX" when empty
	Timeout  time.Duration
}

// Check validates a configuration, in words for staff.
func (c Config) Check() error {
	if _, _, err := net.SplitHostPort(c.Address); err != nil {
		return errs.FieldError("address", "邮件服务器地址应为“主机:端口”，例如 imap.example.gov.cn:993。")
	}
	switch c.Security {
	case TLS, StartTLS, Plain:
	default:
		return errs.FieldError("security", "请选择连接加密方式（tls、starttls 或 none）。")
	}
	if strings.TrimSpace(c.Username) == "" || c.Password == "" {
		return errs.FieldError("username", "请填写邮箱的用户名和密码。")
	}
	return nil
}

// State is what was read: the mailbox's UIDVALIDITY and the highest UID
// handled. A new UIDVALIDITY means the server renumbered the mailbox; it is
// then read from the start (the store's deduplication by Message-ID or hash
// keeps a message from being ingested twice).
type State struct {
	UIDValidity uint32
	LastUID     uint32
}

// Handler takes one message; an error stops the read there, and the
// message is read again next time.
type Handler func(uid uint32, raw io.Reader) error

// Poll reads the messages after st, in UID order, at most max (0: all),
// giving each to h. It returns the state after the last message handled,
// also on error, so that what was done is remembered.
func Poll(ctx context.Context, c Config, st State, max int, h Handler) (State, int, error) {
	if err := c.Check(); err != nil {
		return st, 0, err
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	mbox := c.Mailbox
	if mbox == "" {
		mbox = "INBOX"
	}
	host, _, _ := net.SplitHostPort(c.Address)
	opts := &imapclient.Options{Dialer: &net.Dialer{Timeout: c.Timeout}, TLSConfig: &tls.Config{ServerName: host}}
	var cl *imapclient.Client
	var err error
	switch c.Security {
	case TLS:
		cl, err = imapclient.DialTLS(c.Address, opts)
	case StartTLS:
		cl, err = imapclient.DialStartTLS(c.Address, opts)
	default:
		cl, err = imapclient.DialInsecure(c.Address, opts)
	}
	if err != nil {
		return st, 0, errs.E(errs.Unavailable, "无法连接邮件服务器 %s：%v", c.Address, err)
	}
	defer cl.Close()
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()
	if err := cl.Login(c.Username, c.Password).Wait(); err != nil {
		return st, 0, errs.E(errs.Unavailable, "邮件服务器拒绝登录（用户名 %s）：%v", c.Username, err)
	}
	sel, err := cl.Select(mbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return st, 0, errs.E(errs.Unavailable, "无法打开邮箱文件夹“%s”：%v", mbox, err)
	}
	if sel.UIDValidity != st.UIDValidity {
		st = State{UIDValidity: sel.UIDValidity}
	}
	if sel.NumMessages == 0 || (sel.UIDNext != 0 && uint32(sel.UIDNext) <= st.LastUID+1) {
		cl.Logout().Wait()
		return st, 0, nil
	}
	var set imap.UIDSet
	set.AddRange(imap.UID(st.LastUID+1), 0) // LastUID+1:*
	fetch := cl.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
	n := 0
	for {
		msg := fetch.Next()
		if msg == nil {
			break
		}
		var uid uint32
		var early []byte // the body, when the server sends it before the UID
		var herr error
		for {
			item := msg.Next()
			if item == nil {
				break
			}
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = uint32(it.UID)
				if early != nil && uid > st.LastUID {
					herr = h(uid, bytes.NewReader(early))
					early = nil
				}
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil {
					continue
				}
				if uid == 0 {
					early, err = io.ReadAll(it.Literal)
					if err != nil {
						herr = err
					}
					continue
				}
				if uid > st.LastUID { // n:* returns the last message even when older
					herr = h(uid, it.Literal)
				}
				io.Copy(io.Discard, it.Literal)
			}
			if herr != nil {
				break
			}
		}
		if herr != nil {
			fetch.Close()
			return st, n, herr
		}
		if uid > st.LastUID {
			st.LastUID = uid
			n++
		}
		if max > 0 && n >= max {
			break
		}
	}
	if err := fetch.Close(); err != nil {
		return st, n, errs.E(errs.Unavailable, "读取邮件失败：%v", err)
	}
	cl.Logout().Wait()
	return st, n, nil
}

// String names the mailbox without its password.
func (c Config) String() string {
	return fmt.Sprintf("%s@%s/%s", c.Username, c.Address, c.Mailbox)
}
