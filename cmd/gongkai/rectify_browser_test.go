package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/internal/audit"
	"gongkai/internal/rectify"
	"gongkai/internal/store"
)

// The rectification register's pages pass axe-core in Debian's chromium
// with no serious or critical violation — the form shown again with its
// errors included — and work without JavaScript: a problem registered
// through the form in the browser.
func TestRectifyAccessibility(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	db, err := store.Open(context.Background(), app.DSN, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fz, err := db.UnitByCode(context.Background(), "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	year := rectify.Today(db.Now()).Year()
	p, err := db.CreateProblem(context.Background(), audit.System("test"), rectify.SystemActor("测试"), fz.ID, store.ProblemInput{
		Fields:   rectify.Fields{Year: year, Source: rectify.FromInspection, Description: "部分栏目更新不及时"},
		Measures: []string{"建立栏目更新台账"}})
	if err != nil {
		t.Fatal(err)
	}
	axe, err := os.ReadFile("../../third_party/axe-core/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
			t.Fatalf("inject axe on %s: %v", what, err)
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", what, err)
		}
		for _, v := range vs {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s %s — %s at %s", what, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "; "))
			}
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromeLogin(app.URL, "stats")); err != nil {
		t.Fatalf("login: %v", err)
	}
	for _, path := range []string{"/admin/rectify", "/admin/rectify/new", fmt.Sprintf("/admin/rectify/%d", p.ID), fmt.Sprintf("/admin/rectify/import?year=%d", year)} {
		if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+path), chromedp.WaitReady("main")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		check(path)
	}
	// The registration form sent empty, then filled in.
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/admin/rectify/new"), chromedp.WaitVisible("#f-description"),
		chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(".error-summary")); err != nil {
		t.Fatal(err)
	}
	check("the form with its errors")
	err = chromedp.Do(ctx,
		chromedp.SetValue("#f-source", "complaint"),
		chromedp.SendKeys("#f-description", "办事指南要素不全"),
		chromedp.Click(`form.form button[type=submit]`),
		chromedp.WaitVisible(".notice"),
	)
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil || !strings.Contains(body, "办事指南要素不全") || !strings.Contains(body, "已登记问题") {
		t.Fatalf("after registering: %q %v", body, err)
	}
}
