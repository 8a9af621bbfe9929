package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/search"
)

// The portal side of proactive disclosure. Every handler here reads
// published information only through s.pub(), the publish.Public read path;
// none touches the items' own tables.

// pub is the portal's read path.
func (s *Server) pub() publish.Public { return s.DB.Public() }

// catalogue is a unit's catalogue as the portal uses it.
type catalogue struct {
	list   []publish.Category
	counts map[int64]int
	byID   map[int64]publish.Category
	bySlug map[string]publish.Category
}

// loadCatalogue reads the catalogue with the number of visible items in
// each category; catalogueOnly without them (cheaper, for pages that show
// no counts).
func (s *Server) loadCatalogue(ctx context.Context, unitID int64) (*catalogue, error) {
	cats, counts, err := s.pub().Categories(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return newCatalogue(cats, counts), nil
}

func (s *Server) catalogueOnly(ctx context.Context, unitID int64) (*catalogue, error) {
	cats, err := s.pub().Catalogue(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return newCatalogue(cats, map[int64]int{}), nil
}

func newCatalogue(cats []publish.Category, counts map[int64]int) *catalogue {
	c := &catalogue{list: cats, counts: counts, byID: map[int64]publish.Category{}, bySlug: map[string]publish.Category{}}
	for _, x := range cats {
		c.byID[x.ID] = x
		c.bySlug[x.Slug] = x
	}
	return c
}

// subtree returns the ids of a category and every category below it.
func (c *catalogue) subtree(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, x := range c.list {
			if x.ParentID == out[i] {
				out = append(out, x.ID)
			}
		}
	}
	return out
}

// total counts the visible items of a category and its subcategories.
func (c *catalogue) total(id int64) int {
	n := 0
	for _, x := range c.subtree(id) {
		n += c.counts[x]
	}
	return n
}

func (c *catalogue) depth(x publish.Category) int {
	d := 0
	for x.ParentID != 0 && d < 10 {
		x = c.byID[x.ParentID]
		d++
	}
	return d
}

// path returns the category's ancestors and itself, top first.
func (c *catalogue) path(id int64) []publish.Category {
	var out []publish.Category
	for x, ok := c.byID[id]; ok && len(out) < 10; x, ok = c.byID[x.ParentID] {
		out = append([]publish.Category{x}, out...)
	}
	return out
}

func (c *catalogue) inColumn(col string) []int64 {
	var ids []int64
	for _, x := range c.list {
		if x.Column == col {
			ids = append(ids, c.subtree(x.ID)...)
		}
	}
	return ids
}

// CatNode is a category placed in the tree, with its count.
type CatNode struct {
	Cat   publish.Category
	Depth int
	Count int
}

func (c *catalogue) nodes(filter func(publish.Category) bool) []CatNode {
	var out []CatNode
	for _, x := range c.list {
		if filter == nil || filter(x) {
			out = append(out, CatNode{Cat: x, Depth: c.depth(x), Count: c.total(x.ID)})
		}
	}
	return out
}

// ItemLine is an item in a portal list.
type ItemLine struct {
	publish.PublicItem
	Category string
}

func (c *catalogue) lines(items []publish.PublicItem) []ItemLine {
	out := make([]ItemLine, len(items))
	for i, it := range items {
		out[i] = ItemLine{PublicItem: it, Category: c.byID[it.CategoryID].Name}
	}
	return out
}

// Pager is the data of the pagination links.
type Pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func pager(r *http.Request, page, pages, total int) Pager {
	p := Pager{Page: page, Pages: pages, Total: total}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

func queryInt(r *http.Request, key string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(key))
	return n
}

// maxPage bounds every page number a URL can ask for, so that the offset
// (page − 1) × per page never overflows; no list has that many pages, and
// a page past the last is shown empty.
const maxPage = 100_000

// pageParam is the page a URL asks for, from 1 to maxPage.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxPage)
}

