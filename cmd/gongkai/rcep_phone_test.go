package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// 享惠智选 on a phone: every page of the chooser and the origin calculator,
// with and without results, fits a 375 px screen (scrollWidth ≤ 375 in
// Debian's chromium), and the API is not offered to citizens.
func TestRCEPFitsAPhone(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	for _, p := range []string{
		"/rcep",
		"/rcep?hs=08052100&country=JP&direction=import",
		"/rcep?hs=0805&country=JP&direction=import",
		"/rcep?hs=08052100&country=US&direction=import",
		"/rcep?hs=61091000&country=KR&direction=export",
		"/rcep/origin",
		"/rcep/origin?agreement=RCEP&hs=847130&fob=3000&m1_hs=854231&m1_value=1200&m2_hs=852411&m2_value=900",
		"/rcep/origin?agreement=RCEP&hs=847130&rule=CTSH&fob=10000&vnm=5000",
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800), chromedp.Navigate(app.URL+p), chromedp.WaitReady("main")); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 375 {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > 376).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`))
			t.Errorf("%s: scrollWidth %d > 375; too wide: %v", p, w, wide)
		}
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "/api/rcep") {
			t.Errorf("%s offers the API to citizens", p)
		}
	}
}
