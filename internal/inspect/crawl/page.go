package crawl

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"

	"gongkai/internal/calendar"
)

// Handler is a transport that serves requests with an http.Handler in
// this process: the own portal is read through its real handler, with no
// network and no server.
func Handler(h http.Handler) http.RoundTripper { return handlerTransport{h} }

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := &recorder{header: http.Header{}, code: http.StatusOK}
	r2 := r.Clone(r.Context())
	if r2.Body == nil {
		r2.Body = http.NoBody
	}
	r2.RequestURI = r.URL.RequestURI()
	r2.RemoteAddr = "127.0.0.1:0"
	t.h.ServeHTTP(rec, r2)
	return &http.Response{
		Status: strconv.Itoa(rec.code) + " " + http.StatusText(rec.code), StatusCode: rec.code,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header, Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()), Request: r,
	}, nil
}

type recorder struct {
	header http.Header
	code   int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

// parsed is what a page's HTML gives.
type parsed struct {
	title, column, article string
	pubDate                calendar.Date
	links                  []string
	text                   string
	dates                  []calendar.Date
}

// analyse reads an HTML page: its title, the 《政府网站发展指引》 meta tags
// (ColumnName, ArticleTitle, PubDate), the targets of its links, images
// and frames, its visible text and the dates the text shows.
func analyse(body []byte) parsed {
	var p parsed
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	var text strings.Builder
	skip, inTitle := 0, false
	seen := map[string]bool{}
	add := func(h string) {
		h = strings.TrimSpace(h)
		low := strings.ToLower(h)
		if h == "" || strings.HasPrefix(h, "#") || strings.HasPrefix(low, "javascript:") || strings.HasPrefix(low, "mailto:") ||
			strings.HasPrefix(low, "tel:") || strings.HasPrefix(low, "data:") {
			return
		}
		if !seen[h] {
			seen[h] = true
			p.links = append(p.links, h)
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			p.text = strings.Join(strings.Fields(text.String()), " ")
			p.dates = datesIn(p.text)
			return p
		case xhtml.TextToken:
			if inTitle {
				p.title += string(z.Text())
			} else if skip == 0 {
				text.Write(z.Text())
				text.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template":
				if skip > 0 {
					skip--
				}
			case "title":
				inTitle = false
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, has := z.TagName()
			attrs := map[string]string{}
			for has {
				var k, v []byte
				k, v, has = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch string(name) {
			case "script", "style", "noscript", "template":
				if tt == xhtml.StartTagToken {
					skip++
				}
			case "title":
				inTitle = tt == xhtml.StartTagToken
			case "a", "area":
				add(attrs["href"])
			case "img", "iframe", "frame", "embed":
				add(attrs["src"])
			case "meta":
				switch strings.ToLower(attrs["name"]) {
				case "columnname":
					p.column = strings.TrimSpace(attrs["content"])
				case "articletitle":
					p.article = strings.TrimSpace(attrs["content"])
				case "pubdate":
					if ds := datesIn(attrs["content"]); len(ds) > 0 {
						p.pubDate = ds[0]
					}
				}
			}
		}
	}
}

var dateRE = regexp.MustCompile(`((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})`)

// datesIn finds the dates a text shows (2024-01-02, 2024/1/2, 2024.01.02,
// 2024年1月2日).
func datesIn(s string) []calendar.Date {
	var out []calendar.Date
	for _, m := range dateRE.FindAllStringSubmatch(s, 200) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if x, err := calendar.NewDate(y, time.Month(mo), d); err == nil {
			out = append(out, x)
		}
	}
	return out
}

// attachmentExt are the file types a link names as an attachment.
var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true, ".wps": true, ".et": true,
	".ofd": true, ".zip": true, ".rar": true, ".7z": true, ".txt": true, ".csv": true, ".rtf": true,
}
