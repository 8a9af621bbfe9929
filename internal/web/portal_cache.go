package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gongkai/internal/desk"
	"gongkai/internal/org"
)

// The portal's public pages are served like static files. A page (home,
// the columns, catalogue, category lists, items, the published annual
// reports' pages, feeds, the sitemap) is
// rendered once and kept in memory, with its gzip form, a strong ETag (a
// hash of its bytes, so equal on every instance) and Last-Modified; a hit
// is answered from memory without touching the database, a conditional
// request with 304, and Cache-Control lets a CDN keep it for s-maxage.
//
// Freshness comes through the database: every change to a unit's public
// rows or catalogue moves the unit's generation in its write transaction
// (migrations 0080, 0081); a published annual report moves every unit's
// (0110). Each instance polls the generations every
// pollEvery, off the request path (Server.Start), and a page rendered at
// an older generation is a miss — so a publication, revision or withdrawal
// reaches every instance within a second. A scheduled publication or end
// caps the lifetime of the unit's pages at its time (store.NextPortalChange);
// maxAge caps everything else a page shows (the unit's name).
//
// Only anonymous requests use the cache: a request with a session or a
// flash message is rendered afresh. A page that set a cookie is never
// kept. Without Start (tests, one-off handlers) nothing is cached.
const (
	pollEvery       = 500 * time.Millisecond
	maxAge          = 10 * time.Minute
	maxCachedPages  = 20000
	maxCachedBytes  = 64 << 20
	defaultSMaxAge  = 60
	visitFlushEvery = 10 * time.Second
)

// cacheState is what the poller last read: per unit, its generation, when
// it moved, and an epoch bumped when a scheduled change comes due.
type cacheState struct {
	units map[int64]unitGen
	site  *siteMemo
}

type unitGen struct {
	gen, epoch int64
	changed    time.Time
	next       time.Time // the next scheduled change (zero: none)
}

type siteMemo struct {
	unit org.Unit
	ok   bool
}

// cachedPage is a rendered page.
type cachedPage struct {
	unitID     int64
	gen, epoch int64
	born       time.Time
	status     int
	ctype      string
	body, gz   []byte
	etag       string
	modified   time.Time
	control    string
}

type pageCache struct {
	state atomic.Pointer[cacheState]
	poll  sync.Mutex // one poll at a time
	mu    sync.RWMutex
	pages map[string]*cachedPage
	bytes int
}

func (c *pageCache) get(key string) *cachedPage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.pages[key]
}

func (c *pageCache) put(key string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.pages[key]; ok {
		c.bytes -= len(old.body) + len(old.gz)
	}
	for k, old := range c.pages { // random eviction when full
		if len(c.pages) < maxCachedPages && c.bytes+len(p.body)+len(p.gz) <= maxCachedBytes {
			break
		}
		c.bytes -= len(old.body) + len(old.gz)
		delete(c.pages, k)
	}
	c.pages[key] = p
	c.bytes += len(p.body) + len(p.gz)
}

// fresh reports whether a page is still what the database would render.
func (c *pageCache) fresh(p *cachedPage, st *cacheState, now time.Time) bool {
	g, ok := st.units[p.unitID]
	return ok && g.gen == p.gen && g.epoch == p.epoch && now.Sub(p.born) < maxAge
}

// Start runs the server's background work until ctx ends: the poll of the
// portal's generations (which turns the page cache on) and the flush of
// the visit counts. Close flushes what is left.
func (s *Server) Start(ctx context.Context) {
	if err := s.pollPortal(ctx); err != nil {
		s.Log.Warn("portal cache: poll", "err", err)
	}
	go func() {
		t := time.NewTicker(pollEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.pollPortal(ctx); err != nil && ctx.Err() == nil {
					s.Log.Warn("portal cache: poll", "err", err)
				}
			}
		}
	}()
	go func() {
		t := time.NewTicker(visitFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.FlushVisits(ctx)
			}
		}
	}()
}

// Close writes the visits counted since the last flush (at shutdown).
func (s *Server) Close(ctx context.Context) error { return s.FlushVisits(ctx) }

// refreshPortal polls at once, after a change made on this instance. A
// server that was never started (no poll yet) caches nothing and stays so.
func (s *Server) refreshPortal(ctx context.Context) {
	if s.cache.state.Load() == nil {
		return
	}
	if err := s.pollPortal(ctx); err != nil && ctx.Err() == nil {
		s.Log.Warn("portal cache: poll", "err", err)
	}
}

// pollBeforeWrite polls the generations once, before the first byte of
// a back-office POST's answer is written.
type pollBeforeWrite struct {
	http.ResponseWriter
	poll func()
	done bool
}

func (p *pollBeforeWrite) before() {
	if !p.done {
		p.done = true
		p.poll()
	}
}

func (p *pollBeforeWrite) WriteHeader(code int) { p.before(); p.ResponseWriter.WriteHeader(code) }

func (p *pollBeforeWrite) Write(b []byte) (int, error) { p.before(); return p.ResponseWriter.Write(b) }

