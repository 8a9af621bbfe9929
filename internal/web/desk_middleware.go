package web

import (
	"net/http"
	"strings"
	"time"

	"gongkai/internal/desk"
)

// deskMiddleware does two things for the desk, around everything else:
//
//   - it caps the size of the portal's public forms (咨询, 留言, 问卷) before
//     any handler parses them (desk.MaxFormBytes);
//   - it counts website visits (网站访问量): a portal page that was served
//     successfully to a browser adds one to the day's counter of its page
//     group (desk.PageGroup), with one upsert that any number of instances
//     can run side by side. Nothing about the visitor is kept: no address,
//     no cookie, no identifier; crawlers are not counted.
func (s *Server) deskMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/interact/") {
			r.Body = http.MaxBytesReader(w, r.Body, desk.MaxFormBytes)
		}
		group := ""
		if r.Method == http.MethodGet {
			group = desk.PageGroup(r.URL.Path)
		}
		if group == "" || desk.IsBot(r.UserAgent()) {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if sw.status != http.StatusOK {
			return
		}
		site, ok := s.siteUnit(r)
		if !ok {
			return
		}
		if err := s.DB.CountVisit(r.Context(), site.ID, desk.Day(time.Now()), group, 1); err != nil {
			s.Log.Warn("count visit", "err", err)
		}
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
