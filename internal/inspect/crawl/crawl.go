package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"gongkai/internal/inspect"
)

// UserAgent names the inspector to the sites it reads; it says it is a
// crawler, so the own portal does not count its pages as visits (网站访问量).
const UserAgent = "gongkai-inspect-crawler/1.0 (government site inspection)"

// maxBody bounds what is read of one page; maxProbe of a link checked.
const (
	maxBody  = 4 << 20
	maxProbe = 64 << 10
	// maxRetries is how often a 429 is waited out before the link is left
	// unknown; maxWait the longest Retry-After honoured.
	maxRetries = 2
	maxWait    = 2 * time.Minute
)

// Crawler reads sites for the inspection (inspect.Crawler).
type Crawler struct {
	// Site carries requests to the start page's host: the network (nil:
	// a guarded transport) or, for the own portal, its handler in-process
	// (Handler), which is not rate-limited.
	Site   http.RoundTripper
	Local  bool // Site is in-process: no rate limit, no guard
	Remote http.RoundTripper
	// Guard checks every address dialled; nil: PublicOnly unless the
	// bounds allow private addresses.
	Guard Guard
	// Now and Sleep are the clock (tests replace them).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

var _ inspect.Crawler = (*Crawler)(nil)

func (c *Crawler) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Crawler) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Crawler) guard(b inspect.Bounds) Guard {
	if c.Guard != nil {
		return c.Guard
	}
	if b.AllowPrivate {
		return nil
	}
	return PublicOnly
}

// client makes an HTTP client over rt that sends no cookies and checks
// each redirect's target (its scheme here; its address at dial time).
func client(rt http.RoundTripper, timeout time.Duration) *http.Client {
	return &http.Client{Transport: rt, Timeout: timeout, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("重定向次数过多")
		}
		if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
			return fmt.Errorf("重定向到不支持的地址 %s", r.URL.Redacted())
		}
		return nil
	}}
}

type job struct {
	url   *url.URL
	depth int
	read  bool // read the page (not only check that it opens)
}

type entry struct {
	link  inspect.Link
	refs  int
	done  bool
	queue bool
}

// run is one crawl's state.
type run struct {
	c        *Crawler
	req      inspect.CrawlRequest
	b        inspect.Bounds
	start    *url.URL
	site     *http.Client
	remote   *http.Client
	links    map[string]*entry
	order    []string
	queue    []job
	pages    int
	requests int
	external int
	next     map[string]time.Time // per host: earliest next request
	deadline time.Time
	reasons  []string
	deep     int // pages not read past the depth bound
}

// Crawl reads the site from req.Start, then req.Seeds, checking every link
// met and every link of req.Check, within req.Bounds.
func (c *Crawler) Crawl(ctx context.Context, req inspect.CrawlRequest) inspect.CrawlReport {
	var rep inspect.CrawlReport
	start, err := ParseURL(req.Start)
	if err != nil {
		rep.StartError = err.Error()
		return rep
	}
	b := req.Bounds
	if b.PageTimeout <= 0 {
		b.PageTimeout = 15 * time.Second
	}
	r := &run{c: c, req: req, b: b, start: start, links: map[string]*entry{}, next: map[string]time.Time{}}
	if b.Timeout > 0 {
		r.deadline = c.now().Add(b.Timeout)
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.Timeout+b.PageTimeout)
		defer cancel()
	}
	g := c.guard(b)
	remote := c.Remote
	if remote == nil {
		remote = NewTransport(g, b.PageTimeout)
	}
	site := c.Site
	if site == nil {
		site = remote
	}
	r.site, r.remote = client(site, b.PageTimeout), client(remote, b.PageTimeout)

	// The start page decides whether there is a site to inspect.
	st := r.fetch(ctx, start, true)
	r.requests++
	if st.err != "" || st.status >= 400 {
		rep.StartError = st.err
		if rep.StartError == "" {
			rep.StartError = fmt.Sprintf("首页返回 HTTP %d", st.status)
		}
		rep.Requests = r.requests
		return rep
	}
	r.record(normal(start), inspect.PageLink, st, "")
	r.pages++
	r.page(start, 0, st)
	for _, s := range req.Seeds {
		if u, err := start.Parse(s); err == nil {
			r.enqueue(u, 1, "", true)
		}
	}
	for _, ref := range req.Check {
		u, err := start.Parse(ref.URL)
		if err != nil {
			r.record(ref.URL, inspect.PageLink, fetched{err: "链接地址格式不正确"}, ref.From)
			r.attach(ref)
			continue
		}
		r.enqueue(u, r.b.MaxDepth+1, ref.From, false)
		r.attach(ref)
	}
	r.drain(ctx)
	for _, k := range r.order {
		e := r.links[k]
		if !e.done {
			e.link.State, e.link.Error = inspect.LinkUnknown, "未检查"
		}
		rep.Links = append(rep.Links, e.link)
	}
	if r.deep > 0 {
		r.stop(fmt.Sprintf("链接深度超过 %d 层的 %d 个页面未读取", b.MaxDepth, r.deep))
	}
	rep.Pages, rep.Requests, rep.Reasons = r.pages, r.requests, r.reasons
	return rep
}

