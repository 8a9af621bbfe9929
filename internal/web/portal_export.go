package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// The static export (the site-cluster model): the whole public site of a
// unit written as files that nginx serves unchanged, with an nginx
// configuration that proxies what must stay dynamic — search, the forms,
// the status lookup, the back office — to the server and sets the same
// security headers. The pages are the server's own, rendered by its
// handler in process, so the export is byte for byte what the server
// sends (and the ETags agree).

// dynamicPrefixes are the paths the export leaves to the server.
var dynamicPrefixes = []string{"/search", "/column/apply", "/interact", "/rcep", "/display", "/admin", "/open", "/reports", "/healthz", "/shuanggongshi"}

func isDynamic(p string) bool {
	for _, d := range dynamicPrefixes {
		if p == d || strings.HasPrefix(p, d+"/") || strings.HasPrefix(p, d+".") || strings.HasPrefix(p, d+"?") {
			return true
		}
	}
	return false
}

// ExportResult says what an export did.
type ExportResult struct {
	Written, Unchanged, Removed int
	Files                       []string // every file of the export, relative, sorted
}

// manifestName lists the files of the last export, so that the next one
// removes those no longer public (a withdrawn item).
const manifestName = ".gongkai-export"

var hrefRE = regexp.MustCompile(`(?:href|src)="(/[^"#?]*)`)

// Export writes the site as files under dir. base is the site's address
// (https://fuzhou.customs.gov.cn), used in feeds and the sitemap. Each
// file is written to a temporary name and renamed into place, so that
// nginx never serves half a file; a file whose bytes have not changed is
// left alone; the files of the last export no longer produced are removed.
func (s *Server) Export(ctx context.Context, dir, base string) (ExportResult, error) {
	var res ExportResult
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return res, fmt.Errorf("网站地址应形如 https://www.example.gov.cn：%q", base)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	h := s.Handler()
	get := func(p string) (int, http.Header, []byte) {
		r := httptest.NewRequest("GET", p, nil).WithContext(ctx)
		r.Host = u.Host
		if u.Scheme == "https" {
			r.TLS = &tls.ConnectionState{}
		}
		r.Header.Set("User-Agent", "gongkai-export-bot") // a crawler: not a visit
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code, rec.Header(), rec.Body.Bytes()
	}
	files := map[string][]byte{}
	seen := map[string]bool{}
	queue := []string{"/", "/sitemap.xml", "/atom.xml", "/robots.txt", "/favicon.ico"}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		p := queue[0]
		queue = queue[1:]
		if seen[p] || isDynamic(p) || strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "//") {
			continue
		}
		seen[p] = true
		code, hdr, body := get(p)
		if code != http.StatusOK {
			continue
		}
		files[exportFile(p)] = body
		ct := hdr.Get("Content-Type")
		if strings.HasPrefix(ct, "text/html") {
			for _, m := range hrefRE.FindAllSubmatch(body, -1) {
				if q, err := url.PathUnescape(string(m[1])); err == nil {
					queue = append(queue, q)
				}
			}
		}
		if strings.Contains(ct, "xml") {
			for _, m := range locRE.FindAllSubmatch(body, -1) {
				if lu, err := url.Parse(string(m[1])); err == nil && lu.Host == u.Host && lu.RawQuery == "" {
					queue = append(queue, lu.Path)
				}
			}
		}
	}
	if _, _, body := get("/no-such-page"); len(body) > 0 {
		files["404.html"] = body
	}
	// The stylesheets and scripts, as the server serves them.
	sub, _ := fs.Sub(staticFS, "static")
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			files["static/"+p] = b
		}
		return nil
	})

	for _, name := range exportNames(files) {
		changed, err := writeAtomic(filepath.Join(dir, filepath.FromSlash(name)), files[name])
		if err != nil {
			return res, err
		}
		if changed {
			res.Written++
		} else {
			res.Unchanged++
		}
		res.Files = append(res.Files, name)
	}
	// Remove what the last export wrote and this one did not.
	if old, err := os.ReadFile(filepath.Join(dir, manifestName)); err == nil {
		for _, name := range strings.Split(string(old), "\n") {
			if name == "" || files[name] != nil || strings.Contains(name, "..") {
				continue
			}
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
				res.Removed++
			}
		}
	}
	if _, err := writeAtomic(filepath.Join(dir, manifestName), []byte(strings.Join(res.Files, "\n")+"\n")); err != nil {
		return res, err
	}
	return res, nil
}