// publishHome is the home page's part: the newest items and the search box.
func (s *Server) publishHome(r *http.Request, site org.Unit, ready bool) map[string]any {
	if !ready {
		return nil
	}
	ctx := r.Context()
	cat, err := s.loadCatalogue(ctx, site.ID)
	if err != nil {
		s.Log.Error("home: catalogue", "err", err)
		return nil
	}
	page, err := s.pub().List(ctx, publish.ListQuery{UnitID: site.ID, PerPage: 12})
	if err != nil {
		s.Log.Error("home: recent items", "err", err)
		return nil
	}
	return map[string]any{
		"Recent": cat.lines(page.Items),
		"Report": cat.nodes(func(c publish.Category) bool {
			return c.InReport || c.Slug == "guides" || c.Slug == "policy-guides" || c.Slug == "interpretation"
		}),
	}
}

// pubColumn serves 信息公开指南, 信息公开制度 and 政府信息公开年报: the items of
// the categories placed on that column. The guide's newest item is shown
// in full.
func (s *Server) pubColumn(col string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, _ := columnBySlug(col)
		p := s.page(w, r, c.Title)
		p.Crumbs = []Crumb{{"政府信息公开", "/"}, {c.Title, ""}}
		data := map[string]any{"Column": c}
		if p.SiteReady {
			cat, err := s.catalogueOnly(r.Context(), p.Site.ID)
			if err != nil {
				return err
			}
			if ids := cat.inColumn(col); len(ids) > 0 {
				page, err := s.pub().List(r.Context(), publish.ListQuery{UnitID: p.Site.ID, CategoryIDs: ids, Page: pageParam(r), PerPage: 30})
				if err != nil {
					return err
				}
				data["Items"] = cat.lines(page.Items)
				data["Pager"] = pager(r, page.Page, page.Pages(), page.Total)
				if col == "guide" && len(page.Items) > 0 && page.Page == 1 {
					it, err := s.pub().Item(r.Context(), p.Site.ID, page.Items[0].ID)
					if err != nil {
						return err
					}
					data["Lead"] = s.itemView(cat, it)
				}
			}
		}
		p.Data = data
		return s.render(w, "portal/publish_column", p)
	}
}

// pubStatutory serves 法定主动公开内容: the fifteen items of 条例第二十条.
func (s *Server) pubStatutory(w http.ResponseWriter, r *http.Request) error {
	c, _ := columnBySlug("statutory")
	p := s.page(w, r, c.Title)
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {c.Title, ""}}
	data := map[string]any{"Column": c}
	if p.SiteReady {
		cat, err := s.loadCatalogue(r.Context(), p.Site.ID)
		if err != nil {
			return err
		}
		data["Nodes"] = cat.nodes(func(x publish.Category) bool { return x.Article != "" })
	}
	p.Data = data
	return s.render(w, "portal/publish_statutory", p)
}

// pubCatalog serves 主动公开目录: the catalogue tree with counts.
func (s *Server) pubCatalog(w http.ResponseWriter, r *http.Request) error {
	c, _ := columnBySlug("catalog")
	p := s.page(w, r, c.Title)
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {c.Title, ""}}
	data := map[string]any{"Column": c}
	if p.SiteReady {
		cat, err := s.loadCatalogue(r.Context(), p.Site.ID)
		if err != nil {
			return err
		}
		data["Nodes"] = cat.nodes(nil)
	}
	p.Data = data
	return s.render(w, "portal/publish_catalog", p)
}

func yearsBack(n int) []int {
	y := time.Now().In(shanghai).Year()
	out := make([]int, n)
	for i := range out {
		out[i] = y - i
	}
	return out
}

