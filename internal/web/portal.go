package web

import (
	"context"
	"net/http"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// siteUnit is the unit whose portal this is: as the poller last read it
// (Server.Start), or else from the database.
func (s *Server) siteUnit(r *http.Request) (org.Unit, bool) {
	if st := s.cache.state.Load(); st != nil && st.site != nil && st.site.ok {
		return st.site.unit, true
	}
	return s.loadSiteUnit(r.Context())
}

func (s *Server) loadSiteUnit(ctx context.Context) (org.Unit, bool) {
	code := s.Config.SiteUnit
	if code == "" {
		code, _ = s.DB.Setting(ctx, "site_unit", "")
	}
	if code != "" {
		if u, err := s.DB.UnitByCode(ctx, code); err == nil {
			return u, true
		}
	}
	units, err := s.DB.Units(ctx)
	if err != nil || len(units) == 0 {
		return org.Unit{Name: "政府信息公开"}, false
	}
	return units[0], true
}

// Column is one of the 政府信息公开 columns every portal carries.
type Column struct {
	Slug  string
	Title string
	Intro string
}

// Columns are the standard columns of a 政府信息公开 portal, in order.
var Columns = []Column{
	{"guide", "信息公开指南", "本机关政府信息公开的范围、方式、申请程序和监督途径。"},
	{"rules", "信息公开制度", "本机关政府信息公开工作的规章制度。"},
	{"statutory", "法定主动公开内容", "按《政府信息公开条例》第二十条应当主动公开的信息。"},
	{"catalog", "主动公开目录", "按类别浏览本机关主动公开的政府信息。"},
	{"apply", "依申请公开", "向本机关申请获取政府信息的途径和办理结果查询。"},
	{"reports", "政府信息公开年报", "本机关历年政府信息公开工作年度报告。"},
}

func columnBySlug(slug string) (Column, bool) {
	for _, c := range Columns {
		if c.Slug == slug {
			return c, true
		}
	}
	return Column{}, false
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "政府信息公开")
	p.Data = map[string]any{"Columns": Columns, "Publish": s.publishHome(r, p.Site, p.SiteReady)}
	return s.render(w, "portal/home", p)
}

// portalColumn shows a column. Columns that later work fills (items,
// applications, reports) say plainly that they are empty until then.
func (s *Server) portalColumn(w http.ResponseWriter, r *http.Request) error {
	c, ok := columnBySlug(r.PathValue("column"))
	if !ok {
		return errs.E(errs.NotFound, "栏目不存在")
	}
	p := s.page(w, r, c.Title)
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {c.Title, ""}}
	p.Data = map[string]any{"Column": c}
	return s.render(w, "portal/column", p)
}

// displayMode switches the 适老化 display (larger text, high contrast) on
// or off. It is a preference kept in a cookie, not server state, and it
// changes one stylesheet (displayCSS), never a page: the pages stay the
// same bytes for everyone, so that any cache may keep them.
func (s *Server) displayMode(w http.ResponseWriter, r *http.Request) error {
	mode := r.URL.Query().Get("mode")
	if mode == "large" {
		s.setCookie(w, &http.Cookie{Name: displayCookie, Value: "large", Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	} else {
		s.setCookie(w, &http.Cookie{Name: displayCookie, Value: "", Path: "/", MaxAge: -1})
	}
	back := r.Referer()
	if back == "" || !sameSite(r, back) {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func sameSite(r *http.Request, ref string) bool {
	return len(ref) > 0 && (ref[0] == '/' && (len(ref) == 1 || ref[1] != '/') ||
		hasPrefixFold(ref, "http://"+r.Host+"/") || hasPrefixFold(ref, "https://"+r.Host+"/"))
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && s[:len(p)] == p
}

// largeCSS is the 适老化 display: larger text, high contrast.
const largeCSS = `body.portal { font-size: 20px; --ink: #000; --muted: #222; --link: #0b0c8c; --line: #000; }
body.portal a { text-decoration-thickness: 2px; }
.to-large { display: none; }
.to-normal { display: inline; }
`

// displayCSS is the stylesheet every portal page links: empty in the
// standard display, largeCSS for a visitor who chose 适老化. It alone
// depends on the cookie, and says so (Vary, private).
func (s *Server) displayCSS(w http.ResponseWriter, r *http.Request) {
	body, etag := "/* 标准模式 */\n", `"display-normal"`
	if c, err := r.Cookie(displayCookie); err == nil && c.Value == "large" {
		body, etag = largeCSS, `"display-large"`
	}
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Cookie")
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write([]byte(body))
}

// favicon is the site's icon at the address browsers ask for first.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	b, _ := staticFS.ReadFile("static/favicon.svg")
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// robots lets crawlers read the portal, not the back office or search
// results, and names the sitemap.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	body := "User-agent: *\nDisallow: /admin/\nDisallow: /search\nDisallow: /display\nSitemap: " + baseURL(r) + "/sitemap.xml\n"
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write([]byte(body))
}
