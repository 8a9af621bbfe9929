package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI contract of `gongkai portal export`: the whole public site as
// files (index.html, the items, feeds, sitemap, stylesheets), an nginx
// configuration beside it that proxies the dynamic pages, nothing dynamic
// written; a usage error exits 2.
func TestPortalExport(t *testing.T) {
	dsn := demoCopy(t)
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := run(t, "", "portal", "export", "--unit", "fuzhou", "--db", dsn, "--base-url", "https://fuzhou.customs.gov.cn", dir); code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	for _, f := range []string{"index.html", "sitemap.xml", "atom.xml", "column/catalog/index.html", "static/style.css", "404.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	home, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(home), "福州海关") {
		t.Fatal("index.html is not the home page")
	}
	sitemap, _ := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if !strings.Contains(string(sitemap), "<loc>https://fuzhou.customs.gov.cn/") {
		t.Fatal("the sitemap does not use the base URL")
	}
	for _, f := range []string{"search", "column/apply", "admin", "interact"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("dynamic %s exported", f)
		}
	}
	conf, err := os.ReadFile(dir + ".nginx.conf")
	if err != nil || !strings.Contains(string(conf), "proxy_pass http://127.0.0.1:8080") || !strings.Contains(string(conf), "Content-Security-Policy") ||
		!strings.Contains(string(conf), "root "+dir) {
		t.Fatalf("nginx config: %v\n%s", err, conf)
	}

	// Withdrawn pages are deleted by the next export:
	// internal/web TestPortalExportFiles.
	if code, _, _ := run(t, "", "portal", "export", "--db", dsn, dir); code != 2 {
		t.Fatalf("without --unit: exit %d, want 2", code)
	}
}
