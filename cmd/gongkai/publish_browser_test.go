package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeViolation is what the test keeps of one axe-core finding.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))`

// The portal's pages and the back office's publishing pages pass axe-core
// (vendored in third_party/axe-core, MPL-2.0) in Debian's chromium with no serious
// or critical violation, at desktop width and at a phone's width, where no
// page scrolls sideways.
func TestPublishAccessibility(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	axe, err := os.ReadFile("../../third_party/axe-core/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	check := func(path string, width int64) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(app.URL+path), chromedp.WaitReady("main")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
			t.Fatalf("inject axe on %s: %v", path, err)
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", path, err)
		}
		for _, v := range vs {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s (%dpx): %s %s — %s at %s", path, width, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "; "))
			}
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if err != nil {
			t.Fatal(err)
		}
		if wide {
			t.Errorf("%s scrolls sideways at %dpx", path, width)
		}
	}
	portal := []string{"/", "/column/catalog", "/catalog/shuanggongshi", "/items/40", "/search?q=" + "海关+指引", "/shuanggongshi", "/column/guide", "/column/statutory"}
	for _, p := range portal {
		check(p, 1280)
	}
	for _, p := range []string{"/", "/items/1"} {
		check(p, 375)
	}
	// The back office, logged in as an editor.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromeLogin(app.URL, "editor"),
	)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	for _, p := range []string{"/admin/publish", "/admin/publish/new", "/admin/publish/items/1", "/admin/publish/stats?year=2024", "/admin/publish/registers?year=2024"} {
		check(p, 1280)
	}
	// 依申请公开's pages, as the handler.
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
			return err
		}),
		chromeLogin(app.URL, "handler"),
	)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	for _, p := range []string{"/admin/requests", "/admin/requests?view=unit", "/admin/requests/1", "/admin/requests/new", "/admin/requests/stats?year=2024"} {
		check(p, 1280)
	}
}