// attach gives a link checked for an item its item and people.
func (r *run) attach(ref inspect.LinkRef) {
	u, err := r.start.Parse(ref.URL)
	key := ref.URL
	if err == nil {
		key = normal(u)
	}
	if e, ok := r.links[key]; ok && e.link.ItemID == 0 {
		e.link.ItemID, e.link.DepartmentID, e.link.StaffID, e.link.StaffName = ref.ItemID, ref.DepartmentID, ref.StaffID, ref.StaffName
	}
}

func (r *run) stop(why string) {
	for _, x := range r.reasons {
		if x == why {
			return
		}
	}
	r.reasons = append(r.reasons, why)
}

// normal is the form of an address links are matched by: no fragment.
func normal(u *url.URL) string {
	v := *u
	v.Fragment = ""
	if v.Path == "" {
		v.Path = "/"
	}
	return v.String()
}

func (r *run) internal(u *url.URL) bool { return strings.EqualFold(u.Host, r.start.Host) }

// enqueue notes a link found on from; read says it is a page to read.
func (r *run) enqueue(u *url.URL, depth int, from string, read bool) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return
	}
	key := normal(u)
	e, ok := r.links[key]
	if !ok {
		kind := inspect.PageLink
		if !r.internal(u) {
			kind = inspect.ExternalLink
		} else if attachmentExt[strings.ToLower(path.Ext(u.Path))] {
			kind = inspect.AttachmentLink
		}
		e = &entry{link: inspect.Link{URL: key, Kind: kind}}
		r.links[key] = e
		r.order = append(r.order, key)
	}
	if from != "" && len(e.link.Referrers) < 5 && !contains(e.link.Referrers, from) {
		e.link.Referrers = append(e.link.Referrers, from)
	}
	e.refs++
	if e.queue {
		return
	}
	if r.internal(u) && r.req.Known != nil {
		if st, ok := r.req.Known(u.RequestURI()); ok {
			e.link.State, e.done, e.queue = st, true, true
			if st == inspect.LinkBroken {
				e.link.Status = http.StatusNotFound
			}
			return
		}
	}
	e.queue = true
	r.queue = append(r.queue, job{url: u, depth: depth, read: read})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// drain works through the queue in order (breadth first).
