package web

import (
	"net/http"

	"gongkai/internal/errs"
)

// publishRoutes are the routes of proactive disclosure (主动公开, issue 5):
// the portal's catalogue, item pages, attachments, search, 双公示, feeds and
// sitemap — all read through publish.Public (s.pub()) — and the back
// office's work queue, item editor and workflow, catalogue, registers and
// statistics.
func (s *Server) publishRoutes(mux *http.ServeMux) {
	// Portal.
	mux.Handle("GET /column/guide", s.cached(cacheListing, s.pubColumn("guide")))
	mux.Handle("GET /column/rules", s.cached(cacheListing, s.pubColumn("rules")))
	mux.Handle("GET /column/reports", s.cached(cacheListing, s.portalReportsColumn))
	mux.Handle("GET /column/statutory", s.cached(cacheListing, s.pubStatutory))
	mux.Handle("GET /column/catalog", s.cached(cacheListing, s.pubCatalog))
	mux.Handle("GET /catalog/{slug}", s.cached(cacheListing, s.pubCategory))
	mux.Handle("GET /catalog/{slug}/atom.xml", s.cached(cacheListing, s.pubFeed))
	mux.Handle("GET /atom.xml", s.cached(cacheListing, s.pubFeed))
	mux.Handle("GET /items/{id}", s.cached(cacheItem, s.pubItem))
	mux.Handle("GET /files/{id}/{name}", s.public(s.pubFile))
	mux.Handle("GET /search", s.public(s.pubSearch))
	mux.Handle("GET /shuanggongshi", s.public(s.pubDecisions))
	mux.Handle("GET /sitemap.xml", s.cached(cacheListing, s.pubSitemap))

	// Back office.
	mux.Handle("GET /admin/publish", s.staff(s.pubQueue))
	mux.Handle("GET /admin/publish/items", s.staff(s.pubList))
	mux.Handle("GET /admin/publish/new", s.staff(s.pubNewForm))
	mux.Handle("POST /admin/publish/new", s.limitBody(maxItemUpload, s.staff(s.pubCreate)))
	mux.Handle("GET /admin/publish/items/{id}", s.staff(s.pubAdminItem))
	mux.Handle("GET /admin/publish/items/{id}/edit", s.staff(s.pubEditForm))
	mux.Handle("POST /admin/publish/items/{id}/edit", s.limitBody(maxItemUpload, s.staff(s.pubSave)))
	mux.Handle("POST /admin/publish/items/{id}/act", s.staff(s.pubAct))
	mux.Handle("GET /admin/publish/items/{id}/versions/{v}", s.staff(s.pubVersion))
	mux.Handle("GET /admin/publish/files/{id}", s.staff(s.pubStaffFile))
	mux.Handle("GET /admin/publish/catalogue", s.staff(s.pubCatalogue))
	mux.Handle("POST /admin/publish/catalogue", s.staff(s.pubCategoryCreate))
	mux.Handle("POST /admin/publish/catalogue/default", s.staff(s.pubCatalogueDefault))
	mux.Handle("GET /admin/publish/registers", s.staff(s.pubRegisters))
	mux.Handle("POST /admin/publish/decisions", s.staff(s.pubDecisionAdd))
	mux.Handle("POST /admin/publish/decisions/import", s.limitBody(maxDecisionUpload, s.staff(s.pubDecisionImport)))
	mux.Handle("POST /admin/publish/fees", s.staff(s.pubFeeAdd))
	mux.Handle("GET /admin/publish/stats", s.staff(s.pubStats))
}

// limitBody bounds a request body before any handler reads its form, and
// refuses a declared length over the bound with one clear sentence.
func (s *Server) limitBody(n int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			s.serveError(w, r, errs.E(errs.Invalid, "提交的内容过大（不超过 %d MB），请减少或压缩附件后重试", n>>20))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		h.ServeHTTP(w, r)
	})
}
