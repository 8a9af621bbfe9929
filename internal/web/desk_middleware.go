package web

import (
	"net/http"
	"strings"

	"gongkai/internal/desk"
)

// deskMiddleware does two things for the desk, around everything else:
//
//   - it caps the size of the portal's public forms (咨询, 留言, 问卷) before
//     any handler parses them (desk.MaxFormBytes);
//   - it counts website visits (网站访问量): a portal page that was served
//     successfully to a browser adds one to the day's count of its page
//     group (desk.PageGroup), kept in memory and added to the database in
//     batches (FlushVisits: every few seconds and at shutdown), with
//     upserts that any number of instances can run side by side — off the
//     page's path, so that a cached page costs no write. Nothing about the visitor is kept: no address,
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
		// A revalidated page (304) is a view as much as one sent again.
		if sw.status == http.StatusOK || sw.status == http.StatusNotModified {
			s.countVisit(r, group)
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
