package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/inspect"
)

// sources is what an inspection of another site reads of the store: the
// thresholds, the unit's list of expressions, no probes yet.
type sources struct{ inspect.Sources }

func (sources) InspectSettings(context.Context) (inspect.Settings, error) {
	return inspect.Defaults(), nil
}
func (sources) InspectUnitConfig(context.Context, int64) (inspect.UnitConfig, error) {
	list, err := inspect.ParseExpressions(inspect.DefaultExpressions)
	return inspect.UnitConfig{Expressions: list}, err
}
func (sources) Probes(context.Context, string, time.Time) ([]inspect.Probe, error) { return nil, nil }

// Another site is judged from what its HTML shows: the home page's dates,
// its columns and articles by their meta tags, its links and text; the
// rest is 无法判断 and never 合格.
func TestInspectOtherSite(t *testing.T) {
	now := time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	d := func(days int) string {
		return calendar.DateOf(now.Add(-time.Duration(days) * 24 * time.Hour).In(time.FixedZone("CST", 8*3600))).String()
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><head><title>某某海关</title></head><body><a href="/news/">工作动态</a> <a href="/plan/">规划计划</a> %s 动态一</body></html>`, d(20))
		case "/news/":
			fmt.Fprintf(w, `<html><head><meta name="ColumnName" content="工作动态"></head><body><a href="/news/1.html">动态一</a> %s <a href="/news/2.html">动态二</a> %s <a href="/news/3.html">坏链接</a></body></html>`, d(20), d(30))
		case "/plan/":
			fmt.Fprint(w, `<html><head><meta name="ColumnName" content="规划计划"></head><body>暂无信息</body></html>`)
		case "/news/1.html":
			fmt.Fprintf(w, `<html><head><meta name="ArticleTitle" content="动态一"><meta name="PubDate" content="%s"></head><body>大家要再接再励。</body></html>`, d(20))
		case "/news/2.html":
			fmt.Fprint(w, `<html><head><meta name="ArticleTitle" content="动态二"></head><body>没有日期的信息。</body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer s.Close()
	clock := &fakeClock{t: now}
	res, err := inspect.Inspect(context.Background(), inspect.Inspection{
		Target: inspect.Target{URL: s.URL + "/"}, Sources: sources{}, Crawler: &Crawler{Guard: allowAll, Now: clock.Now, Sleep: clock.Sleep}, Now: now})
	if err != nil || !res.Complete() {
		t.Fatalf("%v %v", err, res.Reasons)
	}
	want := map[inspect.Indicator]inspect.Level{
		inspect.HomeStale: inspect.Veto, inspect.ColumnStale: inspect.Deduction, inspect.ColumnBlank: inspect.Deduction,
		inspect.NoPublishDate: inspect.Deduction, inspect.Wording: inspect.Deduction, inspect.BrokenLink: inspect.Deduction,
	}
	got := map[inspect.Indicator]int{}
	for _, f := range res.Findings {
		got[f.Indicator]++
		if w, ok := want[f.Indicator]; !ok || w != f.Level {
			t.Errorf("finding %s %s %s", f.Level, f.Indicator, f.Message)
		}
	}
	for ind := range want {
		if got[ind] != 1 {
			t.Errorf("%s found %d times", ind.Label(), got[ind])
		}
	}
	for _, j := range res.Judgements {
		spec := inspect.SpecOf(j.Indicator)
		if (spec.OwnSite || j.Indicator == inspect.Availability) && j.Verdict != inspect.Unknown {
			t.Errorf("%s on another site: %s", spec.Label, j.Verdict)
		}
	}
	// An address that does not answer: the run is incomplete, nothing 合格.
	res, _ = inspect.Inspect(context.Background(), inspect.Inspection{Target: inspect.Target{URL: "http://127.0.0.1:1/"}, Sources: sources{},
		Crawler: &Crawler{Guard: allowAll}, Now: now})
	if res.Complete() || !strings.Contains(strings.Join(res.Reasons, ""), "无法打开") {
		t.Errorf("unreachable: %v", res.Reasons)
	}
	for _, j := range res.Judgements {
		if j.Verdict == inspect.OK {
			t.Errorf("%s 合格 on a site that did not open", j.Indicator.Label())
		}
	}
}
