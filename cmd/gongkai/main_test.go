package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// run runs one command line in-process and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

// App is a running server started through the real Main.
type App struct {
	URL    string
	DSN    string
	cancel context.CancelFunc
	done   chan int
}

// demoTemplate is a SQLite database with the demo loaded, made once per
// test binary: most end-to-end tests start from a copy of it instead of
// loading the demo again (TestServeEndToEnd loads it through serve --demo).
var demoTemplate struct {
	once sync.Once
	path string
	err  error
}

// demoCopy returns the path of a fresh copy of the demo database.
func demoCopy(t testing.TB) string {
	t.Helper()
	demoTemplate.once.Do(func() {
		dir, err := os.MkdirTemp("", "gongkai-demo-template-")
		if err != nil {
			demoTemplate.err = err
			return
		}
		demoTemplate.path = filepath.Join(dir, "demo.db")
		var out, errb bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		if code := m.Run(context.Background(), []string{"demo", "--db", demoTemplate.path}); code != 0 {
			demoTemplate.err = fmt.Errorf("demo exited with %d: %s", code, errb.String())
		}
	})
	if demoTemplate.err != nil {
		t.Fatal(demoTemplate.err)
	}
	dst := filepath.Join(t.TempDir(), "gongkai.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(demoTemplate.path + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// startApp runs `gongkai serve --addr 127.0.0.1:0 --db DSN --demo` and
// waits until it listens.
func startApp(t testing.TB, dsn string, extra ...string) *App {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var out bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard, Getenv: func(string) string { return "" },
		Ready: func(addr string) { ready <- addr }}
	app := &App{DSN: dsn, cancel: cancel, done: make(chan int, 1)}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--demo"}, extra...)
	go func() { app.done <- m.Run(ctx, args) }()
	select {
	case addr := <-ready:
		app.URL = "http://" + addr
	case code := <-app.done:
		cancel()
		t.Fatalf("serve exited with %d: %s", code, out.String())
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-app.done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return app
}

type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf token in page:\n%.500s", page)
	}
	return m[1]
}

func (b *browser) login(user, password string) (int, string) {
	_, page := b.get("/admin/login")
	return b.post("/admin/login", url.Values{"csrf": {csrfOf(b.t, page)}, "username": {user}, "password": {password}})
}