func (r *run) drain(ctx context.Context) {
	for len(r.queue) > 0 {
		j := r.queue[0]
		r.queue = r.queue[1:]
		if ctx.Err() != nil || (!r.deadline.IsZero() && !r.c.now().Before(r.deadline)) {
			r.stop(fmt.Sprintf("检查时间达到 %d 分钟上限，已停止（已读取 %d 个页面）", int(r.b.Timeout/time.Minute), r.pages))
			return
		}
		key := normal(j.url)
		e := r.links[key]
		readIt := j.read && r.internal(j.url) && e.link.Kind == inspect.PageLink
		if readIt && j.depth > r.b.MaxDepth {
			readIt = false
			r.deep++
		}
		if readIt && r.pages >= r.b.MaxPages {
			r.stop(fmt.Sprintf("页面数达到 %d 页上限，其余页面未检查", r.b.MaxPages))
			continue
		}
		if e.link.Kind == inspect.ExternalLink {
			if r.external >= r.b.MaxExternal {
				r.stop(fmt.Sprintf("外部链接达到 %d 个上限，其余外部链接未检查", r.b.MaxExternal))
				continue
			}
			r.external++
		}
		st := r.fetch(ctx, j.url, readIt)
		if st.unknown {
			e.link.State, e.link.Status, e.link.Error, e.done = inspect.LinkUnknown, st.status, st.err, true
			continue
		}
		kind := e.link.Kind
		if kind == inspect.PageLink && st.attachment {
			kind = inspect.AttachmentLink
		}
		e.link.Kind = kind
		r.record(key, kind, st, "")
		if readIt && st.html && st.status < 400 && st.final != nil && r.internal(st.final) {
			// A redirect to a page met already is not read twice; the
			// page is read under its final address.
			at := j.url
			if fin := normal(st.final); fin != key {
				if e2, ok := r.links[fin]; ok && e2.queue {
					continue
				}
				r.record(fin, inspect.PageLink, st, "")
				at = st.final
			}
			r.pages++
			r.page(at, j.depth, st)
		}
	}
}

// record sets a link's outcome.
func (r *run) record(key string, kind inspect.LinkKind, st fetched, from string) {
	e, ok := r.links[key]
	if !ok {
		e = &entry{link: inspect.Link{URL: key, Kind: kind}}
		r.links[key] = e
		r.order = append(r.order, key)
	}
	if from != "" && !contains(e.link.Referrers, from) {
		e.link.Referrers = append(e.link.Referrers, from)
	}
	e.done, e.queue = true, true
	e.link.Status, e.link.Error = st.status, st.err
	if st.err != "" || st.status >= 400 {
		e.link.State = inspect.LinkBroken
	} else {
		e.link.State = inspect.LinkOK
	}
}

// page hands a read page to the checks and queues its links.
func (r *run) page(u *url.URL, depth int, st fetched) {
	p := analyse(st.body)
	if r.req.Visit != nil {
		r.req.Visit(inspect.Page{URL: u.String(), Depth: depth, Status: st.status, Title: strings.TrimSpace(p.title), Column: p.column,
			Article: p.article, PubDate: p.pubDate, Dates: p.dates, Text: p.text})
	}
	base := u
	if st.final != nil {
		base = st.final
	}
	for _, h := range p.links {
		t, err := base.Parse(h)
		if err != nil {
			continue
		}
		if r.b.SameHost && !r.internal(t) {
			r.enqueue(t, depth+1, u.String(), false)
			continue
		}
		r.enqueue(t, depth+1, u.String(), true)
	}
}

// fetched is one request's outcome.
type fetched struct {
	status     int
	err        string
	unknown    bool // 429 after the retries: the site would not say
	html       bool
	attachment bool
	body       []byte
	final      *url.URL
}

// wait keeps the rate for the host: at most b.Rate requests a second to
// the site, b.ExternalRate to each other host. The own portal in-process
// is not limited.
func (r *run) wait(ctx context.Context, u *url.URL) error {
	internal := r.internal(u)
	if internal && r.c.Local {
		return nil
	}
	rate := r.b.ExternalRate
	if internal {
		rate = r.b.Rate
	}
	if rate <= 0 {
		rate = 1
	}
	host := strings.ToLower(u.Host)
	now := r.c.now()
	if t, ok := r.next[host]; ok && t.After(now) {
		if err := r.c.sleep(ctx, t.Sub(now)); err != nil {
			return err
		}
		now = r.c.now()
	}
	r.next[host] = now.Add(time.Duration(float64(time.Second) / rate))
	return nil
}

