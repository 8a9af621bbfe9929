package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticHandler serves the embedded stylesheets, scripts and icon, each
// with a strong ETag (a hash of its bytes) so that a browser revalidates
// it after the hour; a missing file gets the portal's Chinese 404 page.
func (s *Server) staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	etags := map[string]string{}
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			sum := sha256.Sum256(b)
			etags[p] = `"` + hex.EncodeToString(sum[:12]) + `"`
		}
		return nil
	})
	fsrv := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		etag, ok := etags[name]
		if !ok {
			s.serveError(w, r, errs.E(errs.NotFound, "您访问的文件不存在"))
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("ETag", etag) // http.FileServer answers If-None-Match with it
		fsrv.ServeHTTP(w, r)
	})
}

// templates holds one parsed template per page, each combined with its
// layout (portal or admin).
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(shanghai).Format("2006-01-02")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(shanghai).Format("2006-01-02 15:04")
	},
	"indent": func(depth int) string { return strings.Repeat("　　", depth) },
	"add":    func(a, b int) int { return a + b },
	// kb writes a file size for people: 12 KB, 1.5 MB.
	"kb": func(n int) string {
		if n >= 1<<20 {
			return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
		}
		return strconv.Itoa((n+1023)/1024) + " KB"
	},
	"roles": func() []org.Role { return org.Roles },
	"dict2": func(p *Page, name, label, hint string) fieldArgs {
		return fieldArgs{P: p, Name: name, Label: label, Hint: hint}
	},
	"join":       strings.Join,
	"checked":    func(p *Page, v *checkedView) checkedArgs { return checkedArgs{P: p, V: v} },
	"decideArgs": func(p *Page, v *checkedView, f checkFinding) decideArgs { return decideArgs{P: p, V: v, F: f} },
	"has": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

// fieldArgs feeds the shared text-field template.
type fieldArgs struct {
	P                 *Page
	Name, Label, Hint string
}

// shanghai is China Standard Time, the time staff and citizens read.
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

func parseTemplates() (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}}
	for _, layout := range []string{"portal", "admin"} {
		base, err := template.New(layout).Funcs(funcs).ParseFS(templateFS, "templates/"+layout+".html", "templates/partials.html", "templates/partials/*.html")
		if err != nil {
			return nil, fmt.Errorf("parse layout %s: %w", layout, err)
		}
		files, err := fs.Glob(templateFS, "templates/"+layout+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			c, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if _, err := c.ParseFS(templateFS, f); err != nil {
				return nil, fmt.Errorf("parse %s: %w", f, err)
			}
			t.pages[layout+"/"+strings.TrimSuffix(path.Base(f), ".html")] = c
		}
	}
	return t, nil
}

// Page is what every template gets.
type Page struct {
	Title     string
	Site      org.Unit // the unit whose portal this is
	SiteReady bool     // false until a unit exists
	User      *org.User
	Flash     string
	Path      string
	Crumbs    []Crumb
	Form      *errs.FormError
	Error     string // an error for the whole form
	Values    map[string]string
	Data      any
	Now       time.Time
	// Refresh, when set, reloads the page after so many seconds (a page
	// following background work, without JavaScript).
	Refresh int

	csrf    string
	newCSRF func() string // issues the double-submit token on first use
}

// CSRF is the token a form of the page sends back: the session's, or
// before login the double-submit token, whose cookie is set only now — when
// a template shows a form — so that a page without a form sets no cookie
// and any cache may keep it. Templates render into a buffer before the
// headers are written, so the cookie still goes out with the page.
func (p *Page) CSRF() string {
	if p.csrf == "" && p.newCSRF != nil {
		p.csrf, p.newCSRF = p.newCSRF(), nil
	}
	return p.csrf
}

// Crumb is a breadcrumb (当前位置) link.
type Crumb struct{ Label, Href string }

// FieldError returns the message for a form field.
func (p *Page) FieldError(name string) string {
	if p.Form == nil {
		return ""
	}
	return p.Form.Of(name)
}

// Value returns what was typed into a form field.
func (p *Page) Value(name string) string { return p.Values[name] }

func (s *Server) page(w http.ResponseWriter, r *http.Request, title string) *Page {
	p := &Page{Title: title, User: userOf(r), Path: r.URL.Path, Now: time.Now()}
	if sess := sessionOf(r); sess != nil {
		p.csrf = sess.CSRF
	} else if w != nil {
		p.newCSRF = func() string { return s.preCSRF(w, r) }
	}
	if w != nil {
		p.Flash = s.takeFlash(w, r)
	}
	p.Site, p.SiteReady = s.siteUnit(r)
	return p
}

// formError fills a page with the errors of a failed form submission, so
// that the form is shown again with what was typed and each field's message.
func formError(p *Page, r *http.Request, err error) error {
	var fe *errs.FormError
	var ae *errs.Error
	switch {
	case asForm(err, &fe):
		p.Form = fe
	case asApp(err, &ae) && ae.Field != "":
		p.Form = &errs.FormError{Fields: errs.Fields{ae}}
	case errs.CodeOf(err) == errs.Invalid || errs.CodeOf(err) == errs.Conflict:
		p.Error = errs.MessageOf(err)
	default:
		return err
	}
	if p.Form != nil && p.Error == "" {
		p.Error = p.Form.Error()
	}
	p.Values = map[string]string{}
	for k, v := range r.PostForm {
		if k != "password" && k != "csrf" && len(v) > 0 {
			p.Values[k] = v[0]
		}
	}
	return nil
}

func (s *Server) render(w http.ResponseWriter, name string, p *Page) error {
	status := http.StatusOK
	if p.Form != nil || p.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	return s.renderStatus(w, status, name, p)
}

func (s *Server) renderStatus(w http.ResponseWriter, status int, name string, p *Page) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	layout := strings.SplitN(name, "/", 2)[0]
	if err := t.ExecuteTemplate(&buf, layout, p); err != nil {
		s.Log.Error("render", "template", name, "err", err)
		http.Error(w, "页面渲染失败", http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
