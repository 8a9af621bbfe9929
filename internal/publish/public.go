package publish

import (
	"context"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/search"
)

// Public is the portal's only way to read what proactive disclosure has
// published (公开 by construction): every page, the search, the feeds, the
// sitemap and the attachment downloads read through it. Its implementation
// (store.Public) reads only the public tables, and every query carries the
// one predicate that a row is live now, so a draft, an item under review, a
// withdrawn item, a 依申请公开 or 不予公开 item, a scheduled item before its
// time, and their attachments, cannot be reached through it. Categories are
// public metadata; decisions are visible only when marked for 双公示.
type Public interface {
	// Categories returns the unit's catalogue in tree order, with the
	// number of items visible in each (not counting subcategories).
	Categories(ctx context.Context, unitID int64) ([]Category, map[int64]int, error)
	// Catalogue returns the unit's catalogue in tree order, without counts.
	Catalogue(ctx context.Context, unitID int64) ([]Category, error)
	// List returns visible items, newest first.
	List(ctx context.Context, q ListQuery) (ItemPage, error)
	// Item returns a visible item with its attachments and links.
	Item(ctx context.Context, unitID, itemID int64) (PublicItem, error)
	// Attachment returns a visible attachment and its bytes.
	Attachment(ctx context.Context, unitID, attachmentID int64) (PublicAttachment, []byte, error)
	// Search finds visible items that contain every term of the query.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// Decisions lists the decisions marked for 双公示.
	Decisions(ctx context.Context, q DecisionQuery) (DecisionPage, error)
	// Departments lists the departments that have visible items.
	Departments(ctx context.Context, unitID int64) ([]NamedID, error)
}

// NamedID is an id with its name.
type NamedID struct {
	ID   int64
	Name string
}

// PublicItem is an item as the portal shows it.
type PublicItem struct {
	ID           int64 // the item's id (stable across versions)
	Version      int
	Title        string
	DocNo        string // 文号
	Department   string // 来源: the department that made it
	DepartmentID int64
	MadeOn       calendar.Date
	CategoryID   int64
	PublishedAt  time.Time // 发布日期: the first publication
	UpdatedAt    time.Time // when this version went public
	Revised      bool      // this version is an update (更新)
	DocKind      DocKind
	ValidFrom    calendar.Date
	Validity     Validity
	ValidityOn   calendar.Date
	Body         string // sanitised HTML (Item only)
	Text         string // plain text of body and attachments (Item and Search only)

	Attachments     []PublicAttachment
	Interprets      *NamedID  // the visible item this one interprets
	Interpretations []NamedID // visible items that interpret this one
}

// PublicAttachment is an attachment as the portal offers it.
type PublicAttachment struct {
	ID   int64
	Name string
	Type string
	Size int64
}

// ListQuery selects visible items.
type ListQuery struct {
	UnitID       int64
	CategoryIDs  []int64 // any of them; none for all
	Year         int     // of the first publication, Beijing time; 0 for all
	DepartmentID int64
	Page         int // from 1
	PerPage      int
}

// ItemPage is one page of a list.
type ItemPage struct {
	Items   []PublicItem
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p ItemPage) Pages() int {
	if p.PerPage <= 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// SearchQuery is a full-text search with its filters.
type SearchQuery struct {
	ListQuery
	Query search.Query
}

// Hit is one search result.
type Hit struct {
	Item    PublicItem
	Title   string // escaped HTML with <mark>
	Snippet string // escaped HTML with <mark>
	Rank    float64
}

// MaxCount is where a search stops counting its results.
const MaxCount = 10000

// SearchResult is one page of results.
type SearchResult struct {
	Hits    []Hit
	Total   int  // at most MaxCount
	More    bool // more than MaxCount items match
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (r SearchResult) Pages() int {
	if r.PerPage <= 0 {
		return 1
	}
	return (r.Total + r.PerPage - 1) / r.PerPage
}

// DecisionQuery selects 双公示 decisions.
type DecisionQuery struct {
	UnitID  int64
	Kind    DecisionKind // "" for all
	Year    int
	Text    string // in the counterpart's name, the 文书号 or the matter
	Page    int
	PerPage int
}

// DecisionPage is one page of decisions.
type DecisionPage struct {
	Decisions []Decision
	Total     int
	Page      int
	PerPage   int
}

// Pages is the number of pages.
func (p DecisionPage) Pages() int {
	if p.PerPage <= 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}