// fetch GETs u (reading the page when read), honouring 429 and
// Retry-After.
func (r *run) fetch(ctx context.Context, u *url.URL, read bool) fetched {
	cl := r.remote
	if r.internal(u) {
		cl = r.site
	}
	for attempt := 0; ; attempt++ {
		if err := r.wait(ctx, u); err != nil {
			return fetched{unknown: true, err: "检查时间已到"}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return fetched{err: "链接地址格式不正确"}
		}
		req.Header.Set("User-Agent", UserAgent)
		req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		r.requests++
		resp, err := cl.Do(req)
		if err != nil {
			return fetched{err: describe(err, r.b.PageTimeout)}
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			resp.Body.Close()
			d, ok := retryAfter(resp.Header.Get("Retry-After"), r.c.now())
			if !ok {
				d = time.Duration(attempt+1) * 5 * time.Second
			}
			if attempt >= maxRetries || d > maxWait || (!r.deadline.IsZero() && r.c.now().Add(d).After(r.deadline)) {
				return fetched{unknown: true, status: resp.StatusCode, err: "对方网站限制访问频率（HTTP 429），未能检查"}
			}
			if err := r.c.sleep(ctx, d); err != nil {
				return fetched{unknown: true, status: resp.StatusCode, err: "检查时间已到"}
			}
			r.next[strings.ToLower(u.Host)] = r.c.now()
			continue
		}
		f := fetched{status: resp.StatusCode, final: resp.Request.URL}
		ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		f.html = ct == "text/html" || ct == "application/xhtml+xml"
		cd := strings.ToLower(resp.Header.Get("Content-Disposition"))
		f.attachment = strings.HasPrefix(cd, "attachment") || (ct != "" && !f.html && !strings.HasPrefix(ct, "image/") && ct != "text/plain" && ct != "text/css" && !strings.Contains(ct, "javascript") && ct != "application/json" && ct != "application/xml" && ct != "text/xml" && ct != "application/atom+xml")
		limit := int64(maxProbe)
		if read && f.html {
			limit = maxBody
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
		resp.Body.Close()
		if err != nil && resp.StatusCode < 400 {
			return fetched{err: describe(err, r.b.PageTimeout), status: resp.StatusCode}
		}
		if read && f.html {
			f.body = body
		}
		return f
	}
}

// describe says in Chinese why a request failed.
func describe(err error, timeout time.Duration) string {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused.Error()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("%d 秒内未打开", int(timeout/time.Second))
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "域名无法解析（" + dnsErr.Name + "）"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return "无法连接服务器"
	}
	msg := err.Error()
	if strings.Contains(msg, "重定向") {
		if i := strings.Index(msg, "重定向"); i >= 0 {
			return msg[i:]
		}
	}
	if strings.Contains(msg, "certificate") || strings.Contains(msg, "tls") {
		return "HTTPS 证书无效"
	}
	return "无法打开"
}

// ParseURL reads the address of a site to inspect (inspect.ParseURL).
func ParseURL(s string) (*url.URL, error) { return inspect.ParseURL(s) }

// Probe opens a home page once, within timeout, for the availability
// indicator: it fails when the page does not open (an error, HTTP 400 or
// above, or no complete answer within the timeout).
func Probe(ctx context.Context, rt http.RoundTripper, raw string, timeout time.Duration, now func() time.Time) inspect.Probe {
	if now == nil {
		now = time.Now
	}
	p := inspect.Probe{At: now()}
	u, err := ParseURL(raw)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		p.Error = "网址格式不正确"
		return p
	}
	req.Header.Set("User-Agent", UserAgent)
	resp, err := client(rt, timeout).Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		p.Status = resp.StatusCode
	}
	p.Millis = int(time.Since(start) / time.Millisecond)
	switch {
	case err != nil:
		p.Error = describe(err, timeout)
	case p.Status >= 400:
		p.Error = fmt.Sprintf("HTTP %d", p.Status)
	default:
		p.OK = true
	}
	return p
}