// pubCategory lists the items of a category and its subcategories.
func (s *Server) pubCategory(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "主动公开目录")
	if !p.SiteReady {
		return errNotFoundPage
	}
	cat, err := s.loadCatalogue(r.Context(), p.Site.ID)
	if err != nil {
		return err
	}
	c, ok := cat.bySlug[r.PathValue("slug")]
	if !ok {
		return errs.E(errs.NotFound, "目录类别不存在")
	}
	year := queryInt(r, "year")
	page, err := s.pub().List(r.Context(), publish.ListQuery{UnitID: p.Site.ID, CategoryIDs: cat.subtree(c.ID), Year: year, Page: pageParam(r), PerPage: 20})
	if err != nil {
		return err
	}
	p.Title = c.Name
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {"主动公开目录", "/column/catalog"}}
	for _, a := range cat.path(c.ID) {
		href := "/catalog/" + a.Slug
		if a.ID == c.ID {
			href = ""
		}
		p.Crumbs = append(p.Crumbs, Crumb{a.Name, href})
	}
	var children []CatNode
	for _, x := range cat.list {
		if x.ParentID == c.ID {
			children = append(children, CatNode{Cat: x, Count: cat.total(x.ID)})
		}
	}
	p.Values = map[string]string{"year": r.URL.Query().Get("year")}
	p.Data = map[string]any{"Cat": c, "Children": children, "Items": cat.lines(page.Items), "Pager": pager(r, page.Page, page.Pages(), page.Total),
		"Years": yearsBack(6), "Year": year, "Decisions": c.Slug == "shuanggongshi" || c.Slug == "art20-5" || c.Slug == "art20-6"}
	return s.render(w, "portal/publish_category", p)
}

// AttachmentView is an attachment link.
type AttachmentView struct {
	publish.PublicAttachment
	URL  string
	Size string
	Ext  string
}

// ItemView is an item page.
type ItemView struct {
	publish.PublicItem
	Body        template.HTML
	Category    publish.Category
	Attachments []AttachmentView
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

func fileURL(id int64, name string) string {
	return "/files/" + strconv.FormatInt(id, 10) + "/" + url.PathEscape(name)
}

func (s *Server) itemView(cat *catalogue, it publish.PublicItem) ItemView {
	// The body was sanitised (publish.Sanitize) when it was saved.
	v := ItemView{PublicItem: it, Body: template.HTML(it.Body), Category: cat.byID[it.CategoryID]}
	for _, a := range it.Attachments {
		ext := strings.ToUpper(strings.TrimPrefix(strings.ToLower(a.Name[strings.LastIndex(a.Name, ".")+1:]), "."))
		v.Attachments = append(v.Attachments, AttachmentView{PublicAttachment: a, URL: fileURL(a.ID, a.Name), Size: humanSize(a.Size), Ext: ext})
	}
	return v
}

// pubItem shows one item: 文号, 发布日期 and 来源 on top, the body, the
// attachments, and the links to interpretations.
func (s *Server) pubItem(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "信息")
	id, err := pathID(r)
	if err != nil || !p.SiteReady {
		return errs.E(errs.NotFound, "信息不存在或未公开")
	}
	it, err := s.pub().Item(r.Context(), p.Site.ID, id)
	if err != nil {
		return err
	}
	cat, err := s.catalogueOnly(r.Context(), p.Site.ID)
	if err != nil {
		return err
	}
	p.Title = it.Title
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {"主动公开目录", "/column/catalog"}}
	for _, a := range cat.path(it.CategoryID) {
		p.Crumbs = append(p.Crumbs, Crumb{a.Name, "/catalog/" + a.Slug})
	}
	p.Crumbs = append(p.Crumbs, Crumb{"正文", ""})
	p.Data = map[string]any{"Item": s.itemView(cat, it)}
	return s.render(w, "portal/publish_item", p)
}

// pubFile serves a published attachment as a download.
func (s *Server) pubFile(w http.ResponseWriter, r *http.Request) error {
	site, ready := s.siteUnit(r)
	id, err := pathID(r)
	if err != nil || !ready {
		return errs.E(errs.NotFound, "附件不存在或未公开")
	}
	a, data, err := s.pub().Attachment(r.Context(), site.ID, id)
	if err != nil {
		return err
	}
	serveFile(w, a.Name, a.Type, data)
	return nil
}

func serveFile(w http.ResponseWriter, name, typ string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	// Always a download: an uploaded HTML file is never rendered as a page of this site.
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Cache-Control", "no-cache")
	w.Write(data)
}

