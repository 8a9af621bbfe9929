package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/auth"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// axeSource is axe-core, vendored once for the repository, MPL-2.0: see
// third_party/axe-core/README.md.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("../../third_party/axe-core/axe.min.js")
	return string(b), err
})

// chrome starts Debian's chromium for one test (as cmd/gongkai's browser
// tests do); without chromium the test is skipped, except in CI.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium 未安装：CI 必须运行浏览器测试")
		}
		t.Skip("chromium 未安装，跳过浏览器测试")
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	bctx, cancelC := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelC()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page loaded in
// ctx and returns its serious and critical violations.
func axeRun(ctx context.Context) ([]axeViolation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](src+";1")); err != nil {
		return nil, fmt.Errorf("load axe: %w", err)
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r =>
		JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
			({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.html.slice(0, 120))}))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var vs []axeViolation
	return vs, json.Unmarshal([]byte(out), &vs)
}

// TestPortalAccessibility loads the portal's pages of 主动公开 in Debian's
// chromium, on a desktop and a phone-sized screen, and runs axe-core on
// each: no serious or critical violation.
func TestPortalAccessibility(t *testing.T) {
	w := newSecrecyWorld(t, store.SQLite)
	w.fill(t)
	srv, err := web.New(w.db, &auth.Service{Store: w.db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: "fuzhou"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	ctx := chrome(t)
	// The harness can fail: a page with an image without alternative text
	// and an unlabelled field has critical violations.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/x.png"><input type="text">');1`)); err != nil {
		t.Fatal(err)
	}
	if vs, err := axeRun(ctx); err != nil || len(vs) < 2 {
		t.Fatalf("axe found %v (%v) on a broken page", vs, err)
	}
	pages := []string{
		"/", "/column/guide", "/column/rules", "/column/statutory", "/column/catalog", "/catalog/gonggao",
		fmt.Sprintf("/items/%d", w.ctlID), "/search", "/search?q=%E6%B5%B7%E5%85%B3", "/search?q=%E6%97%A0%E6%AD%A4%E8%AF%8D", "/shuanggongshi",
		"/column/apply", "/column/apply/status",
	}
	for _, size := range []struct{ w, h int64 }{{1280, 900}, {375, 812}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+p), chromedp.WaitReady("body")); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			h1, err := chromedp.Run(ctx, chromedp.Text("h1"))
			if err != nil || strings.TrimSpace(h1) == "" {
				t.Errorf("%s: no heading (%v)", p, err)
			}
			vs, err := axeRun(ctx)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for _, v := range vs {
				t.Errorf("%s (%dpx): %s [%s] %s: %v", p, size.w, v.ID, v.Impact, v.Help, v.Nodes)
			}
		}
		// A phone-sized screen never scrolls sideways.
		if size.w < 500 {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+fmt.Sprintf("/items/%d", w.ctlID)), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
			if err != nil {
				t.Fatal(err)
			}
			if wide {
				t.Errorf("item page scrolls sideways at %dpx", size.w)
			}
		}
	}
}