func (p *pollBeforeWrite) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// pollPortal reads the generations and the site unit once; the ticker and
// a back-office POST may call it at the same time.
func (s *Server) pollPortal(ctx context.Context) error {
	s.cache.poll.Lock()
	defer s.cache.poll.Unlock()
	gens, err := s.DB.PortalGenerations(ctx)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	old := s.cache.state.Load()
	st := &cacheState{units: map[int64]unitGen{}}
	u, ok := s.loadSiteUnit(ctx)
	st.site = &siteMemo{unit: u, ok: ok}
	ids := map[int64]bool{}
	for id := range gens {
		ids[id] = true
	}
	if ok {
		ids[u.ID] = true
	}
	for id := range ids {
		g := unitGen{gen: gens[id][0]}
		if at := gens[id][1]; at > 0 {
			g.changed = time.Unix(at, 0).UTC()
		}
		var prev unitGen
		var had bool
		if old != nil {
			prev, had = old.units[id]
		}
		switch {
		case !had || prev.gen != g.gen:
			g.epoch = prev.epoch + 1
			if g.next, err = s.DB.NextPortalChange(ctx, id); err != nil {
				return err
			}
		case !prev.next.IsZero() && !now.Before(prev.next):
			// A scheduled change came due: the unit's pages are old.
			g.epoch = prev.epoch + 1
			if prev.next.After(g.changed) {
				g.changed = prev.next
			}
			if g.next, err = s.DB.NextPortalChange(ctx, id); err != nil {
				return err
			}
		default:
			g.epoch, g.next = prev.epoch, prev.next
			if prev.changed.After(g.changed) {
				g.changed = prev.changed
			}
		}
		st.units[id] = g
	}
	s.cache.state.Store(st)
	return nil
}

// cacheKind is how long a CDN may keep a page: an item page s-maxage, a
// listing page also stale-while-revalidate.
type cacheKind int

const (
	cacheItem cacheKind = iota
	cacheListing
)

// cached serves a public page through the page cache.
func (s *Server) cached(kind cacheKind, h handler) http.Handler {
	inner := s.public(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := s.cache.state.Load()
		if st == nil || !cacheable(r) {
			inner.ServeHTTP(w, r)
			return
		}
		key := r.Host + " " + r.URL.Path + "?" + r.URL.RawQuery
		now := s.DB.Now()
		if p := s.cache.get(key); p != nil && s.cache.fresh(p, st, now) {
			servePage(w, r, p)
			return
		}
		// A miss: render into memory, at the generation read before
		// rendering (a change meanwhile makes the page a miss next time).
		unit := st.site
		if unit == nil || !unit.ok {
			inner.ServeHTTP(w, r)
			return
		}
		g := st.units[unit.unit.ID]
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		inner.ServeHTTP(rec, r)
		if rec.status != http.StatusOK || len(rec.header.Values("Set-Cookie")) > 0 {
			rec.copyTo(w)
			return
		}
		p := &cachedPage{unitID: unit.unit.ID, gen: g.gen, epoch: g.epoch, born: now, status: rec.status,
			ctype: rec.header.Get("Content-Type"), body: rec.body.Bytes(), modified: g.changed}
		sum := sha256.Sum256(p.body)
		p.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(p.body)
		zw.Close()
		if gz.Len() < len(p.body) {
			p.gz = gz.Bytes()
		}
		p.control = "public, max-age=0, s-maxage=" + strconv.Itoa(s.sMaxAge())
		if kind == cacheListing {
			p.control += ", stale-while-revalidate=" + strconv.Itoa(s.sMaxAge())
		}
		s.cache.put(key, p)
		servePage(w, r, p)
	})
}

func (s *Server) sMaxAge() int {
	if s.Config.SMaxAge > 0 {
		return s.Config.SMaxAge
	}
	return defaultSMaxAge
}

// cacheable: an anonymous GET or HEAD with nothing personal to show.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, name := range []string{sessionCookie, flashCookie} {
		if _, err := r.Cookie(name); err == nil {
			return false
		}
	}
	return true
}

// servePage answers from a cached page: 304 to a matching conditional
// request, else the bytes (gzip when the client takes it) with their length.
func servePage(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	h.Set("ETag", p.etag)
	h.Set("Cache-Control", p.control)
	h.Set("Vary", "Accept-Encoding")
	if !p.modified.IsZero() {
		h.Set("Last-Modified", p.modified.UTC().Format(http.TimeFormat))
	}
	if notModified(r, p) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", p.ctype)
	body := p.body
	if p.gz != nil && acceptsGzip(r) {
		body = p.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func notModified(r *http.Request, p *cachedPage) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == p.etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !p.modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !p.modified.Truncate(time.Second).After(t) {
			return true
		}
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// recorder is a response kept in memory.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// ---- Visits -------------------------------------------------------------

// visitCounter counts the portal's page views in memory, per unit, day and
// page group; FlushVisits adds them to the database's counters in one
// batch (each an upsert that any number of instances can run), every
// visitFlushEvery and at shutdown. A page served from the cache counts as
// one rendered afresh.
type visitCounter struct {
	mu sync.Mutex
	n  map[visitKey]int64
}

type visitKey struct {
	unit       int64
	day, group string
}

func (c *visitCounter) add(unit int64, day, group string) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[visitKey]int64{}
	}
	c.n[visitKey{unit, day, group}]++
	c.mu.Unlock()
}

// FlushVisits writes the counted visits to the database; on failure they
// are kept for the next flush.
func (s *Server) FlushVisits(ctx context.Context) error {
	s.visits.mu.Lock()
	batch := s.visits.n
	s.visits.n = nil
	s.visits.mu.Unlock()
	var first error
	for k, n := range batch {
		if err := s.DB.CountVisit(ctx, k.unit, k.day, k.group, n); err != nil {
			s.Log.Warn("count visit", "err", err)
			if first == nil {
				first = err
			}
			s.visits.mu.Lock()
			if s.visits.n == nil {
				s.visits.n = map[visitKey]int64{}
			}
			s.visits.n[k] += n
			s.visits.mu.Unlock()
		}
	}
	return first
}

// countVisit counts a page view of a browser (desk.PageGroup decides which
// paths are pages, desk.IsBot which agents are crawlers).
func (s *Server) countVisit(r *http.Request, group string) {
	site, ok := s.siteUnit(r)
	if !ok {
		return
	}
	s.visits.add(site.ID, desk.Day(time.Now()), group)
}
