package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// BenchmarkItemPage measures the requests per second of a published item
// page on loopback, side by side with Debian's nginx serving the same page
// from disk (started by the benchmark when /usr/sbin/nginx is installed).
// It runs only under -bench:
//
//	go test ./internal/web -run '^$' -bench ItemPage -benchtime 1x
//
// GONGKAI_BENCH_SECONDS (default 5) and GONGKAI_BENCH_CONNS (default 16)
// set the length of each run and the number of keep-alive connections.
func BenchmarkItemPage(b *testing.B) {
	secs, conns := envInt("GONGKAI_BENCH_SECONDS", 5), envInt("GONGKAI_BENCH_CONNS", 16)
	w := newSecrecyWorld(b, store.SQLite)
	w.fill(b)
	srv, err := web.New(w.db, &auth.Service{Store: w.db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: "fuzhou"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	page := fmt.Sprintf("/items/%d", w.ctlID)
	resp, err := http.Get(ts.URL + page)
	if err != nil {
		b.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("item page: %d", resp.StatusCode)
	}
	b.Logf("item page: %d bytes; %d connections, %d s per run", len(html), conns, secs)

	b.Run("gongkai", func(b *testing.B) {
		rps := load(b, ts.URL+page, conns, time.Duration(secs)*time.Second)
		b.ReportMetric(rps, "req/s")
	})

	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
		if _, err := os.Stat(nginx); err != nil {
			b.Log("nginx not installed: side-by-side run skipped (apt-get install nginx-light)")
			return
		}
	}
	// Readable by nginx's workers (they drop to nobody when run as root).
	dir, err := os.MkdirTemp("", "gongkai-nginx-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "www", "items"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "www", "items", "page.html"), html, 0o644); err != nil {
		b.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	conf := fmt.Sprintf(`daemon off;
worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path %[1]s/tmp; proxy_temp_path %[1]s/tmp; fastcgi_temp_path %[1]s/tmp; uwsgi_temp_path %[1]s/tmp; scgi_temp_path %[1]s/tmp;
	types { text/html html; }
	server { listen %[2]s; root %[1]s/www; keepalive_requests 1000000; }
}
`, dir, addr)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	url := "http://" + addr + "/items/page.html"
	for i := 0; ; i++ {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			break
		}
		if i > 50 {
			b.Fatal("nginx did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Run("nginx", func(b *testing.B) {
		rps := load(b, url, conns, time.Duration(secs)*time.Second)
		b.ReportMetric(rps, "req/s")
	})
}

// load fetches u over conns keep-alive connections for d and returns the
// requests per second.
func load(b *testing.B, u string, conns int, d time.Duration) float64 {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var n, fails atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
				r, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						fails.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode == 200 {
					n.Add(1)
				} else {
					fails.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	if fails.Load() > 0 {
		b.Errorf("%d failed requests", fails.Load())
	}
	rps := float64(n.Load()) / took.Seconds()
	b.Logf("%s: %d requests in %s = %.0f req/s", u, n.Load(), took.Round(time.Millisecond), rps)
	return rps
}

func envInt(name string, def int) int {
	var v int
	if _, err := fmt.Sscan(os.Getenv(name), &v); err == nil && v > 0 {
		return v
	}
	return def
}
