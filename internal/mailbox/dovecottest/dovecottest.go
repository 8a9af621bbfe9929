// Package dovecottest starts a real, independent IMAP server for tests:
// Debian's dovecot-imapd, with a temporary configuration, a passwd file of
// one user and a Maildir under the test's directory, listening on a free
// loopback port. Where dovecot is not installed the test is skipped, except
// under CI (CI=true), where .ci/run installs it and a skip would hide a
// missing install step.
package dovecottest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	imap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Server is a running dovecot.
type Server struct {
	Addr     string
	Username string
	Password string
	dir      string
}

func binary() string {
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p
	}
	return ""
}

// Start starts dovecot for the test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("dovecot 未安装：.ci/run 应安装 dovecot-imapd")
		}
		t.Skip("dovecot 未安装（apt-get install dovecot-imapd）：跳过 IMAP 测试")
	}
	dir, err := os.MkdirTemp("", "gongkai-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// dovecot refuses mail access as root: the mail user is the account
	// running the test, or nobody when that is root.
	uid, gid := os.Getuid(), os.Getgid()
	internal := ""
	if uid == 0 {
		if u, err := user.Lookup("nobody"); err == nil {
			uid, _ = strconv.Atoi(u.Uid)
			gid, _ = strconv.Atoi(u.Gid)
		}
	} else if u, err := user.Current(); err == nil {
		// Unprivileged: dovecot runs its internal processes as us too.
		internal = fmt.Sprintf("default_internal_user = %s\ndefault_login_user = %s\ndefault_internal_group = %s\n", u.Username, u.Username, groupName(gid))
	}
	os.Chmod(dir, 0o755)
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o755)
	os.Chown(home, uid, gid)
	port := freePort(t)
	s := &Server{Addr: "127.0.0.1:" + strconv.Itoa(port), Username: "gongkai", Password: "mail-test-password", dir: dir}
	passwd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(passwd, []byte(fmt.Sprintf("%s:{PLAIN}%s:%d:%d::%s/%%u::\n", s.Username, s.Password, uid, gid, home)), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "dovecot.conf")
	cfg := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
info_log_path = %[1]s/dovecot.log
instance_name = gongkai-test-%[2]d
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
%[4]s
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[3]s
}
userdb {
  driver = passwd-file
  args = username_format=%%u %[3]s
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service anvil {
  chroot =
}
`, dir, port, passwd, internal)
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-F", "-c", conf)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if i > 100 {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot 未能启动：%v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func groupName(gid int) string {
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		return g.Name
	}
	return strconv.Itoa(gid)
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Client logs in as the test user, for a test to put messages in the
// mailbox (APPEND) and look at it.
func (s *Server) Client(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(s.Username, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// Append puts messages in the INBOX.
func (s *Server) Append(t testing.TB, c *imapclient.Client, msgs ...[]byte) {
	t.Helper()
	for _, m := range msgs {
		a := c.Append("INBOX", int64(len(m)), nil)
		if _, err := a.Write(m); err != nil {
			t.Fatal(err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// Unseen counts the INBOX's messages without the \Seen flag, and all of them.
func (s *Server) Unseen(t testing.TB, c *imapclient.Client) (unseen, total uint32) {
	t.Helper()
	d, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true, NumUnseen: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return *d.NumUnseen, *d.NumMessages
}