var locRE = regexp.MustCompile(`<(?:loc|id)>([^<]+)</`)

// exportFile is the file a path is written to: a page to its directory's
// index.html (so that nginx's try_files finds /items/40 as
// items/40/index.html), a file with an extension under its own name.
func exportFile(p string) string {
	p = strings.TrimPrefix(path.Clean(p), "/")
	if p == "" || p == "." {
		return "index.html"
	}
	switch path.Ext(p) {
	case ".xml", ".txt", ".ico", ".css", ".js", ".svg", ".html":
		return p
	}
	if strings.HasPrefix(p, "files/") {
		return p
	}
	return p + "/index.html"
}

func exportNames(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writeAtomic writes b to name unless it already holds b, through a
// temporary file renamed into place.
func writeAtomic(name string, b []byte) (bool, error) {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, b) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return false, err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return false, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return false, err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return false, err
	}
	os.Chmod(f.Name(), 0o644)
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return false, err
	}
	return true, nil
}

// NginxConfig is a server block that serves an export from root and
// proxies the dynamic paths (and any request with a query string) to
// upstream, with the server's security headers on every response.
func NginxConfig(root, upstream, serverName string) string {
	var hdr strings.Builder
	for _, kv := range [][2]string{
		{"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}, {"Referrer-Policy", "same-origin"},
		{"Content-Security-Policy", contentSecurityPolicy},
	} {
		fmt.Fprintf(&hdr, "        add_header %s \"%s\" always;\n", kv[0], kv[1])
	}
	var dyn []string
	for _, d := range dynamicPrefixes {
		dyn = append(dyn, regexp.QuoteMeta(strings.TrimPrefix(d, "/")))
	}
	proxy := "        proxy_pass " + upstream + ";\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n"
	return fmt.Sprintf(`# gongkai portal export: nginx serves the files under root unchanged and
# proxies search, the forms, the status lookup and the back office to the
# gongkai server. Written by "gongkai portal export"; include it from the
# http block (include %[2]s/../*.nginx.conf; or copy it).
server {
    listen 80;
    server_name %[1]s;
    root %[2]s;
    charset utf-8;
    index index.html;
    etag on;
    gzip on;
    gzip_types text/css application/xml application/atom+xml text/xml;
    keepalive_timeout 65;
    error_page 404 /404.html;
    types {
        text/html html;
        text/css css;
        text/javascript js;
        application/xml xml;
        image/svg+xml svg;
        image/x-icon ico;
        text/plain txt;
    }

    location / {
        error_page 404 /404.html;
        error_page 418 = @gongkai;
        if ($args) { return 418; }
        try_files $uri $uri/index.html =404;
        add_header Cache-Control "public, max-age=0, s-maxage=60, stale-while-revalidate=60" always;
%[3]s    }
    location /items/ {
        error_page 404 /404.html;
        error_page 418 = @gongkai;
        if ($args) { return 418; }
        try_files $uri $uri/index.html =404;
        add_header Cache-Control "public, max-age=0, s-maxage=60" always;
%[3]s    }
    location /files/ {
        try_files $uri =404;
        default_type application/octet-stream;
        add_header Content-Disposition "attachment" always;
        add_header Cache-Control "no-cache" always;
%[3]s    }
    location /static/ {
        add_header Cache-Control "public, max-age=3600" always;
%[3]s    }
    location ~ ^/(%[4]s)(/|\.|$) {
%[5]s%[3]s    }
    location @gongkai {
%[5]s%[3]s    }
}
`, serverName, root, hdr.String(), strings.Join(dyn, "|"), proxy)
}
