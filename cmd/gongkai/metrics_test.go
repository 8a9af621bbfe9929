package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetrics: /metrics is refused without the token and, with it, is in
// the Prometheus text format with requests and latencies by route group,
// job runs, applications due soon and overdue, open inspection findings
// and the job queue; the separate listener serves the same without a
// token, and the portal does not serve /metrics at all without one.
func TestMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	maddr := ln.Addr().String()
	ln.Close()
	app := startApp(t, demoCopy(t), "--metrics-token", "s3cret-token", "--metrics-addr", maddr)
	b := newBrowser(t, app.URL)
	b.get("/")
	b.get("/items/1")
	b.get("/admin/requests")
	b.get("/no-such-page")

	get := func(url, token string) (int, string) {
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get(app.URL+"/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", code)
	}
	if code, _ := get(app.URL+"/metrics", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d, want 401", code)
	}
	// Job runs are counted once the runner has run the recurring jobs
	// queued at start.
	var text string
	for deadline := time.Now().Add(30 * time.Second); ; {
		var code int
		code, text = get(app.URL+"/metrics", "s3cret-token")
		if code != 200 {
			t.Fatalf("/metrics with the token: %d %s", code, text)
		}
		if strings.Contains(text, "gongkai_job_runs_total{") || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v", err)
	}
	for _, name := range []string{"gongkai_http_requests_total", "gongkai_http_request_duration_seconds", "gongkai_job_runs_total",
		"gongkai_applications_due", "gongkai_jobs", "gongkai_database_up"} {
		if families[name] == nil {
			t.Errorf("no %s in /metrics", name)
		}
	}
	labels := func(name string) []string {
		var out []string
		if f := families[name]; f != nil {
			for _, m := range f.GetMetric() {
				var ls []string
				for _, l := range m.GetLabel() {
					ls = append(ls, l.GetName()+"="+l.GetValue())
				}
				out = append(out, strings.Join(ls, ","))
			}
		}
		return out
	}
	all := strings.Join(labels("gongkai_http_requests_total"), " ")
	for _, want := range []string{"code=2xx,group=home,method=GET", "group=items", "group=admin/requests", "code=4xx,group=other,method=GET"} {
		if !strings.Contains(all, want) {
			t.Errorf("requests by route group: no %s in %s", want, all)
		}
	}
	due := strings.Join(labels("gongkai_applications_due"), " ")
	if !strings.Contains(due, "unit=") || !strings.Contains(due, "urgency=overdue") {
		t.Errorf("applications due: %s", due)
	}
	if f := families["gongkai_database_up"]; f == nil || f.GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Errorf("database_up is not 1")
	}
	// The separate listener needs no token.
	if code, body := get("http://"+maddr+"/metrics", ""); code != 200 || !strings.Contains(body, "gongkai_http_requests_total") {
		t.Errorf("metrics listener: %d", code)
	}
	// Without a token setting the portal has no /metrics.
	plain := startApp(t, demoCopy(t))
	if code, _ := get(plain.URL+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("/metrics on a portal without a token: %d, want 404", code)
	}
}
