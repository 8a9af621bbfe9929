package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/demo"
)

// chromiumPath finds Debian's chromium. In CI its absence is a failure;
// elsewhere the browser tests are skipped with a message.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium 未安装：CI 必须运行浏览器测试（.ci/run 会用 apt-get 安装 Debian 的 chromium）")
	}
	t.Skip("chromium 未安装，跳过浏览器测试（apt-get install chromium）")
	return ""
}

// newChrome starts a headless Debian chromium for one test.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelC := chromedp.NewContext(actx)
	// The browser starts on the first call, without a deadline (a deadline
	// on that call would bound the browser's whole life).
	if err := chromedp.Do(bctx); err != nil {
		cancelC()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// chromeLogin logs a demo user in through the login page.
func chromeLogin(base, user string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/admin/login"),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, user),
		chromedp.SendKeys(`#f-password`, demo.Password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`.panels`),
	)
}

// A demo user logs in through the real login page in a real browser.
func TestBrowserLogin(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/admin/"),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, "handler"),
		chromedp.SendKeys(`#f-password`, demo.Password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`.panels`),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(`h1`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(`main`))
	if err != nil {
		t.Fatal(err)
	}
	if heading != "工作台" || !strings.Contains(body, "依申请公开办理") || !strings.Contains(body, "福州海关") {
		t.Fatalf("after login: heading %q body %q", heading, body)
	}
}
