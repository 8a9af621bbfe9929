// Package web serves the public portal at / and the staff back office at
// /admin/ over the store. Handlers return errors; one function (serveError)
// turns an error into a response, mapping coded errors to HTTP statuses and
// showing only their public Chinese message.
//
// The server keeps no state of its own: sessions, CSRF tokens and login
// counters live in the database, and flash messages in a cookie, so any
// number of instances can serve one PostgreSQL. What it keeps in memory
// is a cache (portal_cache.go: rendered public pages, kept fresh through
// the database) and the visits counted since the last flush.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// Config holds the web layer's settings.
type Config struct {
	// Secret keys the hashing of client addresses for login throttling.
	// Instances that share a database should share it; when empty a random
	// one is made at start.
	Secret string
	// SecureCookies marks cookies Secure (behind HTTPS).
	SecureCookies bool
	// SiteUnit is the code of the unit whose portal this is; when empty the
	// "site_unit" setting, then the first root unit, is used.
	SiteUnit string
	// SMaxAge is how long (seconds) a CDN may keep a public page: at most
	// so long a withdrawn item stays in it. Zero means 60.
	SMaxAge int
	// Metrics, when set, counts requests (metrics.go); with MetricsToken
	// they are also served at /metrics to a request carrying the token.
	Metrics      *Metrics
	MetricsToken string
}

// Server is the HTTP front of gongkai.
type Server struct {
	DB     *store.DB
	Auth   *auth.Service
	Log    *slog.Logger
	Config Config
	// Calendar returns the working-day calendar in force (the statutory
	// data merged with the administrator's imports).
	Calendar func(ctx context.Context) (*calendar.Calendar, error)
	// Enquiries is what the back office's enquiry pages use (the desk's
	// interface; the store by default, a fake in tests).
	Enquiries desk.EnquiryStore
	// Steps is what the page recording an application's step uses (the
	// requests domain's interface; the store by default).
	Steps requests.StepStore

	tmpl   *templates
	cache  pageCache
	visits visitCounter
}

// New builds a server. It parses the templates once, at start.
func New(db *store.DB, a *auth.Service, log *slog.Logger, cfg Config) (*Server, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if cfg.Secret == "" {
		b := make([]byte, 16)
		rand.Read(b)
		cfg.Secret = hex.EncodeToString(b)
	}
	s := &Server{DB: db, Auth: a, Log: log, Config: cfg, tmpl: t, Enquiries: db, Steps: db}
	s.cache.pages = map[string]*cachedPage{}
	s.Calendar = func(ctx context.Context) (*calendar.Calendar, error) { return db.Calendar(ctx) }
	return s, nil
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticHandler()))
	mux.HandleFunc("GET /favicon.ico", s.favicon)
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /healthz", s.healthz)

	// Portal (public): read-only pages.
	mux.Handle("GET /{$}", s.cached(cacheListing, s.portalHome))
	mux.Handle("GET /column/{column}", s.public(s.portalColumn))
	mux.Handle("GET /display", s.public(s.displayMode))
	mux.HandleFunc("GET /display.css", s.displayCSS)

	// Back office.
	mux.Handle("GET /admin/login", s.public(s.loginForm))
	mux.Handle("POST /admin/login", s.public(s.loginSubmit))
	mux.Handle("POST /admin/logout", s.staff(s.logout))
	mux.Handle("GET /admin/{$}", s.staff(s.dashboard))
	mux.Handle("GET /admin/users", s.admin(s.userList))
	mux.Handle("GET /admin/users/new", s.admin(s.userNewForm))
	mux.Handle("POST /admin/users/new", s.admin(s.userCreate))
	mux.Handle("GET /admin/users/{id}", s.admin(s.userEdit))
	mux.Handle("POST /admin/users/{id}/roles", s.admin(s.userSetRoles))
	mux.Handle("POST /admin/users/{id}/disable", s.admin(s.userDisable))
	mux.Handle("POST /admin/users/{id}/password", s.admin(s.userResetPassword))
	mux.Handle("GET /admin/units", s.admin(s.unitList))
	mux.Handle("POST /admin/units", s.admin(s.unitCreate))
	mux.Handle("GET /admin/units/{id}", s.admin(s.unitView))
	mux.Handle("POST /admin/units/{id}/departments", s.admin(s.departmentCreate))
	mux.Handle("GET /admin/calendar", s.staff(s.calendarPage))
	mux.Handle("POST /admin/calendar/import", s.admin(s.calendarImport))
	mux.Handle("GET /admin/audit", s.admin(s.auditList))

	s.annualRoutes(mux)
	s.reportRoutes(mux)
	s.deskRoutes(mux)
	s.publishRoutes(mux)
	s.requestsRoutes(mux)
	s.redactRoutes(mux)
	s.rectifyRoutes(mux)
	s.inspectRoutes(mux)

	s.rcepRoutes(mux)
	mux.Handle("/", s.public(func(w http.ResponseWriter, r *http.Request) error { return errNotFoundPage }))

	if s.Config.Metrics != nil && s.Config.MetricsToken != "" {
		mux.Handle("GET /metrics", s.Config.Metrics.Handler(s.Config.MetricsToken))
	}
	var h http.Handler = s.Config.Metrics.instrument(mux)
	h = s.csrf(h)
	h = s.bodyLimit(h)
	h = s.deskMiddleware(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	h = s.recoverer(h)
	return h
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.DB.SchemaVersion(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// user is the logged-in staff member of a request, set by s.staff.
type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

func userOf(r *http.Request) *org.User {
	u, _ := r.Context().Value(userKey).(*org.User)
	return u
}

func sessionOf(r *http.Request) *auth.Session {
	s, _ := r.Context().Value(sessionKey).(*auth.Session)
	return s
}
