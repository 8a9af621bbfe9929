package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gongkai/internal/calendar"
	"gongkai/internal/store"
)

// Metrics are an instance's operating figures in the Prometheus text
// format, so that operators can watch many instances: requests and their
// latencies by route group, background job runs and failures (this
// instance's), and, read from the database at each scrape, applications due
// soon and overdue (条例第三十三条), open inspection findings and the job
// queue. They are served off the public portal: on a listener of their own
// (serve --metrics-addr) or at /metrics behind a token (--metrics-token).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	jobRuns  *prometheus.CounterVec
	jobFails *prometheus.CounterVec
}

// NewMetrics registers the figures; today gives the date the statutory
// clock is read at.
func NewMetrics(db *store.DB, today func() calendar.Date) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gongkai_http_requests_total",
			Help: "HTTP requests served, by route group, method and status class."}, []string{"group", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gongkai_http_request_duration_seconds",
			Help: "Time to serve a request, by route group.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"group"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gongkai_job_runs_total",
			Help: "Background job runs by this instance, by kind."}, []string{"kind"}),
		jobFails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gongkai_job_failures_total",
			Help: "Background job runs by this instance that failed, by kind."}, []string{"kind"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.jobRuns, m.jobFails,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&opsCollector{db: db, today: today})
	return m
}

// JobDone counts one run of a background job.
func (m *Metrics) JobDone(kind string, err error) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(kind).Inc()
	if err != nil {
		m.jobFails.WithLabelValues(kind).Inc()
	}
}

// Handler serves the figures; with a token, only to a request that
// carries it (Authorization: Bearer TOKEN).
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "需要监控令牌", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// instrument wraps the router: it is the request the router is given
// that learns the matched pattern, so this wrapper sits right around it.
func (m *Metrics) instrument(mux http.Handler) http.Handler {
	if m == nil {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &metricsWriter{ResponseWriter: w, code: http.StatusOK}
		mux.ServeHTTP(sw, r)
		g := routeGroup(r.Pattern)
		m.requests.WithLabelValues(g, r.Method, strconv.Itoa(sw.code/100)+"xx").Inc()
		m.latency.WithLabelValues(g).Observe(time.Since(start).Seconds())
	})
}

// routeGroup names a route pattern's group: "home", "items", "admin/requests"…;
// the catch-all (pages not found) is "other". A bounded set: the route table's.
func routeGroup(pattern string) string {
	_, path, ok := strings.Cut(pattern, " ")
	if !ok {
		path = pattern
	}
	if path == "/{$}" {
		return "home"
	}
	var segs []string
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if s == "" || strings.HasPrefix(s, "{") {
			break
		}
		segs = append(segs, s)
		if len(segs) == 1 && s != "admin" {
			break
		}
		if len(segs) == 2 {
			break
		}
	}
	if len(segs) == 0 {
		return "other"
	}
	return strings.Join(segs, "/")
}

type metricsWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *metricsWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *metricsWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *metricsWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// opsCollector reads the figures kept in the database at each scrape.
type opsCollector struct {
	db    *store.DB
	today func() calendar.Date
}

var (
	dueDesc      = prometheus.NewDesc("gongkai_applications_due", "Open applications whose answer is due soon or overdue (条例第三十三条), by unit.", []string{"unit", "urgency"}, nil)
	findingsDesc = prometheus.NewDesc("gongkai_inspection_findings_open", "Open findings of the site inspection, by unit and level.", []string{"unit", "level"}, nil)
	jobsDesc     = prometheus.NewDesc("gongkai_jobs", "Jobs in the queue shared by all instances, by kind and state.", []string{"kind", "state"}, nil)
	upDesc       = prometheus.NewDesc("gongkai_database_up", "1 when the figures kept in the database could be read.", nil, nil)
)

func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- dueDesc
	ch <- findingsDesc
	ch <- jobsDesc
	ch <- upDesc
}

func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := c.db.Ops(ctx, c.today())
	if err != nil {
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 1)
	for unit, m := range f.Due {
		for _, u := range []string{"due_soon", "overdue"} {
			ch <- prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(m[u]), unit, u)
		}
	}
	emit := func(d *prometheus.Desc, mm map[string]map[string]int) {
		for a, m := range mm {
			for b, n := range m {
				ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(n), a, b)
			}
		}
	}
	emit(findingsDesc, f.Findings)
	emit(jobsDesc, f.Jobs)
}