// HitView is a search result with its highlighted title and snippet.
type HitView struct {
	publish.PublicItem
	Title    template.HTML
	Snippet  template.HTML
	Category string
}

// pubSearch is the full-text search over published items.
func (s *Server) pubSearch(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "站内搜索")
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {"站内搜索", ""}}
	q := r.URL.Query()
	p.Values = map[string]string{"q": q.Get("q"), "category": q.Get("category"), "year": q.Get("year"), "dept": q.Get("dept")}
	data := map[string]any{"Years": yearsBack(6)}
	p.Data = data
	if !p.SiteReady {
		return s.render(w, "portal/publish_search", p)
	}
	cat, err := s.catalogueOnly(r.Context(), p.Site.ID)
	if err != nil {
		return err
	}
	depts, err := s.pub().Departments(r.Context(), p.Site.ID)
	if err != nil {
		return err
	}
	data["Nodes"], data["Departments"] = cat.nodes(nil), depts
	query := search.Parse(q.Get("q"))
	if strings.TrimSpace(q.Get("q")) == "" {
		return s.render(w, "portal/publish_search", p)
	}
	if query.Empty() {
		data["Message"] = "请输入要查找的汉字、字母或数字。"
		return s.render(w, "portal/publish_search", p)
	}
	lq := publish.ListQuery{UnitID: p.Site.ID, Year: queryInt(r, "year"), Page: pageParam(r), PerPage: 20}
	if c, ok := cat.bySlug[q.Get("category")]; ok {
		lq.CategoryIDs = cat.subtree(c.ID)
	}
	if d, err := strconv.ParseInt(q.Get("dept"), 10, 64); err == nil {
		lq.DepartmentID = d
	}
	res, err := s.pub().Search(r.Context(), publish.SearchQuery{ListQuery: lq, Query: query})
	if err != nil {
		return err
	}
	var hits []HitView
	for _, h := range res.Hits {
		// Title and Snippet are escaped by search.Query.Highlight, with only
		// <mark> added.
		hits = append(hits, HitView{PublicItem: h.Item, Title: template.HTML(h.Title), Snippet: template.HTML(h.Snippet), Category: cat.byID[h.Item.CategoryID].Name})
	}
	data["Searched"], data["Hits"], data["Total"], data["More"] = true, hits, res.Total, res.More
	data["Terms"] = query.String()
	data["Pager"] = pager(r, res.Page, res.Pages(), res.Total)
	return s.render(w, "portal/publish_search", p)
}

// DecisionLine is a decision as the portal lists it.
type DecisionLine struct {
	publish.Decision
	Name string
}

// pubDecisions lists the decisions published for 行政执法“双公示”.
func (s *Server) pubDecisions(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "行政许可和行政处罚等信用信息公示（双公示）")
	p.Crumbs = []Crumb{{"政府信息公开", "/"}, {"法定主动公开内容", "/column/statutory"}, {"双公示", ""}}
	q := r.URL.Query()
	p.Values = map[string]string{"kind": q.Get("kind"), "year": q.Get("year"), "q": q.Get("q")}
	data := map[string]any{"Kinds": publish.DecisionKinds, "Years": yearsBack(6)}
	p.Data = data
	if !p.SiteReady {
		return s.render(w, "portal/publish_decisions", p)
	}
	kind, _ := publish.ParseDecisionKind(q.Get("kind"))
	page, err := s.pub().Decisions(r.Context(), publish.DecisionQuery{UnitID: p.Site.ID, Kind: kind, Year: queryInt(r, "year"), Text: q.Get("q"), Page: pageParam(r), PerPage: 50})
	if err != nil {
		return err
	}
	var lines []DecisionLine
	for _, d := range page.Decisions {
		lines = append(lines, DecisionLine{Decision: d, Name: d.PublicSubject()})
	}
	data["Decisions"], data["Pager"] = lines, pager(r, page.Page, page.Pages(), page.Total)
	return s.render(w, "portal/publish_decisions", p)
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Link      atomLink   `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Summary   string     `xml:"summary,omitempty"`
	Category  *atomCat   `xml:"category,omitempty"`
	Author    atomAuthor `xml:"author"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// pubFeed serves an Atom feed of the newest items, of one category (with
