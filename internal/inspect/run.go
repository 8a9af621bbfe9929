package inspect

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// UnitConfig is what a unit sets for its own inspections: its unit settings
// (the columns' classes), its list of expressions and the columns that hold
// its 办事指南.
type UnitConfig struct {
	Settings    map[string]string
	Expressions []Expression
	GuideSlugs  []string
}

// GuideSlugsKey is the unit setting naming the categories of 办事指南 (slugs
// separated by commas; default "guides").
const GuideSlugsKey = "inspect.guide_categories"

// Sources is what an inspection reads from the store. The own portal is
// judged from the records the portal shows (the public read path's live
// rows), so that every item and every column is looked at, however many.
type Sources interface {
	// InspectSettings are the thresholds in force; an error says which
	// stored setting makes no sense.
	InspectSettings(ctx context.Context) (Settings, error)
	InspectUnitConfig(ctx context.Context, unitID int64) (UnitConfig, error)
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	// PortalColumns are the unit's catalogue as the portal shows it, each
	// leaf category with its class, its live items and its last update.
	PortalColumns(ctx context.Context, unitID int64, cfg UnitConfig) ([]Column, error)
	// EachPortalItem calls fn for every live item of the unit's portal.
	EachPortalItem(ctx context.Context, unitID int64, cfg UnitConfig, fn func(Item) error) error
	// PortalAttachments checks every attachment of a live item against
	// the stored file (present, of its recorded size and SHA-256).
	PortalAttachments(ctx context.Context, unitID int64) ([]Link, error)
	// PortalEnquiries are the unit's consultations and messages still open,
	// and those answered since.
	PortalEnquiries(ctx context.Context, unitID int64, since time.Time) ([]Enquiry, error)
	// MediaAccounts are the unit's new-media accounts with their last post
	// and their interaction channels.
	MediaAccounts(ctx context.Context, unitID int64) ([]Account, error)
	// Probes of an address since a time.
	Probes(ctx context.Context, url string, since time.Time) ([]Probe, error)
}

// Bounds limit a crawl.
type Bounds struct {
	MaxPages     int
	MaxDepth     int
	Timeout      time.Duration
	Rate         float64 // requests a second to the site
	ExternalRate float64 // requests a second to each other host
	MaxExternal  int
	PageTimeout  time.Duration
	SameHost     bool
	AllowPrivate bool
}

// BoundsOf are the crawl's bounds from the settings.
func BoundsOf(s Settings, allowPrivate bool) Bounds {
	return Bounds{MaxPages: s.MaxPages, MaxDepth: s.MaxDepth, Timeout: s.CrawlTimeout(), Rate: s.Rate, ExternalRate: s.ExternalRate,
		MaxExternal: s.MaxExternal, PageTimeout: time.Duration(s.PageTimeout) * time.Second, SameHost: s.SameHost, AllowPrivate: allowPrivate || s.AllowPrivate}
}

// LinkRef is a link to check that the records hold (an item's text), with
// the item it is on.
type LinkRef struct {
	URL  string
	From string // the page it is on
	// The item and who is responsible for it.
	ItemID                int64
	DepartmentID, StaffID int64
	StaffName             string
}

// Page is a page the crawler read, as far as the checks need it.
type Page struct {
	URL    string
	Depth  int
	Status int
	Title  string
	// Column and Article are the page's 栏目 and 文章标题 as its meta tags
	// name them (《政府网站发展指引》 ColumnName, ArticleTitle); PubDate its
	// meta PubDate.
	Column, Article string
	PubDate         calendar.Date
	// Dates are the dates the page shows in its text.
	Dates []calendar.Date
	Text  string
}

// CrawlRequest asks the crawler to read a site from Start (and Seeds),
// checking every link it meets and the links in Check, within bounds.
type CrawlRequest struct {
	Start  string
	Seeds  []string
	Check  []LinkRef
	Bounds Bounds
	// Known answers, without fetching, for addresses of the own portal
	// whose state the records give (an item's page, an attachment, a
	// category's list page); it gets the path and query.
	Known func(pathQuery string) (LinkState, bool)
	// Visit is called with each page read.
	Visit func(Page)
}