func TestServeEndToEnd(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			app := startApp(t, storetest.DSN(t, d))
			b := newBrowser(t, app.URL)

			code, home := b.get("/")
			if code != 200 || !strings.Contains(home, "福州海关") {
				t.Fatalf("home: %d", code)
			}
			for _, col := range []string{"信息公开指南", "信息公开制度", "法定主动公开内容", "主动公开目录", "依申请公开", "政府信息公开年报"} {
				if !strings.Contains(home, col) {
					t.Errorf("home lacks column %s", col)
				}
			}
			if code, page := b.get("/column/reports"); code != 200 || !strings.Contains(page, "政府信息公开工作年度报告") {
				t.Errorf("annual report column: %d", code)
			}
			if code, _ := b.get("/no/such/page"); code != 404 {
				t.Errorf("unknown page: %d", code)
			}

			// The back office needs a login.
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(app.URL + "/admin/")
			if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
				t.Fatalf("anonymous /admin/: %v %v", resp.StatusCode, err)
			}

			// A wrong password gets one clear sentence and no session.
			code, page := b.login("admin", "wrong password")
			if code != http.StatusUnauthorized || !strings.Contains(page, "用户名或密码错误") {
				t.Fatalf("wrong password: %d", code)
			}
			// A form without its CSRF token is refused.
			if code, _ := b.post("/admin/login", url.Values{"username": {"admin"}, "password": {demo.Password}}); code != http.StatusForbidden {
				t.Fatalf("login without csrf: %d", code)
			}
			code, page = b.login("admin", demo.Password)
			if code != 200 || !strings.Contains(page, "工作台") || !strings.Contains(page, "系统管理员") {
				t.Fatalf("login: %d %.300s", code, page)
			}
			token := csrfOf(t, page)

			// Create a user; a duplicate gets a form error next to the field.
			_, form := b.get("/admin/users/new")
			unitID := regexp.MustCompile(`<option value="(\d+)"[^>]*>[　]*马尾海关`).FindStringSubmatch(form)
			if unitID == nil {
				t.Fatal("user form lacks 马尾海关")
			}
			newUser := url.Values{"csrf": {token}, "username": {"lixiaoming"}, "display_name": {"李小明"}, "unit": {unitID[1]},
				"password": {"a long password"}, "role": {"handler", "editor"}}
			if code, page := b.post("/admin/users/new", newUser); code != 200 || !strings.Contains(page, "李小明") || !strings.Contains(page, "已创建账号") {
				t.Fatalf("create user: %d %.300s", code, page)
			}
			code, page = b.post("/admin/users/new", newUser)
			if code != http.StatusUnprocessableEntity || !strings.Contains(page, "用户名“lixiaoming”已存在") || !strings.Contains(page, `value="李小明"`) {
				t.Fatalf("duplicate user: %d", code)
			}
			// A state change without the session's CSRF token is refused.
			bad := url.Values{"username": {"x1"}, "display_name": {"x"}, "unit": {unitID[1]}, "password": {"a long password"}}
			if code, _ := b.post("/admin/users/new", bad); code != http.StatusForbidden {
				t.Fatalf("post without csrf: %d", code)
			}

			// The new user logs in elsewhere and sees only their roles.
			b2 := newBrowser(t, app.URL)
			if code, page := b2.login("lixiaoming", "a long password"); code != 200 || !strings.Contains(page, "依申请公开办理") || strings.Contains(page, "用户管理</a>") {
				t.Fatalf("second user: %d", code)
			}
			if code, _ := b2.get("/admin/users"); code != http.StatusForbidden {
				t.Fatalf("non-admin on users page: %d", code)
			}

			// Calendar calculator explains itself.
			if code, page := b.get("/admin/calendar?from=2024-09-27&workdays=20"); code != 200 || !strings.Contains(page, "2024-10-30") || !strings.Contains(page, "国庆节") {
				t.Fatalf("calendar: %d", code)
			}
			if code, page := b.get("/admin/calendar?from=2024-13-01&workdays=x"); code != 422 || !strings.Contains(page, "收到日期格式") {
				t.Fatalf("calendar bad input: %d", code)
			}

			// The administrator imports next year's holidays on the page; an
			// overlapping or malformed file is refused with the line at fault.
			if code, page := b.post("/admin/calendar/import", url.Values{"csrf": {token}, "text": {"2024-10-01,2024-10-07,holiday,国庆节"}}); code != 422 || !strings.Contains(page, "重叠") {
				t.Fatalf("overlapping import: %d", code)
			}
			if code, page := b.post("/admin/calendar/import", url.Values{"csrf": {token}, "text": {"2027-01-01,,holday,元旦"}}); code != 422 || !strings.Contains(page, "第 1 行") && !strings.Contains(page, "第1行") {
				t.Fatalf("malformed import: %d %s", code, page)
			}
			if code, page := b.post("/admin/calendar/import", url.Values{"csrf": {token}, "text": {"2027-01-01,2027-01-03,holiday,元旦"}}); code != 200 || !strings.Contains(page, "已导入 1 条") || !strings.Contains(page, "2027-01-03") {
				t.Fatalf("import: %d", code)
			}
			if _, page := b.get("/admin/calendar?year=2027&from=2026-12-31&workdays=1"); !strings.Contains(page, "2027-01-04") {
				t.Fatal("imported holiday not applied to the calculator")
			}

			// Audit log shows the change and verifies.
			if code, page := b.get("/admin/audit?verify=1"); code != 200 || !strings.Contains(page, "日志链完整") || !strings.Contains(page, "user.create") {
				t.Fatalf("audit page: %d", code)
			}

			// Logout ends the session.
			_, dash := b.get("/admin/")
			b.post("/admin/logout", url.Values{"csrf": {csrfOf(t, dash)}})
			if _, page := b.get("/admin/"); !strings.Contains(page, "工作人员登录") {
				t.Fatal("still logged in after logout")
			}
		})
	}
}

// Two server instances on one PostgreSQL share sessions: a login on one is
// valid on the other.
func TestInstancesShareSessions(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	a := startApp(t, dsn)
	b := startApp(t, dsn)
	br := newBrowser(t, a.URL)
	if code, _ := br.login("admin", demo.Password); code != 200 {
		t.Fatalf("login on a: %d", code)
	}
	br.base = b.URL
	if code, page := br.get("/admin/"); code != 200 || !strings.Contains(page, "工作台") {
		t.Fatalf("session not valid on instance b: %d", code)
	}
}

func TestCalendarDueContract(t *testing.T) {
	code, out, errOut := run(t, "", "calendar", "due", "--from", "2024-09-27", "--workdays", "20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	first := strings.SplitN(out, "\n", 2)[0]
	if !regexp.MustCompile(`^2024-10-30\b`).MatchString(first) {
		t.Fatalf("first line %q must start with the due date 2024-10-30", first)
	}
	if !strings.Contains(out, "国庆节") || !strings.Contains(out, "调休上班") {
		t.Fatalf("explanation lacks the holiday:\n%s", out)
	}
	// A pause moves the date: eight days of consultation (Oct 8–15) hold
	// seven working days (Oct 8–11, the 调休 Saturday Oct 12, Oct 14–15),
	// which push the 20th working day from Oct 30 to Nov 8.
	code, out, _ = run(t, "", "calendar", "due", "--from", "2024-09-27", "--workdays", "20", "--pause", "2024-10-08:2024-10-15:征求第三方意见")
	if code != 0 || !strings.HasPrefix(out, "2024-11-08") || !strings.Contains(out, "征求第三方意见") {
		t.Fatalf("with pause: %d %s", code, out)
	}
	for _, bad := range [][]string{
		{"calendar", "due", "--from", "2024/09/27"},
		{"calendar", "due", "--workdays", "20"},
		{"calendar", "due", "--from", "2024-09-27", "--workdays", "-3"},
	} {
		if code, _, errOut := run(t, "", bad...); code != 2 || errOut == "" || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errOut)
		}
	}
}

func TestCalendarImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	good := filepath.Join(dir, "2027.csv")
	os.WriteFile(good, []byte("# 2027 年安排（测试用）\n2027-01-01,2027-01-03,holiday,元旦\n"), 0o644)
	if code, out, errOut := run(t, "", "calendar", "import", good, "--db", db); code != 0 || !strings.Contains(out, "已导入 1 条") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	// Importing it again overlaps and is refused as a whole.
	if code, _, errOut := run(t, "", "calendar", "import", good, "--db", db); code != 1 || !strings.Contains(errOut, "重叠") && !strings.Contains(errOut, "重复") {
		t.Fatalf("overlap: %d %s", code, errOut)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("2027-02-30,,holiday,春节\n"), 0o644)
	if code, _, errOut := run(t, "", "calendar", "import", bad, "--db", db); code != 1 || !strings.Contains(errOut, "第 1 行") && !strings.Contains(errOut, "第1行") {
		t.Fatalf("malformed: %d %s", code, errOut)
	}
	// The imported holiday now shifts deadlines computed with --db.
	_, withDB, _ := run(t, "", "calendar", "due", "--from", "2026-12-31", "--workdays", "1", "--db", db)
	_, without, _ := run(t, "", "calendar", "due", "--from", "2026-12-31", "--workdays", "1")
	if !strings.HasPrefix(withDB, "2027-01-04") || !strings.HasPrefix(without, "2027-01-01") {
		t.Fatalf("imported holiday not applied: with db %q, without %q", firstLine(withDB), firstLine(without))
	}
	if code, out, _ := run(t, "", "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "审计日志完整") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func TestUserAddAndBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	if code, _, errOut := run(t, "", "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	args := []string{"user", "add", "--db", db, "--unit", "mawei", "--username", "chen", "--name", "陈晨", "--role", "handler,office_head", "--password-stdin"}
	if code, out, errOut := run(t, "secret password\n", args...); code != 0 || !strings.Contains(out, "已创建账号 chen") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	cases := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"secret password\n", args, 1, "用户名“chen”已存在"},
		{"short\n", []string{"user", "add", "--db", db, "--unit", "mawei", "--username", "zhou", "--name", "周", "--role", "handler", "--password-stdin"}, 1, "密码至少"},
		{"secret password\n", []string{"user", "add", "--db", db, "--unit", "nowhere", "--username", "zhou", "--name", "周", "--role", "handler", "--password-stdin"}, 1, "单位代码“nowhere”不存在"},
		{"secret password\n", []string{"user", "add", "--db", db, "--unit", "mawei", "--username", "zhou", "--name", "周", "--role", "boss", "--password-stdin"}, 1, "未知角色"},
		{"", []string{"serve", "--db", "mysql://x/y"}, 1, "不支持的数据库地址"},
		{"", []string{"migrate", "--db", "postgres://postgres@127.0.0.1:1/test"}, 1, "无法连接 PostgreSQL"},
		{"", []string{"migrate", "--db", "/no/such/dir/x.db"}, 1, "不存在"},
		{"", []string{"demo", "--db", db}, 1, "只能载入空数据库"},
		{"", []string{"frobnicate"}, 2, "未知命令"},
	}
	for _, c := range cases {
		code, _, errOut := run(t, c.stdin, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", c.args, code, c.code, errOut, c.want)
		}
		if n := strings.Count(strings.TrimSpace(errOut), "\n"); c.code == 1 && n > 0 {
			t.Errorf("%v: error should be one sentence, got %d lines: %q", c.args, n+1, errOut)
		}
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "gongkai") {
		t.Errorf("version: %d %q", code, out)
	}
}

// The portal sends strict security headers and offers the 适老化 display.
func TestPortalHeadersAndLargeMode(t *testing.T) {
	app := startApp(t, demoCopy(t))
	resp, err := http.Get(app.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{"Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
		if !strings.Contains(resp.Header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, resp.Header.Get(h), want)
		}
	}
	b := newBrowser(t, app.URL)
	// The 适老化 display is a stylesheet switch: the page stays the same
	// bytes (cacheable), /display.css follows the visitor's choice.
	if _, page := b.get("/display?mode=large"); !strings.Contains(page, `href="/display.css"`) || !strings.Contains(page, "标准模式") {
		t.Fatal("the page does not link the display stylesheet")
	}
	if _, css := b.get("/display.css"); !strings.Contains(css, "font-size: 20px") {
		t.Fatal("large mode not applied")
	}
	b.get("/display?mode=normal")
	if _, css := b.get("/display.css"); strings.Contains(css, "font-size") {
		t.Fatal("large mode not switched off")
	}
}
