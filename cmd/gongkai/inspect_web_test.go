package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/auth"
	"gongkai/internal/inspect"
	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// The inspection's pages on both engines: who may see and do what, a run
// asked for and made by its job, bad input on its field with 422, a
// finding sent to the register in one click, the settings refusing
// nonsense, the assessment with its charts, records and export.
func TestInspectPages(t *testing.T) {
	eachInspectDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ext := extServer(t)
		w, _ := defectSite(t, db, ext.URL)
		srv, err := web.New(db, &auth.Service{Store: db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{Secret: "test", SiteUnit: w.unit.Code})
		noErr(t, err)
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		in := func(who string) (*browser, string) {
			b := newBrowser(t, hs.URL)
			if code, page := b.login(w.unit.Code+"-"+who, "inspect password"); code != 200 {
				t.Fatalf("login %s: %d %.300s", who, code, page)
			}
			_, page := b.get("/admin/")
			return b, csrfOf(t, page)
		}
		stats, csrf := in("stats")
		code, page := stats.get("/admin/inspect")
		if code != 200 || !strings.Contains(page, "尚未检查") || !strings.Contains(page, `href="/admin/inspect" aria-current="page">网站检查</a>`) {
			t.Fatalf("home: %d %.500s", code, page)
		}
		code, page = stats.post("/admin/inspect/run", url.Values{"csrf": {csrf}, "target": {"url"}, "url": {"ht!tp:/x"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "格式不正确") || !strings.Contains(page, `value="ht!tp:/x"`) {
			t.Errorf("bad url: %d", code)
		}
		if runs, _ := db.InspectRuns(ctx, w.unit.ID, 0); len(runs) != 0 {
			t.Fatalf("a refused form queued %d runs", len(runs))
		}
		if code, _ := stats.post("/admin/inspect/run", url.Values{"target": {"portal"}}); code != http.StatusForbidden {
			t.Errorf("no csrf: %d", code)
		}
		code, page = stats.post("/admin/inspect/run", url.Values{"csrf": {csrf}, "target": {"portal"}})
		if code != 200 || !strings.Contains(page, "检查尚未结束") {
			t.Fatalf("run now: %d %.300s", code, page)
		}
		runs, err := db.InspectRuns(ctx, w.unit.ID, 0)
		noErr(t, err)
		if len(runs) != 1 || runs[0].Trigger != inspect.Manual || runs[0].Status != inspect.Queued {
			t.Fatalf("runs: %+v", runs)
		}
		// The job the runner would take.
		claimed, err := db.ClaimJobs(ctx, "test", []string{web.InspectRunJob}, 5, inspectNow, 0)
		noErr(t, err)
		if len(claimed) != 1 {
			t.Fatalf("%d jobs queued", len(claimed))
		}
		if _, err := testInspector(db).inspectRun()(ctx, claimed[0]); err != nil {
			t.Fatal(err)
		}
		runPath := "/admin/inspect/runs/" + strconv.FormatInt(runs[0].ID, 10)
		code, page = stats.get(runPath)
		if code != 200 || !strings.Contains(page, "办事指南要素") || !strings.Contains(page, "单项否决") || !strings.Contains(page, "送整改台账") || !strings.Contains(page, "已完成") {
			t.Fatalf("run page: %d %.800s", code, page)
		}
		fs, err := db.RunFindings(ctx, runs[0].ID)
		noErr(t, err)
		var guide int64
		for _, f := range fs {
			if f.Indicator == inspect.GuideElements {
				guide = f.ID
			}
		}
		fp := "/admin/inspect/findings/" + strconv.FormatInt(guide, 10)
		code, page = stats.post(fp+"/rectify", url.Values{"csrf": {csrf}})
		if code != 200 || !strings.Contains(page, "已登记到整改台账") || !strings.Contains(page, "网站检查") {
			t.Fatalf("send: %d %.500s", code, page)
		}
		code, page = stats.post(fp+"/rectify", url.Values{"csrf": {csrf}})
		if code != http.StatusConflict || !strings.Contains(page, "已登记到整改台账") {
			t.Errorf("send twice: %d", code)
		}
		if code, page = stats.get(fp); code != 200 || !regexp.MustCompile(`href="/admin/rectify/\d+">问题 \d+`).MatchString(page) {
			t.Errorf("finding page: %d", code)
		}
		// The editor: no inspection pages, but the notices of the findings
		// on their items.
		editor, ecsrf := in("editor")
		if code, _ := editor.get("/admin/inspect"); code != http.StatusForbidden {
			t.Errorf("editor home: %d", code)
		}
		if code, page := editor.get("/admin/inspect/notices"); code != 200 || !strings.Contains(page, "办事指南") {
			t.Errorf("editor notices: %d %.300s", code, page)
		}
		if code, _ := editor.post("/admin/inspect/settings", url.Values{"csrf": {ecsrf}, "form": {"thresholds"}, "home_veto_days": {"30"}}); code != http.StatusForbidden {
			t.Errorf("editor settings: %d", code)
		}
		// The statistician may not change the thresholds; the head may, but
		// not to nonsense.
		if code, _ := stats.post("/admin/inspect/settings", url.Values{"csrf": {csrf}, "form": {"thresholds"}, "home_veto_days": {"30"}}); code != http.StatusForbidden {
			t.Errorf("stats settings: %d", code)
		}
		head, hcsrf := in("head")
		code, page = head.post("/admin/inspect/settings", url.Values{"csrf": {hcsrf}, "form": {"thresholds"}, "home_warn_days": {"20"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "预警须在否决之前") {
			t.Errorf("nonsense threshold: %d", code)
		}
		code, page = head.post("/admin/inspect/settings", url.Values{"csrf": {hcsrf}, "form": {"unit"}, "expressions": {"错 => 错"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "错误写法与正确写法相同") {
			t.Errorf("bad expressions: %d", code)
		}
		if code, _ := head.post("/admin/inspect/settings", url.Values{"csrf": {hcsrf}, "form": {"thresholds"}, "home_warn_days": {"9"}}); code != 200 {
			t.Errorf("threshold: %d", code)
		}
		if s, err := db.InspectSettings(ctx); err != nil || s.HomeWarnDays != 9 {
			t.Errorf("stored threshold: %v %v", s.HomeWarnDays, err)
		}
		if code, _ := head.post("/admin/inspect/settings", url.Values{"csrf": {hcsrf}, "form": {"weights"}, "weights": {"publish_timely=50, requests_on_time=50"}}); code != 200 {
			t.Errorf("weights: %d", code)
		}
		// The assessment: tables, charts, records, export.
		code, page = stats.get("/admin/inspect/assess?period=2026Q2")
		if code != 200 || strings.Count(page, "<svg") != 2 || !strings.Contains(page, "信息发布及时率") || !strings.Contains(page, "综合业务处") || !strings.Contains(page, "加权得分") {
			t.Fatalf("assess: %d %.500s", code, page)
		}
		m := regexp.MustCompile(`href="(/admin/inspect/assess/records\?[^"]+measure=findings_closed[^"]+)">`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no link to the records of a figure")
		}
		if code, rec := stats.get(strings.ReplaceAll(m[1], "&amp;", "&")); code != 200 || !strings.Contains(rec, "检查发现整改率") {
			t.Errorf("records: %d", code)
		}
		if code, _ := stats.get("/admin/inspect/assess?period=2026Q5"); code != http.StatusUnprocessableEntity && code != http.StatusBadRequest {
			t.Errorf("bad period: %d", code)
		}
		resp, err := stats.c.Get(hs.URL + "/admin/inspect/assess?period=2026&format=xlsx")
		noErr(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		x, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("xlsx: %v", err)
		}
		rows, _ := x.GetRows("考核")
		if len(rows) < 4 || !strings.Contains(rows[0][0], "2026年度") {
			t.Errorf("xlsx rows: %v", rows)
		}
		_ = jobs.Job{}
	})
}