// CrawlReport is what the crawl did.
type CrawlReport struct {
	Links    []Link
	Pages    int
	Requests int
	// StartError says why the start page could not be read ("" when it was).
	StartError string
	// Reasons the crawl stopped short (a bound reached).
	Reasons []string
}

// Crawler reads sites.
type Crawler interface {
	Crawl(ctx context.Context, req CrawlRequest) CrawlReport
}

// Inspection is one run's inputs.
type Inspection struct {
	Target  Target
	Sources Sources
	// Crawler reads the target: for the own portal, one that reaches the
	// portal's handler in-process at Base.
	Crawler Crawler
	// Base is where Crawler finds the own portal ("http://portal.internal"
	// for an in-process transport).
	Base string
	Now  time.Time
}

// Inspect runs the checks on the target. It always returns a result: a
// part it could not do is a reason the run is incomplete and leaves its
// indicators 无法判断; the error, if any, is the store's, for the log.
func Inspect(ctx context.Context, in Inspection) (Result, error) {
	acc := NewAcc()
	src := in.Sources
	s, err := src.InspectSettings(ctx)
	if err != nil {
		acc.Incomplete("检查设置有误，未能检查：" + errs.MessageOf(err))
		return acc.Result(), nil
	}
	cfg, err := src.InspectUnitConfig(ctx, in.Target.UnitID)
	if err != nil {
		acc.Incomplete("本单位的检查设置有误，未能检查：" + errs.MessageOf(err))
		return acc.Result(), nil
	}
	// Availability, from the probes of the home page's address.
	if in.Target.URL != "" {
		ps, err := src.Probes(ctx, in.Target.URL, in.Now.Add(-time.Duration(s.AvailDays+1)*24*time.Hour))
		if err != nil {
			acc.Incomplete("读取可用性探测记录失败")
			acc.Cannot(Availability, "读取探测记录失败")
			return acc.Result(), err
		}
		CheckAvailability(in.Target.URL, ps, in.Now, s, acc)
	} else {
		CheckAvailability("", nil, in.Now, s, acc)
	}
	if in.Target.Own {
		err = inspectPortal(ctx, in, s, cfg, acc)
	} else {
		inspectSite(ctx, in, s, cfg, acc)
	}
	if err != nil {
		acc.Incomplete("读取业务记录失败，检查未完成")
	}
	return acc.Result(), err
}