// its subcategories) or of the whole site.
func (s *Server) pubFeed(w http.ResponseWriter, r *http.Request) error {
	site, ready := s.siteUnit(r)
	if !ready {
		return errNotFoundPage
	}
	cat, err := s.catalogueOnly(r.Context(), site.ID)
	if err != nil {
		return err
	}
	base := baseURL(r)
	q := publish.ListQuery{UnitID: site.ID, PerPage: 30}
	feed := atomFeed{Title: site.Name + "政府信息公开", ID: base + "/atom.xml", Author: atomAuthor{site.Name},
		Links: []atomLink{{Rel: "self", Href: base + r.URL.Path}, {Rel: "alternate", Href: base + "/"}}}
	if slug := r.PathValue("slug"); slug != "" {
		c, ok := cat.bySlug[slug]
		if !ok {
			return errs.E(errs.NotFound, "目录类别不存在")
		}
		q.CategoryIDs = cat.subtree(c.ID)
		feed.Title = site.Name + " · " + c.Name
		feed.ID = base + "/catalog/" + c.Slug
		feed.Links[1].Href = base + "/catalog/" + c.Slug
	}
	page, err := s.pub().List(r.Context(), q)
	if err != nil {
		return err
	}
	// An empty feed is dated by the site's newest item (the same on
	// every request until something is published), never a made-up date.
	var updated time.Time
	if len(page.Items) == 0 {
		if all, err := s.pub().List(r.Context(), publish.ListQuery{UnitID: site.ID, PerPage: 1}); err == nil && len(all.Items) > 0 {
			updated = all.Items[0].UpdatedAt
		} else {
			y, m, d := time.Now().In(shanghai).Date()
			updated = time.Date(y, m, d, 0, 0, 0, 0, shanghai)
		}
	}
	for _, it := range page.Items {
		link := base + "/items/" + strconv.FormatInt(it.ID, 10)
		e := atomEntry{Title: it.Title, ID: link, Link: atomLink{Href: link}, Published: it.PublishedAt.Format(time.RFC3339),
			Updated: it.UpdatedAt.Format(time.RFC3339), Author: atomAuthor{site.Name + " " + it.Department}}
		if it.DocNo != "" {
			e.Summary = it.DocNo
		}
		if c, ok := cat.byID[it.CategoryID]; ok {
			e.Category = &atomCat{Term: c.Name}
		}
		if it.UpdatedAt.After(updated) {
			updated = it.UpdatedAt
		}
		feed.Entries = append(feed.Entries, e)
	}
	feed.Updated = updated.Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(feed)
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// pubSitemap lists the portal's pages: home, columns, categories and every
// live item (at most 50,000 URLs, the protocol's limit).
func (s *Server) pubSitemap(w http.ResponseWriter, r *http.Request) error {
	base := baseURL(r)
	set := urlset{URLs: []sitemapURL{{Loc: base + "/"}}}
	for _, c := range Columns {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + "/column/" + c.Slug})
	}
	for _, p := range []string{"/shuanggongshi", "/interact", "/rcep"} {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + p})
	}
	if site, ready := s.siteUnit(r); ready {
		cat, err := s.catalogueOnly(r.Context(), site.ID)
		if err != nil {
			return err
		}
		for _, c := range cat.list {
			set.URLs = append(set.URLs, sitemapURL{Loc: base + "/catalog/" + c.Slug})
		}
		page, err := s.pub().List(r.Context(), publish.ListQuery{UnitID: site.ID, PerPage: 50000 - len(set.URLs)})
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			set.URLs = append(set.URLs, sitemapURL{Loc: base + "/items/" + strconv.FormatInt(it.ID, 10), LastMod: it.UpdatedAt.In(shanghai).Format("2006-01-02")})
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(set)
}