// inspectPortal judges the own portal: the columns, items, messages and
// accounts from the records, the pages and links through the crawler.
func inspectPortal(ctx context.Context, in Inspection, s Settings, cfg UnitConfig, acc *Acc) error {
	src, unit := in.Sources, in.Target.UnitID
	cols, err := src.PortalColumns(ctx, unit, cfg)
	if err != nil {
		return err
	}
	CheckColumns(cols, in.Now, s, acc)
	var last time.Time
	slugs := map[string]bool{}
	for _, c := range cols {
		if c.Last.After(last) {
			last = c.Last
		}
		slugs[c.Slug] = true
		CheckExpressions(cfg.Expressions, c.Name, "category:"+strconv.FormatInt(c.CategoryID, 10), Finding{URL: c.Path, CategoryID: c.CategoryID}, acc)
	}
	CheckHome(last, "/", in.Now, s, acc)
	cal, err := src.Calendar(ctx)
	if err != nil {
		return err
	}
	ic := &ItemChecks{Settings: s, Now: in.Now, Calendar: cal}
	items := map[int64]bool{}
	refs := map[string]LinkRef{}
	var order []string
	err = src.EachPortalItem(ctx, unit, cfg, func(it Item) error {
		items[it.ID] = true
		ic.Check(it, acc)
		CheckExpressions(cfg.Expressions, it.Title+"\n"+it.Text, itemWhere(it.ID), it.finding(Wording, Deduction, "", ""), acc)
		for _, href := range BodyLinks(it.Body) {
			if _, ok := refs[href]; ok {
				continue
			}
			refs[href] = LinkRef{URL: href, From: it.Path, ItemID: it.ID, DepartmentID: it.DepartmentID, StaffID: it.StaffID, StaffName: it.StaffName}
			order = append(order, href)
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	ic.Finish(acc)
	if len(cfg.Expressions) == 0 {
		acc.Judged(Wording, "表述清单为空")
	} else {
		acc.Judged(Wording, fmt.Sprintf("按 %d 条表述检查信息 %d 条、栏目 %d 个", len(cfg.Expressions), acc.Stats.Items, len(cols)))
	}
	if acc.Stats.Items == 0 {
		for _, i := range []Indicator{GuideElements, NormativeValidity, LatePublication, NoPublishDate} {
			acc.Judged(i, "门户网站没有已发布的信息")
		}
	}
	atts, err := src.PortalAttachments(ctx, unit)
	if err != nil {
		return err
	}
	live := map[int64]bool{}
	for _, a := range atts {
		if id := attachmentID(a.URL); id != 0 && a.State == LinkOK {
			live[id] = true
		}
	}
	CheckLinks(atts, acc)
	es, err := src.PortalEnquiries(ctx, unit, in.Now.AddDate(0, -s.PeriodMonths, 0))
	if err != nil {
		return err
	}
	CheckEnquiries(es, in.Now, s, acc)
	accounts, err := src.MediaAccounts(ctx, unit)
	if err != nil {
		return err
	}
	CheckMedia(accounts, in.Now, s, acc)

	// The pages: the home page and every column read through the portal's
	// handler; the items' own pages, attachments and list pages answered
	// from the records; the links in the items' texts checked.
	req := CrawlRequest{Start: in.Base + "/", Bounds: BoundsOf(s, in.Target.AllowPrivate)}
	for _, c := range cols {
		if c.Path != "" {
			req.Seeds = append(req.Seeds, in.Base+c.Path)
		}
	}
	// A link written with the portal's public address is a link to the
	// portal itself.
	var public *url.URL
	if in.Target.URL != "" {
		public, _ = url.Parse(in.Target.URL)
	}
	for _, href := range order {
		ref := refs[href]
		if u, err := url.Parse(href); err == nil && public != nil && u.Host != "" && strings.EqualFold(u.Host, public.Host) {
			ref.URL = u.RequestURI()
		}
		req.Check = append(req.Check, ref)
	}
	req.Known = func(pq string) (LinkState, bool) {
		u, err := url.Parse(pq)
		if err != nil {
			return "", false
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if pg := u.Query().Get("page"); pg != "" && pg != "1" {
			// A list's later pages show the first page's template over
			// records checked one by one.
			return LinkOK, true
		}
		switch {
		case len(parts) == 2 && parts[0] == "items":
			id, err := strconv.ParseInt(parts[1], 10, 64)
			if err != nil {
				return LinkBroken, true
			}
			if items[id] {
				return LinkOK, true
			}
			return LinkBroken, true
		case len(parts) >= 2 && parts[0] == "files":
			id, err := strconv.ParseInt(parts[1], 10, 64)
			if err == nil && live[id] {
				return LinkOK, true
			}
			return LinkBroken, true
		case len(parts) == 2 && parts[0] == "catalog" && u.RawQuery != "":
			if slugs[parts[1]] {
				return LinkOK, true
			}
			return LinkBroken, true
		}
		return "", false
	}
	if in.Crawler == nil {
		acc.Cannot(BrokenLink, "未检查页面链接")
		return nil
	}
	rep := in.Crawler.Crawl(ctx, req)
	acc.Stats.Pages += rep.Pages
	acc.Stats.Requests += rep.Requests
	if rep.StartError != "" {
		acc.Incomplete("门户网站首页无法打开：" + rep.StartError)
	}
	for _, r := range rep.Reasons {
		acc.Incomplete(r)
	}
	CheckLinks(rep.Links, acc)
	return nil
}

func attachmentID(u string) int64 {
	p := u
	if x, err := url.Parse(u); err == nil {
		p = x.Path
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) >= 2 && parts[0] == "files" {
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		return id
	}
	return 0
}

// inspectSite judges a site the system does not host from what its pages
// show: its links and attachments, the dates on its home page, columns and
// articles (by the meta tags of 《政府网站发展指引》, 国办发〔2017〕47号), and
// the expressions in its text. The rest is 无法判断.
func inspectSite(ctx context.Context, in Inspection, s Settings, cfg UnitConfig, acc *Acc) {
	today := Today(in.Now)
	var home time.Time
	homeSeen := false
	type col struct {
		Column
		dates int
	}
	cols := map[string]*col{}
	var colOrder []string
	articles := 0
	visit := func(p Page) {
		var newest calendar.Date
		for _, d := range p.Dates {
			if !d.After(today) && d.After(newest) {
				newest = d
			}
		}
		if !p.PubDate.IsZero() && !p.PubDate.After(today) && p.PubDate.After(newest) {
			newest = p.PubDate
		}
		if p.Depth == 0 {
			homeSeen = true
			if !newest.IsZero() {
				home = dateTime(newest)
			}
		}
		CheckExpressions(cfg.Expressions, p.Title+"\n"+p.Text, "page:"+p.URL, Finding{URL: p.URL}, acc)
		switch {
		case p.Article != "":
			articles++
			if p.PubDate.IsZero() && len(p.Dates) == 0 {
				acc.Add(Finding{Indicator: NoPublishDate, Level: Deduction, Key: "page:" + p.URL, URL: p.URL, Message: fmt.Sprintf("信息“%s”的页面没有发布日期", p.Article)})
			}
		case p.Column != "" && p.Depth > 0:
			c, ok := cols[p.Column]
			if !ok {
				c = &col{Column: Column{Name: p.Column, Path: p.URL, Class: ClassOfName(p.Column)}}
				cols[p.Column] = c
				colOrder = append(colOrder, p.Column)
			}
			c.dates += len(p.Dates)
			c.Items = c.dates
			if !newest.IsZero() && dateTime(newest).After(c.Last) {
				c.Last = dateTime(newest)
			}
		}
	}
	req := CrawlRequest{Start: in.Target.URL, Bounds: BoundsOf(s, in.Target.AllowPrivate), Visit: visit}
	if in.Crawler == nil {
		acc.Incomplete("没有可用的抓取程序")
		return
	}
	rep := in.Crawler.Crawl(ctx, req)
	acc.Stats.Pages += rep.Pages
	acc.Stats.Requests += rep.Requests
	if rep.StartError != "" {
		acc.Incomplete(fmt.Sprintf("无法打开 %s：%s", in.Target.URL, rep.StartError))
		for _, spec := range Indicators {
			if spec.ID != Availability {
				acc.Cannot(spec.ID, "网站无法打开，未能检查")
			}
		}
		return
	}
	for _, r := range rep.Reasons {
		acc.Incomplete(r)
	}
	complete := len(rep.Reasons) == 0
	CheckLinks(rep.Links, acc)
	if !complete {
		acc.Cannot(BrokenLink, "抓取未完成，未检查全部链接")
		acc.Cannot(BrokenAttachment, "抓取未完成，未检查全部附件")
	}
	if homeSeen {
		CheckHome(home, in.Target.URL, in.Now, s, acc)
	}
	if len(cols) == 0 {
		acc.Cannot(ColumnStale, "页面未按《政府网站发展指引》标注栏目名称（ColumnName），无法识别栏目")
		acc.Cannot(ColumnBlank, "页面未标注栏目名称，无法识别栏目")
	} else {
		var cs []Column
		for _, n := range colOrder {
			cs = append(cs, cols[n].Column)
		}
		CheckColumns(cs, in.Now, s, acc)
		if !complete {
			acc.Cannot(ColumnStale, "抓取未完成，可能有栏目未检查")
		}
	}
	if articles == 0 {
		acc.Cannot(NoPublishDate, "页面未按《政府网站发展指引》标注文章标题（ArticleTitle），无法识别信息页面")
	} else {
		acc.Judged(NoPublishDate, fmt.Sprintf("识别信息页面 %d 个", articles))
	}
	acc.Judged(Wording, fmt.Sprintf("检查页面 %d 个", rep.Pages))
	for _, spec := range Indicators {
		if spec.OwnSite {
			if spec.ID == MediaStale || spec.ID == MediaInteraction {
				acc.Cannot(spec.ID, "新媒体账号在本单位门户网站的检查中判断")
			} else {
				acc.Cannot(spec.ID, "不是本系统承载的网站，无法从页面判断")
			}
		}
	}
}

func dateTime(d calendar.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, beijing)
}
